//! Sync: a commons is a network of clones that meet through ordinary git remotes.
//!
//! `git fetch` (the user's git) mirrors every tribune ref of the remote under
//! `refs/remotes/<remote>/`; then each is integrated into the local ref it mirrors, by the
//! rule of its kind: the trunk fast-forwards, or is merged with the remote's (commits keep
//! their ids, which ballots, tags and editions name); a rater's notes merge by the union of lines;
//! a member's ballots changed on two clones merge (a merge commit, so every ballot stays);
//! an edition changed on two clones merges by a three-way merge of its trees, or is reported
//! when both changed one file, never overwritten; statement tags are verified before they
//! are taken. A ref that points at something malformed is named in a warning and left out:
//! it affects only the records on it. Then one atomic push with a lease on every ref
//! publishes what this clone made; a race with another pusher fetches again.

use crate::commons::Commons;
use crate::error::fail;
use crate::git::remote::{self, Progress, PushRef, Pushed};
use crate::git::{Edit, Oid, RefUpdate, Repo};
use crate::model::layout;
use anyhow::{Context, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Refs per `git push` (two arguments each; command lines have a length limit).
const PUSH_BATCH: usize = 2_000;

/// How many times a push that lost a race fetches again and retries.
const MAX_ROUNDS: usize = 10;

/// How many times integrating one ref starts again because another process in this clone
/// (another sync, a tribune command) moved the local ref meanwhile.
const MAX_MOVES: u32 = 100;

/// Where fetched refs that are not branches are mirrored: outside `refs/remotes/<remote>/`,
/// so that a branch on the remote named like one of them (`notes/tribune/…`) cannot pass
/// for it.
pub const MIRRORS: &str = "refs/tribune-sync/";

/// The fetch refspecs tribune configures for a remote: every ref it reads, mirrored.
pub fn refspecs(remote: &str) -> Vec<String> {
    vec![
        format!("+refs/heads/*:refs/remotes/{remote}/*"),
        format!("+refs/notes/tribune/*:{MIRRORS}{remote}/notes/tribune/*"),
        format!("+refs/tribune/*:{MIRRORS}{remote}/tribune/*"),
        format!("+refs/tags/statements/*:{MIRRORS}{remote}/tags/statements/*"),
    ]
}

/// The kinds of ref sync integrates, each with its own rule, in the order they are
/// integrated: per-writer refs first (a conflict on the trunk may write to an edition),
/// then the trunk, then tags (verified against the trunk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Edition,
    Notes,
    Ballots,
    Trunk,
    Tag,
}

/// A local ref and the remote-tracking ref that mirrors the remote's copy of it.
#[derive(Debug, Clone)]
struct Pair {
    kind: Kind,
    local: String,
    tracking: String,
}

/// The local ref a remote-tracking ref mirrors, if it is one tribune syncs.
fn pair_of(tracking: &str, remote: &str, trunk_ref: &str) -> Option<Pair> {
    let trunk = trunk_ref.strip_prefix("refs/heads/")?;
    let (kind, local) = if let Some(branch) = tracking.strip_prefix(&format!("refs/remotes/{remote}/")) {
        if branch == trunk {
            (Kind::Trunk, trunk_ref.to_string())
        } else if branch.starts_with("contingents/") {
            (Kind::Edition, format!("refs/heads/{branch}"))
        } else {
            return None;
        }
    } else {
        let rest = tracking.strip_prefix(&format!("{MIRRORS}{remote}/"))?;
        let kind = if rest.starts_with("notes/tribune/") {
            Kind::Notes
        } else if rest.starts_with("tribune/") {
            Kind::Ballots
        } else if rest.starts_with("tags/statements/") {
            Kind::Tag
        } else {
            return None;
        };
        (kind, format!("refs/{rest}"))
    };
    Some(Pair { kind, local, tracking: tracking.to_string() })
}

/// The remote-tracking ref of a local ref.
fn tracking_of(local: &str, remote: &str) -> Option<String> {
    if let Some(branch) = local.strip_prefix("refs/heads/") {
        return Some(format!("refs/remotes/{remote}/{branch}"));
    }
    Some(format!("{MIRRORS}{remote}/{}", local.strip_prefix("refs/")?))
}

/// Which of the local refs tribune syncs.
fn syncable_local(repo: &Repo, trunk_ref: &str) -> Result<Vec<(String, Oid, Kind)>> {
    let mut out = Vec::new();
    if let Some(t) = repo.ref_target(trunk_ref)? {
        out.push((trunk_ref.to_string(), t, Kind::Trunk));
    }
    for (prefix, kind) in [
        ("refs/heads/contingents/", Kind::Edition),
        ("refs/notes/tribune/", Kind::Notes),
        ("refs/tribune/", Kind::Ballots),
        ("refs/tags/statements/", Kind::Tag),
    ] {
        for (name, id) in repo.refs_with_prefix(prefix)? {
            out.push((name, id, kind));
        }
    }
    Ok(out)
}

