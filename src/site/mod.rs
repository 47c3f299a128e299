//! The public site (`tribune site build`): a static site any web server or static host
//! serves, with no script anywhere. Article pages with every rival version, ratings,
//! credits, challenges and attachments; front pages (the newest articles, each shared
//! filter) with Atom feeds; contingents' pages with their public record; joint statements
//! with their verified tally; a sitemap and a stylesheet.
//!
//! A build compares itself with the manifest the last one left in OUT (see [`output`]):
//! the articles to build again are found from what moved since (the trunk's tree diff, the
//! editions and rating refs that moved, the challenges that changed), never by reading
//! every article; every list page is worked out from memory and rewritten only when its
//! bytes change.

pub mod article;
mod at;
pub mod collect;
pub mod contingents;
mod journal;
pub mod lists;
pub mod media;
pub mod output;
mod pinned;
mod sitemap;
pub mod statements;
mod target;
pub mod templates;

mod build;
pub use build::build;

use serde::Serialize;
use std::path::PathBuf;

/// What `site build` was asked.
pub struct Options {
    pub out: PathBuf,
    /// The site's public address, ending in `/` (canonical links, feeds' ids, the sitemap).
    pub base_url: Option<String>,
    /// A directory whose files replace the default templates of the same name.
    pub templates: Option<PathBuf>,
    /// Build every page again, whatever the manifest says.
    pub full: bool,
}

/// What a build did.
#[derive(Debug, Serialize)]
pub struct Report {
    pub out: String,
    /// `full` or `incremental`.
    pub mode: &'static str,
    /// Every file of the site (pages, feeds, attachments).
    pub files: usize,
    /// The files written (paths relative to OUT).
    pub written: Vec<String>,
    /// The files removed (articles no longer on the trunk).
    pub removed: Vec<String>,
    /// Files built again whose bytes had not changed (left as they were).
    pub unchanged: usize,
    /// Articles whose pages were built.
    pub articles_built: usize,
    /// Channels left off the site: their newest commit is not their keeper's act
    /// (`tribune channel show` says whose it is).
    pub withheld: Vec<String>,
}

/// What every page's template gets as `site`.
#[derive(Debug, Serialize)]
pub struct SiteCtx {
    pub name: String,
    pub lang: String,
    pub base_url: Option<String>,
    /// The shared filters, each with a front page: `{name}`.
    pub filters: Vec<Named>,
    /// Channel front pages: `{id, title}` (`id` is `<contingent>/<channel>`).
    pub channels: Vec<Channel>,
}

#[derive(Debug, Serialize)]
pub struct Named {
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct Channel {
    pub id: String,
    pub title: String,
}

/// What every HTML page's template gets as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageHead {
    pub title: String,
    /// For `<meta name="description">`.
    pub description: String,
    /// The page's absolute address, with a base URL.
    pub canonical: Option<String>,
    /// The page's Atom feed, relative to it.
    pub feed: Option<String>,
}

impl PageHead {
    /// `dir` is the page's address relative to the site (`articles/x/`, `` for the front).
    pub fn new(title: &str, description: &str, base: Option<&str>, dir: &str, feed: Option<String>) -> PageHead {
        PageHead {
            title: title.to_string(),
            description: description.to_string(),
            canonical: lists::absolute(base, dir),
            feed,
        }
    }
}

/// A base URL as the site uses it: http(s), ending in `/`.
pub fn base_url(given: &str) -> anyhow::Result<String> {
    let lower = given.to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && given.len() > 8
        && !given.chars().any(|c| c.is_control() || c.is_whitespace() || "\"<>'`".contains(c));
    if !ok {
        return Err(crate::error::usage(
            format!("--base-url {given:?} is not an http(s) address"),
            "give the site's public address, such as https://news.example.org/",
        ));
    }
    Ok(if given.ends_with('/') { given.to_string() } else { format!("{given}/") })
}
