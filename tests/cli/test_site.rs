//! `tribune site build`: the public static site, its feeds and templates, built atomically
//! and incrementally, with nothing from the data live in any page.

use crate::harness::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `tribune demo DIR` in a new sandbox; returns (env, DIR).
fn demo() -> (Env, String) {
    let env = Env::new();
    let d = env.path("demo").to_string_lossy().into_owned();
    env.tribune(&["demo", &d]).ok();
    (env, d)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every element of a page (name, attributes unescaped); panics when it is not well-formed.
fn elements(text: &str, what: &Path) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = Vec::new();
    let mut depth = 0i32;
    loop {
        let e = match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                e
            }
            Ok(quick_xml::events::Event::Empty(e)) => e,
            Ok(quick_xml::events::Event::End(_)) => {
                depth -= 1;
                continue;
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                t.unescape().unwrap_or_else(|e| panic!("{}: bad entity: {e}", what.display()));
                continue;
            }
            Ok(_) => continue,
            Err(e) => panic!("{} is not well-formed at {}: {e}\n{text}", what.display(), reader.buffer_position()),
        };
        let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let attrs = e
            .attributes()
            .map(|a| {
                let a = a.unwrap_or_else(|e| panic!("{}: bad attribute: {e}", what.display()));
                let v = a.unescape_value().unwrap_or_else(|e| panic!("{}: bad entity: {e}", what.display()));
                (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), v.into_owned())
            })
            .collect();
        out.push((name, attrs));
    }
    assert_eq!(depth, 0, "{}: unclosed elements", what.display());
    out
}

/// Checks every page and feed of the site: well-formed, no script, no event handler, no
/// dangerous link, and every internal href/src resolves to a file. Returns the pages read.
pub(crate) fn crawl(site: &Path) -> BTreeMap<String, String> {
    let mut pages = BTreeMap::new();
    for f in files(site) {
        let rel = f.strip_prefix(site).unwrap().to_string_lossy().into_owned();
        let is_page = rel.ends_with(".html") && !rel.contains("/files/");
        if !(is_page || rel.ends_with(".xml")) {
            continue;
        }
        let text = read(&f);
        for (name, attrs) in elements(&text, &f) {
            assert_ne!(name.to_ascii_lowercase(), "script", "{rel}: a live script element");
            for (k, v) in attrs {
                let k = k.to_ascii_lowercase();
                assert!(!k.starts_with("on"), "{rel}: a live event handler {k}={v:?}");
                let lower: String = v.trim().to_ascii_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
                if k == "href" || k == "src" {
                    assert!(
                        !lower.starts_with("javascript:")
                            && !lower.starts_with("data:")
                            && !lower.starts_with("vbscript:"),
                        "{rel}: a dangerous link {k}={v:?}"
                    );
                    let internal = !v.contains(':') && !v.starts_with('#') && !v.is_empty();
                    if internal && (is_page || rel.ends_with("feed.xml")) {
                        let target = v.split('#').next().unwrap();
                        let mut p = f.parent().unwrap().join(target);
                        if target.ends_with('/') {
                            p = p.join("index.html");
                        }
                        assert!(p.exists(), "{rel}: the link {v:?} leads nowhere ({})", p.display());
                    }
                }
            }
        }
        pages.insert(rel, text);
    }
    pages
}

/// Every feed parses as Atom, with a title, an id and dated entries.
pub(crate) fn check_feeds(pages: &BTreeMap<String, String>) -> usize {
    let mut n = 0;
    for (rel, text) in pages.iter().filter(|(p, _)| p.ends_with("feed.xml")) {
        let feed = feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{rel} is not a feed: {e}"));
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom, "{rel}");
        assert!(feed.title.is_some() && !feed.id.is_empty(), "{rel}");
        for e in &feed.entries {
            assert!(e.title.is_some() && e.updated.is_some() && !e.links.is_empty(), "{rel}: {e:?}");
        }
        n += 1;
    }
    n
}

