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
    pub fn open_git_dir(path: &std::path::Path) -> Result<Repo> {
        let inner = git2::Repository::open_bare(path)
            .or_else(|_| git2::Repository::open(path))
            .with_context(|| format!("could not open the repository at {}", path.display()))?;
        Ok(Repo { inner })
    }

    fn read_blob_ref<R>(&self, id: Oid, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
        let blob = self.inner.find_blob(id.0).with_context(|| format!("could not read blob {id}"))?;
        Ok(f(blob.content()))
    }
}
