//! `tribune hook`: enforce the rules at a hub, before git takes a push.

use super::Ctx;
use crate::error::fail;
use crate::governance::hook::{judge, Update};
use crate::output::print;
use anyhow::{Context, Result};
use clap::Subcommand;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// Enforce tribune's rules at a hub: refuse a push that breaks them.
///
/// A hub is the bare repository every clone syncs through. With the hook installed, git
/// asks tribune about every push before it takes it, and a push that breaks a rule is
/// refused whole, each broken rule one line that the pusher sees as `remote: tribune:
/// refused …`. The judgement is `tribune audit`'s for the trunk (roster and rules changed
/// without authority, articles, challenges, replies and shared filters changed, deleted or
/// added by someone outside the contingent they belong to, statements changed after their
/// proposal), plus, per ref: no deletion or rewrite of the trunk; no deletion or rewrite of
/// a contingent's edition, and no new commit on it, except by a member of that contingent;
/// every commit on a member's ballot ref signed by that member; every commit on a rater's
/// notes ref signed by the rater when the rater is a member with
/// a key; a statement tag only when it verifies; no ref under tribune's namespaces that does
/// not have its kind's shape. In an unfounded commons (no signed root) only what needs no
/// roster authority is enforced, and the hook says so.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Install tribune's pre-receive hook in a bare hub.
    Install(Install),
    /// The pre-receive hook's body: judge the ref updates git gives on standard input.
    PreReceive(PreReceive),
}

/// Install tribune's pre-receive hook in a bare hub.
///
/// Writes `hooks/pre-receive` (or under `core.hooksPath`), a shell script that runs this
/// tribune binary, by its absolute path, as `tribune hook pre-receive`. Installing again
/// replaces tribune's own hook (after an upgrade that moved the binary, say); a hook that
/// is not tribune's is left alone, and the install refused. A repository with a work tree
/// is refused: git refuses pushes to its checked-out branch anyway, and a hub is bare. The
/// hub's audit is brought up to date, so that the first push judges only its own commits.
/// Unless the hub sets receive.fsckObjects itself, it is set to true: git then refuses
/// malformed objects (a tree with two entries of one name), which git and tribune could
/// read differently.
#[derive(Debug, clap::Args)]
pub struct Install {
    /// The bare hub (default: the current directory, or -C DIR).
    #[arg(value_name = "HUB")]
    pub hub: Option<PathBuf>,
}

/// The pre-receive hook's body: judge the ref updates git gives on standard input.
///
/// Reads `<old> <new> <ref>` lines, as git gives a pre-receive hook, judges the push
/// against the commons as it would be after it (its objects read from git's quarantine),
/// and exits 1, with one line per refusal on standard error, when any update breaks a rule;
/// git then takes none of them. For forges that run a command as the hook, in the
/// repository, with git's environment.
#[derive(Debug, clap::Args)]
pub struct PreReceive {}

/// The line that marks a hook as tribune's own.
const MARK: &str = "# tribune pre-receive hook";

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    match args.action {
        Action::Install(a) => install(ctx, a),
        Action::PreReceive(_) => pre_receive(),
    }
}

