//! `tribune rewrite`: a contingent's own version of an article, on its edition branch.

use super::Ctx;
use crate::commons::{commit_on_from, message, Change};
use crate::error::fail;
use crate::git::Oid;
use crate::index::{self, CONTINGENT_BRANCHES};
use crate::model::article::{self, Article, Derivation};
use crate::model::{id, layout};
use crate::output::{print, print_json};
use anyhow::{Context, Result};
use serde::Serialize;
use std::path::PathBuf;

/// Rewrite an article for a contingent's edition.
///
/// Opens the text in your editor (git's: GIT_EDITOR, core.editor, VISUAL, EDITOR) or takes
/// it from --file, and commits it on `contingents/ID` (created from the trunk when absent).
/// The text starts from the contingent's own version if it has one, else the trunk's. The
/// stored front matter names the contingent and, in `derived_from`, the base version
/// (relation wasRevisionOf); the commit carries `Tribune-Base` and `Tribune-Trunk-Base`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article's slug.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    /// The contingent whose edition gets the rewrite.
    #[arg(long, value_name = "ID")]
    pub contingent: String,
    /// Take the new text from this file (- for standard input) instead of an editor.
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A one-line summary of the rewrite, shown by `tribune versions`.
    #[arg(short = 'm', long = "message", value_name = "SUMMARY")]
    pub message: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Rewritten {
    slug: String,
    contingent: String,
    branch: String,
    version: String,
    base: String,
    base_place: String,
    trunk_base: Option<String>,
    commit: String,
}

/// Where a rewrite starts from.
pub struct Base {
    pub version: Oid,
    pub text: String,
    /// `trunk` or `contingents/<id>`.
    pub place: String,
    /// The contingent the base text belongs to.
    pub contingent: String,
    pub trunk_base: Option<String>,
    /// Where a missing local edition branch starts: a remote-tracking edition of the same
    /// contingent if one was fetched (so its published rewrites are kept), else the trunk.
    pub start: Option<String>,
}

/// The contingent's own version of `slug` if it has one, else the trunk's.
pub fn base_for(
    commons: &crate::commons::Commons,
    editions: &index::Editions,
    slug: &str,
    contingent: &str,
) -> Result<Base> {
    let repo = &commons.repo;
    // The local edition, else one fetched from a remote (a new local branch starts there).
    let edition = editions.find(contingent);
    let start = edition.filter(|e| !e.refname.starts_with(CONTINGENT_BRANCHES)).map(|e| e.refname.clone());
    let own = match edition {
        Some(e) => e.get(slug)?.map(|v| (e, v)),
        None => None,
    };
    if let Some((edition, v)) = own {
        let version: Oid = v.version.parse()?;
        let text = String::from_utf8_lossy(&repo.read_blob(version)?).into_owned();
        return Ok(Base {
            version,
            text,
            place: edition.label.clone(),
            contingent: contingent.to_string(),
            trunk_base: (!v.trunk_base.is_empty()).then(|| v.trunk_base.clone()),
            start,
        });
    }
    let Some(entry) = index::trunk_entry(commons, slug)? else {
        return Err(crate::history::no_article(commons, slug));
    };
    let version: Oid = entry.version.parse()?;
    let text = String::from_utf8_lossy(&repo.read_blob(version)?).into_owned();
    Ok(Base {
        version,
        text,
        place: "trunk".into(),
        contingent: entry.contingent.clone(),
        trunk_base: Some(entry.version.clone()),
        start,
    })
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    id::validate("slug", &args.slug)?;
    id::validate("contingent id", &args.contingent).context("--contingent")?;
    commons.snapshot()?.require_contingent(&args.contingent)?;
    let summary = args.message.as_deref().map(str::trim).filter(|m| !m.is_empty());
    if summary.is_some_and(|m| m.contains('\n')) {
        return Err(crate::error::usage("-m takes one line", "summarise the rewrite in one line"));
    }
    let editions = index::editions(&commons)?;
    let base = base_for(&commons, &editions, &args.slug, &args.contingent)?;
    let from_editor = args.file.is_none();
    let (name, new_text) = match &args.file {
        Some(f) => {
            let bytes = if f.as_os_str() == "-" {
                let mut b = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).context("could not read standard input")?;
                b
            } else {
                std::fs::read(f).map_err(|e| fail(format!("cannot read {}: {e}", f.display()), "check the path"))?
            };
            let name = f.display().to_string();
            let text = article::utf8(&name, &bytes)?.to_string();
            (name, text)
        }
        None => {
            let editor = crate::editor::command(commons.repo.config_string("core.editor"))?;
            let name = format!("{}.md", args.slug);
            (name.clone(), crate::editor::edit(&editor, &name, &base.text)?)
        }
    };
    // Line endings as git stores text: a CRLF file is the same text as its LF twin.
    let new_text = new_text.replace("\r\n", "\n");
    let (commit, version) =
        match commit_rewrite(&commons, &base, &args.slug, &args.contingent, &name, &new_text, summary, None) {
            Ok(done) => done,
            Err(e) if from_editor && new_text != base.text => {
                // Never lose what someone wrote in the editor: keep it, as git keeps COMMIT_EDITMSG.
                let kept = commons.state_dir().join("drafts").join(format!("{}--{}.md", args.contingent, args.slug));
                let saved = kept.parent().map(std::fs::create_dir_all).transpose().is_ok()
                    && std::fs::write(&kept, &new_text).is_ok();
                if saved {
                    eprintln!(
                        "note: your text is kept in {}; fix it and run again with --file {}",
                        kept.display(),
                        kept.display()
                    );
                }
                return Err(e);
            }
            Err(e) => return Err(e),
        };
    let out = Rewritten {
        slug: args.slug.clone(),
        contingent: args.contingent.clone(),
        branch: format!("contingents/{}", args.contingent),
        version: version.to_string(),
        base: base.version.to_string(),
        base_place: base.place.clone(),
        trunk_base: base.trunk_base.clone(),
        commit: commit.to_string(),
    };
    if args.json {
        return print_json(&out);
    }
    print(&format!(
        "Rewrote {} for {}\n  version  {}\n  base     {} ({})\n  commit   {}\n  branch   {}",
        ctx.style.bold(&out.slug),
        out.contingent,
        out.version,
        out.base,
        out.base_place,
        out.commit,
        out.branch
    ))
}