/// What moved, in one direction.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Moved {
    /// Trunk commits.
    pub commits: usize,
    /// Article texts added or changed on the trunk.
    pub articles: usize,
    /// Rewrite commits, by contingent.
    pub rewrites: BTreeMap<String, usize>,
    /// Rating records (note lines), by rater.
    pub ratings: BTreeMap<String, usize>,
    pub ballots: usize,
    pub statements: usize,
}

impl Moved {
    fn add(&mut self, other: Moved) {
        self.commits += other.commits;
        self.articles += other.articles;
        for (k, n) in other.rewrites {
            *self.rewrites.entry(k).or_default() += n;
        }
        for (k, n) in other.ratings {
            *self.ratings.entry(k).or_default() += n;
        }
        self.ballots += other.ballots;
        self.statements += other.statements;
    }

    pub fn is_empty(&self) -> bool {
        self.commits == 0
            && self.articles == 0
            && self.rewrites.is_empty()
            && self.ratings.is_empty()
            && self.ballots == 0
            && self.statements == 0
    }

    /// "3 articles, 1 rewrite by xyz, 120 ratings by 4 raters, 2 ballots".
    pub fn describe(&self) -> String {
        let n = |k: usize, one: &str, many: &str| crate::model::words::count(k as u64, one, many);
        let mut parts = Vec::new();
        if self.articles > 0 {
            parts.push(n(self.articles, "article", "articles"));
        } else if self.commits > 0 {
            parts.push(n(self.commits, "trunk commit", "trunk commits"));
        }
        if !self.rewrites.is_empty() {
            let total: usize = self.rewrites.values().sum();
            let by: Vec<&str> = self.rewrites.keys().map(String::as_str).collect();
            parts.push(format!("{} by {}", n(total, "rewrite", "rewrites"), by.join(", ")));
        }
        if !self.ratings.is_empty() {
            let total: usize = self.ratings.values().sum();
            parts.push(format!("{} by {}", n(total, "rating", "ratings"), n(self.ratings.len(), "rater", "raters")));
        }
        if self.ballots > 0 {
            parts.push(n(self.ballots, "ballot", "ballots"));
        }
        if self.statements > 0 {
            parts.push(n(self.statements, "approved statement", "approved statements"));
        }
        if parts.is_empty() {
            "nothing".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// What a sync did.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub remote: String,
    pub arrived: Moved,
    pub left: Moved,
    /// Refs pushed.
    pub pushed: Vec<String>,
    /// Trunk texts both sides changed: how each was kept.
    pub conflicts: Vec<String>,
    /// Refs that could not be integrated (history rewritten on one side), never overwritten.
    pub diverged: Vec<String>,
    /// Statement tags that failed verification and were not taken.
    pub rejected_tags: Vec<String>,
    /// Local statement tags that fail verification here, and so were not pushed.
    pub unpushed_tags: Vec<String>,
    /// Refs, here or on the remote, that point at something malformed (no commit; for a
    /// statement tag, no tag object): never taken, never pushed, so that they affect only
    /// the records on that ref. Warnings: they do not make the sync fail.
    pub warnings: Vec<String>,
    /// Refs both sides had changed that were merged (ballots, editions), and what it means.
    pub merged: Vec<String>,
    /// What a dry run would do.
    pub plan: Vec<String>,
    /// How many times the push lost a race and fetched again.
    pub retries: usize,
}

/// Options of one sync.
pub struct Options {
    pub fetch: bool,
    pub push: bool,
    pub dry_run: bool,
    pub progress: Progress,
}

/// Syncs the commons with `remote`.
pub fn sync(commons: &Commons, remote_name: &str, opts: &Options) -> Result<Report> {
    remote::check_git()?;
    let dir = commons.repo.git_dir().to_path_buf();
    if remote::remote_url(&dir, remote_name).is_none() {
        return Err(fail(
            format!("there is no remote {remote_name:?}"),
            format!("add it with `git remote add {remote_name} URL`, or clone with `tribune clone URL`"),
        ));
    }
    ensure_refspecs(&dir, remote_name)?;
    let mut report = Report { remote: remote_name.to_string(), ..Report::default() };
    // The refs of a push that reported failure: some may have landed all the same.
    let mut unsure: Vec<PushRef> = Vec::new();
    for round in 0..MAX_ROUNDS {
        if opts.fetch {
            remote::fetch(&dir, remote_name, opts.progress)?;
            for r in unsure.drain(..) {
                let landed =
                    tracking_of(&r.remote_ref, remote_name).map(|t| commons.repo.ref_target(&t)).transpose()?.flatten();
                if landed.is_some_and(|l| l.to_string() == r.id) {
                    count_push(&commons.repo, &r, &mut report.left)?;
                    report.pushed.push(r.remote_ref.clone());
                }
            }
            integrate(commons, remote_name, opts.dry_run, &mut report)?;
        }
        if !opts.push || !report.conflicts.is_empty() {
            break;
        }
        let mut held = Vec::new();
        let refs = outgoing(commons, remote_name, &mut held, &mut report)?;
        if !opts.fetch {
            for name in held {
                report.diverged.push(format!(
                    "{name}: not pushed, {remote_name} has changes this clone lacks; run `tribune sync` to merge them"
                ));
            }
        }
        if opts.dry_run {
            for r in &refs {
                report.plan.push(format!("push {}", r.remote_ref));
                count_push(&commons.repo, r, &mut report.left)?;
            }
            break;
        }
        if refs.is_empty() {
            break;
        }
        // One atomic push, unless there are so many refs that the command line would be too
        // long: then atomic batches, each ref still leased, so nothing is ever overwritten.
        let mut stale = None;
        for batch in refs.chunks(PUSH_BATCH) {
            match remote::push(&dir, remote_name, batch, opts.progress)? {
                Pushed::Done => {
                    for r in batch {
                        count_push(&commons.repo, r, &mut report.left)?;
                        // Move the remote-tracking ref too, so the next sync starts from the truth:
                        // what was pushed (the local ref may have moved on since).
                        if let Some(t) = tracking_of(&r.remote_ref, remote_name) {
                            let old = commons.repo.ref_target(&t)?;
                            commons.repo.update_ref(&t, r.id.parse()?, old, "tribune sync: pushed")?;
                        }
                        report.pushed.push(r.remote_ref.clone());
                    }
                }
                Pushed::Stale(why, lock) => {
                    unsure = batch.to_vec();
                    stale = Some((why, lock));
                    break;
                }
            }
        }
        let Some((why, lock)) = stale else { break };
        if !opts.fetch || round + 1 == MAX_ROUNDS {
            // Ten rounds behind the same lock file: no push holds a lock that long, it is stale.
            if let Some(e) = lock {
                return Err(e);
            }
            return Err(fail(
                format!("the push to {remote_name} lost a race with another pusher: {why}"),
                "run `tribune sync` again",
            ));
        }
        report.retries += 1;
        // Pushers that collided wait a jittered while, so that they do not collide again.
        std::thread::sleep(crate::git::backoff(7) * (round as u32 + 1));
    }
    Ok(report)
}

/// Adds tribune's refspecs to a remote that lacks them (a remote added with plain git).
pub fn ensure_refspecs(dir: &std::path::Path, remote_name: &str) -> Result<()> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["config", "--get-all", &format!("remote.{remote_name}.fetch")])
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::null())
        .output()
        .context("could not run git config")?;
    let have = String::from_utf8_lossy(&out.stdout).into_owned();
    let want = refspecs(remote_name);
    // Tags are fetched only through tribune's refspec, into the mirror, so that a statement
    // tag is verified before it is taken (git would follow tags into refs/tags/ itself).
    remote::set_config(dir, &format!("remote.{remote_name}.tagOpt"), "--no-tags")?;
    if want.iter().all(|w| have.lines().any(|l| l.trim() == w)) {
        return Ok(());
    }
    // Keep the user's own refspecs; replace any other mapping of the refs tribune mirrors.
    let ours = [
        "+refs/notes/tribune/",
        "+refs/tribune/",
        "+refs/tags/statements/",
        "refs/notes/tribune/",
        "refs/tribune/",
        "refs/tags/statements/",
    ];
    let mut all: Vec<String> = have
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !ours.iter().any(|o| l.starts_with(o)))
        .map(str::to_string)
        .collect();
    for w in want {
        if !all.contains(&w) {
            all.push(w);
        }
    }
    remote::set_refspecs(dir, remote_name, &all)
}

