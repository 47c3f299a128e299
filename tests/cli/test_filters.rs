//! Trust filters: `filter`, `list --filter`, `versions --filter` and `why`.

use crate::harness::*;

const A: &str = "port-blockade";
const B: &str = "rent-strike";

/// Two articles; `left` rates A +2 and B -1, `right` rates A -2 and B +2.
fn setup() -> (Env, String) {
    let (env, c) = commons();
    for (slug, title) in [(A, "Port blockade"), (B, "Rent strike")] {
        env.contribute(&c, slug, &article(title, "abc", "", "Body.\n")).ok();
    }
    for (rater, slug, score) in [("left", A, "2"), ("left", B, "-1"), ("right", A, "-2"), ("right", B, "2")] {
        env.tribune(&["-C", &c, "rate", slug, "--score", score, "--as", rater]).ok();
    }
    (env, c)
}

/// xyz's rewrite of `slug` with `body`, rated `score` by left, and the filter lefty that
/// trusts left and passes from `min_score`.
fn rival(env: &Env, c: &str, slug: &str, title: &str, body: &str, score: &str, min_score: &str) {
    let f = env.write("rw.md", article(title, "abc", "", body));
    env.tribune(&["-C", c, "rewrite", slug, "--contingent", "xyz", "--file", &f]).ok();
    env.tribune(&["-C", c, "rate", &format!("{slug}@xyz"), "--score", score, "--as", "left"]).ok();
    add_filter(env, c, "lefty", &["left"], min_score, &[]).ok();
}

/// The slugs `list --filter FILTER --json` lists.
fn slugs(env: &Env, c: &str, filter: &str) -> Vec<String> {
    let v = env.tribune(&["-C", c, "list", "--filter", filter, "--json"]).ok().json();
    v.as_array().unwrap().iter().map(|r| r["slug"].as_str().unwrap().to_string()).collect()
}

#[test]
fn two_filters_trusting_opposed_raters_show_different_front_pages() {
    let (env, c) = setup();
    add_filter(&env, &c, "lefty", &["left"], "1", &[]).ok();
    add_filter(&env, &c, "righty", &["right"], "1", &["--shared"]).ok();
    assert_eq!(slugs(&env, &c, "lefty"), [A]);
    assert_eq!(slugs(&env, &c, "righty"), [B]);
    // The shared filter is a trunk commit plain git can read; the private one is not.
    env.git(&["-C", &c, "cat-file", "-e", "main:filters/righty.toml"]).ok();
    assert!(env.git(&["-C", &c, "cat-file", "-e", "main:filters/lefty.toml"]).code != 0);
    let listed = env.tribune(&["-C", &c, "filter", "list"]).ok().stdout;
    assert!(listed.contains("lefty") && listed.contains("private") && listed.contains("shared"), "{listed}");
    env.fsck(&c);
}

#[test]
fn weights_and_exact_thresholds_decide_and_why_shows_the_arithmetic() {
    let (env, c) = setup();
    // A: (3·2 + 1·(-2)) / 4 = 1 exactly: passes at 1, fails at 1.01 (101/100).
    add_filter(&env, &c, "mix", &["left=3", "right"], "1", &[]).ok();
    add_filter(&env, &c, "strict", &["left=3", "right"], "1.01", &[]).ok();
    assert_eq!(slugs(&env, &c, "mix"), [A]);
    assert!(slugs(&env, &c, "strict").is_empty());
    let why = env.tribune(&["-C", &c, "why", A, "--filter", "mix"]).ok().stdout;
    assert!(why.contains("Weighted mean 4 / 4 = 1") && why.contains("passes"), "{why}");
    let j = env.tribune(&["-C", &c, "why", A, "--filter", "strict", "--json"]).ok().json();
    assert_eq!(j["passes"], false);
    assert_eq!((j["weighted"].as_i64(), j["weights"].as_i64()), (Some(4), Some(4)));
    // `ratings --filter` gives the same verdicts per version.
    let verdict = |f: &str| -> serde_json::Value {
        env.tribune(&["-C", &c, "ratings", A, "--filter", f, "--json"]).ok().json()["summaries"][0]["filtered"].clone()
    };
    assert_eq!(verdict("mix"), serde_json::json!(["1", true]));
    assert_eq!(verdict("strict"), serde_json::json!(["1", false]));
}