/// Commits `new_text` (checked, with its provenance recorded) as `contingent`'s version of
/// `slug` made from `base`; returns the commit and the version.
#[allow(clippy::too_many_arguments)]
pub fn commit_rewrite(
    commons: &crate::commons::Commons,
    base: &Base,
    slug: &str,
    contingent: &str,
    name: &str,
    new_text: &str,
    summary: Option<&str>,
    who: Option<&crate::git::Identity>,
) -> Result<(Oid, Oid)> {
    if summary.is_some_and(|m| m.contains('\n')) {
        return Err(crate::error::usage("-m takes one line", "summarise the rewrite in one line"));
    }
    let text = prepare(name, new_text, base, slug, contingent)?;
    let version = Oid::hash_blob(text.as_bytes())?;
    let title = Article::parse(name, &text)?.title;
    let refname = format!("{CONTINGENT_BRANCHES}{contingent}");
    let mut trailers = vec![
        ("Action", "rewrite".to_string()),
        ("Article", slug.to_string()),
        ("Contingent", contingent.to_string()),
        ("Base", base.version.to_string()),
    ];
    if let Some(tb) = &base.trunk_base {
        trailers.push(("Trunk-Base", tb.clone()));
    }
    let trailer_refs: Vec<(&str, &str)> = trailers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut msg = message(&format!("rewrite: {title}"), &trailer_refs);
    if let Some(m) = summary {
        msg = msg.replacen("\n\n", &format!("\n\n{m}\n\n"), 1);
    }
    let path = layout::article_text(slug);
    let start_ref = base.start.clone().unwrap_or_else(|| commons.trunk_ref.clone());
    let (commit, ()) = commit_on_from(
        &commons.repo,
        &refname,
        || Ok(commons.repo.ref_target(&start_ref)?.or(commons.repo.ref_target(&commons.trunk_ref)?)),
        |snap| {
            if let Some((current, _)) = snap.blob(&path)? {
                if current == version {
                    return Err(fail(
                        format!("no change: contingents/{contingent} already has this text of {slug:?}"),
                        "edit the text first",
                    ));
                }
            }
            Ok((Change::new(msg.clone()).put(path.clone(), text.clone().into_bytes()).by(who), ()))
        },
    )?;
    Ok((commit, version))
}

/// Checks the edited text and records its provenance. Unchanged text is refused.
pub fn prepare(name: &str, new_text: &str, base: &Base, slug: &str, contingent: &str) -> Result<String> {
    if new_text == base.text || new_text.trim_end() == base.text.trim_end() {
        return Err(fail(
            format!("no change: the text is the same as its base ({}, {})", base.place, base.version.short(10)),
            "edit the article before saving, or leave it alone",
        ));
    }
    Article::parse(name, new_text)?;
    let derivation = Derivation {
        relation: "wasRevisionOf".into(),
        slug: Some(slug.to_string()),
        version: Some(base.version.to_string()),
        contingent: Some(base.contingent.clone()),
        url: None,
    };
    let text = article::mark_revision(new_text, contingent, &derivation)?;
    Article::parse(name, &text)?;
    Ok(text)
}