#[test]
fn the_demo_site_shows_articles_rival_versions_contingents_and_verified_statements() {
    let (env, d) = demo();
    let out = env.path("public");
    let o = out.to_string_lossy().into_owned();
    let r = env.tribune(&["-C", &d, "site", "build", &o, "--base-url", "https://news.example.org"]).ok();
    assert!(r.stdout.contains("(full)"), "{}", r.stdout);
    let pages = crawl(&out);
    assert!(check_feeds(&pages) >= 2, "the front page's feed and a filter's");
    let index = &pages["index.html"];
    assert!(index.contains("Warehouse workers shut down line 3 over heat"), "{index}");
    assert!(index.contains("<meta name=\"description\""), "{index}");
    assert!(index.contains("rel=\"canonical\""), "{index}");
    let art = &pages["articles/warehouse-workers-shut-down-line-3-over-heat/index.html"];
    for needle in ["Rival versions (1)", "Red Line Press", "stale", "<del>", "<ins>", "Credits", "Rank-and-File Caucus"]
    {
        assert!(art.contains(needle), "the article page lacks {needle:?}:\n{art}");
    }
    assert!(art.contains("The Rank-and-File Caucus contingent of Mass Organization XYZ"), "the signature");
    assert!(art.contains("<td>politics</td>"), "ratings by dimension");
    // The approved statement carries the badge and the organisation's signature; an open one the count.
    let approved = &pages["statements/solidarity-with-the-tenants-of-400-willowmere/index.html"];
    assert!(approved.contains("class=\"verified\""), "{approved}");
    assert!(approved.contains("<p class=\"signature\">Mass Organization XYZ</p>"), "{approved}");
    assert!(approved.contains("Approved by"), "{approved}");
    let open = &pages["statements/for-a-citywide-heat-standard-at-work/index.html"];
    assert!(!open.contains("class=\"verified\""), "{open}");
    assert!(pages["statements/index.html"].contains("For a citywide heat standard"), "the list of statements");
    let contingent = &pages["contingents/redline/index.html"];
    assert!(contingent.contains("Rewrites (") && contingent.contains("Challenges"), "{contingent}");
    assert!(pages.contains_key("sitemap.xml") && pages["sitemap.xml"].contains("https://news.example.org/articles/"));
    assert!(
        pages.keys().any(|p| p.starts_with("filters/") && p.ends_with("index.html")),
        "a shared filter's front page"
    );
    assert!(out.join("style.css").exists() && out.join(".tribune-site.json").exists());
    // A front page and a feed per channel, named in every page's navigation: the caucus's
    // newsletter lists its picks, Redline's site channel (fed by a filter) its edition's.
    let shop = &pages["channels/rfc/shop-floor/index.html"];
    assert!(shop.contains("Shop Floor News (Rank-and-File Caucus)"), "{shop}");
    let picks = env.tribune(&["-C", &d, "channel", "show", "shop-floor", "--json"]).ok().json();
    let (picked, version) =
        (picks["picks"][0]["slug"].as_str().unwrap(), picks["picks"][0]["version"].as_str().unwrap());
    // Each pick links the version pinned, on a page of its own that links the article's.
    assert!(shop.contains(&format!("v/{version}/index.html")), "{shop}");
    let pinned = &pages[&format!("channels/rfc/shop-floor/v/{version}/index.html")];
    assert!(pinned.contains(&format!("articles/{picked}/index.html")) && pinned.contains("Picked by"), "{pinned}");
    assert!(
        pages.contains_key("channels/rfc/shop-floor/feed.xml") && pages.contains_key("channels/redline/site/feed.xml")
    );
    assert!(pages["channels/redline/site/index.html"].contains("v/"), "the site channel lists its edition's versions");
    assert!(index.contains("channels/rfc/shop-floor/index.html"), "the navigation names the channel");
    assert!(pages["channels/@rlopez/reading/index.html"].contains("Rosa&#39;s reading list (Rosa Lopez)"));
    // Built again with nothing new: nothing written, the sitemap included.
    let j =
        env.tribune(&["-C", &d, "site", "build", &o, "--base-url", "https://news.example.org", "--json"]).ok().json();
    assert_eq!(j["mode"], "incremental");
    assert_eq!(j["written"].as_array().unwrap().len(), 0, "{j}");
    // Without a base URL: no absolute links, no sitemap, and every link still resolves.
    let plain = env.path("plain");
    env.tribune(&["-C", &d, "site", "build", &plain.to_string_lossy()]).ok();
    let pages = crawl(&plain);
    assert!(!pages.contains_key("sitemap.xml"));
    assert!(!pages["index.html"].contains("canonical"));
    check_feeds(&pages);
}

