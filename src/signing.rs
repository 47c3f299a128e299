//! SSH signatures made and checked natively (ed25519 SSHSIG, namespace `git`), byte for
//! byte what `ssh-keygen -Y sign -n git` makes, so plain `git verify-commit` agrees.

use crate::error::fail;
use anyhow::Result;
use std::path::{Path, PathBuf};

const NAMESPACE: &str = "git";

/// A private key able to sign.
#[derive(Clone)]
pub struct Signer {
    key: ssh_key::PrivateKey,
    pub public: String,
}

impl Signer {
    /// Reads an unencrypted OpenSSH private key file.
    pub fn from_file(path: &Path) -> Result<Signer> {
        let key = ssh_key::PrivateKey::read_openssh_file(path).map_err(|e| {
            fail(
                format!("cannot read the private key {}: {e}", path.display()),
                "give an OpenSSH private key file, e.g. ~/.ssh/id_ed25519",
            )
        })?;
        if key.is_encrypted() {
            return Err(fail(
                format!("the key {} is protected by a passphrase", path.display()),
                "tribune signs natively with unencrypted keys; use a key without a passphrase for signing ratings",
            ));
        }
        let public = key
            .public_key()
            .to_openssh()
            .map_err(|e| fail(format!("cannot encode the public key: {e}"), "use an ed25519 key"))?;
        Ok(Signer { key, public })
    }

    /// The armored SSHSIG of `data`.
    pub fn sign(&self, data: &[u8]) -> Result<String> {
        let sig = self
            .key
            .sign(NAMESPACE, ssh_key::HashAlg::Sha512, data)
            .map_err(|e| fail(format!("could not sign: {e}"), "use an ed25519 key"))?;
        sig.to_pem(ssh_key::LineEnding::LF)
            .map_err(|e| fail(format!("could not encode the signature: {e}"), "use an ed25519 key"))
    }

    /// Is this key one of `keys` (OpenSSH public key lines)?
    pub fn is_one_of(&self, keys: &[String]) -> bool {
        let mine = self.key.public_key().key_data();
        keys.iter().any(|k| ssh_key::PublicKey::from_openssh(k).is_ok_and(|p| p.key_data() == mine))
    }
}

/// The signing key to use: `--key FILE`, else git's `user.signingkey` when `gpg.format` is
/// `ssh` (a `.pub` path means the private key beside it). None when neither is set.
pub fn configured(repo: &crate::git::Repo, key: Option<&Path>) -> Result<Option<Signer>> {
    if let Some(k) = key {
        return Signer::from_file(k).map(Some);
    }
    if repo.config_string("gpg.format").as_deref() != Some("ssh") {
        return Ok(None);
    }
    let Some(mut path) = repo.config_string("user.signingkey") else { return Ok(None) };
    if path.starts_with("key::") || path.starts_with("ssh-") {
        return Err(fail(
            "user.signingkey names a key held by an SSH agent, which tribune cannot use for ratings yet",
            "pass the private key file with --key FILE",
        ));
    }
    if let Some(rest) = path.strip_prefix("~/") {
        path = format!("{}/{rest}", std::env::var("HOME").unwrap_or_default());
    }
    let mut p = PathBuf::from(path);
    if p.extension().is_some_and(|e| e == "pub") {
        p.set_extension("");
    }
    Signer::from_file(&p).map(Some)
}

/// What a signature says of who wrote something.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Signed by one of the registered keys.
    Verified,
    /// Not signed, and no key is registered for the writer: nothing to check against.
    Unsigned,
    /// A key is registered, and the signature is missing, broken or made by another key.
    Forged,
}

/// Checks `signature` (armored SSHSIG, if any) over `data` against `keys`.
pub fn verify(signature: Option<&[u8]>, data: &[u8], keys: &[String]) -> (Verdict, String) {
    match (signature, keys.is_empty()) {
        (None, true) => (Verdict::Unsigned, "not signed; no key is registered".into()),
        (None, false) => (Verdict::Forged, "not signed, though a key is registered".into()),
        (Some(sig), _) => {
            let Ok(sig) = ssh_key::SshSig::from_pem(sig) else {
                return (
                    if keys.is_empty() { Verdict::Unsigned } else { Verdict::Forged },
                    "the signature is not an SSH signature".into(),
                );
            };
            for k in keys {
                if let Ok(public) = ssh_key::PublicKey::from_openssh(k) {
                    if public.verify(NAMESPACE, data, &sig).is_ok() {
                        return (Verdict::Verified, "signed by a registered key".into());
                    }
                }
            }
            if keys.is_empty() {
                (Verdict::Unsigned, "signed, but no key is registered to check it against".into())
            } else {
                (Verdict::Forged, "signed by a key that is not registered".into())
            }
        }
    }
}
