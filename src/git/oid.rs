//! Object ids: 40 hex digits, parsed and printed.

use anyhow::{anyhow, Result};
use std::fmt;
use std::str::FromStr;

/// A git object id (SHA-1), printed as 40 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(pub(super) git2::Oid);

impl Oid {
    /// The all-zero id, which git uses to say "no object".
    pub fn zero() -> Oid {
        Oid(git2::Oid::zero())
    }
    /// The first `n` hex digits.
    pub fn short(&self, n: usize) -> String {
        let s = self.0.to_string();
        s[..n.min(s.len())].to_string()
    }
    /// The id git gives a blob with these contents, without writing it anywhere.
    pub fn hash_blob(data: &[u8]) -> Result<Oid> {
        Ok(Oid(git2::Oid::hash_object(git2::ObjectType::Blob, data)?))
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({})", self.0)
    }
}
impl FromStr for Oid {
    type Err = anyhow::Error;
    fn from_str(s: &str) -> Result<Oid> {
        if s.len() != 40 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(anyhow!("{s:?} is not a full 40-digit object id"));
        }
        Ok(Oid(git2::Oid::from_str(s)?))
    }
}