#[test]
fn hostile_titles_authors_bodies_names_and_attachments_are_inert_in_every_page_and_feed() {
    let (env, c) = commons();
    env.tribune(&["-C", &c, "roster", "add-contingent", "evil", "--name", "<script>alert('name')</script>"]).ok();
    let title = "<script>alert(1)</script> & <b>bold</b>";
    let text = format!(
        "+++\ntitle = \"{title}\"\nauthors = [\"<img src=x onerror=alert(2)>\"]\ncontingent = \"evil\"\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\nsummary = \"<a href='javascript:alert(7)'>s</a>\"\n+++\nHello <script>alert(3)</script>\n\n[click](javascript:alert(4)) <a href=\"javascript:alert(5)\">x</a> ![i](javascript:alert(6))\n\n<iframe src=\"javascript:alert(8)\"></iframe>\n"
    );
    let f = env.write("evil.md", &text);
    let attach = env.write("page.html", "<script>alert('attachment')</script>");
    let photo = env.write("picket-line.png", b"\x89PNG\r\n\x1a\n not really");
    let clip = env.write("march.webm", b"webm");
    env.tribune(&[
        "-C",
        &c,
        "contribute",
        &f,
        "--slug",
        "evil",
        "--attach",
        &attach,
        "--attach",
        &photo,
        "--attach",
        &clip,
    ])
    .ok();
    env.tribune(&[
        "-C",
        &c,
        "challenge",
        "--to",
        "evil",
        "--from",
        "xyz",
        "--about",
        "evil",
        "-m",
        "<script>alert('challenge')</script> [x](javascript:alert(9))",
    ])
    .ok();
    let out = env.path("site");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy(), "--base-url", "https://x.example/"]).ok();
    let pages = crawl(&out);
    check_feeds(&pages);
    let page = &pages["articles/evil/index.html"];
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title as text:\n{page}");
    assert!(page.contains("&lt;script&gt;alert(3)"), "the body's script as text:\n{page}");
    assert!(pages["contingents/evil/index.html"].contains("&lt;script&gt;alert(&#39;name&#39;)"));
    for (rel, text) in &pages {
        assert!(!text.contains("<script"), "{rel} holds a script tag");
        assert!(!text.to_ascii_lowercase().contains("<a href=\"javascript"), "{rel}");
        assert!(!text.contains("<b>bold"), "{rel}: markup from a title is live");
    }
    // Images in figures with their caption, videos in a video element, copied beside the page.
    assert!(page.contains("<img src=\"files/picket-line.png\" alt=\"picket-line.png\" />"), "{page}");
    assert!(page.contains("<figcaption>picket-line.png</figcaption>"), "{page}");
    assert!(page.contains("<video controls=\"controls\" preload=\"metadata\" src=\"files/march.webm\">"), "{page}");
    assert_eq!(
        std::fs::read(out.join("articles/evil/files/picket-line.png")).unwrap(),
        b"\x89PNG\r\n\x1a\n not really"
    );
    // The attachment is served as text, never as a page of the site.
    assert!(out.join("articles/evil/files/page.html.txt").exists());
    assert!(!out.join("articles/evil/files/page.html").exists());
}

/// `--json` of a build: (mode, written, unchanged).
fn build_json(env: &Env, c: &str, out: &str) -> (String, Vec<String>, u64) {
    let j = env.tribune(&["-C", c, "site", "build", out, "--json"]).ok().json();
    let written = j["written"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    (j["mode"].as_str().unwrap().to_string(), written, j["unchanged"].as_u64().unwrap())
}

#[cfg(unix)]
fn inode(p: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).unwrap().ino()
}

