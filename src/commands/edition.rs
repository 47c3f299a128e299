//! `tribune edition`: a channel's numbered, dated issues, and their export as a newsletter.

use super::channel::{act, act_for, print_editions, warn_unverified};
use super::Ctx;
use crate::channels::{self, write};
use crate::error::{fail, usage};
use crate::export::Paper;
use crate::model::channel::check_text;
use crate::model::selector::split_selector;
use crate::output::{clean, print, print_json};
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Make, list and export the editions of a channel.
///
/// An edition is the channel's next numbered, dated issue: an ordered list of pinned
/// versions, signed by its maker (in a founded commons, a member of the channel's
/// contingent; of a member's own channel, that member), kept on the channel's ref with the texts it publishes, so that it can be
/// exported again, unchanged, after the trunk moves on.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    New(New),
    List(List),
    Export(Export),
}

/// Make the channel's next edition: of its current picks (the default), of the articles
/// given with --pick, or of a filter's best.
#[derive(Debug, clap::Args)]
pub struct New {
    /// The channel: NAME, CONTINGENT/NAME or @MEMBER/NAME.
    #[arg(value_name = "CHANNEL")]
    pub channel: String,
    /// The edition's title ("Two weeks on the shop floor").
    #[arg(long, value_name = "TITLE")]
    pub title: String,
    /// Publish this article (SLUG, SLUG@CONTINGENT or SLUG@VERSION) instead of the channel's
    /// picks; repeatable, in order.
    #[arg(long = "pick", value_name = "SLUG[@VERSION]", conflicts_with = "from_filter")]
    pub picks: Vec<String>,
    /// Publish the trunk texts this filter passes, best first (as `list --filter` orders them);
    /// without a value, the channel's own filter (channel add --filter).
    #[arg(long, value_name = "FILTER", num_args = 0..=1, default_missing_value = "")]
    pub from_filter: Option<String>,
    /// How many of the filter's best to publish (default: the channel's top, else 10).
    #[arg(long, value_name = "N", requires = "from_filter", value_parser = clap::value_parser!(u32).range(1..=500))]
    pub top: Option<u32>,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
    /// Print the edition as JSON.
    #[arg(long)]
    pub json: bool,
}

