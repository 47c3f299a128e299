//! Credits, export and credit-check: provenance through rewrites, derivations and
//! quotations; the exported text in every format; reuse without credit found and credited
//! reuse left alone.

use crate::harness::*;
use serde_json::Value;

fn json(r: crate::harness::Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

const STRIKE: &str = "About sixty workers on line 3 walked off the floor after the thermometer read 34 degrees in the afternoon heat.\n\nThe company said <script>alert(1)</script> nothing & left.\n";

/// abc writes `strike`; xyz rewrites it twice; rfc contributes `solidarity`, derived from
/// xyz's second rewrite and quoting xyz's `rent`. Returns (env, commons, xyz's version).
fn chain() -> (Env, String, String) {
    let (env, c) = commons();
    env.tribune(&[
        "-C",
        &c,
        "roster",
        "add-contingent",
        "rfc",
        "--name",
        "RFC Desk",
        "--url",
        "https://rfc.example.org",
    ])
    .ok();
    env.tribune(&["-C", &c, "roster", "add-contingent", "lone", "--name", "Lone Wolf"]).ok();
    let a = env.write("strike.md", article("Strike", "abc", "", STRIKE));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", "strike"]).ok();
    let rent = env.write(
        "rent.md",
        article("Rent", "xyz", "", "Tenants withheld rent for a third month at the big building downtown.\n")
            .replace("R. Lopez", "J. Doe"),
    );
    env.tribune(&["-C", &c, "contribute", &rent, "--slug", "rent"]).ok();
    let x1 = env.write("x1.md", std::fs::read_to_string(&a).unwrap().replace("walked off", "walked proudly off"));
    env.tribune(&["-C", &c, "rewrite", "strike", "--contingent", "xyz", "--file", &x1, "-m", "proud"]).ok();
    let raw = env.tribune(&["-C", &c, "show", "strike@xyz", "--raw"]).ok().stdout;
    let x2 = env.write("x2.md", raw.replace("34 degrees", "35 degrees"));
    env.tribune(&["-C", &c, "rewrite", "strike", "--contingent", "xyz", "--file", &x2]).ok();
    let v = json(env.tribune(&["-C", &c, "show", "strike@xyz", "--json"]))["version"].as_str().unwrap().to_string();
    let extra = format!(
        "[[derived_from]]\nrelation = \"wasDerivedFrom\"\nslug = \"strike\"\nversion = \"{v}\"\ncontingent = \"xyz\"\n\
         [[derived_from]]\nrelation = \"wasQuotedFrom\"\nslug = \"rent\"\n\
         [[derived_from]]\nrelation = \"wasQuotedFrom\"\nurl = \"https://news.example.org/heat\"\n"
    );
    let s = env.write(
        "solidarity.md",
        article(
            "Solidarity",
            "rfc",
            &extra,
            "Workers on line 3 walked proudly off the floor. *Tenants* withheld rent.\n",
        )
        .replace("R. Lopez", "D. Okafor"),
    );
    env.tribune(&["-C", &c, "contribute", &s, "--slug", "solidarity"]).ok();
    (env, c, v)
}

#[test]
fn credits_follow_two_rewrites_a_derivation_and_a_quotation_back_to_the_original() {
    let (env, c, v) = chain();
    let j = json(env.tribune(&["-C", &c, "credits", "solidarity", "--json"]).ok());
    assert_eq!(j["original"]["contingent"]["id"], "abc", "{j:#}");
    assert_eq!(j["original"]["authors"], serde_json::json!(["R. Lopez"]));
    assert_eq!(j["original"]["slug"], "strike");
    let steps: Vec<(&str, &str)> = j["modifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["action"].as_str().unwrap(), s["contingent"]["id"].as_str().unwrap()))
        .collect();
    assert_eq!(steps, [("revision", "xyz"), ("revision", "xyz"), ("derivation", "rfc")]);
    assert_eq!(j["modifications"][1]["version"], v.as_str());
    let by: Vec<&str> = j["modified_by"].as_array().unwrap().iter().map(|w| w["name"].as_str().unwrap()).collect();
    assert_eq!(by, ["XYZ Circle", "RFC Desk"]);
    assert_eq!(j["quotes"][0]["title"], "Rent");
    assert_eq!(j["quotes"][0]["authors"], serde_json::json!(["J. Doe"]));
    assert_eq!(j["quotes"][0]["contingent"]["id"], "xyz");
    assert_eq!(j["quotes"][1]["url"], "https://news.example.org/heat");
    let text = env.tribune(&["-C", &c, "credits", "solidarity"]).ok().stdout;
    assert!(text.contains("Original \u{201c}Strike\u{201d} by R. Lopez (ABC Collective)"), "{text}");
    assert!(
        text.contains("Modified by XYZ Circle\n") && text.contains("Modified by RFC Desk <https://rfc.example.org>"),
        "{text}"
    );
    assert!(text.contains("Quotes \u{201c}Rent\u{201d} by J. Doe (XYZ Circle)"), "{text}");

    // xyz's edition: the same chain without rfc's step; the trunk text is its own original.
    let j = json(env.tribune(&["-C", &c, "credits", "strike@xyz", "--json"]).ok());
    assert_eq!(j["modifications"].as_array().unwrap().len(), 2);
    assert_eq!(j["modifications"][1]["committed_by"], "Test Author", "{j:#}");
    let j = json(env.tribune(&["-C", &c, "credits", "strike", "--json"]).ok());
    assert_eq!(j["modifications"].as_array().unwrap().len(), 0);
    assert_eq!(j["original"]["committed_by"], "Test Author");
    assert_eq!(j["modified_by"].as_array().unwrap().len(), 0);
}

#[test]
fn a_trunk_update_by_another_contingent_is_credited_as_a_modification() {
    let (env, c) = commons();
    let a = env.write("a.md", article("Heat", "abc", "", "First text.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", "heat"]).ok();
    let b = env.write("b.md", article("Heat", "xyz", "", "First text, corrected.\n"));
    env.tribune(&["-C", &c, "contribute", &b, "--slug", "heat", "--update"]).ok();
    let j = json(env.tribune(&["-C", &c, "credits", "heat", "--json"]).ok());
    assert_eq!(j["original"]["contingent"]["id"], "abc");
    assert_eq!(j["modifications"][0]["action"], "update");
    assert_eq!(j["modified_by"][0]["id"], "xyz");
    // The first version's own credits end at itself.
    let first = env.git(&["-C", &c, "rev-parse", &format!("main~1:{}", crate::harness::text_path("heat"))]).ok();
    let j = json(env.tribune(&["-C", &c, "credits", &format!("heat@{}", &first.stdout[..8]), "--json"]).ok());
    assert_eq!(j["modifications"].as_array().unwrap().len(), 0, "{j:#}");
    refused(&env, &c, &["-C", &c, "credits", "nope"], 1, &["no article \"nope\""]);
}

#[test]
fn an_outside_original_and_a_missing_base_are_credited_as_far_as_they_are_known() {
    let (env, c) = commons();
    let a = env.write("a.md", article("Strike", "abc", "", "First text.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", "strike"]).ok();
    let outside = "[[derived_from]]\nrelation = \"wasDerivedFrom\"\nurl = \"https://wire.example.org/story\"\ncontingent = \"xyz\"\n";
    let t = env.write("t.md", article("Translated", "abc", outside, "Translated text.\n"));
    env.tribune(&["-C", &c, "contribute", &t, "--slug", "translated"]).ok();
    let j = json(env.tribune(&["-C", &c, "credits", "translated", "--json"]).ok());
    assert_eq!(j["original"]["url"], "https://wire.example.org/story", "{j:#}");
    assert_eq!(j["original"]["contingent"]["id"], "xyz");
    assert_eq!(j["modified_by"][0]["id"], "abc");
    let text = env.tribune(&["-C", &c, "credits", "translated"]).ok().stdout;
    assert!(text.contains("Original by XYZ Circle <https://wire.example.org/story>"), "{text}");
    let gone = format!(
        "[[derived_from]]\nrelation = \"wasRevisionOf\"\nslug = \"strike\"\nversion = \"{}\"\n",
        "1".repeat(40)
    );
    let r = env.write("r.md", article("Strike again", "xyz", &gone, "Second text.\n"));
    env.tribune(&["-C", &c, "contribute", &r, "--slug", "strike-again"]).ok();
    let j = json(env.tribune(&["-C", &c, "credits", "strike-again", "--json"]).ok());
    assert_eq!(j["original"]["slug"], "strike", "{j:#}");
    assert!(j["notes"][0].as_str().unwrap().contains("not in this repository"), "{j:#}");
}

#[test]
fn export_gives_markdown_html_and_text_with_credits_notice_and_signature() {
    let (env, c, _) = chain();
    let md = env.tribune(&["-C", &c, "export", "solidarity", "--as", "rfc"]).ok().stdout;
    assert!(md.starts_with("# Solidarity\n"), "{md}");
    assert!(md.contains("- Original \u{201c}Strike\u{201d} by R. Lopez (ABC Collective)"), "{md}");
    assert!(md.contains("- Modified by RFC Desk <https://rfc.example.org>"), "{md}");
    assert!(md.contains("public domain (CC0-1.0)"), "{md}");
    assert!(md.trim_end().ends_with("**The RFC Desk contingent of Mass Organization XYZ**"), "{md}");
    // A real Markdown reader sees the credits as a list and the signature as strong text.
    let events: Vec<_> = pulldown_cmark::Parser::new(&md).collect();
    let items = events.iter().filter(|e| matches!(e, pulldown_cmark::Event::Start(pulldown_cmark::Tag::Item))).count();
    assert_eq!(items, 5, "{md}");

    let html = env.tribune(&["-C", &c, "export", "solidarity", "--as", "xyz", "--format", "html"]).ok().stdout;
    let names = well_formed(&html);
    for tag in [
        "html", "head", "title", "style", "body", "article", "header", "h1", "footer", "section", "ul", "li", "a", "em",
    ] {
        assert!(names.iter().any(|n| n == tag), "no <{tag}> in\n{html}");
    }
    assert!(html.contains("<p class=\"signature\">The XYZ Circle contingent of Mass Organization XYZ</p>"), "{html}");
    assert!(html.contains("<a href=\"https://rfc.example.org\">"), "{html}");
    assert!(html.contains("@media print"), "{html}");

    let strike = env.tribune(&["-C", &c, "export", "strike", "--as", "abc", "--format", "html"]).ok().stdout;
    well_formed(&strike);
    assert!(
        !strike.contains("<script>") && strike.contains("&lt;script&gt;"),
        "raw HTML must be shown as text:\n{strike}"
    );

    let txt = env.tribune(&["-C", &c, "export", "solidarity", "--as", "rfc", "--format", "txt"]).ok().stdout;
    assert!(txt.starts_with("Solidarity\n==========\n"), "{txt}");
    assert!(txt.contains("walked proudly off the floor. Tenants withheld rent."), "markup is dropped:\n{txt}");
    assert!(txt.contains("\n- Quotes <https://news.example.org/heat>\n"), "{txt}");
    assert!(txt.trim_end().ends_with("The RFC Desk contingent of Mass Organization XYZ"), "{txt}");
    assert!(!txt.contains("**") && !txt.contains("<p>"), "{txt}");

    let out = env.path("out.html");
    let r = env
        .tribune(&["-C", &c, "export", "solidarity", "--as", "rfc", "--format", "html", "-o", out.to_str().unwrap()])
        .ok();
    assert!(r.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), html.replace("XYZ Circle contingent", "RFC Desk contingent"));
}

/// Parses the whole document as XML (every element closed, attributes quoted, entities
/// known) and returns the element names in order.
pub(crate) fn well_formed(html: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(html);
    let mut names = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap());
            }
            Ok(quick_xml::events::Event::Empty(e)) => {
                names.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap())
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.unescape().unwrap_or_else(|e| panic!("bad entity: {e}\n{html}"));
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}\n{html}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0, "unclosed elements:\n{html}");
    names
}

