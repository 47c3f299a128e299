//! An audit's findings in words.

use crate::governance::authority::{describe, Finding};
use crate::governance::texts::Owned;
use crate::statements::{Exclusion, LeftOutMember};

/// A roster entry the electorate does not take as the tree has it.
pub fn left_out(l: &LeftOutMember) -> String {
    let m = &l.member;
    match &l.why {
        Exclusion::Invalid { reason } => {
            format!("{m} is not in the electorate: the roster entry is invalid ({reason})")
        }
        Exclusion::AddedWithoutAuthority => {
            format!("{m} is not in the electorate: added by a commit the roster did not authorise (`tribune audit`)")
        }
        Exclusion::ChangedWithoutAuthority => format!(
            "{m}'s entry was changed or removed by a commit the roster did not authorise; the authorised entry \
             counts (`tribune audit`)"
        ),
    }
}

/// One finding, one line.
pub fn finding(f: &Finding) -> String {
    let short = |id: &str| crate::model::words::short(id, 10).to_string();
    match f {
        Finding::Unauthorised { commit, path, signer, rule } => {
            let by = match signer {
                Some(s) => format!("signed by {s}"),
                None => "not signed by any member of the authorised roster".to_string(),
            };
            format!("{}: changes {path}, {by}: {}", short(commit), describe(rule))
        }
        Finding::InvalidEntry { commit, path, reason } => {
            format!("{}: {path} is not a valid roster entry ({reason}); it is left out", short(commit))
        }
        Finding::SecondFounding { commit } => {
            format!("{}: declares founders again; a commons has one root of authority", short(commit))
        }
        Finding::UnsignedFounding { commit } => {
            format!("{}: declares founders but is not signed by one of them; it founds nothing", short(commit))
        }
        Finding::RootChanged { root, remembered } if root.is_empty() => format!(
            "the commons has no root of authority now, but this clone remembers {} (tribune.root): its history \
             was replaced",
            short(remembered)
        ),
        Finding::RootChanged { root, remembered } => format!(
            "the root of authority is {}, but this clone remembers {} (tribune.root): its history was replaced",
            short(root),
            short(remembered)
        ),
        Finding::Overwritten { commit, path, what, signer, contingent } => {
            owned(commit, "changes", path, *what, signer, contingent, "change it")
        }
        Finding::Deleted { commit, path, what, signer, contingent } => {
            owned(commit, "deletes", path, *what, signer, contingent, "delete it")
        }
        Finding::ByOutsider { commit, path, what, signer, contingent } => {
            owned(commit, "adds", path, *what, signer, contingent, "add it in the contingent's name")
        }
        Finding::StatementChanged { commit, path, removed } => format!(
            "{}: {} {path} after its proposal: a statement's text is fixed once it is proposed",
            short(commit),
            if *removed { "removes" } else { "changes" }
        ),
        Finding::Rewritten { commit, audited } => format!(
            "{}: the trunk no longer descends from {}, which this clone audited before (history rewritten)",
            short(commit),
            short(audited)
        ),
    }
}

/// An owned text's finding: `{commit}: {verb} {path}, an article of {contingent}, {by}: only
/// a member of {contingent} may {what}` (a challenge by, a reply of, a shared filter of).
fn owned(
    commit: &str,
    verb: &str,
    path: &str,
    kind: Owned,
    signer: &Option<String>,
    contingent: &Option<String>,
    what: &str,
) -> String {
    let short = crate::model::words::short(commit, 10);
    let by = match signer {
        Some(s) => format!("signed by {s}"),
        None => "not signed by any member of the authorised roster".to_string(),
    };
    let of = match kind {
        Owned::Article => "an article of",
        Owned::Challenge => "a challenge by",
        Owned::Reply => "the reply of",
        Owned::Filter => "a shared filter of",
    };
    match contingent {
        Some(c) => format!("{short}: {verb} {path}, {of} {c}, {by}: only a member of {c} may {what}"),
        None => format!("{short}: {verb} {path}, {by}: only a member of the authorised roster may {what}"),
    }
}