/// List a channel's editions.
#[derive(Debug, clap::Args)]
pub struct List {
    /// The channel: NAME, CONTINGENT/NAME or @MEMBER/NAME.
    #[arg(value_name = "CHANNEL")]
    pub channel: String,
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Export an edition as one printable newsletter: masthead, articles with their credits and
/// attachments, the channel's standing page, the public-domain notice and the signature
/// "The <contingent name> contingent of <organisation>" (of a member's own channel:
/// "<member name>, of the <contingent name> contingent of <organisation>").
#[derive(Debug, clap::Args)]
pub struct Export {
    /// The channel: NAME, CONTINGENT/NAME or @MEMBER/NAME.
    #[arg(value_name = "CHANNEL")]
    pub channel: String,
    /// The edition's number.
    #[arg(value_name = "NUMBER")]
    pub number: u32,
    /// The output format: html (a standalone page with print styles), pdf (that page
    /// printed by headless Chromium) or md (Markdown).
    #[arg(long, value_enum, default_value_t = Format::Html)]
    pub format: Format,
    /// The paper an HTML or PDF newsletter is laid out for.
    #[arg(long, value_enum, default_value_t = PaperArg::A4)]
    pub paper: PaperArg,
    /// Write to FILE instead of standard output (required for pdf).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the newsletter's data as JSON instead (the edition, and each article as
    /// `export --json` gives it).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A standalone HTML page with print styles.
    Html,
    /// PDF, printed by headless Chromium.
    Pdf,
    /// Markdown.
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PaperArg {
    /// A4 (210 × 297 mm).
    A4,
    /// US Letter (8.5 × 11 in).
    Letter,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    match args.command {
        Sub::New(a) => new(&commons, a),
        Sub::List(a) => {
            let id = channels::find(&commons, &a.channel)?;
            let c = channels::read(&commons, &id)?;
            if a.json {
                return print_json(&c.editions);
            }
            if c.editions.is_empty() {
                return print(&format!("{id} has no editions yet."));
            }
            print_editions(ctx, &c.editions)
        }
        Sub::Export(a) => export(&commons, a),
    }
}

fn new(commons: &crate::commons::Commons, a: New) -> Result<()> {
    let id = channels::find(commons, &a.channel)?;
    check_text("title", &a.title, true).context("--title")?;
    let signer = act_for(commons, &id, "make an edition of", a.signing.key.as_deref())?;
    let source = if let Some(f) = &a.from_filter {
        let settings = channels::read(commons, &id)?.settings;
        let filter = match (f.as_str(), &settings.filter) {
            ("", Some(own)) => own.clone(),
            ("", None) => {
                return Err(usage(
                    format!("{id} has no filter of its own: --from-filter needs one"),
                    "name it: --from-filter FILTER",
                ))
            }
            (f, _) => f.to_string(),
        };
        let top = a.top.or(settings.top).unwrap_or(10);
        write::Source::Given(write::from_filter(commons, &filter, top as usize)?)
    } else if !a.picks.is_empty() {
        let mut list = Vec::new();
        for p in &a.picks {
            let (slug, selector) = split_selector(p).context("--pick")?;
            if list.iter().any(|r: &write::Resolved| r.slug == slug) {
                return Err(usage(format!("--pick names {slug} twice"), "an edition publishes each article once"));
            }
            list.push(write::resolve(commons, slug, selector)?);
        }
        write::Source::Given(list)
    } else {
        write::Source::Picks
    };
    let (commit, edition) = write::new_edition(commons, &id, &a.title, &source, &act(commons, signer.as_ref())?)?;
    if a.json {
        #[derive(serde::Serialize)]
        struct Made<'a> {
            channel: String,
            commit: String,
            #[serde(flatten)]
            edition: &'a crate::model::channel::Edition,
        }
        return print_json(&Made { channel: id.to_string(), commit: commit.to_string(), edition: &edition });
    }
    let mut out = format!(
        "Made edition {} of {id}: {} ({})\n  commit  {commit}\n",
        edition.number,
        clean(&edition.title),
        crate::model::words::count(edition.articles.len() as u64, "article", "articles")
    );
    for (i, item) in edition.articles.iter().enumerate() {
        let short: String = item.version.chars().take(10).collect();
        out.push_str(&format!("  {:>2}. {}@{short}  {}\n", i + 1, item.slug, clean(&item.title)));
    }
    out.push_str(&format!(
        "  export it with `tribune edition export {id} {} --format html -o newsletter.html`",
        edition.number
    ));
    print(&crate::output::here::here(&out))
}

fn export(commons: &crate::commons::Commons, a: Export) -> Result<()> {
    let id = channels::find(commons, &a.channel)?;
    let to = a.output.as_ref().filter(|p| p.as_os_str() != "-");
    if a.format == Format::Pdf && !a.json && to.is_none() {
        return Err(usage("a PDF is written to a file: -o FILE is missing", "add -o newsletter.pdf"));
    }
    warn_unverified(&channels::read(commons, &id)?);
    let news = channels::newsletter::build(commons, &id, a.number)?;
    let paper = match a.paper {
        PaperArg::A4 => Paper::A4,
        PaperArg::Letter => Paper::Letter,
    };
    let text = if a.json {
        serde_json::to_string_pretty(&news)?
    } else {
        match a.format {
            Format::Md => crate::export::newsletter_markdown(&news),
            Format::Html | Format::Pdf => crate::export::newsletter_html(&news, paper),
        }
    };
    // Nothing from the data reaches a terminal or a file as a control character.
    let text = crate::output::clean_text(&text);
    match to {
        Some(path) if a.format == Format::Pdf && !a.json => {
            crate::export::pdf::print(&text, path)?;
            eprintln!("Wrote {}", path.display());
            Ok(())
        }
        Some(path) => {
            std::fs::write(path, text.as_bytes())
                .map_err(|e| fail(format!("cannot write {}: {e}", path.display()), "check the path and permissions"))?;
            eprintln!("Wrote {}", path.display());
            Ok(())
        }
        None => print(&text),
    }
}
