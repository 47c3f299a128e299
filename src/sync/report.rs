//! What a sync did and found, as data: `output::sync` says it in words, `--json` gives the
//! fields (each finding with `kind` naming what it is). Ids are full hex.

use super::Moved;
use crate::statements::Problem;
use serde::Serialize;

/// What a sync did.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub remote: String,
    pub arrived: Moved,
    pub left: Moved,
    /// Refs pushed.
    pub pushed: Vec<String>,
    /// Trunk texts both sides changed: how each was kept.
    pub conflicts: Vec<Conflict>,
    /// Refs that could not be integrated or pushed, never overwritten.
    pub diverged: Vec<Diverged>,
    /// Statement tags that failed verification and were not taken.
    pub rejected_tags: Vec<RefusedTag>,
    /// Local statement tags that fail verification here, and so were not pushed.
    pub unpushed_tags: Vec<RefusedTag>,
    /// The local trunk, not pushed: commits on it that the remote lacks break the rules
    /// (`tribune audit`), each finding with its commit.
    pub unpushed_trunk: Vec<Flagged>,
    /// Refs, here or on the remote, that point at something malformed (no commit; for a
    /// statement tag, no tag object): never taken, never pushed, so that they affect only
    /// the records on that ref. Warnings: they do not make the sync fail.
    pub warnings: Vec<Malformed>,
    /// Refs both sides had changed that were merged (ballots, editions).
    pub merged: Vec<Merged>,
    /// What a dry run would do.
    pub plan: Vec<Step>,
    /// How many times the push lost a race and fetched again.
    pub retries: usize,
}

/// One step a dry run would take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Step {
    FastForward {
        refname: String,
    },
    /// Changed on both sides.
    Merge {
        refname: String,
    },
    /// A statement tag, taken if it verifies.
    VerifyAndTake {
        refname: String,
    },
    Push {
        refname: String,
    },
    /// Pushed once the merge above it is made, if it can be (a dry run does not try it: a
    /// text, a channel's picks or an edition changed on both sides stops it).
    PushMerged {
        refname: String,
    },
}

/// Where a ref is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Here,
    Remote,
}

/// A ref that points at something malformed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Malformed {
    pub refname: String,
    pub side: Side,
    pub object: String,
    /// The kind of object found (None: this repository does not have it).
    pub found: Option<String>,
    /// "commit", or "tag" for a statement tag.
    pub wanted: String,
}

/// A ref changed on both sides and merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Merged {
    /// A member's ballots cast on both sides; `same_seq` when both sides' latest ballots
    /// carry one sequence number (the tally then excludes both until the member votes again).
    Ballots { refname: String, member: String, statement: String, same_seq: Option<u64> },
    /// A contingent's edition, file by file.
    Edition { refname: String, contingent: String },
    /// A channel whose two sides changed different files (a pick here, an edition there).
    Channel { refname: String, channel: String },
}

/// A ref left as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Diverged {
    /// Different histories that tribune does not merge.
    Histories { refname: String, here: String, there: String },
    /// A rater's signed ratings changed on both sides: only a clone with the rater's key merges them.
    SignedRatings { refname: String, rater: String },
    /// An edition whose files both sides changed differently.
    Edition { refname: String, contingent: String, clashes: Vec<Clash> },
    /// Two different approvals of one statement.
    Approvals { refname: String, statement: String, here: String, there: String },
    /// A channel changed on both sides and not merged: both changed `clashes` (picks.toml,
    /// or an edition with one number), or, when that is empty, no member of `owner` signs
    /// here to merge it.
    Channel { refname: String, channel: String, owner: String, here: String, there: String, clashes: Vec<String> },
    /// A push-only sync: the remote has changes this clone lacks.
    RemoteAhead { refname: String },
}

/// A file of an edition that both sides changed (None: deleted on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clash {
    pub path: String,
    pub slug: Option<String>,
    pub here: Option<String>,
    pub there: Option<String>,
}

/// A trunk text both sides changed: the trunk took the remote's, ours is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub path: String,
    pub slug: Option<String>,
    pub kept: Kept,
    /// The branch that holds this clone's trunk as it was.
    pub branch: String,
    /// The trunk's branch name.
    pub trunk: String,
}

/// How this clone's side of a conflict is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "as", rename_all = "kebab-case")]
pub enum Kept {
    /// This clone deleted the text: the deletion is on the branch only.
    Deletion,
    /// As the contingent's rival version, and on the branch.
    Rival { contingent: String },
    /// On the branch only.
    Branch,
}

/// A statement tag not taken, or not pushed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusedTag {
    pub refname: String,
    pub problems: Vec<Problem>,
}

/// Adds a finding to a list of the report, once (integration runs again after a lost race).
pub(super) fn add_line<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// A trunk not pushed because commits the remote lacks break the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flagged {
    pub refname: String,
    pub findings: Vec<crate::governance::authority::Finding>,
}
