//! Changes only an approved statement may make (a contingent admitted or removed, the rules
//! changed): whether a statement authorises one. The statement must say exactly that change
//! in its `[[enacts]]` tables, and its approval tag must verify and pass.

use super::authority::Enactment;
use crate::commons::Commons;
use crate::git::Oid;
use crate::model::layout;
use crate::model::roster::Contingent;
use crate::model::statement::Enactment as Wanted;
use anyhow::Result;

/// The trailer by which a commit cites the statement it applies.
pub const ENACTS: &str = "Tribune-Enacts";

/// What the change to `path` (to `new`; None: removed) would need the statement to say.
pub fn wanted(commons: &Commons, path: &str, new: Option<Oid>) -> Result<Option<Wanted>> {
    if path == layout::CONFIG {
        return Ok(new.map(|b| Wanted::Rules { blob: b.to_string() }));
    }
    if let Some(id) = path.strip_prefix(&format!("{}/", layout::MEMBERS)).and_then(|f| f.strip_suffix(".toml")) {
        let Some(b) = new else { return Ok(None) };
        let text = String::from_utf8_lossy(&commons.repo.read_blob(b)?).into_owned();
        return Ok(match crate::model::roster::Member::parse(id, path, &text) {
            Ok(m) if m.keys.len() == 1 => Some(Wanted::AddMember {
                member: id.to_string(),
                contingent: m.contingent,
                key: m.keys[0].clone(),
                name: Some(m.name),
                email: Some(m.email),
            }),
            _ => None,
        });
    }
    let Some(id) = path.strip_prefix(&format!("{}/", layout::CONTINGENTS)).and_then(|f| f.strip_suffix(".toml")) else {
        return Ok(None);
    };
    Ok(match new {
        Some(b) => {
            let text = String::from_utf8_lossy(&commons.repo.read_blob(b)?).into_owned();
            match Contingent::parse(id, path, &text) {
                Ok(c) => Some(Wanted::AddContingent { contingent: id.to_string(), name: c.name }),
                Err(_) => None,
            }
        }
        None => Some(Wanted::RemoveContingent { contingent: id.to_string() }),
    })
}

/// Whether the statement an enactment cites authorises it: the statement names exactly
/// that change (judged from the text voted on, whatever later commits did to its file),
/// the change finds what it expects (a contingent or member to admit is not there yet, a
/// contingent to remove is), no earlier commit since the proposal applied it to this path
/// (a statement is applied once: citing it again cannot undo what followed), and its
/// approval tag verifies and passes. A statement that cannot be read or verified authorises
/// nothing.
pub fn authorises(commons: &Commons, e: &Enactment<'_>) -> Result<bool> {
    let slug = e.statement;
    if crate::model::id::validate("statement", slug).is_err() {
        return Ok(false);
    }
    let Some(want) = wanted(commons, e.path, e.new)? else { return Ok(false) };
    let expects_absent = matches!(want, Wanted::AddContingent { .. } | Wanted::AddMember { .. });
    if expects_absent != e.old.is_none() && !matches!(want, Wanted::Rules { .. }) {
        return Ok(false);
    }
    let Ok(proposal) = crate::statements::find(commons, slug) else { return Ok(false) };
    let same = |s: &Wanted| match (s, &want) {
        // Keys compare by the key itself, whatever their comments.
        // A name or an email the statement gives binds the entry applied.
        (
            Wanted::AddMember { member: a, contingent: c, key: k, name: n, email: e },
            Wanted::AddMember { member: b, contingent: d, key: l, name: m, email: f },
        ) => {
            a == b
                && c == d
                && key_part(k) == key_part(l)
                && n.as_ref().is_none_or(|n| Some(n) == m.as_ref())
                && e.as_ref().is_none_or(|e| f.as_ref().is_some_and(|f| f.eq_ignore_ascii_case(e)))
        }
        (a, b) => a == b,
    };
    if !proposal.statement.enacts.iter().any(same) {
        return Ok(false);
    }
    // Applied once: an earlier commit since the proposal that cites it for this path.
    let repo = &commons.repo;
    for p in e.parents {
        for id in repo.walk(*p, &[proposal.commit])? {
            let info = repo.commit(id?)?;
            if info.trailer(ENACTS).map(str::trim) != Some(slug) {
                continue;
            }
            let before = info.parents.first().map(|p| repo.commit_tree(*p)).transpose()?;
            if super::authority::governed_changes(repo, before, info.tree)?.iter().any(|p| p == e.path) {
                return Ok(false);
            }
        }
    }
    let v = crate::statements::verify(commons, slug)?;
    // The statement's file changed after the proposal does not unmake the approval of the
    // text voted on (the audit names the change to the file).
    let problems = v.problems.iter().filter(|p| !matches!(p, crate::statements::Problem::Amended { .. })).count();
    Ok(problems == 0 && v.passes == Some(true))
}

/// An OpenSSH key line without its comment.
fn key_part(line: &str) -> String {
    line.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}