#[test]
#[cfg(unix)]
fn a_rebuild_after_one_contribution_rewrites_only_the_pages_it_changes() {
    let (env, d) = demo();
    let out = env.path("public");
    let o = out.to_string_lossy().into_owned();
    let (mode, first, _) = build_json(&env, &d, &o);
    assert_eq!(mode, "full");
    assert!(first.len() > 20);
    let other = out.join("articles/warehouse-workers-shut-down-line-3-over-heat/index.html");
    let before = inode(&other);
    // Nothing changed: nothing is written.
    let (mode, again, unchanged) = build_json(&env, &d, &o);
    assert_eq!(mode, "incremental");
    assert!(again.is_empty(), "{again:?}");
    assert!(unchanged > 5, "the list pages are built again and found unchanged");
    // One new article by the Red Line Press.
    let text = article("Night shift organises", "redline", "", "The night shift met.\n");
    let f = env.write("night.md", &text);
    // Signed by a member of the Red Line Press, as the demo's founded commons asks.
    env.tribune(&[
        "-C",
        &d,
        "contribute",
        &f,
        "--slug",
        "night-shift",
        "--key",
        &format!("{d}/tribune/demo-keys/jmunoz"),
    ])
    .ok();
    let (mode, written, _) = build_json(&env, &d, &o);
    assert_eq!(mode, "incremental");
    assert!(written.contains(&"articles/night-shift/index.html".to_string()), "{written:?}");
    assert!(written.contains(&"index.html".to_string()) && written.contains(&"feed.xml".to_string()), "{written:?}");
    assert!(written.contains(&"contingents/redline/index.html".to_string()), "{written:?}");
    assert!(
        !written.iter().any(|p| p.starts_with("articles/") && !p.starts_with("articles/night-shift/")),
        "no other article page is written: {written:?}"
    );
    assert!(written.len() < 12, "{written:?}");
    assert_eq!(inode(&other), before, "an unchanged page is left as it was");
    let pages = crawl(&out);
    assert!(pages["index.html"].contains("Night shift organises"));
    // A rating by a reader with no key: only the page of the article rated changes.
    let rated = "articles/eastgate-families-hold-vigil-for-yard-safety/index.html";
    let before = read(&out.join(rated));
    env.tribune(&[
        "-C",
        &d,
        "rate",
        "eastgate-families-hold-vigil-for-yard-safety",
        "--score",
        "2",
        "--as",
        "reader-one",
    ])
    .ok();
    let (_, written, _) = build_json(&env, &d, &o);
    assert_eq!(written, vec![rated.to_string()], "only the rated article's page");
    assert_ne!(read(&out.join(rated)), before);
    // A ballot: only the statement's pages are counted again.
    let key = format!("{d}/tribune/demo-keys/tnguyen");
    env.tribune(&["-C", &d, "vote", "for-a-citywide-heat-standard-at-work", "yes", "--as", "tnguyen", "--key", &key])
        .ok();
    let (_, written, _) = build_json(&env, &d, &o);
    let statement = "statements/for-a-citywide-heat-standard-at-work/index.html";
    assert_eq!(written, vec![statement.to_string(), "statements/index.html".to_string()]);
    assert!(read(&out.join(statement)).contains("Voting is open: 3 yes, 1 no"), "{}", read(&out.join(statement)));
    // A pick on the caucus's newsletter: only the channel's pages (front, archive) and feed.
    let key = format!("{d}/tribune/demo-keys/rlopez");
    env.tribune(&["-C", &d, "channel", "pick", "shop-floor", "night-shift", "--key", &key]).ok();
    let (_, mut written, _) = build_json(&env, &d, &o);
    written.sort();
    let picks = env.tribune(&["-C", &d, "channel", "show", "shop-floor", "--json"]).ok().json();
    let pick = picks["picks"].as_array().unwrap().iter().find(|p| p["slug"] == "night-shift").unwrap().clone();
    let pinned = format!("v/{}/index.html", pick["version"].as_str().unwrap());
    let channel = ["feed.xml", "index.html", "page/1.html", &pinned].map(|p| format!("channels/rfc/shop-floor/{p}"));
    assert_eq!(written, channel);
    assert!(read(&out.join("channels/rfc/shop-floor/index.html")).contains("Night shift organises"));

    assert!(!files(&out).iter().any(|p| p.to_string_lossy().contains("staging")), "no staging left in OUT");
}

