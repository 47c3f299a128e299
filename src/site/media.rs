//! What an article's page shows beside a text: the files stored beside it (the trunk's
//! under `files/<name>`, each rival version's under `files/<version>/<name>`, so that no two
//! versions' files collide), and its `[[media]]` kept elsewhere, by URL and SHA-256, as
//! links (never embedded, and a link only to an http(s) address).

use super::collect::clean;
use crate::git::{Oid, Repo};
use crate::model::article::Article;
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
pub struct AttachmentCtx {
    pub name: String,
    /// Relative to the page.
    pub href: String,
    /// `image`, `video` or `file`.
    pub kind: &'static str,
    pub caption: String,
}

/// A `[[media]]` entry kept elsewhere.
#[derive(Serialize)]
pub struct MediaCtx {
    /// image, video, audio or document, as the entry says.
    pub kind: String,
    pub caption: String,
    pub credit: String,
    /// The address, when it is http(s) (anything else is shown as text: `url_text`).
    pub href: Option<String>,
    pub url_text: String,
    pub sha256: String,
    /// "12.3 KB", when the entry gives a size.
    pub size: String,
}

/// The files of one version, to show and to copy.
#[derive(Default)]
pub struct Files {
    /// (the path in the site, the blob).
    pub copies: Vec<(String, Oid)>,
    pub shown: Vec<AttachmentCtx>,
    /// Each file's name beside the text → its address from the page (for the body's links).
    pub moved: HashMap<String, String>,
}

/// The `n`th file of one cleaned name: `a-b.png` → `a-b-2.png`.
pub fn numbered(clean: &str, n: usize) -> String {
    match clean.split_once('.') {
        Some((stem, ext)) => format!("{stem}-{n}.{ext}"),
        None => format!("{clean}-{n}"),
    }
}

/// A name from a tree as a file name a web server serves harmlessly: letters, digits, `.`,
/// `-` and `_`, not starting with a dot, and (so that an `.html` or `.svg` file cannot run
/// script on the site) with `.txt` appended unless its type is one a browser shows inertly.
pub fn safe_file_name(name: &str) -> String {
    let mut s: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '-' }).collect();
    if s.is_empty() || s.starts_with('.') {
        s = format!("file{s}");
    }
    if kind_of(&s) == "file" && !matches!(extension(&s).as_str(), "pdf" | "txt" | "csv" | "odt" | "docx" | "epub") {
        s.push_str(".txt");
    }
    s
}

fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

pub fn kind_of(name: &str) -> &'static str {
    match extension(name).as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" => "image",
        "mp4" | "webm" | "ogv" | "m4v" => "video",
        _ => "file",
    }
}

/// The files beside the text in the directory `dir` of `tree` (a version's), published
/// under `<page_dir>/<under>` (`files/` for the trunk's, `files/<version>/` for a rival's),
/// each captioned by its `[[media]]` entry in `article`, else by its name.
pub fn files(
    repo: &Repo,
    tree: Oid,
    dir: &str,
    article: Option<&Article>,
    page_dir: &str,
    under: &str,
) -> Result<Files> {
    let mut out = Files::default();
    let mut taken = std::collections::HashSet::new();
    for e in repo.list_dir(tree, dir)?.into_iter().filter(|e| !e.is_tree && e.name != "index.md") {
        // Two names made the same by the cleaning (`a b.png`, `a-b.png`) stay two files:
        // the later one in the tree's order numbered (`a-b-2.png`), whatever the build.
        let mut name = safe_file_name(&e.name);
        let mut n = 1;
        while !taken.insert(name.clone()) {
            n += 1;
            name = numbered(&safe_file_name(&e.name), n);
        }
        let href = format!("{under}{name}");
        out.copies.push((format!("{page_dir}/{href}"), e.id));
        out.moved.insert(e.name.clone(), href.clone());
        let media = article.and_then(|a| a.media.iter().find(|m| m.file.as_deref() == Some(e.name.as_str())));
        let caption = match media {
            Some(m) => {
                let mut c = m.caption.clone().unwrap_or_else(|| e.name.clone());
                if let Some(credit) = &m.credit {
                    c.push_str(&format!(" ({credit})"));
                }
                clean(&c)
            }
            None => clean(&e.name),
        };
        out.shown.push(AttachmentCtx { href, kind: kind_of(&name), name: clean(&e.name), caption });
    }
    Ok(out)
}

