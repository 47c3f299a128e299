//! Compare-and-swap ref updates (DESIGN invariant 2).
//!
//! A ref moves only from the value the writer read: `reference_matching` with the old id,
//! or a create that fails when the ref already exists. A lock held by another process is
//! waited out with jittered backoff; a ref that moved underneath us is reported as
//! [`RefUpdate::Moved`] so the caller re-reads and rebuilds its change.

use super::{Oid, Repo};
use anyhow::{anyhow, Result};
use std::time::{Duration, Instant};

/// What happened to a compare-and-swap.
#[derive(Debug, PartialEq, Eq)]
pub enum RefUpdate {
    /// The ref now points at the new value.
    Done,
    /// The ref no longer held the expected value: read it again and redo the work.
    Moved,
}

/// How long a writer waits for another process's ref lock before giving up.
const LOCK_PATIENCE: Duration = Duration::from_secs(30);

impl Repo {
    /// Moves `name` from `expected` (None: the ref must not exist) to `new`.
    pub fn update_ref(&self, name: &str, new: Oid, expected: Option<Oid>, log_message: &str) -> Result<RefUpdate> {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            let result = match expected {
                Some(old) => self.raw().reference_matching(name, new.0, true, old.0, log_message),
                None => self.raw().reference(name, new.0, false, log_message),
            };
            match result {
                Ok(_) => return Ok(RefUpdate::Done),
                Err(e) => match e.code() {
                    git2::ErrorCode::Modified | git2::ErrorCode::Exists => return Ok(RefUpdate::Moved),
                    // A missing ref when we expected a value is a move too (someone deleted it).
                    git2::ErrorCode::NotFound if expected.is_some() => return Ok(RefUpdate::Moved),
                    git2::ErrorCode::Locked => {
                        if started.elapsed() > LOCK_PATIENCE {
                            return Err(anyhow!(
                                "could not update {name}: it has been locked by another process for {}s; \
                                 if no other git or tribune process is running, remove the stale .lock file",
                                LOCK_PATIENCE.as_secs()
                            ));
                        }
                        attempt += 1;
                        std::thread::sleep(backoff(attempt));
                    }
                    _ => return Err(anyhow!("could not update {name}: {}", e.message())),
                },
            }
        }
    }
}

/// Exponential backoff from 1 ms to about 100 ms, jittered so that contending processes
/// do not retry in lock step.
pub fn backoff(attempt: u32) -> Duration {
    let base = 1u64 << attempt.min(7);
    let clock =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let nanos = clock as u64 ^ std::process::id() as u64;
    let jitter = (nanos.wrapping_mul(2654435761) >> 7) % (base * 1000 + 1);
    Duration::from_micros(base * 500 + jitter)
}
