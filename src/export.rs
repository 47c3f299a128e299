//! Rendering a text for print or posting: Markdown, a standalone HTML page, or plain text,
//! each with the credit block, the public-domain notice and the signature line.
//!
//! What is exported is data ([`Export`]: an article's version or an approved statement, as
//! fields); [`Export::document`] is the one place that words it (byline, notice, approval,
//! signature) for the formats.
//!
//! The body is Markdown and is read by pulldown-cmark for every format; raw HTML in it is
//! shown as text, never passed through, so an exported page is always well-formed (XHTML
//! style: every element closed, every attribute quoted).

use crate::credits::CreditLine;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

mod data;
mod newsletter;
pub mod pdf;
pub use data::*;
pub use newsletter::{newsletter_html, newsletter_markdown, KeptBy, Newsletter, Paper, Picture};

/// Everything an export shows, worded: what the formats print.
#[derive(Debug)]
pub struct Document {
    /// The language of the text, a BCP 47 tag such as `fr` or `pt-BR` (see [`language`]).
    pub lang: String,
    pub title: String,
    pub summary: Option<String>,
    /// "By R. Lopez · 21 November 2026".
    pub byline: Option<String>,
    /// Markdown.
    pub body: String,
    pub credits: Vec<CreditLine>,
    pub notice: String,
    /// "Approved by 24 of 36 votes cast, two-thirds required."
    pub approval: Option<String>,
    /// "The ABC Collective contingent of Mass Organization XYZ".
    pub signature: String,
}

fn parser(text: &str) -> impl Iterator<Item = Event<'_>> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(text, options).map(|e| match e {
        // Raw HTML would make the page whatever its author wrote: show it as text.
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        // A link or image may only go somewhere harmless (no `javascript:` and the like).
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if !harmless(&dest_url) => {
            Event::Start(Tag::Link { link_type, dest_url: "".into(), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if !harmless(&dest_url) => {
            Event::Start(Tag::Image { link_type, dest_url: "".into(), title, id })
        }
        e => e,
    })
}

