//! `tribune sync`: meet another clone of the commons through a git remote.

use super::Ctx;
use crate::error::fail;
use crate::git::remote::Progress;
use crate::output::sync as say;
use crate::output::{clean, print_json};
use crate::sync::{self, Options};
use anyhow::Result;

/// Fetch every tribune ref from a remote, merge, and push what this clone made.
///
/// Runs your `git` for the network (so SSH keys, agents and credential helpers work) and
/// mirrors the remote's trunk and editions under `refs/remotes/<remote>/`, its ratings,
/// ballots and statement tags under `refs/tribune-sync/<remote>/`. Then: the trunk
/// fast-forwards, or is merged with the remote's (a text both sides changed stops the sync:
/// the trunk takes the remote's text and yours is kept as your contingent's rival version,
/// with a message saying what to run); a rater's ratings changed on two clones merge by the union of
/// lines (signed with the rater's key, so only on a clone that has it); a member's ballots
/// cast on two clones merge (if both have the same sequence number the tally excludes both
/// until the member votes again); an edition changed on two clones merges file by file, or,
/// when both changed one text, is named and left alone, with how to settle it; a
/// statement tag is taken only if it verifies. A ref that points at something malformed is
/// named in a warning, never taken or pushed; git checks every fetched object as `git fsck`
/// does, and a remote that holds malformed ones (a tree naming a file twice) gives nothing. Finally one atomic push, with a lease on
/// every ref, publishes this clone's new work; if another clone pushed meanwhile, sync
/// fetches again and retries. Two syncs may run at once in one clone.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The remote (default: origin).
    #[arg(value_name = "REMOTE", default_value = "origin")]
    pub remote: String,
    /// Fetch and merge, but push nothing.
    #[arg(long, conflicts_with = "push_only")]
    pub fetch_only: bool,
    /// Push what this clone made, without fetching first (the push still fails safely if
    /// the remote moved).
    #[arg(long)]
    pub push_only: bool,
    /// Fetch (which only moves the remote-tracking refs) and say what would be merged and
    /// pushed, changing no local ref and pushing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let progress = if ctx.style.tty && !args.json { Progress::Show } else { Progress::Quiet };
    let opts = Options { fetch: !args.push_only, push: !args.fetch_only, dry_run: args.dry_run, progress };
    let report = sync::sync(&commons, &args.remote, &opts)?;
    let r = &args.remote;
    for w in &report.warnings {
        eprintln!("{}", crate::output::fit_for_stderr(&format!("warning: {}", clean(&say::malformed(w, r)))));
    }
    if args.json {
        print_json(&report)?;
    } else {
        let mut out = String::new();
        if args.dry_run {
            out.push_str(&format!(
                "Dry run against {r}: nothing was changed here or there but the remote-tracking refs the fetch moved.\n"
            ));
            if report.plan.is_empty() {
                out.push_str("Nothing to merge or push.\n");
            }
            for p in &report.plan {
                out.push_str(&format!("  would {}\n", say::step(p)));
            }
        } else {
            if !args.push_only {
                out.push_str(&format!("From {r}: {}.\n", report.arrived.describe()));
            }
            if !args.fetch_only {
                out.push_str(&format!("To {r}: {}.\n", report.left.describe()));
            }
            if report.retries > 0 {
                out.push_str(&format!(
                    "(Another clone pushed meanwhile; fetched again {} time{}.)\n",
                    report.retries,
                    if report.retries == 1 { "" } else { "s" }
                ));
            }
        }
        let style = &ctx.style;
        for m in &report.merged {
            out.push_str(&format!("{} {}\n", style.paint("33", "MERGED"), say::merged(m, r)));
        }
        for c in &report.conflicts {
            out.push_str(&format!("{} {}\n", style.paint("31", "CONFLICT"), say::conflict(c, r)));
        }
        for d in &report.diverged {
            out.push_str(&format!("{} {}\n", style.paint("31", "DIVERGED"), say::diverged(d, r)));
        }
        for t in &report.rejected_tags {
            out.push_str(&format!(
                "{} {}\n",
                style.paint("31", "REJECTED (fails verification, not taken)"),
                say::refused_tag(t)
            ));
        }
        for t in &report.unpushed_tags {
            out.push_str(&format!(
                "{} {}\n",
                style.paint("31", "NOT PUSHED (fails verification here)"),
                say::refused_tag(t)
            ));
        }
        for t in &report.unpushed_trunk {
            out.push_str(&format!(
                "{} {}: {} broken by commits {r} does not have (`tribune audit`):\n",
                style.paint("31", "NOT PUSHED"),
                t.refname,
                crate::model::words::count(t.findings.len() as u64, "rule", "rules")
            ));
            for f in &t.findings {
                out.push_str(&format!("  {}\n", crate::output::audit::finding(f)));
            }
        }
        crate::output::print_prose(&ctx.style, out.trim_end())?;
    }
    if !report.conflicts.is_empty() {
        return Err(crate::error::conflict(
            format!(
                "sync stopped: {} changed on both sides; nothing was pushed",
                crate::model::words::count(report.conflicts.len() as u64, "text", "texts")
            ),
            "nothing is lost: read the CONFLICT lines above, then run `tribune sync` again to publish",
        ));
    }
    let refs = |n: usize| crate::model::words::count(n as u64, "ref", "refs");
    let left =
        report.diverged.len() + report.rejected_tags.len() + report.unpushed_tags.len() + report.unpushed_trunk.len();
    if !report.unpushed_trunk.is_empty() {
        return Err(fail(
            format!("sync finished with {} left unchanged; the trunk was not pushed", refs(left)),
            "the commits named above break the rules; take them off the trunk (for example `git reset --keep` \
             to the remote's trunk, after keeping what you need), then run `tribune sync` again",
        ));
    }
    if left > 0 {
        return Err(fail(
            format!("sync finished with {} left unchanged", refs(left)),
            "see the lines above; refs that diverged were never overwritten",
        ));
    }
    Ok(())
}
