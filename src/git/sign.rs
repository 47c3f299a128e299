//! Signed commits: the signature in the `gpgsig` header, as git writes SSH signatures (see
//! `Repo::write_commit`).

use super::{Oid, Repo};
use anyhow::{anyhow, Result};

impl Repo {
    /// A commit's signature and the bytes it signs, if it is signed.
    pub fn commit_signature(&self, commit: Oid) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        match self.inner.extract_signature(&commit.0, Some("gpgsig")) {
            Ok((sig, data)) => Ok(Some((sig.to_vec(), data.to_vec()))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not read the signature of {commit}: {}", e.message())),
        }
    }
}
