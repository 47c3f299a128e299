//! When each article arrived on the trunk: the commit time of the commit on the trunk's
//! first-parent line that added it, which `list` orders by. Read from the history once, on
//! a cold build (beside the reading of the articles themselves, on a thread of its own),
//! and then commit by commit as the trunk moves.

use crate::git::{Oid, Repo, Subtrees};
use crate::model::layout;
use anyhow::Result;
use std::collections::HashMap;

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

/// When something arrived: the commit's time, and its place on the trunk's first-parent
/// line (1 for the first commit that had `articles/`, counted in this clone), which orders
/// the commits of one second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Arrival {
    pub time: i64,
    pub seq: u64,
}

/// What the walk of the trunk's line found: enough to say when any article of the tip
/// arrived (see [`Arrivals::get`]). Articles live at `articles/<xx>/<yy>/<slug>/`.
#[derive(Default)]
pub(super) struct Arrivals {
    /// The commit whose parent has no `articles/` (the first commit, or the edge of a
    /// shallow clone): what was not placed before arrived with it.
    rest: Option<Arrival>,
    tops: HashMap<Vec<u8>, Top>,
    /// The tip's place on the line.
    pub(super) tip_seq: u64,
}

/// One `articles/<xx>`.
#[derive(Default)]
struct Top {
    /// The commit that created it: what was not placed before arrived then.
    rest: Option<Arrival>,
    /// Nothing of the tip is left to place in it (or it is not in the tip at all).
    done: bool,
    /// How many of `shards` are done.
    done_shards: usize,
    /// Its listing on the child side of the next change to look at (read from the tip
    /// when missing).
    listing: Option<(Oid, Subtrees)>,
    shards: HashMap<Vec<u8>, Shard>,
}

/// One `articles/<xx>/<yy>`.
#[derive(Default)]
struct Shard {
    /// Its changes walked so far, newest first: the commit time, and the article
    /// directories the commit's parent had there (None: the parent had no such shard).
    /// A slug of the tip arrived with the first change whose parent lacked it.
    changes: Vec<(Arrival, Option<Subtrees>)>,
    /// The article directories of the first change's parent side that every parent side
    /// since had too, by their place in it: what may be left to place.
    open: Vec<usize>,
    done: bool,
}

impl Arrivals {
    /// Nothing read: the commits since the index's tip changed no article, and the tip is
    /// now at `tip_seq`.
    pub(super) fn none(tip_seq: u64) -> Arrivals {
        Arrivals { tip_seq, ..Default::default() }
    }

    /// When the article `slug` in the shard `xx/yy` (as [`layout::shard`] gives it) arrived;
    /// None when the walk stopped before reaching the commit that added it (a walk of
    /// some commits only).
    pub(super) fn get(&self, shard: &str, slug: &str) -> Option<Arrival> {
        let (xx, yy) = shard.split_once('/')?;
        let Some(top) = self.tops.get(xx.as_bytes()) else { return self.rest };
        if let Some(s) = top.shards.get(yy.as_bytes()) {
            for (when, before) in &s.changes {
                if !before.as_ref().is_some_and(|b| b.contains(slug.as_bytes())) {
                    return Some(*when);
                }
            }
        }
        top.rest.or(self.rest)
    }
}

