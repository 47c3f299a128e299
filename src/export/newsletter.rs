//! One edition of a channel as a printable newsletter: a masthead (the channel, the issue's
//! number and date), each article as `export` words it (title, byline, body, credits) with
//! its attachments, the channel's standing page, the public-domain notice and the signature
//! of the channel's contingent (or member). HTML (with print styles for A4 and Letter) and Markdown; PDF
//! is the HTML printed by headless Chromium (`export::pdf`).

use super::*;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// An edition, as data: what `edition export --json` would print and the formats word.
#[derive(Debug, Serialize)]
pub struct Newsletter {
    /// `<contingent>/<channel>`.
    pub channel: String,
    pub channel_title: String,
    pub number: u32,
    /// The edition's own title.
    pub title: String,
    pub date: DateTime<Utc>,
    pub made_by: String,
    pub lang: String,
    pub articles: Vec<ArticleExport>,
    /// The channel's standing page (Markdown).
    pub standing: Option<String>,
    /// The contingent that signs it (of a member's channel: the member's contingent).
    pub exported_as: Signer,
    /// The member who keeps the channel and signs the newsletter (a member's channel only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept_by: Option<KeptBy>,
    pub organisation: String,
    /// The attachments that are pictures, by blob id, to show in the page (not in JSON: the
    /// blob ids are there, under each article's attachments).
    #[serde(skip)]
    pub pictures: std::collections::BTreeMap<String, Picture>,
}

/// The member whose own channel a newsletter is from: their id and name in the roster.
#[derive(Debug, Serialize)]
pub struct KeptBy {
    pub member: String,
    pub name: String,
}

/// An attachment that is a PNG, JPEG, GIF or WebP picture, with its bytes.
#[derive(Debug, Clone)]
pub struct Picture {
    pub mime: &'static str,
    pub data: Vec<u8>,
}

impl Picture {
    /// The largest picture shown in a page (larger ones are listed, not shown).
    pub const MAX_BYTES: usize = 5 << 20;

    /// A picture, when `data` starts as one of the formats a browser shows (never SVG, which
    /// can carry script).
    pub fn sniff(data: Vec<u8>) -> Option<Picture> {
        let mime = if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            "image/png"
        } else if data.starts_with(&[0xff, 0xd8, 0xff]) {
            "image/jpeg"
        } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
            "image/gif"
        } else if data.len() > 12 && data.starts_with(b"RIFF") && &data[8..12] == b"WEBP" {
            "image/webp"
        } else {
            return None;
        };
        (data.len() <= Picture::MAX_BYTES).then_some(Picture { mime, data })
    }

    /// The picture as a `data:` address.
    pub fn data_url(&self) -> String {
        format!("data:{};base64,{}", self.mime, base64(&self.data))
    }
}

/// Standard base64 with padding (RFC 4648).
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The paper an HTML or PDF newsletter is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Newsletter {
    /// "No. 3 · 26 November 2026".
    pub fn issue_line(&self) -> String {
        format!("No. {} · {}", self.number, self.date.format("%-d %B %Y"))
    }

    /// The public-domain notice, naming the licences of the texts.
    pub fn notice(&self) -> String {
        let mut licences: Vec<&str> = self.articles.iter().map(|a| a.article.license.as_str()).collect();
        licences.sort();
        licences.dedup();
        format!(
            "The texts of this newsletter are in the public domain ({}): anyone may copy, change and publish them \
             without asking.",
            licences.join(", ")
        )
    }

    /// "The ABC contingent of XYZ", or for a member's channel "Rosa Lopez, of the ABC
    /// contingent of XYZ".
    pub fn signature(&self) -> String {
        match &self.kept_by {
            Some(m) => format!("{}, of the {} contingent of {}", m.name, self.exported_as.name, self.organisation),
            None => format!("The {} contingent of {}", self.exported_as.name, self.organisation),
        }
    }
}

