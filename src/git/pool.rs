//! Work on many objects spread over the machine's cores, each thread with its own handle
//! on the repository.

use super::{Oid, Repo};
use anyhow::{anyhow, Context, Result};

impl Repo {
    /// Reads many blobs and maps each with `f`, in order, spread over the cores when
    /// there are many (see [`Repo::par_map`]).
    pub fn map_blobs<T: Send>(&self, ids: &[Oid], f: impl Fn(Oid, &[u8]) -> T + Sync) -> Result<Vec<T>> {
        self.par_map(ids, 2_000, |repo, id| repo.read_blob_ref(*id, |b| f(*id, b)))
    }

    /// Maps `items` with `f` in order; from `min` items on, the work is spread over the
    /// machine's cores, each thread with its own handle on the repository (a libgit2
    /// repository must not be shared between threads).
    pub fn par_map<I: Sync, T: Send>(
        &self,
        items: &[I],
        min: usize,
        f: impl Fn(&Repo, &I) -> Result<T> + Sync,
    ) -> Result<Vec<T>> {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
        if items.len() < min || threads < 2 {
            return items.iter().map(|i| f(self, i)).collect();
        }
        let chunk = items.len().div_ceil(threads);
        let path = self.git_dir();
        let f = &f;
        std::thread::scope(|scope| {
            let handles: Vec<_> = items
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || -> Result<Vec<T>> {
                        let repo = Repo::open_git_dir(path)?;
                        part.iter().map(|i| f(&repo, i)).collect()
                    })
                })
                .collect();
            let mut out = Vec::with_capacity(items.len());
            for h in handles {
                out.extend(h.join().map_err(|_| anyhow!("a worker thread failed"))??);
            }
            Ok(out)
        })
    }

    /// A handle of its own on the repository whose git directory is `path` (see
    /// [`Repo::git_dir`]), for another thread.
    ///
    /// The handle reads objects through a pack index and pack map of its own. libgit2 shares
    /// one of each per pack file path across the process, behind a lock taken on every
    /// object read: two threads reading one pack spent a sixth of a cold index build waiting
    /// on each other in the kernel. Each handle names the object directory by a path of its
    /// own (`<git dir>/./objects`, `<git dir>/././objects`, ...), which libgit2 keeps apart.
    pub fn open_git_dir(path: &std::path::Path) -> Result<Repo> {
        let inner = git2::Repository::open_bare(path)
            .or_else(|_| git2::Repository::open(path))
            .with_context(|| format!("could not open the repository at {}", path.display()))?;
        if let Some(odb) = own_object_database(inner.path()) {
            inner.set_odb(&odb).context("could not open the object database")?;
        }
        Ok(Repo::wrap(inner))
    }

    fn read_blob_ref<R>(&self, id: Oid, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        if let Some((super::packread::Kind::Blob, bytes)) = self.read_packed(id) {
            return Ok(f(&bytes));
        }
        let blob = self.inner.find_blob(id.0).with_context(|| format!("could not read blob {id}"))?;
        Ok(f(blob.content()))
    }
}

/// An object database reading `<git dir>/objects` (and its alternates) under a path no other
/// handle of this process uses at the same time; None when it cannot be made (the handle
/// then keeps libgit2's shared one, which reads the same objects, only slower in parallel).
///
/// A push's objects in quarantine (GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES,
/// while a hook runs) are read too, as [`Repo::open_from_env`] reads them.
pub(super) fn own_object_database(git_dir: &std::path::Path) -> Option<git2::Odb<'static>> {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 16 + 1;
    let objects = git_dir.join("objects");
    if !objects.is_dir() {
        return None;
    }
    let mut distinct = git_dir.to_path_buf();
    for _ in 0..n {
        distinct.push(".");
    }
    distinct.push("objects");
    let odb = git2::Odb::new().ok()?;
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
    if let Some(q) = std::env::var_os("GIT_OBJECT_DIRECTORY").filter(|q| !q.is_empty()) {
        dirs.push(q.into());
    }
    dirs.push(distinct);
    if let Some(alt) = std::env::var("GIT_ALTERNATE_OBJECT_DIRECTORIES").ok().filter(|a| !a.is_empty()) {
        dirs.extend(alternate_dirs(&alt));
    }
    for dir in dirs {
        odb.add_disk_alternate(dir.to_str()?).ok()?;
    }
    Some(odb)
}

/// The directories of GIT_ALTERNATE_OBJECT_DIRECTORIES as git writes it: separated by ':',
/// and a path that holds one (or starts with '"') in double quotes with C escapes (a hub
/// at `/srv/a:b` has its quarantine's alternate written `"/srv/a:b/objects"`).
fn alternate_dirs(s: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while chars.peek().is_some() {
        let mut dir = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => match chars.next() {
                        Some('n') => dir.push('\n'),
                        Some('t') => dir.push('\t'),
                        Some(d @ '0'..='7') => {
                            // Three octal digits: one byte (ASCII here; others are kept as given).
                            let mut v = d.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                if let Some(n) = chars.peek().and_then(|c| c.to_digit(8)) {
                                    v = v * 8 + n;
                                    chars.next();
                                }
                            }
                            dir.push(char::from_u32(v).unwrap_or('?'));
                        }
                        Some(other) => dir.push(other),
                        None => {}
                    },
                    c => dir.push(c),
                }
            }
            // Up to the next separator.
            for c in chars.by_ref() {
                if c == ':' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ':' {
                    break;
                }
                dir.push(c);
            }
        }
        if !dir.is_empty() {
            out.push(dir.into());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn alternates_are_read_as_git_writes_them() {
        let dirs = super::alternate_dirs("/a/objects:\"/srv/a:b/objects\":/c\\d::\"/q\\\"x\"");
        let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        assert_eq!(dirs, ["/a/objects", "/srv/a:b/objects", "/c\\d", "/q\"x"]);
    }
}
