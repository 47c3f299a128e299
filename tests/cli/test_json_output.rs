//! `diff --json` and `export --json`: fields a script can read, not prose; and the language
//! an exported page declares, from the text.

use crate::harness::*;
use serde_json::Value;

const SLUG: &str = "walkout";

fn json(r: Run) -> Value {
    assert!(!r.stdout.contains('\x1b'), "colour in JSON: {:?}", r.stdout);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{}", r.stdout))
}

/// A commons with one article, rewritten by xyz (a word changed, a paragraph added, a tag).
fn commons(env: &Env) -> String {
    let c = env.commons();
    let a = env
        .write("a.md", article("Warehouse walkout", "abc", "", "Line 3 stopped at noon.\n\nThe night shift joined.\n"));
    let photo = env.write("picket.jpg", [0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    env.tribune(&["-C", &c, "contribute", &a, "--slug", SLUG, "--attach", &photo]).ok();
    let r = env.write(
        "r.md",
        article(
            "Warehouse walkout",
            "abc",
            "tags = [\"strike\"]\n",
            "Line 3 stopped at dawn.\n\nThe night shift joined.\n\nThe union called a meeting.\n",
        ),
    );
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--file", &r]).ok();
    c
}

#[test]
fn diff_as_json_gives_the_versions_counts_and_changes_as_fields() {
    let env = Env::new();
    let c = commons(&env);
    let v = json(env.tribune(&["-C", &c, "--color", "always", "diff", SLUG, "trunk", "xyz", "--json"]).ok());
    assert_eq!(v["slug"], SLUG);
    assert_eq!(v["from"]["selector"], "trunk");
    assert_eq!(v["from"]["version"], rev(&env, &c, &format!("main:{}", text_path(SLUG))).as_str());
    assert_eq!(v["to"]["selector"], "xyz");
    assert_eq!(v["same_text"], false);
    assert_eq!((v["words_added"].as_u64(), v["words_removed"].as_u64()), (Some(6), Some(1)), "{v:#}");
    assert_eq!(v["paragraphs_moved"], 0);
    let front = v["front_matter"].as_array().unwrap();
    assert!(front.iter().any(|l| l["op"] == "added" && l["line"].as_str().unwrap().contains("strike")), "{v:#}");
    let ops: Vec<&str> = v["paragraphs"].as_array().unwrap().iter().map(|p| p["op"].as_str().unwrap()).collect();
    assert_eq!(ops, ["changed", "same", "added"], "{v:#}");
    let pieces = &v["paragraphs"][0]["pieces"];
    assert!(pieces
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["op"] == "removed" && p["text"].as_str().unwrap().contains("noon")));
    assert!(pieces
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["op"] == "added" && p["text"].as_str().unwrap().contains("dawn")));
    assert_eq!(v["paragraphs"][2]["text"], "The union called a meeting.");

    let v = json(env.tribune(&["-C", &c, "diff", SLUG, "trunk", "xyz", "--json", "--stat"]).ok());
    assert_eq!(v["words_added"], 6);
    assert!(v.get("paragraphs").is_none() && v.get("front_matter").is_none(), "{v:#}");

    let v = json(env.tribune(&["-C", &c, "diff", SLUG, "trunk", "xyz", "--json", "--lines"]).ok());
    let lines = v["lines"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["op"] == "removed" && l["line"] == "Line 3 stopped at noon."), "{v:#}");
    assert!(lines.iter().any(|l| l["op"] == "added" && l["line"] == "The union called a meeting."), "{v:#}");
    assert!(lines.iter().any(|l| l["op"] == "same" && l["line"] == "+++"), "{v:#}");

    let v = json(env.tribune(&["-C", &c, "diff", SLUG, "trunk", "trunk", "--json"]).ok());
    assert_eq!(v["same_text"], true);
    assert_eq!(v["words_added"], 0);

    let v = json(env.tribune(&["-C", &c, "diff", SLUG, "trunk", "xyz", "--json", "--three-way"]).ok());
    assert_eq!(v["base"], rev(&env, &c, &format!("main:{}", text_path(SLUG))).as_str());
    let sides = v["three_way"].as_array().unwrap();
    assert_eq!(sides.len(), 2);
    assert_eq!(sides[0]["same_text"], true, "the trunk is the base: {v:#}");
    assert_eq!(sides[1]["to"]["selector"], "xyz");
    assert_eq!(sides[1]["words_added"], 6);
}

