//! `tribune statements`: every joint statement and where it stands.

use super::Ctx;
use crate::output::{print, print_json, print_table, time, Cell, Tone};
use crate::statements;
use anyhow::Result;

/// List the joint statements, open and closed, with their tallies.
///
/// The status is `open` (voting continues), `passes` or `fails` (closed, not approved),
/// `approved` (a tag that `tribune verify` accepts), or `INVALID` (a tag that fails
/// verification: it is not shown as approved; or a rule looser than the organisation's
/// floors in force at its proposal).
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
    problems: Vec<statements::Problem>,
    /// Invalid by its rule (not by its tag): every floor it misses.
    #[serde(skip)]
    below_floors: Vec<crate::governance::rules::Breach>,
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
            _ if !t.below_floors.is_empty() => (
                "INVALID".to_string(),
                t.below_floors.iter().map(|b| statements::Problem::BelowFloor { breach: b.clone() }).collect(),
            ),
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
            below_floors: t.below_floors.clone(),
            problems,
        });
    }
    if args.json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        let none = if args.open {
            "No open statements."
        } else {
            "No statements yet: propose one with `tribune propose FILE`."
        };
        return print(&ctx.style.fit(&crate::output::here::here(none)));
    }
    let style = &ctx.style;
    let mut table =
        style.table(&["STATEMENT", "STATUS", "YES/NO/ABSTAIN", "RULE", "DEADLINE", "TITLE"]).free_text(&["TITLE"]);
    for r in &rows {
        let status = match r.status.as_str() {
            "approved" => Cell::toned("approved", Tone::Green),
            "INVALID" => Cell::toned("INVALID", Tone::Red),
            s => Cell::new(s),
        };
        table.row([
            Cell::new(&r.statement),
            status,
            // Compact, so that a row fits 80 columns: "2/1/0 of 7", and the rule as the
            // --threshold and --basis that give it, "2/3 cast". The deadline stays whole
            // (see `output::time`): the title gives way.
            Cell::new(format!("{}/{}/{} of {}", r.counts.yes, r.counts.no, r.counts.abstain, r.counts.electorate)),
            Cell::new(format!("{} {}", r.threshold, r.basis)),
            Cell::new(time(&r.deadline)),
            Cell::new(&r.title),
        ]);
    }
    print_table(&table)?;
    for r in rows.iter().filter(|r| !r.problems.is_empty()) {
        if r.below_floors.is_empty() {
            eprintln!(
                "warning: the tag of {} fails verification: {}",
                r.statement,
                crate::output::verification::joined(&r.problems)
            );
        } else {
            eprintln!(
                "warning: the statement {} is invalid, its rule looser than the organisation's floors in force at its \
                 proposal: {}",
                r.statement,
                r.below_floors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
            );
        }
    }
    Ok(())
}
