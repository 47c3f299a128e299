//! How a branch's own texts are worked out: from its previous file when it only moved
//! forward, else from its fork point (one diff, then its own history walked newest first
//! for the commit that made each text). Kept apart from `editions`, which keeps the files.

use super::editions::{BranchVersion, File};
use super::{entry_fields, slug_of_text_path, summary_of};
use crate::git::{Oid, Repo};
use crate::model::layout;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A branch's own texts. From `old` when the branch only moved forward by ordinary
/// commits (the common case: a rewrite), else from the fork point.
pub(super) fn refresh(repo: &Repo, trunk: Oid, tip: Oid, old: Option<File>) -> Result<File> {
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
                    v.title = entry_fields(&repo.read_blob(new)?).title;
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
            v.title = entry_fields(&repo.read_blob(*id)?).title;
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
