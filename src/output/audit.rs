//! An audit's findings in words.

use crate::governance::authority::{describe, Finding};

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
        Finding::Rewritten { commit, audited } => format!(
            "{}: the trunk no longer descends from {}, which this clone audited before (history rewritten)",
            short(commit),
            short(audited)
        ),
    }
}
