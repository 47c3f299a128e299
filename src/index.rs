//! The derived article index: what `list` needs for every article, cached under
//! `.git/tribune/index/` and keyed by the ref tips it was built from.
//!
//! When the trunk moves, only the articles that changed between the indexed tree and the
//! new one are read again (a tree diff skips identical shards without opening them); a
//! contingent branch's overlay is recomputed only when that branch or the trunk moved.
//! Deleting the directory changes no result, it only makes the next read slower.

use crate::commons::Commons;
use crate::git::Oid;
use crate::model::article::split;
use crate::model::layout;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

const FORMAT: u32 = 2;

/// One article as the trunk has it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
}

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
    /// `Tribune-Trunk-Base`: the trunk version this line of rewrites started from, else the
    /// trunk text where the branch left the trunk ("" when the trunk had no such article).
    pub trunk_base: String,
}

#[derive(Debug, Default)]
struct Branch {
    tip: String,
    /// Where the branch last left the trunk (the merge base), "" when unrelated.
    fork: String,
    /// Slug → the branch's own text, for every article the branch changed since the fork.
    versions: BTreeMap<String, BranchVersion>,
}

/// A contingent's edition as the index knows it.
#[derive(Debug)]
pub struct Edition {
    /// The full ref name, e.g. `refs/heads/contingents/abc` or `refs/remotes/origin/contingents/abc`.
    pub refname: String,
    /// How people name it: `contingents/abc`, `origin/contingents/abc`.
    pub label: String,
    /// The contingent id.
    pub contingent: String,
    pub versions: BTreeMap<String, BranchVersion>,
}

#[derive(Debug, Default)]
struct IndexFile {
    trunk: String,
    trunk_tree: String,
    articles: Vec<Entry>,
    branches: BTreeMap<String, Branch>,
}

/// The index, fresh for the current ref tips.
pub struct Index {
    pub articles: Vec<Entry>,
    pub editions: Vec<Edition>,
    /// Slug → the distinct versions on contingent branches.
    branch_versions: HashMap<String, BTreeSet<String>>,
}

impl Index {
    /// How many distinct versions of an article exist across the trunk and the
    /// contingent branches.
    pub fn version_count(&self, e: &Entry) -> usize {
        let mut n = 1;
        if let Some(vs) = self.branch_versions.get(&e.slug) {
            n += vs.iter().filter(|v| **v != e.version).count();
        }
        n
    }

    /// The trunk entry of an article.
    pub fn article(&self, slug: &str) -> Option<&Entry> {
        self.articles.binary_search_by(|e| e.slug.as_str().cmp(slug)).ok().map(|i| &self.articles[i])
    }

    /// Every edition's own text of `slug`.
    pub fn rewrites<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = (&'a Edition, &'a BranchVersion)> + 'a {
        self.editions.iter().filter_map(move |e| e.versions.get(slug).map(|v| (e, v)))
    }

    /// The local edition of a contingent.
    pub fn edition(&self, contingent: &str) -> Option<&Edition> {
        let name = format!("{CONTINGENT_BRANCHES}{contingent}");
        self.editions.iter().find(|e| e.refname == name)
    }
}

fn index_path(commons: &Commons) -> PathBuf {
    commons.state_dir().join("index").join("articles.tsv")
}

/// The prefix of contingent branches.
pub const CONTINGENT_BRANCHES: &str = "refs/heads/contingents/";

