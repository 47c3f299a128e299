//! Writing many objects as one packfile.

use super::Repo;
use anyhow::{Context, Result};

impl Repo {
    /// Runs `f` with every object write collected in memory, then writes them all as one
    /// packfile with its index: used to build large synthetic repositories quickly (loose
    /// objects would be hundreds of thousands of files). The in-memory store stays
    /// attached afterwards, so a process should call this once, last of its writes.
    pub fn write_packed<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let odb = self.inner.odb().context("could not open the object database")?;
        // The in-memory backend must outrank the loose one so that writes land in it.
        let mempack = odb.add_new_mempack_backend(1000).context("could not add an in-memory object store")?;
        let value = f()?;
        let mut buf = git2::Buf::new();
        mempack.dump(&self.inner, &mut buf).context("could not assemble a packfile")?;
        let mut writer = odb.packwriter().context("could not start writing a packfile")?;
        use std::io::Write;
        writer.write_all(&buf).context("could not write the packfile")?;
        writer.commit().context("could not index the packfile")?;
        mempack.reset().context("could not clear the in-memory object store")?;
        Ok(value)
    }
}
