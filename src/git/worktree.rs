//! Keeping a clone's work tree in step with tribune's commits, without ever trusting it.
//!
//! The work tree holds whatever was committed, symlinks included. As `git checkout` does,
//! a symlink (or file) where tribune needs a directory or a file is replaced by the real
//! thing, never followed: a committed `articles/<xx> -> /elsewhere` must not make tribune
//! write outside the repository.

use super::{Oid, Repo};
use anyhow::Result;
use std::path::Path;

/// What the work tree has at a path, looked at without following a symlink.
#[derive(Debug, PartialEq)]
enum OnDisk {
    Absent,
    /// A file or a symlink, with the blob id git gives it (a symlink's is its target path).
    Blob {
        id: Oid,
        symlink: bool,
    },
    Dir,
}

fn on_disk(path: &Path) -> Result<OnDisk> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            return Ok(OnDisk::Absent)
        }
        Err(e) => return Err(e.into()),
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(path)?;
        return Ok(OnDisk::Blob { id: Oid::hash_blob(&os_bytes(target.as_os_str()))?, symlink: true });
    }
    if meta.is_dir() {
        return Ok(OnDisk::Dir);
    }
    Ok(OnDisk::Blob { id: Oid::hash_blob(&std::fs::read(path)?)?, symlink: false })
}

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    s.as_bytes().to_vec()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().replace('\\', "/").into_bytes()
}

/// How one path of a commit can be brought into the work tree.
enum Plan {
    /// It matches the old tree: check it out, after removing `replace` (committed symlinks
    /// or files in the way, unchanged since, which the new tree no longer has).
    Clean { replace: Vec<String> },
    /// The user changed it: leave the work tree alone.
    Dirty,
    /// Something tribune did not put there (a symlink or a file) is where a directory on its
    /// way should be: leave the work tree alone rather than follow or remove it.
    Blocked { by: String },
}

impl Repo {
    /// How `path` can follow the commit in the work tree at `workdir`, given the tree the
    /// work tree was checked out from.
    fn plan(&self, workdir: &Path, old_tree: Option<Oid>, path: &str) -> Result<Plan> {
        let tracked = |p: &str| -> Result<Option<Oid>> {
            Ok(match old_tree {
                Some(t) => self.entry_at(t, p)?.filter(|e| !e.is_tree).map(|e| e.id),
                None => None,
            })
        };
        let comps: Vec<&str> = path.split('/').collect();
        let mut replace = Vec::new();
        // Every directory on the way must be a real directory, or absent.
        for i in 1..comps.len() {
            let prefix = comps[..i].join("/");
            match on_disk(&workdir.join(&prefix))? {
                OnDisk::Absent => break,
                OnDisk::Dir => continue,
                OnDisk::Blob { id, .. } if tracked(&prefix)? == Some(id) => {
                    // Committed there and untouched: git would replace it; so does tribune.
                    replace.push(prefix);
                    break;
                }
                OnDisk::Blob { .. } => return Ok(Plan::Blocked { by: prefix }),
            }
        }
        let expected = tracked(path)?;
        let actual = if replace.is_empty() {
            match on_disk(&workdir.join(path))? {
                OnDisk::Absent => None,
                OnDisk::Dir => return Ok(Plan::Dirty),
                OnDisk::Blob { id, symlink } => {
                    if symlink && expected == Some(id) {
                        // Never write through it: the real file takes its place.
                        replace.push(path.to_string());
                    }
                    Some(id)
                }
            }
        } else {
            None
        };
        Ok(if actual == expected { Plan::Clean { replace } } else { Plan::Dirty })
    }

