//! The derived article index: what `list` needs for every article, cached under
//! `.git/tribune/index/` and keyed by the ref tips it was built from.
//!
//! When the trunk moves, only the articles that changed between the indexed tree and the
//! new one are read again (a tree diff skips identical shards without opening them); a
//! contingent branch's overlay is recomputed only when that branch or the trunk moved.
//! Deleting the directory changes no result, it only makes the next read slower.

use crate::commons::Commons;
use crate::git::Oid;
use crate::model::layout;
use anyhow::{Context, Result};
use by_slug::BySlug;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

mod arrivals;
mod branch_texts;
mod by_slug;
mod counts;
mod editions;
mod front;
pub mod noted;

pub use editions::{BranchVersion, Edition, Editions, CONTINGENT_BRANCHES};
pub(crate) use front::entry_fields;
#[cfg(test)]
use front::*;
pub use front::{entry_from_text, Fields};

/// The trunk's entry for one article, read from the trunk itself (no index needed).
pub fn trunk_entry(commons: &Commons, slug: &str) -> Result<Option<Entry>> {
    let repo = &commons.repo;
    let tree = repo.commit_tree(commons.trunk_tip()?)?;
    match repo.blob_at(tree, &layout::article_text(slug))? {
        Some((id, bytes)) => Ok(Some(entry_from_text(slug, id, &bytes))),
        None => Ok(None),
    }
}

/// Writes a file under the git directory atomically.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    editions::write_atomic(path, bytes)
}

/// The editions alone, fresh (no trunk articles read): for commands about one article.
pub fn editions(commons: &Commons) -> Result<Editions> {
    editions::load(commons)
}
use std::path::PathBuf;

/// 5: entries carry their arrival's place on the trunk's line, and the header the tip's.
const FORMAT: u32 = 5;

/// One article as the trunk has it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub slug: String,
    pub title: String,
    pub contingent: String,
    /// `YYYY-MM-DD`, as written in the front matter (empty when unreadable).
    pub date: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// The trunk version: the blob id of `index.md`.
    pub version: String,
    /// When the article arrived on the trunk, in seconds since the epoch: the commit time of
    /// the commit on the trunk's first-parent line that added its text (the last one, if it
    /// was removed and added again; for an article merged in, the merge). 0 where unknown
    /// (an entry read from one tree, without the index).
    #[serde(default)]
    pub arrived: i64,
    /// The place on the trunk's first-parent line of the commit it arrived with (1 for the
    /// first commit that had `articles/`, counted in this clone): the order of articles
    /// that arrived in the same second. 0 where unknown.
    #[serde(default)]
    pub arrived_seq: u64,
}

#[derive(Debug, Default)]
struct IndexFile {
    trunk: String,
    trunk_tree: String,
    /// The trunk tip's place on its first-parent line (see [`Entry::arrived_seq`]).
    trunk_seq: u64,
    articles: Vec<Entry>,
}

/// The index, fresh for the current ref tips.
pub struct Index {
    pub articles: Vec<Entry>,
    pub editions: Editions,
    /// Slug → the distinct versions on contingent branches.
    branch_versions: HashMap<String, Vec<String>>,
}

impl Index {
    /// How many distinct versions of an article exist across the trunk and the
    /// contingent branches.
    pub fn version_count(&self, e: &Entry) -> usize {
        version_count(&self.branch_versions, e)
    }

    /// Its parts: the trunk's articles, the editions, and what [`version_count`] reads.
    pub fn into_parts(mut self) -> (Vec<Entry>, Editions, HashMap<String, Vec<String>>) {
        let editions = std::mem::replace(&mut self.editions, Editions { list: Vec::new() });
        (std::mem::take(&mut self.articles), editions, std::mem::take(&mut self.branch_versions))
    }
}

impl Drop for Index {
    /// The entries are not freed one by one: a command that loaded the index ends soon
    /// after, and freeing 100,000 entries was a twentieth of a cold `list`, after its output.
    fn drop(&mut self) {
        std::mem::forget(std::mem::take(&mut self.articles));
        std::mem::forget(std::mem::take(&mut self.branch_versions));
    }
}

/// How many distinct versions of an article exist across the trunk and the contingent
/// branches, from the distinct versions of each slug on the branches.
pub fn version_count(branch_versions: &HashMap<String, Vec<String>>, e: &Entry) -> usize {
    1 + branch_versions.get(&e.slug).map_or(0, |vs| vs.iter().filter(|v| **v != e.version).count())
}

