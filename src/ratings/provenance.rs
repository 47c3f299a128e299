//! Which records on a rater's notes ref the rater signed: each record is judged by the
//! commits that introduced it, never by the ref's tip.
//!
//! A notes commit signs a whole tree, so a signature on the tip would vouch for every line
//! anyone ever put on the ref: a forged line written with plain git would become "verified"
//! as soon as the rater rated anything else, or a sync merged it. Instead the history is
//! walked once, oldest first. A record (a line of the note on one object) is the rater's
//! when some commit that added it (a line no parent's note on that object had) carries a
//! valid signature by one of the rater's keys; merges add no line of their own unless they
//! write one, so a signed merge launders nothing. A record the rater signed and a commit
//! they did not sign removed is restored: what another writer puts on the ref can neither
//! launder nor delete what the rater signed (DESIGN invariant 3).
//!
//! Records are identified by SHA-256 of the object id and the line (a 64-bit hash could be
//! collided on purpose). The result is derived data, cached under `.git/tribune/provenance/`
//! keyed by the tip and the rater's keys; a later tip whose new commits all descend from the
//! cached one walks only those, in the same order a walk from nothing would. Deleting the
//! cache changes no result.

use crate::git::{Oid, Repo};
use crate::signing::Verdict;
use anyhow::Result;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// A record's identity: SHA-256 of the annotated object and the trimmed line, cut to 128 bits.
type RecordId = [u8; 16];

fn record_id(object: Oid, line: &[u8]) -> RecordId {
    let mut h = Sha256::new();
    h.update(object.to_string().as_bytes());
    h.update([0u8]);
    h.update(line.trim_ascii());
    let full = h.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&full[..16]);
    id
}

/// The standing of every record on one rater's ref at one tip.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// No key is registered for the rater: nothing can be checked, every record is unsigned.
    keyless: bool,
    /// Every record some commit signed by the rater added.
    signed: HashSet<RecordId>,
    /// Signed records that a commit the rater did not sign removed: shown as if present.
    restored: BTreeMap<Oid, BTreeSet<Vec<u8>>>,
}

impl Provenance {
    /// The verdict of the record `line` in the note on `object`.
    pub fn verdict(&self, object: Oid, line: &[u8]) -> Verdict {
        if self.keyless {
            Verdict::Unsigned
        } else if self.signed.contains(&record_id(object, line)) {
            Verdict::Verified
        } else {
            Verdict::Forged
        }
    }

    /// The note on `object` as the rater left it: the text at the tip (if any) and every
    /// signed record another writer removed.
    pub fn note<'a>(&self, object: Oid, text: Option<&'a [u8]>) -> std::borrow::Cow<'a, [u8]> {
        let text = text.unwrap_or_default();
        let Some(lines) = self.restored.get(&object) else { return text.into() };
        let present: HashSet<&[u8]> = text.split(|b| *b == b'\n').map(<[u8]>::trim_ascii).collect();
        let mut out = text.to_vec();
        for l in lines.iter().filter(|l| !present.contains(l.as_slice())) {
            if !out.is_empty() && !out.ends_with(b"\n") {
                out.push(b'\n');
            }
            out.extend_from_slice(l);
            out.push(b'\n');
        }
        out.into()
    }

    /// The objects whose whole note another writer removed (so no note is at the tip).
    pub fn restored_objects(&self) -> impl Iterator<Item = Oid> + '_ {
        self.restored.keys().copied()
    }
}

/// The provenance of `rater`'s records at `tip`, checked against `keys`.
pub fn of_rater(repo: &Repo, state_dir: &Path, rater: &str, tip: Oid, keys: &[String]) -> Result<Provenance> {
    if keys.is_empty() {
        return Ok(Provenance { keyless: true, ..Provenance::default() });
    }
    let kh = keys_hash(keys);
    let path = state_dir.join("provenance").join(rater);
    let cached = read_cache(&path, &kh);
    if let Some((t, p)) = &cached {
        if *t == tip {
            return Ok(p.clone());
        }
    }
    let mut from_cache = None;
    if let Some((t, p)) = cached {
        if repo.has_object(t) && repo.is_ancestor(t, tip)? {
            from_cache = Some((t, p));
        }
    }
    let p = match from_cache {
        Some((t, p)) => match walk(repo, tip, Some(t), p, keys)? {
            Some(p) => p,
            // New commits that branch off older history: walk it all, in one order.
            None => walk(repo, tip, None, Provenance::default(), keys)?.unwrap_or_default(),
        },
        None => walk(repo, tip, None, Provenance::default(), keys)?.unwrap_or_default(),
    };
    write_cache(&path, tip, &kh, &p);
    Ok(p)
}