/// Integrates every remote-tracking ref into the local ref it mirrors.
fn integrate(commons: &Commons, remote_name: &str, dry_run: bool, report: &mut Report) -> Result<()> {
    let repo = &commons.repo;
    let mut pairs: Vec<Pair> = repo
        .refs_with_prefix(&format!("refs/remotes/{remote_name}/"))?
        .into_iter()
        .chain(repo.refs_with_prefix(&format!("{MIRRORS}{remote_name}/"))?)
        .filter_map(|(name, _)| pair_of(&name, remote_name, &commons.trunk_ref))
        .collect();
    pairs.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.local.cmp(&b.local)));
    for pair in pairs {
        // Another process in this clone (a second sync, a tribune command) may move the
        // local ref while this one builds on it: then read it again and start over.
        let mut attempt = 0;
        loop {
            match integrate_one(commons, remote_name, &pair, dry_run, report)? {
                Some(arrived) => {
                    report.arrived.add(arrived);
                    break;
                }
                None if attempt < MAX_MOVES => {
                    attempt += 1;
                    std::thread::sleep(crate::git::backoff(attempt.min(7)));
                }
                None => {
                    return Err(fail(
                        format!("{} kept moving while tribune sync ran", pair.local),
                        "other tribune commands are writing to this commons; run `tribune sync` again when they \
                         are done",
                    ))
                }
            }
        }
    }
    Ok(())
}

