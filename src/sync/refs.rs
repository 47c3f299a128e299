//! Which refs sync, of which kind, and the remote-tracking ref that mirrors each.

use super::*;

/// The kinds of ref sync integrates, each with its own rule, in the order they are
/// integrated: per-writer refs first (a conflict on the trunk may write to an edition),
/// then the trunk, then tags (verified against the trunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Edition,
    Notes,
    Ballots,
    /// `refs/tribune/channels/<contingent>/<channel>` and
    /// `refs/tribune/member-channels/<member>/<channel>`.
    Channel,
    Trunk,
    Tag,
}

/// A local ref and the remote-tracking ref that mirrors the remote's copy of it.
#[derive(Debug, Clone)]
pub(super) struct Pair {
    pub(super) kind: Kind,
    pub(super) local: String,
    pub(super) tracking: String,
}

/// The local ref a remote-tracking ref mirrors, if it is one tribune syncs.
pub(super) fn pair_of(tracking: &str, remote: &str, trunk_ref: &str) -> Option<Pair> {
    let trunk = trunk_ref.strip_prefix("refs/heads/")?;
    let (kind, local) = if let Some(branch) = tracking.strip_prefix(&format!("refs/remotes/{remote}/")) {
        if branch == trunk {
            (Kind::Trunk, trunk_ref.to_string())
        } else if branch.starts_with("contingents/") {
            (Kind::Edition, format!("refs/heads/{branch}"))
        } else {
            return None;
        }
    } else {
        let rest = tracking.strip_prefix(&format!("{MIRRORS}{remote}/"))?;
        let kind = if rest.starts_with("notes/tribune/") {
            Kind::Notes
        } else if rest.starts_with("tribune/channels/") || rest.starts_with("tribune/member-channels/") {
            Kind::Channel
        } else if rest.starts_with("tribune/") {
            Kind::Ballots
        } else if rest.starts_with("tags/statements/") {
            Kind::Tag
        } else {
            return None;
        };
        (kind, format!("refs/{rest}"))
    };
    well_formed(&local, kind, trunk_ref).then(|| Pair { kind, local, tracking: tracking.to_string() })
}

/// Whether a ref's name has the shape of its kind: `contingents/<id>`,
/// `notes/tribune/ratings/<rater>`, `tribune/ballots/<statement>/<member>`,
/// `tribune/channels/<contingent>/<channel>`, `tribune/member-channels/<member>/<channel>`,
/// `tags/statements/<slug>`, each part an id. A ref one level below another writer's
/// (`…/ballots/s/m3/x`) would stop that writer from ever updating theirs, and git cannot
/// hold both: such names are never taken or pushed.
pub fn well_formed(local: &str, kind: Kind, trunk_ref: &str) -> bool {
    let ids = |rest: Option<&str>, n: usize| {
        rest.is_some_and(|r| {
            let parts: Vec<&str> = r.split('/').collect();
            parts.len() == n && parts.iter().all(|p| crate::model::id::is_valid(p))
        })
    };
    match kind {
        Kind::Trunk => local == trunk_ref,
        Kind::Edition => ids(local.strip_prefix("refs/heads/contingents/"), 1),
        Kind::Notes => ids(local.strip_prefix(crate::ratings::RATINGS_REFS), 1),
        Kind::Ballots => ids(local.strip_prefix(crate::statements::BALLOT_REFS), 2),
        Kind::Channel => {
            ids(local.strip_prefix(crate::channels::CHANNEL_REFS), 2)
                || ids(local.strip_prefix(crate::channels::MEMBER_CHANNEL_REFS), 2)
        }
        Kind::Tag => ids(local.strip_prefix(crate::statements::TAG_REFS), 1),
    }
}

/// The remote-tracking ref of a local ref.
pub(super) fn tracking_of(local: &str, remote: &str) -> Option<String> {
    if let Some(branch) = local.strip_prefix("refs/heads/") {
        return Some(format!("refs/remotes/{remote}/{branch}"));
    }
    Some(format!("{MIRRORS}{remote}/{}", local.strip_prefix("refs/")?))
}

/// Which of the local refs tribune syncs.
pub(super) fn syncable_local(repo: &Repo, trunk_ref: &str) -> Result<Vec<(String, Oid, Kind)>> {
    let mut out = Vec::new();
    if let Some(t) = repo.ref_target(trunk_ref)? {
        out.push((trunk_ref.to_string(), t, Kind::Trunk));
    }
    for (prefix, kind) in [
        ("refs/heads/contingents/", Kind::Edition),
        ("refs/notes/tribune/", Kind::Notes),
        ("refs/tribune/channels/", Kind::Channel),
        ("refs/tribune/member-channels/", Kind::Channel),
        ("refs/tribune/ballots/", Kind::Ballots),
        ("refs/tags/statements/", Kind::Tag),
    ] {
        for (name, id) in repo.refs_with_prefix(prefix)? {
            if well_formed(&name, kind, trunk_ref) {
                out.push((name, id, kind));
            }
        }
    }
    Ok(out)
}