/// Walks the trunk's first-parent line from `tip`, newest first: only the commits of
/// `since` when it is given (`base` is then the place of the commit before them), else the
/// whole line (until `articles/` was created).
///
/// Walking newest first, an article not yet placed has been on the trunk without a break
/// since the commit being looked at, so only the parent's side needs reading: the article
/// arrived here if the parent lacks it, and a directory the parent lacks holds only
/// articles that arrived here, read or not. The tip's articles are not needed to start
/// (so the walk runs beside their reading): each shard is read on its parent sides only,
/// until no article of the first one's is left on every one since.
///
/// The line's commits are read first, for which `articles/<xx>` each one changed; then
/// each `articles/<xx>`'s changes in turn, so that the versions of one directory are read
/// one after another. (Read commit by commit, all 256 directories at each, most of a cold
/// walk went in applying the same deltas again: libgit2 keeps the bases of a delta chain
/// in a cache of 16 MiB that the chains of 256 directories overflow.)
pub(super) fn walk(repo: &Repo, tip: Oid, since: Option<(&[Oid], u64)>) -> Result<Arrivals> {
    let mut out = Arrivals::default();
    let articles = |tree: Oid| -> Result<Option<Oid>> {
        Ok(repo.entry_at(tree, layout::ARTICLES)?.filter(|e| e.is_tree).map(|e| e.id))
    };
    // Each `articles/<xx>`'s changes, newest first: the commit time, and its id on the
    // parent's side and on the commit's own.
    // (The commit's step from the tip, not yet its place: that is known once the line is.)
    type Changes = Vec<(usize, Option<Oid>, Option<Oid>)>;
    let mut times = Vec::new();
    let mut rest = None;
    let mut by_top: HashMap<Vec<u8>, Changes> = HashMap::new();
    // The `articles/` listing on the child side of the commit being looked at.
    let mut child: Option<(Oid, Subtrees)> = match articles(repo.commit_tree(tip)?)? {
        Some(id) => Some((id, repo.subtrees(id)?)),
        None => None,
    };
    let mut next = Some(tip);
    let mut walked = 0usize;
    while let Some(id) = next {
        // No `articles/` here: every article of the tip arrived later.
        let Some((child_id, child_listing)) = &child else { break };
        if since.is_some_and(|(s, _)| walked >= s.len()) {
            break;
        }
        let step = walked;
        walked += 1;
        let info = repo.commit(id)?;
        times.push(info.committer.when.seconds);
        // A shallow clone's oldest commit: its parent is not here, its tree added all.
        let parent = info.parents.first().copied().filter(|p| repo.has_object(*p));
        next = parent;
        let parent_articles = match parent {
            Some(p) => articles(repo.commit_tree(p)?)?,
            None => None,
        };
        if parent_articles == Some(*child_id) {
            continue;
        }
        let Some(parent_id) = parent_articles else {
            rest = Some(step);
            break;
        };
        let parent_listing = repo.subtrees(parent_id)?;
        for (xx, xo, xn) in child_listing.changed_since(&parent_listing) {
            by_top.entry(xx.to_vec()).or_default().push((step, xo, xn));
        }
        child = Some((parent_id, parent_listing));
    }
    // Places: the tip's is the line's length (a whole walk) or the base's plus the commits
    // since; the others count down from it.
    out.tip_seq = match since {
        Some((s, base)) => base + s.len() as u64,
        None => walked as u64,
    };
    let tip_seq = out.tip_seq;
    let at = |step: usize| Arrival { time: times[step], seq: tip_seq - step as u64 };
    out.rest = rest.map(at);
    for (xx, changes) in by_top {
        let top = out.tops.entry(xx).or_default();
        for (step, old, new) in changes {
            let when = at(step);
            if top.done {
                break;
            }
            step_top(repo, top, when, old, new)?;
        }
    }
    Ok(out)
}

/// One commit's change to `articles/<xx>`: `old` on its parent's side, `new` on its own.
fn step_top(repo: &Repo, top: &mut Top, when: Arrival, old: Option<Oid>, new: Option<Oid>) -> Result<()> {
    let (Some(old), Some(new)) = (old, new) else {
        // Removed here: nothing of it is in the tip (a later change would have been seen
        // first). Created here: what was left to place in it arrived here.
        if new.is_some() {
            top.rest = Some(when);
        }
        top.done = true;
        return Ok(());
    };
    let child = match top.listing.take() {
        Some((id, listing)) if id == new => listing,
        _ => repo.subtrees(new)?,
    };
    let parent = repo.subtrees(old)?;
    for (yy, yo, yn) in child.changed_since(&parent) {
        let shard = top.shards.entry(yy.to_vec()).or_default();
        if shard.done {
            continue;
        }
        step_shard(repo, shard, when, yo, yn)?;
        if shard.done {
            top.done_shards += 1;
        }
    }
    top.done =
        top.done_shards >= parent.len() && parent.iter().all(|(yy, _)| top.shards.get(yy).is_some_and(|s| s.done));
    top.listing = Some((old, parent));
    Ok(())
}

