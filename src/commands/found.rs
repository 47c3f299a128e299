//! `tribune found`: make an unfounded commons' present roster its root of authority.

use super::Ctx;
use crate::output::print;
use anyhow::Result;
use std::path::PathBuf;

/// Found a commons made without founders (by an earlier release, or `init` without
/// --founder).
///
/// One signed commit on the trunk makes the roster as it is the root of authority: from
/// then on every change to the roster or the rules is judged by the authority chain (see
/// `tribune audit` and `man 5 tribune-format`), as in a commons made with `init --founder`.
/// Every valid member with a key is a founder; the commit is signed by one of them. Members
/// without a key cannot sign anything in a founded commons: the commit removes their
/// entries, and names them, to be admitted again with a key. Articles, ratings, statements
/// and their history are untouched.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The key to sign the founding with, a member's: an SSH private key file, or its .pub
    /// with the key in ssh-agent (default: git's user.signingkey with gpg.format=ssh).
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let (commit, founders, keyless) = crate::commons::roster::found(&commons, args.key.as_deref())?;
    let mut out = format!(
        "Founded: commit {commit} is the root of authority, with {} founder{}: {}.",
        founders.len(),
        if founders.len() == 1 { "" } else { "s" },
        founders.join(", ")
    );
    if !keyless.is_empty() {
        out.push_str(&format!(
            "\nWithout a key, and so removed from the roster (a founded roster needs keys): {}. Admit them again \
             with a key: `tribune roster add-member ID … --key-file THEIR-KEY.pub --key YOUR-KEY`.",
            keyless.join(", ")
        ));
    }
    print(&out)
}
