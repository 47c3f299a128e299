//! The index of the authorised roster's keys: who holds each key, and in which contingent,
//! at a commit of the trunk. What judging an act asks of a state the audit walk has not
//! loaded, and what every command that acts asks of the actor: one small file per roster
//! state instead of the whole roster.

use super::{audited, founded_at, rebuild, texts, Cache, VERSION};
use crate::commons::Commons;
use crate::git::{Oid, Repo};
use anyhow::Result;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

/// Who holds each key of the authorised roster at a commit, and in which contingent: what
/// judging an article change asks of a state the walk has not loaded. Derived data under
/// `.git/tribune/keys/<state>/`, where the state is a hash of the commit's `roster/` tree,
/// what the audit says differs from it there, and whether the commons is founded there;
/// built from the authorised state once, then read one small shard at a time (a hub judges
/// every push of a contribution with it, however large the roster).
pub(super) struct KeyIndex {
    /// The index's folder: one file per shard, `<shard>.tsv`, of
    /// `<OpenSSH key (type and base64, no comment)>\t<member>\t<contingent>` lines (a shard
    /// with no key has no file).
    dir: PathBuf,
    /// The shards read so far, by name: a command asks for one or two keys, and a roster of
    /// ten thousand members read whole cost more than the command's own work.
    shards: RefCell<HashMap<String, String>>,
}

/// The shard of a key (as [`canonical_key`] writes it): the first two hex digits of its
/// SHA-1, so a roster's keys spread evenly over 256 shards.
fn shard_of(key: &str) -> String {
    sha1_smol::Sha1::from(key).digest().to_string()[..2].to_string()
}

impl KeyIndex {
    /// The index of the state at `at`, from `memo`, the files, or the state rebuilt.
    pub(super) fn at<'m>(
        repo: &Repo,
        cache: &Cache,
        root: Option<Oid>,
        at: Oid,
        memo: &'m mut HashMap<String, KeyIndex>,
    ) -> Result<&'m KeyIndex> {
        let roster = repo.entry_at(repo.commit_tree(at)?, "roster")?.map(|e| e.id.to_string()).unwrap_or_default();
        let overrides = serde_json::to_string(&cache.overrides.get(&at.to_string()))?;
        let founded = founded_at(repo, root, at)?;
        let key = sha1_smol::Sha1::from(format!("{VERSION}\n{roster}\n{founded}\n{overrides}")).digest().to_string();
        if !memo.contains_key(&key) {
            let index = KeyIndex::load(repo, cache, root, at, &key)?;
            memo.insert(key.clone(), index);
        }
        Ok(&memo[&key])
    }

    /// The index's folder when it is there, else the state rebuilt and the folder written
    /// (whole or not at all: written beside it, then renamed into place).
    fn load(repo: &Repo, cache: &Cache, root: Option<Oid>, at: Oid, key: &str) -> Result<KeyIndex> {
        let keys = repo.git_dir().join("tribune").join("keys");
        let dir = keys.join(key);
        if dir.is_dir() {
            return Ok(KeyIndex { dir, shards: RefCell::default() });
        }
        let a = rebuild(repo, cache, root, at)?;
        let mut shards: HashMap<String, String> = HashMap::new();
        for m in a.members.values() {
            for k in m.keys.iter().filter_map(|k| canonical_key(k)) {
                shards.entry(shard_of(&k)).or_default().push_str(&format!("{k}\t{}\t{}\n", m.id, m.contingent));
            }
        }
        // An index that cannot be written costs the next run time, not a result.
        let tmp = keys.join(format!("{key}.{}", std::process::id()));
        let written = std::fs::create_dir_all(&tmp).is_ok()
            && shards.iter().all(|(name, text)| std::fs::write(tmp.join(format!("{name}.tsv")), text).is_ok());
        if !(written && std::fs::rename(&tmp, &dir).is_ok()) {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        // Every shard is known now: one with no key is empty, not unread.
        for n in 0..=255u8 {
            shards.entry(format!("{n:02x}")).or_default();
        }
        Ok(KeyIndex { dir, shards: RefCell::new(shards) })
    }

    /// The member and contingent holding `key` (as [`canonical_key`] writes it).
    fn get(&self, key: &str) -> Option<(String, String)> {
        let shard = shard_of(key);
        let mut shards = self.shards.borrow_mut();
        let text = shards
            .entry(shard.clone())
            .or_insert_with(|| std::fs::read_to_string(self.dir.join(format!("{shard}.tsv"))).unwrap_or_default());
        text.lines().find_map(|line| {
            let (k, rest) = line.split_once('\t')?;
            let (m, c) = rest.split_once('\t')?;
            (k == key).then(|| (m.to_string(), c.to_string()))
        })
    }

    /// The member (and contingent) whose key made a valid signature of `commit`.
    pub(super) fn signer(&self, repo: &Repo, commit: Oid) -> Result<texts::Signer> {
        let Some((sig, data)) = repo.commit_signature(commit)? else { return Ok(None) };
        let Ok(sig) = ssh_key::SshSig::from_pem(&sig) else { return Ok(None) };
        let public = ssh_key::PublicKey::from(sig.public_key().clone());
        let Some(owner) = public.to_openssh().ok().and_then(|k| self.get(&k)) else { return Ok(None) };
        Ok((sig.namespace() == "git" && public.verify("git", &data, &sig).is_ok()).then_some(owner))
    }
}

/// A public key as the index writes it: type and base64, without the comment.
fn canonical_key(line: &str) -> Option<String> {
    let key = ssh_key::PublicKey::from_openssh(line).ok()?;
    ssh_key::PublicKey::from(key.key_data().clone()).to_openssh().ok()
}

/// The authorised member (and their contingent) who holds the key `public` at `at`, from the
/// index of the roster's keys: what a command asks of the actor, without reading the whole
/// roster (built once per roster state).
pub fn key_owner(commons: &Commons, at: Oid, public: &str) -> Result<Option<(String, String)>> {
    let (_, cache) = audited(commons)?;
    let root = cache.root.as_deref().and_then(|r| r.parse::<Oid>().ok());
    let mut memo = HashMap::new();
    let index = KeyIndex::at(&commons.repo, &cache, root, at, &mut memo)?;
    Ok(canonical_key(public).and_then(|k| index.get(&k)))
}

/// The authorised member (and their contingent) whose key validly signed `commit`, by the
/// authorised roster at `at`, read from the index of the roster's keys (never the roster).
pub fn signer_at(commons: &Commons, at: Oid, commit: Oid) -> Result<Option<(String, String)>> {
    let (_, cache) = audited(commons)?;
    let root = cache.root.as_deref().and_then(|r| r.parse::<Oid>().ok());
    let mut memo = HashMap::new();
    KeyIndex::at(&commons.repo, &cache, root, at, &mut memo)?.signer(&commons.repo, commit)
}