/// Walks the commits from `tip` not in `since`'s history, oldest first, into `p`. None when
/// `since` is given and some new commit has a parent older than it (the order would differ
/// from a walk from nothing).
fn walk(repo: &Repo, tip: Oid, since: Option<Oid>, mut p: Provenance, keys: &[String]) -> Result<Option<Provenance>> {
    let hide: Vec<Oid> = since.into_iter().collect();
    let mut commits: Vec<Oid> = repo.walk(tip, &hide)?.collect::<Result<_>>()?;
    commits.reverse();
    let new: HashSet<Oid> = commits.iter().copied().collect();
    for id in commits {
        let info = repo.commit(id)?;
        if let Some(s) = since {
            if info.parents.iter().any(|q| *q != s && !new.contains(q)) {
                return Ok(None);
            }
        }
        let signed = match repo.commit_signature(id)? {
            Some((sig, data)) => crate::signing::verify(Some(&sig), &data, keys).0 == Verdict::Verified,
            None => false,
        };
        for change in changes(repo, info.tree, &info.parents)? {
            for line in change.added {
                if signed {
                    p.signed.insert(record_id(change.object, &line));
                }
                if let Some(r) = p.restored.get_mut(&change.object) {
                    r.remove(&line);
                }
            }
            for line in change.removed {
                if signed {
                    // The rater removed it: a later copy is theirs only if they sign it again.
                    p.signed.remove(&record_id(change.object, &line));
                    if let Some(r) = p.restored.get_mut(&change.object) {
                        r.remove(&line);
                    }
                } else if p.signed.contains(&record_id(change.object, &line)) {
                    p.restored.entry(change.object).or_default().insert(line);
                }
            }
        }
        p.restored.retain(|_, lines| !lines.is_empty());
    }
    Ok(Some(p))
}

/// What one commit did to the note on one object.
struct NoteChange {
    object: Oid,
    /// Lines no parent's note had.
    added: Vec<Vec<u8>>,
    /// Lines some parent's note had and this commit's does not.
    removed: Vec<Vec<u8>>,
}

fn changes(repo: &Repo, tree: Oid, parents: &[Oid]) -> Result<Vec<NoteChange>> {
    let parent_trees: Vec<Oid> = parents.iter().map(|p| repo.commit_tree(*p)).collect::<Result<_>>()?;
    // Notes that differ from some parent's (every note of a root commit).
    let mut objects: BTreeSet<Oid> = BTreeSet::new();
    let bases: Vec<Option<Oid>> =
        if parent_trees.is_empty() { vec![None] } else { parent_trees.iter().map(|t| Some(*t)).collect() };
    for base in bases {
        for change in repo.changed_paths(base, tree, "")? {
            let hex: String = change.path.chars().filter(|c| *c != '/').collect();
            let canonical = hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
            if let Ok(object) = hex.parse::<Oid>().map_err(|_| ()).and_then(|o| if canonical { Ok(o) } else { Err(()) })
            {
                objects.insert(object);
            }
        }
    }
    let lines_of = |t: Oid, object: Oid| -> Result<BTreeSet<Vec<u8>>> {
        Ok(match repo.note_in(t, object)? {
            Some((_, text)) => text
                .split(|b| *b == b'\n')
                .map(<[u8]>::trim_ascii)
                .filter(|l| !l.is_empty())
                .map(<[u8]>::to_vec)
                .collect(),
            None => BTreeSet::new(),
        })
    };
    let mut out = Vec::new();
    for object in objects {
        let now = lines_of(tree, object)?;
        let mut before: BTreeSet<Vec<u8>> = BTreeSet::new();
        for t in &parent_trees {
            before.extend(lines_of(*t, object)?);
        }
        let added: Vec<Vec<u8>> = now.difference(&before).cloned().collect();
        let removed: Vec<Vec<u8>> = before.difference(&now).cloned().collect();
        if !added.is_empty() || !removed.is_empty() {
            out.push(NoteChange { object, added, removed });
        }
    }
    Ok(out)
}

