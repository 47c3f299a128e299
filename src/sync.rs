//! Sync: a commons is a network of clones that meet through ordinary git remotes.
//!
//! `git fetch` (the user's git) mirrors every tribune ref of the remote under
//! `refs/remotes/<remote>/`; then each is integrated into the local ref it mirrors, by the
//! rule of its kind: the trunk fast-forwards, or local commits are replayed onto the
//! remote's (they touch different files); a rater's notes merge by the union of lines;
//! per-writer refs (editions, ballots) fast-forward or are reported, never overwritten;
//! statement tags are verified before they are taken. Then one atomic push with a lease on
//! every ref publishes what this clone made; a race with another pusher fetches again.

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
const MAX_ROUNDS: usize = 5;

/// The fetch refspecs tribune configures for a remote: every ref it reads, mirrored.
pub fn refspecs(remote: &str) -> Vec<String> {
    vec![
        format!("+refs/heads/*:refs/remotes/{remote}/*"),
        format!("+refs/notes/tribune/*:refs/remotes/{remote}/notes/tribune/*"),
        format!("+refs/tribune/*:refs/remotes/{remote}/tribune/*"),
        format!("+refs/tags/statements/*:refs/remotes/{remote}/tags/statements/*"),
    ]
}

/// The kinds of ref sync integrates, each with its own rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Trunk,
    Edition,
    Notes,
    Ballots,
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
    let rest = tracking.strip_prefix(&format!("refs/remotes/{remote}/"))?;
    let trunk = trunk_ref.strip_prefix("refs/heads/")?;
    let (kind, local) = if rest == trunk {
        (Kind::Trunk, trunk_ref.to_string())
    } else if rest.starts_with("contingents/") {
        (Kind::Edition, format!("refs/heads/{rest}"))
    } else if rest.starts_with("notes/tribune/") {
        (Kind::Notes, format!("refs/{rest}"))
    } else if rest.starts_with("tribune/") {
        (Kind::Ballots, format!("refs/{rest}"))
    } else if rest.starts_with("tags/statements/") {
        (Kind::Tag, format!("refs/{rest}"))
    } else {
        return None;
    };
    Some(Pair { kind, local, tracking: tracking.to_string() })
}

/// The remote-tracking ref of a local ref.
fn tracking_of(local: &str, remote: &str) -> Option<String> {
    let rest = local.strip_prefix("refs/heads/").or_else(|| local.strip_prefix("refs/"))?;
    Some(format!("refs/remotes/{remote}/{rest}"))
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
        let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
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
    for round in 0..MAX_ROUNDS {
        if opts.fetch {
            remote::fetch(&dir, remote_name, opts.progress)?;
            integrate(commons, remote_name, opts.dry_run, &mut report)?;
        }
        if !opts.push || !report.conflicts.is_empty() {
            break;
        }
        let refs = outgoing(commons, remote_name)?;
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
                        // Move the remote-tracking ref too, so the next sync starts from the truth.
                        if let (Some(t), Some(id)) =
                            (tracking_of(&r.remote_ref, remote_name), commons.repo.ref_target(&r.local)?)
                        {
                            let old = commons.repo.ref_target(&t)?;
                            commons.repo.update_ref(&t, id, old, "tribune sync: pushed")?;
                        }
                        report.pushed.push(r.remote_ref.clone());
                    }
                }
                Pushed::Stale(why) => {
                    stale = Some(why);
                    break;
                }
            }
        }
        let Some(why) = stale else { break };
        if !opts.fetch || round + 1 == MAX_ROUNDS {
            return Err(fail(
                format!("the push to {remote_name} lost a race with another pusher: {why}"),
                "run `tribune sync` again",
            ));
        }
        report.retries += 1;
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
    if want.iter().all(|w| have.lines().any(|l| l.trim() == w)) {
        return Ok(());
    }
    let mut all: Vec<String> = have.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
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
        .filter_map(|(name, _)| pair_of(&name, remote_name, &commons.trunk_ref))
        .collect();
    // The trunk first (tags are verified against it), tags last.
    pairs.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.local.cmp(&b.local)));
    for pair in pairs {
        let Some(theirs) = repo.ref_target(&pair.tracking)? else { continue };
        let ours = repo.ref_target(&pair.local)?;
        if ours == Some(theirs) {
            continue;
        }
        if pair.kind == Kind::Tag {
            tag(commons, &pair, ours, theirs, dry_run, report)?;
            continue;
        }
        let relation = match ours {
            None => Relation::Behind,
            Some(o) if repo.is_ancestor(theirs, o)? => Relation::Ahead,
            Some(o) if repo.is_ancestor(o, theirs)? => Relation::Behind,
            Some(_) => Relation::Diverged,
        };
        match relation {
            Relation::Ahead => {}
            Relation::Behind => {
                if dry_run {
                    report.plan.push(format!("fast-forward {}", pair.local));
                    continue;
                }
                count_arrival(repo, &pair, ours, theirs, &mut report.arrived)?;
                move_ref(commons, &pair.local, ours, theirs)?;
            }
            Relation::Diverged => {
                let ours = ours.context("a diverged ref has a local value")?;
                if dry_run {
                    report.plan.push(format!("merge {} (changed on both sides)", pair.local));
                    continue;
                }
                match pair.kind {
                    Kind::Trunk => replay_trunk(commons, remote_name, ours, theirs, report)?,
                    Kind::Notes => merge_notes(commons, &pair, ours, theirs, report)?,
                    _ => report.diverged.push(format!(
                        "{}: this clone and {remote_name} have different histories ({} here, {} there); \
                         nothing was overwritten",
                        pair.local,
                        ours.short(10),
                        theirs.short(10)
                    )),
                }
            }
        }
    }
    Ok(())
}

