//! `tribune log`: the commits that changed an article's trunk text.

use super::Ctx;
use crate::articles::history::{log, no_article, standings};
use crate::governance::acts::Standing;
use crate::model::selector::split_selector;
use crate::output::{print_json, print_table, Cell};
use anyhow::Result;
use serde::Serialize;

/// Show an article's history on the trunk: commit, author, date, action, version and standing.
///
/// The history runs from the commit that created the article (if it was removed and added
/// again, from the last time it was added) to the trunk's tip, following first parents.
/// STANDING says what the commit's signature shows of it as an act in the name of the
/// contingent its text names: verified (signed by a member of that contingent in the
/// authorised roster at the commit's parent, named in the JSON's `signer`), unsigned, or
/// unauthorised (signed by anyone else, or by a key no member held).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article's slug.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// Show at most N entries.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Print the history as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row {
    commit: String,
    author: String,
    email: String,
    date: String,
    action: String,
    version: Option<String>,
    summary: String,
    standing: Standing,
    /// The member whose key signed it, when the signature is valid.
    signer: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let (slug, version) = split_selector(&args.slug)?;
    if version.is_some() {
        return Err(crate::error::usage(
            format!("log shows every trunk version of an article; {:?} names one", args.slug),
            format!("run `tribune log {slug}`, or `tribune show {}` for that version", args.slug),
        ));
    }
    let entries = log(&commons, slug, args.limit)?;
    if entries.is_empty() {
        return Err(no_article(&commons, slug));
    }
    let judged = standings(&commons, &entries)?;
    let rows: Vec<Row> = entries
        .iter()
        .zip(judged)
        .map(|(e, j)| Row {
            commit: e.commit.id.to_string(),
            author: e.commit.author.name.clone(),
            email: e.commit.author.email.clone(),
            date: e.commit.author.when.rfc3339_utc(),
            action: e.action.clone(),
            version: e.version.map(|v| v.to_string()),
            summary: e.commit.summary().to_string(),
            standing: j.standing,
            signer: j.signer,
        })
        .collect();
    if args.json {
        return print_json(&rows);
    }
    let mut t = ctx
        .style
        .table(&["COMMIT", "DATE", "AUTHOR", "ACTION", "VERSION", "STANDING", "SUMMARY"])
        .free_text(&["AUTHOR", "SUMMARY"]);
    for r in rows {
        t.row([
            Cell::new(crate::output::short(&r.commit, 10)),
            Cell::new(crate::output::time(&r.date)),
            Cell::new(r.author),
            Cell::new(r.action),
            Cell::new(
                r.version.map(|v| crate::output::short(&v, 10).to_string()).unwrap_or_else(|| "(removed)".into()),
            ),
            super::acting::standing_cell(&r.standing),
            Cell::new(r.summary),
        ]);
    }
    print_table(&t)
}
