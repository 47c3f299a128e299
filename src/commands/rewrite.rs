//! `tribune rewrite`: a contingent's own version of an article, on its edition branch.

use super::Ctx;
use crate::error::fail;
use crate::index;
use crate::model::article;
use crate::model::id;
use crate::output::{print, print_json};
use crate::versions::rewrite::{base_for, commit_rewrite, NewText};
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
///
/// The commit is signed with --key (or git's user.signingkey). In a founded commons only a
/// member of the contingent may rewrite into its edition, signing with their key.
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
    /// Put this file beside the edition's text (replacing one of the same name); repeatable.
    /// With --attach or --detach alone, the text stays as it is (marked as the contingent's).
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Remove the file of this name from beside the edition's text; repeatable.
    #[arg(long = "detach", value_name = "NAME")]
    pub detach: Vec<String>,
    /// Largest accepted attachment in bytes: large media go by link (`[[media]]` with url
    /// and sha256 in the front matter).
    #[arg(long, value_name = "BYTES", default_value_t = super::contribute::DEFAULT_MAX_SIZE)]
    pub max_size: u64,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
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

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    id::validate("slug", &args.slug)?;
    id::validate("contingent id", &args.contingent).context("--contingent")?;
    commons.snapshot()?.require_contingent(&args.contingent)?;
    // Refused before the editor opens: nobody writes a text that cannot be committed.
    let what = format!("rewrite {:?} into the edition contingents/{}", args.slug, args.contingent);
    let signer = crate::commons::actor::acting_for(&commons, &what, &[&args.contingent], args.signing.key.as_deref())?;
    let summary = args.message.as_deref().map(str::trim).filter(|m| !m.is_empty());
    if summary.is_some_and(|m| m.contains('\n')) {
        return Err(crate::error::usage("-m takes one line", "summarise the rewrite in one line"));
    }
    let editions = index::editions(&commons)?;
    let base = base_for(&commons, &editions, &args.slug, &args.contingent)?;
    let attach = crate::articles::contribute::read_attachments(&args.attach, args.max_size)?;
    if let Some(d) = args.detach.iter().find(|d| !crate::model::media::is_attachment_name(d)) {
        let hint = if d == "index.md" {
            "index.md is the text itself: give a new text with --file instead"
        } else {
            "give the name of a file beside the text, as `tribune show SLUG@CONTINGENT` lists it"
        };
        return Err(fail(format!("--detach {d}: not the name of a file beside the text"), hint));
    }
    if let Some(d) = args.detach.iter().find(|d| attach.iter().any(|(n, _)| n == *d)) {
        return Err(crate::error::usage(
            format!("{d} is both attached and detached"),
            "give it to one of --attach and --detach",
        ));
    }
    let files_only = args.file.is_none() && !(attach.is_empty() && args.detach.is_empty());
    let from_editor = args.file.is_none() && !files_only;
    let (name, new_text) = match &args.file {
        None if files_only => (format!("{}.md", args.slug), base.text.clone()),
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
            let editor = super::editor::command(commons.repo.config_string("core.editor"))?;
            let name = format!("{}.md", args.slug);
            (name.clone(), super::editor::edit(&editor, &name, &base.text)?)
        }
    };
    // Line endings as git stores text: a CRLF file is the same text as its LF twin.
    let new_text = new_text.replace("\r\n", "\n");
    let new = NewText {
        slug: &args.slug,
        contingent: &args.contingent,
        name: &name,
        text: &new_text,
        summary,
        attach: &attach,
        detach: &args.detach,
    };
    let (commit, version) = match commit_rewrite(&commons, &base, &new, None, signer.as_ref()) {
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
