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

const FORMAT: u32 = 1;

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

#[derive(Debug, Default, Serialize, Deserialize)]
struct Branch {
    tip: String,
    /// Slug → version for every article whose text on this branch differs from the trunk's.
    versions: BTreeMap<String, String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct IndexFile {
    format: u32,
    trunk: String,
    trunk_tree: String,
    articles: Vec<Entry>,
    branches: BTreeMap<String, Branch>,
}

/// The index, fresh for the current ref tips.
pub struct Index {
    pub articles: Vec<Entry>,
    /// Slug → the distinct versions on contingent branches that differ from the trunk.
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
}

fn index_path(commons: &Commons) -> PathBuf {
    commons.state_dir().join("index").join("articles.json")
}

/// The prefix of contingent branches.
pub const CONTINGENT_BRANCHES: &str = "refs/heads/contingents/";

/// Loads the index, bringing it up to date with the refs first.
pub fn load(commons: &Commons) -> Result<Index> {
    let repo = &commons.repo;
    let tip = commons.trunk_tip()?;
    let tree = repo.commit_tree(tip)?;
    let path = index_path(commons);
    let mut file: IndexFile = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .filter(|f: &IndexFile| f.format == FORMAT)
        .unwrap_or_default();
    let mut dirty = false;
    let mut trunk_moved = false;

    let old_tree: Option<Oid> = file.trunk_tree.parse().ok().filter(|t| repo.has_object(*t));
    if file.trunk != tip.to_string() || old_tree.is_none() {
        file.articles = refresh_trunk(commons, std::mem::take(&mut file.articles), old_tree, tree)?;
        file.trunk = tip.to_string();
        file.trunk_tree = tree.to_string();
        dirty = true;
        trunk_moved = true;
    }

    let branches = repo.refs_with_prefix(CONTINGENT_BRANCHES)?;
    let live: BTreeSet<&str> = branches.iter().map(|(n, _)| n.as_str()).collect();
    let before = file.branches.len();
    file.branches.retain(|name, _| live.contains(name.as_str()));
    dirty |= file.branches.len() != before;
    for (name, branch_tip) in &branches {
        let fresh = file.branches.get(name).is_some_and(|b| b.tip == branch_tip.to_string()) && !trunk_moved;
        if fresh {
            continue;
        }
        let branch_tree = repo.commit_tree(*branch_tip)?;
        let mut versions = BTreeMap::new();
        for change in repo.changed_paths(Some(tree), branch_tree, layout::ARTICLES)? {
            if let (Some(slug), Some(new)) = (slug_of_text_path(&change.path), change.new) {
                versions.insert(slug.to_string(), new.to_string());
            }
        }
        file.branches.insert(name.clone(), Branch { tip: branch_tip.to_string(), versions });
        dirty = true;
    }

    if dirty {
        // Best effort: an index that cannot be saved is rebuilt next time.
        let _ = save(&path, &file);
    }
    let mut branch_versions: HashMap<String, BTreeSet<String>> = HashMap::new();
    for b in file.branches.values() {
        for (slug, v) in &b.versions {
            branch_versions.entry(slug.clone()).or_default().insert(v.clone());
        }
    }
    Ok(Index { articles: file.articles, branch_versions })
}

fn save(path: &std::path::Path, file: &IndexFile) -> Result<()> {
    let dir = path.parent().context("index path has no parent")?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    serde_json::to_writer(std::io::BufWriter::new(tmp.as_file_mut()), file)?;
    tmp.persist(path)?;
    Ok(())
}

/// `articles/<xx>/<slug>/index.md` → `<slug>`.
pub fn slug_of_text_path(p: &str) -> Option<&str> {
    let rest = p.strip_prefix("articles/")?;
    let mut parts = rest.split('/');
    let (_shard, slug, file, none) = (parts.next()?, parts.next()?, parts.next()?, parts.next());
    (file == "index.md" && none.is_none()).then_some(slug)
}

fn refresh_trunk(commons: &Commons, old: Vec<Entry>, old_tree: Option<Oid>, tree: Oid) -> Result<Vec<Entry>> {
    let repo = &commons.repo;
    let mut by_slug: BTreeMap<String, Entry> =
        if old_tree.is_some() { old.into_iter().map(|e| (e.slug.clone(), e)).collect() } else { BTreeMap::new() };
    let changes = repo.changed_paths(old_tree, tree, layout::ARTICLES)?;
    for change in changes {
        let Some(slug) = slug_of_text_path(&change.path) else {
            continue;
        };
        match change.new {
            None => {
                by_slug.remove(slug);
            }
            Some(id) => {
                let text = repo.read_blob(id)?;
                by_slug.insert(slug.to_string(), entry_from_text(slug, id, &text));
            }
        }
    }
    Ok(by_slug.into_values().collect())
}

/// Reads just what the index needs from an article's front matter, leniently: an article
/// someone committed with plain git and broken front matter is still listed.
pub fn entry_from_text(slug: &str, version: Oid, bytes: &[u8]) -> Entry {
    #[derive(Deserialize, Default)]
    struct Front {
        #[serde(default)]
        title: String,
        #[serde(default)]
        contingent: String,
        date: Option<toml::value::Datetime>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        authors: Vec<String>,
    }
    let text = String::from_utf8_lossy(bytes);
    let front: Front = split("", &text).ok().flatten().and_then(|(f, _)| toml::from_str(&f).ok()).unwrap_or_default();
    let date = front
        .date
        .and_then(|d| d.date)
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day))
        .unwrap_or_default();
    Entry {
        slug: slug.to_string(),
        title: if front.title.is_empty() { "(no title)".into() } else { front.title },
        contingent: front.contingent,
        date,
        tags: front.tags,
        authors: front.authors,
        version: version.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_article_texts_have_slugs() {
        assert_eq!(slug_of_text_path("articles/ab/strike/index.md"), Some("strike"));
        assert_eq!(slug_of_text_path("articles/ab/strike/photo.jpg"), None);
        assert_eq!(slug_of_text_path("statements/x/index.md"), None);
    }
}