#[test]
fn export_refuses_a_missing_or_unknown_contingent_and_an_unapproved_statement() {
    let (env, c, _) = chain();
    refused(&env, &c, &["-C", &c, "export", "strike"], 2, &["--as CONTINGENT"]);
    refused(
        &env,
        &c,
        &["-C", &c, "export", "strike", "--as", "nope"],
        1,
        &["no contingent \"nope\"", "known contingents"],
    );
    refused(&env, &c, &["-C", &c, "export", "strike", "--as", "abc", "--format", "pdf"], 2, &["pdf"]);
    refused(&env, &c, &["-C", &c, "export", "strike", "--statement"], 1, &["no joint statement \"strike\""]);
    let s = env.write("st.md", "+++\ntitle = \"For the strike\"\n+++\nWe support the strike.\n");
    env.tribune(&["-C", &c, "propose", &s, "--deadline", "2026-12-01T00:00:00Z"]).ok();
    refused(&env, &c, &["-C", &c, "export", "for-the-strike"], 1, &["not approved", "verify for-the-strike`"]);
    refused(&env, &c, &["-C", &c, "export", "for-the-strike", "--as", "abc"], 2, &["whole organisation"]);
}

#[test]
fn an_approved_statement_exports_in_the_name_of_the_organisation_with_its_vote() {
    let (mut env, c) = commons();
    let mut keys = Vec::new();
    for m in ["m1", "m2", "m3"] {
        let (key, public) = keypair(&env, m);
        add_keyed_member(&env, &c, m, "abc", &public).ok();
        keys.push(key);
    }
    let s = env.write("st.md", "+++\ntitle = \"For the strike\"\n+++\nWe support the **strike**.\n");
    env.tribune(&["-C", &c, "propose", &s, "--deadline", "2026-12-01T00:00:00Z", "--threshold", "2/3"]).ok();
    for (i, choice) in ["yes", "yes", "no"].iter().enumerate() {
        env.tribune(&["-C", &c, "vote", "for-the-strike", choice, "--as", &format!("m{}", i + 1), "--key", &keys[i]])
            .ok();
    }
    // alice (of `Env::commons`) has not voted: approve after the deadline.
    env.vars = vec![("GIT_COMMITTER_DATE".into(), "2026-12-02T00:00:00Z".into())];
    env.tribune(&["-C", &c, "approve", "for-the-strike", "--as", "m1", "--key", &keys[0]]).ok();
    let md = env.tribune(&["-C", &c, "export", "for-the-strike"]).ok().stdout;
    assert!(
        md.contains("Approved by 2 of 3 votes, two-thirds required; signed tag statements/for-the-strike."),
        "{md}"
    );
    assert!(md.trim_end().ends_with("**Mass Organization XYZ**"), "{md}");
    let html = env.tribune(&["-C", &c, "export", "for-the-strike", "--format", "html"]).ok().stdout;
    well_formed(&html);
    assert!(html.contains("<strong>strike</strong>"), "{html}");
    // Without its tag the statement is not approved, whatever the ballots say.
    env.git(&["-C", &c, "tag", "-d", "statements/for-the-strike"]).ok();
    refused(&env, &c, &["-C", &c, "export", "for-the-strike"], 1, &["not approved"]);
}

