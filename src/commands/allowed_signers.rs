//! `tribune allowed-signers`: the roster's keys for plain git's SSH verification.

use super::Ctx;
use crate::output::print;
use crate::statements;
use anyhow::Result;

/// Print the roster's keys in git's allowed-signers format.
///
/// One line per key: `<email> namespaces="git" <key>`. With it plain git verifies
/// tribune's signatures: `tribune allowed-signers > signers; git -c gpg.format=ssh
/// -c gpg.ssh.allowedSignersFile=signers tag -v statements/<slug>` (or `verify-commit` on a
/// ballot).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The keys of a statement's electorate (the roster at its proposal) instead of the
    /// roster now.
    #[arg(long, value_name = "STATEMENT")]
    pub statement: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let tree = match &args.statement {
        Some(s) => commons.repo.commit_tree(statements::find(&commons, s)?.commit)?,
        None => commons.repo.commit_tree(commons.trunk_tip()?)?,
    };
    let mut out = String::new();
    for m in statements::members_at(&commons.repo, tree)? {
        let principal = if m.email.is_empty() { m.id.clone() } else { m.email.clone() };
        for k in &m.keys {
            // The key type and data; a comment would be read as part of nothing useful.
            let key: Vec<&str> = k.split_whitespace().take(2).collect();
            out.push_str(&format!("{principal} namespaces=\"git\" {}\n", key.join(" ")));
        }
    }
    if out.is_empty() {
        eprintln!("warning: no member of the roster has a key");
        return Ok(());
    }
    print(out.trim_end())
}
