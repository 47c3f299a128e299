//! The editions part of the index: each contingent branch's own texts, one file per
//! branch under `.git/tribune/index/editions/`, sorted by slug.
//!
//! A file is keyed by its branch's tip and fork point. When a branch only moved forward by
//! ordinary commits (a rewrite), just those commits are read; a merge (an update from the
//! trunk) or a rewound trunk recomputes the branch from its fork point. Reading one
//! article's rewrites is a binary search in each file, so `versions SLUG` does not parse
//! a hundred editions of a thousand rewrites each.

use super::branch_texts::refresh;
use super::{escape, unescape};
use crate::commons::Commons;
use crate::git::Oid;
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const FORMAT: u32 = 3;

/// How old the file of a branch that is gone must be before it is removed.
const ORPHAN_GRACE: std::time::Duration = std::time::Duration::from_secs(60);

/// The prefix of local contingent branches.
pub const CONTINGENT_BRANCHES: &str = "refs/heads/contingents/";

/// An article's text on a contingent branch that the branch changed since it left the
/// trunk (a rewrite), and the commit that made it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BranchVersion {
    pub version: String,
    pub title: String,
    /// The newest commit of the branch's own that set this text ("" when none is known).
    pub commit: String,
    pub author: String,
    /// Seconds since the epoch of that commit's author date.
    pub time: i64,
    /// The commit's summary (`-m`), else its subject.
    pub summary: String,
    /// `Tribune-Base`: the version the rewrite was made from ("" when unknown).
    pub base: String,
    /// `Tribune-Trunk-Base`, or for a commit made with plain git the trunk's text where that
    /// commit left the trunk ("" when the trunk had no such article).
    pub trunk_base: String,
}

/// One edition: a contingent branch, local or remote-tracking.
#[derive(Debug, Clone)]
pub struct Edition {
    /// The full ref name, e.g. `refs/heads/contingents/abc`.
    pub refname: String,
    /// How people name it: `contingents/abc`, `origin/contingents/abc`.
    pub label: String,
    /// The contingent id.
    pub contingent: String,
    pub tip: Oid,
    /// Where the branch last left the trunk ("" when it never did).
    pub fork: String,
    path: PathBuf,
    /// Its texts held in memory once [`Editions::preload`] read them.
    loaded: std::sync::OnceLock<BTreeMap<String, BranchVersion>>,
}

/// Every edition, fresh for the current refs.
pub struct Editions {
    pub list: Vec<Edition>,
}

impl Editions {
    /// The edition of `contingent`: the local branch, else a remote-tracking one.
    pub fn find(&self, contingent: &str) -> Option<&Edition> {
        let mut found: Vec<&Edition> = self.list.iter().filter(|e| e.contingent == contingent).collect();
        found.sort_by_key(|e| !e.refname.starts_with(CONTINGENT_BRANCHES));
        found.first().copied()
    }

    /// Every edition's own text of `slug`.
    pub fn rewrites(&self, slug: &str) -> Result<Vec<(&Edition, BranchVersion)>> {
        let mut out = Vec::new();
        for e in &self.list {
            if let Some(v) = e.get(slug)? {
                out.push((e, v));
            }
        }
        Ok(out)
    }

    /// Reads every edition's texts into memory, so that later lookups ([`Edition::get`],
    /// [`Editions::rewrites`]) read no file: for work that asks about every article.
    pub fn preload(&self) -> Result<()> {
        let load = |part: &[Edition]| -> Result<()> {
            for e in part {
                if e.loaded.get().is_none() {
                    let _ = e.loaded.set(e.versions()?);
                }
            }
            Ok(())
        };
        // A hundred files of a thousand lines: parsed on both cores.
        let (first, second) = self.list.split_at(self.list.len() / 2);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| load(second));
            load(first)?;
            other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// A digest of every edition's ref and tip: what derived counts are keyed by.
    pub fn key(&self) -> String {
        let mut h = sha1_smol::Sha1::new();
        for e in &self.list {
            h.update(e.refname.as_bytes());
            h.update(e.tip.to_string().as_bytes());
            h.update(e.fork.as_bytes());
        }
        h.digest().to_string()
    }
}

