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

mod channels;
mod count;
mod integrate;
mod merge;
mod push;
mod refs;
mod report;

use channels::*;
pub use count::Moved;
use count::*;
use integrate::*;
use merge::*;
use push::*;
use refs::*;
pub use refs::{well_formed, Kind};
pub use report::*;

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
    // git runs where a user runs it, the top of the work tree (when there is one): a remote
    // URL that is a relative path (`git remote add origin ../hub`) means what it means there.
    let cwd = commons.repo.work_dir().map(std::path::Path::to_path_buf).unwrap_or_else(|| dir.clone());
    let mut report = Report { remote: remote_name.to_string(), ..Report::default() };
    // The refs of a push that reported failure: some may have landed all the same.
    let mut unsure: Vec<PushRef> = Vec::new();
    for round in 0..MAX_ROUNDS {
        if opts.fetch {
            remote::fetch(&cwd, remote_name, opts.progress)?;
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
            for name in &held {
                report.diverged.push(Diverged::RemoteAhead { refname: name.clone() });
            }
        }
        if opts.dry_run {
            for r in &refs {
                report.plan.push(Step::Push { refname: r.remote_ref.clone() });
                count_push(&commons.repo, r, &mut report.left)?;
            }
            // A ref changed on both sides is merged, and the merge then pushed.
            for name in &held {
                if report.plan.iter().any(|s| matches!(s, Step::Merge { refname } if refname == name)) {
                    report.plan.push(Step::PushMerged { refname: name.clone() });
                }
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
            match remote::push(&dir, &cwd, remote_name, batch, opts.progress)? {
                Pushed::Done => {
                    // Move the remote-tracking refs too, so the next sync starts from the
                    // truth: what was pushed (the local ref may have moved on since).
                    let mut tracking = Vec::new();
                    for r in batch {
                        count_push(&commons.repo, r, &mut report.left)?;
                        if let Some(t) = tracking_of(&r.remote_ref, remote_name) {
                            let old = commons.repo.ref_target(&t)?;
                            tracking.push((t, r.id.parse()?, old));
                        }
                        report.pushed.push(r.remote_ref.clone());
                    }
                    move_tracking(&commons.repo, remote_name, tracking)?;
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

/// Moves remote-tracking refs to what was pushed, each from the value it had (one that moved
/// meanwhile, by a fetch of another sync, is left as that sync set it). The mirrors of notes
/// and ballot refs, all commits and the many, are moved at once in `packed-refs`; the rest
/// (branches, whose moves git logs, and tags) one by one.
fn move_tracking(repo: &Repo, remote: &str, refs: Vec<(String, Oid, Option<Oid>)>) -> Result<()> {
    let mirrors = [format!("{MIRRORS}{remote}/notes/"), format!("{MIRRORS}{remote}/tribune/")];
    let (packable, mut single): (Vec<_>, Vec<_>) =
        refs.into_iter().partition(|(t, _, _)| mirrors.iter().any(|m| t.starts_with(m.as_str())));
    if packable.len() > 1 {
        let done = repo.update_refs_packed(&packable)?;
        let rest: std::collections::HashSet<String> = done.rest.into_iter().collect();
        single.extend(packable.into_iter().filter(|(t, _, _)| rest.contains(t)));
    } else {
        single.extend(packable);
    }
    for (t, new, old) in single {
        repo.update_ref(&t, new, old, "tribune sync: pushed")?;
    }
    Ok(())
}

/// Adds tribune's refspecs to a remote that lacks them (a remote added with plain git).
pub fn ensure_refspecs(dir: &std::path::Path, remote_name: &str) -> Result<()> {
    let have = remote::get_config_all(dir, &format!("remote.{remote_name}.fetch"))?.join("\n");
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
