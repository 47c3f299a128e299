//! The index of the authorised roster's keys: who holds each key, and in which contingent,
//! at a commit of the trunk. What judging an act asks of a state the audit walk has not
//! loaded, and what every command that acts asks of the actor: one small file per roster
//! state instead of the whole roster.

use super::{audited, founded_at, rebuild, texts, Cache, VERSION};
use crate::commons::Commons;
use crate::git::{Oid, Repo};
use anyhow::Result;
use std::collections::HashMap;

/// Who holds each key of the authorised roster at a commit, and in which contingent: what
/// judging an article change asks of a state the walk has not loaded. Derived data under
/// `.git/tribune/keys/`, keyed by the commit's `roster/` tree, what the audit says differs
/// from it there, and whether the commons is founded there; built from the authorised
/// state once, then read as one small file (a hub judges every push of a contribution with
/// it, however large the roster).
pub(super) struct KeyIndex {
    /// The file's text: `<OpenSSH key (type and base64, no comment)>\t<member>\t<contingent>`
    /// lines. Looked up in place: a command asks for one or two keys, and a roster of ten
    /// thousand members made a map of it cost more than the command's own work.
    text: String,
}

impl KeyIndex {
    /// The index of the state at `at`, from `memo`, the file, or the state rebuilt.
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

    fn load(repo: &Repo, cache: &Cache, root: Option<Oid>, at: Oid, key: &str) -> Result<KeyIndex> {
        let path = repo.git_dir().join("tribune").join("keys").join(format!("{key}.tsv"));
        if let Ok(text) = std::fs::read_to_string(&path) {
            return Ok(KeyIndex { text });
        }
        let a = rebuild(repo, cache, root, at)?;
        let mut text = String::new();
        for m in a.members.values() {
            for k in m.keys.iter().filter_map(|k| canonical_key(k)) {
                text.push_str(&format!("{k}\t{}\t{}\n", m.id, m.contingent));
            }
        }
        // An index that cannot be written costs the next run time, not a result.
        if let Some(dir) = path.parent() {
            if std::fs::create_dir_all(dir).is_ok() {
                let tmp = dir.join(format!("{key}.tsv.{}", std::process::id()));
                if std::fs::write(&tmp, &text).is_ok() {
                    let _ = std::fs::rename(&tmp, &path);
                }
            }
        }
        Ok(KeyIndex { text })
    }

    /// The member and contingent holding `key` (as [`canonical_key`] writes it).
    fn get(&self, key: &str) -> Option<(String, String)> {
        let needle = format!("{key}\t");
        let mut from = 0;
        while let Some(i) = self.text[from..].find(&needle) {
            let at = from + i;
            if at == 0 || self.text.as_bytes()[at - 1] == b'\n' {
                let line = self.text[at + needle.len()..].lines().next().unwrap_or("");
                let (m, c) = line.split_once('\t')?;
                return Some((m.to_string(), c.to_string()));
            }
            from = at + 1;
        }
        None
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
