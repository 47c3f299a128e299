//! Network operations through the user's own `git` (as jj does), so SSH config, agents,
//! credential helpers and every transport git supports just work. Always in the C locale,
//! with standard input closed, and `--porcelain` output where git has it.

use crate::error::fail;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::{Command, Stdio};

/// The oldest git tribune drives: `push --atomic`, `--force-with-lease` and
/// `--porcelain` are older, but 2.20 is the oldest we have tested against the protocol.
const MIN_GIT: (u32, u32) = (2, 20);

/// How a command's output is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// git's own progress meter on the terminal (stderr inherited).
    Show,
    /// Nothing but errors.
    Quiet,
}

fn git(dir: Option<&Path>) -> Command {
    let mut cmd = Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    cmd.env("LC_ALL", "C").env("GIT_TERMINAL_PROMPT", "0").stdin(Stdio::null());
    cmd
}

/// Checks that git is installed and recent enough.
pub fn check_git() -> Result<()> {
    let out = git(None).arg("--version").output().map_err(|e| {
        fail(
            format!("cannot run git: {e}"),
            "tribune needs git for network operations: install it (e.g. `apt-get install git`)",
        )
    })?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.trim().strip_prefix("git version ").unwrap_or("");
    let mut parts = version.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
    let major: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let minor: u32 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    if (major, minor) < MIN_GIT {
        return Err(fail(
            format!("git {version} is too old: tribune needs git {}.{} or later", MIN_GIT.0, MIN_GIT.1),
            "upgrade git",
        ));
    }
    Ok(())
}