/// Integrates one remote-tracking ref. What arrived, or None when the local ref moved
/// meanwhile (nothing was changed then, and nothing reported: the caller starts over).
fn integrate_one(
    commons: &Commons,
    remote_name: &str,
    pair: &Pair,
    dry_run: bool,
    report: &mut Report,
) -> Result<Option<Moved>> {
    let repo = &commons.repo;
    let mut arrived = Moved::default();
    let Some(theirs) = repo.ref_target(&pair.tracking)? else { return Ok(Some(arrived)) };
    let ours = repo.ref_target(&pair.local)?;
    if ours == Some(theirs) {
        return Ok(Some(arrived));
    }
    // A malformed ref, here or there, is named and left alone: it affects only the records
    // on it, never the rest of the sync (nor, through the hub, every other clone's).
    if let Some(o) = ours {
        if let Some(what) = malformed(repo, pair.kind, o)? {
            add_line(&mut report.warnings, local_malformed(&pair.local, o, &what));
            return Ok(Some(arrived));
        }
    }
    if let Some(what) = malformed(repo, pair.kind, theirs)? {
        add_line(&mut report.warnings, remote_malformed(&pair.local, remote_name, theirs, &what));
        return Ok(Some(arrived));
    }
    if pair.kind == Kind::Tag {
        return tag(commons, pair, ours, theirs, dry_run, report);
    }
    let relation = match ours {
        None => Relation::Behind,
        Some(o) if repo.is_ancestor(theirs, o)? => Relation::Ahead,
        Some(o) if repo.is_ancestor(o, theirs)? => Relation::Behind,
        Some(_) => Relation::Diverged,
    };
    match relation {
        Relation::Ahead => Ok(Some(arrived)),
        Relation::Behind => {
            if dry_run {
                add_line(&mut report.plan, format!("fast-forward {}", pair.local));
                return Ok(Some(arrived));
            }
            count_arrival(repo, pair, ours, theirs, &mut arrived)?;
            Ok(move_ref(commons, &pair.local, ours, theirs)?.then_some(arrived))
        }
        Relation::Diverged => {
            let ours = ours.context("a diverged ref has a local value")?;
            if dry_run {
                add_line(&mut report.plan, format!("merge {} (changed on both sides)", pair.local));
                return Ok(Some(arrived));
            }
            match pair.kind {
                Kind::Trunk if repo.merge_base(ours, theirs)?.is_none() => Err(fail(
                    format!("this commons and {remote_name} share no history: their trunks have no commit in common"),
                    format!(
                        "{remote_name} is another commons; check its URL with `git remote -v`, nothing was changed"
                    ),
                )),
                Kind::Trunk => merge_trunk(commons, remote_name, ours, theirs, report),
                Kind::Notes => merge_notes(commons, pair, ours, theirs, report),
                Kind::Ballots if pair.local.starts_with(crate::statements::BALLOT_REFS) => {
                    merge_ballots(commons, pair, ours, theirs, report)
                }
                Kind::Edition => merge_edition(commons, pair, ours, theirs, report),
                _ => {
                    add_line(
                        &mut report.diverged,
                        format!(
                            "{}: this clone and {remote_name} have different histories ({} here, {} there); \
                             nothing was overwritten",
                            pair.local,
                            ours.short(10),
                            theirs.short(10)
                        ),
                    );
                    Ok(Some(arrived))
                }
            }
        }
    }
}

enum Relation {
    Ahead,
    Behind,
    Diverged,
}

/// What is wrong with the object a ref of `kind` points at, if anything: a statement tag
/// must point at a tag object, every other ref tribune syncs at a commit.
fn malformed(repo: &Repo, kind: Kind, id: Oid) -> Result<Option<String>> {
    let want = if kind == Kind::Tag { "tag" } else { "commit" };
    Ok(match repo.object_kind(id)? {
        Some(k) if k == want => None,
        Some(k) => Some(format!("a {k}, not {}", if kind == Kind::Tag { "a tag object" } else { "a commit" })),
        None => Some("an object this repository does not have".to_string()),
    })
}

/// The warning for a local ref that points at something malformed.
fn local_malformed(name: &str, id: Oid, what: &str) -> String {
    format!(
        "{name}: points at {} ({what}), so it is not pushed; remove it with `git update-ref -d {name}` if it should \
         not be there",
        id.short(10)
    )
}

/// The warning for a remote's ref that points at something malformed.
fn remote_malformed(name: &str, remote: &str, id: Oid, what: &str) -> String {
    format!(
        "{name}: {remote}'s copy points at {} ({what}); it was not taken, and only the records on that ref are \
         affected",
        id.short(10)
    )
}

/// Adds a line to a list of the report, once (integration runs again after a lost race).
fn add_line(list: &mut Vec<String>, line: String) {
    if !list.contains(&line) {
        list.push(line);
    }
}

/// Moves a local ref (compare-and-swap), keeping a checked-out trunk's work tree in step.
/// False when the ref no longer held `from` (another process moved it): nothing changed.
fn move_ref(commons: &Commons, name: &str, from: Option<Oid>, to: Oid) -> Result<bool> {
    let repo = &commons.repo;
    if repo.update_ref(name, to, from, "tribune sync")? == RefUpdate::Moved {
        return Ok(false);
    }
    if name == commons.trunk_ref {
        let old_tree = match from {
            Some(f) => Some(repo.commit_tree(f)?),
            None => None,
        };
        let new_tree = repo.commit_tree(to)?;
        let paths: Vec<String> = repo.changed_paths(old_tree, new_tree, "")?.into_iter().map(|c| c.path).collect();
        if let Some(w) = repo.refresh_worktree(name, old_tree, new_tree, &paths) {
            eprintln!("warning: {w}");
        }
    }
    Ok(true)
}

