//! Editions of a channel (issue 13): numbered, dated, of the picks, of given versions or of
//! a filter's best; exported as one newsletter (HTML with print styles, Markdown, PDF) with
//! credits, attachments, the standing page and the signature, and nothing live in the page.

use crate::harness::*;
use crate::test_channels::{with_channel, REF};

const SLUG: &str = "port-blockade";

fn titles(j: &serde_json::Value) -> Vec<String> {
    j["article"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_string()).collect()
}

#[test]
fn editions_are_numbered_in_turn_from_the_picks_or_the_versions_given() {
    let env = Env::new();
    let c = with_channel(&env);
    env.contribute(&c, "rent-strike", &article("Rent strike", "xyz", "", "Tenants withhold.\n")).ok();
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    let one = env.tribune(&["-C", &c, "edition", "new", "news", "--title", "One", "--json"]).ok().json();
    assert_eq!(one["number"], 1);
    assert_eq!(titles(&one), ["Port blockade"]);
    let two = env
        .tribune(&[
            "-C",
            &c,
            "edition",
            "new",
            "news",
            "--title",
            "Two",
            "--pick",
            "rent-strike",
            "--pick",
            SLUG,
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(two["number"], 2);
    assert_eq!(titles(&two), ["Rent strike", "Port blockade"]);
    // The given versions are pinned in the same commit, though never picked.
    let v = rev(&env, &c, &format!("main:{}", text_path("rent-strike")));
    assert_eq!(rev(&env, &c, &format!("{REF}:pins/{}/{v}/index.md", &v[..2])), v);
    let toml = env.git(&["-C", &c, "show", &format!("{REF}:editions/0002.toml")]).ok().stdout;
    assert!(toml.contains("number = 2") && toml.contains("slug = \"rent-strike\""), "{toml}");
    let list = env.tribune(&["-C", &c, "edition", "list", "news", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    refused(
        &env,
        &c,
        &["-C", &c, "edition", "new", "news", "--title", "X", "--pick", "rent-strike", "--pick", "rent-strike"],
        2,
        &["--pick names rent-strike twice"],
    );
    env.fsck(&c);
}

#[test]
fn an_edition_of_a_filters_best_takes_the_top_n_best_first() {
    let env = Env::new();
    let c = with_channel(&env);
    for (slug, title) in [("a-story", "A story"), ("b-story", "B story"), ("c-story", "C story")] {
        env.contribute(&c, slug, &article(title, "abc", "", "Body.\n")).ok();
    }
    for (slug, score) in [("a-story", "1"), ("b-story", "2"), ("c-story", "-1")] {
        env.tribune(&["-C", &c, "rate", slug, "--score", score, "--as", "left"]).ok();
    }
    add_filter(&env, &c, "lefty", &["left"], "1", &[]).ok();
    let best = |title: &str, top: &str| {
        let args = ["-C", &c, "edition", "new", "news", "--title", title, "--from-filter", "lefty", "--top", top];
        env.tribune(&[&args[..], &["--json"]].concat()).ok().json()
    };
    assert_eq!(titles(&best("Best", "5")), ["B story", "A story"]);
    let e = best("Top", "1");
    assert_eq!(titles(&e), ["B story"]);
    refused(
        &env,
        &c,
        &["-C", &c, "edition", "new", "news", "--title", "X", "--from-filter", "nope"],
        1,
        &["there is no filter \"nope\""],
    );
}

#[test]
fn the_newsletter_has_a_masthead_credits_attachments_the_standing_page_and_the_signature() {
    let env = Env::new();
    let c = env.commons();
    let a = env.write("a.md", article("Port blockade", "abc", "", "Dockers stopped.\n"));
    let photo = env.write("photo.jpg", [0xff, 0xd8, 0xff, 0xe0, 0, 1, 2]);
    env.tribune(&["-C", &c, "contribute", &a, "--slug", SLUG, "--attach", &photo]).ok();
    let standing = env.write("back.md", "## Who we are\n\nThe ABC caucus meets on Tuesdays.\n");
    env.tribune(&[
        "-C",
        &c,
        "channel",
        "add",
        "news",
        "--title",
        "Shop floor news",
        "--as",
        "abc",
        "--standing",
        &standing,
    ])
    .ok();
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "Issue one"]).ok();
    // The attachment is kept in the channel's tree, by the article directory's tree id.
    let v = rev(&env, &c, &format!("main:{}", text_path(SLUG)));
    let dir = format!("articles/{}/{SLUG}", shard(SLUG));
    assert_eq!(rev(&env, &c, &format!("{REF}:pins/{}/{v}", &v[..2])), rev(&env, &c, &format!("main:{dir}")));
    let html = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "html"]).ok().stdout;
    crate::test_credits::well_formed(&html);
    for needle in [
        "<h1>Shop floor news</h1>",
        "<p class=\"issue\">No. 1 · ",
        "<h2>Port blockade</h2>",
        "Dockers stopped.",
        "<h3>Credits</h3>",
        "<img src=\"data:image/jpeg;base64,/9j/4AABAg==\" alt=\"photo.jpg\" />",
        "The ABC caucus meets on Tuesdays.",
        "in the public domain (CC0-1.0)",
        "<p class=\"signature\">The ABC Collective contingent of Mass Organization XYZ</p>",
        "@page { size: A4;",
        "@media print",
        "Content-Security-Policy",
    ] {
        assert!(html.contains(needle), "no {needle:?} in\n{html}");
    }
    let letter = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--paper", "letter"]).ok().stdout;
    assert!(letter.contains("@page { size: letter;"), "{letter}");
    let md = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "md"]).ok().stdout;
    assert!(md.starts_with("# Shop floor news\n\n**No. 1 · "), "{md}");
    assert!(md.trim_end().ends_with("**The ABC Collective contingent of Mass Organization XYZ**"), "{md}");
    let out = env.path("n.html");
    let r = env.tribune(&["-C", &c, "edition", "export", "news", "1", "-o", out.to_str().unwrap()]).ok();
    assert!(r.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), html);
    // A PDF needs a file, and Chromium (when this machine has it).
    refused(&env, &c, &["-C", &c, "edition", "export", "news", "1", "--format", "pdf"], 2, &["-o FILE is missing"]);
    let pdf = env.path("n.pdf");
    let r = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "pdf", "-o", pdf.to_str().unwrap()]);
    if r.code == 0 {
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    } else {
        r.fails(1, "no headless Chromium");
    }
}