/// One commit's change to `articles/<xx>/<yy>`: `old` on its parent's side, `new` on its
/// own.
fn step_shard(repo: &Repo, shard: &mut Shard, when: Arrival, old: Option<Oid>, new: Option<Oid>) -> Result<()> {
    if new.is_none() {
        // Removed here: nothing of it is in the tip.
        shard.done = true;
        return Ok(());
    }
    let Some(old) = old else {
        shard.changes.push((when, None));
        shard.done = true;
        return Ok(());
    };
    let before = repo.subtrees(old)?;
    match shard.changes.first() {
        None => shard.open = (0..before.len()).collect(),
        Some((_, Some(first))) => shard.open.retain(|i| before.contains(first.name(*i))),
        // Created by its first change: done then, never looked at again.
        Some((_, None)) => shard.open.clear(),
    }
    shard.changes.push((when, Some(before)));
    shard.done = shard.open.is_empty();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::{Edit, Identity, Timestamp};
    use proptest::prelude::*;

    /// A path a commit puts a text at or removes: an article (few shards, so that they are
    /// shared, emptied and made again) or a file elsewhere.
    fn path() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[ab]/[ab]/[pqr]".prop_map(|p| format!("articles/{p}/index.md")),
            1 => "[ab]".prop_map(|p| format!("other/{p}")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Every article of the tip arrived with the oldest commit of the unbroken run of
        /// commits that have it, back from the tip, as reading every commit's tree says;
        /// a walk of the newest commits only knows the articles that arrived in them.
        #[test]
        fn the_walk_agrees_with_reading_every_commit(
            history in prop::collection::vec(prop::collection::vec((path(), prop::option::of("[xy]")), 0..4), 1..10),
            cut in 0usize..11,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repo::init_bare(dir.path(), "main").unwrap();
            let (mut trees, mut line) = (Vec::new(), Vec::new());
            let mut tree = None;
            for (i, changes) in history.iter().enumerate() {
                let edits: Vec<Edit> = changes
                    .iter()
                    .map(|(path, text)| match text {
                        Some(t) => Edit::Put { path: path.clone(), blob: repo.write_blob(t.as_bytes()).unwrap() },
                        None => Edit::Remove { path: path.clone() },
                    })
                    .collect();
                let t = repo.edit_tree(tree, &edits).unwrap();
                let who = Identity {
                    name: "T".into(),
                    email: "t@example.org".into(),
                    when: Timestamp { seconds: 1_000 + i as i64, offset_minutes: 0 },
                };
                let parents: Vec<Oid> = line.last().copied().into_iter().collect();
                line.push(repo.write_commit(t, &parents, &who, &who, "c", None).unwrap());
                trees.push(t);
                tree = Some(t);
            }
            let n = line.len();
            let has = |k: usize, dir: &str| repo.entry_at(trees[k], dir).unwrap().is_some_and(|e| e.is_tree);
            // Places count from the oldest commit of the unbroken run that has `articles/`.
            let mut b = n;
            while b > 0 && has(b - 1, "articles") {
                b -= 1;
            }
            let place = |k: usize| (k + 1).saturating_sub(b) as u64;
            let whole = walk(&repo, line[n - 1], None).unwrap();
            let newest: Vec<Oid> = line.iter().rev().take(cut.min(n)).copied().collect();
            // A walk of the newest c commits numbers them on from the place of the one before.
            let c = newest.len();
            let base = if c < n { place(n - c - 1) } else { 0 };
            let some = walk(&repo, line[n - 1], Some((&newest, base))).unwrap();
            if b < n {
                prop_assert_eq!(whole.tip_seq, place(n - 1));
            }
            for xx in ["a", "b"] {
                for yy in ["a", "b"] {
                    for slug in ["p", "q", "r"] {
                        let dir = format!("articles/{xx}/{yy}/{slug}");
                        if !has(n - 1, &dir) {
                            continue;
                        }
                        let mut k = n - 1;
                        while k > 0 && has(k - 1, &dir) {
                            k -= 1;
                        }
                        let shard = format!("{xx}/{yy}");
                        let arrival = Arrival { time: 1_000 + k as i64, seq: place(k) };
                        prop_assert_eq!(whole.get(&shard, slug), Some(arrival), "{}", dir);
                        let since = Arrival { time: arrival.time, seq: base + (k + 1 + c).saturating_sub(n) as u64 };
                        let known = (k >= n - c).then_some(since);
                        prop_assert_eq!(some.get(&shard, slug), known, "{} in the newest {}", dir, cut);
                    }
                }
            }
        }
    }
}
