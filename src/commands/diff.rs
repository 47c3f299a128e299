//! `tribune diff`: what one version of an article changes against another.

use super::Ctx;
use crate::articles::history::{resolve, Found};
use crate::error::fail;
use crate::index;
use crate::model::id;
use crate::output::{print, print_json};
use crate::versions::textdiff::{self, Marks, Para, Piece};
use anyhow::Result;
use serde::Serialize;
use serde_json::{json, Value};

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
    /// Print the comparison as JSON: the two versions, the counts, the changed front-matter
    /// lines and the paragraphs, each with its `op` (same, removed, added, changed, moved,
    /// moved_away); with --lines, every line with its op; with --stat, the counts only;
    /// with --three-way, one comparison against the base for each version.
    #[arg(long)]
    pub json: bool,
}

/// One version compared, as `--json` names it.
#[derive(Serialize)]
struct Side<'a> {
    selector: &'a str,
    version: String,
    place: &'a str,
}

/// A comparison, as `--json` prints it.
#[derive(Serialize)]
struct Json<'a> {
    slug: &'a str,
    from: Side<'a>,
    to: Side<'a>,
    same_text: bool,
    words_added: usize,
    words_removed: usize,
    paragraphs_moved: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    front_matter: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paragraphs: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<Vec<Value>>,
}

fn side<'a>(selector: &'a str, f: &'a Found) -> Side<'a> {
    Side { selector, version: f.version.to_string(), place: &f.place }
}

/// The comparison of `old` and `new` as JSON fields (paragraphs left out with `stat`).
fn as_json<'a>(slug: &'a str, from: Side<'a>, to: Side<'a>, old: &str, new: &str, stat: bool) -> Json<'a> {
    let c = textdiff::compare_bodies(old, new);
    let (front, paragraphs) = if stat {
        (None, None)
    } else {
        let (of, nf) = (textdiff::front_and_body(old).0, textdiff::front_and_body(new).0);
        let front = textdiff::front_changes(&of, &nf)
            .into_iter()
            .map(|(added, line)| json!({"op": if added { "added" } else { "removed" }, "line": line}))
            .collect();
        (Some(front), Some(c.paras.iter().map(paragraph).collect()))
    };
    Json {
        slug,
        from,
        to,
        same_text: old == new,
        words_added: c.words_added,
        words_removed: c.words_removed,
        paragraphs_moved: c.moved,
        front_matter: front,
        paragraphs,
        lines: None,
    }
}

fn paragraph(p: &Para) -> Value {
    let piece = |p: &Piece| match p {
        Piece::Same(t) => json!({"op": "same", "text": t}),
        Piece::Removed(t) => json!({"op": "removed", "text": t}),
        Piece::Added(t) => json!({"op": "added", "text": t}),
    };
    match p {
        Para::Same(t) => json!({"op": "same", "text": t}),
        Para::Removed(t) => json!({"op": "removed", "text": t}),
        Para::Added(t) => json!({"op": "added", "text": t}),
        Para::Changed(pieces) => json!({"op": "changed", "pieces": pieces.iter().map(piece).collect::<Vec<_>>()}),
        Para::Moved { text, from } => json!({"op": "moved", "text": text, "from": from}),
        Para::MovedAway { to } => json!({"op": "moved_away", "to": to}),
    }
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
        if args.json {
            let base_found = Found { version: base.parse()?, place: "base".into() };
            let sides: Vec<Json<'_>> = [(&args.a, &a, &ta), (&args.b, &b, &tb)]
                .into_iter()
                .map(|(sel, f, t)| {
                    as_json(&args.slug, side("base", &base_found), side(sel, f), &base_text, t, args.stat)
                })
                .collect();
            return print_json(&json!({"slug": args.slug, "base": base, "three_way": sides}));
        }
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
    if args.json {
        let mut out = as_json(&args.slug, side(&args.a, &a), side(&args.b, &b), &ta, &tb, args.stat || args.lines);
        if args.lines {
            let lines = textdiff::line_changes(&ta, &tb)
                .into_iter()
                .map(|(op, line)| json!({"op": op, "line": line}))
                .collect();
            out.lines = Some(lines);
        }
        return print_json(&out);
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