const NEWS_STYLE: &str = "
.masthead { border-bottom: 3px double #111; margin-bottom: 1.5em; text-align: center; }
.masthead .org { text-transform: uppercase; letter-spacing: 0.1em; font-size: 0.85em; margin: 0; }
.masthead h1 { margin: 0.1em 0; }
.masthead .issue { margin: 0 0 0.6em; }
.contents ol { padding-left: 1.4em; }
.item { border-top: 1px solid #999; margin-top: 2em; padding-top: 0.5em; }
.item h2 { font-size: 1.6em; line-height: 1.2; margin-bottom: 0.2em; }
.item footer { border-top: none; margin-top: 1em; padding-top: 0; }
.item footer h3 { font-size: 0.95em; margin: 0.6em 0 0.2em; }
figure { margin: 1em 0; break-inside: avoid; }
figure img, .item img { max-width: 100%; height: auto; }
figcaption { font-size: 0.85em; color: #444; }
.standing { border-top: 3px double #111; margin-top: 2.5em; padding-top: 0.5em; }
.closing { border-top: 1px solid #999; margin-top: 2em; padding-top: 1em; font-size: 0.9em; }
@media print {
  .item { break-before: auto; }
  .item header, .item footer, .masthead { break-inside: avoid; }
  .standing { break-before: page; }
}
";

/// The page's `@page` rule for the paper.
fn page_rule(paper: Paper) -> &'static str {
    match paper {
        Paper::A4 => "@page { size: A4; margin: 18mm 16mm; }",
        Paper::Letter => "@page { size: letter; margin: 0.7in 0.65in; }",
    }
}

/// Markdown as HTML, raw HTML shown as text and links made harmless (as `export` does); an
/// image whose address is the name of one of `pictures` (an attachment beside the text, as
/// `![](photo.jpg)`) shows that picture.
fn body_html(markdown: &str, pictures: &std::collections::HashMap<&str, String>) -> String {
    let events = parser(markdown).map(|e| match e {
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if pictures.contains_key(dest_url.as_ref()) => {
            let dest_url = pictures[dest_url.as_ref()].clone().into();
            Event::Start(Tag::Image { link_type, dest_url, title, id })
        }
        e => e,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn credits_html(lines: &[CreditLine]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from("<section class=\"credits\">\n<h3>Credits</h3>\n<ul>\n");
    for c in lines {
        match safe_link(&c.link) {
            Some(l) => {
                out.push_str(&format!("<li>{} <a href=\"{}\">{}</a></li>\n", escape(&c.text), escape(l), escape(l)))
            }
            None => out.push_str(&format!("<li>{}</li>\n", escape(&c.text))),
        }
    }
    out.push_str("</ul>\n</section>\n");
    out
}

/// The newsletter as one standalone HTML page. Nothing from the data is live: every text is
/// escaped, bodies go through the same Markdown reader as `export`, and the page's content
/// security policy allows no script, no outside resource and no form.
pub fn newsletter_html(n: &Newsletter, paper: Paper) -> String {
    let heading = format!("{} — {}", n.channel_title, n.issue_line());
    let mut out = format!("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n", escape(&n.lang));
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         img-src data:; form-action 'none'\" />\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    out.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}{NEWS_STYLE}{}\n</style>\n</head>\n<body>\n",
        escape(&heading),
        page_rule(paper)
    ));
    out.push_str("<header class=\"masthead\">\n");
    out.push_str(&format!("<p class=\"org\">{}</p>\n", escape(&n.signature())));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&n.channel_title)));
    out.push_str(&format!("<p class=\"issue\">{} · {}</p>\n</header>\n", escape(&n.issue_line()), escape(&n.title)));
    out.push_str("<nav class=\"contents\">\n<h2>In this issue</h2>\n<ol>\n");
    for a in &n.articles {
        out.push_str(&format!("<li>{}</li>\n", escape(&a.article.title)));
    }
    out.push_str("</ol>\n</nav>\n");
    for a in &n.articles {
        let d = a.document();
        out.push_str("<article class=\"item\">\n<header>\n");
        out.push_str(&format!("<h2>{}</h2>\n", escape(&d.title)));
        if let Some(s) = &d.summary {
            out.push_str(&format!("<p class=\"summary\">{}</p>\n", escape(s)));
        }
        if let Some(b) = &d.byline {
            out.push_str(&format!("<p class=\"byline\">{}</p>\n", escape(b)));
        }
        out.push_str("</header>\n");
        let pictures: std::collections::HashMap<&str, String> =
            a.attachments.iter().filter_map(|f| Some((f.name.as_str(), n.pictures.get(&f.id)?.data_url()))).collect();
        out.push_str(&body_html(&d.body, &pictures));
        // The pictures the text does not show itself, after it.
        for f in &a.attachments {
            if let Some(url) = pictures.get(f.name.as_str()).filter(|_| !d.body.contains(f.name.as_str())) {
                out.push_str(&format!(
                    "<figure><img src=\"{}\" alt=\"{}\" /><figcaption>{}</figcaption></figure>\n",
                    escape(url),
                    escape(&f.name),
                    escape(&caption(&a.article, &f.name))
                ));
            }
        }
        out.push_str("<footer>\n");
        out.push_str(&credits_html(&d.credits));
        if !a.attachments.is_empty() {
            out.push_str("<section class=\"attachments\">\n<h3>Attachments</h3>\n<ul>\n");
            for f in &a.attachments {
                out.push_str(&format!(
                    "<li>{} <small>({})</small></li>\n",
                    escape(&caption(&a.article, &f.name)),
                    escape(&f.id)
                ));
            }
            out.push_str("</ul>\n</section>\n");
        }
        let elsewhere = kept_elsewhere(&a.article);
        if !elsewhere.is_empty() {
            // Printed, the address is what a reader can follow: it is written out.
            out.push_str("<section class=\"media\">\n<h3>Media</h3>\n<ul>\n");
            for (m, url, about) in elsewhere {
                let sum = m.sha256.as_deref().unwrap_or_default();
                out.push_str(&format!(
                    "<li>{}: <a href=\"{}\" rel=\"nofollow noopener\">{}</a> <small>(SHA-256 {})</small></li>\n",
                    escape(&about),
                    escape(url),
                    escape(url),
                    escape(sum)
                ));
            }
            out.push_str("</ul>\n</section>\n");
        }
        out.push_str("</footer>\n</article>\n");
    }
    if let Some(s) = &n.standing {
        out.push_str("<section class=\"standing\">\n");
        out.push_str(&body_html(s, &Default::default()));
        out.push_str("</section>\n");
    }
    out.push_str("<footer class=\"closing\">\n");
    out.push_str(&format!("<p class=\"notice\">{}</p>\n", escape(&n.notice())));
    out.push_str(&format!("<p class=\"signature\">{}</p>\n", escape(&n.signature())));
    out.push_str("</footer>\n</body>\n</html>\n");
    out
}

/// How a file beside an article is captioned: its `[[media]]` caption and credit, else its
/// name.
fn caption(article: &crate::model::article::Article, name: &str) -> String {
    let Some(m) = article.media.iter().find(|m| m.file.as_deref() == Some(name)) else { return name.to_string() };
    let mut s = m.caption.clone().unwrap_or_else(|| name.to_string());
    if let Some(c) = &m.credit {
        s.push_str(&format!(" ({c})"));
    }
    s
}

/// The media an article names that are kept elsewhere: each with its URL (http or https,
/// as the model admits) and its words (kind, caption, credit).
fn kept_elsewhere(article: &crate::model::article::Article) -> Vec<(&crate::model::media::Media, &str, String)> {
    article
        .media
        .iter()
        .filter_map(|m| {
            let url = m.url.as_deref()?;
            let mut about = m.caption.clone().unwrap_or_else(|| m.kind.clone());
            if let Some(c) = &m.credit {
                about.push_str(&format!(" ({c})"));
            }
            Some((m, url, about))
        })
        .collect()
}

/// The newsletter as one Markdown document.
pub fn newsletter_markdown(n: &Newsletter) -> String {
    let mut out = format!("# {}\n\n", md_escape(&n.channel_title));
    out.push_str(&format!("**{}** · {}\n\n", md_escape(&n.issue_line()), md_escape(&n.title)));
    out.push_str(&format!("*{}*\n\n", md_escape(&n.signature())));
    for a in &n.articles {
        let d = a.document();
        out.push_str(&format!("---\n\n## {}\n\n", md_escape(&d.title)));
        if let Some(s) = &d.summary {
            out.push_str(&format!("*{}*\n\n", md_escape(s)));
        }
        if let Some(b) = &d.byline {
            out.push_str(&format!("{}\n\n", md_escape(b)));
        }
        out.push_str(&closed(d.body.trim_matches('\n')));
        out.push_str("\n\n");
        if !d.credits.is_empty() {
            out.push_str("**Credits**\n\n");
            for c in &d.credits {
                out.push_str(&list_item(&md_escape(&c.text), safe_link(&c.link)));
            }
            out.push('\n');
        }
        if !a.attachments.is_empty() {
            out.push_str("**Attachments**\n\n");
            for f in &a.attachments {
                out.push_str(&list_item(&format!("{} ({})", md_escape(&caption(&a.article, &f.name)), f.id), None));
            }
            out.push('\n');
        }
        let elsewhere = kept_elsewhere(&a.article);
        if !elsewhere.is_empty() {
            out.push_str("**Media**\n\n");
            for (m, url, about) in elsewhere {
                let text = format!("{} (SHA-256 {})", md_escape(&about), m.sha256.as_deref().unwrap_or_default());
                out.push_str(&list_item(&text, Some(url)));
            }
            out.push('\n');
        }
    }
    if let Some(s) = &n.standing {
        out.push_str("---\n\n");
        out.push_str(&closed(s.trim_matches('\n')));
        out.push_str("\n\n");
    }
    out.push_str(&format!("---\n\n*{}*\n\n**{}**\n", md_escape(&n.notice()), md_escape(&n.signature())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0xfd, 0x00]), "//79AA==");
    }

    #[test]
    fn only_pictures_a_browser_shows_are_pictures() {
        assert_eq!(Picture::sniff(vec![0xff, 0xd8, 0xff, 0xe0]).unwrap().mime, "image/jpeg");
        assert_eq!(Picture::sniff(b"\x89PNG\r\n\x1a\nrest".to_vec()).unwrap().mime, "image/png");
        assert!(Picture::sniff(b"<svg onload=alert(1)>".to_vec()).is_none());
        assert!(Picture::sniff(b"%PDF-1.4".to_vec()).is_none());
    }
}
