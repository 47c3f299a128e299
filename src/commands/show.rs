//! `tribune show`: one version of an article, rendered for a terminal.

use super::Ctx;
use crate::articles::history::resolve;
use crate::model::article::Article;
use crate::model::selector::split_selector;
use crate::output::{clean, clean_text, print, print_json, print_raw};
use anyhow::Result;
use serde::Serialize;

/// Show an article: title, byline, date, licence and body, then its files and media.
///
/// SLUG@VERSION picks a version: `trunk` (the default), a contingent id (that
/// contingent's edition), or the first hex digits of a version id (see `tribune log`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article, optionally with a version: SLUG or SLUG@VERSION.
    #[arg(value_name = "SLUG[@VERSION]")]
    pub article: String,
    /// Print the stored file exactly as it is.
    #[arg(long, conflicts_with = "json")]
    pub raw: bool,
    /// Print the article as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Shown<'a> {
    slug: &'a str,
    version: String,
    place: &'a str,
    contingent_name: Option<String>,
    #[serde(flatten)]
    article: &'a Article,
    body: &'a str,
    /// The files beside this version's text (name, blob id, size in bytes).
    attachments: Vec<File>,
}

#[derive(Serialize)]
struct File {
    name: String,
    id: String,
    size: usize,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let (slug, selector) = split_selector(&args.article)?;
    let found = resolve(&commons, slug, selector)?;
    let bytes = commons.repo.read_blob(found.version)?;
    if args.raw {
        return print_raw(&bytes);
    }
    let text = String::from_utf8_lossy(&bytes);
    let name = format!("{slug}@{}", found.version.short(10));
    let article = match Article::parse(&name, &text) {
        Ok(a) => a,
        // Someone committed a broken text with plain git: still show what is there.
        Err(e) if !args.json => {
            eprintln!("warning: {}", clean(&e.message));
            return print(&clean_text(&text));
        }
        Err(e) => return Err(e.into()),
    };
    let contingent_name = commons.snapshot()?.contingent(&article.contingent).ok().flatten().map(|c| c.name);
    let mut attachments = Vec::new();
    for a in crate::articles::history::attachments(&commons, slug, found.version)? {
        let size = commons.repo.object_size(a.id.parse()?)?;
        attachments.push(File { name: a.name, id: a.id, size });
    }
    if args.json {
        return print_json(&Shown {
            slug,
            version: found.version.to_string(),
            place: &found.place,
            contingent_name,
            article: &article,
            body: &article.body,
            attachments,
        });
    }
    let s = &ctx.style;
    let mut out = String::new();
    out.push_str(&s.bold(&clean(&article.title)));
    out.push('\n');
    let who = match &contingent_name {
        Some(n) => format!("{n} ({})", article.contingent),
        None => article.contingent.clone(),
    };
    let byline = format!("By {} · {} · {}", article.authors.join(", "), who, article.date.format("%-d %B %Y"));
    out.push_str(&clean(&byline));
    out.push('\n');
    let mut meta = vec![article.license.clone(), format!("version {} ({})", found.version.short(10), found.place)];
    if !article.tags.is_empty() {
        meta.push(format!("tags: {}", article.tags.join(", ")));
    }
    out.push_str(&s.dim(&clean(&meta.join(" · "))));
    out.push('\n');
    if let Some(summary) = &article.summary {
        out.push('\n');
        out.push_str(&s.paint("3", &clean_text(summary)));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&clean_text(article.body.trim_matches('\n')));
    out.push('\n');
    let media = media_lines(&article, &attachments);
    if !media.is_empty() {
        out.push_str(&format!("\n{}\n", s.bold("Files and media")));
        for line in media {
            out.push_str(&format!("  {}\n", clean(&line)));
        }
    }
    print(out.trim_end())
}

/// One line per file beside the text (with its caption and credit when a `[[media]]`
/// entry gives them) and per medium kept elsewhere (its URL and checksum).
fn media_lines(article: &Article, files: &[File]) -> Vec<String> {
    let about = |m: Option<&crate::model::media::Media>| {
        let Some(m) = m else { return String::new() };
        let mut s = String::new();
        if let Some(c) = &m.caption {
            s.push_str(&format!(": {c}"));
        }
        if let Some(c) = &m.credit {
            s.push_str(&format!(" ({c})"));
        }
        s
    };
    let mut out = Vec::new();
    for f in files {
        let m = article.media.iter().find(|m| m.file.as_deref() == Some(&f.name));
        let kind = m.map_or(crate::model::media::kind_of(&f.name), |m| m.kind.as_str());
        out.push(format!("{}  {kind}, {}{}", f.name, crate::output::bytes(f.size as u64), about(m)));
    }
    for m in article.media.iter().filter(|m| m.url.is_some()) {
        let sum = m.sha256.as_deref().map_or(String::new(), |h| format!(", sha256 {}", &h[..h.len().min(12)]));
        let size = m.size.map_or(String::new(), |n| format!(", {}", crate::output::bytes(n)));
        out.push(format!("{}  {}, kept elsewhere{size}{sum}{}", m.name(), m.kind, about(Some(m))));
    }
    out
}
