//! `tribune export`: an article or an approved joint statement, ready to print or post.

use super::Ctx;
use crate::error::{fail, usage};
use crate::export::{self, ArticleExport, Export, Signer, StatementExport};
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
    /// Print the exported text as JSON fields instead of a formatted text. An article: kind,
    /// slug, version, lang, title, summary, authors, contingent (the text's), date
    /// (YYYY-MM-DD), tags, license, derived_from, credits (as `tribune credits --json`),
    /// attachments (name and id), exported_as (contingent and name), organisation and body
    /// (Markdown). A statement: kind, slug, title, lang, proposal (commit), text (blob), rule
    /// (threshold, basis, quorum, double_majority), counts (yes, no, abstain, electorate),
    /// approved, tag, signed_by, verified, organisation and body. The worded parts (byline,
    /// credit lines, notice, approval, signature) are under `rendered`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// What `--json` prints: the data, and under `rendered` the words the formats print.
#[derive(serde::Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    export: &'a Export,
    rendered: Rendered<'a>,
}

/// The worded parts of a document.
#[derive(serde::Serialize)]
struct Rendered<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    byline: Option<&'a str>,
    credits: &'a [crate::credits::CreditLine],
    notice: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    approval: Option<&'a str>,
    signature: &'a str,
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
    let export = if is_article || !is_statement {
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
        warn_if_not_verified(&commons, slug, &found)?;
        let text = String::from_utf8_lossy(&commons.repo.read_blob(found.version)?).into_owned();
        let article = Article::parse(&name, &text)?;
        Export::Article(ArticleExport {
            slug: slug.to_string(),
            version: found.version.to_string(),
            lang: export::language(
                crate::model::article::language_of(&text).as_deref(),
                commons.config.lang.as_deref(),
            ),
            credits: crate::credits::compute(&commons, slug, found.version)?,
            attachments: crate::articles::history::attachments(&commons, slug, found.version)?,
            exported_as: Signer { contingent: c.clone(), name: contingent.name.clone() },
            organisation: commons.config.name.clone(),
            body: article.body.clone(),
            article,
        })
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
        Export::Statement(statement(&commons, slug)?)
    };
    let doc = export.document();
    let text = match args.format {
        _ if args.json => {
            let rendered = Rendered {
                byline: doc.byline.as_deref(),
                credits: &doc.credits,
                notice: &doc.notice,
                approval: doc.approval.as_deref(),
                signature: &doc.signature,
            };
            serde_json::to_string_pretty(&Json { export: &export, rendered })?
        }
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

/// An approved statement, refused unless its tag verifies.
fn statement(commons: &crate::commons::Commons, slug: &str) -> Result<StatementExport> {
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
    let st = proposal.statement;
    Ok(StatementExport {
        slug: slug.to_string(),
        title: st.title,
        lang: export::language(None, commons.config.lang.as_deref()),
        proposal: proposal.commit.to_string(),
        text: proposal.text.to_string(),
        rule: st.rule,
        counts,
        // Only an approval that verifies gets this far.
        approved: true,
        tag: v.tag,
        signed_by: v.signed_by,
        verified: true,
        organisation: commons.config.name.clone(),
        body: st.body,
    })
}

/// In a founded commons, a warning when the version exported is not an act its contingent
/// signed (`versions` says the same in STANDING): the credits name that contingent as its
/// maker, and nothing shows that it made this text (a commit someone else, or no one,
/// signed). An earlier trunk text (`history`) is not judged here.
fn warn_if_not_verified(
    commons: &crate::commons::Commons,
    slug: &str,
    found: &crate::articles::history::Found,
) -> Result<()> {
    if found.place == "history" || crate::governance::audit::audit_root(commons)?.is_none() {
        return Ok(());
    }
    let list = crate::versions::of_article(commons, slug)?;
    let Some(i) = list.iter().position(|v| v.version == found.version.to_string()) else { return Ok(()) };
    let judged = crate::versions::standings(commons, slug, &list[i..=i])?;
    let Some(j) = judged.first() else { return Ok(()) };
    if j.standing != crate::governance::acts::Standing::Verified {
        eprintln!(
            "warning: {}",
            crate::output::clean_text(&crate::output::here::here(&format!(
                "this version of {slug} ({}) is {}: nothing shows that the contingent its credits name made it \
                 (`tribune versions {slug}`)",
                found.place,
                j.standing.name()
            )))
        );
    }
    Ok(())
}
