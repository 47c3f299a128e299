//! `tribune site`: the public static site, and its templates.

use super::Ctx;
use crate::output::{print, print_json};
use crate::site;
use anyhow::Result;
use clap::Subcommand;
use std::path::PathBuf;

/// Build the public site: static pages any web server or static host serves, no script.
///
/// Article pages with the trunk text and every rival version (a word diff against the
/// trunk, with its contingent, status, ratings and credits), the challenges about it and
/// its attachments; front pages of the newest articles and of each shared filter, with
/// Atom feeds; a page per contingent with its articles, rewrites and challenges; the joint
/// statements with their tally (a "verified" badge only when `tribune verify` accepts the
/// approval); a sitemap and a stylesheet. See `man 5 tribune-format`, SITE.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Write the site to OUT, building again only the pages whose inputs changed.
    ///
    /// OUT must be new, empty, or a site an earlier build wrote (it holds
    /// .tribune-site.json, the manifest); a symbolic link to a directory is followed, the
    /// site built where it points. A first (or --full) build is written beside OUT and
    /// swapped into place; a later one stages its changed pages and the new manifest inside
    /// OUT, writes a journal of what to move, then renames each into place, the manifest
    /// last, so OUT never holds a half-written file, and a build killed half way is
    /// finished (or dropped, when killed before its journal) by the next build. One build
    /// of a site runs at a time: another meanwhile is refused (the lock file is
    /// .OUT.tribune-site.lock, beside OUT).
    Build(Build),
    /// Write the default templates to DIR, to edit and pass to `site build --templates DIR`.
    Templates {
        /// The directory to write them to (made if missing). Only the templates missing from
        /// it are written: a file already there is kept as it is, and named.
        dir: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct Build {
    /// The directory to write the site to.
    pub out: PathBuf,
    /// The site's public address (http or https), for canonical links, feed ids and the
    /// sitemap (written only with it, since a sitemap holds absolute addresses).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// A directory of templates: each file replaces the default of the same name
    /// (base.html, front.html, article.html, pinned.html, contingent.html, contingents.html,
    /// statement.html, statements.html, feed.xml, sitemap.xml, style.css).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Build every page again, whatever the manifest says.
    #[arg(long)]
    pub full: bool,
    /// Print what was done as JSON: out, mode (full or incremental), files, written and
    /// removed (paths relative to OUT), unchanged (files built again with the same bytes),
    /// articles_built, and withheld (channels left off the site: their newest commit was
    /// not made by their keeper).
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    match args.action {
        Action::Build(b) => {
            let commons = ctx.open()?;
            let base_url = b.base_url.as_deref().map(site::base_url).transpose()?;
            let opts = site::Options { out: b.out, base_url, templates: b.templates, full: b.full };
            let report = site::build(&commons, &opts)?;
            if b.json {
                return print_json(&report);
            }
            print(&crate::output::site::report(&report))
        }
        Action::Templates { dir } => {
            let done = site::templates::write_defaults(&dir)?;
            print(&crate::output::site::templates_written(&dir, &done))
        }
    }
}
