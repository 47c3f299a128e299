//! Contributing: the commit that stores a checked article (and its attachments) on the
//! trunk, and reading the files it comes from within a size limit.

use crate::commons::actor::Actor;
use crate::commons::{message, Change, Commons, Snapshot};
use crate::error::fail;
use crate::git::{Identity, Oid};
use crate::model::article::Article;
use crate::model::layout;
use anyhow::{Context, Result};
use std::io::Read;
use std::path::Path;

/// A checked article ready to commit: its stored text, slug and attachments.
pub struct Prepared {
    pub article: Article,
    pub slug: String,
    pub text: Vec<u8>,
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// The commit that stores `p` on the trunk in `snap`, and the new version's id.
pub fn change_for(snap: &Snapshot<'_>, p: &Prepared, update: bool, who: Option<&Identity>) -> Result<(Change, Oid)> {
    snap.require_contingent(&p.article.contingent)?;
    let path = layout::article_text(&p.slug);
    let version = Oid::hash_blob(&p.text)?;
    match (snap.blob(&path)?, update) {
        (Some((old, _)), false) => {
            return Err(fail(
                format!("the article {:?} already exists (version {})", p.slug, old.short(10)),
                "pass --update to replace its trunk text, or --slug to contribute it under another slug",
            ))
        }
        (None, true) => {
            return Err(fail(
                format!("there is no article {:?} to update", p.slug),
                "leave out --update to contribute a new article",
            ))
        }
        (Some((old, _)), true) if old == version && p.attachments.is_empty() => {
            return Err(fail(
                format!("no change: the trunk already has this text of {:?}", p.slug),
                "edit the file first",
            ))
        }
        _ => {}
    }
    let dir = layout::article_dir(&p.slug);
    media_files_present(snap, &p.article, &dir, &p.attachments, &[])?;
    let verb = if update { "update" } else { "contribute" };
    let mut change = Change::new(message(
        &format!("{verb}: {}", p.article.title),
        &[("Action", verb), ("Article", &p.slug), ("Contingent", &p.article.contingent)],
    ))
    .put(path, p.text.clone());
    for (name, data) in &p.attachments {
        change = change.put(format!("{dir}/{name}"), data.clone());
    }
    Ok((change.by(who), version))
}

/// Every `[[media]]` file of `article` is beside its text in `dir` once the change is made:
/// attached now, or there already in `snap` and not removed.
pub fn media_files_present(
    snap: &Snapshot<'_>,
    article: &Article,
    dir: &str,
    attached: &[(String, Vec<u8>)],
    removed: &[String],
) -> Result<()> {
    for f in article.media.iter().filter_map(|m| m.file.as_deref()) {
        if removed.iter().any(|r| r == f) {
            return Err(fail(
                format!("--detach {f}: the text's [[media]] entry names that file"),
                "remove the entry from the text too (give the new text with --file), or keep the file",
            ));
        }
        if !snap.exists(&format!("{dir}/{f}"))? && !attached.iter().any(|(n, _)| n == f) {
            return Err(fail(
                format!("a [[media]] entry names the file {f:?}, which is not beside the article"),
                "attach it with --attach FILE, or remove the entry",
            ));
        }
    }
    Ok(())
}

/// Commits `p` on the trunk as `actor` (signed with their key, when they have one), and
/// returns the commit and the new version. In a founded commons the actor must be a member
/// of the article's contingent and, for an update, of the contingent whose text it
/// replaces: otherwise nothing is written.
pub fn commit(commons: &Commons, p: &Prepared, update: bool, actor: &Actor) -> Result<(Oid, Oid)> {
    let verb = if update { "update" } else { "contribute" };
    let what = format!("{verb} the article {:?}", p.slug);
    let signer = actor.may_act_for(commons, &what, &[&p.article.contingent])?;
    commons.commit_on_trunk(|snap| {
        if update {
            // The text replaced speaks for its own contingent: taking it over is an act in
            // that contingent's name too.
            if let Some(old) = contingent_at(snap, &p.slug)? {
                if old != p.article.contingent {
                    actor.may_act_for(commons, &what, &[&old])?;
                }
            }
        }
        let (mut change, version) = change_for(snap, p, update, None)?;
        change.signer = signer.clone();
        Ok((change, version))
    })
}

/// The contingent the trunk's text of `slug` names (None: no text, or no readable front
/// matter).
fn contingent_at(snap: &Snapshot<'_>, slug: &str) -> Result<Option<String>> {
    let Some((_, bytes)) = snap.blob(&layout::article_text(slug))? else { return Ok(None) };
    let text = String::from_utf8_lossy(&bytes);
    Ok(Article::parse(slug, &text).ok().map(|a| a.contingent))
}

/// Reads a file (or standard input for `-`), refusing it when it is over `max` bytes.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>> {
    let name = path.display();
    let too_big = |size: u64| {
        fail(
            format!("{name} is {size} bytes, over the limit of {max} bytes"),
            "keep large media outside the commons and link to them, or raise the limit with --max-size BYTES",
        )
    };
    let mut data = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().take(max.saturating_add(1)).read_to_end(&mut data).context("could not read standard input")?;
        if data.len() as u64 > max {
            return Err(too_big(data.len() as u64));
        }
        return Ok(data);
    }
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read {name}: {e}"), "check the path"))?;
    if meta.is_dir() {
        return Err(fail(format!("{name} is a directory"), "give the article's Markdown file"));
    }
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    std::fs::File::open(path)
        .and_then(|f| f.take(max.saturating_add(1)).read_to_end(&mut data))
        .map_err(|e| fail(format!("cannot read {name}: {e}"), "check the path and its permissions"))?;
    Ok(data)
}

/// An attachment's file, under a name that can be stored beside the article.
/// Reads the files to attach, each named by its file name, refusing two of one name.
pub fn read_attachments(paths: &[std::path::PathBuf], max: u64) -> Result<Vec<(String, Vec<u8>)>> {
    let mut attachments: Vec<(String, Vec<u8>)> = Vec::new();
    for path in paths {
        let (name, data) = read_attachment(path, max)?;
        if attachments.iter().any(|(n, _)| *n == name) {
            return Err(fail(
                format!("two attachments are named {name:?}"),
                "attachments are stored by file name beside the article: rename one of them",
            ));
        }
        attachments.push((name, data));
    }
    Ok(attachments)
}

pub fn read_attachment(path: &Path, max: u64) -> Result<(String, Vec<u8>)> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if path.is_dir() {
        return Err(fail(
            format!("--attach {}: is a directory", path.display()),
            "attach files one by one: --attach DIR/photo.jpg",
        ));
    }
    if !crate::model::media::is_attachment_name(&name) {
        return Err(fail(
            format!("the attachment name {name:?} cannot be stored"),
            "attachment names use ASCII letters, digits, '.', '-' and '_', do not start with '.', and are not index.md; rename the file",
        ));
    }
    Ok((name, read_limited(path, max)?))
}
