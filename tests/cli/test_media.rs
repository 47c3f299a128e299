//! Issue 13, item 5: attachments that travel. `show` lists the files beside a version's text
//! and the media it names (`[[media]]`: captions and credits, and large files kept elsewhere
//! by URL and SHA-256); `rewrite --attach/--detach` changes a contingent's files.

use crate::harness::*;

const SLUG: &str = "strike-at-line-3";

fn text(media: &str) -> String {
    format!(
        "+++\ntitle = \"Strike at line 3\"\nauthors = [\"R. Lopez\"]\ncontingent = \"abc\"\ndate = 2026-11-21\n\
         license = \"CC0-1.0\"\n{media}+++\nWorkers stopped line 3.\n"
    )
}

fn hash(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn show_lists_files_and_media_kept_elsewhere_with_their_credits() {
    let (env, c) = commons();
    let photo = env.write("line3.jpg", "JPEG");
    let media = format!(
        "[[media]]\nfile = \"line3.jpg\"\ncaption = \"Line 3 at dawn\"\ncredit = \"R. Lopez\"\n\
         [[media]]\nurl = \"https://video.example.org/march.mp4\"\nsha256 = \"{}\"\nsize = 250000000\n\
         caption = \"The march\"\ncredit = \"Camera: D. Okafor\"\n",
        hash("video")
    );
    let file = env.write("a.md", text(&media));
    env.tribune(&["-C", &c, "contribute", &file, "--attach", &photo]).ok();
    let shown = env.tribune(&["-C", &c, "show", SLUG]).ok().stdout;
    assert!(shown.contains("line3.jpg  image, 4 bytes: Line 3 at dawn (R. Lopez)"), "{shown}");
    assert!(shown.contains("https://video.example.org/march.mp4  video, kept elsewhere, 250.0 MB"), "{shown}");
    assert!(shown.contains("The march (Camera: D. Okafor)"), "{shown}");
    let json = env.tribune(&["-C", &c, "show", SLUG, "--json"]).ok().json();
    assert_eq!(json["attachments"][0]["name"], "line3.jpg", "{json}");
    assert_eq!(json["attachments"][0]["size"], 4, "{json}");
    assert_eq!(json["media"][1]["sha256"], hash("video"), "{json}");
    assert_eq!(json["media"][1]["kind"], "video", "{json}");
    // What plain git sees: the photo beside the text, the video not in git at all.
    let files = env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "main"]).ok().stdout;
    assert!(files.lines().any(|l| l.ends_with("/strike-at-line-3/line3.jpg")), "{files}");
    env.fsck(&c);
}

#[test]
fn bad_media_entries_are_refused_with_where_and_nothing_is_written() {
    let (env, c) = commons();
    let before = env.refs(&c);
    // An error names the line of its [[media]] table (the second one here, line 10).
    let two =
        format!("[[media]]\nurl = \"https://x.org/a.mp4\"\nsha256 = \"{}\"\n[[media]]\nfile = \"a b\"\n", hash("a"));
    let file = env.write("a.md", text(&two));
    env.tribune(&["-C", &c, "contribute", &file]).fails(1, "a.md:10: `file` \"a b\" is not the name of a file");
    let dir = env.path("photos");
    std::fs::create_dir_all(&dir).unwrap();
    env.tribune(&["-C", &c, "contribute", &env.write("b.md", text("")), "--attach", dir.to_str().unwrap()])
        .fails(1, "is a directory");
    for (media, why) in [
        ("[[media]]\nurl = \"https://x.org/a.mp4\"\n", "needs its `sha256`"),
        ("[[media]]\nurl = \"javascript:alert(1)\"\nsha256 = \"aa\"\n", "is not an http(s) address"),
        ("[[media]]\nfile = \"missing.jpg\"\n", "names the file \"missing.jpg\", which is not beside the article"),
        ("[[media]]\nfile = \"../../roster/x.toml\"\n", "is not the name of a file beside the text"),
    ] {
        let file = env.write("a.md", text(media));
        let r = env.tribune(&["-C", &c, "contribute", &file]).fails(1, why);
        assert!(r.stderr.contains("a.md:") || why.contains("not beside"), "{}", r.stderr);
    }
    assert_eq!(env.refs(&c), before);
}

