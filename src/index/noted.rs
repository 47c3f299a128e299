//! Which raters ever noted which version: what reading one article's ratings asks first, so
//! that it reads the refs of the raters who rated its versions, not the ref of every rater
//! (a commons of a thousand raters read a thousand notes trees for every `ratings SLUG`).
//!
//! Under `.git/tribune/index/noted/`: `tips.tsv`, `<rater>\t<tip>` lines, the notes refs as
//! indexed; and 256 shards `<xx>.tsv` (xx: the first two hex digits of the version) of
//! `<version>\t<rater>` lines, appended to as refs move. An entry is added for every note a
//! commit of a rater's history added, and never removed: the index is a superset, each
//! candidate is then read from its ref (so a record removed by another writer and restored
//! from the rater's signed history, see `ratings::provenance`, is still found). A ref that
//! moved is walked from its indexed tip; one rewritten is walked whole (its old entries stay,
//! which only costs a read). Delete it freely.
//!
//! `tips.tsv` also records, before the tips, `shard\t<xx>\t<bytes>`: how many bytes this
//! index has appended to each shard in all. Shards only grow, so a shard shorter than that
//! was truncated or deleted (by hand, a full disk, an `rm -rf` racing a refresh): the index
//! is rebuilt rather than trusted. An index that cannot be read or written at all is not
//! used: every rater's ref is read, as without it.

use crate::commons::Commons;
use crate::git::{Oid, Repo};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The first line of `tips.tsv`: a different one means the format changed (rebuilt).
const HEADER: &str = "# tribune noted index 2";

fn dir(commons: &Commons) -> PathBuf {
    commons.state_dir().join("index").join("noted")
}

/// Notes refs (name and tip).
type Refs = Vec<(String, Oid)>;

/// For each of `versions`, the raters' notes refs (name and tip) that may hold a note on it,
/// the index brought up to date with `refs` (every notes ref under `prefix`) once first. A
/// ref that cannot be read is always one (its reader says why). Every ref when the index
/// cannot be used.
pub fn candidates(commons: &Commons, prefix: &str, refs: &[(String, Oid)], versions: &[Oid]) -> Result<Vec<Refs>> {
    let dir = dir(commons);
    for _ in 0..2 {
        match from_index(&commons.repo, &dir, prefix, refs, versions) {
            Ok(Some(raters)) => return Ok(raters),
            // Damaged: rebuilt once.
            Ok(None) => {
                let _ = std::fs::remove_dir_all(&dir);
            }
            Err(_) => break,
        }
    }
    Ok(versions.iter().map(|_| refs.to_vec()).collect())
}

/// The candidates as the index says, or None when a version's shard is shorter than the
/// index has written to it (damaged).
fn from_index(
    repo: &Repo,
    dir: &Path,
    prefix: &str,
    refs: &[(String, Oid)],
    versions: &[Oid],
) -> Result<Option<Vec<Refs>>> {
    let (unreadable, sizes) = refresh(repo, dir, prefix, refs)?;
    let mut out = Vec::with_capacity(versions.len());
    for version in versions {
        let hex = version.to_string();
        let shard = dir.join(format!("{}.tsv", &hex[..2]));
        let written = sizes.get(&hex[..2]).copied().unwrap_or(0);
        let text = match std::fs::read(&shard) {
            Ok(bytes) if (bytes.len() as u64) < written => return Ok(None),
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && written == 0 => String::new(),
            Err(_) => return Ok(None),
        };
        let raters: BTreeSet<&str> =
            text.lines().filter_map(|l| l.split_once('\t')).filter(|(v, _)| *v == hex).map(|(_, r)| r).collect();
        out.push(
            refs.iter()
                .filter(|(name, _)| {
                    raters.contains(&name[prefix.len()..]) || unreadable.contains(&name[prefix.len()..])
                })
                .cloned()
                .collect(),
        );
    }
    Ok(Some(out))
}

