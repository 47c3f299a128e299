//! `tribune clone`: a new clone of a commons, ready to sync.

use super::Ctx;
use crate::error::fail;
use crate::git::remote::{self, Progress};
use crate::output::print;
use anyhow::Result;
use std::path::PathBuf;

/// Clone a commons: `git clone` plus tribune's refspecs, then every tribune ref.
///
/// The clone gets the trunk (checked out, unless --bare), and tribune's refspecs on
/// `origin` so that `tribune sync` (or a plain `git fetch`) brings editions, ratings,
/// ballots and statement tags; then runs a first sync, which takes them all (tags only if
/// they verify). The trees of every ref it took are checked as `git fsck` checks them: a
/// hub holding one that git and tribune could read apart (a file named twice) gives no
/// clone, nor does a first sync that fails (the directory is removed).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commons to clone: any URL or path git accepts.
    #[arg(value_name = "URL")]
    pub url: String,
    /// Where to put it (default: the last part of the URL, as git does).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// A bare clone, without a work tree.
    #[arg(long)]
    pub bare: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    remote::check_git()?;
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => {
            let base = args.url.trim_end_matches('/').trim_end_matches(".git").rsplit(['/', ':']).next().unwrap_or("");
            if base.is_empty() {
                return Err(crate::error::usage("cannot tell a directory name from the URL", "give DIR"));
            }
            PathBuf::from(if args.bare { format!("{base}.git") } else { base.to_string() })
        }
    };
    let dir = if dir.is_absolute() { dir } else { ctx.dir.join(dir) };
    if dir.exists() && std::fs::read_dir(&dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(fail(format!("{} already exists and is not empty", dir.display()), "choose another DIR"));
    }
    let progress = if ctx.style.tty { Progress::Show } else { Progress::Quiet };
    let existed = dir.exists();
    remote::clone(&args.url, &dir, args.bare, progress)?;
    choose_trunk(&dir, args.bare)?;
    let commons = match crate::commons::Commons::open(&dir) {
        Ok(c) => c,
        Err(e) => {
            return Err(fail(
                format!("cloned {} into {}, but it is not a tribune commons: {e:#}", args.url, dir.display()),
                "check the URL; the clone was left in place for you to look at or remove",
            ))
        }
    };
    // A bare clone maps the remote's branches onto its own and has no fetch refspec; both
    // kinds get tribune's, which mirror the remote under refs/remotes/origin/.
    crate::sync::ensure_refspecs(commons.repo.git_dir(), "origin")?;
    let opts = crate::sync::Options { fetch: true, push: false, dry_run: false, progress };
    // A clone is whole or not at all: one whose first sync fails, or that took a malformed
    // tree on any ref (a local clone copies the remote's objects unchecked, notes and
    // ballots included), is removed.
    let report = match crate::sync::sync(&commons, "origin", &opts) {
        Ok(r) => r,
        Err(e) => {
            drop(commons);
            let (_, hint) = crate::error::classify(&e);
            let left = remove_clone(&dir, existed);
            return Err(fail(
                format!("cloned {} into {}, but its first sync failed, so {left}: {e:#}", args.url, dir.display()),
                hint.unwrap_or_default(),
            ));
        }
    };
    // Every ref's trees, once all are in: read once each, however many refs share them.
    if let Some(bad) = commons.repo.first_bad_tree(&commons.repo.refs_with_prefix("refs/")?)? {
        drop(commons);
        return Err(refused(&args.url, &dir, existed, bad));
    }
    // The clone remembers the commons' identity, its root of authority (tribune.root), so
    // that a hub whose history is later replaced wholesale is noticed by `tribune audit`.
    let root = crate::governance::audit::audit_root(&commons)?;
    let extra = if report.arrived.is_empty() {
        "the trunk".to_string()
    } else {
        format!("the trunk, {}", report.arrived.describe())
    };
    let identity = match &root {
        Some(root) => format!("\nIts root of authority, remembered here: {root}."),
        None => String::new(),
    };
    print(&ctx.style.fit(&format!(
        "Cloned {} into {}: {extra}.{identity}\nSync with `tribune -C {} sync`.",
        args.url,
        dir.display(),
        dir.display()
    )))?;
    use crate::output::sync as say;
    for w in &report.warnings {
        let line = format!("warning: {}", crate::output::clean(&say::malformed(w, "origin")));
        eprintln!("{}", crate::output::fit_for_stderr(&line));
    }
    if !report.rejected_tags.is_empty() {
        let tags: Vec<String> = report.rejected_tags.iter().map(say::refused_tag).collect();
        let line = format!("warning: statement tags that fail verification were not taken: {}", tags.join("; "));
        eprintln!("{}", crate::output::fit_for_stderr(&crate::output::clean(&line)));
    }
    Ok(())
}

