//! The trunk's history judged by the authority chain, commit by commit, parents first, and
//! cached under `.git/tribune/audit.json`: the tips audited, the root of authority, the
//! findings, and the governed paths whose authorised value differs from the tree at each
//! commit where any does (none, on an honest history). A second audit judges only the
//! commits that are new since; deleting the cache changes no result.
//!
//! (Over 500 lines: the walk and the cache it keeps are one piece, with the queries that
//! read them; the key index, the founded memo and merges live beside it in `audit/`.)

use super::authority::{governed_changes, Authority, Enactment, Finding, FOUNDERS};
use super::texts;
use crate::commons::Commons;
use crate::git::{Oid, Repo};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

const VERSION: u32 = 3;

mod founded_memo;
mod keys;
mod merges;
use keys::KeyIndex;
pub use keys::{key_owner, signer_at};
use merges::{judge_undone, undone_of};

/// Where a clone remembers its commons' root of authority (git's configuration).
pub const ROOT_KEY: &str = "tribune.root";

/// What the cache keeps.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Cache {
    version: u32,
    /// The trunk tips audited: everything reachable from them has been judged.
    tips: Vec<String>,
    /// The root of authority, once found.
    root: Option<String>,
    /// Commit → governed path → authorised blob (None: absent), where it differs from the tree.
    overrides: BTreeMap<String, BTreeMap<String, Option<String>>>,
    /// The approval tags that the verdicts on enactments read (statement slug → what
    /// `refs/tags/statements/<slug>` pointed at then; None: absent). A verdict depends on
    /// the tag as well as on the commit, so when one of these refs has changed since (a
    /// clone that judged the trunk before its tags arrived), the cache is not used.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    tags: BTreeMap<String, Option<String>>,
    /// The findings of this run's walk (all of them live in `audit-findings.json`, read only
    /// by `audit` itself: every other command needs the states, not the findings).
    #[serde(skip)]
    findings: Vec<Finding>,
}

/// The result of an audit of the trunk.
#[derive(Debug, Serialize)]
pub struct Audit {
    /// The root of authority (None: the commons is unfounded).
    pub root: Option<String>,
    /// The trunk's tip that was audited.
    pub tip: String,
    /// Commits judged by this run (the rest came from the cache).
    pub judged: usize,
    pub findings: Vec<Finding>,
}

fn cache_path(repo: &Repo) -> std::path::PathBuf {
    repo.git_dir().join("tribune").join("audit.json")
}

fn load(repo: &Repo) -> Cache {
    std::fs::read(cache_path(repo))
        .ok()
        .and_then(|b| serde_json::from_slice::<Cache>(&b).ok())
        .filter(|c| c.version == VERSION)
        .unwrap_or_default()
}

