//! Many refs moved at once in git's `packed-refs` file, under its lock.
//!
//! A sync that pushed two thousand refs moves as many remote-tracking refs; as loose refs
//! that is two thousand lock files written and renamed, which took longer than the push.
//! `git pack-refs` and `git clone` keep refs in `packed-refs`; this writes them there in one
//! rename, each still a compare-and-swap: under `packed-refs.lock`, the lock every git and
//! libgit2 writer of that file takes, a ref moves only when it has no loose file (which would
//! take precedence) and holds the value the caller expects.

use super::{Oid, Repo};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What became of each ref given to [`Repo::update_refs_packed`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PackedUpdate {
    /// Moved, in `packed-refs`.
    pub done: Vec<String>,
    /// Not holding the value expected: left as they are.
    pub moved: Vec<String>,
    /// Not updated here (a loose ref of that name or above it, a lock held by another
    /// process): for the caller to update one by one.
    pub rest: Vec<String>,
}

/// The lock file, removed unless it was renamed into place.
struct Lock(PathBuf);

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

impl Repo {
    /// Moves each `(name, new, expected)` from `expected` (None: absent) to `new` in
    /// `packed-refs`. Only for refs that point at commits (a ref to a tag object would need
    /// its peeled value recorded) and that nothing else in the repository names as a
    /// directory.
    pub fn update_refs_packed(&self, updates: &[(String, Oid, Option<Oid>)]) -> Result<PackedUpdate> {
        let mut out = PackedUpdate::default();
        let common = self.raw().commondir().to_path_buf();
        let file = common.join("packed-refs");
        let lock_path = common.join("packed-refs.lock");
        let lock = match std::fs::OpenOptions::new().write(true).create_new(true).open(&lock_path) {
            Ok(f) => (f, Lock(lock_path.clone())),
            // Another writer has it: one ref at a time, each under its own lock, instead.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                out.rest = updates.iter().map(|(n, _, _)| n.clone()).collect();
                return Ok(out);
            }
            Err(e) => return Err(e).with_context(|| format!("could not create {}", lock_path.display())),
        };
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e).with_context(|| format!("could not read {}", file.display())),
        };
        let (traits, mut entries) = parse(&text);
        let names: HashSet<&str> = entries.keys().map(String::as_str).collect();
        let mut changes = Vec::new();
        // Each ref's own lock too, as git takes it to change a ref wherever it is stored:
        // a transaction holding one has read the ref and will write it.
        let mut held = Vec::new();
        for (name, new, expected) in updates {
            let Some(lock) = lock_ref(&common, name) else {
                out.rest.push(name.clone());
                continue;
            };
            if loose_or_above(&common, name) || ancestors(name).any(|a| names.contains(a)) {
                out.rest.push(name.clone());
                continue;
            }
            let current = entries.get(name).and_then(|lines| lines.first()).and_then(|l| l.get(..40)?.parse().ok());
            if current != *expected {
                out.moved.push(name.clone());
                continue;
            }
            changes.push((name.clone(), *new));
            held.push(lock);
        }
        drop(names);
        if changes.is_empty() {
            return Ok(out);
        }
        for (name, new) in changes {
            entries.insert(name.clone(), vec![format!("{new} {name}")]);
            out.done.push(name);
        }
        // The traits the file had, and `sorted`: entries are written in name order (bytes,
        // as git compares them).
        let mut header = String::from("# pack-refs with:");
        for t in traits.iter().filter(|t| *t != "sorted") {
            header.push(' ');
            header.push_str(t);
        }
        header.push_str(" sorted \n");
        let mut body = String::with_capacity(text.len() + out.done.len() * 100 + header.len());
        body.push_str(&header);
        for lines in entries.values() {
            for l in lines {
                body.push_str(l);
                body.push('\n');
            }
        }
        let (mut f, lock) = lock;
        f.write_all(body.as_bytes()).with_context(|| format!("could not write {}", lock_path.display()))?;
        drop(f);
        std::fs::rename(&lock.0, &file).with_context(|| format!("could not replace {}", file.display()))?;
        std::mem::forget(lock);
        drop(held);
        Ok(out)
    }
}

/// The header's traits and the entries of a `packed-refs` file: each ref's line and the
/// peeled line (`^<id>`) after it, if any, by name.
fn parse(text: &str) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let mut traits = Vec::new();
    let mut entries: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("# pack-refs with:") {
            traits = h.split_whitespace().map(str::to_string).collect();
        } else if line.starts_with('^') {
            if let Some(lines) = last.as_ref().and_then(|n| entries.get_mut(n)) {
                lines.push(line.to_string());
            }
        } else if let Some((_, name)) = line.split_once(' ') {
            entries.insert(name.to_string(), vec![line.to_string()]);
            last = Some(name.to_string());
        }
    }
    (traits, entries)
}

