//! What the domain has to say besides its results: one enum of events (git-absorb's
//! `Announcement`), collected while a command runs and rendered in one place, the
//! presentation layer (`output::events`), as warnings on standard error. The domain never
//! prints; it emits an event and goes on.

use serde::Serialize;
use std::sync::Mutex;

/// Something worth telling the user that does not stop the command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// A commit was recorded on `refname`, but the checked-out work tree could not follow.
    WorktreeNotRefreshed { refname: String, detail: String },
    /// A ref that cannot be read (it points at something that is not what its kind holds):
    /// only its owner's records are skipped.
    BrokenRef { refname: String, why: String },
    /// A reply file of a challenge that is not a valid reply.
    ReplySkipped { file: String, why: String },
    /// A challenge directory that cannot be read.
    ChallengeSkipped { id: String, why: String },
    /// An approval tag that fails verification, so it does not close the vote.
    TagDoesNotCloseVote { tag: String, slug: String },
    /// A rater with a key rated without signing: the rating will show as forged.
    UnsignedRating { rater: String },
    /// A shared filter owned by someone else was replaced or removed (in an unfounded
    /// commons, where that is not refused).
    SharedFilterOfAnother { name: String, owner: String, contingent: String },
    /// tribune.toml at the trunk's tip does not parse: `audit` used the newest one that does
    /// (at commit `used`).
    ConfigUnreadable { reason: String, used: String },
}

static EVENTS: Mutex<Vec<Event>> = Mutex::new(Vec::new());

/// Records an event (from any thread); the same event twice is told once.
pub fn emit(event: Event) {
    let mut events = EVENTS.lock().unwrap_or_else(|e| e.into_inner());
    if !events.contains(&event) {
        events.push(event);
    }
}

/// The events emitted since the last call, oldest first.
pub fn take() -> Vec<Event> {
    std::mem::take(&mut *EVENTS.lock().unwrap_or_else(|e| e.into_inner()))
}