enum Relation {
    Ahead,
    Behind,
    Diverged,
}

/// Moves a local ref (compare-and-swap), keeping a checked-out trunk's work tree in step.
fn move_ref(commons: &Commons, name: &str, from: Option<Oid>, to: Oid) -> Result<()> {
    let repo = &commons.repo;
    match repo.update_ref(name, to, from, "tribune sync")? {
        RefUpdate::Done => {}
        RefUpdate::Moved => {
            return Err(fail(
                format!("{name} moved while tribune sync ran"),
                "another tribune command is writing to this commons; run `tribune sync` again",
            ))
        }
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
    Ok(())
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
                let before = match old.get(&object) {
                    Some((_, b)) if *b == blob => continue,
                    Some((_, b)) => lines(&repo.read_blob(*b)?),
                    None => 0,
                };
                n += lines(&repo.read_blob(blob)?).saturating_sub(before);
            }
            if n > 0 {
                *moved.ratings.entry(rater).or_default() += n;
            }
        }
        Kind::Ballots => {
            if name.starts_with(crate::statements::BALLOT_REFS) {
                moved.ballots += repo.walk(to, &hide)?.count();
            }
        }
        Kind::Tag => moved.statements += 1,
    }
    Ok(())
}

fn lines(data: &[u8]) -> usize {
    data.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count()
}

