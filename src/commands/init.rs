//! `tribune init`: create a commons (a bare git repository with `tribune.toml`).

use super::Ctx;
use crate::commons::DEFAULT_TRUNK;
use anyhow::Result;
use std::path::PathBuf;

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
    let commit = crate::commons::create(&dir, &args.org, &args.trunk, None)?;
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
