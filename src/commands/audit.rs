//! `tribune audit`: the trunk's history judged against the roster and rules in force.

use super::Ctx;
use crate::error::fail;
use crate::output::{print, print_json};
use anyhow::Result;

/// Judge every commit of the trunk against the roster and rules at its parent.
///
/// Walks the trunk from its root (or from what an earlier audit judged: results are
/// cached under .git/tribune/, keyed by commit) and reports every roster or rules change
/// that the authorised roster at its parent did not allow (who signed it, and the rule it
/// breaks), every roster entry tribune would refuse, every article, challenge, reply or
/// shared filter added, changed or deleted by a commit not signed by a member of the
/// contingent it belongs to, every statement text changed after its proposal, a founding
/// commit not signed by a founder, and a trunk that no longer descends from what this clone
/// audited before (a force-push). In an unfounded commons (made by `init` without
/// --founder) every change is allowed, so only invalid entries, changed statements and
/// rewrites are reported. When tribune.toml at the trunk's tip does not parse (every other
/// command then stops), the audit still runs, on the newest tribune.toml that does, and
/// says so: it names the commit that broke it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the result as JSON: the root of authority, the tip audited, the commits judged
    /// by this run, and each finding with its fields.
    #[arg(long)]
    pub json: bool,
    /// Report only the findings of commits made since REV (a commit, tag or `main~N`: those
    /// reachable from the trunk and not from REV). The whole history is still judged.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = crate::commons::Commons::open_for_audit(&ctx.dir)?;
    let since = match &args.since {
        Some(rev) => Some(commons.repo.resolve_commit(rev)?.ok_or_else(|| {
            crate::error::usage(
                format!("--since {rev:?} names no commit here"),
                "give a commit id, a tag, or a revision such as main~10",
            )
        })?),
        None => None,
    };
    let mut audit = crate::governance::audit::audit(&commons)?;
    if let Some(since) = since {
        let mut kept = Vec::new();
        for f in audit.findings {
            let old = match f.commit().parse() {
                Ok(c) => commons.repo.has_object(c) && commons.repo.is_ancestor(c, since)?,
                Err(_) => false,
            };
            if !old {
                kept.push(f);
            }
        }
        audit.findings = kept;
    }
    if args.json {
        print_json(&audit)?;
    } else {
        let mut out = match &audit.root {
            Some(root) => format!("Root of authority: {root}.\n"),
            None => "This commons is unfounded: no signed root, so anyone who can push may change the roster \
                     (see `tribune init --founder`).\n"
                .to_string(),
        };
        if audit.findings.is_empty() {
            out.push_str(&format!("The trunk up to {} breaks no rule.", crate::model::words::short(&audit.tip, 10)));
        }
        for f in &audit.findings {
            out.push_str(&format!("{} {}\n", ctx.style.paint("31", "BROKEN"), crate::output::audit::finding(f)));
        }
        print(&ctx.style.fit(out.trim_end()))?;
    }
    if !audit.findings.is_empty() {
        return Err(fail(
            format!("{} broken on the trunk", crate::model::words::count(audit.findings.len() as u64, "rule", "rules")),
            "what each finding names counts for nothing where authority matters (the electorate, a member's keys, \
             an article's owner); `man 5 tribune-format` (AUTHORITY) says what each rule asks",
        ));
    }
    Ok(())
}
