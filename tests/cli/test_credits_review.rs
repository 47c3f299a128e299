//! Review of credits, export and credit-check: defects found, each asserting the correct
//! behaviour (these fail until fixed).

use crate::harness::*;

/// Contributes `text` as `slug`; returns its version.
fn contribute(env: &Env, c: &str, slug: &str, text: &str) -> String {
    env.contribute(c, slug, text).ok();
    env.tribune(&["-C", c, "show", slug, "--json"]).json()["version"].as_str().unwrap().to_string()
}

/// A commons with the article `title` (`body`, by abc) at `slug`, exported for abc in `format`.
fn exported(slug: &str, title: &str, body: &str, format: &str) -> String {
    let (env, c) = commons();
    contribute(&env, &c, slug, &article(title, "abc", "", body));
    env.tribune(&["-C", &c, "export", slug, "--as", "abc", "--format", format]).ok().stdout
}

/// The body's own links are passed to the page as written: `javascript:` (in any case, as
/// a link or an autolink) must never become an href, as it already may not in the credits.
#[test]
fn review_export_html_never_writes_a_javascript_href_from_the_body() {
    let body = "Read [the demands](javascript:alert(document.cookie)) or <JAVASCRIPT:alert(2)>.\n";
    let html = exported("demands", "Demands", body, "html");
    assert!(!html.to_lowercase().contains("href=\"javascript:"), "unsafe link in the page:\n{html}");
    assert!(html.contains("the demands"), "the link text is kept:\n{html}");
}

/// Plain text runs table cells and the paragraphs of a list item together: "c1d1",
/// "item onepara two". Every word must stay a separate word.
#[test]
fn review_export_txt_keeps_table_cells_and_list_paragraphs_apart() {
    let body = "| Plant | Workers |\n|---|---|\n| Line3 | Sixty |\n\n- item one\n\n  second paragraph\n- item two\n";
    let txt = exported("tables", "Tables", body, "txt");
    for glued in ["PlantWorkers", "Line3Sixty", "WorkersLine3", "onesecond"] {
        assert!(!txt.contains(glued), "words run together ({glued}):\n{txt}");
    }
}

/// A body ending in an unclosed code fence swallows the credit block, the notice and the
/// signature of the Markdown export into a code block.
#[test]
fn review_export_md_keeps_the_credit_block_out_of_an_unclosed_code_fence() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let md = exported("fence", "Fence", "The figures:\n\n```\n34 degrees\n", "md");
    let mut in_code = false;
    let mut signature_as_text = false;
    for e in Parser::new(&md) {
        match e {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code && t.contains("contingent of Mass Organization XYZ") => signature_as_text = true,
            _ => {}
        }
    }
    assert!(signature_as_text, "the signature is inside the body's code block:\n{md}");
}

/// A derived_from version that is an object of the repository but not a blob (here the
/// trunk commit) ends the walk: the deriving contingent is credited as the original and the
/// article it names is dropped. It must fall back to the named slug's trunk text, as for a
/// version not in the repository.
#[test]
fn review_credits_with_a_commit_as_the_base_version_still_credit_the_named_article() {
    let (env, c) = commons();
    contribute(&env, &c, "strike", &article("Strike", "abc", "", "Sixty workers walked off.\n"));
    let commit = env.git(&["-C", &c, "rev-parse", "HEAD"]).ok().stdout.trim().to_string();
    let extra = format!("[[derived_from]]\nrelation = \"wasDerivedFrom\"\nslug = \"strike\"\nversion = \"{commit}\"\n");
    contribute(&env, &c, "report", &article("Report", "xyz", &extra, "Our report on the strike.\n"));
    let j = env.tribune(&["-C", &c, "credits", "report", "--json"]).ok().json();
    assert_eq!(j["original"]["contingent"]["id"], "abc", "{j:#}");
    assert_eq!(j["original"]["slug"], "strike", "{j:#}");
    assert_eq!(j["modified_by"][0]["id"], "xyz", "{j:#}");
}

/// A derived_from naming slug `strike` with the version of an unrelated article `rent`:
/// the walk takes rent's blob as strike's and credits rent's contingent as the original of
/// strike. A version that is not one of the named article's must not be trusted.
#[test]
fn review_credits_do_not_take_another_articles_blob_as_the_named_version() {
    let (env, c) = commons();
    contribute(&env, &c, "strike", &article("Strike", "abc", "", "Sixty workers walked off.\n"));
    let rent = contribute(&env, &c, "rent", &article("Rent", "xyz", "", "Tenants withheld rent.\n"));
    env.tribune(&["-C", &c, "roster", "add-contingent", "rfc", "--name", "RFC Desk"]).ok();
    let extra = format!("[[derived_from]]\nrelation = \"wasDerivedFrom\"\nslug = \"strike\"\nversion = \"{rent}\"\n");
    contribute(&env, &c, "report", &article("Report", "rfc", &extra, "Our report on the strike.\n"));
    let j = env.tribune(&["-C", &c, "credits", "report", "--json"]).ok().json();
    assert_ne!(j["original"]["title"], "Rent", "rent credited as the original of strike: {j:#}");
    assert_eq!(j["original"]["contingent"]["id"], "abc", "{j:#}");
}

const SPEECH: &str = "The bosses don't listen and they won't pay. We can't wait while the company's profits grow. \
Workers aren't asking for favours; they're asking for what's owed. The union's demand isn't new: it's the same one \
they've made for years, and management hasn't answered it. We won't stop until it's met, and we don't care who's watching.";

/// The same text with typographic apostrophes (what any word processor or copy-paste
/// produces) is not found: `’` splits "don’t" into "don" and "t".
#[test]
fn review_credit_check_finds_a_copy_with_typographic_apostrophes() {
    let (env, c) = commons();
    contribute(&env, &c, "speech", &article("Speech", "abc", "", &format!("{SPEECH}\n")));
    contribute(&env, &c, "copy", &article("Copy", "xyz", "", &format!("{}\n", SPEECH.replace('\'', "\u{2019}"))));
    let j = env.tribune(&["-C", &c, "credit-check", "--json"]).ok().json();
    assert_eq!(j["findings"].as_array().unwrap().len(), 1, "the curly-apostrophe copy is missed: {j:#}");
}

/// Two articles that both credit the same source for the same passage are listed as
/// reusing each other without credit (and told to credit each other), although every word
/// they share is the source's, credited by both.
#[test]
fn review_credit_check_does_not_flag_two_articles_crediting_one_source() {
    let (env, c) = commons();
    env.tribune(&["-C", &c, "roster", "add-contingent", "rfc", "--name", "RFC Desk"]).ok();
    let s = "Sixty workers on line three walked off the floor after the thermometer read thirty four degrees \
             in the afternoon heat and the managers refused to open the loading doors or bring water to the floor.";
    contribute(&env, &c, "base", &article("Base", "abc", "", &format!("{s}\n")));
    let q = "[[derived_from]]\nrelation = \"wasQuotedFrom\"\nslug = \"base\"\n";
    let d = "[[derived_from]]\nrelation = \"wasDerivedFrom\"\nslug = \"base\"\n";
    contribute(&env, &c, "d1", &article("D1", "xyz", q, &format!("Our report: {s} We stand with them.\n")));
    contribute(&env, &c, "d2", &article("D2", "rfc", d, &format!("From the floor: {s} Solidarity forever.\n")));
    let j = env.tribune(&["-C", &c, "credit-check", "--json"]).ok().json();
    assert!(j["findings"].as_array().unwrap().is_empty(), "credited reuse flagged: {j:#}");
}
