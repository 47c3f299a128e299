//! When each article arrived on the trunk: the commit time of the commit on the trunk's
//! first-parent line that added it, which `list` orders by. Read from the history once, on
//! a cold build, and then commit by commit as the trunk moves.

use crate::git::{Oid, Repo};
use crate::model::layout;
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The commits from `tip` back along first parents to `old` (not included), newest first;
/// None when `old` is not on that line.
pub(super) fn first_parents_since(repo: &Repo, tip: Oid, old: Oid) -> Result<Option<Vec<Oid>>> {
    if !repo.has_object(old) {
        return Ok(None);
    }
    let new: std::collections::HashSet<Oid> = repo.walk(tip, &[old])?.collect::<Result<_>>()?;
    let mut line = Vec::new();
    let mut at = tip;
    while new.contains(&at) {
        line.push(at);
        match repo.commit(at)?.parents.first() {
            Some(p) => at = *p,
            None => return Ok(None),
        }
    }
    Ok((at == old).then_some(line))
}

/// When each of `slugs` (texts that changed) arrived on the trunk: the commit time of the
/// newest commit along first parents from `tip` that added its directory. Only the commits
/// of `since` are looked at when it is given (a slug they did not add keeps the time it
/// had); else the whole line, until every slug is placed.
///
/// Walking newest first, a slug not yet placed has been on the trunk without a break since
/// the commit being looked at, so only the parent's side needs reading: the slug arrived
/// here if the parent lacks it. And a shard directory the parent lacks holds only slugs
/// that arrived here, read or not. So a commit costs a few tree reads in the shards that
/// still hold a slug to place, and a cold build reads the history's trees about once.
pub(super) fn arrivals(
    repo: &Repo,
    tip: Oid,
    since: Option<&[Oid]>,
    slugs: &[&str],
    progress: &crate::progress::Progress,
) -> Result<HashMap<String, i64>> {
    let mut out = HashMap::new();
    // Top shard (`xx`) → shard (`yy`) → the slugs in it still to place.
    let mut left: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for slug in slugs {
        let shard = layout::shard(slug);
        let (xx, yy) = shard.split_once('/').context("a shard is xx/yy")?;
        left.entry(xx.to_string()).or_default().entry(yy.to_string()).or_default().insert(slug.to_string());
    }
    // The trees read as a commit's parent side are the next commit's own side: kept for
    // one step, so that the large shard trees are read about once, not twice.
    let mut seen: HashMap<Oid, std::rc::Rc<Vec<crate::git::TreeEntry>>> = HashMap::new();
    let mut next = Some(tip);
    let mut walked = 0usize;
    while let Some(id) = next {
        if left.is_empty() || since.is_some_and(|s| walked >= s.len()) {
            break;
        }
        walked += 1;
        progress.advance(1);
        let info = repo.commit(id)?;
        let when = info.committer.when.seconds;
        // A shallow clone's oldest commit: its parent is not here, its tree added all.
        let parent = info.parents.first().copied().filter(|p| repo.has_object(*p));
        let mut kept: HashMap<Oid, std::rc::Rc<Vec<crate::git::TreeEntry>>> = HashMap::new();
        let mut read = |tree: Oid, parent_side: bool| -> Result<std::rc::Rc<Vec<crate::git::TreeEntry>>> {
            let listing = match seen.get(&tree) {
                Some(l) => l.clone(),
                None => std::rc::Rc::new(repo.list_dir(tree, "")?),
            };
            if parent_side {
                kept.insert(tree, listing.clone());
            }
            Ok(listing)
        };
        let articles = |listing: &[crate::git::TreeEntry]| {
            listing.iter().find(|e| e.name == layout::ARTICLES && e.is_tree).map(|e| e.id)
        };
        let old = match parent {
            Some(p) => articles(&read(repo.commit_tree(p)?, true)?),
            None => None,
        };
        let new = articles(&read(info.tree, false)?);
        let mut arrived_here = |slugs: BTreeSet<String>| {
            for slug in slugs {
                out.insert(slug, when);
            }
        };
        let listing =
            |tree: Option<Oid>,
             parent_side: bool,
             read: &mut dyn FnMut(Oid, bool) -> Result<std::rc::Rc<Vec<crate::git::TreeEntry>>>| {
                tree.map(|t| read(t, parent_side)).transpose()
            };
        let (ao, an) = (listing(old, true, &mut read)?, listing(new, false, &mut read)?);
        for (name, xo, xn) in changed_entries(ao.as_deref().map(Vec::as_slice), an.as_deref().map(Vec::as_slice)) {
            let Some(mut shards) = left.remove(&name) else { continue };
            match (xo, xn) {
                (None, Some(_)) => std::mem::take(&mut shards).into_values().for_each(&mut arrived_here),
                (Some(xo), Some(xn)) => {
                    let (lo, ln) = (read(xo, true)?, read(xn, false)?);
                    for (yy, yo, _) in changed_entries(Some(&lo), Some(&ln)) {
                        let Some(wanted) = shards.remove(&yy) else { continue };
                        let Some(yo) = yo else {
                            arrived_here(wanted);
                            continue;
                        };
                        let before: BTreeSet<String> =
                            repo.list_dir(yo, "")?.into_iter().filter(|e| e.is_tree).map(|e| e.name).collect();
                        let (came, stayed): (BTreeSet<String>, BTreeSet<String>) =
                            wanted.into_iter().partition(|s| !before.contains(s));
                        arrived_here(came);
                        if !stayed.is_empty() {
                            shards.insert(yy, stayed);
                        }
                    }
                }
                // A slug still to place is on the trunk here: its shards are too.
                _ => {}
            }
            if !shards.is_empty() {
                left.insert(name, shards);
            }
        }
        seen = kept;
        next = parent;
    }
    Ok(out)
}

/// The subtrees that differ between two tree listings (in git's order, as read): name, and
/// the subtree's id on each side (None: absent, or not a tree there).
fn changed_entries(
    old: Option<&[crate::git::TreeEntry]>,
    new: Option<&[crate::git::TreeEntry]>,
) -> Vec<(String, Option<Oid>, Option<Oid>)> {
    fn trees(l: Option<&[crate::git::TreeEntry]>) -> BTreeMap<&str, Oid> {
        l.unwrap_or_default().iter().filter(|e| e.is_tree).map(|e| (e.name.as_str(), e.id)).collect()
    }
    let (a, b) = (trees(old), trees(new));
    let mut out = Vec::new();
    for (name, id) in &b {
        match a.get(name) {
            Some(o) if o == id => {}
            o => out.push((name.to_string(), o.copied(), Some(*id))),
        }
    }
    out
}