/// Two copies of a rater's notes: a merge commit whose tree is the union of both, signed
/// with the configured key when it is one of the rater's (as their own notes commits are).
fn merge_notes(commons: &Commons, pair: &Pair, ours: Oid, theirs: Oid, report: &mut Report) -> Result<()> {
    let repo = &commons.repo;
    let ours_tree = repo.commit_tree(ours)?;
    let theirs_tree = repo.commit_tree(theirs)?;
    count(repo, Kind::Notes, &pair.local, Some(ours), theirs, &mut report.arrived)?;
    let changed = repo.merge_notes(Some(ours_tree), theirs_tree)?;
    let edits: Vec<Edit> = repo.note_edits(Some(ours_tree), &changed)?;
    let tree = repo.edit_tree(Some(ours_tree), &edits)?;
    let rater = pair.local.rsplit('/').next().unwrap_or("");
    let who = repo.identity("COMMITTER")?;
    let message = crate::commons::message(
        &format!("merge the ratings of {rater} from {}", report.remote),
        &[("Action", "merge-ratings"), ("Rater", rater)],
    );
    let keys = crate::ratings::keys_of(&commons.snapshot()?, rater)?;
    let signer = match crate::signing::configured(repo, None) {
        Ok(Some(s)) if !keys.is_empty() && s.is_one_of(&keys) => Some(s),
        _ => None,
    };
    let commit = match &signer {
        Some(s) => repo.write_signed_commit(tree, &[ours, theirs], &who, &who, &message, &|d| s.sign(d))?,
        None => {
            if !keys.is_empty() {
                eprintln!(
                    "warning: the merged ratings of {rater} are not signed with {rater}'s key, so they show as \
                     forged until {rater} syncs with their key configured (user.signingkey, gpg.format=ssh)"
                );
            }
            repo.write_commit(tree, &[ours, theirs], &who, &who, &message)?
        }
    };
    move_ref(commons, &pair.local, Some(ours), commit)
}

/// A statement tag from the remote is taken only when it verifies.
fn tag(
    commons: &Commons,
    pair: &Pair,
    ours: Option<Oid>,
    theirs: Oid,
    dry_run: bool,
    report: &mut Report,
) -> Result<()> {
    let slug = pair.local.rsplit('/').next().unwrap_or("").to_string();
    if let Some(o) = ours {
        report.diverged.push(format!(
            "{}: this clone and {} hold different approvals ({} here, {} there); yours is kept, check both with \
             `tribune verify {slug}`",
            pair.local,
            report.remote,
            o.short(10),
            theirs.short(10)
        ));
        return Ok(());
    }
    if dry_run {
        report.plan.push(format!("verify and take {}", pair.local));
        return Ok(());
    }
    let v = crate::statements::verify_tag(commons, &slug, theirs)?;
    if !v.problems.is_empty() {
        report.rejected_tags.push(format!("{}: {}", pair.local, v.problems.join("; ")));
        return Ok(());
    }
    move_ref(commons, &pair.local, None, theirs)?;
    report.arrived.statements += 1;
    Ok(())
}

/// Local trunk commits replayed onto the remote's trunk. Each commit's changes (against
/// its first parent) are applied to the remote's files; a file both sides changed to
/// different contents is a conflict: the trunk takes the remote's text, and the local text
/// is kept as a rival version (an article) and on a branch `sync-conflicts/<id>` (every
/// local commit as it was).
fn replay_trunk(commons: &Commons, remote_name: &str, ours: Oid, theirs: Oid, report: &mut Report) -> Result<()> {
    let repo = &commons.repo;
    let local: std::collections::HashSet<Oid> = repo.walk(ours, &[theirs])?.collect::<Result<_>>()?;
    // The first-parent line of local commits, oldest first.
    let mut line = Vec::new();
    let mut at = Some(ours);
    while let Some(c) = at.filter(|c| local.contains(c)) {
        let info = repo.commit(c)?;
        at = info.parents.first().copied();
        line.push(info);
    }
    line.reverse();
    count(repo, Kind::Trunk, &commons.trunk_ref, Some(ours), theirs, &mut report.arrived)?;
    let mut base = theirs;
    let mut tree = repo.commit_tree(theirs)?;
    // Conflicting paths: (path, our text) of the last local commit that changed them.
    let mut conflicts: BTreeMap<String, Oid> = BTreeMap::new();
    for c in &line {
        let parent_tree = match c.parents.first() {
            Some(p) => Some(repo.commit_tree(*p)?),
            None => None,
        };
        let mut edits = Vec::new();
        for change in repo.changed_paths(parent_tree, c.tree, "")? {
            let now = repo.entry_at(tree, &change.path)?.filter(|e| !e.is_tree).map(|e| e.id);
            if now == change.new {
                continue;
            }
            if now == change.old && !conflicts.contains_key(&change.path) {
                edits.push(match change.new {
                    Some(blob) => Edit::Put { path: change.path.clone(), blob },
                    None => Edit::Remove { path: change.path.clone() },
                });
            } else if let Some(blob) = change.new {
                conflicts.insert(change.path.clone(), blob);
            }
        }
        if edits.is_empty() {
            continue;
        }
        tree = repo.edit_tree(Some(tree), &edits)?;
        base = repo.write_commit(tree, &[base], &c.author, &c.committer, &c.message)?;
    }
    if !conflicts.is_empty() {
        let keep = format!("refs/heads/sync-conflicts/{}", ours.short(10));
        repo.update_ref(&keep, ours, repo.ref_target(&keep)?, "tribune sync: local trunk kept")?;
        move_ref(commons, &commons.trunk_ref, Some(ours), base)?;
        for (path, blob) in conflicts {
            report.conflicts.push(keep_conflict(commons, remote_name, &path, blob, &keep)?);
        }
        return Ok(());
    }
    move_ref(commons, &commons.trunk_ref, Some(ours), base)
}