/// Counts what a fast-forward from `ours` to `theirs` brings.
fn count_arrival(repo: &Repo, pair: &Pair, ours: Option<Oid>, theirs: Oid, moved: &mut Moved) -> Result<()> {
    count(repo, pair.kind, &pair.local, ours, theirs, moved)
}

/// Counts what lies between `from` (None: nothing) and `to` on a ref of `kind`.
fn count(repo: &Repo, kind: Kind, name: &str, from: Option<Oid>, to: Oid, moved: &mut Moved) -> Result<()> {
    let hide: Vec<Oid> = from.into_iter().collect();
    match kind {
        Kind::Trunk => {
            moved.commits += repo.walk(to, &hide)?.count();
            let old = match from {
                Some(f) => Some(repo.commit_tree(f)?),
                None => None,
            };
            moved.articles += repo
                .changed_paths(old, repo.commit_tree(to)?, layout::ARTICLES)?
                .iter()
                .filter(|c| c.new.is_some() && c.path.ends_with("/index.md"))
                .count();
        }
        Kind::Edition => {
            let contingent = name.rsplit('/').next().unwrap_or("").to_string();
            let mut n = 0;
            for id in repo.walk(to, &hide)? {
                if repo.commit(id?)?.trailer("Tribune-Action") == Some("rewrite") {
                    n += 1;
                }
            }
            if n > 0 {
                *moved.rewrites.entry(contingent).or_default() += n;
            }
        }
        Kind::Notes => {
            let rater = name.rsplit('/').next().unwrap_or("").to_string();
            let old = match from {
                Some(f) => repo.notes_in(repo.commit_tree(f)?)?,
                None => BTreeMap::new(),
            };
            let mut n = 0;
            for (object, (_, blob)) in repo.notes_in(repo.commit_tree(to)?)? {
                let before: std::collections::HashSet<Vec<u8>> = match old.get(&object) {
                    Some((_, b)) if *b == blob => continue,
                    Some((_, b)) => lines(&repo.read_blob(*b)?),
                    None => Default::default(),
                };
                n += lines(&repo.read_blob(blob)?).difference(&before).count();
            }
            if n > 0 {
                *moved.ratings.entry(rater).or_default() += n;
            }
        }
        Kind::Ballots => {
            if name.starts_with(crate::statements::BALLOT_REFS) {
                // Ballots, not the merges of a member's ballots from two clones.
                for id in repo.walk(to, &hide)? {
                    if repo.commit(id?)?.trailer("Tribune-Statement").is_some() {
                        moved.ballots += 1;
                    }
                }
            }
        }
        Kind::Tag => moved.statements += 1,
    }
    Ok(())
}

/// The distinct non-empty lines of a note.
fn lines(data: &[u8]) -> std::collections::HashSet<Vec<u8>> {
    data.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect()
}

/// Git's configured SSH key when it is one of `member`'s keys in the roster, and those keys:
/// a merge of a member's records (ratings, ballots) is signed as the member's own are.
fn member_signer(commons: &Commons, member: &str) -> Result<(Option<crate::signing::Signer>, Vec<String>)> {
    let keys = crate::ratings::keys_of(&commons.snapshot()?, member)?;
    let signer = match crate::signing::configured(&commons.repo, None) {
        Ok(Some(s)) if !keys.is_empty() && s.is_one_of(&keys) => Some(s),
        _ => None,
    };
    Ok((signer, keys))
}

/// A merge commit of `ours` then `theirs`, signed by `signer` if there is one.
fn write_merge(
    repo: &Repo,
    tree: Oid,
    ours: Oid,
    theirs: Oid,
    message: &str,
    signer: Option<&crate::signing::Signer>,
) -> Result<Oid> {
    let who = repo.identity("COMMITTER")?;
    match signer {
        Some(s) => repo.write_signed_commit(tree, &[ours, theirs], &who, &who, message, &|d| s.sign(d)),
        None => repo.write_commit(tree, &[ours, theirs], &who, &who, message),
    }
}

