//! The remembered answers of `founded_at`: whether a root of authority is (an ancestor of)
//! a commit, in `.git/tribune/founded.tsv`, read once per process. The answer for a pair
//! of commits never changes; a walk of ten thousand commits to find it again does.

use crate::git::{Oid, Repo};
use std::collections::HashMap;
use std::sync::Mutex;

/// (root, commit) → whether the root is an ancestor of (or is) the commit.
type Answers = HashMap<(Oid, Oid), bool>;

/// The answers of the repository whose file they were read from.
static MEMO: Mutex<Option<(std::path::PathBuf, Answers)>> = Mutex::new(None);

fn path(repo: &Repo) -> std::path::PathBuf {
    repo.git_dir().join("tribune").join("founded.tsv")
}

fn with<T>(repo: &Repo, f: impl FnOnce(&mut Answers) -> T) -> T {
    let mut guard = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    let path = path(repo);
    if guard.as_ref().is_none_or(|(p, _)| *p != path) {
        let mut map = HashMap::new();
        for line in std::fs::read_to_string(&path).unwrap_or_default().lines() {
            let mut f = line.split(' ');
            if let (Some(Ok(r)), Some(Ok(c)), Some(v)) = (f.next().map(str::parse), f.next().map(str::parse), f.next())
            {
                if v == "0" || v == "1" {
                    map.insert((r, c), v == "1");
                }
            }
        }
        *guard = Some((path, map));
    }
    let (_, map) = guard.as_mut().expect("loaded above");
    f(map)
}

pub(super) fn get(repo: &Repo, root: Oid, at: Oid) -> Option<bool> {
    with(repo, |m| m.get(&(root, at)).copied())
}

/// Remembers an answer (a line appended; a failed write costs a later walk, nothing else).
pub(super) fn put(repo: &Repo, root: Oid, at: Oid, founded: bool) {
    let new = with(repo, |m| m.insert((root, at), founded).is_none());
    if new {
        use std::io::Write;
        let path = path(repo);
        let _ = std::fs::create_dir_all(path.parent().unwrap_or(&path));
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(&path) {
            let _ = f.write_all(format!("{root} {at} {}\n", u8::from(founded)).as_bytes());
        }
    }
}
