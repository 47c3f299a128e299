//! `tribune credit-check`: texts that reuse another article's words without crediting it.

use super::Ctx;
use crate::creditcheck::{self, Options};
use crate::model::vote::Ratio;
use crate::output::{print, print_json, short};
use anyhow::Result;
use serde::Serialize;

/// Find versions that reuse substantial text from another article without a derived_from link.
///
/// Every trunk article and every edition's own texts are cut into shingles (runs of N
/// words, compared without regard to case or punctuation). Two texts of different articles
/// are listed when the shingles they share reach the threshold of the shorter text's
/// shingles and neither names the other in `derived_from`, directly or through other
/// articles (any relation counts as credit: a quotation marked wasQuotedFrom is credited).
/// Versions of one article are never compared with each other. The later-dated text is
/// listed as the one reusing the other, with the passages they share.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only findings involving this article.
    #[arg(value_name = "SLUG")]
    pub slug: Option<String>,
    /// Share of the shorter text that must be found in the other, as an exact fraction.
    #[arg(long, value_name = "FRACTION", default_value = "1/4")]
    pub threshold: String,
    /// Words to a shingle (3 to 32): longer runs find only longer copied passages.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(3..=32))]
    pub shingle: u16,
    /// Fewest shared shingles that count, whatever the share.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub min_shared: usize,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report {
    texts: usize,
    shingle: usize,
    threshold: String,
    findings: Vec<creditcheck::Finding>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let threshold = Ratio::parse("threshold", &args.threshold)
        .map_err(|e| crate::error::usage(format!("--threshold: {}", e.message), e.hint.unwrap_or_default()))?;
    if threshold.p == 0 {
        return Err(crate::error::usage(
            "--threshold 0 would list every pair of texts",
            "give a fraction above 0, such as 1/4",
        ));
    }
    if let Some(slug) = &args.slug {
        crate::model::id::validate("slug", slug)?;
        if crate::index::trunk_entry(&commons, slug)?.is_none() {
            return Err(crate::articles::history::no_article(&commons, slug));
        }
    }
    let opts = Options {
        shingle: usize::from(args.shingle),
        threshold,
        min_shared: args.min_shared.max(1),
        only: args.slug.clone(),
    };
    let (texts, findings) = creditcheck::check(&commons, &opts)?;
    if args.json {
        return print_json(&Report { texts, shingle: opts.shingle, threshold: threshold.to_string(), findings });
    }
    let s = &ctx.style;
    if findings.is_empty() {
        return print(&s.fit(&format!(
            "No uncredited reuse found among {texts} texts ({}-word shingles, threshold {threshold}).",
            opts.shingle
        )));
    }
    let mut out = format!(
        "{} uncredited reuse{} among {texts} texts ({}-word shingles, threshold {threshold}):\n",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        opts.shingle
    );
    for f in &findings {
        out.push_str(&format!(
            "\n{} reuses {}% of {} with no derived_from link\n",
            s.bold(&format!("{}@{}", f.copy.slug, short(&f.copy.version, 10))),
            f.percent,
            s.bold(&format!("{}@{}", f.source.slug, short(&f.source.version, 10))),
        ));
        out.push_str(&s.dim(&format!(
            "  {} ({}, {}) and {} ({}, {}); {} shared shingles",
            f.copy.contingent,
            f.copy.place,
            f.copy.date,
            f.source.contingent,
            f.source.place,
            f.source.date,
            f.shared_shingles
        )));
        out.push('\n');
        for p in &f.passages {
            out.push_str(&format!("  \u{201c}{p}\u{201d}\n"));
        }
        out.push_str(&format!(
            "  credit it: add [[derived_from]] relation = \"wasDerivedFrom\" (or \"wasQuotedFrom\"), slug = \"{}\"\n",
            f.source.slug
        ));
    }
    print(&s.fit(out.trim_end()))
}
