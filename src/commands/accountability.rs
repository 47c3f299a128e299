//! `tribune accountability`: who answers the challenges put to them, and how fast.

use super::Ctx;
use crate::challenges::{self, human};
use crate::output::{print_json, print_table};
use anyhow::Result;

/// Per contingent: challenges received, answered, unanswered, and the median time to answer.
///
/// A challenge is answered by the first reply of the contingent challenged; the time to
/// answer is that reply's time minus the challenge's, both recorded in the files when they
/// were committed (an amended reply keeps its first time). Contingents with the most
/// unanswered challenges come first, so silence is visible.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let all = challenges::all(&commons)?;
    let contingents: Vec<(String, Option<String>)> =
        commons.snapshot()?.contingents()?.into_iter().map(|c| (c.id, Some(c.name))).collect();
    let now = crate::git::commit_time()?.to_datetime().with_timezone(&chrono::Utc);
    let records = challenges::accountability(&all, &contingents, now);
    if args.json {
        return print_json(&records);
    }
    let mut t =
        ctx.style.table(&["CONTINGENT", "RECEIVED", "ANSWERED", "UNANSWERED", "MEDIAN TIME TO ANSWER", "OLDEST OPEN"]);
    for r in &records {
        t.row([
            match &r.name {
                Some(n) => format!("{} ({n})", r.contingent),
                None => r.contingent.clone(),
            },
            r.received.to_string(),
            r.answered.to_string(),
            r.unanswered.to_string(),
            r.median_seconds.map(human).unwrap_or_else(|| "-".into()),
            r.oldest_unanswered_seconds.map(human).unwrap_or_else(|| "-".into()),
        ]);
    }
    print_table(&t)
}