#[test]
fn credit_check_finds_a_planted_copy_and_leaves_credited_reuse_alone() {
    let (env, c) = commons();
    env.tribune(&["-C", &c, "roster", "add-contingent", "rfc", "--name", "RFC Desk"]).ok();
    let passage = "About sixty workers on line 3 walked off the floor after the thermometer read 34 degrees in the afternoon heat and the managers hid in the office";
    let add = |slug: &str, contingent: &str, date: &str, extra: &str, body: &str| {
        let f = env.write(&format!("{slug}.md"), article(slug, contingent, extra, body).replace("2026-11-21", date));
        env.tribune(&["-C", &c, "contribute", &f, "--slug", slug]).ok();
    };
    add("original", "abc", "2026-11-20", "", &format!("{passage}.\n\nMore of our own reporting follows here.\n"));
    add(
        "unrelated",
        "xyz",
        "2026-11-20",
        "",
        "Tenants at 400 Willowmere withheld rent for a third month in a row, the association said on Friday.\n",
    );
    add("planted", "rfc", "2026-11-22", "", &format!("Our report.\n\n{passage}, as everyone saw.\n"));
    add(
        "credited",
        "xyz",
        "2026-11-22",
        "[[derived_from]]\nrelation = \"wasQuotedFrom\"\nslug = \"original\"\n",
        &format!("We quote: {passage}.\n"),
    );
    add(
        "second-hand",
        "abc",
        "2026-11-23",
        "[[derived_from]]\nrelation = \"wasDerivedFrom\"\nslug = \"credited\"\n",
        &format!("Again: {passage}.\n"),
    );
    // A rival version of the original is a version of the same article, never a copy.
    let raw = env.tribune(&["-C", &c, "show", "original", "--raw"]).ok().stdout;
    let r = env.write("rival.md", raw.replace("More of our own", "Less of their"));
    env.tribune(&["-C", &c, "rewrite", "original", "--contingent", "xyz", "--file", &r]).ok();

    let j = json(env.tribune(&["-C", &c, "credit-check", "--json"]).ok());
    let mut pairs: Vec<(&str, &str)> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["copy"]["slug"].as_str().unwrap(), f["source"]["slug"].as_str().unwrap()))
        .collect();
    // Only the planted copy is uncredited: it reuses the original and the quotation of it,
    // and the later second-hand text, which credits the quotation, reuses it in turn.
    pairs.sort();
    assert_eq!(pairs, [("planted", "credited"), ("planted", "original"), ("second-hand", "planted")], "{j:#}");
    assert_eq!(j["texts"], 6);
    let text = env.tribune(&["-C", &c, "credit-check", "original"]).ok().stdout;
    assert!(
        text.contains("planted@")
            && text.contains("reuses")
            && text.contains("walked off the floor after the thermometer"),
        "{text}"
    );
    let none = env.tribune(&["-C", &c, "credit-check", "unrelated"]).ok().stdout;
    assert!(none.starts_with("No uncredited reuse found"), "{none}");
    // A threshold above the share found lists nothing.
    let j = json(env.tribune(&["-C", &c, "credit-check", "--threshold", "1", "--json"]).ok());
    assert!(j["findings"].as_array().unwrap().iter().all(|f| f["percent"] == 100), "{j:#}");
    refused(&env, &c, &["-C", &c, "credit-check", "--threshold", "30%"], 2, &["3/10"]);
    refused(&env, &c, &["-C", &c, "credit-check", "nope"], 1, &["no article"]);
}