#[test]
fn hostile_titles_authors_contingent_names_and_links_are_inert_in_the_newsletter() {
    let env = Env::new();
    let c = env.init();
    let evil = "Evil <script>alert(1)</script> \\\"&";
    env.tribune(&["-C", &c, "roster", "add-contingent", "abc", "--name", "<img src=x onerror=alert(1)>"]).ok();
    let text = "+++\ntitle = \"<script>alert('t')</script>\"\nauthors = [\"<b onmouseover=alert(2)>R</b>\"]\ncontingent = \"abc\"\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\n+++\n[click](javascript:alert(3)) <script>alert(4)</script>\n".to_string();
    env.contribute(&c, SLUG, &text).ok();
    env.tribune(&["-C", &c, "channel", "add", "news", "--title", evil, "--as", "abc", "--description", evil]).ok();
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "<svg onload=alert(5)>"]).ok();
    let html = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "html"]).ok().stdout;
    crate::test_credits::well_formed(&html);
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "javascript:", "<img", "<svg", "<b ", "href=\"javascript"] {
        assert!(!lower.contains(bad), "{bad:?} is live in\n{html}");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;"), "{html}");
}

#[test]
fn a_picture_the_text_shows_by_its_file_name_is_shown_there_and_not_again() {
    let env = Env::new();
    let c = env.commons();
    let a = env.write("a.md", article("Port blockade", "abc", "", "![the gate](gate.png)\n\nDockers stopped.\n"));
    let gate = env.write("gate.png", b"\x89PNG\r\n\x1a\nxyz");
    let leaflet = env.write("leaflet.pdf", "%PDF-1.4 pretend\n");
    env.tribune(&["-C", &c, "contribute", &a, "--slug", SLUG, "--attach", &gate, "--attach", &leaflet]).ok();
    env.tribune(&["-C", &c, "channel", "add", "news", "--title", "News", "--as", "abc"]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "One", "--pick", SLUG]).ok();
    let html = env.tribune(&["-C", &c, "edition", "export", "news", "1"]).ok().stdout;
    crate::test_credits::well_formed(&html);
    assert_eq!(html.matches("src=\"data:image/png;base64,iVBORw0KGgp4eXo=\"").count(), 1, "{html}");
    assert!(html.contains("alt=\"the gate\""), "{html}");
    assert!(html.contains("leaflet.pdf") && !html.contains("data:application/pdf"), "{html}");
}

/// An article title holding a right-to-left override does not reverse the credit line it is
/// set in (the authors and the contingent after it): the override is shown, not obeyed.
/// Channel titles refuse every direction control, the marks included.
#[test]
fn a_direction_override_in_a_title_is_shown_not_obeyed_in_the_newsletter() {
    let env = Env::new();
    let c = with_channel(&env);
    let text = article("Heat report \u{202e}", "abc", "", "It was hot.\n");
    env.contribute(&c, "heat-report", &text).ok();
    env.tribune(&["-C", &c, "channel", "pick", "news", "heat-report"]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "One"]).ok();
    for format in ["html", "md"] {
        let out = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", format]).ok().stdout;
        assert!(!out.contains('\u{202e}'), "{format}: {out}");
        assert!(out.contains("Heat report \\u{202e}"), "{format}: {out}");
    }
    for mark in ['\u{200e}', '\u{200f}', '\u{61c}'] {
        env.tribune(&["-C", &c, "channel", "add", "other", "--title", &format!("News {mark}"), "--as", "abc"])
            .fails(1, "holds the character U+");
    }
}
