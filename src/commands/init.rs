//! `tribune init`: create a commons (a bare git repository with `tribune.toml`).

use super::Ctx;
use crate::commons::{commit_on, message, Change, DEFAULT_TRUNK, TRUNK_CONFIG_KEY};
use crate::error::fail;
use crate::git::{Identity, Oid, Repo};
use crate::model::{config::Config, id, layout};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Create a new commons, or adopt an empty git repository as one.
///
/// A new commons is a bare git repository (no work tree: tribune writes git objects and
/// refs directly, and `git clone` gives anyone a checkout). Its trunk holds one commit
/// adding `tribune.toml`: the organisation's name, the trunk branch, the voting defaults
/// (threshold 2/3 of votes cast, quorum 1/2) and the rating dimensions.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the new commons (created if missing; must be empty or an empty git repository).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The organisation's name, used when signing in its name ("… contingent of NAME").
    #[arg(long, value_name = "NAME")]
    pub org: String,
    /// Name of the trunk branch.
    #[arg(long, value_name = "BRANCH", default_value = DEFAULT_TRUNK)]
    pub trunk: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let dir = match &args.dir {
        Some(d) if d.is_absolute() => d.clone(),
        Some(d) => ctx.dir.join(d),
        None => ctx.dir.clone(),
    };
    let commit = create(&dir, &args.org, &args.trunk, None)?;
    let shown = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    crate::output::print(&format!(
        "Created the commons of {:?} in {} (trunk {}, commit {}).\n\
         Next: add a contingent and a member, then contribute an article:\n  \
         tribune -C {d} roster add-contingent abc --name \"ABC Collective\"\n  \
         tribune -C {d} roster add-member rlopez --contingent abc --name \"R. Lopez\" --email r@example.org\n  \
         tribune -C {d} contribute article.md",
        args.org,
        dir.display(),
        args.trunk,
        commit.short(10),
        d = shown.display()
    ))
}

/// Creates the commons and returns the trunk's first commit. `who` overrides git's
/// identity (the demo uses it).
pub fn create(dir: &Path, org: &str, trunk: &str, who: Option<&Identity>) -> Result<Oid> {
    if org.trim().is_empty() {
        return Err(fail("the organisation name is empty", "pass --org \"Mass Organization XYZ\""));
    }
    if trunk.is_empty() || trunk.starts_with('-') || !trunk.split('/').all(id::is_valid) {
        return Err(fail(format!("{trunk:?} is not a usable trunk branch name"), "use a lowercase name such as main"));
    }
    let existed = dir.exists();
    let mut created = false;
    let repo = match Repo::open_exact(dir)? {
        Some(repo) => {
            if !repo.has_no_refs()? {
                let why = match repo.ref_target(&format!("refs/heads/{trunk}"))? {
                    Some(tip) if repo.blob_at(repo.commit_tree(tip)?, layout::CONFIG)?.is_some() => {
                        "it is already a tribune commons"
                    }
                    _ => "it already has commits, and only an empty repository can be adopted",
                };
                return Err(fail(
                    format!("cannot create a commons in {}: {why}", dir.display()),
                    "choose a new directory (tribune init DIR --org NAME)",
                ));
            }
            repo.set_head_branch(trunk)?;
            repo
        }
        None => {
            if let Ok(mut entries) = std::fs::read_dir(dir) {
                if entries.next().is_some() {
                    return Err(fail(
                        format!("cannot create a commons in {}: the directory is not empty", dir.display()),
                        "choose a new or empty directory",
                    ));
                }
            } else if dir.exists() {
                return Err(fail(format!("{} exists and is not a directory", dir.display()), "choose another path"));
            }
            created = true;
            Repo::init_bare(dir, trunk)?
        }
    };
    let result = (|| -> Result<Oid> {
        if trunk != DEFAULT_TRUNK {
            repo.set_config_string(TRUNK_CONFIG_KEY, trunk)?;
        }
        let config = Config::new(org.trim(), trunk);
        let (commit, ()) = commit_on(&repo, &format!("refs/heads/{trunk}"), |snap| {
            if snap.commit.is_some() {
                return Err(fail(
                    format!("{} became a commons while this one was being created", dir.display()),
                    "use it as it is",
                ));
            }
            let change = Change::new(message(&format!("init: the commons of {}", org.trim()), &[("Action", "init")]))
                .put(layout::CONFIG.to_string(), config.to_toml().into_bytes())
                .by(who);
            Ok((change, ()))
        })?;
        Ok(commit)
    })();
    if result.is_err() && created {
        // Leave no half-made repository behind (for example when git has no identity).
        let _ = if existed { clear_dir(dir) } else { std::fs::remove_dir_all(dir) };
    }
    result
}

fn clear_dir(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(path)?;
        } else {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}
