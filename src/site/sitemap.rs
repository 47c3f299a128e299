//! The sitemap (with --base-url only: it holds absolute addresses).

use super::lists::{self, Planned};
use std::collections::BTreeMap;

/// Sitemap files hold at most this many addresses (the protocol's limit).
const SITEMAP_CHUNK: usize = 50_000;

/// `YYYY-MM-DD`.
fn is_day(d: &str) -> bool {
    d.len() == 10 && d.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

/// sitemap.xml: every page's address (articles oldest first, so that a new one changes
/// only the last file); past 50,000 addresses, an index of sitemaps/<n>.xml.
pub fn sitemap(
    base: &str,
    items: &[lists::Item],
    paths: &[String],
    known: Option<&BTreeMap<String, String>>,
) -> Vec<Planned> {
    #[derive(serde::Serialize)]
    struct Url {
        loc: String,
        lastmod: String,
    }
    let dir_of = |p: &str| p.strip_suffix("index.html").map(str::to_string).unwrap_or_else(|| p.to_string());
    let mut urls: Vec<Url> = paths
        .iter()
        .filter(|p| p.ends_with(".html"))
        .map(|p| Url { loc: format!("{base}{}", dir_of(p)), lastmod: String::new() })
        .collect();
    urls.extend(items.iter().rev().map(|i| Url {
        loc: format!("{base}articles/{}/", i.slug),
        // The article's own day, when it is one (the sitemap's format).
        lastmod: if is_day(&i.date) { i.date.clone() } else { String::new() },
    }));
    // Each file's digest is its addresses': a file whose digest is the last build's is not
    // made again.
    let plan = |path: String, urls: &[Url], index: &[String]| {
        let mut h = sha1_smol::Sha1::new();
        for u in urls {
            h.update(u.loc.as_bytes());
            h.update(b" ");
            h.update(u.lastmod.as_bytes());
            h.update(b"\n");
        }
        for i in index {
            h.update(i.as_bytes());
            h.update(b"\n");
        }
        let input = h.digest().to_string();
        let ctx = if known.and_then(|k| k.get(&path)) == Some(&input) {
            minijinja::Value::UNDEFINED
        } else if index.is_empty() {
            minijinja::context! { urls => urls }
        } else {
            minijinja::context! { index => index }
        };
        Planned { path, template: "sitemap.xml", input: Some(input), ctx }
    };
    if urls.len() <= SITEMAP_CHUNK {
        return vec![plan("sitemap.xml".into(), &urls, &[])];
    }
    let mut out = Vec::new();
    let mut index = Vec::new();
    for (n, chunk) in urls.chunks(SITEMAP_CHUNK).enumerate() {
        let path = format!("sitemaps/{}.xml", n + 1);
        index.push(format!("{base}{path}"));
        out.push(plan(path, chunk, &[]));
    }
    out.push(plan("sitemap.xml".into(), &[], &index));
    out
}
