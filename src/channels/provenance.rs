//! What a channel's tip may hold: its files readable and every version they name pinned
//! ([`check_tip`]), and each pin from where it says ([`check_new_pins`]).
//!
//! Where a pinned version comes from. A pin (`pins/<vv>/<version>/`) is an article's
//! directory as a branch held it: its index.md is the version, its other files the
//! attachments beside it, and a pick or an edition names it with the article's slug. A
//! keeper could change any of that with plain git: name ctw's text as another article's, or
//! put other pictures beside it, under the version's id and its authors' credit. So what a
//! channel's new tip pins that its old tip did not is looked for on the trunk and the
//! editions: the same directory at the slug's place in some commit (or, for a pin of the
//! text alone, the same text there). The tips first, where a fresh pick is found at once;
//! then the branches' histories together, newest commit first, every parent, each commit once.

use super::*;
use crate::git::Repo;
use crate::model::layout;
use std::collections::{BTreeSet, HashSet};

/// The commits a pin may come from: the heads of trunks and editions, this clone's and the
/// copies a sync has just fetched, or what a push brings.
#[derive(Debug, Default)]
pub struct Sources {
    trunks: Vec<Oid>,
    editions: Vec<Oid>,
}

impl Sources {
    /// This clone's trunk and editions, and `remote`'s copies of them (a sync's, just
    /// fetched).
    pub fn of_clone(commons: &Commons, remote: Option<&str>) -> Result<Sources> {
        let repo = &commons.repo;
        let mut s = Sources::default();
        s.trunks.extend(repo.ref_target(&commons.trunk_ref)?);
        let trunk = commons.trunk_ref.trim_start_matches("refs/heads/");
        let tracking = match remote {
            Some(r) => repo.refs_with_prefix(&format!("refs/remotes/{r}/"))?,
            None => Vec::new(),
        };
        for (name, tip) in tracking {
            let Some((_, branch)) = name["refs/remotes/".len()..].split_once('/') else { continue };
            if branch == trunk {
                s.trunks.push(tip);
            } else if branch.starts_with("contingents/") {
                s.editions.push(tip);
            }
        }
        s.editions.extend(repo.refs_with_prefix("refs/heads/contingents/")?.into_iter().map(|(_, tip)| tip));
        // A ref at something else than a commit (which sync leaves, with a warning) is no
        // branch a pin came from.
        let commits = |tips: &mut Vec<Oid>| -> Result<()> {
            let mut kept = Vec::with_capacity(tips.len());
            for t in tips.drain(..) {
                if repo.object_kind(t)? == Some("commit") {
                    kept.push(t);
                }
            }
            *tips = kept;
            Ok(())
        };
        commits(&mut s.trunks)?;
        commits(&mut s.editions)?;
        Ok(s)
    }

    /// Keeps the trunks `keep` accepts (a sync: the remote's, only if it takes it).
    pub fn retain_trunks(&mut self, keep: impl Fn(Oid) -> Result<bool>) -> Result<()> {
        let mut kept = Vec::with_capacity(self.trunks.len());
        for t in self.trunks.drain(..) {
            if keep(t)? {
                kept.push(t);
            }
        }
        self.trunks = kept;
        Ok(())
    }

    /// Adds the head of a trunk (a push's).
    pub fn add_trunk(&mut self, tip: Oid) {
        self.trunks.push(tip);
    }

    /// Adds the head of an edition (a push's).
    pub fn add_edition(&mut self, tip: Oid) {
        self.editions.push(tip);
    }

    fn all(&self) -> impl Iterator<Item = Oid> + '_ {
        let mut seen = HashSet::new();
        self.trunks.iter().chain(&self.editions).copied().filter(move |t| seen.insert(*t))
    }
}

/// Whether a commit can be a channel's tip: its files read (channel.toml naming the ref's
/// contingent or member, picks, editions), and every version they name is pinned in its tree. What a
/// hub refuses to take; Err names what is wrong.
pub fn check_tip(commons: &Commons, id: &ChannelId, commit: Oid) -> Result<()> {
    let (tree, named) = named_versions(commons, id, commit)?;
    for (slug, version) in &named {
        pinned_at(commons, tree, slug, version, "")?;
    }
    Ok(())
}

/// The channel's tree at `commit`, and every (slug, version) its picks and editions name.
fn named_versions(commons: &Commons, id: &ChannelId, commit: Oid) -> Result<(Oid, Vec<(String, String)>)> {
    let files = files_at(commons, id, commit)?;
    let editions = editions_in(commons, id, files.tree)?;
    let picked = files.picks.picks.into_iter().map(|p| (p.slug, p.version));
    let published = editions.into_iter().flat_map(|e| e.articles.into_iter().map(|a| (a.slug, a.version)));
    Ok((files.tree, picked.chain(published).collect()))
}

/// One pin to find: the article, the version, the pin's directory, and whether that holds
/// the text alone (a version no branch held any more when it was picked).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Want {
    slug: String,
    version: Oid,
    dir: Oid,
    alone: bool,
    /// The pin's files, for the message.
    files: Vec<String>,
}

