//! Rewriting: where a contingent's rewrite of an article starts from, and the commit that
//! records it on the contingent's edition branch with its provenance.

use crate::commons::{commit_on_from, message, Change};
use crate::error::fail;
use crate::git::Oid;
use crate::index::{self, CONTINGENT_BRANCHES};
use crate::model::article::{self, Article, Derivation};
use crate::model::layout;
use anyhow::Result;

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
        return Err(crate::articles::history::no_article(commons, slug));
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

/// A contingent's new text of an article, to be committed on its edition.
pub struct NewText<'a> {
    pub slug: &'a str,
    pub contingent: &'a str,
    /// Where the text came from (a file name), for messages.
    pub name: &'a str,
    pub text: &'a str,
    /// The rewrite's one-line summary.
    pub summary: Option<&'a str>,
    /// Files to put beside the text (added, or replacing one of the same name).
    pub attach: &'a [(String, Vec<u8>)],
    /// Names of files beside the text to remove.
    pub detach: &'a [String],
}

/// Commits a new text (checked, with its provenance recorded) as the contingent's version
/// of the article, made from `base`; returns the commit and the version. Signed by `signer`
/// when given (the caller has checked that the signer may act for the contingent: see
/// `commons::actor`).
pub fn commit_rewrite(
    commons: &crate::commons::Commons,
    base: &Base,
    new: &NewText<'_>,
    who: Option<&crate::git::Identity>,
    signer: Option<&crate::signing::Signer>,
) -> Result<(Oid, Oid)> {
    let NewText { slug, contingent, name, text: new_text, summary, attach, detach } = *new;
    if summary.is_some_and(|m| m.contains('\n')) {
        return Err(crate::error::usage("-m takes one line", "summarise the rewrite in one line"));
    }
    let files_change = !attach.is_empty() || !detach.is_empty();
    let text = prepare(name, new_text, base, slug, contingent, files_change)?;
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
                if current == version && !files_change {
                    return Err(fail(
                        format!("no change: contingents/{contingent} already has this text of {slug:?}"),
                        "edit the text first",
                    ));
                }
            }
            let dir = layout::article_dir(slug);
            for d in detach {
                if !snap.exists(&format!("{dir}/{d}"))? {
                    return Err(fail(
                        format!("--detach {d}: contingents/{contingent} has no file {d:?} beside {slug:?}"),
                        "see the files with `tribune show SLUG@CONTINGENT`",
                    ));
                }
            }
            crate::articles::contribute::media_files_present(
                snap,
                &Article::parse(name, &text)?,
                &dir,
                attach,
                detach,
            )?;
            let mut change = Change::new(msg.clone()).put(path.clone(), text.clone().into_bytes()).by(who);
            for (n, data) in attach {
                change = change.put(format!("{dir}/{n}"), data.clone());
            }
            change.removes.extend(detach.iter().map(|d| format!("{dir}/{d}")));
            change.signer = signer.cloned();
            Ok((change, ()))
        },
    )?;
    Ok((commit, version))
}

/// Checks the edited text and records its provenance. Unchanged text is refused, unless
/// the files beside it change (`files_change`).
pub fn prepare(
    name: &str,
    new_text: &str,
    base: &Base,
    slug: &str,
    contingent: &str,
    files_change: bool,
) -> Result<String> {
    if !files_change && (new_text == base.text || new_text.trim_end() == base.text.trim_end()) {
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
