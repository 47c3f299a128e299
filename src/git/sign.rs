//! Signed commits: the signature goes in the `gpgsig` header, as git writes SSH signatures.

use super::{Identity, Oid, Repo};
use anyhow::{anyhow, Context, Result};

impl Repo {
    /// Writes a commit signed by `sign`, which turns the commit's bytes into an armored
    /// signature (e.g. an SSHSIG PEM block).
    pub fn write_signed_commit(
        &self,
        tree: Oid,
        parents: &[Oid],
        author: &Identity,
        committer: &Identity,
        message: &str,
        sign: super::tag::Sign<'_>,
    ) -> Result<Oid> {
        let (tree, parents) = self.commit_inputs(tree, parents)?;
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        let buffer = self
            .inner
            .commit_create_buffer(&author.to_git()?, &committer.to_git()?, message, &tree, &parent_refs)
            .context("could not prepare a commit")?;
        let content = buffer.as_str().ok_or_else(|| anyhow!("the commit is not UTF-8"))?.to_string();
        let signature = sign(content.as_bytes())?;
        let id = self
            .inner
            .commit_signed(&content, signature.trim_end(), Some("gpgsig"))
            .context("could not write a signed commit")?;
        Ok(Oid(id))
    }

    /// A commit's signature and the bytes it signs, if it is signed.
    pub fn commit_signature(&self, commit: Oid) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        match self.inner.extract_signature(&commit.0, Some("gpgsig")) {
            Ok((sig, data)) => Ok(Some((sig.to_vec(), data.to_vec()))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(anyhow!("could not read the signature of {commit}: {}", e.message())),
        }
    }
}
