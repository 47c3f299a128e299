//! Compare-and-swap ref updates (DESIGN invariant 2).
//!
//! Every update, creation included, takes the ref's lock first (git's own `<ref>.lock`
//! file, so git and tribune exclude each other), reads the ref under the lock, and writes
//! only when it still holds the value the writer built on. libgit2's `reference(…, force =
//! false)` checks that a ref is absent *before* it takes the lock, so two creators could
//! both "succeed" and the first creation was silently overwritten; a libgit2 transaction
//! has no such gap. A ref that moved is reported as [`RefUpdate::Moved`] so that the caller
//! reads it again and rebuilds its change on the new tip. A lock held by another process
//! is waited out with jittered backoff; a lock that nobody releases is reported by its file
//! name, with why removing it is safe.

use super::{Oid, Repo};
use crate::error::fail;
use anyhow::{anyhow, Context, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// What happened to a compare-and-swap.
#[derive(Debug, PartialEq, Eq)]
pub enum RefUpdate {
    /// The ref now points at the new value.
    Done,
    /// The ref no longer held the expected value: read it again and redo the work.
    Moved,
}

/// How long a writer waits for other processes' ref locks before giving up.
pub(super) const LOCK_PATIENCE: Duration = Duration::from_secs(30);

/// A lock file unchanged for this long belongs to no live writer: git and tribune hold a
/// ref's lock for milliseconds (write the new id, rename the file into place), so one this
/// old was left by a process that was killed between taking and releasing it.
pub(super) const STALE_AFTER: Duration = Duration::from_secs(5);

/// One try at the compare-and-swap.
enum Attempt {
    Done,
    Moved,
    /// Another process holds the ref's lock.
    Locked,
}

impl Repo {
    /// Moves `name` from `expected` (None: the ref must not exist) to `new`, as a
    /// compare-and-swap under the ref's lock.
    pub fn update_ref(&self, name: &str, new: Oid, expected: Option<Oid>, log_message: &str) -> Result<RefUpdate> {
        self.swap_ref(name, Some(new), expected, log_message)
    }

    /// Deletes `name` if it still holds `expected`, as a compare-and-swap under the ref's
    /// lock (Moved: it holds something else, or nothing, and is left as it is).
    pub fn delete_ref(&self, name: &str, expected: Oid) -> Result<RefUpdate> {
        self.swap_ref(name, None, Some(expected), "")
    }

    /// [`Repo::update_ref`], or a deletion when `new` is None.
    fn swap_ref(&self, name: &str, new: Option<Oid>, expected: Option<Oid>, log_message: &str) -> Result<RefUpdate> {
        let started = Instant::now();
        let mut attempt: u32 = 0;
        loop {
            match self.try_update_ref(name, new, expected, log_message)? {
                Attempt::Done => return Ok(RefUpdate::Done),
                Attempt::Moved => return Ok(RefUpdate::Moved),
                Attempt::Locked => {
                    let lock = self.lock_path(name);
                    if let Some(age) = lock_age(&lock).filter(|a| *a >= STALE_AFTER) {
                        return Err(stale_lock(&format!("could not update {name}"), &lock, Some(age)));
                    }
                    if started.elapsed() > LOCK_PATIENCE {
                        return Err(fail(
                            format!(
                                "could not update {name}: other processes kept it locked for {}s",
                                LOCK_PATIENCE.as_secs()
                            ),
                            "try again when they are done",
                        ));
                    }
                    attempt += 1;
                    std::thread::sleep(backoff(attempt));
                }
            }
        }
    }

    fn try_update_ref(
        &self,
        name: &str,
        new: Option<Oid>,
        expected: Option<Oid>,
        log_message: &str,
    ) -> Result<Attempt> {
        let repo = self.raw();
        let mut tx = repo.transaction().with_context(|| format!("could not start updating {name}"))?;
        match tx.lock_ref(name) {
            Ok(()) => {}
            Err(e) if e.code() == git2::ErrorCode::Locked => return Ok(Attempt::Locked),
            Err(e) => return Err(anyhow!("could not lock {name}: {}", e.message())),
        }
        // Under the lock nobody else can move the ref: what it holds now is what we replace.
        // (Dropping the transaction releases the lock untouched.)
        if self.direct_target(name)? != expected {
            return Ok(Attempt::Moved);
        }
        match new {
            Some(new) => tx.set_target(name, new.0, None, log_message),
            None => tx.remove(name),
        }
        .with_context(|| format!("could not update {name}"))?;
        tx.commit().with_context(|| format!("could not update {name}"))?;
        Ok(Attempt::Done)
    }

    /// What `name` itself points at (None: no such ref). A symbolic ref is refused: moving
    /// it would replace the link, not the branch it names.
    fn direct_target(&self, name: &str) -> Result<Option<Oid>> {
        match self.raw().find_reference(name) {
            Ok(r) => match r.target() {
                Some(id) => Ok(Some(Oid(id))),
                None => Err(anyhow!("{name} is a symbolic ref; tribune updates only the ref it points at")),
            },
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not read ref {name}: {}", e.message())),
        }
    }

    /// The lock file git and libgit2 create to update `name`: beside the loose ref, in the
    /// common git directory (a linked work tree's own refs stay in its git directory).
    fn lock_path(&self, name: &str) -> PathBuf {
        let per_worktree = !name.starts_with("refs/")
            || ["refs/bisect/", "refs/worktree/", "refs/rewritten/"].iter().any(|p| name.starts_with(p));
        let base = if per_worktree { self.git_dir() } else { self.raw().commondir() };
        base.join(format!("{name}.lock"))
    }
}

/// How long ago the lock file was last written; None when it is gone.
pub(super) fn lock_age(lock: &Path) -> Option<Duration> {
    let modified = std::fs::metadata(lock).ok()?.modified().ok()?;
    Some(SystemTime::now().duration_since(modified).unwrap_or_default())
}

/// The error for a lock nobody releases: which file to remove and why that is safe. `age`
/// is how long it has been there; None when git reported it (see `remote`).
pub fn stale_lock(what: &str, lock: &Path, age: Option<Duration>) -> anyhow::Error {
    let held = match age {
        Some(a) => format!("{} has been there for {}s", lock.display(), a.as_secs()),
        None => format!("{} is in the way", lock.display()),
    };
    fail(format!("{what}: its lock file {held}"), stale_lock_hint(lock))
}

/// Why a lock file nobody holds may go, and how to remove it.
pub fn stale_lock_hint(lock: &Path) -> String {
    format!(
        "if no git or tribune process is running on this repository, the lock is stale (left by a process that \
         was killed) and it is safe to remove it: rm {} (git and tribune change a ref or file only by renaming \
         its lock file into place, so it still holds its last complete value and nothing reported as written is \
         lost)",
        shell_word(lock)
    )
}

/// `path` as one shell word.
pub fn shell_word(path: &Path) -> String {
    let s = path.display().to_string();
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-+=:@,".contains(&b)) {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_with_commit() -> (tempfile::TempDir, Repo, Oid, Oid) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(dir.path(), "main").unwrap();
        let tree = repo.empty_tree().unwrap();
        let who = crate::git::Identity {
            name: "T".into(),
            email: "t@example.org".into(),
            when: crate::git::Timestamp { seconds: 0, offset_minutes: 0 },
        };
        let a = repo.write_commit(tree, &[], &who, &who, "a", None).unwrap();
        let b = repo.write_commit(tree, &[a], &who, &who, "b", None).unwrap();
        (dir, repo, a, b)
    }

    #[test]
    fn creating_a_ref_that_exists_is_a_move_and_changes_nothing() {
        let (_dir, repo, a, b) = repo_with_commit();
        assert_eq!(repo.update_ref("refs/heads/x", a, None, "t").unwrap(), RefUpdate::Done);
        assert_eq!(repo.update_ref("refs/heads/x", b, None, "t").unwrap(), RefUpdate::Moved);
        assert_eq!(repo.ref_target("refs/heads/x").unwrap(), Some(a));
        assert_eq!(repo.update_ref("refs/heads/x", b, Some(b), "t").unwrap(), RefUpdate::Moved);
        assert_eq!(repo.update_ref("refs/heads/x", b, Some(a), "t").unwrap(), RefUpdate::Done);
        assert_eq!(repo.update_ref("refs/heads/gone", b, Some(a), "t").unwrap(), RefUpdate::Moved);
        assert_eq!(repo.ref_target("refs/heads/gone").unwrap(), None);
        assert!(!repo.git_dir().join("refs/heads/x.lock").exists(), "a lost race leaves no lock behind");
    }

    #[test]
    fn a_stale_lock_names_its_file_and_leaves_the_ref_alone() {
        let (_dir, repo, a, b) = repo_with_commit();
        repo.update_ref("refs/heads/x", a, None, "t").unwrap();
        let lock = repo.git_dir().join("refs/heads/x.lock");
        std::fs::write(&lock, b.to_string()).unwrap();
        let old = SystemTime::now() - Duration::from_secs(60);
        std::fs::File::options().write(true).open(&lock).unwrap().set_modified(old).unwrap();
        let err = repo.update_ref("refs/heads/x", b, Some(a), "t").unwrap_err();
        let (_, hint) = crate::error::classify(&err);
        assert!(err.to_string().contains(&lock.display().to_string()), "{err}");
        let hint = hint.unwrap();
        assert!(hint.contains("no git or tribune process is running on this repository"), "{hint}");
        assert!(hint.contains(&format!("rm {}", lock.display())), "{hint}");
        assert_eq!(repo.ref_target("refs/heads/x").unwrap(), Some(a));
        std::fs::remove_file(&lock).unwrap();
        assert_eq!(repo.update_ref("refs/heads/x", b, Some(a), "t").unwrap(), RefUpdate::Done);
    }
}
