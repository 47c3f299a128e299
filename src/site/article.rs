//! An article's page: the trunk text rendered, its attachments, credits and ratings, every
//! rival version as a word diff against the trunk text with its contingent, status,
//! ratings and credits, and the challenges that concern it.

use super::collect::{clean, Data, DimRating};
pub use super::media::{safe_file_name, AttachmentCtx, MediaCtx};
use super::{PageHead, SiteCtx};
use crate::commons::Commons;
use crate::credits::{CreditLine, Logs};
use crate::export::escape;
use crate::git::Oid;
use crate::index::Entry;
use crate::model::article::Article;
use crate::versions::textdiff::{self, Para, Piece};
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

/// What the article template gets (see format.md, SITE).
#[derive(Serialize)]
pub struct Ctx<'a> {
    pub site: &'a SiteCtx,
    pub page: PageHead,
    pub root: &'static str,
    pub article: ArticleCtx,
    pub trunk: TrunkCtx,
    pub credits: Vec<CreditLine>,
    pub attachments: Vec<AttachmentCtx>,
    /// The trunk text's `[[media]]` kept elsewhere.
    pub media: Vec<MediaCtx>,
    pub rivals: Vec<RivalCtx>,
    pub challenges: Vec<ChallengeCtx>,
}

#[derive(Serialize)]
pub struct ArticleCtx {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub byline: Option<String>,
    pub authors: Vec<String>,
    pub date: String,
    pub tags: Vec<String>,
    pub contingent: String,
    pub contingent_name: String,
    /// The contingent has a page (it is on the roster).
    pub contingent_page: bool,
    pub version: String,
    pub version_short: String,
    /// The body, rendered by tribune: raw HTML shown as text, unsafe links dropped.
    pub body_html: String,
    pub notice: String,
    pub signature: String,
}

#[derive(Serialize)]
pub struct TrunkCtx {
    pub ratings: Vec<DimRating>,
}

#[derive(Serialize)]
pub struct Who {
    pub id: String,
    pub name: String,
    pub page: bool,
}

#[derive(Serialize)]
pub struct RivalCtx {
    pub version: String,
    pub short: String,
    pub places: Vec<String>,
    pub contingents: Vec<Who>,
    pub title: String,
    pub author: String,
    pub date: String,
    pub summary: String,
    pub status: &'static str,
    pub words_added: usize,
    pub words_removed: usize,
    pub ratings: Vec<DimRating>,
    pub credits: Vec<CreditLine>,
    /// Its own files, under `files/<version>/`.
    pub attachments: Vec<AttachmentCtx>,
    /// Its `[[media]]` kept elsewhere.
    pub media: Vec<MediaCtx>,
    /// The word diff against the trunk text, rendered by tribune.
    pub diff_html: String,
}

#[derive(Serialize)]
pub struct ChallengeCtx {
    pub id: String,
    pub from: String,
    pub from_name: String,
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub asked_at: String,
    pub asked_by: String,
    pub status: &'static str,
    pub body_html: String,
    pub replies: Vec<ReplyCtx>,
}

#[derive(Serialize)]
pub struct ReplyCtx {
    pub contingent: String,
    pub name: String,
    pub answered_at: String,
    pub body_html: String,
}

/// What one article's page needs besides the data: its ratings, and the trunk logs when
/// every article's were read at once.
pub struct Inputs<'a> {
    pub data: &'a Data,
    pub ratings: &'a HashMap<Oid, Vec<DimRating>>,
    pub logs: Option<&'a Logs>,
    pub site: &'a SiteCtx,
    pub base_url: Option<&'a str>,
    pub trunk_tree: Oid,
}

/// A built page: its context, the attachment blobs to copy beside it, and the other
/// articles its credits (the trunk text's and the rivals') were worked out from.
pub struct Built<'a> {
    pub ctx: Ctx<'a>,
    pub files: Vec<(String, Oid)>,
    /// Sorted, without the article itself: when one of them changes, so may the page.
    pub sources: Vec<String>,
}

/// The articles, other than `slug`, that credits were worked out from: every step's and
/// every quoted source's (what `credits::compute_with` read: their texts, trunk histories
/// and versions).
fn sources_of(slug: &str, credits: &crate::credits::Credits, out: &mut std::collections::BTreeSet<String>) {
    let steps = std::iter::once(&credits.original).chain(&credits.modifications).map(|s| &s.work);
    for work in steps.chain(&credits.quotes) {
        if let Some(s) = work.slug.as_deref().filter(|s| *s != slug) {
            out.insert(s.to_string());
        }
    }
}

pub fn page_dir(slug: &str) -> String {
    format!("articles/{slug}")
}

