//! `tribune credits`: the provenance of one version of an article.

use super::Ctx;
use crate::articles::history::resolve;
use crate::credits::{self, Step};
use crate::model::selector::split_selector;
use crate::output::{clean, print, print_json};
use anyhow::Result;

/// Show who wrote a version, every contingent that modified it, and what it quotes.
///
/// Computed from the `derived_from` links of the texts (wasRevisionOf and wasDerivedFrom
/// lead to the version a text was made from; wasQuotedFrom names a quoted source) and the
/// trunk's history of the article (its earlier trunk texts, back to the first). Links come
/// from the roster's contingent urls and the `url` of `derived_from` entries.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article, optionally with a version: SLUG or SLUG@VERSION (trunk, a contingent
    /// id, or the first hex digits of a version id).
    #[arg(value_name = "SLUG[@VERSION]")]
    pub article: String,
    /// Print the credits as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let (slug, selector) = split_selector(&args.article)?;
    let found = resolve(&commons, slug, selector)?;
    let c = credits::compute(&commons, slug, found.version)?;
    if args.json {
        return print_json(&c);
    }
    let s = &ctx.style;
    let mut out = format!("{}\n", s.bold(&format!("Credits of {slug}@{} ({})", found.version.short(10), found.place)));
    out.push_str(&format!("  {:<11}{}\n", "original", clean(&describe(&c.original))));
    for m in &c.modifications {
        out.push_str(&format!("  {:<11}{}\n", clean(&m.action), clean(&describe(m))));
    }
    for q in &c.quotes {
        let mut line = String::new();
        if let Some(t) = &q.title {
            line.push_str(&format!("\u{201c}{t}\u{201d}"));
        }
        if !q.authors.is_empty() {
            line.push_str(&format!(" by {}", credits::and_list(&q.authors)));
        }
        if let Some(c) = &q.contingent {
            line.push_str(&format!(" ({})", c.display()));
        }
        if let Some(slug) = &q.slug {
            line.push_str(&format!(" · {slug}"));
        }
        if let Some(v) = &q.version {
            line.push_str(&format!("@{}", crate::output::short(v, 10)));
        }
        if let Some(u) = &q.url {
            line.push_str(&format!(" · {u}"));
        }
        out.push_str(&format!("  {:<11}{}\n", "quotes", clean(line.trim_start())));
    }
    out.push_str(&format!("\n{}\n", s.bold("Credit line")));
    for l in c.lines() {
        match &l.link {
            Some(link) => out.push_str(&format!("  {} <{}>\n", clean(&l.text), clean(link))),
            None => out.push_str(&format!("  {}\n", clean(&l.text))),
        }
    }
    for n in &c.notes {
        out.push_str(&format!("{}\n", s.dim(&clean(&format!("note: {n}")))));
    }
    print(&s.fit(&out))
}

fn describe(step: &Step) -> String {
    let w = &step.work;
    let mut parts = Vec::new();
    let mut head = String::new();
    if let Some(c) = &w.contingent {
        head.push_str(&format!("{} ({})", c.display(), c.id));
    }
    if !w.authors.is_empty() {
        head.push_str(&format!(", by {}", credits::and_list(&w.authors)));
    }
    parts.push(head.trim_start_matches(", ").to_string());
    if let Some(v) = &w.version {
        let place = w.slug.as_deref().unwrap_or("");
        parts.push(format!("{place}@{}", crate::output::short(v, 10)));
    }
    if let (Some(who), Some(at)) = (&step.committed_by, &step.at) {
        parts.push(format!("committed by {who} on {}", crate::output::short(at, 10)));
    }
    if let Some(u) = w.link() {
        parts.push(u);
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" · ")
}