#[test]
fn export_as_json_gives_an_articles_fields_not_prose() {
    let env = Env::new();
    let c = commons(&env);
    let v = json(env.tribune(&["-C", &c, "export", SLUG, "--as", "abc", "--json"]).ok());
    let trunk = rev(&env, &c, &format!("main:{}", text_path(SLUG)));
    assert_eq!(v["kind"], "article");
    assert_eq!(v["slug"], SLUG);
    assert_eq!(v["version"], trunk.as_str());
    assert_eq!(v["lang"], "en");
    assert_eq!(v["title"], "Warehouse walkout");
    assert_eq!(v["contingent"], "abc");
    assert_eq!(v["authors"], serde_json::json!(["R. Lopez"]));
    assert_eq!(v["date"], "2026-11-21");
    assert_eq!(v["license"], "CC0-1.0");
    assert_eq!(v["tags"], serde_json::json!([]));
    assert_eq!(v["exported_as"], serde_json::json!({"contingent": "abc", "name": "ABC Collective"}));
    assert_eq!(v["organisation"], "Mass Organization XYZ");
    assert_eq!(v["body"], "Line 3 stopped at noon.\n\nThe night shift joined.\n");
    // The credits as `tribune credits --json` gives them: who, not a sentence.
    let credits = &v["credits"];
    assert_eq!(credits["version"], trunk.as_str());
    assert_eq!(credits["original"]["action"], "original");
    assert_eq!(credits["original"]["authors"], serde_json::json!(["R. Lopez"]));
    assert_eq!(credits["original"]["contingent"]["id"], "abc");
    assert_eq!(credits["modified_by"], serde_json::json!([]), "{v:#}");
    let photo = rev(&env, &c, &format!("main:articles/{}/{SLUG}/picket.jpg", shard(SLUG)));
    assert_eq!(v["attachments"], serde_json::json!([{"name": "picket.jpg", "id": photo}]));
    // No prose among the fields: the worded parts are under `rendered` only.
    for prose in ["byline", "notice", "signature", "approval"] {
        assert!(v.get(prose).is_none(), "{prose} at the top: {v:#}");
    }
    let rendered = &v["rendered"];
    assert_eq!(rendered["byline"], "By R. Lopez · 21 November 2026");
    assert_eq!(rendered["signature"], "The ABC Collective contingent of Mass Organization XYZ");
    assert!(rendered["notice"].as_str().unwrap().contains("public domain (CC0-1.0)"), "{v:#}");
    assert!(rendered["credits"][0]["text"].as_str().unwrap().starts_with("Original"), "{v:#}");
    assert!(rendered.get("approval").is_none(), "{v:#}");

    // xyz's rewrite, exported as xyz, to a file: its own version, tags and credits.
    let out = env.path("export.json");
    env.tribune(&["-C", &c, "export", &format!("{SLUG}@xyz"), "--as", "xyz", "--json", "-o", out.to_str().unwrap()])
        .ok();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_ne!(v["version"], trunk.as_str());
    assert!(v["body"].as_str().unwrap().contains("The union called a meeting."));
    assert_eq!(v["tags"], serde_json::json!(["strike"]));
    assert_eq!(v["exported_as"]["contingent"], "xyz");
    assert_eq!(v["credits"]["modified_by"][0]["id"], "xyz", "{v:#}");
    assert_eq!(v["credits"]["original"]["version"], trunk.as_str(), "{v:#}");
    assert_eq!(v["attachments"][0]["name"], "picket.jpg", "{v:#}");
    env.tribune(&["-C", &c, "export", SLUG, "--as", "abc", "--json", "--format", "html"]).fails(2, "--format");
}

