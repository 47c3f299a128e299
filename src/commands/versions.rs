//! `tribune versions`: every distinct version of an article, side by side.

use super::Ctx;
use crate::index;
use crate::model::id;
use crate::output::{print_json, print_table};
use crate::versions::{self, Status};
use anyhow::Result;

/// List every distinct version of an article across the trunk and the contingent editions.
///
/// One row per text (contingents holding the same text are grouped): where it lives, who
/// made it and when, the rewrite's summary, words added and removed against the trunk, and
/// its status: identical (the trunk's text), current (a rewrite of the trunk's present
/// text), stale (the trunk changed since the rewrite's base) or unrelated (no known base).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article's slug.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// Print the versions as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    id::validate("slug", &args.slug)?;
    let editions = index::editions(&commons)?;
    let list = versions::list(&commons, &editions, &args.slug)?;
    if list.is_empty() {
        return Err(crate::history::no_article(&commons, &args.slug));
    }
    if args.json {
        return print_json(&list);
    }
    let s = &ctx.style;
    let mut t = s.table(&["VERSION", "WHERE", "STATUS", "AUTHOR", "DATE", "+WORDS", "-WORDS", "SUMMARY"]);
    for v in &list {
        let status = match v.status {
            Status::Identical => s.paint("32", v.status.name()),
            Status::Current => s.paint("36", v.status.name()),
            Status::Stale => s.paint("33", v.status.name()),
            Status::Unrelated => s.paint("35", v.status.name()),
        };
        t.add_row(vec![
            crate::output::short(&v.version, 10).to_string(),
            v.places.join(", "),
            status,
            v.author.clone(),
            v.date.get(..10).unwrap_or(&v.date).to_string(),
            v.words_added.to_string(),
            v.words_removed.to_string(),
            v.summary.clone(),
        ]);
    }
    print_table(&t)
}