#[test]
fn a_missing_or_broken_template_or_an_out_that_is_not_a_site_is_refused_and_nothing_written() {
    let (env, c) = commons();
    env.contribute(&c, "a", &article("A", "abc", "", "Text.\n")).ok();
    let out = env.path("site");
    let o = out.to_string_lossy().into_owned();
    // A templates directory that is not there.
    env.tribune(&["-C", &c, "site", "build", &o, "--templates", "/nonexistent-templates"])
        .fails(1, "/nonexistent-templates does not exist");
    assert!(!out.exists());
    // A syntax error: the file and the line.
    let t = env.empty_dir("t");
    std::fs::write(
        format!("{t}/article.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n{{ article.title \n{% endblock %}\n",
    )
    .unwrap();
    let r = env.tribune(&["-C", &c, "site", "build", &o, "--templates", &t]).fails(1, "article.html");
    assert!(r.stderr.contains(&format!("{t}/article.html")) && r.stderr.contains(", line "), "{}", r.stderr);
    assert!(!out.exists());
    // A template that names one that exists nowhere.
    std::fs::write(format!("{t}/article.html"), "{% extends \"nope.html\" %}\n").unwrap();
    env.tribune(&["-C", &c, "site", "build", &o, "--templates", &t]).fails(1, "nope.html");
    assert!(!out.exists());
    // An error while rendering: the template is named, nothing is written.
    std::fs::write(format!("{t}/article.html"), "{{ undefined_function() }}\n").unwrap();
    env.tribune(&["-C", &c, "site", "build", &o, "--templates", &t]).fails(1, "article.html");
    assert!(!out.exists());
    // OUT a file; OUT a directory that is not a site.
    let file = env.write("file.txt", "keep me");
    env.tribune(&["-C", &c, "site", "build", &file]).fails(1, "is not a directory");
    assert_eq!(read(Path::new(&file)), "keep me");
    let other = env.empty_dir("other");
    std::fs::write(format!("{other}/mine.txt"), "mine").unwrap();
    env.tribune(&["-C", &c, "site", "build", &other]).fails(1, "is not a tribune site");
    assert_eq!(files(Path::new(&other)).len(), 1);
    env.tribune(&["-C", &c, "site", "build", &o, "--base-url", "javascript:alert(1)"])
        .fails(2, "not an http(s) address");
    // A good override is used, and a site built with it can be built again with the defaults.
    std::fs::write(
        format!("{t}/article.html"),
        "{% extends \"base.html\" %}{% block main %}<p class=\"mine\">{{ article.title }}</p>{% endblock %}",
    )
    .unwrap();
    env.tribune(&["-C", &c, "site", "build", &o, "--templates", &t]).ok();
    assert!(read(&out.join("articles/a/index.html")).contains("<p class=\"mine\">A</p>"));
    let (mode, written, _) = build_json(&env, &c, &o);
    assert_eq!(mode, "full", "other templates: every page again");
    assert!(written.contains(&"articles/a/index.html".to_string()));
    assert!(!read(&out.join("articles/a/index.html")).contains("mine"));
}

#[test]
fn site_templates_writes_the_defaults_and_never_replaces_a_file() {
    let (env, c) = commons();
    let t = env.path("tpl").to_string_lossy().into_owned();
    let r = env.tribune(&["-C", &c, "site", "templates", &t]).ok();
    assert!(r.stdout.contains("article.html"), "{}", r.stdout);
    for name in ["base.html", "article.html", "front.html", "feed.xml", "style.css", "statement.html"] {
        assert!(Path::new(&t).join(name).exists(), "{name}");
    }
    std::fs::write(format!("{t}/style.css"), "body { color: red; }").unwrap();
    let r = env.tribune(&["-C", &c, "site", "templates", &t]).ok();
    assert!(r.stdout.contains("Wrote nothing") && r.stdout.contains("style.css"), "{}", r.stdout);
    assert_eq!(read(&Path::new(&t).join("style.css")), "body { color: red; }");
    let out = env.path("site");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy(), "--templates", &t]).ok();
    assert_eq!(read(&out.join("style.css")), "body { color: red; }");
}

/// What is in OUT besides the site stays safe: a manifest naming paths out of OUT is not
/// believed (a rebuild would have removed files anywhere), a whole build refuses to lose the
/// user's own files (`.git`, `CNAME`), and no write goes through a symbolic link in OUT.
#[test]
#[cfg(unix)]
fn a_rebuild_never_writes_or_removes_outside_the_site() {
    let (env, d) = demo();
    let out = env.path("public");
    let o = out.to_string_lossy().into_owned();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    let victim = env.path("victim");
    std::fs::create_dir_all(&victim).unwrap();
    std::fs::write(victim.join("precious"), "mine").unwrap();
    // A forged manifest.
    let manifest = out.join(".tribune-site.json");
    let kept = read(&manifest);
    let mut m: serde_json::Value = serde_json::from_str(&kept).unwrap();
    m["pages"]["../victim/precious"] = serde_json::json!("0");
    std::fs::write(&manifest, m.to_string()).unwrap();
    env.tribune(&["-C", &d, "site", "build", &o]).fails(1, "names \"../victim/precious\", which is no file of a site");
    assert_eq!(read(&victim.join("precious")), "mine");
    std::fs::write(&manifest, &kept).unwrap();
    // The user's own files in OUT: a whole build refuses to lose them; an incremental one keeps them.
    std::fs::write(out.join("CNAME"), "news.example.org").unwrap();
    env.tribune(&["-C", &d, "site", "build", &o, "--full"]).fails(1, "holds files the site did not write (CNAME)");
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    assert_eq!(read(&out.join("CNAME")), "news.example.org");
    // A directory of the site replaced by a link out of it: the update is refused, nothing
    // written through it.
    let slug = "warehouse-workers-shut-down-line-3-over-heat";
    let dir = out.join(format!("articles/{slug}"));
    std::fs::remove_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(&victim, &dir).unwrap();
    env.tribune(&["-C", &d, "rate", slug, "--score", "1", "--as", "reader-two"]).ok();
    env.tribune(&["-C", &d, "site", "build", &o]).fails(1, "is not a directory tribune made");
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 1, "nothing written through the link");
}

