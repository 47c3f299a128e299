//! The scratch repository a push runs from (see `remote::push`), and where the push goes
//! (`push_url`): beside the commons,
//! borrowing its objects and configuration, holding exactly the refs to push.

use super::remote::PushRef;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// A scratch repository for one push: removed when dropped.
pub(super) struct Scratch {
    dir: tempfile::TempDir,
    /// Glob refspecs of the fast-forwards (`refs/notes/*:refs/notes/*`…), then the forced
    /// refs' explicit ones.
    refspecs: Vec<String>,
}

impl Scratch {
    pub(super) fn new(git_dir: &Path, refs: &[PushRef]) -> Result<Scratch> {
        let common = common_dir(git_dir);
        let objects = common.join("objects");
        let objects =
            objects.canonicalize().with_context(|| format!("could not find the objects of {}", git_dir.display()))?;
        let parent = git_dir.join("tribune");
        std::fs::create_dir_all(&parent).with_context(|| format!("could not create {}", parent.display()))?;
        sweep(&parent);
        let dir = tempfile::Builder::new()
            .prefix("push-")
            .tempdir_in(&parent)
            .with_context(|| format!("could not create a scratch repository in {}", parent.display()))?;
        let at = dir.path();
        for d in ["objects/info", "refs"] {
            std::fs::create_dir_all(at.join(d))?;
        }
        std::fs::write(at.join("objects/info/alternates"), format!("{}\n", objects.display()))?;
        std::fs::write(at.join("HEAD"), "ref: refs/heads/main\n")?;
        // This repository's configuration first (the remote and how to reach it: a linked
        // worktree's is its main repository's, then the worktree's own `config.worktree`), then what
        // makes the scratch one a bare repository of its own.
        let mut config = String::new();
        for file in [common.join("config"), git_dir.join("config.worktree")] {
            // (A file that does not exist is skipped by git.)
            let file = file.canonicalize().unwrap_or(file);
            let quoted = file.display().to_string().replace('\\', "\\\\").replace('"', "\\\"");
            config.push_str(&format!("[include]\n\tpath = \"{quoted}\"\n"));
        }
        std::fs::write(at.join("config"), format!("{config}[core]\n\tbare = true\n"))?;
        let mut lines: Vec<(String, &str)> = Vec::new();
        let mut globs = std::collections::BTreeSet::new();
        let mut refspecs = Vec::new();
        for (n, r) in refs.iter().enumerate() {
            if r.force {
                let name = format!("refs/tribune-forced/{n}");
                refspecs.push(format!("{name}:{}", r.remote_ref));
                lines.push((name, &r.id));
            } else {
                // refs/<kind>/…: one glob per kind.
                let kind: Vec<&str> = r.remote_ref.splitn(3, '/').collect();
                if kind.len() < 3 || kind[0] != "refs" || r.local != r.remote_ref {
                    return Err(anyhow::anyhow!("cannot push {} to {}", r.local, r.remote_ref));
                }
                globs.insert(format!("refs/{}/*:refs/{}/*", kind[1], kind[1]));
                lines.push((r.remote_ref.clone(), &r.id));
            }
        }
        lines.sort();
        let mut packed = String::from("# pack-refs with: sorted \n");
        for (name, id) in &lines {
            packed.push_str(&format!("{id} {name}\n"));
        }
        std::fs::write(at.join("packed-refs"), packed)?;
        refspecs.splice(0..0, globs);
        Ok(Scratch { dir, refspecs })
    }

    pub(super) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(super) fn refspecs(&self) -> &[String] {
        &self.refspecs
    }
}

/// The directory holding the objects and configuration of the repository at `git_dir` (a
/// linked worktree's is its main repository's).
fn common_dir(git_dir: &Path) -> PathBuf {
    match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(c) => git_dir.join(c.trim()),
        Err(_) => git_dir.to_path_buf(),
    }
}

/// How old a scratch repository must be to be taken for one a killed push left behind.
const LEFT_BEHIND: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the scratch repositories of pushes that were killed (left more than an hour
/// ago: a live push's is younger), so that they do not accumulate. Best effort.
fn sweep(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let old = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
        if e.file_name().to_string_lossy().starts_with("push-") && old.is_some_and(|a| a > LEFT_BEHIND) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// The one URL a push to `remote` goes to (its pushurl, else its url) and its receive-pack
/// command, when nothing else of the configuration bears on a push; None otherwise (several
/// URLs, a proxy, any `url.<base>.insteadOf` or `pushInsteadOf` rule, which git applies to
/// a remote's URLs by rules of its own: the push then names the remote). A relative path is
/// made absolute from `cwd`, where git would resolve it, so that it cannot be taken for
/// the name of another remote.
///
/// git updates the remote-tracking refs of what it pushed to a named remote, one loose ref
/// file each: pushed from the scratch repository (which has the remote's fetch refspecs
/// through its configuration) that wrote, and then removed, a file for every one of two
/// thousand refs, which took longer than the push. Pushed to the URL, git updates none; sync
/// moves the commons' own remote-tracking refs itself, all at once.
pub(super) fn push_url(cwd: &Path, remote: &str) -> Option<(String, Option<String>)> {
    let escaped: String =
        remote.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_string() } else { format!("\\{c}") }).collect();
    let pattern = format!("^(remote\\.{escaped}\\.|url\\.)");
    let out = super::remote::git(Some(cwd)).args(["config", "-z", "--get-regexp", &pattern]).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let prefix = format!("remote.{remote}.");
    let (mut urls, mut push_urls, mut receive_pack) = (Vec::new(), Vec::new(), None);
    for item in String::from_utf8(out.stdout).ok()?.split('\0').filter(|i| !i.is_empty()) {
        let (key, value) = item.split_once('\n').unwrap_or((item, ""));
        // A URL rewriting rule (`url.<base>.…`): git's own resolution, by the remote's name.
        let var = key.strip_prefix(&prefix)?.to_ascii_lowercase();
        match var.as_str() {
            "url" => urls.push(value.to_string()),
            "pushurl" => push_urls.push(value.to_string()),
            "receivepack" => receive_pack = Some(value.to_string()),
            // What a fetch reads, or what the explicit refspecs of the push override.
            "fetch" | "tagopt" | "mirror" | "push" | "prune" | "prunetags" | "skipdefaultupdate" | "skipfetchall"
            | "uploadpack" | "promisor" | "partialclonefilter" => {}
            _ => return None,
        }
    }
    let urls = if push_urls.is_empty() { urls } else { push_urls };
    match urls.as_slice() {
        [url] if !url.is_empty() && !url.starts_with('-') => {
            // No ':' (no scheme, not scp-like) and not absolute: a path relative to `cwd`.
            let url = if !url.contains(':') && !Path::new(url).is_absolute() {
                cwd.join(url).to_str()?.to_string()
            } else {
                url.clone()
            };
            Some((url, receive_pack))
        }
        _ => None,
    }
}
