//! The editions part of the index: each contingent branch's own texts, one file per
//! branch under `.git/tribune/index/editions/`, sorted by slug.
//!
//! A file is keyed by its branch's tip and fork point. When a branch only moved forward by
//! ordinary commits (a rewrite), just those commits are read; a merge (an update from the
//! trunk) or a rewound trunk recomputes the branch from its fork point. Reading one
//! article's rewrites is a binary search in each file, so `versions SLUG` does not parse
//! a hundred editions of a thousand rewrites each.

use super::{escape, slug_of_text_path, summary_of, unescape};
use crate::commons::Commons;
use crate::git::{Oid, Repo};
use crate::model::layout;
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
struct File {
    tip: String,
    fork: String,
    versions: BTreeMap<String, BranchVersion>,
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

/// A branch's own texts. From `old` when the branch only moved forward by ordinary
/// commits (the common case: a rewrite), else from the fork point.
fn refresh(repo: &Repo, trunk: Oid, tip: Oid, old: Option<File>) -> Result<File> {
    if let Some(old) = old {
        let fork_now = repo.merge_base(trunk, tip)?.map(|f| f.to_string()).unwrap_or_default();
        if let (Ok(old_tip), Ok(fork), true) = (old.tip.parse::<Oid>(), old.fork.parse::<Oid>(), fork_now == old.fork) {
            if repo.has_object(old_tip) && repo.is_ancestor(old_tip, tip)? {
                if let Some(file) = forward(repo, trunk, tip, old_tip, fork, &old)? {
                    return Ok(file);
                }
            }
        }
        return recompute(repo, trunk, tip, Some(old));
    }
    recompute(repo, trunk, tip, None)
}

/// Applies the commits from `old_tip` to `tip` to `old`; None when one of them is a merge.
fn forward(repo: &Repo, trunk: Oid, tip: Oid, old_tip: Oid, fork: Oid, old: &File) -> Result<Option<File>> {
    let mut commits = Vec::new();
    for id in repo.walk(tip, &[old_tip])? {
        let info = repo.commit(id?)?;
        if info.parents.len() != 1 {
            return Ok(None);
        }
        commits.push(info);
    }
    let fork_tree = repo.commit_tree(fork)?;
    let mut versions = old.versions.clone();
    let mut trunk_tree_of = HashMap::new();
    for info in commits.iter().rev() {
        let parent_tree = repo.commit_tree(info.parents[0])?;
        for change in repo.changed_paths(Some(parent_tree), info.tree, layout::ARTICLES)? {
            let Some(slug) = slug_of_text_path(&change.path) else { continue };
            let at_fork = repo.entry_at(fork_tree, &change.path)?.map(|e| e.id);
            match change.new {
                Some(new) if Some(new) != at_fork => {
                    let mut v = version_from(repo, trunk, info, &change.path, &mut trunk_tree_of, None)?;
                    v.version = new.to_string();
                    v.title = super::entry_fields(&repo.read_blob(new)?).title;
                    versions.insert(slug.to_string(), v);
                }
                // Back to the fork's text, or removed: no longer the branch's own.
                _ => {
                    versions.remove(slug);
                }
            }
        }
    }
    Ok(Some(File { tip: tip.to_string(), fork: fork.to_string(), versions }))
}

/// What a commit says of the text it made at `path`.
fn version_from(
    repo: &Repo,
    trunk: Oid,
    info: &crate::git::CommitInfo,
    path: &str,
    trunk_tree_of: &mut HashMap<Oid, Option<Oid>>,
    at_fork: Option<&AtFork>,
) -> Result<BranchVersion> {
    // Trailers are only believed when they name an object that exists; anything else
    // (a typo, a forgery) falls back to what ancestry says.
    let named = |key: &str| {
        info.trailer(key).and_then(|v| v.parse::<Oid>().ok()).filter(|id| repo.has_object(*id)).map(|id| id.to_string())
    };
    let mut trunk_base = named("Tribune-Trunk-Base").unwrap_or_default();
    if trunk_base.is_empty() {
        // No trailer (a rewrite made with plain git): its base is the trunk's text where
        // this commit left the trunk. Ancestry, not dates, and not the branch's later merges.
        let left = match trunk_tree_of.get(&info.id) {
            Some(t) => *t,
            None => {
                let t = repo.merge_base(trunk, info.id)?.map(|m| repo.commit_tree(m)).transpose()?;
                trunk_tree_of.insert(info.id, t);
                t
            }
        };
        // Where it left the trunk at the branch's fork point (a bulk rewrite, or any commit
        // since the last update), the fork's texts are known already: no lookup from the root.
        let known = at_fork.filter(|f| left.is_some() && left == Some(f.tree)).and_then(|f| f.texts.get(path));
        if let Some(base) = known {
            trunk_base = base.map(|b| b.to_string()).unwrap_or_default();
        } else if let Some(t) = left {
            if let Some(e) = repo.entry_at(t, path)? {
                trunk_base = e.id.to_string();
            }
        }
    }
    Ok(BranchVersion {
        version: String::new(),
        title: String::new(),
        commit: info.id.to_string(),
        author: info.author.name.clone(),
        time: info.author.when.seconds,
        summary: summary_of(&info.message),
        base: named("Tribune-Base").unwrap_or_default(),
        trunk_base,
    })
}

/// The texts of a branch's fork point at the paths the branch changed (None: absent there).
pub(super) struct AtFork {
    pub(super) tree: Oid,
    pub(super) texts: HashMap<String, Option<Oid>>,
}

/// The changes of a commit on the fork point whose tree is `at`, from the branch's changes
/// since the fork (`since_fork`, to the tip's tree `tip`) and the few the commits above it
/// made: a bulk rewrite under one more commit is not diffed from the fork again (a second
/// reading of a thousand rewritten directories).
pub(super) fn from_fork(
    repo: &Repo,
    fork: &AtFork,
    since_fork: &[crate::git::PathChange],
    at: Oid,
    tip: Oid,
) -> Result<Vec<crate::git::PathChange>> {
    // What the commits above changed: there the commit's text is the old side.
    let above = repo.changed_paths(Some(at), tip, layout::ARTICLES)?;
    let above_paths: HashSet<&str> = above.iter().map(|c| c.path.as_str()).collect();
    let mut out: Vec<crate::git::PathChange> =
        since_fork.iter().filter(|c| !above_paths.contains(c.path.as_str())).cloned().collect();
    for c in above {
        let at_fork = match fork.texts.get(&c.path) {
            Some(old) => *old,
            None => repo.entry_at(fork.tree, &c.path)?.filter(|e| !e.is_tree).map(|e| e.id),
        };
        if at_fork != c.old {
            out.push(crate::git::PathChange { path: c.path, old: at_fork, new: c.old });
        }
    }
    Ok(out)
}

/// Computes a branch's own texts from its fork point: what it changed since it last left
/// the trunk, each with the commit that made it. Metadata of texts that did not change is
/// kept from `old`; the branch's own history is walked (newest first) only for the rest.
fn recompute(repo: &Repo, trunk: Oid, tip: Oid, old: Option<File>) -> Result<File> {
    let fork = repo.merge_base(trunk, tip)?;
    let fork_tree = fork.map(|f| repo.commit_tree(f)).transpose()?;
    let tree = repo.commit_tree(tip)?;
    let mut wanted: BTreeMap<String, Oid> = BTreeMap::new();
    let since_fork = repo.changed_paths(fork_tree, tree, layout::ARTICLES)?;
    for change in &since_fork {
        if let (Some(slug), Some(new)) = (slug_of_text_path(&change.path), change.new) {
            wanted.insert(slug.to_string(), new);
        }
    }
    let at_fork =
        fork_tree.map(|t| AtFork { tree: t, texts: since_fork.iter().map(|c| (c.path.clone(), c.old)).collect() });
    let mut versions: BTreeMap<String, BranchVersion> = BTreeMap::new();
    if let Some(old) = old {
        for (slug, v) in old.versions {
            if wanted.get(&slug).is_some_and(|w| w.to_string() == v.version) && !v.commit.is_empty() {
                versions.insert(slug, v);
            }
        }
    }
    let mut missing: BTreeSet<String> = wanted.keys().filter(|s| !versions.contains_key(*s)).cloned().collect();
    let mut trunk_tree_of = HashMap::new();
    if !missing.is_empty() {
        for id in repo.walk(tip, &[trunk])? {
            let info = repo.commit(id?)?;
            // Merges bring the trunk in (`tribune update`); the branch's own work is in the
            // other commits.
            if info.parents.len() != 1 {
                continue;
            }
            let parent_tree = repo.commit_tree(info.parents[0])?;
            // A commit made on the fork point (a bulk rewrite, perhaps with commits since):
            // its changes are the fork's, diffed already, but where the commits above it
            // changed the text again.
            let own;
            let changes: &[crate::git::PathChange] = match &at_fork {
                Some(f) if parent_tree == f.tree && info.tree == tree => &since_fork,
                Some(f) if parent_tree == f.tree => {
                    own = from_fork(repo, f, &since_fork, info.tree, tree)?;
                    &own
                }
                _ => {
                    own = repo.changed_paths(Some(parent_tree), info.tree, layout::ARTICLES)?;
                    &own
                }
            };
            for change in changes {
                let Some(slug) = slug_of_text_path(&change.path) else { continue };
                if !missing.contains(slug) || change.new != wanted.get(slug).copied() {
                    continue;
                }
                missing.remove(slug);
                let v = version_from(repo, trunk, &info, &change.path, &mut trunk_tree_of, at_fork.as_ref())?;
                versions.insert(slug.to_string(), v);
            }
            if missing.is_empty() {
                break;
            }
        }
    }
    for (slug, id) in &wanted {
        let v = versions.entry(slug.clone()).or_default();
        if v.version != id.to_string() {
            v.version = id.to_string();
            v.title = super::entry_fields(&repo.read_blob(*id)?).title;
        }
        if v.trunk_base.is_empty() {
            let path = layout::article_text(slug);
            let known = at_fork.as_ref().and_then(|f| f.texts.get(&path));
            if let Some(base) = known {
                v.trunk_base = base.map(|b| b.to_string()).unwrap_or_default();
            } else if let Some(ft) = fork_tree {
                if let Some(e) = repo.entry_at(ft, &path)? {
                    v.trunk_base = e.id.to_string();
                }
            }
        }
    }
    Ok(File { tip: tip.to_string(), fork: fork.map(|f| f.to_string()).unwrap_or_default(), versions })
}