/// Two copies of a rater's notes: a merge commit whose tree is the union of both, signed
/// with the configured key when it is one of the rater's (as their own notes commits are).
fn merge_notes(commons: &Commons, pair: &Pair, ours: Oid, theirs: Oid, report: &mut Report) -> Result<Option<Moved>> {
    let repo = &commons.repo;
    let ours_tree = repo.commit_tree(ours)?;
    let theirs_tree = repo.commit_tree(theirs)?;
    let changed = repo.merge_notes(Some(ours_tree), theirs_tree)?;
    let edits: Vec<Edit> = repo.note_edits(Some(ours_tree), &changed)?;
    let tree = repo.edit_tree(Some(ours_tree), &edits)?;
    let rater = pair.local.rsplit('/').next().unwrap_or("");
    let message = crate::commons::message(
        &format!("merge the ratings of {rater} from {}", report.remote),
        &[("Action", "merge-ratings"), ("Rater", rater)],
    );
    let (signer, keys) = member_signer(commons, rater)?;
    // An unsigned merge would make every rating of a rater with a key show as forged,
    // everywhere it travels: leave it to a clone that holds the rater's key.
    if signer.is_none() && !keys.is_empty() {
        add_line(
            &mut report.diverged,
            format!(
                "{}: {rater} rated on this clone and elsewhere; their ratings are signed, so only a clone with \
                 {rater}'s key can merge them (set user.signingkey and gpg.format=ssh there, then sync)",
                pair.local
            ),
        );
        return Ok(Some(Moved::default()));
    }
    let commit = write_merge(repo, tree, ours, theirs, &message, signer.as_ref())?;
    let mut arrived = Moved::default();
    count(repo, Kind::Notes, &pair.local, Some(ours), theirs, &mut arrived)?;
    Ok(move_ref(commons, &pair.local, Some(ours), commit)?.then_some(arrived))
}

/// A member's ballots cast on this clone and on another: a merge commit with the empty
/// tree (local tip, then the remote's), so that every ballot stays reachable; the tally walks
/// through it. Signed with the configured key when it is one of the member's, else unsigned
/// (the tally judges ballots, never the merge). Two ballots with one sequence number are
/// both excluded by the tally until the member votes again, on either clone: the report
/// says so.
fn merge_ballots(commons: &Commons, pair: &Pair, ours: Oid, theirs: Oid, report: &mut Report) -> Result<Option<Moved>> {
    let repo = &commons.repo;
    let rest = pair.local.strip_prefix(crate::statements::BALLOT_REFS).unwrap_or(&pair.local);
    let (statement, member) = rest.rsplit_once('/').unwrap_or(("", rest));
    let remote = &report.remote;
    let message = crate::commons::message(
        &format!("merge the ballots of {member} on {statement} from {remote}"),
        &[("Action", "merge-ballots"), ("Member", member)],
    );
    let (signer, _) = member_signer(commons, member)?;
    let commit = write_merge(repo, repo.empty_tree()?, ours, theirs, &message, signer.as_ref())?;
    let mut arrived = Moved::default();
    count(repo, Kind::Ballots, &pair.local, Some(ours), theirs, &mut arrived)?;
    if !move_ref(commons, &pair.local, Some(ours), commit)? {
        return Ok(None);
    }
    // The highest sequence number cast on each side since they parted: when they are the
    // same, neither ballot counts.
    let parted: Vec<Oid> = repo.merge_base(ours, theirs)?.into_iter().collect();
    let highest = |tip: Oid| -> Result<Option<u64>> {
        let mut top = None;
        for id in repo.walk(tip, &parted)? {
            let info = repo.commit(id?)?;
            if info.trailer("Tribune-Statement").is_some() {
                top = top.max(info.trailer("Tribune-Seq").and_then(|s| s.parse::<u64>().ok()));
            }
        }
        Ok(top)
    };
    let line = match (highest(ours)?, highest(theirs)?) {
        (Some(a), Some(b)) if a == b => format!(
            "{}: {member} voted on this clone and on {remote} with the same sequence number ({a}); both ballots are \
             kept, and the tally excludes both until {member} votes again, on either clone (`tribune vote \
             {statement} yes|no|abstain --as {member}`, then `tribune sync`; see `tribune tally {statement}`)",
            pair.local
        ),
        _ => format!(
            "{}: {member}'s ballots cast on this clone and on {remote} were merged; the one with the highest \
             sequence number counts (`tribune tally {statement}`)",
            pair.local
        ),
    };
    add_line(&mut report.merged, line);
    Ok(Some(arrived))
}