#[test]
fn why_names_the_reason_each_rating_was_left_out() {
    let (env, c) = setup();
    env.tribune(&["-C", &c, "rate", A, "--score", "1", "--as", "left", "--dimension", "accuracy"]).ok();
    env.tribune(&["-C", &c, "rate", A, "--score", "-1", "--as", "left"]).ok();
    add_filter(&env, &c, "lefty", &["left"], "0", &[]).ok();
    let j = env.tribune(&["-C", &c, "why", A, "--filter", "lefty", "--json"]).ok().json();
    let ratings = j["ratings"].as_array().unwrap();
    // A counted rating has no reason (null), a left-out one says why.
    for r in ratings {
        assert_eq!(r["reason"].is_null(), r["counted"] == true, "{r}");
    }
    let reasons: Vec<&str> = ratings.iter().filter_map(|r| r["reason"].as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("not a rater this filter trusts")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("rates accuracy")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("replaced by the same rater's later rating")), "{reasons:?}");
    assert_eq!(j["passes"], false, "the latest left rating is -1");
}

#[test]
fn a_verified_only_filter_counts_no_unsigned_rating() {
    let (env, c) = setup();
    add_filter(&env, &c, "signed", &["left"], "0", &["--verified-only"]).ok();
    assert!(slugs(&env, &c, "signed").is_empty());
    let why = env.tribune(&["-C", &c, "why", A, "--filter", "signed"]).ok().stdout;
    assert!(why.contains("unsigned"), "{why}");
}

#[test]
fn versions_are_ranked_by_a_filter() {
    let (env, c) = setup();
    rival(&env, &c, A, "Port blockade", "Body, retold.\n", "-2", "0");
    let v = env.tribune(&["-C", &c, "versions", A, "--filter", "lefty", "--json"]).ok().json();
    let order: Vec<(&str, bool)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["places"][0].as_str().unwrap(), r["passes"].as_bool().unwrap()))
        .collect();
    assert_eq!(order, [("trunk", true), ("contingents/xyz", false)]);
}

#[test]
fn bad_filters_are_refused() {
    let (env, c) = setup();
    env.tribune(&["-C", &c, "filter", "add", "x", "--trust", "left", "--dimension", "vibes", "--min-score", "1"])
        .fails(1, "not a rating dimension");
    add_filter(&env, &c, "x", &["left"], "lots", &[]).fails(1, "min_score");
    add_filter(&env, &c, "x", &["left=0"], "1", &[]).fails(1, "weight");
    env.tribune(&["-C", &c, "list", "--filter", "nope"]).fails(1, "no filter \"nope\"");
    env.tribune(&["-C", &c, "filter", "remove", "nope"]).fails(1, "no private filter");
}

#[test]
fn list_filter_shows_a_passing_rival_version_as_its_own_row() {
    let (env, c) = setup();
    rival(&env, &c, B, "Rent strike", "Body, retold by xyz.\n", "2", "1");
    let v = env.tribune(&["-C", &c, "list", "--filter", "lefty", "--json"]).ok().json();
    let rows: Vec<(&str, &str, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["slug"].as_str().unwrap(), r["contingent"].as_str().unwrap(), r["versions"].as_u64().unwrap()))
        .collect();
    assert!(rows.contains(&(A, "abc", 1)), "{rows:?}");
    assert!(rows.contains(&(B, "xyz", 2)), "the rival version passes and counts both versions: {rows:?}");
    assert_eq!(rows.len(), 2, "the trunk's B (rated -1) does not pass: {rows:?}");
}

