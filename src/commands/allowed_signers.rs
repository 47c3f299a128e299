//! `tribune allowed-signers`: the roster's keys for plain git's SSH verification.

use super::Ctx;
use crate::output::print;
use crate::statements;
use anyhow::Result;

/// Print the roster's keys in git's allowed-signers format.
///
/// One line per key of the authorised roster (in a founded commons, what the authority chain
/// took: an entry added or changed with plain git without authority is not there; an entry
/// tribune would refuse never is): `<email> namespaces="git" <key>`. With it plain git verifies
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
    let at = match &args.statement {
        Some(s) => statements::find(&commons, s)?.commit,
        None => commons.trunk_tip()?,
    };
    let authority = crate::governance::audit::authority_at(&commons, at)?;
    let mut out = String::new();
    for m in authority.members.values() {
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