/// An address with no scheme (relative, `#anchor`) or an http(s) or mailto one.
fn harmless(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    let scheme = url.split_once(':').map(|(s, _)| s).filter(|s| {
        !s.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    match scheme {
        None => !url.chars().any(|c| c.is_control()),
        Some(s) => matches!(s, "http" | "https" | "mailto"),
    }
}

/// Escapes text for HTML element content and quoted attributes. The invisible characters
/// that reorder text (embeddings, overrides, isolates: [`reorders`]) are shown as
/// `\u{202e}`, as on a terminal: a title holding a right-to-left override would otherwise
/// reverse the credit line it is set in, the authors' names and the contingent with it.
///
/// [`reorders`]: crate::model::words::reorders
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::model::words::reorders(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text so Markdown shows it literally (and the characters that reorder text
/// visibly, as [`escape`] does). `&` is escaped too: `&#x202E;` in a title would otherwise
/// be turned by any renderer into the override it names, and `&lt;b&gt;` into a tag's text.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if crate::model::words::reorders(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
            continue;
        }
        if "\\`*_[]<>~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An address a page may link to: http(s) or mailto (None for anything else, such as
/// `javascript:`).
pub fn safe_url(link: &str) -> Option<&str> {
    let l = link.trim_start().to_ascii_lowercase();
    (l.starts_with("https://") || l.starts_with("http://") || l.starts_with("mailto:")).then_some(link)
}

/// A Markdown body as an HTML fragment, as every HTML export renders it: raw HTML in it is
/// shown as text, and links and images to anything but harmless addresses are dropped.
pub fn body_html(markdown: &str) -> String {
    body_html_with(markdown, &std::collections::HashMap::new())
}

/// [`body_html`], with the links and images that name a file beside the text (`photo.jpg`,
/// `./photo.jpg`) sent where that file is published (`files` maps the name to its address).
pub fn body_html_with(markdown: &str, files: &std::collections::HashMap<String, String>) -> String {
    let moved = |url: &str| files.get(url.strip_prefix("./").unwrap_or(url)).cloned();
    let events = parser(markdown).map(|e| match e {
        Event::Start(Tag::Image { link_type, dest_url, title, id }) if moved(&dest_url).is_some() => {
            let dest_url = moved(&dest_url).unwrap_or_default().into();
            Event::Start(Tag::Image { link_type, dest_url, title, id })
        }
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if moved(&dest_url).is_some() => {
            let dest_url = moved(&dest_url).unwrap_or_default().into();
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        e => e,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

/// A link only when it is an http(s) or mailto address.
fn safe_link(link: &Option<String>) -> Option<&str> {
    link.as_deref().filter(|l| l.starts_with("https://") || l.starts_with("http://") || l.starts_with("mailto:"))
}

pub fn markdown(d: &Document) -> String {
    let mut out = format!("# {}\n\n", md_escape(&d.title));
    if let Some(s) = &d.summary {
        out.push_str(&format!("*{}*\n\n", md_escape(s)));
    }
    if let Some(b) = &d.byline {
        out.push_str(&format!("{}\n\n", md_escape(b)));
    }
    out.push_str(&closed(d.body.trim_matches('\n')));
    out.push_str("\n\n---\n\n");
    Closing { escape: md_escape, link: safe_link, credit: list_item, around: MARKDOWN_AROUND }.write(&mut out, d);
    out
}

/// How an export format writes what follows the body: the credit block, the approval, the
/// notice and the signature, each text escaped and put between its (before, after).
struct Closing {
    escape: fn(&str) -> String,
    /// The link of a credit line the format may write.
    link: fn(&Option<String>) -> Option<&str>,
    /// One credit line, from its escaped text and its link.
    credit: fn(&str, Option<&str>) -> String,
    /// (before, after) the credit block, the approval, the notice and the signature.
    around: [(&'static str, &'static str); 4],
}

const MARKDOWN_AROUND: [(&str, &str); 4] = [("**Credits**\n\n", "\n"), ("", "\n\n"), ("*", "*\n\n"), ("**", "**\n")];
const HTML_AROUND: [(&str, &str); 4] = [
    ("<section class=\"credits\">\n<h2>Credits</h2>\n<ul>\n", "</ul>\n</section>\n"),
    ("<p class=\"approval\">", "</p>\n"),
    ("<p class=\"notice\">", "</p>\n"),
    ("<p class=\"signature\">", "</p>\n"),
];
const TEXT_AROUND: [(&str, &str); 4] = [("Credits\n", "\n"), ("", "\n\n"), ("", "\n\n"), ("", "\n")];

impl Closing {
    fn write(&self, out: &mut String, d: &Document) {
        let part = |out: &mut String, (before, after): (&str, &str), text: &str| {
            out.push_str(before);
            out.push_str(text);
            out.push_str(after);
        };
        let [credits, approval, notice, signature] = self.around;
        if !d.credits.is_empty() {
            let lines: String =
                d.credits.iter().map(|c| (self.credit)(&(self.escape)(&c.text), (self.link)(&c.link))).collect();
            part(out, credits, &lines);
        }
        if let Some(a) = &d.approval {
            part(out, approval, &(self.escape)(a));
        }
        part(out, notice, &(self.escape)(&d.notice));
        part(out, signature, &(self.escape)(&d.signature));
    }
}

/// The body with any block it leaves open (a code fence, an HTML comment) closed, so that
/// what follows it in a Markdown export (credits, notice, signature) stays visible.
fn closed(body: &str) -> String {
    const PROBE: &str = "tribune-end-of-body-probe";
    let mut body = body.to_string();
    for _ in 0..3 {
        let text = format!("{body}\n\n{PROBE}\n");
        let mut in_code = false;
        let mut visible = false;
        let mut in_html = false;
        for e in Parser::new_ext(&text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
            match e {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Text(t) if t.contains(PROBE) && in_code => {}
                Event::Text(t) if t.contains(PROBE) => visible = true,
                Event::Html(h) if h.contains(PROBE) => in_html = true,
                _ => {}
            }
        }
        if visible {
            return body;
        }
        if in_html {
            body.push_str("\n-->\n");
            continue;
        }
        // An unclosed fence: close it with the fence that opened it.
        let fence = body
            .lines()
            .rev()
            .map(str::trim_start)
            .find(|l| l.starts_with("```") || l.starts_with("~~~"))
            .map(|l| l.chars().take_while(|c| *c == '`' || *c == '~').collect::<String>())
            .unwrap_or_else(|| "```".to_string());
        body.push_str(&format!("\n{fence}"));
    }
    body
}

const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; max-width: 38em; margin: 2em auto; padding: 0 1em; line-height: 1.55; color: #111; background: #fff; }
h1 { font-size: 2.1em; line-height: 1.15; margin-bottom: 0.3em; }
.summary { font-size: 1.15em; font-style: italic; margin-top: 0; }
.byline { color: #444; font-size: 0.95em; }
blockquote { border-left: 3px solid #bbb; margin-left: 0; padding-left: 1em; color: #333; }
footer { border-top: 1px solid #999; margin-top: 2.5em; padding-top: 1em; font-size: 0.9em; }
footer h2 { font-size: 1em; margin: 0 0 0.3em; }
footer ul { padding-left: 1.2em; margin-top: 0; }
.notice { font-style: italic; }
.approval { font-weight: bold; }
.signature { font-weight: bold; font-size: 1.1em; margin-top: 1.2em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  footer a[href]::after { content: ' (' attr(href) ')'; font-size: 0.9em; }
  footer, .signature { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
";

pub fn html(d: &Document) -> String {
    let body = body_html(&d.body);
    let mut out = format!("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n", escape(&d.lang));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    out.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<article>\n<header>\n",
        escape(&d.title)
    ));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&d.title)));
    if let Some(s) = &d.summary {
        out.push_str(&format!("<p class=\"summary\">{}</p>\n", escape(s)));
    }
    if let Some(b) = &d.byline {
        out.push_str(&format!("<p class=\"byline\">{}</p>\n", escape(b)));
    }
    out.push_str("</header>\n");
    out.push_str(&body);
    out.push_str("<footer>\n");
    let credit: fn(&str, Option<&str>) -> String = |text, link| match link {
        Some(l) => format!("<li>{text} <a href=\"{}\">{}</a></li>\n", escape(l), escape(l)),
        None => format!("<li>{text}</li>\n"),
    };
    Closing { escape, link: safe_link, credit, around: HTML_AROUND }.write(&mut out, d);
    out.push_str("</footer>\n</article>\n</body>\n</html>\n");
    out
}

/// Plain text: the Markdown read by pulldown-cmark, its markup dropped, links written out.
pub fn text(d: &Document) -> String {
    let mut out = format!("{}\n{}\n\n", d.title, "=".repeat(d.title.chars().count().min(78)));
    if let Some(s) = &d.summary {
        out.push_str(&format!("{s}\n\n"));
    }
    if let Some(b) = &d.byline {
        out.push_str(&format!("{b}\n\n"));
    }
    out.push_str(plain(&d.body).trim_end());
    out.push_str("\n\n----\n\n");
    Closing { escape: str::to_string, link: any_link, credit: list_item, around: TEXT_AROUND }.write(&mut out, d);
    out
}

/// "- TEXT <LINK>": a credit line in Markdown and in plain text.
fn list_item(text: &str, link: Option<&str>) -> String {
    match link {
        Some(l) => format!("- {text} <{l}>\n"),
        None => format!("- {text}\n"),
    }
}

/// Any link: plain text writes every one out, as text.
fn any_link(link: &Option<String>) -> Option<&str> {
    link.as_deref()
}

/// Markdown as plain text: paragraphs, "- " list items, "> " quotes, links as "text <url>".
pub fn plain(markdown: &str) -> String {
    let mut out = String::new();
    let mut quote = 0usize;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    // In a list item: has it shown text yet (a later paragraph starts a new line)?
    let mut item_has_text = false;
    let mut first_cell = true;
    let start_line = |out: &mut String, quote: usize| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&"> ".repeat(quote));
    };
    for event in parser(markdown) {
        match event {
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { .. }) if lists.is_empty() => {
                start_line(&mut out, quote)
            }
            Event::Start(Tag::Paragraph) if item_has_text => {
                start_line(&mut out, quote);
                out.push('\n');
                out.push_str(&"  ".repeat(lists.len()));
            }
            Event::Start(Tag::Table(_)) => start_line(&mut out, quote),
            Event::End(TagEnd::Table) => out.push('\n'),
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => first_cell = true,
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => {
                out.push('\n');
                out.push_str(&"> ".repeat(quote));
            }
            Event::Start(Tag::TableCell) => {
                if !first_cell {
                    out.push_str(" | ");
                }
                first_cell = false;
            }
            Event::Start(Tag::Image { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Image) => {
                if let Some(url) = links.pop().filter(|u| !u.is_empty()) {
                    out.push_str(&format!(" <{url}>"));
                }
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) if lists.is_empty() => {
                out.push('\n');
                out.push_str("> ".repeat(quote).trim_end());
                out.push('\n');
            }
            Event::Start(Tag::BlockQuote(_)) => quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                item_has_text = false;
                start_line(&mut out, quote);
                out.push_str(&"  ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = links.pop().filter(|u| !u.is_empty()) {
                    out.push_str(&format!(" <{url}>"));
                }
            }
            Event::Start(Tag::CodeBlock(_)) => start_line(&mut out, quote),
            Event::Text(t) | Event::Code(t) => {
                item_has_text = !lists.is_empty();
                out.push_str(&t);
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => {
                out.push('\n');
                out.push_str(&"> ".repeat(quote));
            }
            Event::Rule => {
                start_line(&mut out, quote);
                out.push_str("----\n\n");
            }
            _ => {}
        }
    }
    out
}

/// "two-thirds", "three-quarters", "more than half", "all", else "p/q".
pub fn threshold_words(p: u64, q: u64) -> String {
    match (p, q) {
        (2, 3) => "two-thirds".into(),
        (3, 4) => "three-quarters".into(),
        (1, 2) => "more than half".into(),
        (3, 5) => "three-fifths".into(),
        (p, q) if p == q => "all".into(),
        (p, q) => format!("{p}/{q}"),
    }
}

/// The language an export declares: the text's own `lang` (or `language`) when it is a
/// well-formed tag, else the commons' `lang` in tribune.toml, else English.
pub fn language(text_lang: Option<&str>, commons_lang: Option<&str>) -> String {
    [text_lang, commons_lang]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|t| is_language_tag(t))
        .unwrap_or("en")
        .to_string()
}

/// A BCP 47 tag in its usual shape: subtags of 1 to 8 ASCII letters or digits joined by
/// `-`, the first of 2 to 8 letters (`en`, `fr-CA`, `zh-Hant-TW`, `sr-Latn`). Anything else
/// is not declared: it would be wrong in a page's `lang`.
pub fn is_language_tag(t: &str) -> bool {
    let mut parts = t.split('-');
    let first_ok =
        parts.next().is_some_and(|f| (2..=8).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests;