/// Brings the index up to date with `refs`: each ref whose tip moved since it was indexed
/// has the notes its new commits added appended. Returns the raters whose refs could not be
/// read (not indexed: tried again next time), and the bytes written to each shard in all.
type Sizes = BTreeMap<String, u64>;
fn refresh(repo: &Repo, dir: &Path, prefix: &str, refs: &[(String, Oid)]) -> Result<(BTreeSet<String>, Sizes)> {
    let tips_path = dir.join("tips.tsv");
    let text = std::fs::read_to_string(&tips_path).unwrap_or_default();
    let mut lines = text.lines();
    let mut indexed: BTreeMap<String, Oid> = BTreeMap::new();
    let mut sizes: Sizes = BTreeMap::new();
    if lines.next() == Some(HEADER) {
        for l in lines {
            let fields: Vec<&str> = l.split('\t').collect();
            match fields[..] {
                ["shard", shard, n] => {
                    if let Ok(n) = n.parse() {
                        sizes.insert(shard.to_string(), n);
                    }
                }
                [r, t] => {
                    if let Ok(t) = t.parse() {
                        indexed.insert(r.to_string(), t);
                    }
                }
                _ => {}
            }
        }
    } else if dir.exists() {
        // Another format, or none: start again.
        let _ = std::fs::remove_dir_all(dir);
    }
    let moved: Vec<(String, Oid, Option<Oid>)> = refs
        .iter()
        .map(|(name, tip)| (name[prefix.len()..].to_string(), *tip, indexed.get(&name[prefix.len()..]).copied()))
        .filter(|(_, tip, old)| *old != Some(*tip))
        .collect();
    if moved.is_empty() {
        return Ok((BTreeSet::new(), sizes));
    }
    // What each moved ref's new commits added, on every core when many refs moved (a first
    // read of a commons of a thousand raters reads a million notes: a few seconds, shown).
    let progress = crate::progress::start_if(moved.len() >= 100, "indexing who rated what", Some(moved.len() as u64));
    let added = repo.par_map(&moved, 64, |repo, (rater, tip, old)| {
        let added = || -> Result<Vec<Oid>> {
            let hide: Vec<Oid> = old.iter().copied().filter(|o| repo.has_object(*o)).collect();
            let mut versions = Vec::new();
            for id in repo.walk(*tip, &hide)? {
                let info = repo.commit(id?)?;
                let before = info.parents.first().map(|p| repo.commit_tree(*p)).transpose()?;
                for (object, _, _) in repo.changed_notes(before, info.tree)? {
                    versions.push(object);
                }
            }
            Ok(versions)
        };
        let versions = added().ok();
        progress.advance(1);
        Ok((rater.clone(), versions))
    })?;
    progress.finish();
    let mut shards: BTreeMap<String, String> = BTreeMap::new();
    let mut unreadable = BTreeSet::new();
    for (rater, versions) in added {
        let Some(versions) = versions else {
            unreadable.insert(rater);
            continue;
        };
        for v in versions {
            let hex = v.to_string();
            // Each append starts on a line of its own: one stopped mid-line (a kill, a full
            // disk) must not swallow the next one's first entry.
            let shard = shards.entry(hex[..2].to_string()).or_insert_with(|| "\n".to_string());
            shard.push_str(&format!("{hex}\t{rater}\n"));
        }
    }
    // The entries first, then the tips that say they are there: a run stopped between the
    // two indexes the same commits again (a repeated entry is read once).
    std::fs::create_dir_all(dir)?;
    for (shard, lines) in shards {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(format!("{shard}.tsv")))?;
        f.write_all(lines.as_bytes())?;
        *sizes.entry(shard).or_default() += lines.len() as u64;
    }
    for (rater, tip, _) in moved {
        if !unreadable.contains(&rater) {
            indexed.insert(rater, tip);
        }
    }
    let live: BTreeSet<&str> = refs.iter().map(|(n, _)| &n[prefix.len()..]).collect();
    // The sizes first: a tips file cut short loses tips (walked again), not sizes.
    let mut out = format!("{HEADER}\n");
    for (shard, n) in &sizes {
        out.push_str(&format!("shard\t{shard}\t{n}\n"));
    }
    for (rater, tip) in indexed.iter().filter(|(r, _)| live.contains(r.as_str())) {
        out.push_str(&format!("{rater}\t{tip}\n"));
    }
    super::write_file(&tips_path, out.as_bytes())?;
    Ok((unreadable, sizes))
}