    /// After `refname` moved from `old_tree` to `new_tree`, brings the work tree and the
    /// index up to date for `paths`, when HEAD is that branch in a non-bare repository.
    /// Without this, `git status` in a clone would show tribune's commit as staged undone.
    /// A path the user changed locally is never overwritten: the refresh is skipped and
    /// the returned warning says what to do. The commit itself is already safe in git.
    /// A symlink is never followed: one in the way is replaced, as git replaces it.
    pub fn refresh_worktree(
        &self,
        refname: &str,
        old_tree: Option<Oid>,
        new_tree: Oid,
        paths: &[String],
    ) -> Option<String> {
        let workdir = self.work_dir()?.to_path_buf();
        if self.head_branch().map(|b| format!("refs/heads/{b}")).as_deref() != Some(refname) || paths.is_empty() {
            return None;
        }
        let attempt = || -> Result<Option<String>> {
            // Paths the user changed in the work tree are left alone; every other one follows.
            let mut dirty = Vec::new();
            let mut clean = Vec::new();
            let mut replaced = Vec::new();
            let mut blocked = Vec::new();
            for p in paths {
                match self.plan(&workdir, old_tree, p)? {
                    Plan::Clean { replace } => {
                        clean.push(p.clone());
                        replaced.extend(replace);
                    }
                    Plan::Dirty => dirty.push(p.as_str()),
                    Plan::Blocked { by } => {
                        dirty.push(p.as_str());
                        blocked.push(format!("{by} is in the way of {p} and is not tribune's to follow or remove"));
                    }
                }
            }
            replaced.sort();
            replaced.dedup();
            for r in &replaced {
                // Removes the link itself (or the file), never what a link points to.
                match std::fs::remove_file(workdir.join(r)) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if !clean.is_empty() {
                let tree = self.inner.find_tree(new_tree.0)?;
                let mut co = git2::build::CheckoutBuilder::new();
                co.force().remove_untracked(false);
                // A replaced entry is checked out too, so the index forgets it.
                for p in clean.iter().chain(&replaced) {
                    co.path(p);
                }
                self.inner.checkout_tree(tree.as_object(), Some(&mut co))?;
            }
            if dirty.is_empty() {
                return Ok(None);
            }
            // The index follows the commit for the dirty paths too, so that `git status`
            // shows the user's edits as their own changes, not the commit's as undone.
            let mut index = self.inner.index()?;
            let tree = self.inner.find_tree(new_tree.0)?;
            for p in &dirty {
                match tree.get_path(Path::new(p)) {
                    Ok(entry) => {
                        let mut ie = git2::IndexEntry {
                            ctime: git2::IndexTime::new(0, 0),
                            mtime: git2::IndexTime::new(0, 0),
                            dev: 0,
                            ino: 0,
                            mode: entry.filemode() as u32,
                            uid: 0,
                            gid: 0,
                            file_size: 0,
                            id: entry.id(),
                            flags: 0,
                            flags_extended: 0,
                            path: p.as_bytes().to_vec(),
                        };
                        ie.flags = (p.len().min(0xfff)) as u16;
                        index.add(&ie)?;
                    }
                    Err(_) => {
                        let _ = index.remove_path(Path::new(p));
                    }
                }
            }
            index.write()?;
            if !blocked.is_empty() {
                return Ok(Some(format!(
                    "{}; tribune left the work tree as it was (the commit is recorded on {refname}; see `git status`)",
                    blocked.join("; ")
                )));
            }
            Ok(Some(format!(
                "{} {} local changes in the work tree, so tribune left {} as {} (the commit is recorded on \
                 {refname}; see `git status`)",
                dirty.join(", "),
                if dirty.len() == 1 { "has" } else { "have" },
                if dirty.len() == 1 { "it" } else { "them" },
                if dirty.len() == 1 { "it was" } else { "they were" },
            )))
        };
        match attempt() {
            Ok(w) => w,
            Err(e)
                if e.chain()
                    .any(|c| c.downcast_ref::<git2::Error>().is_some_and(|g| g.code() == git2::ErrorCode::Locked)) =>
            {
                let lock = self.git_dir().join("index.lock");
                Some(format!(
                    "could not refresh the work tree: its lock file {} is in the way; {}. The commit is recorded \
                     on {refname}; once the lock is gone, `git checkout HEAD -- {}` brings the work tree up to date",
                    lock.display(),
                    super::refs::stale_lock_hint(&lock),
                    paths.join(" ")
                ))
            }
            Err(e) => Some(format!("could not refresh the work tree ({e:#}); the commit is recorded on {refname}")),
        }
    }
}