fn index_path(commons: &Commons) -> PathBuf {
    commons.state_dir().join("index").join("articles.tsv")
}

/// Loads the index, bringing it up to date with the refs first.
pub fn load(commons: &Commons) -> Result<Index> {
    let repo = &commons.repo;
    let tip = commons.trunk_tip()?;
    let tree = repo.commit_tree(tip)?;
    let path = index_path(commons);
    let mut file: IndexFile =
        std::fs::read_to_string(&path).ok().and_then(|text| IndexFile::parse(&text)).unwrap_or_default();
    let old_tree: Option<Oid> = file.trunk_tree.parse().ok().filter(|t| repo.has_object(*t));
    let mut saving = false;
    if file.trunk != tip.to_string() || old_tree.is_none() {
        let old_tip: Option<Oid> = file.trunk.parse().ok();
        let old = old_tree.zip(old_tip);
        let (articles, seq) =
            refresh_trunk(commons, std::mem::take(&mut file.articles), old, file.trunk_seq, tip, tree)?;
        file.articles = articles;
        file.trunk_seq = seq;
        file.trunk = tip.to_string();
        file.trunk_tree = tree.to_string();
        saving = true;
    }
    // The trunk's part is saved on another thread while the editions are read (writing
    // 100,000 entries is a tenth of a site's incremental build). Best effort: an index
    // that cannot be saved is rebuilt next time.
    let (editions, branch_versions) = std::thread::scope(|scope| {
        let file = &file;
        let saved = saving.then(|| scope.spawn(move || save(&path, file)));
        let read = editions_and_counts(commons);
        if let Some(saved) = saved {
            let _ = saved.join();
        }
        read
    })?;
    Ok(Index { articles: file.articles, editions, branch_versions })
}

/// The editions, brought up to date, and the distinct versions of each article on them.
fn editions_and_counts(commons: &Commons) -> Result<(Editions, HashMap<String, Vec<String>>)> {
    let editions = {
        // The trunk's directories kept by a full build (see refresh_trunk) are freed once
        // the editions are read, whatever happened.
        struct Unshare;
        impl Drop for Unshare {
            fn drop(&mut self) {
                crate::git::Repo::stop_sharing_trees();
                crate::git::Repo::enable_object_cache();
            }
        }
        let _unshare = Unshare;
        editions::load(commons)?
    };
    let branch_versions = counts::counts(commons, &editions)?;
    Ok((editions, branch_versions))
}

/// The summary a rewrite was given (`-m`: the message's second paragraph when it is not
/// trailers), else its subject.
pub fn summary_of(message: &str) -> String {
    let paragraphs: Vec<&str> = message.trim().split("\n\n").collect();
    if paragraphs.len() >= 3 {
        return paragraphs[1].lines().collect::<Vec<_>>().join(" ");
    }
    if paragraphs.len() == 2 && crate::git::trailers(message).is_empty() {
        return paragraphs[1].lines().collect::<Vec<_>>().join(" ");
    }
    paragraphs.first().copied().unwrap_or("").to_string()
}

fn save(path: &std::path::Path, file: &IndexFile) -> Result<()> {
    let dir = path.parent().context("index path has no parent")?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(tmp.as_file_mut(), file.render().as_bytes())?;
    // Atomic: a reader sees the old index or the new one, never half of one.
    tmp.persist(path)?;
    Ok(())
}