/// Loads the index, bringing it up to date with the refs first.
pub fn load(commons: &Commons) -> Result<Index> {
    let repo = &commons.repo;
    let tip = commons.trunk_tip()?;
    let tree = repo.commit_tree(tip)?;
    let path = index_path(commons);
    let mut file: IndexFile =
        std::fs::read_to_string(&path).ok().and_then(|text| IndexFile::parse(&text)).unwrap_or_default();
    let mut dirty = false;
    let mut trunk_moved = false;

    let old_trunk = file.trunk.clone();
    let old_tree: Option<Oid> = file.trunk_tree.parse().ok().filter(|t| repo.has_object(*t));
    if file.trunk != tip.to_string() || old_tree.is_none() {
        file.articles = refresh_trunk(commons, std::mem::take(&mut file.articles), old_tree, tree)?;
        file.trunk = tip.to_string();
        file.trunk_tree = tree.to_string();
        dirty = true;
        trunk_moved = true;
    }

    // A trunk that moved forward leaves every branch's fork point where it was; a trunk
    // that was rewound (or an index from elsewhere) means computing them again.
    let trunk_rewound = trunk_moved
        && match old_trunk.parse::<Oid>() {
            Ok(old) => !repo.has_object(old) || !repo.is_ancestor(old, tip)?,
            Err(_) => true,
        };

    let mut branches = repo.refs_with_prefix(CONTINGENT_BRANCHES)?;
    branches.extend(repo.refs_with_prefix("refs/remotes/")?.into_iter().filter(|(n, _)| n.contains("/contingents/")));
    let live: BTreeSet<&str> = branches.iter().map(|(n, _)| n.as_str()).collect();
    let before = file.branches.len();
    file.branches.retain(|name, _| live.contains(name.as_str()));
    dirty |= file.branches.len() != before;
    for (name, branch_tip) in &branches {
        let old = file.branches.remove(name);
        let fresh = old.as_ref().is_some_and(|b| b.tip == branch_tip.to_string()) && !trunk_rewound;
        let branch = match old {
            Some(b) if fresh => b,
            old => {
                dirty = true;
                refresh_branch(commons, tip, *branch_tip, old)?
            }
        };
        file.branches.insert(name.clone(), branch);
    }

    if dirty {
        // Best effort: an index that cannot be saved is rebuilt next time.
        let _ = save(&path, &file);
    }
    let mut branch_versions: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut editions = Vec::new();
    for (name, b) in file.branches {
        for (slug, v) in &b.versions {
            branch_versions.entry(slug.clone()).or_default().insert(v.version.clone());
        }
        let label = name
            .strip_prefix("refs/heads/")
            .or_else(|| name.strip_prefix("refs/remotes/"))
            .unwrap_or(&name)
            .to_string();
        let contingent = name.rsplit('/').next().unwrap_or_default().to_string();
        editions.push(Edition { refname: name, label, contingent, versions: b.versions });
    }
    Ok(Index { articles: file.articles, editions, branch_versions })
}

