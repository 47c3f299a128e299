//! `tribune log`: the commits that changed an article's trunk text.

use super::Ctx;
use crate::articles::history::{log, no_article};
use crate::model::selector::split_selector;
use crate::output::{print_json, print_table};
use anyhow::Result;
use serde::Serialize;

/// Show an article's history on the trunk: commit, author, date, action and version.
///
/// The history runs from the commit that created the article (if it was removed and added
/// again, from the last time it was added) to the trunk's tip, following first parents.
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
    let rows: Vec<Row> = entries
        .iter()
        .map(|e| Row {
            commit: e.commit.id.to_string(),
            author: e.commit.author.name.clone(),
            email: e.commit.author.email.clone(),
            date: e.commit.author.when.rfc3339_utc(),
            action: e.action.clone(),
            version: e.version.map(|v| v.to_string()),
            summary: e.commit.summary().to_string(),
        })
        .collect();
    if args.json {
        return print_json(&rows);
    }
    let mut t = ctx
        .style
        .table(&["COMMIT", "DATE", "AUTHOR", "ACTION", "VERSION", "SUMMARY"])
        .free_text(&["AUTHOR", "SUMMARY"]);
    for r in rows {
        t.row([
            crate::output::short(&r.commit, 10).to_string(),
            r.date,
            r.author,
            r.action,
            r.version.map(|v| crate::output::short(&v, 10).to_string()).unwrap_or_else(|| "(removed)".into()),
            r.summary,
        ]);
    }
    print_table(&t)
}