#[test]
fn a_contingent_attaches_and_detaches_files_on_its_edition() {
    let (env, c) = commons();
    let photo = env.write("line3.jpg", "JPEG");
    env.tribune(&["-C", &c, "contribute", &env.write("a.md", text("")), "--attach", &photo]).ok();
    let chart = env.write("chart.png", "PNG");
    let r = env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--attach", &chart, "--json"]).ok().json();
    let v1 = r["version"].as_str().unwrap().to_string();
    let edition = env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "contingents/xyz"]).ok().stdout;
    assert!(
        edition.contains("/strike-at-line-3/chart.png") && edition.contains("/strike-at-line-3/line3.jpg"),
        "{edition}"
    );
    let trunk = env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "main"]).ok().stdout;
    assert!(!trunk.contains("chart.png"), "the trunk is untouched: {trunk}");
    let shown = env.tribune(&["-C", &c, "show", &format!("{SLUG}@xyz")]).ok().stdout;
    assert!(shown.contains("chart.png  image, 3 bytes"), "{shown}");
    // The text is the contingent's version, made from the trunk's.
    let json = env.tribune(&["-C", &c, "show", &format!("{SLUG}@xyz"), "--json"]).ok().json();
    assert_eq!(json["contingent"], "xyz", "{json}");
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--detach", "line3.jpg"]).ok();
    let edition = env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "contingents/xyz"]).ok().stdout;
    assert!(!edition.contains("line3.jpg") && edition.contains("chart.png"), "{edition}");
    let shown = env.tribune(&["-C", &c, "show", &format!("{SLUG}@xyz"), "--json"]).ok().json();
    assert_ne!(shown["version"], v1.as_str());
    env.fsck(&c);

    // Refused, nothing written: a file that is not there, one both attached and detached,
    // a name tribune does not store.
    let before = env.refs(&c);
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--detach", "nothing.png"])
        .fails(1, "contingents/xyz has no file \"nothing.png\"");
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--attach", &chart, "--detach", "chart.png"])
        .fails(2, "both attached and detached");
    let odd = env.write("my photo.jpg", "x");
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--attach", &odd]).fails(1, "cannot be stored");
    // The text itself is not a file to detach (it left the edition without its version).
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--detach", "index.md"])
        .fails(1, "index.md is the text itself");
    assert_eq!(env.refs(&c), before);
}

/// An edition carries an article's media: a file's caption and credit under its picture and
/// in the list of attachments, and a medium kept elsewhere as a link written out with its
/// checksum; a caption with markup is inert, and a URL that would close the markup is
/// refused when the article is contributed.
#[test]
fn an_edition_prints_captions_credits_and_media_kept_elsewhere() {
    let (env, c) = commons();
    let photo = env.write("line3.jpg", [0xFFu8, 0xD8, 0xFF, 0xE0, 0, 1, 2]);
    let media = format!(
        "[[media]]\nfile = \"line3.jpg\"\ncaption = \"Line 3 <script>alert(1)</script>\"\ncredit = \"R. Lopez\"\n\
         [[media]]\nurl = \"https://video.example.org/march.mp4\"\nsha256 = \"{}\"\ncaption = \"The march\"\n",
        hash("video")
    );
    env.tribune(&["-C", &c, "contribute", &env.write("a.md", text(&media)), "--attach", &photo]).ok();
    env.tribune(&["-C", &c, "channel", "add", "news", "--title", "Shop floor news", "--as", "abc"]).ok();
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "One"]).ok();
    let html = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "html"]).ok().stdout;
    crate::test_credits::well_formed(&html);
    assert!(
        html.contains("<figcaption>Line 3 &lt;script&gt;alert(1)&lt;/script&gt; (R. Lopez)</figcaption>"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("The march: <a href=\"https://video.example.org/march.mp4\" rel=\"nofollow noopener\">"),
        "{html}"
    );
    assert!(html.contains(&format!("(SHA-256 {})", hash("video"))), "{html}");
    let md = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "md"]).ok().stdout;
    assert!(md.contains("- The march (SHA-256 "), "{md}");
    assert!(md.contains("<https://video.example.org/march.mp4>"), "{md}");
    let bad = format!("[[media]]\nurl = \"https://x.org/a>b\"\nsha256 = \"{}\"\n", hash("x"));
    env.tribune(&["-C", &c, "contribute", &env.write("b.md", text(&bad)), "--slug", "other"])
        .fails(1, "is not an http(s) address");
}