/// The index file is tab-separated text, one record per line, because it is read on
/// every `list`: parsing 100,000 lines of it takes a fraction of what JSON takes.
///
/// ```text
/// tribune-index <FORMAT> <trunk commit> <trunk tree> <trunk seq>
/// A <slug> <title> <contingent> <date> <tags, ','-joined> <authors, US-joined> <version> <arrived> <arrived seq>
/// ```
impl IndexFile {
    fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = String::with_capacity(self.articles.len() * 200);
        out.push_str(&format!("tribune-index\t{FORMAT}\t{}\t{}\t{}\n", self.trunk, self.trunk_tree, self.trunk_seq));
        // Written straight into `out`, escaped as `escape` escapes: a cold build writes
        // 100,000 lines, and a String for each field was most of the cost.
        let list = |out: &mut String, items: &[String], sep: char| {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(sep);
                }
                push_escaped(out, item);
            }
        };
        for e in &self.articles {
            out.push_str("A\t");
            for field in [&e.slug, &e.title, &e.contingent, &e.date] {
                push_escaped(&mut out, field);
                out.push('\t');
            }
            list(&mut out, &e.tags, ',');
            out.push('\t');
            list(&mut out, &e.authors, '\x1f');
            out.push('\t');
            push_escaped(&mut out, &e.version);
            let _ = writeln!(out, "\t{}\t{}", e.arrived, e.arrived_seq);
        }
        out
    }

    /// None when the file is from another format or damaged: it is then rebuilt.
    fn parse(text: &str) -> Option<IndexFile> {
        let mut lines = text.split('\n');
        let mut head = lines.next()?.split('\t');
        if head.next()? != "tribune-index" || head.next()? != FORMAT.to_string() {
            return None;
        }
        let mut file = IndexFile {
            trunk: head.next()?.to_string(),
            trunk_tree: head.next()?.to_string(),
            trunk_seq: head.next()?.parse().ok()?,
            ..Default::default()
        };
        for line in lines.filter(|l| !l.is_empty()) {
            let mut f = line.split('\t');
            match f.next()? {
                "A" => {
                    let mut next = || f.next().map(unescape);
                    let (slug, title, contingent, date, tags, authors, version, arrived, seq) =
                        (next()?, next()?, next()?, next()?, next()?, next()?, next()?, next()?, next()?);
                    let split = |s: String, sep: char| -> Vec<String> {
                        if s.is_empty() {
                            Vec::new()
                        } else {
                            s.split(sep).map(str::to_string).collect()
                        }
                    };
                    file.articles.push(Entry {
                        slug,
                        title,
                        contingent,
                        date,
                        tags: split(tags, ','),
                        authors: split(authors, '\x1f'),
                        version,
                        arrived: arrived.parse().ok()?,
                        arrived_seq: seq.parse().ok()?,
                    });
                }
                _ => return None,
            }
        }
        Some(file)
    }
}

/// Appends `s` to `out` as [`escape`] writes it.
/// Does `s` hold a character the index's fields escape? (Bytes: a search for any of three
/// chars was a tenth of writing the index.)
fn needs_escape(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\\'))
}

