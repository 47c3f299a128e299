//! `tribune statements`: every joint statement and where it stands.

use super::Ctx;
use crate::output::{print, print_json, print_table, Cell, Tone};
use crate::statements;
use anyhow::Result;

/// List the joint statements, open and closed, with their tallies.
///
/// The status is `open` (voting continues), `passes` or `fails` (closed, not approved),
/// `approved` (a tag that `tribune verify` accepts), or `INVALID` (a tag that fails
/// verification: it is not shown as approved).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only the statements still open for votes.
    #[arg(long)]
    pub open: bool,
    /// Print them as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Row {
    statement: String,
    title: String,
    deadline: String,
    status: String,
    counts: crate::model::vote::Counts,
    threshold: String,
    basis: crate::model::vote::Basis,
    problems: Vec<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let now = crate::git::commit_time()?.seconds;
    let mut rows = Vec::new();
    for slug in statements::slugs(&commons)? {
        let proposal = match statements::find(&commons, &slug) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("warning: statement {slug} cannot be read: {e:#}");
                continue;
            }
        };
        let t = statements::tally(&commons, &proposal, now, None)?;
        // The tally has verified the tag, if there is one: a tag that fails is INVALID.
        let (status, problems) = match &t.approval {
            Some(a) if !a.problems.is_empty() => ("INVALID".to_string(), a.problems.clone()),
            _ => (t.result.clone(), Vec::new()),
        };
        if args.open && status != "open" {
            continue;
        }
        rows.push(Row {
            statement: slug,
            title: t.title,
            deadline: t.deadline,
            status,
            counts: t.counts,
            threshold: t.rule.threshold.to_string(),
            basis: t.rule.basis,
            problems,
        });
    }
    if args.json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        return print(if args.open {
            "No open statements."
        } else {
            "No statements yet: propose one with `tribune propose FILE`."
        });
    }
    let style = &ctx.style;
    let mut table = style
        .table(&["STATEMENT", "STATUS", "YES", "NO", "ABSTAIN", "ELECTORATE", "RULE", "DEADLINE", "TITLE"])
        .free_text(&["TITLE"]);
    for r in &rows {
        let status = match r.status.as_str() {
            "approved" => Cell::toned("approved", Tone::Green),
            "INVALID" => Cell::toned("INVALID", Tone::Red),
            s => Cell::new(s),
        };
        table.row([
            Cell::new(&r.statement),
            status,
            Cell::new(r.counts.yes.to_string()),
            Cell::new(r.counts.no.to_string()),
            Cell::new(r.counts.abstain.to_string()),
            Cell::new(r.counts.electorate.to_string()),
            Cell::new(format!("{} of {}", r.threshold, r.basis)),
            Cell::new(&r.deadline),
            Cell::new(&r.title),
        ]);
    }
    print_table(&table)?;
    for r in rows.iter().filter(|r| !r.problems.is_empty()) {
        eprintln!("warning: the tag of {} fails verification: {}", r.statement, r.problems.join("; "));
    }
    Ok(())
}
