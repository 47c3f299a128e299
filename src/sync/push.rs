//! The refs this clone has to publish.

use super::*;
use crate::governance::authority::Finding as F;

/// The local refs to push: those this clone has ahead of (or missing from) the remote.
/// A local ref that points at something malformed is never pushed (a warning names it).
pub(super) fn outgoing(
    commons: &Commons,
    remote_name: &str,
    held: &mut Vec<String>,
    report: &mut Report,
) -> Result<Vec<PushRef>> {
    let repo = &commons.repo;
    let mut refs = Vec::new();
    for (name, id, kind) in syncable_local(repo, &commons.trunk_ref)? {
        let Some(tracking) = tracking_of(&name, remote_name) else { continue };
        let theirs = repo.ref_target(&tracking)?;
        if theirs == Some(id) {
            continue;
        }
        if let Some(what) = malformed(repo, kind, id)? {
            add_line(&mut report.warnings, malformed_ref(&name, Side::Here, id, what));
            continue;
        }
        let mut repair = false;
        if let Some(t) = theirs {
            if let Some(what) = malformed(repo, kind, t)? {
                add_line(&mut report.warnings, malformed_ref(&name, Side::Remote, t, what));
                // A per-writer ref whose copy there is broken: this clone's sound one
                // replaces it (leased on the broken value), or its records would never
                // leave this clone. A tag is never replaced.
                if kind == Kind::Tag {
                    continue;
                }
                repair = true;
            }
        }
        if let (Some(t), false) = (theirs, repair) {
            // Only what extends the remote's copy; the rest was reported when integrating
            // (and is reported by a --push-only sync, which does not integrate).
            if kind == Kind::Tag || !repo.is_ancestor(t, id)? {
                held.push(name);
                continue;
            }
        }
        if name == commons.trunk_ref {
            // The trunk goes out only when none of the commits the remote lacks breaks a
            // rule: a commit the hub's hook refused, or a hub's keeper removed, is not
            // published again by every clone that fetched it meanwhile.
            let findings = breaking(commons, id, theirs)?;
            if !findings.is_empty() {
                add_line(&mut report.unpushed_trunk, Flagged { refname: name.clone(), findings });
                continue;
            }
        }
        if kind == Kind::Tag {
            // An approval goes out only when it verifies here: a hub must never receive a
            // statement tag that its own recount would reject.
            let slug = name.rsplit('/').next().unwrap_or("");
            let problems = match crate::model::id::validate("statement", slug) {
                Ok(()) => crate::statements::verify_tag(commons, slug, id)?.problems,
                Err(e) => vec![crate::statements::Problem::BadName { reason: e.message.clone() }],
            };
            if !problems.is_empty() {
                add_line(&mut report.unpushed_tags, RefusedTag { refname: name.clone(), problems });
                continue;
            }
        }
        refs.push(PushRef {
            local: name.clone(),
            id: id.to_string(),
            remote_ref: name,
            expect: theirs.map(|t| t.to_string()),
            force: repair,
        });
    }
    Ok(refs)
}

/// The audit's findings about the commits of `tip` that `theirs` lacks: the rules a commit
/// breaks (not what the audit says of the history as a whole, such as a rewrite).
fn breaking(commons: &Commons, tip: Oid, theirs: Option<Oid>) -> Result<Vec<F>> {
    let findings = crate::governance::audit::audit(commons)?.findings;
    let per_commit = |f: &F| !matches!(f, F::Rewritten { .. } | F::RootChanged { .. });
    if !findings.iter().any(per_commit) {
        return Ok(Vec::new());
    }
    let hide: Vec<Oid> = theirs.into_iter().collect();
    let outgoing: std::collections::HashSet<String> =
        commons.repo.walk(tip, &hide)?.map(|c| c.map(|c| c.to_string())).collect::<Result<_>>()?;
    Ok(findings.into_iter().filter(|f| per_commit(f) && outgoing.contains(f.commit())).collect())
}