pub fn when(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn contingent_name(data: &Data, id: &str) -> (String, bool) {
    match data.contingents.get(id) {
        Some(c) => (c.name.clone(), true),
        None => (clean(id), false),
    }
}

/// The page of `entry`.
pub fn build<'a>(commons: &Commons, inp: &Inputs<'a>, entry: &Entry) -> Result<Built<'a>> {
    let repo = &commons.repo;
    let data = inp.data;
    let slug = &entry.slug;
    let version: Oid = entry.version.parse()?;
    let text = String::from_utf8_lossy(&repo.read_blob(version)?).into_owned();
    let article = Article::parse(&format!("{slug}@{}", version.short(10)), &text).ok();
    let body = article.as_ref().map_or_else(|| textdiff::front_and_body(&text).1, |a| a.body.clone());
    let (cname, cpage) = contingent_name(data, &entry.contingent);
    let credits = crate::credits::compute_with(commons, slug, version, &data.editions, inp.logs).ok();
    let mut sources = std::collections::BTreeSet::new();
    if let Some(c) = &credits {
        sources_of(slug, c, &mut sources);
    }
    // The attachments, and where the site publishes them (for the body's links).
    let dir = crate::model::layout::article_dir(slug);
    let page = page_dir(slug);
    let trunk_files = super::media::files(repo, inp.trunk_tree, &dir, article.as_ref(), &page, "files/")?;
    let mut files = trunk_files.copies;
    // The worded parts (byline, credit lines, notice, signature) as `export` words them.
    let (byline, notice, signature, credit_lines) = match (&article, &credits) {
        (Some(a), Some(c)) => {
            let doc = crate::export::Export::Article(crate::export::ArticleExport {
                slug: slug.clone(),
                version: entry.version.clone(),
                lang: data.lang.clone(),
                article: a.clone(),
                credits: c.clone(),
                attachments: Vec::new(),
                exported_as: crate::export::Signer { contingent: entry.contingent.clone(), name: cname.clone() },
                organisation: data.org.clone(),
                body: String::new(),
            })
            .document();
            (doc.byline, doc.notice, doc.signature, doc.credits)
        }
        _ => (None, String::new(), format!("The {cname} contingent of {}", data.org), Vec::new()),
    };
    let credit_lines = safe_credits(credit_lines);
    let summary = article.as_ref().and_then(|a| a.summary.clone()).map(|s| clean(&s));
    let description = summary.clone().unwrap_or_else(|| describe(&body));
    let rivals = rivals(commons, inp, entry, &body, &mut files, &mut sources)?;
    let challenges = data
        .challenges_about
        .get(slug.as_str())
        .map(|ids| ids.iter().map(|i| challenge_ctx(data, &data.challenges[*i])).collect())
        .unwrap_or_default();
    let title = clean(&entry.title);
    let ctx = Ctx {
        site: inp.site,
        page: PageHead::new(&title, &description, inp.base_url, &format!("{}/", page_dir(slug)), None),
        root: "../../",
        article: ArticleCtx {
            slug: slug.clone(),
            title,
            summary,
            byline: byline.map(|b| clean(&b)),
            authors: entry.authors.iter().map(|a| clean(a)).collect(),
            date: clean(&entry.date),
            tags: entry.tags.iter().map(|t| clean(t)).collect(),
            contingent: entry.contingent.clone(),
            contingent_name: cname,
            contingent_page: cpage,
            version: entry.version.clone(),
            version_short: version.short(10),
            body_html: crate::export::body_html_with(&clean(&body), &trunk_files.moved),
            notice: clean(&notice),
            signature: clean(&signature),
        },
        trunk: TrunkCtx { ratings: inp.ratings.get(&version).cloned().unwrap_or_default() },
        credits: credit_lines,
        attachments: trunk_files.shown,
        media: super::media::elsewhere(article.as_ref()),
        rivals,
        challenges,
    };
    Ok(Built { ctx, files, sources: sources.into_iter().collect() })
}

/// Credit lines with their text cleaned and only harmless links kept.
fn safe_credits(lines: Vec<CreditLine>) -> Vec<CreditLine> {
    lines
        .into_iter()
        .map(|l| CreditLine {
            text: clean(&l.text),
            link: l.link.as_deref().and_then(crate::export::safe_url).map(clean),
        })
        .collect()
}

/// A description for `<meta name="description">`: the body's first words as plain text.
pub fn describe(markdown: &str) -> String {
    let plain = crate::export::plain(markdown);
    let words: Vec<&str> = plain.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.len() + w.len() > 160 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    clean(&out)
}