/// Takes the lock of the ref `name` (`<name>.lock`, created, with its directories); None
/// when another process holds it or it cannot be made.
fn lock_ref(common: &Path, name: &str) -> Option<Lock> {
    let path = common.join(format!("{name}.lock"));
    std::fs::create_dir_all(path.parent()?).ok()?;
    std::fs::OpenOptions::new().write(true).create_new(true).open(&path).ok()?;
    Some(Lock(path))
}

/// `refs/a/b/c` → `refs/a/b`, `refs/a`, `refs`.
fn ancestors(name: &str) -> impl Iterator<Item = &str> {
    name.char_indices().filter(|(_, c)| *c == '/').map(move |(i, _)| &name[..i])
}

/// Whether a loose ref is at `name`, or a file where one of its directories should be.
fn loose_or_above(common: &Path, name: &str) -> bool {
    std::fs::symlink_metadata(common.join(name)).is_ok()
        || ancestors(name).any(|a| std::fs::symlink_metadata(common.join(a)).is_ok_and(|m| !m.is_dir()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_refs_keep_peeled_lines_and_sort_new_names_in() {
        let text = "# pack-refs with: peeled fully-peeled \n\
                    1111111111111111111111111111111111111111 refs/tags/t\n\
                    ^2222222222222222222222222222222222222222\n\
                    3333333333333333333333333333333333333333 refs/heads/main\n";
        let (traits, entries) = parse(text);
        assert_eq!(traits, ["peeled", "fully-peeled"]);
        assert_eq!(entries.keys().collect::<Vec<_>>(), ["refs/heads/main", "refs/tags/t"]);
        assert_eq!(entries["refs/tags/t"].len(), 2);
        assert_eq!(ancestors("refs/a/b").collect::<Vec<_>>(), ["refs", "refs/a"]);
    }

    /// Each ref moves only from the value expected, a loose ref is left to the caller, and
    /// git reads the result (its refs, and the others' as they were).
    #[test]
    fn refs_moved_in_packed_refs_are_compare_and_swaps_git_reads() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(tmp.path(), "main").unwrap();
        let (a, b) = (repo.write_blob(b"a").unwrap(), repo.write_blob(b"b").unwrap());
        // A packed ref, and a loose one.
        std::fs::write(tmp.path().join("packed-refs"), format!("# pack-refs with: peeled \n{a} refs/x/packed\n"))
            .unwrap();
        std::fs::create_dir_all(tmp.path().join("refs/x")).unwrap();
        std::fs::write(tmp.path().join("refs/x/loose"), format!("{a}\n")).unwrap();
        // A transaction of another process holds this ref's lock.
        std::fs::write(tmp.path().join("refs/x/held.lock"), "").unwrap();
        let update = |name: &str, expected| (name.to_string(), b, expected);
        let got = repo
            .update_refs_packed(&[
                update("refs/x/packed", Some(a)),
                update("refs/x/new", None),
                update("refs/x/loose", Some(a)),
                update("refs/x/stale", Some(a)),
                update("refs/x/packed/below", None),
                update("refs/x/held", None),
            ])
            .unwrap();
        assert_eq!(got.done, ["refs/x/packed", "refs/x/new"]);
        assert_eq!(got.moved, ["refs/x/stale"]);
        assert_eq!(got.rest, ["refs/x/loose", "refs/x/packed/below", "refs/x/held"]);
        assert!(!tmp.path().join("packed-refs.lock").exists());
        // The locks taken are released; the other process's is left alone.
        assert!(!tmp.path().join("refs/x/packed.lock").exists() && !tmp.path().join("refs/x/new.lock").exists());
        assert!(tmp.path().join("refs/x/held.lock").exists());
        let text = std::fs::read_to_string(tmp.path().join("packed-refs")).unwrap();
        assert_eq!(text, format!("# pack-refs with: peeled sorted \n{b} refs/x/new\n{b} refs/x/packed\n"));
        assert_eq!(repo.ref_target("refs/x/packed").unwrap(), Some(b));
        assert_eq!(repo.ref_target("refs/x/loose").unwrap(), Some(a));
        // Another writer holding the lock: nothing is done here.
        std::fs::write(tmp.path().join("packed-refs.lock"), "").unwrap();
        let got = repo.update_refs_packed(&[update("refs/x/other", None)]).unwrap();
        assert_eq!(got.rest, ["refs/x/other"]);
        assert!(repo.ref_target("refs/x/other").unwrap().is_none());
    }
}
