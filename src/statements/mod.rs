//! Joint statements: the proposal, the ballots, the tally, and the approval tag from which
//! anyone can recount.
//!
//! Nothing here trusts whoever ran a count. A ballot is a commit signed by a member's own
//! key on the member's own ref; the electorate is the roster at the proposal commit; every
//! check is redone from git objects each time, with exact integer arithmetic.

use crate::commons::Commons;
use crate::error::fail;
use crate::git::{CommitInfo, Oid, Repo, TagInfo};
use crate::model::layout;
use crate::model::roster::Member;
use crate::model::statement::{format_deadline, Statement};
use crate::model::vote::{decide, decided, Bloc, BlocVote, Counts, Outcome};
use crate::signing::keyring::{KeyRing, Signed};
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

mod ballot;
mod electorate;
mod problem;
mod proposal;
mod tag;
mod tally;
mod verify;

pub use ballot::*;
pub use electorate::*;
pub use problem::*;
pub use proposal::*;
pub use tag::*;
pub use tally::*;
pub use verify::*;
pub const BALLOT_REFS: &str = "refs/tribune/ballots/";
pub const TAG_REFS: &str = "refs/tags/statements/";

/// How far ahead of this machine's clock another machine's may be (seconds) before a tag
/// dated in the future is called out.
const CLOCK_SKEW: i64 = 300;

pub fn ballot_ref(slug: &str, member: &str) -> String {
    format!("{BALLOT_REFS}{slug}/{member}")
}
pub fn tag_ref(slug: &str) -> String {
    format!("{TAG_REFS}{slug}")
}
/// The tag's own name (what `git tag -v` takes).
pub fn tag_name(slug: &str) -> String {
    format!("statements/{slug}")
}

/// A vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub fn parse(s: &str) -> Option<Choice> {
        match s.trim() {
            "yes" => Some(Choice::Yes),
            "no" => Some(Choice::No),
            "abstain" => Some(Choice::Abstain),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_reads_back_as_itself() {
        for c in [Choice::Yes, Choice::No, Choice::Abstain] {
            assert_eq!(Choice::parse(c.as_str()), Some(c));
        }
        assert_eq!(Choice::parse(" yes\n"), Some(Choice::Yes));
        assert_eq!(Choice::parse("Yes"), None);
        assert_eq!(ballot_ref("s", "m"), "refs/tribune/ballots/s/m");
        assert_eq!(tag_ref("s"), "refs/tags/statements/s");
    }
}