fn save(repo: &Repo, cache: &Cache) -> Result<()> {
    let path = cache_path(repo);
    let dir = path.parent().context("the cache has a folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let tmp = dir.join(format!("audit.json.{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec(cache)?).with_context(|| format!("could not write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("could not write {}", path.display()))
}

/// A commit's state in the walk: loaded, or to be rebuilt from its tree and the cache only
/// if a later commit needs it (most commits change nothing governed).
enum Slot {
    Loaded(Box<Authority>),
    /// The state at the commit given (the same), and whether the commons is founded there.
    Lazy(Oid, bool),
}

/// The root of authority (None: unfounded), the audit brought up to date without reading
/// its findings: what every command that acts asks first.
pub fn audit_root(commons: &Commons) -> Result<Option<String>> {
    Ok(audited(commons)?.1.root)
}

/// Audits the trunk up to its tip, judging only what the cache has not.
pub fn audit(commons: &Commons) -> Result<Audit> {
    let (mut audit, cache) = audited(commons)?;
    // Those recorded, or (when this run could not record: a commons seen at a pushed tip)
    // those recorded and this run's.
    let mut all = load_findings(&commons.repo);
    let mut seen: std::collections::HashSet<Finding> = all.iter().cloned().collect();
    for f in cache.findings.iter().chain(audit.findings.iter()) {
        if seen.insert(f.clone()) {
            all.push(f.clone());
        }
    }
    audit.findings = all;
    Ok(audit)
}

thread_local! {
    /// The audit so far, while the walk asks whether a statement authorised a change: the
    /// statement's own checks (its electorate, the rules at its proposal) read the audit, and
    /// must get what the walk has judged instead of starting a walk of their own.
    static WITHIN: std::cell::RefCell<Option<Cache>> = const { std::cell::RefCell::new(None) };
}

/// Whether the statement a commit cites authorises its change, judged with the audit so far.
fn enacted(commons: &Commons, cache: &Cache, e: &Enactment<'_>) -> Result<bool> {
    if crate::model::id::validate("statement", e.statement).is_ok() {
        let tag = commons.statement_tag(e.statement)?.map(|t| t.to_string());
        CONSULTED.with(|c| c.borrow_mut().insert(e.statement.to_string(), tag));
    }
    let previous = WITHIN.with(|w| w.replace(Some(cache.clone())));
    let result = super::enact::authorises(commons, e);
    WITHIN.with(|w| *w.borrow_mut() = previous);
    result
}

thread_local! {
    /// The approval tags read by this walk's verdicts on enactments (see `Cache::tags`).
    static CONSULTED: std::cell::RefCell<BTreeMap<String, Option<String>>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Whether a verdict of the cache read an approval tag that has changed since.
fn tags_changed(repo: &Repo, cache: &Cache) -> Result<bool> {
    for (slug, then) in &cache.tags {
        let now = repo.ref_target(&crate::statements::tag_ref(slug))?.map(|t| t.to_string());
        if &now != then {
            return Ok(true);
        }
    }
    Ok(false)
}

fn audited(commons: &Commons) -> Result<(Audit, Cache)> {
    let tip = commons.trunk_tip()?;
    // Only what the trunk ref holds is recorded: a commons seen at a pushed tip that is not
    // on the ref yet (a hub's pre-receive hook) must not record a push that may be refused.
    let on_ref = commons.repo.ref_target(&commons.trunk_ref)? == Some(tip);
    audited_at(commons, tip, on_ref)
}

/// [`audited`] up to `tip`, recording the result (the cache, the remembered root) when `save_it`.
fn audited_at(commons: &Commons, tip: Oid, save_it: bool) -> Result<(Audit, Cache)> {
    if let Some(cache) = WITHIN.with(|w| w.borrow().clone()) {
        let tip = cache.tips.first().cloned().unwrap_or_default();
        let audit = Audit { root: cache.root.clone(), tip, judged: 0, findings: Vec::new() };
        return Ok((audit, cache));
    }
    let repo = &commons.repo;
    let mut cache = load(repo);
    let known: Vec<Oid> = cache.tips.iter().filter_map(|t| t.parse().ok()).collect();
    let mut audited: Vec<Oid> = known.iter().copied().filter(|t| repo.has_object(*t)).collect();
    // Verdicts that read an approval tag since changed are judged again, from the root (the
    // tips audited still say whether the history was rewritten).
    let stale = tags_changed(repo, &cache)?;
    if stale {
        cache = Cache { tips: cache.tips, ..Cache::default() };
    }
    let mut judged = 0;
    if stale || !audited.contains(&tip) {
        for old in &known {
            // A tip audited before that the trunk no longer descends from (or that is gone
            // altogether: garbage-collected after a force-push) is a rewritten history.
            if !audited.contains(old) || !repo.is_ancestor(*old, tip)? {
                cache.findings.push(Finding::Rewritten { commit: tip.to_string(), audited: old.to_string() });
            }
        }
        if stale {
            audited.clear();
        }
        CONSULTED.with(|c| c.borrow_mut().clear());
        judged = walk(commons, tip, &audited, &mut cache)?;
        cache.tags.extend(CONSULTED.with(|c| std::mem::take(&mut *c.borrow_mut())));
        cache.tips = vec![tip.to_string()];
        cache.version = VERSION;
        // A cache that cannot be written costs the next run time, not a result.
        if save_it {
            let _ = save(repo, &cache);
            if stale {
                // The findings judged again replace those recorded (but a rewritten history,
                // which no walk can see again once the old tip is gone).
                let _ = keep_rewritten_findings(repo);
            }
            if !cache.findings.is_empty() {
                let _ = save_findings(repo, &cache.findings);
            }
        }
    }
    // The commons' identity, remembered by this clone the first time it is known: a root
    // that changes later (a history replaced wholesale) is a finding, whatever the cache says.
    let mut findings = Vec::new();
    if let Some(root) = &cache.root {
        match repo.config_string(ROOT_KEY) {
            None => {
                if save_it {
                    let _ = repo.set_config_string(ROOT_KEY, root);
                }
            }
            Some(known) if &known != root => {
                findings.push(Finding::RootChanged { root: root.clone(), remembered: known });
            }
            Some(_) => {}
        }
    } else if let Some(known) = repo.config_string(ROOT_KEY) {
        findings.push(Finding::RootChanged { root: String::new(), remembered: known });
    }
    let audit = Audit { root: cache.root.clone(), tip: tip.to_string(), judged, findings };
    Ok((audit, cache))
}

/// Judges the commits reachable from `tip` and from none of `audited`, parents first.
fn walk(commons: &Commons, tip: Oid, audited: &[Oid], cache: &mut Cache) -> Result<usize> {
    let repo = &commons.repo;
    // The common case, the trunk moved by one commit on what was audited, needs no revwalk.
    let tip_commit = repo.commit(tip)?;
    let mut order: Vec<Oid> =
        if !audited.is_empty() && !audited.contains(&tip) && tip_commit.parents.iter().all(|p| audited.contains(p)) {
            vec![tip]
        } else {
            repo.walk(tip, audited)?.collect::<Result<_>>()?
        };
    order.reverse();
    let mut commits = HashMap::with_capacity(order.len());
    let mut pending: HashMap<Oid, usize> = HashMap::new();
    for id in &order {
        let c = repo.commit(*id)?;
        for p in &c.parents {
            *pending.entry(*p).or_default() += 1;
        }
        commits.insert(*id, c);
    }
    let mut slots: HashMap<Oid, Slot> = HashMap::new();
    // The keys of the authorised roster where the state is not loaded, by state.
    let mut signers: HashMap<String, KeyIndex> = HashMap::new();
    let root = cache.root.as_deref().and_then(|r| r.parse::<Oid>().ok());
    let mut root = root;
    for id in &order {
        let c = &commits[id];
        let overrides_of = |cache: &Cache, commit: Oid| cache.overrides.get(&commit.to_string()).cloned();
        let (slot, findings) = match c.parents.first() {
            None => {
                let (a, findings) = match Authority::founding(repo, c)? {
                    Some(found) => found,
                    None => {
                        let (a, invalid) = Authority::of_tree(repo, c.tree, false, None)?;
                        let mut findings: Vec<Finding> = invalid
                            .into_iter()
                            .map(|(path, reason)| Finding::InvalidEntry { commit: id.to_string(), path, reason })
                            .collect();
                        if c.trailer(FOUNDERS).is_some() {
                            findings.push(Finding::UnsignedFounding { commit: id.to_string() });
                        }
                        (a, findings)
                    }
                };
                (Slot::Loaded(Box::new(a)), findings)
            }
            Some(p1) => {
                // The parent the commit is judged from: the first, or at a merge the first
                // that descends from the root, so that merging in a history that never did
                // (an orphan) cannot make what follows unfounded.
                // (Whether a parent is founded is known from the walk; asked of the history
                // only for a parent audited before this run.)
                let founded = |p: Oid, slots: &HashMap<Oid, Slot>| -> Result<bool> {
                    Ok(match slots.get(&p) {
                        Some(Slot::Loaded(a)) => a.founded,
                        Some(Slot::Lazy(_, f)) => *f,
                        None => founded_at(repo, root, p)?,
                    })
                };
                let mut base = *p1;
                if c.parents.len() > 1 {
                    for p in &c.parents {
                        if founded(*p, &slots)? {
                            base = *p;
                            break;
                        }
                    }
                }
                let others: Vec<Oid> = c.parents.iter().copied().filter(|p| *p != base).collect();
                // What the merge undid of another founded parent's side, with the
                // authorised state there (judged once the merge's own state is known).
                let mut undone = Vec::new();
                if !others.is_empty() && founded(base, &slots)? {
                    for q in &others {
                        if !founded(*q, &slots)? {
                            continue;
                        }
                        let (governed, owned) = undone_of(repo, c, base, *q)?;
                        if governed.is_empty() && owned.is_empty() {
                            continue;
                        }
                        let theirs = match slots.get(q) {
                            Some(Slot::Loaded(a)) => (**a).clone(),
                            Some(Slot::Lazy(at, _)) => rebuild(repo, cache, root, *at)?,
                            None => rebuild(repo, cache, root, *q)?,
                        };
                        undone.push((*q, theirs, governed, owned));
                    }
                }
                let base_tree = repo.commit_tree(base)?;
                let changes = governed_changes(repo, Some(base_tree), c.tree)?;
                let founding = c.trailer(FOUNDERS).is_some();
                let other_trees: Vec<(Oid, Oid)> =
                    others.iter().map(|p| Ok((*p, repo.commit_tree(*p)?))).collect::<Result<_>>()?;
                // The statement rule needs no roster; the article rules need the state at
                // the parent, and only where the commons is founded.
                let judging = texts::Judging { repo, c, first: base, others: &other_trees };
                let mut findings =
                    texts::judge_statements(&judging, &texts::statement_changes(repo, Some(base_tree), c.tree)?)?;
                let founded_at_parent = founded(base, &slots)?;
                let texts =
                    if founded_at_parent { texts::owned_changes(repo, Some(base_tree), c.tree)? } else { Vec::new() };
                if changes.is_empty() && !founding {
                    // Nothing governed changed: the state is the parent's.
                    if let Some(o) = overrides_of(cache, base) {
                        cache.overrides.insert(id.to_string(), o);
                    }
                    let slot = match take(&mut slots, &mut pending, base, founded_at_parent) {
                        Slot::Loaded(a) => Slot::Loaded(a),
                        Slot::Lazy(_, f) => Slot::Lazy(*id, f),
                    };
                    if !texts.is_empty() {
                        // The articles are judged by the state at the parent, which is this
                        // commit's too; a state not loaded is asked only who signed, from
                        // the index of the roster's keys (never the whole roster again).
                        let judged = match &slot {
                            Slot::Loaded(a) => {
                                let signer_of = |commit: Oid| texts::signer_by(repo, a, commit);
                                texts::judge_owned(&judging, &signer_of, &texts)?
                            }
                            Slot::Lazy(..) => {
                                let index = KeyIndex::at(repo, cache, root, base, &mut signers)?;
                                let signer_of = |commit: Oid| index.signer(repo, commit);
                                texts::judge_owned(&judging, &signer_of, &texts)?
                            }
                        };
                        findings.extend(judged);
                    }
                    release_others(&mut slots, &mut pending, &others);
                    let slot = match undone.is_empty() {
                        true => slot,
                        false => {
                            let state = match slot {
                                Slot::Loaded(a) => *a,
                                Slot::Lazy(at, _) => rebuild(repo, cache, root, at)?,
                            };
                            let (state, more) = judge_undone(commons, cache, c, state, &undone)?;
                            findings.extend(more);
                            let o = state.overrides.iter().map(|(p, b)| (p.clone(), b.map(|b| b.to_string())));
                            cache.overrides.insert(id.to_string(), o.collect());
                            Slot::Loaded(Box::new(state))
                        }
                    };
                    record(cache, findings);
                    slots.insert(*id, slot);
                    continue;
                }
                let parent = match take(&mut slots, &mut pending, base, founded_at_parent) {
                    Slot::Loaded(a) => *a,
                    Slot::Lazy(at, _) => rebuild(repo, cache, root, at)?,
                };
                release_others(&mut slots, &mut pending, &others);
                if !texts.is_empty() {
                    let signer_of = |commit: Oid| texts::signer_by(repo, &parent, commit);
                    findings.extend(texts::judge_owned(&judging, &signer_of, &texts)?);
                }
                let judge = |parent: Authority, cache: &Cache| {
                    parent.judge(repo, c, base, &|e: &Enactment<'_>| enacted(commons, cache, e))
                };
                if founding && !parent.founded {
                    match Authority::founding(repo, c)? {
                        Some((a, found)) => {
                            root = Some(*id);
                            findings.extend(found);
                            (Slot::Loaded(Box::new(a)), findings)
                        }
                        None => {
                            let (a, judged) = judge(parent, cache)?;
                            findings.extend(judged);
                            findings.push(Finding::UnsignedFounding { commit: id.to_string() });
                            (Slot::Loaded(Box::new(a)), findings)
                        }
                    }
                } else {
                    let (a, judged) = judge(parent, cache)?;
                    findings.extend(judged);
                    let (a, more) = judge_undone(commons, cache, c, a, &undone)?;
                    findings.extend(more);
                    (Slot::Loaded(Box::new(a)), findings)
                }
            }
        };
        if let Slot::Loaded(a) = &slot {
            if a.root.is_some() && root.is_none() {
                root = a.root;
            }
            // Known at once: a statement judged later in this walk reads it.
            cache.root = root.map(|r| r.to_string());
            if a.overrides.is_empty() {
                cache.overrides.remove(&id.to_string());
            } else {
                let o = a.overrides.iter().map(|(p, b)| (p.clone(), b.map(|b| b.to_string()))).collect();
                cache.overrides.insert(id.to_string(), o);
            }
        }
        record(cache, findings);
        slots.insert(*id, slot);
    }
    cache.root = root.map(|r| r.to_string());
    // The walk knows whether the tip is founded: asked of every later command (`contribute`'s
    // next audit starts from it), it need not be walked for again.
    if let (Some(r), Some(tip)) = (root, order.last()) {
        let founded = match slots.get(tip) {
            Some(Slot::Loaded(a)) => Some(a.founded),
            Some(Slot::Lazy(_, f)) => Some(*f),
            None => None,
        };
        if let Some(f) = founded {
            founded_memo::put(repo, r, *tip, f);
        }
    }
    Ok(order.len())
}

/// Adds a commit's findings to the walk's.
fn record(cache: &mut Cache, findings: Vec<Finding>) {
    cache.findings.extend(findings);
}

fn findings_path(repo: &Repo) -> std::path::PathBuf {
    repo.git_dir().join("tribune").join("audit-findings.json")
}

/// Every finding recorded so far, in history order.
fn load_findings(repo: &Repo) -> Vec<Finding> {
    std::fs::read(findings_path(repo)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

/// Keeps, of the findings recorded, only those of a rewritten history.
fn keep_rewritten_findings(repo: &Repo) -> Result<()> {
    let kept: Vec<Finding> =
        load_findings(repo).into_iter().filter(|f| matches!(f, Finding::Rewritten { .. })).collect();
    let path = findings_path(repo);
    let tmp = path.with_extension(format!("json.{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec(&kept)?).with_context(|| format!("could not write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("could not write {}", path.display()))
}

/// Adds a walk's findings to those recorded, each once.
fn save_findings(repo: &Repo, new: &[Finding]) -> Result<()> {
    let mut all = load_findings(repo);
    let mut seen: std::collections::HashSet<Finding> = all.iter().cloned().collect();
    for f in new {
        if seen.insert(f.clone()) {
            all.push(f.clone());
        }
    }
    let path = findings_path(repo);
    let tmp = path.with_extension(format!("json.{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec(&all)?).with_context(|| format!("could not write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("could not write {}", path.display()))
}

/// Whether the commons is founded at `at`: the root of authority is `at` or an ancestor.
///
/// Whether the root is an ancestor is a walk of the history between them (libgit2 has no
/// generation numbers): on a trunk of ten thousand commits, most of what `vote` and
/// `contribute` cost. The answer never changes for a pair of commits, so it is remembered
/// in `.git/tribune/founded.tsv` (`<root> <commit> <0|1>` lines, appended), and the audit
/// records each tip it walks to, whose answer it knows from the walk.
fn founded_at(repo: &Repo, root: Option<Oid>, at: Oid) -> Result<bool> {
    let Some(r) = root else { return Ok(false) };
    if r == at {
        return Ok(true);
    }
    if let Some(known) = founded_memo::get(repo, r, at) {
        return Ok(known);
    }
    let founded = repo.is_ancestor(r, at)?;
    founded_memo::put(repo, r, at, founded);
    Ok(founded)
}

/// The state of `p` for one of its children: taken out of the walk when this is its last
/// child (no copy), cloned otherwise, rebuilt when the walk does not hold it.
fn take(slots: &mut HashMap<Oid, Slot>, pending: &mut HashMap<Oid, usize>, p: Oid, founded: bool) -> Slot {
    let left = pending.get_mut(&p).map(|n| {
        *n = n.saturating_sub(1);
        *n
    });
    match (left, slots.remove(&p)) {
        (Some(0), Some(slot)) => slot,
        (_, Some(Slot::Loaded(a))) => {
            let copy = a.clone();
            slots.insert(p, Slot::Loaded(a));
            Slot::Loaded(copy)
        }
        (_, Some(Slot::Lazy(at, f))) => {
            slots.insert(p, Slot::Lazy(at, f));
            Slot::Lazy(at, f)
        }
        // Audited before: rebuilt from its tree when a child needs it.
        (_, None) => Slot::Lazy(p, founded),
    }
}

fn release_others(slots: &mut HashMap<Oid, Slot>, pending: &mut HashMap<Oid, usize>, parents: &[Oid]) {
    for p in parents {
        if let Some(n) = pending.get_mut(p) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                slots.remove(p);
            }
        }
    }
}

/// The state at an audited commit, from its tree and what the cache says differs.
fn rebuild(repo: &Repo, cache: &Cache, root: Option<Oid>, at: Oid) -> Result<Authority> {
    let founded = founded_at(repo, root, at)?;
    // In a founded commons, a commit that neither descends from the root nor comes before
    // it (an orphan history merged in) holds no authority: nobody is in its roster, so a
    // statement that appears to be proposed there has no electorate.
    if let (Some(r), false) = (root, founded) {
        if !repo.is_ancestor(at, r)? {
            return Ok(Authority::nobody(root));
        }
    }
    let none = BTreeMap::new();
    let overrides = cache.overrides.get(&at.to_string()).unwrap_or(&none);
    let (a, _) = Authority::of_tree_with(repo, repo.commit_tree(at)?, founded, root.filter(|_| founded), overrides)?;
    Ok(a)
}

/// The authorised state at a commit of the trunk's history (the audit is brought up to
/// date first).
pub fn authority_at(commons: &Commons, commit: Oid) -> Result<Authority> {
    let (_, cache) = audited(commons)?;
    let root = cache.root.as_deref().and_then(|r| r.parse::<Oid>().ok());
    rebuild(&commons.repo, &cache, root, commit)
}

/// The authorised blob of one governed path at a commit of the trunk's history, read from
/// the audit's cache and the tree alone (never the whole roster).
pub fn authorised_blob(commons: &Commons, commit: Oid, path: &str) -> Result<Option<Oid>> {
    let (_, cache) = audited(commons)?;
    if let Some(o) = cache.overrides.get(&commit.to_string()).and_then(|o| o.get(path)) {
        return Ok(o.as_deref().and_then(|b| b.parse().ok()));
    }
    let repo = &commons.repo;
    // A commit of a history that never descended from the root holds nothing (see `rebuild`).
    if let Some(r) = cache.root.as_deref().and_then(|r| r.parse::<Oid>().ok()) {
        if !founded_at(repo, Some(r), commit)? && !repo.is_ancestor(commit, r)? {
            return Ok(None);
        }
    }
    Ok(repo.entry_at(repo.commit_tree(commit)?, path)?.filter(|e| !e.is_tree).map(|e| e.id))
}

/// Judges the trunk commits reachable from `new` and from neither `old` nor what is audited
/// already, as the audit would, without recording anything: what a hub's pre-receive hook
/// asks of a push. The findings of those commits only.
///
/// The audit brought up to date is the one of the trunk as its ref holds it (a hub whose
/// trunk does not exist yet has audited nothing, and the push's whole history is judged),
/// so `commons` may be seen at the pushed tip.
pub fn judge_push(commons: &Commons, old: Option<Oid>, new: Oid) -> Result<Vec<Finding>> {
    let repo = &commons.repo;
    let cache = match repo.ref_target(&commons.trunk_ref)? {
        Some(tip) => audited_at(commons, tip, true)?.1,
        None => Cache::default(),
    };
    let mut hide: Vec<Oid> = cache.tips.iter().filter_map(|t| t.parse().ok()).collect();
    hide.extend(old);
    // The audit's states, with none of its findings: only the push's are wanted.
    let mut scratch = Cache { findings: Vec::new(), ..cache };
    walk(commons, new, &hide, &mut scratch)?;
    Ok(scratch.findings)
}