/// A contingent's edition changed on this clone and on another: a three-way merge of the
/// trees (the same as the trunk's), as a merge commit (local tip, then the remote's). When
/// both changed one file differently, nothing is written and the ref is reported, with
/// which article and how to settle it.
fn merge_edition(commons: &Commons, pair: &Pair, ours: Oid, theirs: Oid, report: &mut Report) -> Result<Option<Moved>> {
    let repo = &commons.repo;
    let remote = &report.remote;
    let contingent = pair.local.rsplit('/').next().unwrap_or("");
    let base_tree = repo.merge_base(ours, theirs)?.map(|b| repo.commit_tree(b)).transpose()?;
    let their_tree = repo.commit_tree(theirs)?;
    let merge = repo.merge_trees(base_tree, repo.commit_tree(ours)?, their_tree)?;
    if !merge.conflicts.is_empty() {
        let mut what = Vec::new();
        for (path, mine) in &merge.conflicts {
            let short = |b: Option<Oid>| b.map(|b| b.short(8)).unwrap_or_else(|| "deleted".into());
            let there = repo.entry_at(their_tree, path)?.filter(|e| !e.is_tree).map(|e| e.id);
            what.push(match (crate::index::slug_of_text_path(path), mine, there) {
                (Some(slug), Some(m), Some(t)) => format!(
                    "{contingent}'s text of {slug} (here {}, there {}: `tribune diff {slug} {} {}`)",
                    m.short(8),
                    t.short(8),
                    t.short(8),
                    m.short(8)
                ),
                (Some(slug), m, t) => format!("{contingent}'s text of {slug} (here {}, there {})", short(*m), short(t)),
                (None, m, t) => format!("{path} (here {}, there {})", short(*m), short(t)),
            });
        }
        let dir = format!("../merge-{contingent}");
        add_line(
            &mut report.diverged,
            format!(
                "{}: this clone and {remote} both changed {}; nothing was overwritten. To settle it, merge with git: \
                 `git worktree add {dir} contingents/{contingent}`, `git -C {dir} merge \
                 {remote}/contingents/{contingent}`, edit the conflicting file there to the text to keep, `git -C \
                 {dir} commit -a`, `git worktree remove {dir}`, then `tribune sync`",
                pair.local,
                what.join(", ")
            ),
        );
        return Ok(Some(Moved::default()));
    }
    let message = crate::commons::message(
        &format!("merge the edition of {contingent} from {remote}"),
        &[("Action", "merge-edition"), ("Contingent", contingent)],
    );
    let commit = write_merge(repo, merge.tree, ours, theirs, &message, None)?;
    let mut arrived = Moved::default();
    count(repo, Kind::Edition, &pair.local, Some(ours), theirs, &mut arrived)?;
    if !move_ref(commons, &pair.local, Some(ours), commit)? {
        return Ok(None);
    }
    add_line(
        &mut report.merged,
        format!("{}: the rewrites made on this clone and on {remote} were merged", pair.local),
    );
    Ok(Some(arrived))
}

/// A statement tag from the remote is taken only when it verifies.
fn tag(
    commons: &Commons,
    pair: &Pair,
    ours: Option<Oid>,
    theirs: Oid,
    dry_run: bool,
    report: &mut Report,
) -> Result<Option<Moved>> {
    let slug = pair.local.rsplit('/').next().unwrap_or("").to_string();
    let mut arrived = Moved::default();
    if let Some(o) = ours {
        let line = format!(
            "{}: this clone and {} hold different approvals ({} here, {} there); yours is kept, check both with \
             `tribune verify {slug}`",
            pair.local,
            report.remote,
            o.short(10),
            theirs.short(10)
        );
        add_line(&mut report.diverged, line);
        return Ok(Some(arrived));
    }
    if dry_run {
        add_line(&mut report.plan, format!("verify and take {}", pair.local));
        return Ok(Some(arrived));
    }
    let v = crate::statements::verify_tag(commons, &slug, theirs)?;
    if !v.problems.is_empty() {
        add_line(&mut report.rejected_tags, format!("{}: {}", pair.local, v.problems.join("; ")));
        return Ok(Some(arrived));
    }
    arrived.statements += 1;
    Ok(move_ref(commons, &pair.local, None, theirs)?.then_some(arrived))
}

/// Local trunk commits merged with the remote's trunk. Nothing is replayed: ballots, tags,
/// editions and challenges name trunk commits, so a commit keeps its id through sync. The
/// merge takes every file this clone changed since the histories parted and the remote did
/// not; a file both sides changed to different contents, or that one side deleted and the
/// other changed, is a conflict: the trunk takes the remote's text, the local text is kept as
/// a rival version (an article), and the local trunk as it was on the branch
/// `sync-conflicts/<commit>`.
fn merge_trunk(
    commons: &Commons,
    remote_name: &str,
    ours: Oid,
    theirs: Oid,
    report: &mut Report,
) -> Result<Option<Moved>> {
    let repo = &commons.repo;
    // What arrived is what the remote did since the histories parted, not our own edits.
    let parted = repo.merge_base(ours, theirs)?;
    let mut arrived = Moved::default();
    count(repo, Kind::Trunk, &commons.trunk_ref, parted, theirs, &mut arrived)?;
    let base_tree = parted.map(|p| repo.commit_tree(p)).transpose()?;
    let merge = repo.merge_trees(base_tree, repo.commit_tree(ours)?, repo.commit_tree(theirs)?)?;
    let who = repo.identity("COMMITTER")?;
    let message = crate::commons::message(
        &format!("merge the trunk of {remote_name}"),
        &[("Action", "merge-trunk"), ("Remote", remote_name)],
    );
    let merged = repo.write_commit(merge.tree, &[theirs, ours], &who, &who, &message)?;
    if !move_ref(commons, &commons.trunk_ref, Some(ours), merged)? {
        return Ok(None);
    }
    if !merge.conflicts.is_empty() {
        // Our trunk is in the merge's history already; the branch names it for the user.
        let keep = format!("refs/heads/sync-conflicts/{}", ours.short(10));
        repo.update_ref(&keep, ours, repo.ref_target(&keep)?, "tribune sync: local trunk kept")?;
        for (path, blob) in merge.conflicts {
            report.conflicts.push(keep_conflict(commons, remote_name, &path, blob, &keep));
        }
    }
    Ok(Some(arrived))
}