/// The rival versions, newest first, one per text (with every place that holds it); each
/// one's own files (those beside it in the newest edition that holds it) are added to
/// `files`, under `files/<version>/`, and the articles its credits read to `sources`.
fn rivals(
    commons: &Commons,
    inp: &Inputs<'_>,
    entry: &Entry,
    trunk_body: &str,
    files: &mut Vec<(String, Oid)>,
    sources: &mut std::collections::BTreeSet<String>,
) -> Result<Vec<RivalCtx>> {
    let mut list: Vec<super::collect::Rival<'_>> = inp.data.rivals(&entry.slug).collect();
    list.sort_by(|a, b| b.v.time.cmp(&a.v.time).then_with(|| a.label.cmp(b.label)));
    let mut out: Vec<RivalCtx> = Vec::new();
    for r in list {
        let (name, page) = contingent_name(inp.data, r.contingent);
        if let Some(existing) = out.iter_mut().find(|x| x.version == r.v.version) {
            existing.places.push(clean(r.label));
            if !existing.contingents.iter().any(|c| c.id == r.contingent) {
                existing.contingents.push(Who { id: r.contingent.to_string(), name, page });
            }
            continue;
        }
        let version: Oid = r.v.version.parse()?;
        let text = String::from_utf8_lossy(&commons.repo.read_blob(version)?).into_owned();
        // One comparison per rival: its counts and its rendering come from the same diff.
        let c = textdiff::compare_bodies(trunk_body, &text);
        let parsed = Article::parse(&format!("{}@{}", entry.slug, version.short(10)), &text).ok();
        let dir = crate::model::layout::article_dir(&entry.slug);
        let under = format!("files/{version}/");
        let own = super::media::files(
            &commons.repo,
            commons.repo.commit_tree(r.tip)?,
            &dir,
            parsed.as_ref(),
            &page_dir(&entry.slug),
            &under,
        )?;
        files.extend(own.copies);
        let nonempty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let status = crate::versions::status(&r.v.version, nonempty(&r.v.trunk_base).as_deref(), Some(&entry.version));
        let credits = crate::credits::compute_with(commons, &entry.slug, version, &inp.data.editions, inp.logs)
            .map(|c| {
                sources_of(&entry.slug, &c, sources);
                safe_credits(c.lines())
            })
            .unwrap_or_default();
        out.push(RivalCtx {
            version: r.v.version.clone(),
            short: version.short(10),
            places: vec![clean(r.label)],
            contingents: vec![Who { id: r.contingent.to_string(), name, page }],
            title: clean(&r.v.title),
            author: clean(&r.v.author),
            date: if r.v.commit.is_empty() {
                String::new()
            } else {
                crate::git::Timestamp { seconds: r.v.time, offset_minutes: 0 }.rfc3339_utc()
            },
            summary: clean(&r.v.summary),
            status: status.name(),
            words_added: c.words_added,
            words_removed: c.words_removed,
            ratings: inp.ratings.get(&version).cloned().unwrap_or_default(),
            credits,
            attachments: own.shown,
            media: super::media::elsewhere(parsed.as_ref()),
            diff_html: diff_html(&c),
        });
    }
    Ok(out)
}

/// A comparison as HTML paragraphs: `<del>` for words removed, `<ins>` for words added.
pub fn diff_html(c: &textdiff::Comparison) -> String {
    let e = |s: &str| escape(&clean(s));
    let mut out = String::new();
    for p in &c.paras {
        match p {
            Para::Same(t) => out.push_str(&format!("<p>{}</p>\n", e(t))),
            Para::Removed(t) => out.push_str(&format!("<p><del>{}</del></p>\n", e(t))),
            Para::Added(t) => out.push_str(&format!("<p><ins>{}</ins></p>\n", e(t))),
            Para::Changed(pieces) => {
                out.push_str("<p>");
                for piece in pieces {
                    match piece {
                        Piece::Same(s) => out.push_str(&e(s)),
                        Piece::Removed(s) => out.push_str(&format!("<del>{}</del>", e(s))),
                        Piece::Added(s) => out.push_str(&format!("<ins>{}</ins>", e(s))),
                    }
                }
                out.push_str("</p>\n");
            }
            Para::Moved { text, from } => {
                out.push_str(&format!("<p class=\"moved\">Moved here from paragraph {from}:</p>\n<p>{}</p>\n", e(text)))
            }
            Para::MovedAway { to } => {
                out.push_str(&format!("<p class=\"moved\">Paragraph moved, now paragraph {to}.</p>\n"))
            }
        }
    }
    out
}

pub fn challenge_ctx(data: &Data, c: &crate::challenges::Challenge) -> ChallengeCtx {
    let name = |id: &str| contingent_name(data, id).0;
    ChallengeCtx {
        id: clean(&c.id),
        from: clean(&c.from),
        from_name: name(&c.from),
        to: clean(&c.to),
        to_name: name(&c.to),
        subject: clean(&c.subject),
        asked_at: when(&c.asked_at),
        asked_by: clean(&c.asked_by),
        status: c.status(),
        body_html: crate::export::body_html(&clean(&c.body)),
        replies: c
            .replies
            .iter()
            .map(|r| ReplyCtx {
                contingent: clean(&r.contingent),
                name: name(&r.contingent),
                answered_at: when(&r.answered_at),
                body_html: crate::export::body_html(&clean(&r.body)),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_diff_is_escaped_html() {
        let c = textdiff::compare("a <b> c\n", "a <i> c\n");
        let h = diff_html(&c);
        assert!(h.contains("<del>&lt;b&gt;</del>") && h.contains("<ins>&lt;i&gt;</ins>"), "{h}");
        assert!(!h.contains("<b>") && !h.contains("<i>"), "{h}");
    }
}
