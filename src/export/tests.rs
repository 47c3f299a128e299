//! Tests of the export: languages, escaping, links and bodies.
use super::*;

#[test]
fn markdown_shows_entities_and_overrides_as_written() {
    assert_eq!(md_escape("a &#x202E; b"), "a \\&#x202E; b");
    assert_eq!(md_escape("&lt;b&gt;"), "\\&lt;b\\&gt;");
    assert_eq!(md_escape("a\u{202e}b <i>"), "a\\u{202e}b \\<i\\>");
}

#[test]
fn the_language_is_the_texts_then_the_commons_then_english() {
    assert_eq!(language(Some("fr"), Some("de")), "fr");
    assert_eq!(language(Some(" pt-BR "), None), "pt-BR");
    assert_eq!(language(None, Some("de")), "de");
    assert_eq!(language(Some("not a tag\" onload=\"x"), Some("de")), "de");
    assert_eq!(language(Some(""), None), "en");
    assert_eq!(language(None, None), "en");
    assert!(is_language_tag("zh-Hant-TW") && !is_language_tag("e") && !is_language_tag("12-ab"));
}

fn doc(body: &str) -> Document {
    Document {
        lang: "en".into(),
        title: "A <b> & c".into(),
        summary: None,
        byline: None,
        body: body.into(),
        credits: vec![CreditLine { text: "Original by X".into(), link: Some("javascript:alert(1)".into()) }],
        notice: "Public domain.".into(),
        approval: None,
        signature: "The A contingent of B".into(),
    }
}

#[test]
fn raw_html_in_the_body_is_shown_as_text_and_unsafe_links_are_dropped() {
    let h = html(&doc("Hello <script>alert(1)</script> <div>\n\n<p>open"));
    assert!(!h.contains("<script>") && h.contains("&lt;script&gt;"), "{h}");
    assert!(!h.contains("javascript:"), "{h}");
    assert!(h.contains("<title>A &lt;b&gt; &amp; c</title>"), "{h}");
}

#[test]
fn plain_text_keeps_lists_quotes_and_links() {
    let t = plain("Para *one* with [a link](https://e.org).\n\n- x\n- y\n\n> quoted\n\n1. first\n2. second\n");
    assert!(t.contains("Para one with a link <https://e.org>."), "{t}");
    assert!(t.contains("- x\n- y"), "{t}");
    assert!(t.contains("> quoted"), "{t}");
    assert!(t.contains("1. first\n2. second"), "{t}");
}