fn push_escaped(out: &mut String, s: &str) {
    if !needs_escape(s) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

pub(crate) fn escape(s: &str) -> String {
    if !needs_escape(s) {
        return s.to_string();
    }
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n")
}

pub(crate) fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `articles/<xx>/<yy>/<slug>/index.md` → `<slug>`, when `<xx>/<yy>` is the slug's own
/// shard (a file someone put in the wrong shard with plain git is not the article).
pub fn slug_of_text_path(p: &str) -> Option<&str> {
    let rest = p.strip_prefix("articles/")?;
    let (shard, rest) = rest.split_at_checked(5)?;
    let (slug, file) = rest.strip_prefix('/')?.split_once('/')?;
    (file == "index.md" && shard == layout::shard(slug)).then_some(slug)
}

/// A text of the trunk that changed: its article, where it is, its blob, what it says.
struct Changed {
    slug: String,
    /// `<xx>/<yy>`, as [`layout::shard`] gives it.
    shard: String,
    id: Oid,
    fields: Fields,
}

/// Brings the entries up to date with the trunk at `tip` (tree `tree`), from `old`: the
/// entries of the tree and commit in `old_at` (whose place on the line is `old_seq`), or
/// nothing (a cold build). Returns them and the tip's place on the line.
fn refresh_trunk(
    commons: &Commons,
    old: Vec<Entry>,
    old_at: Option<(Oid, Oid)>,
    old_seq: u64,
    tip: Oid,
    tree: Oid,
) -> Result<(Vec<Entry>, u64)> {
    let repo = &commons.repo;
    // The commits that brought the changes, newest first: along first parents back to the
    // old tip. When the old tip is not on that line (the trunk was rewound, or reached by a
    // merge whose first parent is another line), the arrival times would have to be read
    // again from the whole line anyway: that is a cold build.
    let since = match old_at {
        Some((_, old_tip)) => arrivals::first_parents_since(repo, tip, old_tip)?,
        None => None,
    };
    let old_tree = old_at.filter(|_| since.is_some()).map(|(t, _)| t);
    if old_tree.is_none() {
        // A full build reads every tree about once: caching them only costs memory. The
        // article directories are kept for the editions' diffs from their fork points.
        crate::git::Repo::disable_object_cache();
        crate::git::Repo::share_trees(true);
    }
    let mut by_slug = BySlug::new(if old_tree.is_some() { old } else { Vec::new() });
    // The texts that changed, read (removed ones leave `by_slug` here).
    let read_texts = |by_slug: &mut BySlug| -> Result<Vec<Changed>> {
        let mut changed = Vec::new();
        for change in repo.changed_paths(old_tree, tree, layout::ARTICLES)? {
            let Some(slug) = slug_of_text_path(&change.path) else {
                continue;
            };
            match change.new {
                None => {
                    by_slug.remove(slug);
                }
                Some(id) => {
                    // `articles/<xx>/<yy>/<slug>/index.md`, as slug_of_text_path checked.
                    let shard = change.path[layout::ARTICLES.len() + 1..][..5].to_string();
                    changed.push(Changed { slug: slug.to_string(), shard, id, fields: Fields::default() });
                }
            }
        }
        let ids: Vec<Oid> = changed.iter().map(|c| c.id).collect();
        let progress = crate::progress::start_if(old_tree.is_none(), "reading articles", Some(ids.len() as u64));
        let fields = repo.map_blobs(&ids, |_, bytes| {
            progress.advance(1);
            entry_fields(bytes)
        })?;
        progress.finish();
        for (c, f) in changed.iter_mut().zip(fields) {
            c.fields = f;
        }
        Ok(changed)
    };
    let (changed, arrived) = match &since {
        // Some commits to read, after the texts: when none changed, nothing is to place.
        Some(line) => {
            let changed = read_texts(&mut by_slug)?;
            let arrived = if changed.is_empty() {
                arrivals::Arrivals::none(old_seq + line.len() as u64)
            } else {
                arrivals::walk(repo, tip, Some((line, old_seq)))?
            };
            (changed, arrived)
        }
        // The whole line: on a thread of its own, beside the reading of the texts, which
        // keeps the other core busy meanwhile.
        None => {
            let dir = repo.git_dir();
            std::thread::scope(|scope| -> Result<_> {
                let walk = scope.spawn(move || arrivals::walk(&crate::git::Repo::open_git_dir(dir)?, tip, None));
                let changed = read_texts(&mut by_slug);
                let waiting = crate::progress::start_if(old_tree.is_none(), "reading the trunk's history", None);
                let arrived = walk.join().map_err(|_| anyhow::anyhow!("reading the trunk's history failed"))?;
                waiting.finish();
                Ok((changed?, arrived?))
            })?
        }
    };
    if old_tree.is_none() {
        // The editions' diffs from their fork points read the trunk's directories kept
        // here; each edition's own directories are read once, so the object cache stays
        // off until they are (see `load`).
        crate::git::Repo::share_trees(false);
    }
    let entries = |part: Vec<Changed>| -> Vec<Entry> {
        let mut new = Vec::with_capacity(part.len());
        for Changed { slug, shard, id, fields } in part {
            // A text that changed but did not arrive in the commits read keeps its time.
            let (time, seq) = match arrived.get(&shard, &slug) {
                Some(a) => (a.time, a.seq),
                None => by_slug.get(&slug).map_or((0, 0), |old| (old.arrived, old.arrived_seq)),
            };
            let mut entry = fields.into_entry(slug, id);
            (entry.arrived, entry.arrived_seq) = (time, seq);
            new.push(entry);
        }
        new
    };
    // A cold build's 100,000 entries are made on both cores.
    let mut changed = changed;
    let new = if changed.len() < 10_000 {
        entries(changed)
    } else {
        let second = changed.split_off(changed.len() / 2);
        let (mut first, second) = std::thread::scope(|scope| {
            let other = scope.spawn(|| entries(second));
            (entries(changed), other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        });
        first.extend(second);
        first
    };
    let tip_seq = arrived.tip_seq;
    if old_tree.is_none() {
        // A whole line's arrivals are many small allocations: freed beside the editions'
        // pass rather than before it.
        std::thread::spawn(move || drop(arrived));
    }
    by_slug.put_all(new);
    Ok((by_slug.0, tip_seq))
}

#[cfg(test)]
mod tests;
