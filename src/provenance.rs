//! Which records on a rater's notes ref the rater signed: each record is judged by the
//! commit that introduced it, never by the ref's tip.
//!
//! A notes commit signs a whole tree, so a signature on the tip would vouch for every line
//! anyone ever put on the ref: a forged line written with plain git would become "verified"
//! as soon as the rater rated anything else, or a sync merged it. Instead the history is
//! walked once, oldest first; a line is the rater's when the commit that added it (a line no
//! parent's note on that object had) carries a valid signature by one of the rater's keys.
//! Merges add no line of their own unless they write one, so a signed merge launders nothing.
//!
//! The result is derived data, cached under `.git/tribune/provenance/` keyed by the tip and
//! the rater's keys; a later tip that descends from the cached one walks only the new
//! commits. Deleting the cache changes no result.

use crate::git::{Oid, Repo};
use crate::signing::Verdict;
use anyhow::Result;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A record: the annotated object and a hash of the note line.
type Record = (Oid, u64);

/// The standing of every record on one rater's ref at one tip.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// No key is registered for the rater: nothing can be checked, every record is unsigned.
    keyless: bool,
    /// Records not introduced by a commit the rater signed (with a key registered).
    unsigned: HashSet<Record>,
}

impl Provenance {
    /// The verdict of the record `line` in the note on `object`.
    pub fn verdict(&self, object: Oid, line: &[u8]) -> Verdict {
        if self.keyless {
            Verdict::Unsigned
        } else if self.unsigned.contains(&(object, line_hash(line))) {
            Verdict::Forged
        } else {
            Verdict::Verified
        }
    }

    /// True when every record has one verdict (no key, or all signed): the fast path.
    pub fn uniform(&self) -> Option<Verdict> {
        if self.keyless {
            Some(Verdict::Unsigned)
        } else if self.unsigned.is_empty() {
            Some(Verdict::Verified)
        } else {
            None
        }
    }
}

/// FNV-1a over a trimmed line: stable across machines and runs (the cache keeps it).
fn line_hash(line: &[u8]) -> u64 {
    let line = line.trim_ascii();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in line {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn keys_hash(keys: &[String]) -> u64 {
    let mut all = keys.to_vec();
    all.sort();
    line_hash(all.join("\n").as_bytes())
}

/// The provenance of `rater`'s records at `tip`, checked against `keys`.
pub fn of_rater(repo: &Repo, state_dir: &Path, rater: &str, tip: Oid, keys: &[String]) -> Result<Provenance> {
    if keys.is_empty() {
        return Ok(Provenance { keyless: true, unsigned: HashSet::new() });
    }
    let kh = keys_hash(keys);
    let path = cache_path(state_dir, rater);
    let cached = read_cache(&path, kh);
    if let Some((t, set)) = &cached {
        if *t == tip {
            return Ok(Provenance { keyless: false, unsigned: set.clone() });
        }
    }
    let (hide, mut unsigned) = match cached {
        Some((t, set)) if repo.has_object(t) && repo.is_ancestor(t, tip)? => (vec![t], set),
        _ => (Vec::new(), HashSet::new()),
    };
    let mut commits: Vec<Oid> = repo.walk(tip, &hide)?.collect::<Result<_>>()?;
    commits.reverse();
    for id in commits {
        let info = repo.commit(id)?;
        let signed = match repo.commit_signature(id)? {
            Some((sig, data)) => crate::signing::verify(Some(&sig), &data, keys).0 == Verdict::Verified,
            None => false,
        };
        for (object, line) in introduced(repo, info.tree, &info.parents)? {
            if signed {
                unsigned.remove(&(object, line));
            } else {
                unsigned.insert((object, line));
            }
        }
    }
    write_cache(&path, tip, kh, &unsigned);
    Ok(Provenance { keyless: false, unsigned })
}

/// The records a commit added: lines of its notes that no parent's note on the same object has.
fn introduced(repo: &Repo, tree: Oid, parents: &[Oid]) -> Result<Vec<Record>> {
    let parent_trees: Vec<Oid> = parents.iter().map(|p| repo.commit_tree(*p)).collect::<Result<_>>()?;
    // Notes that differ from the first parent's (all of them for a root commit).
    let changed = repo.changed_paths(parent_trees.first().copied(), tree, "")?;
    let mut out = Vec::new();
    for change in changed {
        let Some(new) = change.new else { continue };
        let hex: String = change.path.chars().filter(|c| *c != '/').collect();
        let Ok(object) = hex.parse::<Oid>() else { continue };
        let mut before: HashSet<u64> = HashSet::new();
        for t in &parent_trees {
            if let Some((_, text)) = repo.note_in(*t, object)? {
                before.extend(text.split(|b| *b == b'\n').map(line_hash));
            }
        }
        let text = repo.read_blob(new)?;
        for line in text.split(|b| *b == b'\n') {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let h = line_hash(line);
            if !before.contains(&h) {
                out.push((object, h));
            }
        }
    }
    Ok(out)
}

fn cache_path(state_dir: &Path, rater: &str) -> PathBuf {
    state_dir.join("provenance").join(rater)
}

fn read_cache(path: &Path, keys: u64) -> Option<(Oid, HashSet<Record>)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let mut head = lines.next()?.split(' ');
    if head.next()? != "v1" {
        return None;
    }
    let tip: Oid = head.next()?.parse().ok()?;
    if u64::from_str_radix(head.next()?, 16).ok()? != keys {
        return None;
    }
    let mut set = HashSet::new();
    for l in lines {
        let (o, h) = l.split_once(' ')?;
        set.insert((o.parse().ok()?, u64::from_str_radix(h, 16).ok()?));
    }
    Some((tip, set))
}

/// Best effort: a cache that cannot be written is rebuilt next time.
fn write_cache(path: &Path, tip: Oid, keys: u64, set: &HashSet<Record>) {
    let mut text = format!("v1 {tip} {keys:x}\n");
    let mut lines: Vec<String> = set.iter().map(|(o, h)| format!("{o} {h:x}")).collect();
    lines.sort();
    for l in lines {
        text.push_str(&l);
        text.push('\n');
    }
    if let Some(dir) = path.parent() {
        if std::fs::create_dir_all(dir).is_ok() {
            let _ = crate::index::write_file(path, text.as_bytes());
        }
    }
}

/// The verdict of each record of one note, in the order `parse_note` returns the records.
pub fn verdicts_of_note(p: &Provenance, object: Oid, text: &[u8]) -> Vec<Verdict> {
    if let Some(v) = p.uniform() {
        let (records, _) = crate::model::rating::parse_note(text);
        return vec![v; records.len()];
    }
    let mut out = Vec::new();
    for line in text.split(|b| *b == b'\n') {
        let (records, _) = crate::model::rating::parse_note(line);
        if !records.is_empty() {
            out.push(p.verdict(object, line));
        }
    }
    out
}
