//! Network operations through the user's own `git` (as jj does), so SSH config, agents,
//! credential helpers and every transport git supports just work. Always in the C locale,
//! with standard input closed, and `--porcelain` output where git has it.

use crate::error::fail;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

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

pub(super) fn git(dir: Option<&Path>) -> Command {
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

/// What a git command printed, and whether it succeeded.
struct Output {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs git and collects what it printed. With [`Progress::Show`] git's progress reaches
/// the terminal as it comes, but its error lines are held back: the caller says what went
/// wrong (and a fetch that lost a race and tries again has nothing to say).
fn capture(mut cmd: Command, what: &str, progress: Progress) -> Result<Output> {
    use std::io::{Read, Write};
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().with_context(|| format!("could not run git to {what}"))?;
    let mut err = child.stderr.take().context("git's standard error is not piped")?;
    let show = progress == Progress::Show;
    let reader = std::thread::spawn(move || -> Vec<u8> {
        let held_back = |l: &[u8]| [&b"error:"[..], b"fatal:", b"hint:"].iter().any(|p| l.starts_with(p));
        let (mut all, mut line, mut buf) = (Vec::new(), Vec::new(), [0u8; 8192]);
        let mut term = std::io::stderr();
        loop {
            let n = match err.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            all.extend_from_slice(&buf[..n]);
            if show {
                for &b in &buf[..n] {
                    line.push(b);
                    // Progress meters rewrite their line with '\r'.
                    if b == b'\n' || b == b'\r' {
                        if !held_back(&line) {
                            let _ = term.write_all(&line);
                        }
                        line.clear();
                    }
                }
                let _ = term.flush();
            }
        }
        if show && !line.is_empty() && !held_back(&line) {
            let _ = term.write_all(&line);
        }
        all
    });
    let mut stdout = Vec::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_end(&mut stdout).with_context(|| format!("could not read what git printed to {what}"))?;
    }
    let status = child.wait().with_context(|| format!("could not run git to {what}"))?;
    let stderr = reader.join().unwrap_or_default();
    Ok(Output {
        ok: status.success(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Runs git; on failure, an error with git's own message.
fn run(cmd: Command, what: &str, progress: Progress) -> Result<String> {
    let out = capture(cmd, what, progress)?;
    if !out.ok {
        return Err(failure(what, &out.stderr));
    }
    Ok(out.stdout)
}

/// The error for a git command that failed: a lock in the way is named, with why removing
/// it is safe; anything else gets git's own message.
fn failure(what: &str, stderr: &str) -> anyhow::Error {
    if let Some(e) = lock_in_the_way(stderr, what) {
        return e;
    }
    if stderr.contains("fsck error") || stderr.contains("index-pack failed") && stderr.contains("error: object ") {
        return fail(
            format!("git could not {what}: the remote holds malformed objects, which git refused{}", detail(stderr)),
            "nothing was taken; whoever keeps the remote can find them with `git fsck` (a hub where \
             `tribune hook install HUB` ran refuses them when they are pushed)",
        );
    }
    // The remote's repository is damaged (a corrupt object, a broken pack): its URL is fine.
    let remote_says = |m: &str| stderr.lines().any(|l| l.starts_with("remote:") && l.contains(m));
    if ["is corrupt", "repository corruption", "inflate:", "pack-objects died"].iter().any(|m| remote_says(m)) {
        return fail(
            format!("git could not {what}: the remote's repository is damaged{}", detail(stderr)),
            "nothing was taken; whoever keeps the remote can find what is damaged with `git fsck` there (and \
             restore it from a clone)",
        );
    }
    fail(
        format!("git could not {what}{}", detail(stderr)),
        "check the remote's URL and your access to it (`git remote -v`, `git fetch`)",
    )
}

/// git's non-empty lines, indented under the message (nothing when it said nothing), less
/// its progress meters (each rewritten with `\r`) and the refs it updated: on a terminal
/// they came before the error, and they would bury it.
fn detail(stderr: &str) -> String {
    let lines: Vec<&str> =
        stderr.split(['\n', '\r']).map(str::trim_end).filter(|l| !l.trim().is_empty() && !is_progress(l)).collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!(":\n  {}", lines.join("\n  "))
    }
}

/// A line of git's progress, or of the refs a fetch or push updated (`From …`, ` * [new
/// branch] …`, `   1a2b..3c4d  main -> origin/main`); a rejected ref (` ! […]`) is kept.
fn is_progress(line: &str) -> bool {
    let l = line.strip_prefix("remote:").map_or(line, str::trim_start);
    const METERS: [&str; 10] = [
        "Enumerating objects",
        "Counting objects",
        "Compressing objects",
        "Receiving objects",
        "Resolving deltas",
        "Unpacking objects",
        "Writing objects",
        "Delta compression",
        "Total ",
        "Checking connectivity",
    ];
    if METERS.iter().any(|m| l.starts_with(m)) || line.starts_with("From ") || line.starts_with("To ") {
        return true;
    }
    let updated = line.strip_prefix("   ").or(line.strip_prefix(" * ")).or(line.strip_prefix(" + "));
    let updated = updated.or(line.strip_prefix(" - ")).or(line.strip_prefix(" t ")).or(line.strip_prefix(" = "));
    updated.is_some_and(|rest| rest.contains(" -> ") || rest.starts_with('['))
}

/// The lock file git could not create because it exists ("Unable to create '….lock': File
/// exists"), left by a git or tribune process that was killed (or held by a live one): the
/// same error, naming the file and why removing it is safe, as tribune's own ref updates give.
fn lock_in_the_way(stderr: &str, what: &str) -> Option<anyhow::Error> {
    let (path, on_remote) = lock_named(stderr)?;
    let place = if on_remote { " (the lock is on the remote)" } else { "" };
    Some(super::refs::stale_lock(&format!("git could not {what}{place}"), &path, None))
}

/// The lock file git reports it could not create, and whether it is on the remote.
fn lock_named(stderr: &str) -> Option<(PathBuf, bool)> {
    const START: &str = "Unable to create '";
    const END: &str = ".lock': File exists";
    let line = stderr.lines().find(|l| l.contains(START) && l.contains(END))?;
    let from = line.find(START)? + START.len();
    let to = from + line[from..].find(END)? + ".lock".len();
    let path = line[from..to].replace("/./", "/");
    Some((PathBuf::from(path), line.trim_start().starts_with("remote:")))
}

/// Whether a fetch failed only because another process was updating the same local refs
/// at the same moment (another fetch in this clone, a tribune command, a plain git): it
/// held a ref's lock, or the ref moved while git was updating it. Worth trying again.
fn lost_local_race(stderr: &str) -> bool {
    stderr.lines().any(|l| {
        l.contains(".lock': File exists")
            || (l.contains("cannot lock ref") && (l.contains("but expected") || l.contains("reference already exists")))
    })
}

/// `git fetch --prune REMOTE` with the remote's configured refspecs.
///
/// A fetch that loses a race for one of this clone's ref locks (two syncs at once, or a
/// tribune command writing) is tried again after a jittered pause, for up to 30 seconds;
/// only a lock file that stays in the way, unchanged, is reported as stale.
pub fn fetch(dir: &Path, remote: &str, progress: Progress) -> Result<()> {
    let what = format!("fetch from {remote}");
    let started = Instant::now();
    let mut attempt: u32 = 0;
    loop {
        let mut cmd = git(Some(dir));
        // git checks what it fetches as `git fsck` does (a tree naming one entry twice,
        // which git and tribune could read apart, is refused) unless this clone's
        // fetch.fsckObjects says otherwise.
        cmd.args(["-c", "transfer.fsckObjects=true", "fetch", "--prune", "--no-tags"]);
        cmd.arg(if progress == Progress::Show { "--progress" } else { "--quiet" });
        cmd.arg(remote);
        let out = capture(cmd, &what, progress)?;
        if out.ok {
            return Ok(());
        }
        if !lost_local_race(&out.stderr) {
            return Err(failure(&what, &out.stderr));
        }
        let lock = lock_named(&out.stderr).filter(|(_, on_remote)| !on_remote).map(|(p, _)| p);
        let stale = lock.as_deref().and_then(super::refs::lock_age).is_some_and(|a| a >= super::refs::STALE_AFTER);
        if stale {
            return Err(failure(&what, &out.stderr));
        }
        if started.elapsed() > super::refs::LOCK_PATIENCE {
            if lock.as_deref().is_some_and(Path::exists) {
                return Err(failure(&what, &out.stderr));
            }
            return Err(fail(
                format!(
                    "git could not {what}: other processes kept updating this clone's refs for {}s{}",
                    super::refs::LOCK_PATIENCE.as_secs(),
                    detail(&out.stderr)
                ),
                "try again when they are done",
            ));
        }
        attempt += 1;
        std::thread::sleep(super::refs::backoff(attempt));
    }
}

/// One ref in a push: the local ref and its object, the remote ref, and what the remote
/// must still hold (None: the ref must not exist there yet).
#[derive(Clone)]
pub struct PushRef {
    /// The local ref (named in messages).
    pub local: String,
    /// What is pushed: the local ref's value when the push was planned, so that what the
    /// remote-tracking ref records afterwards is what the remote got, even if the local ref
    /// moved meanwhile.
    pub id: String,
    pub remote_ref: String,
    pub expect: Option<String>,
    /// The push replaces the remote's value rather than extending it (a broken copy there
    /// repaired): it goes out forced, under a lease on `expect`. Every other ref goes out as
    /// a fast-forward only.
    pub force: bool,
}

/// What an atomic push did.
pub enum Pushed {
    Done,
    /// The remote moved since the last fetch, or another push held a ref locked (a race
    /// with another pusher): fetch again. When a lock file was in the way, the error that
    /// names it, for when the retries run out (the lock was stale, not another push's).
    Stale(String, Option<anyhow::Error>),
}

/// `git push --atomic --porcelain` of `refs`, so that a race fails cleanly: every ref a
/// fast-forward of what the remote has (the remote's update is a compare-and-swap on the
/// value it advertised, so nothing another pusher wrote is lost), and a forced one under a
/// lease on its expected value.
///
/// git matches each explicit refspec against every ref on both sides: a thousand refspecs
/// against a hub of 24,000 refs took 29 s. So the push runs from a scratch repository
/// beside this one, borrowing its objects (`objects/info/alternates`) and its configuration
/// (the remote, its URL, credentials), that holds exactly the refs to push, under a few
/// glob refspecs, which git matches through an index.
///
/// `git_dir` is the commons' git directory; git runs in `cwd` (where a relative remote URL
/// is resolved).
pub fn push(git_dir: &Path, cwd: &Path, remote: &str, refs: &[PushRef], progress: Progress) -> Result<Pushed> {
    let scratch = super::scratch::Scratch::new(git_dir, refs)?;
    let mut cmd = git(Some(cwd));
    cmd.arg("--git-dir").arg(scratch.path());
    // A mirror remote (`remote.<name>.mirror`) would make git refuse the refspecs, and would
    // force every ref and delete the remote's others: the push is tribune's refspecs only.
    cmd.arg("-c").arg(format!("remote.{remote}.mirror=false"));
    cmd.args(["push", "--atomic", "--porcelain", "--no-verify"]);
    if progress == Progress::Quiet {
        cmd.arg("--quiet");
    }
    let zero = "0".repeat(40);
    for r in refs.iter().filter(|r| r.force) {
        cmd.arg(format!("--force-with-lease={}:{}", r.remote_ref, r.expect.as_deref().unwrap_or(&zero)));
    }
    match super::scratch::push_url(cwd, remote) {
        Some((url, receive_pack)) => {
            if let Some(rp) = receive_pack {
                cmd.arg(format!("--receive-pack={rp}"));
            }
            cmd.arg(url);
        }
        None => {
            cmd.arg(remote);
        }
    }
    cmd.args(scratch.refspecs());
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = cmd.output().context("could not run git to push")?;
    drop(scratch);
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
    // The hub's own rules (tribune's pre-receive hook) said no: access is not the matter.
    let hint = if stderr.contains("pre-receive hook declined") || stderr.contains("tribune: refused") {
        "the hub's pre-receive hook refused the refs its `refused` lines above name, and as the push is atomic \
         nothing was pushed: repair or remove those refs here (or push the others with plain git), then sync again"
    } else {
        "check your access to the remote (`git push` tells more)"
    };
    Err(fail(format!("git could not push to {remote}:\n  {}", detail.join("\n  ")), hint))
}

/// Whether a failed push lost a race with another pusher (fetch again and retry) rather
/// than being refused: a stale lease or a non-fast-forward, or a ref the hub could not lock
/// or update because another push held it (an atomic push then fails as a whole).
fn lost_race(rejected: &[String], stderr: &str) -> bool {
    const RACES: [&str; 9] = [
        "stale info",
        "fetch first",
        "non-fast-forward",
        "atomic transaction failed",
        "failed to update ref",
        "cannot lock ref",
        "incorrect old value",
        "failed to lock",
        // Two pushes of the same objects at once: the hub's second move of the same pack
        // into place fails (its .keep file differs); the objects are there.
        "unable to migrate objects",
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
    // (Not checked as `fetch` is: git's check of a whole commons made a clone of 100,000
    // articles six times slower, 10.6 s to 65.5 s.)
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
    // Exit 5 means there was nothing to unset: fine.
    config(dir, &["--unset-all", &key], &format!("unset {key}"))?;
    for spec in refspecs {
        let what = format!("configure the refspec {spec}");
        let out = config(dir, &["--add", &key, spec], &what)?;
        if !out.ok {
            return Err(failure(&what, &out.stderr));
        }
    }
    Ok(())
}

/// `git config ARGS`, waiting out another process that holds the config file's lock (two
/// syncs at once in one clone), for up to 30 seconds.
fn config(dir: &Path, args: &[&str], what: &str) -> Result<Output> {
    const LOCKED: &str = "could not lock config file ";
    let started = Instant::now();
    let mut attempt: u32 = 0;
    loop {
        let mut cmd = git(Some(dir));
        cmd.arg("config").args(args);
        let out = capture(cmd, what, Progress::Quiet)?;
        let Some(line) = out.stderr.lines().find(|l| l.contains(LOCKED)) else { return Ok(out) };
        if started.elapsed() > super::refs::LOCK_PATIENCE {
            let file = line[line.find(LOCKED).unwrap_or(0) + LOCKED.len()..].trim_end_matches(": File exists");
            let lock = dir.join(format!("{file}.lock"));
            return Err(super::refs::stale_lock(&format!("git could not {what}"), &lock, None));
        }
        attempt += 1;
        std::thread::sleep(super::refs::backoff(attempt));
    }
}

/// `git checkout BRANCH` (creating it from origin's branch of that name).
pub fn checkout(dir: &Path, branch: &str) -> Result<()> {
    let mut cmd = git(Some(dir));
    cmd.args(["checkout", "-q", branch, "--"]);
    run(cmd, &format!("check out {branch}"), Progress::Quiet).map(|_| ())
}

/// Sets one value in the repository's git config (unless it has that value already: two
/// syncs at once then do not contend for the config file).
pub fn set_config(dir: &Path, key: &str, value: &str) -> Result<()> {
    if get_config(dir, key).as_deref() == Some(value) {
        return Ok(());
    }
    let what = format!("set {key}");
    let out = config(dir, &[key, value], &what)?;
    if !out.ok {
        return Err(failure(&what, &out.stderr));
    }
    Ok(())
}

/// One value of the repository's git config, if it is set.
fn get_config(dir: &Path, key: &str) -> Option<String> {
    let out = git(Some(dir)).args(["config", "--get", key]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Every value of a multi-valued configuration key (empty when there is none).
pub fn get_config_all(dir: &Path, key: &str) -> Result<Vec<String>> {
    let out = git(Some(dir)).args(["config", "--get-all", key]).output().context("could not run git config")?;
    Ok(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
}

/// The configured URL of a remote, if it exists.
pub fn remote_url(dir: &Path, remote: &str) -> Option<String> {
    get_config(dir, &format!("remote.{remote}.url"))
}

#[cfg(test)]
mod tests;