/// Keeps our text of a conflicting path, and says what happened and what to run.
fn keep_conflict(commons: &Commons, remote_name: &str, path: &str, ours: Oid, kept: &str) -> Result<String> {
    let repo = &commons.repo;
    let branch = kept.trim_start_matches("refs/heads/");
    let slug = crate::index::slug_of_text_path(path);
    let text = String::from_utf8_lossy(&repo.read_blob(ours)?).into_owned();
    if let Some(slug) = slug {
        if let Ok(article) = crate::model::article::Article::parse(path, &text) {
            let contingent = article.contingent.clone();
            let editions = crate::index::editions(commons)?;
            let base = crate::commands::rewrite::base_for(commons, &editions, slug, &contingent)?;
            let saved = crate::commands::rewrite::commit_rewrite(
                commons,
                &base,
                slug,
                &contingent,
                path,
                &text,
                Some("This clone's trunk text, kept by tribune sync after a conflict"),
                None,
            );
            if saved.is_ok() {
                return Ok(format!(
                    "{slug}: this clone and {remote_name} both changed its trunk text. The trunk now has \
                     {remote_name}'s text; yours is kept as {contingent}'s rival version (`tribune diff {slug} \
                     trunk {contingent}`) and on the branch {branch}. To put yours back on the trunk: `tribune \
                     show {slug}@{contingent} > {slug}.md`, edit it, `tribune contribute {slug}.md --update`, \
                     then `tribune sync`."
                ));
            }
        }
    }
    Ok(format!(
        "{path}: this clone and {remote_name} both changed it. The trunk now has {remote_name}'s version; yours \
         is kept on the branch {branch} (`git diff {} {branch} -- {path}`); commit it again if it should win, \
         then `tribune sync`.",
        commons.trunk_ref.trim_start_matches("refs/heads/")
    ))
}

/// The local refs to push: those this clone has ahead of (or missing from) the remote.
fn outgoing(commons: &Commons, remote_name: &str) -> Result<Vec<PushRef>> {
    let repo = &commons.repo;
    let mut refs = Vec::new();
    for (name, id, kind) in syncable_local(repo, &commons.trunk_ref)? {
        let Some(tracking) = tracking_of(&name, remote_name) else { continue };
        let theirs = repo.ref_target(&tracking)?;
        if theirs == Some(id) {
            continue;
        }
        if let Some(t) = theirs {
            // Only what extends the remote's copy; the rest was reported when integrating.
            if kind == Kind::Tag || !repo.has_object(t) || !repo.is_ancestor(t, id)? {
                continue;
            }
        }
        refs.push(PushRef { local: name.clone(), remote_ref: name, expect: theirs.map(|t| t.to_string()) });
    }
    Ok(refs)
}

/// Counts what pushing `r` sends.
fn count_push(repo: &Repo, r: &PushRef, left: &mut Moved) -> Result<()> {
    let Some(id) = repo.ref_target(&r.local)? else { return Ok(()) };
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
