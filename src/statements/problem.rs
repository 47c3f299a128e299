//! What a verification finds: every way an approval tag and its recount disagree, as data.
//! The presentation layer (`output::verification`) says them in words; `--json` gives the
//! fields, with `problem` naming the kind.

use serde::Serialize;

/// One way an approval tag fails. Commit and object ids are full hex unless named `short`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum Problem {
    /// There is no approval tag.
    NotApproved {
        tag: String,
    },
    /// The statement's name is not one tribune accepts.
    BadName {
        reason: String,
    },
    /// The ref points at a commit, not at an annotated tag.
    Lightweight {
        tag: String,
    },
    /// The tag object carries another name.
    Misnamed {
        found: String,
        want: String,
    },
    /// The tag's trailers name another statement.
    OtherStatement {
        found: String,
        want: String,
    },
    /// The tag names no proposal that this repository has.
    NoProposal,
    /// The trunk's proposal could not be read.
    ProposalUnreadable {
        reason: String,
    },
    /// The tag names a proposal other than the trunk's.
    OtherProposal {
        named: String,
        statement: String,
        trunk: String,
    },
    /// The tag approves a text other than the proposed one.
    OtherText {
        claimed: String,
        proposed: String,
    },
    /// The statement's file changed after the proposal.
    Amended {
        now: String,
        voted: String,
    },
    /// The tag names an approver other than its signer.
    ApproverIsNotSigner {
        claimed: String,
        signer: String,
    },
    /// The signature does not match the tag.
    BadSignature,
    /// Signed with a key that several members list.
    SharedKey {
        members: Vec<String>,
    },
    Unsigned,
    MalformedSignature {
        reason: String,
    },
    /// Signed by a member who joined after the proposal.
    SignerJoinedLater {
        member: String,
    },
    /// Signed with a key no member of the electorate has.
    UnknownKey,
    /// The tag states a rule (threshold, basis, quorum) other than the proposal's.
    OtherRule {
        field: String,
        claimed: String,
        proposal: String,
    },
    /// The tag points at something other than a commit.
    NotATallyCommit {
        kind: String,
    },
    FirstParentNotProposal,
    /// Two parents of the tally commit are ballots of one member.
    TwoBallotsOfOneMember {
        member: String,
        left_out: String,
    },
    /// A parent of the tally commit is not a ballot.
    NotABallot {
        commit: String,
    },
    /// No tagger, so no approval time.
    NoApprovalTime,
    /// Dated after the time of the check (beyond the allowed clock skew).
    DatedInTheFuture {
        at: String,
        now: String,
    },
    /// A figure the tag states is not the recount's (`claimed` is None when the tag has none).
    OtherCount {
        field: String,
        claimed: Option<String>,
        recount: u64,
    },
    /// The tag lists a member's ballot other than the one the recount counts.
    OtherBallot {
        member: String,
        listed: String,
        choice: String,
        counted: String,
        counted_choice: String,
    },
    /// The tag counts a ballot that the recount excludes.
    ExcludedBallot {
        member: String,
        ballot: String,
        reason: String,
    },
    /// The recount counts a ballot the tag does not list.
    UnlistedBallot {
        member: String,
    },
    /// Valid ballots the tag leaves out would change its outcome.
    LeftOutBallotsChangeIt {
        ballots: Vec<LeftOut>,
        still_passes: bool,
        arithmetic: Vec<crate::model::vote::Check>,
    },
    /// By the recount the statement does not pass.
    DoesNotPass {
        arithmetic: Vec<crate::model::vote::Check>,
    },
    /// Approved before the deadline while the result was still open.
    EarlyAndUndecided {
        at: String,
        deadline: String,
    },
    /// The statement's rule is looser than the organisation's floors in force at its
    /// proposal: it is invalid, whatever its votes.
    BelowFloor {
        breach: crate::governance::rules::Breach,
    },
    /// A contingent figure of a double majority the tag states is not the recount's
    /// (`field`: "contingents", "contingents-yes", "contingents-no", or "contingent <id>").
    OtherContingentFigure {
        field: String,
        claimed: Option<String>,
        recount: String,
    },
    /// The message is not the one tribune writes for the recount.
    OtherMessage {
        line: usize,
        says: String,
        recount: String,
    },
}

/// A ballot that an approval tag leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub member: String,
    pub ballot: String,
    pub choice: Option<String>,
    /// Counted by the tag, but now in a sequence conflict.
    pub seq_conflict: bool,
}

/// What holds but is worth saying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "kebab-case")]
pub enum Note {
    /// Ballots the tag leaves out that do not change its outcome.
    LeftOutBallotsChangeNothing { ballots: Vec<LeftOut>, yes: u64, no: u64, abstain: u64, electorate: u64 },
}