#[test]
fn export_as_json_gives_an_approved_statements_rule_and_count_as_fields() {
    let mut v = crate::vote_fixture::setup(3);
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "no")]);
    v.env.vars = vec![("GIT_COMMITTER_DATE".into(), crate::vote_fixture::LATE.into())];
    v.approve("m1").ok();
    let j = json(v.env.tribune(&["-C", &v.c, "export", crate::vote_fixture::SLUG, "--json"]).ok());
    assert_eq!(j["kind"], "statement");
    assert_eq!(j["slug"], crate::vote_fixture::SLUG);
    assert_eq!(j["title"], "For the rent strike");
    assert_eq!(j["body"], "We support the tenants.\n");
    assert_eq!(j["proposal"], v.proposal.as_str());
    assert_eq!(j["text"], v.text.as_str());
    assert_eq!(
        j["rule"],
        serde_json::json!({"threshold": {"p": 2, "q": 3}, "basis": "cast", "quorum": {"p": 1, "q": 2}, "double_majority": false})
    );
    assert_eq!(j["counts"], serde_json::json!({"yes": 2, "no": 1, "abstain": 0, "electorate": 3}));
    assert_eq!(j["approved"], true);
    assert_eq!(j["verified"], true);
    assert_eq!(j["tag"], format!("statements/{}", crate::vote_fixture::SLUG));
    assert_eq!(j["signed_by"], "m1");
    assert_eq!(j["organisation"], "Mass Organization XYZ");
    assert!(j.get("approval").is_none() && j.get("signature").is_none(), "{j:#}");
    assert!(j["rendered"]["approval"].as_str().unwrap().starts_with("Approved by 2 of 3 votes, two-thirds required"));
    assert_eq!(j["rendered"]["signature"], "Mass Organization XYZ");
}

#[test]
fn an_exported_page_declares_the_language_of_its_text() {
    let env = Env::new();
    let c = env.commons();
    for (slug, extra, lang) in [
        ("greve", "lang = \"fr\"\n", "fr"),
        ("streik", "language = \"de-AT\"\n", "de-AT"),
        ("both", "lang = \"pt-BR\"\nlanguage = \"es\"\n", "pt-BR"),
        ("plain", "", "en"),
        ("broken", "lang = \"fr\\\" onload=\\\"x\"\n", "en"),
    ] {
        let f = env.write(&format!("{slug}.md"), article("A title", "abc", extra, "Body.\n"));
        env.tribune(&["-C", &c, "contribute", &f, "--slug", slug]).ok();
        let html = env.tribune(&["-C", &c, "export", slug, "--as", "abc", "--format", "html"]).ok().stdout;
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{slug}: {}", &html[..200.min(html.len())]);
        let v = json(env.tribune(&["-C", &c, "export", slug, "--as", "abc", "--json"]).ok());
        assert_eq!(v["lang"], lang, "{slug}");
    }
    // The commons' own language, set in tribune.toml with plain git (a top-level key: first), stands in when the
    // text does not say (or says nothing usable); the text's own still wins.
    let work = env.path("empty-work-tree");
    std::fs::create_dir_all(&work).unwrap();
    let script = format!(
        "set -e\ncd '{c}'\nexport GIT_INDEX_FILE='{idx}' GIT_WORK_TREE='{work}'\ngit read-tree main\n\
         {{ echo 'lang = \"fr-CA\"'; git show main:tribune.toml; }} > '{toml}'\n\
         git update-index --cacheinfo 100644,$(git hash-object -w '{toml}'),tribune.toml\n\
         git update-ref refs/heads/main $(git commit-tree $(git write-tree) -p main -m 'tribune.toml: lang')\n",
        idx = env.path("plain-index").display(),
        work = work.display(),
        toml = env.path("tribune.toml").display(),
    );
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", &script]);
    env.run_command(cmd).ok();
    for (slug, lang) in [("plain", "fr-CA"), ("broken", "fr-CA"), ("greve", "fr")] {
        let v = json(env.tribune(&["-C", &c, "export", slug, "--as", "abc", "--json"]).ok());
        assert_eq!(v["lang"], lang, "{slug} with the commons' lang");
    }
}