/// Computes a branch's own versions: what it changed since it last left the trunk, each
/// with the commit that made it. Metadata of texts that did not change is kept from `old`;
/// the branch's own history is walked (newest first) only for the rest.
fn refresh_branch(commons: &Commons, trunk: Oid, tip: Oid, old: Option<Branch>) -> Result<Branch> {
    let repo = &commons.repo;
    let fork = repo.merge_base(trunk, tip)?;
    let fork_tree = match fork {
        Some(f) => Some(repo.commit_tree(f)?),
        None => None,
    };
    let tree = repo.commit_tree(tip)?;
    let mut wanted: BTreeMap<String, Oid> = BTreeMap::new();
    for change in repo.changed_paths(fork_tree, tree, layout::ARTICLES)? {
        if let (Some(slug), Some(new)) = (slug_of_text_path(&change.path), change.new) {
            wanted.insert(slug.to_string(), new);
        }
    }
    let mut versions: BTreeMap<String, BranchVersion> = BTreeMap::new();
    if let Some(old) = old {
        for (slug, v) in old.versions {
            if wanted.get(&slug).is_some_and(|w| w.to_string() == v.version) && !v.commit.is_empty() {
                versions.insert(slug, v);
            }
        }
    }
    let mut missing: BTreeSet<String> = wanted.keys().filter(|s| !versions.contains_key(*s)).cloned().collect();
    // Where a commit left the trunk: the newest trunk commit it contains.
    let mut trunk_tree_of: HashMap<Oid, Option<Oid>> = HashMap::new();
    if !missing.is_empty() {
        for id in repo.walk(tip, &[trunk])? {
            let info = repo.commit(id?)?;
            // Merges bring the trunk in (`tribune update`); the branch's own work is in the
            // other commits.
            if info.parents.len() != 1 {
                continue;
            }
            let parent_tree = repo.commit_tree(info.parents[0])?;
            for change in repo.changed_paths(Some(parent_tree), info.tree, layout::ARTICLES)? {
                let Some(slug) = slug_of_text_path(&change.path) else { continue };
                if !missing.contains(slug) || change.new != wanted.get(slug).copied() {
                    continue;
                }
                missing.remove(slug);
                let mut trunk_base = info.trailer("Tribune-Trunk-Base").unwrap_or_default().to_string();
                if trunk_base.is_empty() {
                    // No trailer (a rewrite made with plain git): its base is the trunk's text
                    // where this commit left the trunk. Ancestry, not dates, and not the
                    // branch's later merges.
                    let left = match trunk_tree_of.get(&info.id) {
                        Some(t) => *t,
                        None => {
                            let t = repo.merge_base(trunk, info.id)?.map(|m| repo.commit_tree(m)).transpose()?;
                            trunk_tree_of.insert(info.id, t);
                            t
                        }
                    };
                    if let Some(t) = left {
                        if let Some(e) = repo.entry_at(t, &change.path)? {
                            trunk_base = e.id.to_string();
                        }
                    }
                }
                versions.insert(
                    slug.to_string(),
                    BranchVersion {
                        version: String::new(),
                        title: String::new(),
                        commit: info.id.to_string(),
                        author: info.author.name.clone(),
                        time: info.author.when.seconds,
                        summary: summary_of(&info.message),
                        base: info.trailer("Tribune-Base").unwrap_or_default().to_string(),
                        trunk_base,
                    },
                );
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
            v.title = entry_fields(&repo.read_blob(*id)?).title;
        }
        if v.trunk_base.is_empty() {
            // Without a trailer, the rewrite is taken to start from the trunk's text where
            // the branch left the trunk: ancestry, not dates.
            if let Some(ft) = fork_tree {
                if let Some(e) = repo.entry_at(ft, &layout::article_text(slug))? {
                    v.trunk_base = e.id.to_string();
                }
            }
        }
    }
    Ok(Branch { tip: tip.to_string(), fork: fork.map(|f| f.to_string()).unwrap_or_default(), versions })
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
/// tribune-index <FORMAT> <trunk commit> <trunk tree>
/// A <slug> <title> <contingent> <date> <tags, ','-joined> <authors, US-joined> <version>
/// B <branch ref> <tip> <fork commit>
/// V <slug> <version> <title> <commit> <author> <time> <summary> <base> <trunk base>
///                             (a rewrite on the branch named by the last B line)
/// ```
impl IndexFile {
    fn render(&self) -> String {
        let mut out = String::with_capacity(self.articles.len() * 200);
        out.push_str(&format!("tribune-index\t{FORMAT}\t{}\t{}\n", self.trunk, self.trunk_tree));
        for e in &self.articles {
            let fields = [
                escape(&e.slug),
                escape(&e.title),
                escape(&e.contingent),
                escape(&e.date),
                escape(&e.tags.join(",")),
                escape(&e.authors.join("\x1f")),
                escape(&e.version),
            ];
            out.push_str("A\t");
            out.push_str(&fields.join("\t"));
            out.push('\n');
        }
        for (name, b) in &self.branches {
            out.push_str(&format!("B\t{}\t{}\t{}\n", escape(name), b.tip, b.fork));
            for (slug, v) in &b.versions {
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
        let mut file =
            IndexFile { trunk: head.next()?.to_string(), trunk_tree: head.next()?.to_string(), ..Default::default() };
        let mut branch: Option<String> = None;
        for line in lines.filter(|l| !l.is_empty()) {
            let mut f = line.split('\t');
            match f.next()? {
                "A" => {
                    let mut next = || f.next().map(unescape);
                    let (slug, title, contingent, date, tags, authors, version) =
                        (next()?, next()?, next()?, next()?, next()?, next()?, next()?);
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
                    });
                }
                "B" => {
                    let name = unescape(f.next()?);
                    let tip = f.next()?.to_string();
                    let fork = f.next()?.to_string();
                    file.branches.insert(name.clone(), Branch { tip, fork, versions: BTreeMap::new() });
                    branch = Some(name);
                }
                "V" => {
                    let b = file.branches.get_mut(branch.as_ref()?)?;
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
                    b.versions.insert(slug, v);
                }
                _ => return None,
            }
        }
        Some(file)
    }
}

fn escape(s: &str) -> String {
    if !s.contains(['\t', '\n', '\\']) {
        return s.to_string();
    }
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n")
}

fn unescape(s: &str) -> String {
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

/// `articles/<xx>/<slug>/index.md` → `<slug>`, when `<xx>` is the slug's own shard (a file
/// someone put in the wrong shard with plain git is not the article).
pub fn slug_of_text_path(p: &str) -> Option<&str> {
    let rest = p.strip_prefix("articles/")?;
    let mut parts = rest.split('/');
    let (shard, slug, file, none) = (parts.next()?, parts.next()?, parts.next()?, parts.next());
    (file == "index.md" && none.is_none() && shard == layout::shard(slug)).then_some(slug)
}

fn refresh_trunk(commons: &Commons, old: Vec<Entry>, old_tree: Option<Oid>, tree: Oid) -> Result<Vec<Entry>> {
    let repo = &commons.repo;
    let mut by_slug: BTreeMap<String, Entry> =
        if old_tree.is_some() { old.into_iter().map(|e| (e.slug.clone(), e)).collect() } else { BTreeMap::new() };
    let mut to_read: Vec<(String, Oid)> = Vec::new();
    for change in repo.changed_paths(old_tree, tree, layout::ARTICLES)? {
        let Some(slug) = slug_of_text_path(&change.path) else {
            continue;
        };
        match change.new {
            None => {
                by_slug.remove(slug);
            }
            Some(id) => to_read.push((slug.to_string(), id)),
        }
    }
    let ids: Vec<Oid> = to_read.iter().map(|(_, id)| *id).collect();
    let entries = repo.map_blobs(&ids, |id, bytes| (id, entry_fields(bytes)))?;
    for ((slug, _), (id, fields)) in to_read.into_iter().zip(entries) {
        by_slug.insert(slug.clone(), fields.into_entry(slug, id));
    }
    Ok(by_slug.into_values().collect())
}

/// What the index keeps of an article's front matter.
#[derive(Debug, Default, PartialEq)]
pub struct Fields {
    title: String,
    contingent: String,
    date: String,
    tags: Vec<String>,
    authors: Vec<String>,
}

impl Fields {
    fn into_entry(self, slug: String, version: Oid) -> Entry {
        Entry {
            slug,
            title: if self.title.is_empty() { "(no title)".into() } else { self.title },
            contingent: self.contingent,
            date: self.date,
            tags: self.tags,
            authors: self.authors,
            version: version.to_string(),
        }
    }
}

/// An index entry for one article text.
pub fn entry_from_text(slug: &str, version: Oid, bytes: &[u8]) -> Entry {
    entry_fields(bytes).into_entry(slug.to_string(), version)
}

/// Reads just what the index needs from an article's front matter, leniently: an article
/// someone committed with plain git and broken front matter is still listed.
fn entry_fields(bytes: &[u8]) -> Fields {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let Some((front, _)) = split("", &text).ok().flatten() else { return Fields::default() };
    // A full TOML parse is most of the cost of a cold index over 100,000 articles; the
    // simple line-by-line reading handles what tribune writes, and anything it does not
    // understand goes to the real parser.
    simple_front(&front).unwrap_or_else(|| table_front(&front))
}

/// The full TOML reading, field by field, so that one odd field does not hide the others.
fn table_front(front: &str) -> Fields {
    let Ok(t) = toml::from_str::<toml::Table>(front) else { return Fields::default() };
    let string = |k: &str| t.get(k).and_then(|v| v.as_str()).map(|s| s.trim().to_string()).unwrap_or_default();
    let strings = |k: &str| -> Vec<String> {
        t.get(k)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).map(|s| s.trim().to_string()).collect())
            .unwrap_or_default()
    };
    Fields {
        title: string("title"),
        contingent: string("contingent"),
        date: crate::model::article::parse_date(t.get("date"))
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        tags: strings("tags"),
        authors: strings("authors"),
    }
}

/// Reads `key = value` lines whose values are one-line strings without escapes, arrays of
/// such strings, or dates. None as soon as anything else matters.
fn simple_front(front: &str) -> Option<Fields> {
    let mut f = Fields::default();
    for line in front.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            break; // a table: every top-level key comes before it
        }
        let (key, value) = line.split_once('=')?;
        let (key, value) = (key.trim(), value.trim());
        if !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return None;
        }
        if value.starts_with("\"\"\"") || value.starts_with("'''") || (value.starts_with('[') && !value.contains(']')) {
            return None; // multi-line values
        }
        match key {
            "title" => f.title = simple_string(value)?.0,
            "contingent" => f.contingent = simple_string(value)?.0,
            "date" => {
                let d = value.get(..10)?;
                let b = d.as_bytes();
                let rest = value[10..].trim_start();
                if b[4] != b'-' || b[7] != b'-' || !(rest.is_empty() || rest.starts_with('#')) {
                    return None;
                }
                f.date = d.to_string();
            }
            "tags" => f.tags = simple_array(value)?,
            "authors" => f.authors = simple_array(value)?,
            _ => {}
        }
    }
    Some(f)
}

