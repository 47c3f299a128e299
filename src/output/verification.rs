//! A verification's findings in words: what `verify`, `tally`, `statements`, `export` and
//! `sync` print for the problems the domain returns as data.

use crate::governance::rules::Breach;
use crate::model::config::format_period;
use crate::statements::{LeftOut, Note, Problem};
use std::fmt;

/// "the threshold 1/100 is below the organisation's floor 2/3 (tribune.toml [rules]
/// min_threshold)".
impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = format!("(tribune.toml [rules] {})", self.key());
        match self {
            Breach::Threshold { rule, floor } => {
                write!(f, "the threshold {rule} is below the organisation's floor {floor} {place}")
            }
            Breach::Quorum { rule, floor } => {
                write!(f, "the quorum {rule} is below the organisation's floor {floor} {place}")
            }
            Breach::Basis { rule, floor } => write!(
                f,
                "the basis {rule} is weaker than the organisation's floor {floor} (of the whole electorate) {place}"
            ),
            Breach::Period { rule, floor } => write!(
                f,
                "the voting period {} (from the proposal to the deadline) is shorter than the organisation's floor {} \
                 {place}",
                format_period(*rule),
                format_period(*floor)
            ),
            Breach::DoubleMajority => write!(
                f,
                "the statement does not ask for a double majority of members and contingents, which the \
                 organisation's rules require {place}"
            ),
            Breach::Unreadable { reason } => {
                write!(f, "the organisation's rules in force at the proposal cannot be read: {reason}")
            }
        }
    }
}

/// The first `n` characters of an id, as everywhere in tribune's messages.
fn short(id: &str) -> &str {
    crate::model::words::short(id, 10)
}

