//! The hub's refusals in words: one line each, which the pusher sees as `remote: …`.

use crate::governance::hook::Refusal;
use crate::model::words::short;

/// One refused ref update, one line.
pub fn refusal(refname: &str, r: &Refusal) -> String {
    let why = match r {
        Refusal::Malformed => "not a ref tribune takes: tribune's refs are refs/heads/contingents/<id>, \
                               refs/notes/tribune/ratings/<rater>, refs/tribune/ballots/<statement>/<member>, \
                               refs/tribune/channels/<contingent>/<channel>, \
                               refs/tribune/member-channels/<member>/<channel> and refs/tags/statements/<slug>, \
                               each part an id"
            .to_string(),
        Refusal::NotACommit { object } => format!("{} is not a commit", short(object, 10)),
        Refusal::TrunkDeleted => "the trunk is never deleted".to_string(),
        Refusal::TrunkNotFastForward { old, .. } => format!(
            "not a fast-forward of {}: the trunk's history is never rewritten (fetch and merge, then push: `tribune \
             sync`)",
            short(old, 10)
        ),
        Refusal::NotACommons => "the pushed trunk has no tribune.toml: it is not a commons".to_string(),
        Refusal::Broken { finding } => super::audit::finding(finding),
        Refusal::EditionDeleted { contingent } => {
            format!("{contingent}'s edition is never deleted at the hub")
        }
        Refusal::EditionRewritten { contingent, signer } => format!(
            "rewrites {contingent}'s edition (not a fast-forward), {}: only a member of {contingent} may",
            by(signer)
        ),
        Refusal::EditionNotSigned { contingent, commit, signer } => format!(
            "commit {} of {contingent}'s edition, {}: only a member of {contingent} may add to it",
            crate::model::words::short(commit, 10),
            by(signer)
        ),
        Refusal::BallotDeleted { member } => format!("{member}'s ballots are never deleted"),
        Refusal::BallotRewritten { member } => {
            format!("rewrites {member}'s ballots (not a fast-forward): a ballot is never taken back")
        }
        Refusal::BallotNotSigned { member, commit } => format!(
            "commit {} is not signed by {member}: only {member}, with their own key, puts commits on their ballot ref",
            short(commit, 10)
        ),
        Refusal::NotesDeleted { rater } => {
            format!("{rater}'s ratings are never deleted ({rater} has a key: only they sign their ratings)")
        }
        Refusal::NotesRewritten { rater } => {
            format!("rewrites {rater}'s ratings (not a fast-forward): only {rater} signs their ratings")
        }
        Refusal::NotesNotSigned { rater, commit } => format!(
            "commit {} is not signed by {rater}, who has a key: only {rater} signs their ratings",
            short(commit, 10)
        ),
        Refusal::ChannelDeleted { channel } => {
            format!("the channel {channel} is never deleted (`tribune channel remove` closes it, keeping its editions)")
        }
        Refusal::ChannelRewritten { channel } => {
            format!("rewrites the channel {channel} (not a fast-forward): what a channel published is never taken back")
        }
        Refusal::ChannelOfAnother { channel, commit, named } => format!(
            "commit {} was made for the channel {}, not {channel}: a channel's commits are not copied under another's name",
            short(commit, 10),
            super::clean_text(named)
        ),
        Refusal::ChannelUnreadable { channel, why } => {
            format!("the new tip of the channel {channel} is not one tribune can read: {why}")
        }
        Refusal::PinNotItsArticle { why, .. } => {
            format!("{why}; pick the article again with `tribune channel pick` rather than editing the channel with git")
        }
        Refusal::ChannelNotSigned { channel, contingent, commit, signer } => format!(
            "commit {} of the channel {channel}, {}: only a member of {contingent} may change it",
            crate::model::words::short(commit, 10),
            by(signer)
        ),
        Refusal::MemberChannelNotSigned { channel, member, commit, signer } => format!(
            "commit {} of the channel {channel}, {}: only {member} may change their own channel",
            crate::model::words::short(commit, 10),
            by(signer)
        ),
        Refusal::TagDeleted => "an approval tag is never deleted".to_string(),
        Refusal::TagMoved => "an approval tag is never moved".to_string(),
        Refusal::TagDoesNotVerify { problems } => {
            format!("the approval does not verify: {}", super::verification::joined(problems))
        }
        Refusal::NoCommons => "the hub has no trunk with tribune.toml to judge it by: push the trunk first".to_string(),
    };
    crate::output::clean(&format!("tribune: refused {refname}: {why}"))
}

/// Said once per push to an unfounded commons.
pub const UNFOUNDED: &str = "this commons is unfounded (no signed root), so the hub cannot guard the roster, \
                             the rules, articles or editions; it refuses rewrites of the trunk, malformed refs, \
                             unsigned ballots and ratings, and approvals that do not verify";

fn by(signer: &Option<String>) -> String {
    match signer {
        Some(s) => format!("signed by {s}"),
        None => "not signed by any member of the authorised roster".to_string(),
    }
}
