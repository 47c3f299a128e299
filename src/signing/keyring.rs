//! Whose key made a signature: the public keys of a roster, indexed so that checking a
//! signature costs one lookup and one verification (an SSH signature names its key).

use crate::model::roster::Member;
use ssh_key::public::KeyData;
use std::collections::HashMap;

const NAMESPACE: &str = "git";

/// Public keys and the member each belongs to.
#[derive(Default, Clone)]
pub struct KeyRing {
    /// Key → the members who list it (more than one is an error in the roster).
    owners: HashMap<KeyData, Vec<String>>,
    /// Ed25519 keys, decompressed once, when a signature by the key is first checked (a
    /// tally checks thousands of signatures; a roster of ten thousand keys decompressed
    /// when it is read cost more than the signatures it checks).
    verifying: HashMap<KeyData, std::sync::OnceLock<Option<ed25519_dalek::VerifyingKey>>>,
}

/// What a signature says about who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// There is no signature.
    Unsigned,
    /// Something is there, but it is not an SSH signature (or not for git).
    Malformed(String),
    /// Made by a key that belongs to nobody in the ring.
    UnknownKey,
    /// Made with `member`'s key; `valid` says whether it matches the signed bytes.
    By { member: String, valid: bool },
    /// Made with a key that several members list, so it cannot say which one signed.
    Shared(Vec<String>),
}

impl KeyRing {
    pub fn new<'a>(members: impl IntoIterator<Item = &'a Member>) -> KeyRing {
        let mut ring = KeyRing::default();
        for m in members {
            ring.insert(m);
        }
        ring
    }

    /// Adds a member's keys.
    pub fn insert(&mut self, m: &Member) {
        let keys: Vec<KeyData> = m
            .keys
            .iter()
            .filter_map(|k| ssh_key::PublicKey::from_openssh(k).ok())
            .map(|k| k.key_data().clone())
            .collect();
        self.insert_keys(&m.id, keys);
    }

    /// Adds keys, already decoded, as `member`'s.
    pub fn insert_keys(&mut self, member: &str, keys: Vec<KeyData>) {
        for key in keys {
            if key.ed25519().is_some() {
                self.verifying.entry(key.clone()).or_default();
            }
            let ids: &mut Vec<String> = self.owners.entry(key).or_default();
            if !ids.iter().any(|id| id == member) {
                ids.push(member.to_string());
            }
        }
    }

    /// Takes a member's keys out (as listed in `m`).
    pub fn remove(&mut self, m: &Member) {
        for k in &m.keys {
            if let Ok(key) = ssh_key::PublicKey::from_openssh(k) {
                let data = key.key_data();
                if let Some(ids) = self.owners.get_mut(data) {
                    ids.retain(|id| id != &m.id);
                    if ids.is_empty() {
                        self.owners.remove(data);
                        self.verifying.remove(data);
                    }
                }
            }
        }
    }

    /// The member who owns the key that made `signature`.
    pub fn owner_of(&self, signature: &[u8]) -> Option<&str> {
        let sig = ssh_key::SshSig::from_pem(signature).ok()?;
        self.owners.get(sig.public_key()).and_then(|ids| ids.first()).map(String::as_str)
    }

    /// The members other than `member` who list this public key (an OpenSSH line).
    pub fn others_with(&self, key: &str, member: &str) -> Vec<String> {
        let Ok(key) = ssh_key::PublicKey::from_openssh(key) else { return Vec::new() };
        self.others_with_data(key.key_data(), member).cloned().collect()
    }

    /// The members other than `member` who list this key.
    pub fn others_with_data<'a>(&'a self, key: &KeyData, member: &'a str) -> impl Iterator<Item = &'a String> {
        self.owners.get(key).into_iter().flatten().filter(move |m| *m != member)
    }

    /// Checks an armored SSH signature over `data`.
    pub fn check(&self, signature: Option<&[u8]>, data: &[u8]) -> Signed {
        let Some(signature) = signature else { return Signed::Unsigned };
        let sig = match ssh_key::SshSig::from_pem(signature) {
            Ok(s) => s,
            Err(e) => return Signed::Malformed(format!("not an SSH signature ({e})")),
        };
        if sig.namespace() != NAMESPACE {
            return Signed::Malformed(format!("made for {:?}, not for git", sig.namespace()));
        }
        let Some(members) = self.owners.get(sig.public_key()) else { return Signed::UnknownKey };
        if members.len() > 1 {
            return Signed::Shared(members.clone());
        }
        let member = &members[0];
        let decompressed = self.verifying.get(sig.public_key()).map(|once| {
            once.get_or_init(|| {
                let ed = sig.public_key().ed25519()?;
                ed25519_dalek::VerifyingKey::from_bytes(&ed.0).ok()
            })
        });
        let valid = match decompressed {
            Some(Some(vk)) => verify_ed25519(vk, &sig, data),
            // An ed25519 key that is not a curve point verifies nothing.
            Some(None) => false,
            None => ssh_key::PublicKey::from(sig.public_key().clone()).verify(NAMESPACE, data, &sig).is_ok(),
        };
        Signed::By { member: member.clone(), valid }
    }
}

/// What `ssh_key::PublicKey::verify` does for an ed25519 SSHSIG (namespace checked by the
/// caller), with a key already decompressed.
fn verify_ed25519(vk: &ed25519_dalek::VerifyingKey, sig: &ssh_key::SshSig, data: &[u8]) -> bool {
    use ed25519_dalek::Verifier;
    if sig.algorithm() != ssh_key::Algorithm::Ed25519 {
        return false;
    }
    let Ok(signed) = ssh_key::SshSig::signed_data(NAMESPACE, sig.hash_alg(), data) else { return false };
    let Ok(signature) = ed25519_dalek::Signature::from_slice(sig.signature().as_bytes()) else { return false };
    vk.verify(&signed, &signature).is_ok()
}

/// An ed25519 key derived from a public label: the same on every machine. For the demo and
/// benchmarks only: anyone who knows the label has the private key.
pub fn derived_key(label: &str) -> ssh_key::PrivateKey {
    let mut seed = [0u8; 32];
    let a = sha1_smol::Sha1::from(format!("1:{label}")).digest().bytes();
    let b = sha1_smol::Sha1::from(format!("2:{label}")).digest().bytes();
    seed[..20].copy_from_slice(&a);
    seed[20..].copy_from_slice(&b[..12]);
    let pair = ssh_key::private::Ed25519Keypair::from_seed(&seed);
    let mut key = ssh_key::PrivateKey::from(pair);
    key.set_comment(label);
    key
}
