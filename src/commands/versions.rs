//! `tribune versions`: every distinct version of an article, side by side.

use super::Ctx;
use crate::output::{print_json, print_table, Cell, Tone};
use crate::versions::{self, Status};
use anyhow::Result;

/// List every distinct version of an article across the trunk and the contingent editions.
///
/// One row per text (contingents holding the same text are grouped): where it lives, who
/// made it and when, the rewrite's summary, its standing, and its status: identical (the
/// trunk's text), current (a rewrite of the trunk's present text), stale (the trunk changed
/// since the rewrite's base) or unrelated (no known base). Words added and removed against
/// the trunk are in the JSON, and in `tribune diff SLUG trunk ID --stat`.
/// STANDING is what the signature of the commit that made the text shows: verified (by a
/// member of the contingent it speaks for; the JSON's `signer` names them), unsigned, or
/// unauthorised. The trunk's text is judged by the authorised roster at the parent of the
/// commit that set it, a rewrite by the authorised roster at the trunk's tip.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article's slug.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// Rank the versions by this filter's weighted score (see `tribune filter`).
    #[arg(long, value_name = "NAME")]
    pub filter: Option<String>,
    /// Print the versions as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    version: &'a versions::Version,
    #[serde(flatten)]
    judged: &'a crate::governance::acts::Judged,
}

#[derive(serde::Serialize)]
struct Ranked<'a> {
    #[serde(flatten)]
    version: Shown<'a>,
    score: Option<String>,
    passes: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let list = versions::of_article(&commons, &args.slug)?;
    let judged = versions::standings(&commons, &args.slug, &list)?;
    let shown = |i: usize| Shown { version: &list[i], judged: &judged[i] };
    let mut ranked: Vec<(usize, Option<crate::model::filter::Tally>, bool)> =
        (0..list.len()).map(|i| (i, None, false)).collect();
    if let Some(name) = &args.filter {
        let (filter, _) = crate::ratings::trust::load(&commons, name)?;
        for r in &mut ranked {
            let (judged, _) = crate::ratings::trust::explain(&commons, &filter, list[r.0].version.parse()?)?;
            let tallies: Vec<_> = judged.iter().map(|(_, t)| *t).collect();
            r.2 = filter.passes(&tallies);
            r.1 = (tallies[0].weights > 0).then_some(tallies[0]);
        }
        // Passing versions first, then by weighted mean, exactly; unrated last.
        ranked.sort_by(|a, b| {
            let key = |t: &Option<crate::model::filter::Tally>| t.map(|t| (t.weighted, t.weights));
            b.2.cmp(&a.2).then_with(|| match (key(&a.1), key(&b.1)) {
                (Some((wa, na)), Some((wb, nb))) => {
                    (i128::from(wb) * i128::from(na)).cmp(&(i128::from(wa) * i128::from(nb)))
                }
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
        });
    }
    if args.json {
        if args.filter.is_some() {
            let out: Vec<Ranked<'_>> = ranked
                .iter()
                .map(|(i, t, p)| Ranked { version: shown(*i), score: t.map(|t| t.mean().to_string()), passes: *p })
                .collect();
            return print_json(&out);
        }
        return print_json(&(0..list.len()).map(shown).collect::<Vec<_>>());
    }
    let s = &ctx.style;
    // Words added and removed are in the JSON and `tribune diff --stat`: with STANDING the
    // table would not fit 80 columns.
    let mut headers = vec!["VERSION", "WHERE", "STATUS", "STANDING", "AUTHOR", "DATE", "SUMMARY"];
    if args.filter.is_some() {
        headers.push("SCORE");
    }
    let mut t = s.table(&headers).free_text(&["AUTHOR", "SUMMARY"]);
    for (i, tally, passes) in &ranked {
        let v = &list[*i];
        let tone = match v.status {
            Status::Identical => Tone::Green,
            Status::Current => Tone::Cyan,
            Status::Stale => Tone::Yellow,
            Status::Unrelated => Tone::Magenta,
        };
        let mut row = vec![
            Cell::new(crate::output::short(&v.version, 10)),
            Cell::new(v.places.join(", ")),
            Cell::toned(v.status.name(), tone),
            super::acting::standing_cell(&judged[*i].standing),
            Cell::new(&v.author),
            Cell::new(v.date.get(..10).unwrap_or(&v.date)),
            Cell::new(v.summary.as_deref().unwrap_or("the trunk's text")),
        ];
        if args.filter.is_some() {
            row.push(Cell::new(match tally {
                Some(t) => format!("{}{}", t.mean(), if *passes { "" } else { " (fails)" }),
                None => "unrated".into(),
            }));
        }
        t.row(row);
    }
    print_table(&t)
}