/// The site carries every version's files and media: the trunk's attachments under
/// files/<name>, each rival version's own under files/<version>/<name> (a file of the same
/// name does not collide), and every `[[media]]` kept elsewhere as a link with its SHA-256,
/// never embedded; an address that is not http(s), put there with plain git, is no link.
#[test]
fn the_site_shows_every_versions_attachments_and_media_kept_elsewhere() {
    let (env, c) = commons();
    let photo = env.write("line3.jpg", [0xFFu8, 0xD8, 0xFF, 0xE0, 1]);
    let media = format!(
        "[[media]]\nfile = \"line3.jpg\"\ncaption = \"Line 3 at dawn\"\ncredit = \"R. Lopez\"\n\
         [[media]]\nurl = \"https://video.example.org/march.mp4\"\nsha256 = \"{}\"\nsize = 250000000\n\
         caption = \"The march\"\ncredit = \"Camera: D. Okafor\"\n",
        hash("video")
    );
    env.tribune(&["-C", &c, "contribute", &env.write("a.md", text(&media)), "--attach", &photo]).ok();
    // xyz's version: its own line3.jpg (other bytes), a chart, and its own video.
    let theirs = env.write("x/line3.jpg", [0xFFu8, 0xD8, 0xFF, 0xE0, 2, 2]);
    let chart = env.write("chart.png", "PNG");
    let their_media = format!(
        "[[media]]\nfile = \"chart.png\"\ncaption = \"Output by shift\"\n\
         [[media]]\nurl = \"http://tv.example.org/interview.webm\"\nsha256 = \"{}\"\nkind = \"video\"\ncaption = \"Interview\"\n",
        hash("interview")
    );
    let new =
        env.write("b.md", text(&their_media).replace("Workers stopped line 3.", "Workers of xyz stopped line 3."));
    let r = env
        .tribune(&[
            "-C",
            &c,
            "rewrite",
            SLUG,
            "--contingent",
            "xyz",
            "--file",
            &new,
            "--attach",
            &theirs,
            "--attach",
            &chart,
            "--json",
        ])
        .ok()
        .json();
    let v = r["version"].as_str().unwrap().to_string();
    let out = env.path("site");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy()]).ok();
    let pages = crate::test_site::crawl(&out);
    let page = &pages[&format!("articles/{SLUG}/index.html")];
    let dir = out.join(format!("articles/{SLUG}"));
    assert_eq!(std::fs::read(dir.join("files/line3.jpg")).unwrap(), [0xFF, 0xD8, 0xFF, 0xE0, 1]);
    assert_eq!(std::fs::read(dir.join(format!("files/{v}/line3.jpg"))).unwrap(), [0xFF, 0xD8, 0xFF, 0xE0, 2, 2]);
    assert_eq!(std::fs::read(dir.join(format!("files/{v}/chart.png"))).unwrap(), b"PNG");
    assert!(page.contains(&format!("src=\"files/{v}/chart.png\" alt=\"Output by shift\"")), "{page}");
    assert!(page.contains(&format!("src=\"files/{v}/line3.jpg\"")), "{page}");
    assert!(page.contains("src=\"files/line3.jpg\" alt=\"Line 3 at dawn (R. Lopez)\""), "{page}");
    assert!(
        page.contains("video: <a href=\"https://video.example.org/march.mp4\" rel=\"nofollow noopener\">The march</a> (Camera: D. Okafor) · 250.0 MB"),
        "{page}"
    );
    assert!(page.contains(&format!("SHA-256 <code>{}</code>", hash("video"))), "{page}");
    assert!(
        page.contains("<a href=\"http://tv.example.org/interview.webm\" rel=\"nofollow noopener\">Interview</a>"),
        "{page}"
    );
    assert!(page.contains(&hash("interview")), "{page}");
    // Kept elsewhere is linked, never embedded.
    assert!(!page.contains("src=\"https://") && !page.contains("src=\"http://"), "{page}");

    // A text put on the trunk with plain git whose medium is a javascript: address.
    let w = env.clone_of(&c, "w");
    let hostile =
        format!("[[media]]\nurl = \"javascript:alert(1)\"\nsha256 = \"{}\"\ncaption = \"Click\"\n", hash("x"));
    write_files(&w, &[(&text_path(SLUG), Some(&text(&hostile)))]);
    commit_and_push(&env, &w, "main", "hostile");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy()]).ok();
    let pages = crate::test_site::crawl(&out);
    let page = &pages[&format!("articles/{SLUG}/index.html")];
    assert!(!page.to_ascii_lowercase().contains("href=\"javascript:"), "{page}");
    // The rival's files are still there beside it.
    assert!(dir.join(format!("files/{v}/chart.png")).is_file());
}

/// A channel's pinned version carries the files pinned beside it onto its own page: the
/// body's picture is there, and every link of the site leads somewhere.
#[test]
fn a_pinned_versions_page_has_the_files_pinned_beside_it() {
    let (env, c) = commons();
    let photo = env.write("line3.jpg", [0xFFu8, 0xD8, 0xFF, 0xE0, 9, 9]);
    let body = text("").replace("Workers stopped line 3.", "Workers stopped line 3.\n\n![Line 3](line3.jpg)");
    env.tribune(&["-C", &c, "contribute", &env.write("a.md", body), "--attach", &photo]).ok();
    env.tribune(&["-C", &c, "channel", "add", "news", "--title", "Shop floor news", "--as", "abc"]).ok();
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    let out = env.path("site");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy()]).ok();
    let pages = crate::test_site::crawl(&out);
    let (path, page) = pages.iter().find(|(p, _)| p.starts_with("channels/abc/news/v/")).expect("a pinned page");
    assert!(page.contains("src=\"files/line3.jpg\""), "{page}");
    let copy = out.join(path.trim_end_matches("index.html")).join("files/line3.jpg");
    assert_eq!(std::fs::read(copy).unwrap(), [0xFFu8, 0xD8, 0xFF, 0xE0, 9, 9]);
}
