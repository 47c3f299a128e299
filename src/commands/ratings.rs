//! `tribune ratings`: every rating of every version of an article.

use super::Ctx;
use crate::model::rating::latest;
use crate::output::{clean, print, print_json, print_table, Cell, Tone};
use crate::{ratings, versions};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;

/// List the ratings of every version of an article (trunk and editions).
///
/// For each version: the rating that counts for each rater and dimension (the latest),
/// and a summary per dimension (the sum and number of those scores). With --all, earlier
/// ratings that were replaced are listed too. Note lines that are not rating records are
/// skipped with a warning naming the note.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article's slug.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// Also list ratings that a later one by the same rater on the same dimension replaced.
    #[arg(long)]
    pub all: bool,
    /// Also give each version's verdict under this filter (see `tribune why` for the detail).
    #[arg(long, value_name = "NAME")]
    pub filter: Option<String>,
    /// Print the ratings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row {
    version: String,
    places: Vec<String>,
    rater: String,
    dimension: String,
    score: i8,
    at: String,
    comment: Option<String>,
    counts: bool,
    /// verified, unsigned or forged: what the signature of the rater's notes says.
    signature: crate::signing::Verdict,
}

#[derive(Serialize)]
struct Summary {
    version: String,
    places: Vec<String>,
    /// Dimension → (sum of the scores that count, how many).
    dimensions: BTreeMap<String, (i64, usize)>,
    /// Under --filter: the weighted mean (exact fraction) and whether it passes.
    #[serde(skip_serializing_if = "Option::is_none")]
    filtered: Option<(String, bool)>,
}

#[derive(Serialize)]
struct Out {
    ratings: Vec<Row>,
    summaries: Vec<Summary>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let list = versions::of_article(&commons, &args.slug)?;
    let filter = match &args.filter {
        Some(name) => Some(crate::ratings::trust::load(&commons, name)?.0),
        None => None,
    };
    let mut out = Out { ratings: Vec::new(), summaries: Vec::new() };
    let ids = list.iter().map(|v| v.version.parse()).collect::<std::result::Result<Vec<crate::git::Oid>, _>>()?;
    let all = ratings::of_versions(&commons, &ids)?;
    for (v, notes) in list.iter().zip(all) {
        let filtered = match &filter {
            Some(f) => {
                let (judged, _) = crate::ratings::trust::judge(f, v.version.parse()?, &notes);
                let tallies: Vec<_> = judged.iter().map(|(_, t)| *t).collect();
                let own = tallies[0];
                Some((
                    if own.weights == 0 { "unrated".to_string() } else { own.mean().to_string() },
                    f.passes(&tallies),
                ))
            }
            None => None,
        };
        let mut summary =
            Summary { version: v.version.clone(), places: v.places.clone(), dimensions: BTreeMap::new(), filtered };
        for noted in notes {
            for w in &noted.warnings {
                let w = format!("the note of {} on {}: {w}; that line is skipped", noted.rater, &v.version);
                eprintln!("warning: {}", clean(&w));
            }
            let counting = latest(&noted.ratings);
            for (i, r) in noted.ratings.iter().enumerate() {
                let counts = counting.get(&(r.rater.clone(), r.dimension.clone())).is_some_and(|c| std::ptr::eq(*c, r));
                if counts {
                    let e = summary.dimensions.entry(r.dimension.clone()).or_default();
                    e.0 += i64::from(r.score);
                    e.1 += 1;
                }
                if counts || args.all {
                    out.ratings.push(Row {
                        version: v.version.clone(),
                        places: v.places.clone(),
                        rater: r.rater.clone(),
                        dimension: r.dimension.clone(),
                        score: r.score,
                        at: r.at.clone(),
                        comment: r.comment.clone(),
                        counts,
                        signature: noted.verdicts.get(i).cloned().unwrap_or(crate::signing::Verdict::Unsigned),
                    });
                }
            }
        }
        out.summaries.push(summary);
    }
    if args.json {
        return print_json(&out);
    }
    if out.ratings.is_empty() {
        let none = format!("No ratings of {} yet: rate it with `tribune rate {} --score N`.", args.slug, args.slug);
        return print(&ctx.style.fit(&crate::output::here::here(&none)));
    }
    let mut t = ctx
        .style
        .table(&["VERSION", "WHERE", "RATER", "DIMENSION", "SCORE", "DATE", "SIGNATURE", "COMMENT"])
        .free_text(&["COMMENT"]);
    for r in &out.ratings {
        let score = if r.counts { format!("{:+}", r.score) } else { format!("({:+} replaced)", r.score) };
        t.row([
            Cell::new(crate::output::short(&r.version, 10)),
            Cell::new(r.places.join(", ")),
            Cell::new(&r.rater),
            Cell::new(&r.dimension),
            Cell::new(score),
            Cell::new(crate::output::short(&r.at, 10)),
            match r.signature {
                crate::signing::Verdict::Verified => Cell::new("verified"),
                crate::signing::Verdict::Unsigned => Cell::new("unsigned"),
                crate::signing::Verdict::Forged => Cell::toned("FORGED", Tone::Red),
            },
            Cell::new(r.comment.as_deref().unwrap_or_default()),
        ]);
    }
    print_table(&t)?;
    let mut lines = vec![String::new()];
    for s in &out.summaries {
        let mut dims: Vec<String> = s
            .dimensions
            .iter()
            .map(|(d, (sum, n))| format!("{d} {sum:+} from {}", crate::output::count(*n as u64, "rater", "raters")))
            .collect();
        if let (Some((mean, passes)), Some(name)) = (&s.filtered, &args.filter) {
            dims.push(format!("filter {name}: {mean}, {}", if *passes { "passes" } else { "does not pass" }));
        }
        if !dims.is_empty() {
            lines.push(ctx.style.fit(&clean(&format!(
                "{} ({}): {}",
                crate::output::short(&s.version, 10),
                s.places.join(", "),
                dims.join("; ")
            ))));
        }
    }
    print(&lines.join("\n"))
}