impl Edition {
    /// This edition's own text of `slug`, found by binary search in its file.
    pub fn get(&self, slug: &str) -> Result<Option<BranchVersion>> {
        if let Some(all) = self.loaded.get() {
            return Ok(all.get(slug).cloned());
        }
        let text =
            std::fs::read_to_string(&self.path).with_context(|| format!("could not read {}", self.path.display()))?;
        let body = match text.find('\n') {
            Some(i) => &text[i + 1..],
            None => return Ok(None),
        };
        // The line whose second field is the slug, found by a substring search (a `ratings`
        // of a commons of a hundred editions reads them all): escaped fields hold no tab, so
        // a match with no tab before it on its line is the second field.
        let needle = format!("\t{}\t", escape(slug));
        let mut from = 0;
        while let Some(at) = body[from..].find(&needle).map(|i| i + from) {
            let start = body[..at].rfind('\n').map_or(0, |i| i + 1);
            if !body[start..at].contains('\t') {
                let end = body[at..].find('\n').map_or(body.len(), |i| at + i);
                return Ok(parse_line(&body[start..end]).map(|(_, v)| v));
            }
            from = at + 1;
        }
        Ok(None)
    }

    /// Each of this edition's own texts as (slug, version), in slug order: what the counts
    /// of distinct versions need, without the rest of each line (a cold build counts a
    /// hundred editions of a thousand rewrites).
    pub fn slug_versions(&self) -> Result<Vec<(String, String)>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(_) => return Ok(Vec::new()),
        };
        let mut out = Vec::new();
        for line in text.lines().skip(1) {
            let mut f = line.splitn(4, '\t');
            if let (Some("V"), Some(slug), Some(version)) = (f.next(), f.next(), f.next()) {
                out.push((unescape(slug), unescape(version)));
            }
        }
        Ok(out)
    }

    /// Its texts, when [`Editions::preload`] read them.
    pub fn loaded(&self) -> Option<&BTreeMap<String, BranchVersion>> {
        self.loaded.get()
    }

    /// All of this edition's own texts.
    pub fn versions(&self) -> Result<BTreeMap<String, BranchVersion>> {
        if let Some(all) = self.loaded.get() {
            return Ok(all.clone());
        }
        Ok(read_file(&self.path).map(|f| f.versions).unwrap_or_default())
    }
}

#[derive(Clone)]
pub(super) struct File {
    pub(super) tip: String,
    pub(super) fork: String,
    pub(super) versions: BTreeMap<String, BranchVersion>,
}