fn keys_hash(keys: &[String]) -> String {
    let mut all = keys.to_vec();
    all.sort();
    let digest = Sha256::digest(all.join("\n").as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache: a header line `v2 <tip> <keys>`, the restored records as
/// `r <object> <line>` lines, a line `signed`, then the signed record ids, 16 bytes each.
fn read_cache(path: &Path, keys: &str) -> Option<(Oid, Provenance)> {
    let bytes = std::fs::read(path).ok()?;
    let split = bytes.windows(8).position(|w| w == b"\nsigned\n")?;
    let (head, ids) = (&bytes[..split], &bytes[split + 8..]);
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.lines();
    let mut first = lines.next()?.split(' ');
    if first.next()? != "v2" {
        return None;
    }
    let tip: Oid = first.next()?.parse().ok()?;
    if first.next()? != keys || ids.len() % 16 != 0 {
        return None;
    }
    let mut p = Provenance::default();
    for l in lines {
        let rest = l.strip_prefix("r ")?;
        let (o, line) = rest.split_once(' ')?;
        p.restored.entry(o.parse().ok()?).or_default().insert(line.as_bytes().to_vec());
    }
    for chunk in ids.chunks_exact(16) {
        let mut id = [0u8; 16];
        id.copy_from_slice(chunk);
        p.signed.insert(id);
    }
    Some((tip, p))
}

/// Best effort: a cache that cannot be written is rebuilt next time. Restored lines that
/// are not one line of text are left out of the cache (it is then rebuilt each time).
fn write_cache(path: &Path, tip: Oid, keys: &str, p: &Provenance) {
    let mut out = format!("v2 {tip} {keys}").into_bytes();
    for (object, lines) in &p.restored {
        for l in lines {
            match std::str::from_utf8(l) {
                Ok(s) if !s.contains('\n') => out.extend_from_slice(format!("\nr {object} {s}").as_bytes()),
                _ => return,
            }
        }
    }
    out.extend_from_slice(b"\nsigned\n");
    let mut ids: Vec<&RecordId> = p.signed.iter().collect();
    ids.sort();
    for id in ids {
        out.extend_from_slice(id);
    }
    if let Some(dir) = path.parent() {
        if std::fs::create_dir_all(dir).is_ok() {
            let _ = crate::index::write_file(path, &out);
        }
    }
}

/// The verdict of each record of one note, in the order `parse_note` returns the records.
pub fn verdicts_of_note(p: &Provenance, object: Oid, text: &[u8]) -> Vec<Verdict> {
    let mut out = Vec::new();
    for line in text.split(|b| *b == b'\n') {
        let (records, _) = crate::model::rating::parse_note(line);
        if !records.is_empty() {
            out.push(p.verdict(object, line));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_its_object_and_its_trimmed_line() {
        let a: Oid = "0123456789012345678901234567890123456789".parse().unwrap();
        let b: Oid = "1123456789012345678901234567890123456789".parse().unwrap();
        assert_eq!(record_id(a, b" {\"x\":1}\r"), record_id(a, b"{\"x\":1}"));
        assert_ne!(record_id(a, b"{\"x\":1}"), record_id(b, b"{\"x\":1}"));
        assert_ne!(record_id(a, b"{\"x\":1}"), record_id(a, b"{\"x\":2}"));
    }

    #[test]
    fn restored_lines_come_back_once() {
        let a: Oid = "0123456789012345678901234567890123456789".parse().unwrap();
        let mut p = Provenance::default();
        p.restored.entry(a).or_default().insert(b"two".to_vec());
        p.restored.entry(a).or_default().insert(b"one".to_vec());
        assert_eq!(&*p.note(a, Some(b"one\n")), b"one\ntwo\n");
        assert_eq!(&*p.note(a, None), b"one\ntwo\n");
    }
}