/// Keeps our text of a conflicting path (None: we deleted it), and says what happened and
/// what to run. Never fails: at worst the text is only on the kept branch, and it says so.
fn keep_conflict(commons: &Commons, remote_name: &str, path: &str, ours: Option<Oid>, kept: &str) -> String {
    let branch = kept.trim_start_matches("refs/heads/");
    let trunk = commons.trunk_ref.trim_start_matches("refs/heads/");
    let Some(ours) = ours else {
        return format!(
            "{path}: this clone deleted it and {remote_name} changed it. The trunk keeps {remote_name}'s text; \
             your deletion is on the branch {branch}: delete it again if it should go (`git rm` in a clone, or \
             with plain git), then `tribune sync`."
        );
    };
    let as_rival = || -> Result<Option<(String, String)>> {
        let Some(slug) = crate::index::slug_of_text_path(path) else { return Ok(None) };
        let text = String::from_utf8_lossy(&commons.repo.read_blob(ours)?).into_owned();
        let Ok(article) = crate::model::article::Article::parse(path, &text) else { return Ok(None) };
        let contingent = article.contingent.clone();
        let editions = crate::index::editions(commons)?;
        let base = crate::versions::rewrite::base_for(commons, &editions, slug, &contingent)?;
        crate::versions::rewrite::commit_rewrite(
            commons,
            &base,
            slug,
            &contingent,
            path,
            &text,
            Some("This clone's trunk text, kept by tribune sync after a conflict"),
            None,
        )?;
        Ok(Some((slug.to_string(), contingent)))
    };
    match as_rival() {
        Ok(Some((slug, contingent))) => format!(
            "{slug}: this clone and {remote_name} both changed its trunk text. The trunk now has {remote_name}'s \
             text; yours is kept as {contingent}'s rival version (`tribune diff {slug} trunk {contingent}`) and on \
             the branch {branch}. To put yours back on the trunk: `tribune show {slug}@{contingent} > {slug}.md`, \
             edit it, `tribune contribute {slug}.md --update`, then `tribune sync`."
        ),
        _ => format!(
            "{path}: this clone and {remote_name} both changed it (or one of them deleted it). The trunk now has \
             {remote_name}'s version; yours is kept on the branch {branch} (`git diff {trunk} {branch} -- {path}`); \
             commit it again if it should win, then `tribune sync`."
        ),
    }
}

/// The local refs to push: those this clone has ahead of (or missing from) the remote.
/// A local ref that points at something malformed is never pushed (a warning names it).
fn outgoing(commons: &Commons, remote_name: &str, held: &mut Vec<String>, report: &mut Report) -> Result<Vec<PushRef>> {
    let repo = &commons.repo;
    let mut refs = Vec::new();
    for (name, id, kind) in syncable_local(repo, &commons.trunk_ref)? {
        let Some(tracking) = tracking_of(&name, remote_name) else { continue };
        let theirs = repo.ref_target(&tracking)?;
        if theirs == Some(id) {
            continue;
        }
        if let Some(what) = malformed(repo, kind, id)? {
            add_line(&mut report.warnings, local_malformed(&name, id, &what));
            continue;
        }
        if let Some(t) = theirs {
            if let Some(what) = malformed(repo, kind, t)? {
                add_line(&mut report.warnings, remote_malformed(&name, remote_name, t, &what));
                continue;
            }
            // Only what extends the remote's copy; the rest was reported when integrating
            // (and is reported by a --push-only sync, which does not integrate).
            if kind == Kind::Tag || !repo.is_ancestor(t, id)? {
                held.push(name);
                continue;
            }
        }
        if kind == Kind::Tag {
            // An approval goes out only when it verifies here: a hub must never receive a
            // statement tag that its own recount would reject.
            let slug = name.rsplit('/').next().unwrap_or("");
            let problems = match crate::model::id::validate("statement", slug) {
                Ok(()) => crate::statements::verify_tag(commons, slug, id)?.problems,
                Err(e) => vec![e.message.clone()],
            };
            if !problems.is_empty() {
                add_line(&mut report.unpushed_tags, format!("{name}: {}", problems.join("; ")));
                continue;
            }
        }
        refs.push(PushRef {
            local: name.clone(),
            id: id.to_string(),
            remote_ref: name,
            expect: theirs.map(|t| t.to_string()),
        });
    }
    Ok(refs)
}

/// Counts what pushing `r` sends.
fn count_push(repo: &Repo, r: &PushRef, left: &mut Moved) -> Result<()> {
    let id: Oid = r.id.parse()?;
    let kind = if r.local.starts_with("refs/heads/contingents/") {
        Kind::Edition
    } else if r.local.starts_with("refs/heads/") {
        Kind::Trunk
    } else if r.local.starts_with("refs/notes/") {
        Kind::Notes
    } else if r.local.starts_with("refs/tags/") {
        Kind::Tag
    } else {
        Kind::Ballots
    };
    let theirs = match &r.expect {
        Some(t) => Some(t.parse::<Oid>()?),
        None => None,
    };
    count(repo, kind, &r.local, theirs, id, left)
}