fn install(ctx: &Ctx, args: Install) -> Result<()> {
    let hub = match args.hub {
        Some(h) if h.is_relative() => ctx.dir.join(h),
        Some(h) => h,
        None => ctx.dir.clone(),
    };
    let Some(repo) = crate::git::Repo::open_exact(&hub)? else {
        return Err(fail(
            format!("{} is not a git repository", hub.display()),
            "a hub is a bare repository: `tribune init HUB --org NAME`, or `git init --bare HUB`",
        ));
    };
    if !repo.is_bare() {
        return Err(fail(
            format!("{} is not a bare repository: it has a work tree", repo.display_path().display()),
            "install the hook in the bare hub the clones push to (`git clone --bare` makes one)",
        ));
    }
    let hooks = match repo.config_string("core.hooksPath") {
        Some(p) if Path::new(&p).is_absolute() => PathBuf::from(p),
        Some(p) => repo.git_dir().join(p),
        None => repo.git_dir().join("hooks"),
    };
    let path = hooks.join("pre-receive");
    if let Ok(existing) = std::fs::read(&path) {
        if !String::from_utf8_lossy(&existing).lines().any(|l| l.starts_with(MARK)) {
            return Err(fail(
                format!("{} already has a pre-receive hook that is not tribune's", path.display()),
                "keep it and have it run `tribune hook pre-receive` with the same standard input, or move it away \
                 and install again",
            ));
        }
    }
    // The trunk the hook guards: tribune.trunk, else the branch the hub's HEAD names (a
    // `git clone --bare` of a commons whose trunk is not `main` has no tribune.trunk).
    let key = crate::commons::TRUNK_CONFIG_KEY;
    let mut trunk_note = None;
    if repo.config_string(key).is_none() {
        if let Some(head) = repo.head_branch().filter(|b| b != crate::commons::DEFAULT_TRUNK) {
            let tip = repo.ref_target(&format!("refs/heads/{head}"))?;
            let holds = match tip {
                Some(t) => repo.entry_at(repo.commit_tree(t)?, crate::model::layout::CONFIG)?.is_some(),
                None => false,
            };
            if holds {
                repo.set_config_string(key, &head)?;
                trunk_note = Some(head);
            }
        }
    }
    // git checks every object pushed as `git fsck` does (a tree with two entries of one
    // name, or out of order, is read differently by git and by tribune): unless the hub
    // says otherwise.
    let fsck_note = match repo.config_string("receive.fsckObjects") {
        None => {
            repo.set_config_string("receive.fsckObjects", "true")?;
            None
        }
        Some(v) if !matches!(v.to_ascii_lowercase().as_str(), "true" | "yes" | "on" | "1") => Some(v),
        Some(_) => None,
    };
    let exe = std::env::current_exe().context("could not find the path of this tribune binary")?;
    let exe = exe.canonicalize().unwrap_or(exe);
    let script = format!(
        "#!/bin/sh\n{MARK}: installed by `tribune hook install`; install again to update it.\nexec {} hook \
         pre-receive\n",
        shell_quote(&exe.to_string_lossy())
    );
    std::fs::create_dir_all(&hooks).with_context(|| format!("could not create {}", hooks.display()))?;
    let tmp = hooks.join(format!(".pre-receive.{}", std::process::id()));
    std::fs::write(&tmp, script).with_context(|| format!("could not write {}", tmp.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("could not make {} executable", tmp.display()))?;
    }
    std::fs::rename(&tmp, &path).with_context(|| format!("could not write {}", path.display()))?;
    let mut out = format!("Installed the pre-receive hook {}: it runs {}.", path.display(), exe.display());
    if let Some(v) = fsck_note {
        out.push_str(&format!(
            "\nNote: receive.fsckObjects is {v}: git takes malformed objects, which git and tribune may read apart."
        ));
    }
    if let Some(head) = trunk_note {
        out.push_str(&format!("\nThe trunk is {head}, the branch HEAD names (recorded as {key})."));
    }
    // Bring the audit up to date now, so that the first push judges only its own commits.
    drop(repo);
    match crate::commons::Commons::open(&hub) {
        Ok(commons) => {
            let audit = crate::governance::audit::audit(&commons)?;
            if audit.root.is_none() {
                out.push_str(&format!("\nNote: {}.", crate::output::hook::UNFOUNDED));
            }
            if !audit.findings.is_empty() {
                out.push_str(&format!(
                    "\nThe trunk already breaks {} (`tribune audit`): pushes are judged from here on.",
                    crate::model::words::count(audit.findings.len() as u64, "rule", "rules")
                ));
            }
        }
        Err(_) => out.push_str("\nThe hub has no commons yet: the first push of a trunk is judged whole."),
    }
    print(&out)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn pre_receive() -> Result<()> {
    let mut updates = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = line.context("could not read the ref updates on standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let Some(u) = Update::parse(&line) else {
            // Quoted in part: a line of megabytes is not echoed back whole.
            let shown: String = line.chars().take(200).collect();
            let more = if shown.len() < line.len() { "…" } else { "" };
            return Err(fail(
                format!("{:?}{more} is not a line git gives a pre-receive hook", crate::output::clean(&shown)),
                "git gives `<old id> <new id> <ref>` lines on standard input",
            ));
        };
        updates.push(u);
    }
    if updates.is_empty() {
        return Ok(());
    }
    let judged = judge(&updates)?;
    // To the pusher through git; a pusher gone (stderr closed) changes no judgement.
    let say = |line: String| {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "{line}");
    };
    if judged.has_commons && !judged.founded {
        say(format!("tribune: {}", crate::output::hook::UNFOUNDED));
    }
    for (refname, r) in &judged.refused {
        say(crate::output::hook::refusal(refname, r));
    }
    if judged.refused.is_empty() {
        return Ok(());
    }
    Err(fail(
        format!(
            "the push is refused: {}",
            crate::output::count(judged.refused.len() as u64, "refusal above", "refusals above")
        ),
        "the lines above say which and why; nothing of the push was taken",
    ))
}
