//! Writing many objects as one packfile.

use super::Repo;
use anyhow::{Context, Result};

impl Repo {
    /// Runs `f` with every object write collected in memory, then writes the objects
    /// reachable from the commits `f` returns (beside its value) as one packfile with its
    /// index: used to build large synthetic repositories quickly (loose objects would be
    /// hundreds of thousands of files). The in-memory store stays attached afterwards, so a
    /// process should call this once, last of its writes.
    ///
    /// The pack is gathered by a walk from those commits that visits each tree once
    /// (`git_packbuilder_insert_walk`); libgit2's own dump of an in-memory store walks every
    /// commit's whole tree again (600 commits over 100,000 articles: most of a synthetic
    /// build). Delta search runs on every core.
    pub fn write_packed<T>(&self, f: impl FnOnce() -> Result<(T, Vec<super::Oid>)>) -> Result<T> {
        let odb = self.inner.odb().context("could not open the object database")?;
        // The in-memory backend must outrank the loose one so that writes land in it.
        let mempack = odb.add_new_mempack_backend(1000).context("could not add an in-memory object store")?;
        let (value, tips) = f()?;
        let mut walk = self.inner.revwalk().context("could not walk the new commits")?;
        for tip in &tips {
            walk.push(tip.0).context("could not walk the new commits")?;
        }
        let mut builder = self.inner.packbuilder().context("could not start a packfile")?;
        builder.set_threads(0);
        builder.insert_walk(&mut walk).context("could not gather the packfile's objects")?;
        let mut buf = git2::Buf::new();
        builder.write_buf(&mut buf).context("could not assemble a packfile")?;
        drop(builder);
        let mut writer = odb.packwriter().context("could not start writing a packfile")?;
        use std::io::Write;
        writer.write_all(&buf).context("could not write the packfile")?;
        writer.commit().context("could not index the packfile")?;
        mempack.reset().context("could not clear the in-memory object store")?;
        Ok(value)
    }
}