fn render(refname: &str, f: &File) -> String {
    let mut out = format!("edition\t{FORMAT}\t{}\t{}\t{}\n", escape(refname), f.tip, f.fork);
    for (slug, v) in &f.versions {
        let fields = [
            escape(slug),
            escape(&v.version),
            escape(&v.title),
            escape(&v.commit),
            escape(&v.author),
            v.time.to_string(),
            escape(&v.summary),
            escape(&v.base),
            escape(&v.trunk_base),
        ];
        out.push_str("V\t");
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

fn parse_line(line: &str) -> Option<(String, BranchVersion)> {
    let mut f = line.split('\t');
    if f.next()? != "V" {
        return None;
    }
    let mut next = || f.next().map(unescape);
    let slug = next()?;
    let v = BranchVersion {
        version: next()?,
        title: next()?,
        commit: next()?,
        author: next()?,
        time: next()?.parse().ok()?,
        summary: next()?,
        base: next()?,
        trunk_base: next()?,
    };
    Some((slug, v))
}

fn read_header(path: &Path) -> Option<(String, String)> {
    use std::io::BufRead;
    let mut first = String::new();
    std::io::BufReader::new(std::fs::File::open(path).ok()?).read_line(&mut first).ok()?;
    let mut h = first.trim_end().split('\t');
    (h.next()? == "edition" && h.next()? == FORMAT.to_string()).then_some(())?;
    let _refname = h.next()?;
    Some((h.next()?.to_string(), h.next()?.to_string()))
}

fn read_file(path: &Path) -> Option<File> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let mut h = lines.next()?.split('\t');
    (h.next()? == "edition" && h.next()? == FORMAT.to_string()).then_some(())?;
    let _refname = h.next()?;
    let (tip, fork) = (h.next()?.to_string(), h.next()?.to_string());
    let versions = lines.map(parse_line).collect::<Option<BTreeMap<_, _>>>()?;
    Some(File { tip, fork, versions })
}

fn file_name(refname: &str) -> String {
    // Ref names may hold '/', which a file name may not: hex keeps it unambiguous.
    format!("{}.tsv", refname.bytes().map(|b| format!("{b:02x}")).collect::<String>())
}

/// The editions, each brought up to date with its branch.
pub fn load(commons: &Commons) -> Result<Editions> {
    let repo = &commons.repo;
    let trunk = commons.trunk_tip()?;
    let dir = commons.state_dir().join("index").join("editions");
    let mut refs = repo.refs_with_prefix(CONTINGENT_BRANCHES)?;
    refs.extend(repo.refs_with_prefix("refs/remotes/")?.into_iter().filter(|(n, _)| n.contains("/contingents/")));

    // A trunk that moved forward leaves every fork point where it was; one that was
    // rewound means computing every edition again.
    let trunk_file = dir.join("trunk");
    let seen: Option<Oid> = std::fs::read_to_string(&trunk_file).ok().and_then(|s| s.trim().parse().ok());
    let rewound = match seen {
        Some(old) if old == trunk => false,
        Some(old) => !repo.has_object(old) || !repo.is_ancestor(old, trunk)?,
        None => true,
    };

    let mut list = Vec::new();
    let mut live = BTreeSet::new();
    // The editions to read again (all of them on a cold build), with their files.
    let mut stale: Vec<(usize, Oid, Option<File>)> = Vec::new();
    for (refname, tip) in refs {
        let path = dir.join(file_name(&refname));
        live.insert(path.file_name().map(|n| n.to_os_string()).unwrap_or_default());
        let header = if rewound { None } else { read_header(&path) };
        // When the trunk moved, a branch's fork point can move too (the trunk merged it,
        // or it was fast-forwarded onto the trunk): check it before trusting the file.
        let fresh = match &header {
            Some((t, fork)) if *t == tip.to_string() => {
                seen == Some(trunk) || repo.merge_base(trunk, tip)?.map(|f| f.to_string()).unwrap_or_default() == *fork
            }
            _ => false,
        };
        let fork = if fresh {
            header.map(|(_, f)| f).unwrap_or_default()
        } else {
            stale.push((list.len(), tip, if rewound { None } else { read_file(&path) }));
            String::new()
        };
        let label = refname
            .strip_prefix("refs/heads/")
            .or_else(|| refname.strip_prefix("refs/remotes/"))
            .unwrap_or(&refname)
            .to_string();
        let contingent = refname.rsplit('/').next().unwrap_or_default().to_string();
        list.push(Edition { refname, label, contingent, tip, fork, path, loaded: Default::default() });
    }
    // Each edition read and its file written on its own, on every core (a cold build reads
    // a hundred editions of a thousand rewrites each).
    // A cold build (no index yet) reads every edition's history: worth showing.
    let progress = crate::progress::start_if(seen.is_none(), "reading editions", Some(stale.len() as u64));
    let listed = &list;
    let forks = repo.par_map(&stale, 2, |repo, (i, tip, old)| {
        let file = refresh(repo, trunk, *tip, old.clone())?;
        let e = &listed[*i];
        write_atomic(&e.path, render(&e.refname, &file).as_bytes())?;
        progress.advance(1);
        Ok(file.fork)
    })?;
    for ((i, _, _), fork) in stale.iter().zip(forks) {
        list[*i].fork = fork;
    }
    // Files of branches that are gone. A file written in the last minute is left alone: it
    // may be that of a branch another process created after this one listed the refs, and
    // which that process is about to read.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let name = e.file_name();
            let young = e
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| t.elapsed().map_or(true, |age| age < ORPHAN_GRACE))
                .unwrap_or(true);
            if name.to_string_lossy().ends_with(".tsv") && !live.contains(&name) && !young {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    progress.finish();
    if seen != Some(trunk) {
        write_atomic(&trunk_file, trunk.to_string().as_bytes())?;
    }
    Ok(Editions { list })
}

/// Writes a file atomically: readers see the old one or the new one, never half.
pub(super) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().context("index path has no parent")?;
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(tmp.as_file_mut(), bytes)?;
    tmp.persist(path)?;
    Ok(())
}