/// A one-line string without escapes at the start of `value`, and what follows it.
fn simple_string(value: &str) -> Option<(String, &str)> {
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &value[1..];
    let end = rest.find(quote)?;
    let s = &rest[..end];
    if quote == '"' && s.contains('\\') {
        return None;
    }
    let after = rest[end + 1..].trim_start();
    Some((s.to_string(), after))
}

fn simple_array(value: &str) -> Option<Vec<String>> {
    let mut rest = value.strip_prefix('[')?.trim_start();
    let mut out = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(']') {
            let after = after.trim_start();
            return (after.is_empty() || after.starts_with('#')).then_some(out);
        }
        let (s, after) = simple_string(rest)?;
        out.push(s);
        rest = after.strip_prefix(',').unwrap_or(after).trim_start();
        if !after.starts_with(',') && !after.starts_with(']') {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simple_reader_agrees_with_toml_or_steps_aside() {
        let cases = [
            "title = \"A # b\"\ncontingent = 'abc' # c\ndate = 2026-11-21\ntags = [\"x\", 'y']\nauthors = []\n",
            "title = \"Esc \\\" q\"\ncontingent = \"abc\"\ndate = 2026-11-21\n",
            "title = \"\"\"multi\nline\"\"\"\ndate = 2026-11-21\n",
            "authors = [\n  \"a\",\n]\ntitle = \"t\"\n",
            "title = \"t\"\n[[derived_from]]\ntitle = \"not me\"\n",
            "date = 2026-11-21T10:00:00Z\ntitle = \"t\"\n",
        ];
        for front in cases {
            let full = table_front(front);
            if let Some(simple) = simple_front(front) {
                assert_eq!(simple, full, "{front}");
            }
        }
        assert!(simple_front(cases[0]).is_some());
    }

    #[test]
    fn the_index_file_round_trips_awkward_text() {
        let mut file = IndexFile { trunk: "t".into(), trunk_tree: "tt".into(), ..Default::default() };
        file.articles.push(Entry {
            slug: "s".into(),
            title: "tab\there\nnewline \\ back".into(),
            contingent: "abc".into(),
            date: "2026-11-21".into(),
            tags: vec!["a".into(), "b".into()],
            authors: vec!["X, Y".into(), "Z".into()],
            version: "v".into(),
        });
        let mut b = Branch { tip: "tip".into(), ..Default::default() };
        let v = BranchVersion { version: "v2".into(), title: "T\tx".into(), time: 7, ..Default::default() };
        b.versions.insert("s".into(), v.clone());
        file.branches.insert("refs/heads/contingents/abc".into(), b);
        let again = IndexFile::parse(&file.render()).unwrap();
        assert_eq!(again.articles, file.articles);
        assert_eq!(again.branches["refs/heads/contingents/abc"].versions["s"], v);
        assert!(IndexFile::parse("tribune-index\t0\tx\ty\n").is_none());
    }

    #[test]
    fn only_article_texts_have_slugs() {
        let shard = layout::shard("strike");
        assert_eq!(slug_of_text_path(&format!("articles/{shard}/strike/index.md")), Some("strike"));
        assert_eq!(slug_of_text_path("articles/zz/strike/index.md"), None);
        assert_eq!(slug_of_text_path(&format!("articles/{shard}/strike/photo.jpg")), None);
        assert_eq!(slug_of_text_path("statements/x/index.md"), None);
    }
}
