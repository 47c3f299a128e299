//! The words for the domain's events: each [`Event`] rendered as one warning line.

use crate::events::Event;
use std::io::Write;

/// One event as the line a user reads (without the `warning: ` prefix).
pub fn render(e: &Event) -> String {
    match e {
        Event::WorktreeNotRefreshed { detail, .. } => detail.clone(),
        Event::BrokenRef { refname, why } => {
            format!("{refname} cannot be read ({why}); its records are skipped until it is repaired")
        }
        Event::ReplySkipped { why, .. } => why.clone(),
        Event::ChallengeSkipped { id, why } => format!("challenge {id}: {why}"),
        Event::TagDoesNotCloseVote { tag, slug } => {
            format!("the tag {tag} fails verification, so it does not close the vote (`tribune verify {slug}`)")
        }
        Event::UnsignedRating { rater } => format!(
            "{rater} has a registered key but no signing key is configured, so this rating will show as forged; \
             pass --key FILE or set user.signingkey with gpg.format=ssh"
        ),
        Event::ConfigUnreadable { reason, used } => format!(
            "{reason}; the audit reads the rules of the newest tribune.toml that parses, at {}",
            crate::output::short(used, 10)
        ),
        Event::SharedFilterOfAnother { name, owner, contingent } => format!(
            "the shared filter {name} belongs to {owner} ({contingent}); in a founded commons only they or a member \
             of {contingent} may replace or remove it"
        ),
    }
}

/// Writes every pending event to standard error, each once, as `warning: …`, with the
/// data's control characters shown, not obeyed.
pub fn flush() {
    for e in crate::events::take() {
        let _ = writeln!(std::io::stderr(), "warning: {}", super::clean_text(&render(&e)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_event_is_told_once_and_then_the_queue_is_empty() {
        let e = Event::BrokenRef { refname: "refs/notes/tribune/ratings/x".into(), why: "a blob".into() };
        crate::events::emit(e.clone());
        crate::events::emit(e.clone());
        let got: Vec<Event> = crate::events::take().into_iter().filter(|x| *x == e).collect();
        assert_eq!(got.len(), 1);
        assert!(render(&e).contains("refs/notes/tribune/ratings/x cannot be read (a blob)"));
    }
}