/// Checks what channel `id`'s commit `new` pins and `old` did not (a version named with
/// another slug, a pin with other files): each must be found on the trunk or an edition of
/// `sources`. Err names the first that is not.
pub fn check_new_pins(commons: &Commons, id: &ChannelId, old: Option<Oid>, new: Oid, sources: &Sources) -> Result<()> {
    let before = match old {
        Some(o) => named(commons, id, o).unwrap_or_default(),
        None => BTreeSet::new(),
    };
    let mut pending: Vec<Want> = named(commons, id, new)?.difference(&before).cloned().collect();
    if pending.is_empty() {
        return Ok(());
    }
    let repo = &commons.repo;
    for tip in sources.all() {
        let tree = repo.commit_tree(tip)?;
        retain_missing(repo, tree, &mut pending)?;
        if pending.is_empty() {
            return Ok(());
        }
    }
    // The histories of every branch together, newest commit first (a pin is most often a
    // commit or two back), each commit once however many branches share it.
    walk(repo, sources.all(), &mut pending)?;
    match pending.first() {
        None => Ok(()),
        Some(w) => {
            let version = w.version.to_string();
            let pin = format!("pins/{}/{}…", &version[..2], &version[..10]);
            let what = if w.alone {
                "this text as that article's text".to_string()
            } else {
                format!("that article's directory with exactly these files ({})", w.files.join(", "))
            };
            Err(fail(
                format!(
                    "the pin of {} ({pin}) is no version of that article: no commit of the trunk or an edition had \
                     {what}",
                    w.slug
                ),
                "a pin is an article's directory as a branch held it, text and files unchanged; pick the article \
                 again with `tribune channel pick` rather than editing the channel with git",
            ))
        }
    }
}

/// Every (article, version, pin) the channel's commit names in its picks and editions.
fn named(commons: &Commons, id: &ChannelId, commit: Oid) -> Result<BTreeSet<Want>> {
    let repo = &commons.repo;
    let (tree, pairs) = named_versions(commons, id, commit)?;
    let mut out = BTreeSet::new();
    for (slug, version) in pairs {
        let dir = pin_dir(&version);
        let Some(entry) = repo.entry_at(tree, &dir)?.filter(|e| e.is_tree) else {
            return Err(fail(
                format!("the channel's tree has no {dir} for {slug}@{version}"),
                "the channel was not written by tribune, or was changed with plain git",
            ));
        };
        let version: Oid = version.parse()?;
        let listing = repo.list_dir(entry.id, "")?;
        let alone = listing.len() == 1 && listing[0].name == "index.md" && listing[0].id == version;
        let files = listing.into_iter().map(|e| e.name).collect();
        out.insert(Want { slug, version, dir: entry.id, alone, files });
    }
    Ok(out)
}

/// Drops from `pending` what `tree` (a commit's) holds.
fn retain_missing(repo: &Repo, tree: Oid, pending: &mut Vec<Want>) -> Result<()> {
    let mut kept = Vec::with_capacity(pending.len());
    for w in pending.drain(..) {
        if !holds(repo, tree, &w)? {
            kept.push(w);
        }
    }
    *pending = kept;
    Ok(())
}

/// Does `tree` (a commit's) hold the pin's directory at its article's place, or, for a pin
/// of the text alone, its text?
fn holds(repo: &Repo, tree: Oid, w: &Want) -> Result<bool> {
    let Some(dir) = repo.entry_at(tree, &layout::article_dir(&w.slug))?.filter(|e| e.is_tree) else {
        return Ok(false);
    };
    Ok(dir.id == w.dir || (w.alone && repo.child(dir.id, "index.md")? == Some(w.version)))
}

/// Up to this many pins to find, each commit's tree is looked at directly, one lookup a
/// pin; beyond, through the commit's changes (a bulk commit's diff costs more than a few
/// lookups, and less than hundreds).
const DIRECT: usize = 32;

/// Walks the history under `tips` together, every parent (a sync's merge puts the remote's
/// side first, so a version made here is on a second parent), newest commit first, each
/// commit once, dropping from `pending` what each commit holds.
fn walk(repo: &Repo, tips: impl Iterator<Item = Oid>, pending: &mut Vec<Want>) -> Result<()> {
    let mut walked = HashSet::new();
    let mut queue = std::collections::BinaryHeap::new();
    let mut push = |queue: &mut std::collections::BinaryHeap<(i64, Oid)>, id: Oid| -> Result<()> {
        if walked.insert(id) {
            if let Some(c) = repo.commit_if_commit(id)? {
                queue.push((c.committer.when.seconds, id));
            }
        }
        Ok(())
    };
    for tip in tips {
        push(&mut queue, tip)?;
    }
    while let Some((_, commit)) = queue.pop() {
        if pending.is_empty() {
            return Ok(());
        }
        let info = repo.commit(commit)?;
        if pending.len() <= DIRECT {
            retain_missing(repo, info.tree, pending)?;
        } else {
            // A state of the article is looked at where it differs from the first parent's;
            // the parents' own states, where they are walked.
            let parent_tree = match info.parents.first() {
                Some(p) => Some(repo.commit_tree(*p)?),
                None => None,
            };
            let dirs: HashSet<String> = pending.iter().map(|w| layout::article_dir(&w.slug)).collect();
            let touched = repo
                .changed_paths(parent_tree, info.tree, layout::ARTICLES)?
                .iter()
                .any(|c| dirs.iter().any(|d| c.path.starts_with(d.as_str()) && c.path[d.len()..].starts_with('/')));
            if touched {
                retain_missing(repo, info.tree, pending)?;
            }
        }
        for p in &info.parents {
            push(&mut queue, *p)?;
        }
    }
    Ok(())
}