fn left_out(ballots: &[LeftOut]) -> String {
    ballots
        .iter()
        .map(|b| {
            let conflict = if b.seq_conflict { ", now in a seq conflict" } else { "" };
            format!("{}'s {} ({}{conflict})", b.member, short(&b.ballot), b.choice.as_deref().unwrap_or("?"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotApproved { tag } => write!(f, "there is no tag {tag}: the statement has not been approved"),
            Problem::BadName { reason } => write!(f, "{reason}"),
            Problem::Lightweight { tag } => write!(f, "{tag} is a lightweight tag, not a signed annotated tag"),
            Problem::Misnamed { found, want } => write!(f, "the tag object is named {found:?}, not {want:?}"),
            Problem::OtherStatement { found, want } => {
                write!(f, "the tag is for the statement {found:?}, not {want:?}")
            }
            Problem::NoProposal => write!(f, "the tag names no proposal commit that exists here"),
            Problem::ProposalUnreadable { reason } => {
                write!(f, "the statement's proposal cannot be read from the trunk: {reason}")
            }
            Problem::OtherProposal { named, statement, trunk } => write!(
                f,
                "the tag names the proposal {}, but the trunk's proposal of {statement} is {}",
                short(named),
                short(trunk)
            ),
            Problem::OtherText { claimed, proposed } => {
                write!(f, "the tag approves the text {claimed}, but the proposed text is {proposed}")
            }
            Problem::Amended { now, voted } => write!(
                f,
                "the statement's text on the trunk ({}) is not the text voted on ({}): it was changed after the \
                 proposal",
                short(now),
                short(voted)
            ),
            Problem::ApproverIsNotSigner { claimed, signer } => {
                write!(f, "the tag says it was approved by {claimed:?} but is signed with {signer}'s key")
            }
            Problem::BadSignature => write!(f, "the tag's signature does not match the tag (altered after signing?)"),
            Problem::SharedKey { members } => write!(
                f,
                "the tag is signed with a key that several members list ({}), so it cannot show who signed",
                members.join(", ")
            ),
            Problem::Unsigned => write!(f, "the tag is not signed"),
            Problem::MalformedSignature { reason } => write!(f, "the tag's signature is broken: {reason}"),
            Problem::SignerJoinedLater { member } => {
                write!(f, "the tag is signed by {member}, who joined the roster after the proposal")
            }
            Problem::UnknownKey => {
                write!(f, "the tag is signed with a key that belongs to no member of the electorate")
            }
            Problem::OtherRule { field, claimed, proposal } => {
                write!(f, "the tag says {field} {claimed:?}, but the proposal fixed {proposal:?}")
            }
            Problem::NotATallyCommit { kind } => write!(f, "the tag points at a {kind}, not a tally commit"),
            Problem::FirstParentNotProposal => write!(f, "the tally commit's first parent is not the proposal"),
            Problem::TwoBallotsOfOneMember { member, left_out } => write!(
                f,
                "the tally commit has two ballots of {member} as parents ({} is left out of the recount)",
                short(left_out)
            ),
            Problem::NotABallot { commit } => write!(f, "the tally commit's parent {} is not a ballot", short(commit)),
            Problem::NoApprovalTime => {
                write!(f, "the tag has no tagger line, so no approval time: it cannot close a vote")
            }
            Problem::DatedInTheFuture { at, now } => write!(
                f,
                "the tag is dated {}, in the future (it is now {}): an approval cannot close a vote early by \
                 claiming a later time",
                super::time(at),
                super::time(now)
            ),
            Problem::OtherCount { field, claimed, recount } => write!(
                f,
                "the tag says {} {field}, the recount finds {recount}",
                claimed.as_deref().unwrap_or("nothing for")
            ),
            Problem::OtherBallot { member, listed, choice, counted, counted_choice } => write!(
                f,
                "the tag lists {member}'s ballot {} ({choice}), the recount counts {} ({counted_choice})",
                short(listed),
                short(counted)
            ),
            Problem::ExcludedBallot { member, ballot, reason } => {
                write!(f, "the tag counts {member}'s ballot {}, the recount excludes it: {reason}", short(ballot))
            }
            Problem::UnlistedBallot { member } => {
                write!(f, "the recount counts a ballot of {member} that the tag does not list")
            }
            Problem::LeftOutBallotsChangeIt { ballots, still_passes, arithmetic } => write!(
                f,
                "the tag leaves out valid ballots cast before it closed the vote ({}), and counted they change the \
                 outcome: {}",
                left_out(ballots),
                if *still_passes {
                    "the approval came before the result was decided".to_string()
                } else {
                    format!("the statement does not pass ({})", lines(arithmetic, "; "))
                }
            ),
            Problem::DoesNotPass { arithmetic } => {
                write!(f, "the recount does not pass: {}", lines(arithmetic, "; "))
            }
            Problem::EarlyAndUndecided { at, deadline } => write!(
                f,
                "approved at {} before the deadline {}, while the members who had not voted could still \
                 change the result",
                super::time(at),
                super::time(deadline)
            ),
            Problem::BelowFloor { breach } => write!(
                f,
                "the statement is invalid: its rule is looser than the floors in force at its proposal: {breach}"
            ),
            Problem::OtherContingentFigure { field, claimed, recount } => write!(
                f,
                "the tag says {} for {field}, the recount of the contingents finds {recount:?}",
                claimed.as_deref().map(|c| format!("{c:?}")).unwrap_or_else(|| "nothing".into())
            ),
            Problem::OtherMessage { line, says, recount } => write!(
                f,
                "the tag's message is not the one its recount gives, from line {line}: it says {says:?}, the \
                 recount {recount:?}"
            ),
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::LeftOutBallotsChangeNothing { ballots, yes, no, abstain, electorate } => write!(
                f,
                "the tag leaves out valid ballots cast before it closed the vote ({}); counted, they do not change \
                 the outcome ({yes} yes, {no} no, {abstain} abstain of {electorate}: still passes)",
                left_out(ballots)
            ),
        }
    }
}

/// Problems in one line, as the tables and reports that have room for one show them.
pub fn joined(problems: &[Problem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// Each item's line, joined by `sep`.
pub fn lines<T: std::fmt::Display>(items: &[T], sep: &str) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_problems_are_shortened_and_missing_figures_said_so() {
        let p = Problem::NotABallot { commit: "0123456789abcdef0123".into() };
        assert_eq!(p.to_string(), "the tally commit's parent 0123456789 is not a ballot");
        let p = Problem::OtherCount { field: "yes".into(), claimed: None, recount: 3 };
        assert_eq!(p.to_string(), "the tag says nothing for yes, the recount finds 3");
        let p = Problem::OtherCount { field: "no".into(), claimed: Some("1".into()), recount: 2 };
        assert_eq!(p.to_string(), "the tag says 1 no, the recount finds 2");
    }

    #[test]
    fn a_floor_is_named_with_its_key() {
        let b = Breach::Threshold { rule: "1/100".into(), floor: "2/3".into() };
        assert_eq!(
            b.to_string(),
            "the threshold 1/100 is below the organisation's floor 2/3 (tribune.toml [rules] min_threshold)"
        );
        let b = Breach::Period { rule: 3600, floor: 86400 };
        assert!(b.to_string().starts_with("the voting period 1h (from the proposal to the deadline) is shorter"));
        assert!(b.to_string().ends_with("floor 1d (tribune.toml [rules] min_period)"));
        let p = Problem::BelowFloor { breach: Breach::DoubleMajority };
        assert!(p.to_string().starts_with("the statement is invalid: its rule is looser than the floors"), "{p}");
        assert_eq!(
            serde_json::to_value(&Problem::BelowFloor { breach: b }).unwrap(),
            serde_json::json!({"problem": "below-floor", "breach": {"breach": "period", "rule": 3600, "floor": 86400}})
        );
    }

    #[test]
    fn left_out_ballots_name_each_member_and_a_seq_conflict() {
        let ballots = vec![
            LeftOut {
                member: "ann".into(),
                ballot: "aaaaaaaaaaaaaaaa".into(),
                choice: Some("no".into()),
                seq_conflict: false,
            },
            LeftOut { member: "bo".into(), ballot: "bbbbbbbbbbbbbbbb".into(), choice: None, seq_conflict: true },
        ];
        let arithmetic = vec![crate::model::vote::Check::Majority { yes: 1, no: 2, met: false }];
        let p = Problem::LeftOutBallotsChangeIt { ballots, still_passes: false, arithmetic };
        let text = p.to_string();
        assert!(text.contains("ann's aaaaaaaaaa (no), bo's bbbbbbbbbb (?, now in a seq conflict)"), "{text}");
        assert!(text.ends_with("the statement does not pass (majority: 1 yes > 2 no: not met)"), "{text}");
    }
}