/// The `[[media]]` entries of `article` kept elsewhere (by URL). Only an http(s) address
/// becomes a link; nothing is embedded, whatever its kind.
pub fn elsewhere(article: Option<&Article>) -> Vec<MediaCtx> {
    let Some(a) = article else { return Vec::new() };
    a.media
        .iter()
        .filter_map(|m| {
            let url = m.url.as_deref()?;
            let lower = url.trim_start().to_ascii_lowercase();
            let web = (lower.starts_with("https://") || lower.starts_with("http://"))
                && !url.contains(|c: char| c.is_whitespace() || c.is_control() || "<>\"'`\\".contains(c));
            Some(MediaCtx {
                kind: clean(&m.kind),
                caption: clean(m.caption.as_deref().unwrap_or_default()),
                credit: clean(m.credit.as_deref().unwrap_or_default()),
                href: web.then(|| clean(url)),
                url_text: clean(url),
                sha256: clean(m.sha256.as_deref().unwrap_or_default()),
                size: m.size.map(crate::model::words::bytes).unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_are_safe_file_names_and_pages_are_served_as_text() {
        assert_eq!(safe_file_name("photo 1.JPG"), "photo-1.JPG");
        assert_eq!(safe_file_name("../../etc/passwd"), "file..-..-etc-passwd.txt");
        assert_eq!(safe_file_name(".htaccess"), "file.htaccess.txt");
        assert_eq!(safe_file_name("x.html"), "x.html.txt");
        assert_eq!(safe_file_name("logo.svg"), "logo.svg.txt");
        assert_eq!(safe_file_name("report.pdf"), "report.pdf");
        assert_eq!(kind_of("clip.webm"), "video");
        assert_eq!(kind_of("a.png"), "image");
    }

    /// Names the cleaning makes the same stay two files, the later in the tree's order
    /// numbered, and a body's links follow each to its own.
    #[test]
    fn names_made_the_same_stay_two_files() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(dir.path(), "main").unwrap();
        let edits: Vec<crate::git::Edit> = ["a b.png", "a-b.png", "x.html", "x.html.txt", "index.md"]
            .iter()
            .map(|n| crate::git::Edit::Put { path: format!("d/{n}"), blob: repo.write_blob(n.as_bytes()).unwrap() })
            .collect();
        let tree = repo.edit_tree(None, &edits).unwrap();
        let files = files(&repo, tree, "d", None, "articles/s", "files/").unwrap();
        let names: Vec<&str> = files.copies.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "articles/s/files/a-b.png",
                "articles/s/files/a-b-2.png",
                "articles/s/files/x.html.txt",
                "articles/s/files/x-2.html.txt"
            ]
        );
        assert_eq!(files.moved["a b.png"], "files/a-b.png");
        assert_eq!(files.moved["a-b.png"], "files/a-b-2.png");
        let distinct: std::collections::HashSet<_> = files.copies.iter().map(|(_, id)| *id).collect();
        assert_eq!(distinct.len(), 4);
    }

    #[test]
    fn only_an_http_address_becomes_a_link() {
        let medium = |url: &str| crate::model::media::Media {
            file: None,
            url: Some(url.into()),
            sha256: Some("a".repeat(64)),
            size: Some(12345),
            kind: "video".into(),
            caption: Some("Clip".into()),
            credit: None,
        };
        let mut a = Article::parse(
            "x",
            "+++\ntitle = \"T\"\nauthors = [\"A\"]\ncontingent = \"abc\"\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\n+++\nText.\n",
        )
        .unwrap();
        a.media = vec![medium("https://v.example.org/a.mp4"), medium("javascript:alert(1)"), medium("JaVaScRiPt:x")];
        let got = elsewhere(Some(&a));
        assert_eq!(got[0].href.as_deref(), Some("https://v.example.org/a.mp4"));
        assert_eq!(got[0].size, "12.3 KB");
        assert!(got[1].href.is_none() && got[2].href.is_none());
        assert_eq!(got[1].url_text, "javascript:alert(1)");
    }
}