/// An image the text shows by its attachment's name (`![p](line3.jpg)`, as it is written
/// beside the text in the repository) is shown on the site from where the site publishes
/// it, and its `[[media]]` caption and credit caption it.
#[test]
fn an_image_named_by_its_attachment_is_shown_from_the_sites_copy() {
    let (env, c) = commons();
    let photo = env.write("line3.jpg", [0xFFu8, 0xD8, 0xFF, 0xE0, 0, 1]);
    let text = "+++\ntitle = \"Line 3\"\nauthors = [\"R. Lopez\"]\ncontingent = \"abc\"\ndate = 2026-11-21\n\
                license = \"CC0-1.0\"\n[[media]]\nfile = \"line3.jpg\"\ncaption = \"At dawn\"\ncredit = \"R. Lopez\"\n\
                +++\nThe line stopped.\n\n![the line](line3.jpg)\n";
    env.tribune(&["-C", &c, "contribute", &env.write("a.md", text), "--slug", "line-3", "--attach", &photo]).ok();
    let out = env.path("public");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy()]).ok();
    let page = read(&out.join("articles/line-3/index.html"));
    assert!(page.contains("src=\"files/line3.jpg\""), "{page}");
    assert!(page.contains("At dawn (R. Lopez)"), "{page}");
    assert!(out.join("articles/line-3/files/line3.jpg").exists());
    crawl(&out);
}

/// A pick pins one version: when the trunk moves on, the channel's page on the site still
/// shows the text it picked, and the article's page the new one.
#[test]
fn a_channels_pick_stays_on_the_site_as_it_was_when_the_trunk_moves_on() {
    let env = Env::new();
    let d = env.path("demo").to_string_lossy().into_owned();
    env.tribune(&["demo", &d]).ok();
    let out = env.path("site");
    let o = out.to_string_lossy().into_owned();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    let picks = env.tribune(&["-C", &d, "channel", "show", "shop-floor", "--json"]).ok().json();
    let (slug, version) = (picks["picks"][0]["slug"].as_str().unwrap(), picks["picks"][0]["version"].as_str().unwrap());
    let pinned = out.join(format!("channels/rfc/shop-floor/v/{version}/index.html"));
    let before = read(&pinned);
    let pinned_title = env.tribune(&["-C", &d, "show", &format!("{slug}@{version}"), "--json"]).ok().json();
    let title = pinned_title["title"].as_str().unwrap().replace('\'', "&#39;");
    assert!(before.contains(&title), "{before}");
    // The trunk's text of it changes.
    let path = env.git(&["-C", &d, "ls-tree", "-r", "--name-only", "main", "articles"]).ok().stdout;
    let path = path.lines().find(|p| p.contains(&format!("/{slug}/index.md"))).unwrap().to_string();
    let old = env.git(&["-C", &d, "show", &format!("main:{path}")]).ok().stdout;
    let file = env.write("changed.md", old + "\nA later paragraph.\n");
    let key = format!("{d}/tribune/demo-keys/lbaptiste");
    env.tribune(&["-C", &d, "contribute", &file, "--slug", slug, "--update", "--key", &key]).ok();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    assert_eq!(read(&pinned), before, "the pinned page changed with the trunk");
    let article = read(&out.join(format!("articles/{slug}/index.html")));
    assert!(article.contains("A later paragraph."), "{article}");
    assert!(!read(&pinned).contains("A later paragraph."));
}