/// Finds the trunk of a fresh clone and makes it the clone's: the branch the remote's HEAD
/// names when it holds `tribune.toml`, else `main`, else any branch that does (a hub made
/// with `git init --bare` and filled by `tribune sync` still names git's default branch).
/// A trunk not called `main` is recorded in `tribune.trunk`.
/// git's clone takes objects unchecked (asking git to check them made a clone of 100,000
/// articles six times slower), so the trees of every ref are checked as `git fsck` checks
/// them, for what would let tribune and git read one apart (a name twice, say). The error
/// for the first one found, once the clone is removed (the directory was new, or empty).
fn refused(url: &str, dir: &std::path::Path, existed: bool, bad: crate::git::BadTree) -> anyhow::Error {
    let left = remove_clone(dir, existed);
    let branch = bad.refname.strip_prefix("refs/remotes/origin/").or(bad.refname.strip_prefix("refs/heads/"));
    let from = branch.map_or(bad.refname.clone(), |b| format!("its branch {b}"));
    let hub = crate::git::shell_word(std::path::Path::new(url));
    fail(
        format!(
            "{url} holds a malformed tree {} (in {from}): {}; git and tribune might read different files under \
             that name, so {left}",
            bad.tree, bad.problem
        ),
        format!(
            "whoever keeps {hub} can see it with `git fsck` there, and remove it by deleting or rewriting the ref \
             that holds it; a hub with tribune's hook (`tribune hook install HUB`) refuses such a push"
        ),
    )
}

/// Removes what the clone put in `dir` (the directory too, unless it `existed`, empty), and
/// says so.
fn remove_clone(dir: &std::path::Path, existed: bool) -> String {
    let removed = if existed {
        std::fs::read_dir(dir).and_then(|entries| {
            entries.map(|e| e.map(|e| e.path())).try_for_each(|p| {
                let p = p?;
                if p.is_dir() && !p.is_symlink() {
                    std::fs::remove_dir_all(p)
                } else {
                    std::fs::remove_file(p)
                }
            })
        })
    } else {
        std::fs::remove_dir_all(dir)
    };
    match removed {
        Ok(()) => "nothing was cloned".to_string(),
        Err(e) => format!("the clone in {} could not be removed ({e}): remove it", dir.display()),
    }
}

fn choose_trunk(dir: &std::path::Path, bare: bool) -> Result<()> {
    use crate::git::Repo;
    let Some(repo) = Repo::open_exact(dir)? else { return Ok(()) };
    let holds_config = |tip: crate::git::Oid| -> bool {
        repo.commit_tree(tip)
            .and_then(|t| repo.blob_at(t, crate::model::layout::CONFIG))
            .map(|b| b.is_some())
            .unwrap_or(false)
    };
    let prefix = if bare { "refs/heads/" } else { "refs/remotes/origin/" };
    let head = repo.head_branch();
    if let Some(h) = &head {
        if repo.ref_target(&format!("refs/heads/{h}"))?.is_some_and(holds_config) {
            if h != crate::commons::DEFAULT_TRUNK {
                repo.set_config_string(crate::commons::TRUNK_CONFIG_KEY, h)?;
            }
            return Ok(());
        }
    }
    let branches = repo.refs_with_prefix(prefix)?;
    let candidates: Vec<String> = branches
        .iter()
        .filter(|(_, tip)| holds_config(*tip))
        .map(|(name, _)| name[prefix.len()..].to_string())
        .filter(|b| b != "HEAD")
        .collect();
    let Some(trunk) = candidates.iter().find(|b| *b == crate::commons::DEFAULT_TRUNK).or(candidates.first()).cloned()
    else {
        return Ok(());
    };
    if bare {
        repo.set_head_branch(&trunk)?;
    } else {
        remote::checkout(dir, &trunk)?;
    }
    if trunk != crate::commons::DEFAULT_TRUNK {
        repo.set_config_string(crate::commons::TRUNK_CONFIG_KEY, &trunk)?;
    }
    Ok(())
}
