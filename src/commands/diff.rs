//! `tribune diff`: what one version of an article changes against another.

use super::Ctx;
use crate::articles::history::{resolve, Found};
use crate::error::fail;
use crate::index;
use crate::model::id;
use crate::output::print;
use crate::versions::textdiff::{self, Marks};
use anyhow::Result;

/// Compare two versions of an article.
///
/// A and B are version selectors: `trunk`, a contingent id (its edition), or the first hex
/// digits of a version id. The comparison is by word within paragraphs, with a paragraph
/// that only moved shown as moved; --lines gives a unified line diff instead. Without
/// colour, removals read [-like this-] and additions {+like this+}, as in git's word diff.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article's slug.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// The version to compare from.
    #[arg(value_name = "A")]
    pub a: String,
    /// The version to compare to.
    #[arg(value_name = "B")]
    pub b: String,
    /// Compare line by line, as a unified diff.
    #[arg(long, conflicts_with = "stat")]
    pub lines: bool,
    /// Print only the summary line (words added and removed, paragraphs moved).
    #[arg(long)]
    pub stat: bool,
    /// Show each version against the trunk text both were rewritten from.
    #[arg(long = "three-way", conflicts_with = "lines")]
    pub three_way: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    id::validate("slug", &args.slug)?;
    // Colour follows the global --color (auto: on a terminal unless NO_COLOR is set).
    let style = ctx.style;
    let marks = Marks { color: style.color };
    let a = resolve(&commons, &args.slug, Some(&args.a))?;
    let b = resolve(&commons, &args.slug, Some(&args.b))?;
    let text =
        |f: &Found| -> Result<String> { Ok(String::from_utf8_lossy(&commons.repo.read_blob(f.version)?).into_owned()) };
    let (ta, tb) = (text(&a)?, text(&b)?);
    let label = |sel: &str, f: &Found| format!("{sel} {}", f.version.short(10));
    if args.three_way {
        let editions = index::editions(&commons)?;
        let rewrites = editions.rewrites(&args.slug)?;
        let base_of = |f: &Found| -> Option<String> {
            if f.place.starts_with("trunk") {
                return Some(f.version.to_string());
            }
            rewrites
                .iter()
                .find(|(_, v)| v.version == f.version.to_string())
                .map(|(_, v)| v.trunk_base.clone())
                .filter(|b| !b.is_empty())
        };
        let (ba, bb) = (base_of(&a), base_of(&b));
        let base = match (&ba, &bb) {
            (Some(x), Some(y)) if x == y => x.clone(),
            _ => {
                return Err(fail(
                    format!(
                        "{} and {} were not rewritten from the same trunk text ({} and {})",
                        args.a,
                        args.b,
                        ba.as_deref().map_or("unknown", |s| crate::output::short(s, 10)),
                        bb.as_deref().map_or("unknown", |s| crate::output::short(s, 10))
                    ),
                    "compare them directly, without --three-way",
                ))
            }
        };
        let base_text = String::from_utf8_lossy(&commons.repo.read_blob(base.parse()?)?).into_owned();
        let mut out = Vec::new();
        for (sel, f, t) in [(&args.a, &a, &ta), (&args.b, &b, &tb)] {
            let c = textdiff::compare_bodies(&base_text, t);
            out.push(style.bold(&format!(
                "=== {} against the base {} ===",
                label(sel, f),
                crate::output::short(&base, 10)
            )));
            if !args.stat {
                out.push(word_diff(&base_text, t, &c, &marks));
            }
            out.push(style.dim(&c.summary()));
            out.push(String::new());
        }
        return print(out.join("\n").trim_end());
    }
    if args.lines {
        let d = textdiff::unified(&ta, &tb, &label(&args.a, &a), &label(&args.b, &b));
        let colored: Vec<String> = d
            .lines()
            .map(|l| match l.as_bytes().first() {
                _ if !style.color => l.to_string(),
                Some(b'+') if !l.starts_with("+++") => style.paint("32", l),
                Some(b'-') if !l.starts_with("---") => style.paint("31", l),
                Some(b'@') => style.paint("36", l),
                _ => l.to_string(),
            })
            .collect();
        if ta == tb {
            return print("The two versions have the same text.");
        }
        return print(&colored.join("\n"));
    }
    let c = textdiff::compare_bodies(&ta, &tb);
    let head = format!("{} → {}: {}", label(&args.a, &a), label(&args.b, &b), c.summary());
    if args.stat {
        return print(&head);
    }
    if ta == tb {
        return print(&format!("{head}\nThe two versions have the same text."));
    }
    let same_front = textdiff::front_and_body(&ta).0 == textdiff::front_and_body(&tb).0;
    if c.is_empty() && same_front {
        return print(&format!("{head}\nThe two versions differ only in whitespace or line endings."));
    }
    print(&format!("{}\n\n{}", style.bold(&head), word_diff(&ta, &tb, &c, &marks)))
}

/// Changed front-matter lines, then the body compared by word.
fn word_diff(old: &str, new: &str, body: &textdiff::Comparison, marks: &Marks) -> String {
    let front = textdiff::front_lines(&textdiff::front_and_body(old).0, &textdiff::front_and_body(new).0, marks);
    let mut out = String::new();
    if !front.is_empty() {
        out.push_str(&marks.note("front matter:"));
        out.push('\n');
        out.push_str(&front.join("\n"));
        out.push_str("\n\n");
    }
    out.push_str(&textdiff::render(body, marks));
    out
}
