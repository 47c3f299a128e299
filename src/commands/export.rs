//! `tribune export`: an article or an approved joint statement, ready to print or post.

use super::Ctx;
use crate::error::{fail, usage};
use crate::export::{self, Document};
use crate::model::article::Article;
use crate::model::layout;
use crate::model::selector::split_selector;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Export an article, signed by a contingent, for print or posting.
///
/// The output holds the title, the body, a credit block computed as `tribune credits` does,
/// the public-domain notice and the signature line "The <contingent name> contingent of
/// <organisation>". HTML is a standalone page with a print stylesheet; Markdown and plain
/// text are read with a Markdown parser. A joint statement (statements/<slug>/index.md)
/// exports signed by the whole organisation, with its vote, only when its approval tag
/// verifies (see `tribune verify`); otherwise the export is refused.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article, optionally with a version (SLUG or SLUG@VERSION), or a statement's slug.
    #[arg(value_name = "SLUG[@VERSION]")]
    pub article: String,
    /// The contingent whose signature the article carries (required for an article).
    #[arg(long = "as", value_name = "CONTINGENT")]
    pub contingent: Option<String>,
    /// Export the joint statement SLUG even when an article has the same slug.
    #[arg(long)]
    pub statement: bool,
    /// The output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    pub format: Format,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the document's parts as JSON instead of a formatted text: lang, title, summary,
    /// byline, body (Markdown), credits (text and link), notice, approval and signature.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// What `--json` prints: the document, and which text it is.
#[derive(serde::Serialize)]
struct Exported<'a> {
    slug: &'a str,
    /// `article` or `statement`.
    kind: &'static str,
    /// The article's version (a statement has one text: the one voted on).
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    #[serde(flatten)]
    document: &'a Document,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// A standalone HTML page.
    Html,
    /// Plain text.
    Txt,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let (slug, selector) = split_selector(&args.article)?;
    let snap = commons.snapshot()?;
    let is_article = !args.statement && snap.exists(&layout::article_text(slug))?;
    let is_statement = snap.exists(&layout::statement_text(slug))?;
    if args.statement && !is_statement {
        return Err(fail(
            format!("there is no joint statement {slug:?} on the trunk"),
            "list the statements with `tribune statements`",
        ));
    }
    let mut version = None;
    let doc = if is_article || !is_statement {
        let Some(c) = &args.contingent else {
            return Err(usage(
                "an article is exported signed by a contingent: --as CONTINGENT is missing",
                format!("for example `tribune export {} --as ID`", args.article),
            ));
        };
        crate::model::id::validate("contingent id", c).context("--as")?;
        let contingent = snap.require_contingent(c).context("--as")?;
        let found = crate::articles::history::resolve(&commons, slug, selector)?;
        let name = format!("{slug}@{}", found.version.short(10));
        let text = String::from_utf8_lossy(&commons.repo.read_blob(found.version)?).into_owned();
        let article = Article::parse(&name, &text)?;
        let credits = crate::credits::compute(&commons, slug, found.version)?;
        version = Some(found.version.to_string());
        Document {
            lang: export::language(
                crate::model::article::language_of(&text).as_deref(),
                commons.config.lang.as_deref(),
            ),
            title: article.title.clone(),
            summary: article.summary.clone(),
            byline: Some(format!(
                "By {} · {}",
                crate::credits::and_list(&article.authors),
                article.date.format("%-d %B %Y")
            )),
            body: article.body.clone(),
            credits: credits.lines(),
            notice: format!(
                "This text is in the public domain ({}): anyone may copy, change and publish it without asking.",
                article.license
            ),
            approval: None,
            signature: format!("The {} contingent of {}", contingent.name, commons.config.name),
        }
    } else {
        if args.contingent.is_some() {
            return Err(usage(
                format!("{slug} is a joint statement: it is signed by the whole organisation, not by a contingent"),
                format!("leave out --as: `tribune export {slug}`"),
            ));
        }
        if selector.is_some() {
            return Err(usage(
                "a joint statement has one text: the one voted on",
                format!("write `tribune export {slug}`"),
            ));
        }
        statement(&commons, slug)?
    };
    let kind = if version.is_some() { "article" } else { "statement" };
    let text = match args.format {
        _ if args.json => serde_json::to_string_pretty(&Exported { slug, kind, version, document: &doc })?,
        Format::Md => export::markdown(&doc),
        Format::Html => export::html(&doc),
        Format::Txt => export::text(&doc),
    };
    // Whatever the format, nothing from the data reaches a terminal or a file as a control
    // character (newlines and tabs are text).
    let text = crate::output::clean_text(&text);
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::write(path, text.as_bytes())
                .map_err(|e| fail(format!("cannot write {}: {e}", path.display()), "check the path and permissions"))?;
            eprintln!("Wrote {}", path.display());
            Ok(())
        }
        _ => crate::output::print(&text),
    }
}

/// An approved statement's document, refused unless its tag verifies.
fn statement(commons: &crate::commons::Commons, slug: &str) -> Result<Document> {
    let v = crate::statements::verify(commons, slug)?;
    let counts = match (&v.recount, v.passes) {
        (Some(c), Some(true)) if v.problems.is_empty() => *c,
        _ => {
            let mut why = crate::output::verification::joined(&v.problems);
            if why.is_empty() {
                why = "the recount does not pass".into();
            }
            return Err(fail(
                format!("the statement {slug} is not approved by a tag that verifies, so it cannot go out in the organisation's name: {why}"),
                format!("see `tribune tally {slug}` and `tribune verify {slug}`; a statement is exported once approved"),
            ));
        }
    };
    let proposal = crate::statements::find(commons, slug)?;
    let st = &proposal.statement;
    let words = export::threshold_words(st.rule.threshold.p, st.rule.threshold.q);
    let mut approval = match st.rule.basis {
        crate::model::vote::Basis::Cast => {
            format!("Approved by {} of {} votes, {words} required", counts.yes, counts.yes + counts.no)
        }
        crate::model::vote::Basis::Members => {
            format!("Approved by {} of {} members, {words} required", counts.yes, counts.electorate)
        }
    };
    if counts.abstain > 0 {
        approval.push_str(&format!(" ({} abstained)", counts.abstain));
    }
    approval.push_str(&format!("; signed tag {}.", v.tag));
    Ok(Document {
        lang: export::language(None, commons.config.lang.as_deref()),
        title: st.title.clone(),
        summary: None,
        byline: None,
        body: st.body.clone(),
        credits: Vec::new(),
        notice: "This statement is in the public domain: anyone may copy and publish it without asking.".into(),
        approval: Some(approval),
        signature: commons.config.name.clone(),
    })
}