/// A filter with a further condition (`--also newsworthy=1`) passes only the versions that
/// meet both, exactly: A is good politics but not news, B news but bad politics, C both.
/// `why` explains each condition with its arithmetic, `list --filter`, `versions --filter`
/// and `ratings --filter` agree, and a condition with raters of its own (written in the
/// file) counts only those raters.
#[test]
fn a_filter_on_two_dimensions_passes_what_meets_both() {
    let (env, c) = commons();
    const C: &str = "general-strike";
    for (slug, title) in [(A, "Port blockade"), (B, "Rent strike"), (C, "General strike")] {
        env.contribute(&c, slug, &article(title, "abc", "", "Body.\n")).ok();
    }
    for (slug, politics, news) in [(A, "2", "-1"), (B, "-1", "2"), (C, "1", "1")] {
        env.tribune(&["-C", &c, "rate", slug, "--score", politics, "--as", "left"]).ok();
        env.tribune(&["-C", &c, "rate", slug, "--dimension", "newsworthy", "--score", news, "--as", "left"]).ok();
    }
    add_filter(&env, &c, "both", &["left"], "1", &["--also", "newsworthy=1"]).ok();
    let mut passing = slugs(&env, &c, "both");
    passing.sort();
    assert_eq!(passing, [C]);
    // The politics condition alone would pass A and C.
    let saved = add_filter(&env, &c, "politics-only", &["left"], "1", &[]).ok().stdout;
    let dir = saved.trim().trim_end_matches('.').rsplit_once(" in ").unwrap().1.trim_end_matches("politics-only.toml");
    let mut alone = slugs(&env, &c, "politics-only");
    alone.sort();
    assert_eq!(alone, [C, A]);

    let why = env.tribune(&["-C", &c, "why", A, "--filter", "both"]).ok().stdout;
    assert!(why.contains("And newsworthy at least 1"), "{why}");
    assert!(why.contains("the condition on newsworthy does not hold"), "{why}");
    assert!(why.contains("rates politics, this condition reads newsworthy"), "{why}");
    let json = env.tribune(&["-C", &c, "why", A, "--filter", "both", "--json"]).ok().json();
    assert_eq!(json["passes"], false, "{json}");
    assert_eq!(json["weighted"], 2, "{json}");
    assert_eq!(json["also"][0]["dimension"], "newsworthy", "{json}");
    assert_eq!(json["also"][0]["weighted"], -1, "{json}");
    assert_eq!(json["also"][0]["passes"], false, "{json}");
    let json = env.tribune(&["-C", &c, "why", C, "--filter", "both", "--json"]).ok().json();
    assert_eq!(json["passes"], true, "{json}");

    let versions = env.tribune(&["-C", &c, "versions", B, "--filter", "both", "--json"]).ok().json();
    assert!(versions.to_string().contains("false"), "{versions}");
    let ratings = env.tribune(&["-C", &c, "ratings", C, "--filter", "both", "--json"]).ok().json();
    assert!(ratings.to_string().contains("true"), "{ratings}");

    // A condition with raters of its own: only `right` counts on newsworthy, and right
    // finds C no news.
    env.tribune(&["-C", &c, "rate", C, "--dimension", "newsworthy", "--score", "-2", "--as", "right"]).ok();
    let private = format!("{dir}own.toml");
    std::fs::write(
        &private,
        "trust = { left = 1 }\ndimension = \"politics\"\nmin_score = \"1\"\n\n[[also]]\ndimension = \
         \"newsworthy\"\nmin_score = \"1\"\ntrust = { right = 1 }\n",
    )
    .unwrap();
    assert_eq!(slugs(&env, &c, "own"), Vec::<String>::new());
    let json = env.tribune(&["-C", &c, "why", C, "--filter", "own", "--json"]).ok().json();
    assert_eq!((json["also"][0]["weighted"].as_i64(), json["also"][0]["weights"].as_i64()), (Some(-2), Some(1)));

    // Bad conditions are refused with what and where.
    add_filter(&env, &c, "bad", &["left"], "1", &["--also", "weather=1"])
        .fails(1, "--also weather=1: \"weather\" is not a rating dimension");
    add_filter(&env, &c, "bad", &["left"], "1", &["--also", "newsworthy"]).fails(1, "no minimum score");
    add_filter(&env, &c, "bad", &["left"], "1", &["--also", "newsworthy=lots"])
        .fails(2, "--also newsworthy=lots: \"lots\" is not a number");
    std::fs::write(&private, "trust = { left = 1 }\ndimension = \"politics\"\nmin_score = \"1\"\n[[also]]\ndimension = \"newsworthy\"\nmin_score = \"1\"\ntrust = { right = 0 }\n").unwrap();
    env.tribune(&["-C", &c, "list", "--filter", "own"]).fails(1, "the weight of right is 0");
}