/// Runs git; on failure, an error with git's own message.
fn run(mut cmd: Command, what: &str, progress: Progress) -> Result<String> {
    cmd.stdout(Stdio::piped());
    cmd.stderr(if progress == Progress::Show { Stdio::inherit() } else { Stdio::piped() });
    let out = cmd.output().with_context(|| format!("could not run git to {what}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        if let Some(e) = lock_in_the_way(&stderr, what) {
            return Err(e);
        }
        let detail = stderr.lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n  ");
        return Err(fail(
            format!("git could not {what}{}", if detail.is_empty() { String::new() } else { format!(":\n  {detail}") }),
            "check the remote's URL and your access to it (`git remote -v`, `git fetch`)",
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The lock file git could not create because it exists ("Unable to create '….lock': File
/// exists"), left by a git or tribune process that was killed (or held by a live one): the
/// same error, naming the file and why removing it is safe, as tribune's own ref updates give.
fn lock_in_the_way(stderr: &str, what: &str) -> Option<anyhow::Error> {
    const START: &str = "Unable to create '";
    const END: &str = ".lock': File exists";
    let line = stderr.lines().find(|l| l.contains(START) && l.contains(END))?;
    let from = line.find(START)? + START.len();
    let to = from + line[from..].find(END)? + ".lock".len();
    let path = line[from..to].replace("/./", "/");
    let place = if line.trim_start().starts_with("remote:") { " (the lock is on the remote)" } else { "" };
    Some(super::refs::stale_lock(&format!("git could not {what}{place}"), Path::new(&path), None))
}

/// `git fetch --prune REMOTE` with the remote's configured refspecs.
pub fn fetch(dir: &Path, remote: &str, progress: Progress) -> Result<()> {
    let mut cmd = git(Some(dir));
    cmd.args(["fetch", "--prune", "--no-tags"]);
    cmd.arg(if progress == Progress::Show { "--progress" } else { "--quiet" });
    cmd.arg(remote);
    run(cmd, &format!("fetch from {remote}"), progress).map(|_| ())
}

/// One ref in a push: the local object, the remote ref, and what the remote must still
/// hold (None: the ref must not exist there yet).
#[derive(Clone)]
pub struct PushRef {
    pub local: String,
    pub remote_ref: String,
    pub expect: Option<String>,
}

/// What an atomic push did.
pub enum Pushed {
    Done,
    /// The remote moved since the last fetch, or another push held a ref locked (a race
    /// with another pusher): fetch again. When a lock file was in the way, the error that
    /// names it, for when the retries run out (the lock was stale, not another push's).
    Stale(String, Option<anyhow::Error>),
}

/// `git push --atomic --porcelain` with a lease on every ref, so a race fails cleanly.
pub fn push(dir: &Path, remote: &str, refs: &[PushRef], progress: Progress) -> Result<Pushed> {
    let mut cmd = git(Some(dir));
    cmd.args(["push", "--atomic", "--porcelain", "--no-verify"]);
    if progress == Progress::Quiet {
        cmd.arg("--quiet");
    }
    for r in refs {
        let zero = "0".repeat(40);
        cmd.arg(format!("--force-with-lease={}:{}", r.remote_ref, r.expect.as_deref().unwrap_or(&zero)));
    }
    cmd.arg(remote);
    for r in refs {
        cmd.arg(format!("{}:{}", r.local, r.remote_ref));
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = cmd.output().context("could not run git to push")?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        return Ok(Pushed::Done);
    }
    // Porcelain lines: "<flag>\t<from>:<to>\t<summary>"; `!` is a rejected ref.
    let rejected: Vec<String> = stdout
        .lines()
        .filter(|l| l.starts_with('!'))
        .map(|l| l.split('\t').skip(1).collect::<Vec<_>>().join(" "))
        .collect();
    if lost_race(&rejected, &stderr) {
        return Ok(Pushed::Stale(rejected.join("; "), lock_in_the_way(&stderr, &format!("push to {remote}"))));
    }
    if let Some(e) = lock_in_the_way(&stderr, &format!("push to {remote}")) {
        return Err(e);
    }
    let detail: Vec<&str> =
        stderr.lines().chain(rejected.iter().map(String::as_str)).filter(|l| !l.trim().is_empty()).collect();
    Err(fail(
        format!("git could not push to {remote}:\n  {}", detail.join("\n  ")),
        "check your access to the remote (`git push` tells more)",
    ))
}

/// Whether a failed push lost a race with another pusher (fetch again and retry) rather
/// than being refused: a stale lease or a non-fast-forward, or a ref the hub could not lock
/// or update because another push held it (an atomic push then fails as a whole).
fn lost_race(rejected: &[String], stderr: &str) -> bool {
    const RACES: [&str; 8] = [
        "stale info",
        "fetch first",
        "non-fast-forward",
        "atomic transaction failed",
        "failed to update ref",
        "cannot lock ref",
        "incorrect old value",
        "failed to lock",
    ];
    let refused = ["hook declined", "permission", "denied", "not allowed"];
    let race = |l: &str| RACES.iter().any(|r| l.contains(r));
    let any_refused = rejected.iter().any(|l| refused.iter().any(|r| l.contains(r)));
    !any_refused && (rejected.iter().any(|l| race(l)) || stderr.lines().any(|l| l.contains("cannot lock ref")))
}

/// `git clone URL DIR` (bare or with a work tree).
pub fn clone(url: &str, dir: &Path, bare: bool, progress: Progress) -> Result<()> {
    let mut cmd = git(None);
    // `origin` whatever clone.defaultRemoteName says; tags only through tribune's refspec.
    cmd.args(["clone", "--origin", "origin", "--no-tags"]);
    if bare {
        cmd.arg("--bare");
    }
    cmd.arg(if progress == Progress::Show { "--progress" } else { "--quiet" });
    cmd.arg("--").arg(url).arg(dir);
    run(cmd, &format!("clone {url}"), progress).map(|_| ())
}

/// Sets a remote's fetch refspecs (replacing the ones it had).
pub fn set_refspecs(dir: &Path, remote: &str, refspecs: &[String]) -> Result<()> {
    let key = format!("remote.{remote}.fetch");
    let mut cmd = git(Some(dir));
    cmd.args(["config", "--unset-all", &key]);
    // Exit 5 means there was nothing to unset: fine.
    let _ = cmd.output();
    for spec in refspecs {
        let mut cmd = git(Some(dir));
        cmd.args(["config", "--add", &key, spec]);
        run(cmd, &format!("configure the refspec {spec}"), Progress::Quiet)?;
    }
    Ok(())
}

/// `git checkout BRANCH` (creating it from origin's branch of that name).
pub fn checkout(dir: &Path, branch: &str) -> Result<()> {
    let mut cmd = git(Some(dir));
    cmd.args(["checkout", "-q", branch, "--"]);
    run(cmd, &format!("check out {branch}"), Progress::Quiet).map(|_| ())
}

/// Sets one value in the repository's git config.
pub fn set_config(dir: &Path, key: &str, value: &str) -> Result<()> {
    let mut cmd = git(Some(dir));
    cmd.args(["config", key, value]);
    run(cmd, &format!("set {key}"), Progress::Quiet).map(|_| ())
}

/// The configured URL of a remote, if it exists.
pub fn remote_url(dir: &Path, remote: &str) -> Option<String> {
    let out = git(Some(dir)).args(["config", "--get", &format!("remote.{remote}.url")]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_git_could_not_create_is_named_with_why_removing_it_is_safe() {
        let stderr = "remote: error: cannot lock ref 'refs/heads/main': Unable to create \
                      '/srv/hub/./refs/heads/main.lock': File exists.        \nremote: \n";
        let err = lock_in_the_way(stderr, "push to origin").unwrap();
        assert_eq!(
            err.to_string(),
            "git could not push to origin (the lock is on the remote): its lock file \
             /srv/hub/refs/heads/main.lock is in the way"
        );
        let (_, hint) = crate::error::classify(&err);
        assert!(hint.unwrap().contains("the lock is stale (left by a process that was killed) and it is safe to remove it: rm /srv/hub/refs/heads/main.lock"));
        assert!(lock_in_the_way("fatal: could not read from remote repository\n", "fetch").is_none());
    }

    #[test]
    fn a_lock_held_by_another_push_is_a_race_and_a_hook_refusal_is_not() {
        let lock = vec!["refs/heads/main:refs/heads/main [remote rejected] (atomic transaction failed)".to_string()];
        assert!(lost_race(&lock, ""));
        assert!(lost_race(&[], "remote: error: cannot lock ref 'refs/heads/main': Unable to create lock"));
        assert!(lost_race(&["a:a [rejected] (stale info)".to_string()], ""));
        let hook = vec!["a:a [remote rejected] (pre-receive hook declined)".to_string()];
        assert!(!lost_race(&hook, ""));
        assert!(!lost_race(&[], "fatal: could not read from remote repository"));
    }
}
