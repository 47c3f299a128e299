//! The read commands `list`, `show` and `log`: what they print, and that they follow plain git.

use crate::harness::*;

/// An article with its own date and tags.
fn dated(title: &str, contingent: &str, date: &str, tags: &[&str], body: &str) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
    format!(
        "+++\ntitle = \"{title}\"\nauthors = [\"R. Lopez\", \"J. Doe\"]\ncontingent = \"{contingent}\"\ndate = {date}\ntags = [{}]\nlicense = \"CC0-1.0\"\n+++\n{body}",
        tags.join(", ")
    )
}

/// The walkout article, dated 2026-11-21, by xyz.
fn walkout(tags: &[&str], body: &str) -> String {
    dated("Warehouse walkout", "xyz", "2026-11-21", tags, body)
}

/// Contributes `text` (as file `name`) and returns (version, commit) from `--json`.
fn contribute(env: &Env, c: &str, name: &str, text: &str, extra: &[&str]) -> (String, String) {
    let f = env.write(name, text);
    let mut args = vec!["-C", c, "contribute", f.as_str(), "--json"];
    args.extend_from_slice(extra);
    let r = env.tribune(&args).ok();
    let v = r.json();
    (v["version"].as_str().unwrap().to_string(), v["commit"].as_str().unwrap().to_string())
}

const RENT: &str = "rent-strike-day-one";
const WALKOUT: &str = "warehouse-walkout";
const PORT: &str = "port-blockade";

/// A commons with three articles, contributed oldest-dated first but not in date order, at
/// one instant (as articles that arrive together by a merge): `list` orders them by date.
fn three() -> (Env, String) {
    let (env, c) = commons();
    env.freeze_clock();
    contribute(
        &env,
        &c,
        "rent.md",
        &dated("Rent strike day one", "abc", "2026-10-05", &["housing"], "Tenants stopped paying.\n"),
        &[],
    );
    contribute(
        &env,
        &c,
        "port.md",
        &dated("Port blockade", "abc", "2026-11-02", &["strike"], "Dockers blocked the gates.\n"),
        &[],
    );
    contribute(&env, &c, "walkout.md", &walkout(&["strike", "labour"], "Line 3 stopped.\n"), &[]);
    env.thaw_clock();
    (env, c)
}

/// The first column of a table, without its header.
fn slugs(stdout: &str) -> Vec<String> {
    let mut lines = stdout.lines();
    let header = lines.next().unwrap_or("");
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["SLUG", "TITLE", "CONTINGENT", "DATE", "VERSIONS"],
        "{stdout}"
    );
    lines.map(|l| l.split_whitespace().next().unwrap_or("").to_string()).collect()
}

fn list(env: &Env, c: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["-C", c, "list"];
    args.extend_from_slice(extra);
    let r = env.tribune(&args).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    slugs(&r.stdout)
}

// list

#[test]
fn list_shows_every_article_newest_date_first() {
    let (env, c) = three();
    let r = env.tribune(&["-C", &c, "list"]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(slugs(&r.stdout), [WALKOUT, PORT, RENT]);
    let row: Vec<&str> = r.stdout.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row, [WALKOUT, "Warehouse", "walkout", "xyz", "2026-11-21", "1"], "{}", r.stdout);
}

#[test]
fn articles_of_the_same_date_are_listed_by_slug() {
    let (env, c) = commons();
    // Arrived with one commit (a merge, say, or one made with plain git), with one date:
    // the slug decides.
    let w = env.clone_of(&c, "w");
    for title in ["Bravo", "Alpha", "Charlie"] {
        let path = format!("{w}/{}", text_path(&title.to_lowercase()));
        std::fs::create_dir_all(std::path::Path::new(&path).parent().unwrap()).unwrap();
        std::fs::write(&path, dated(title, "abc", "2026-11-21", &[], "Body.\n")).unwrap();
    }
    commit_and_push(&env, &w, "main", "three at once");
    assert_eq!(list(&env, &c, &[]), ["alpha", "bravo", "charlie"]);
}

#[test]
fn list_filters_by_contingent_tag_and_date_and_limits() {
    let (env, c) = three();
    assert_eq!(list(&env, &c, &["--contingent", "abc"]), [PORT, RENT]);
    assert_eq!(list(&env, &c, &["--contingent", "xyz"]), [WALKOUT]);
    assert_eq!(list(&env, &c, &["--tag", "strike"]), [WALKOUT, PORT]);
    assert_eq!(list(&env, &c, &["--tag", "housing"]), [RENT]);
    assert_eq!(list(&env, &c, &["--since", "2026-11-01"]), [WALKOUT, PORT]);
    assert_eq!(list(&env, &c, &["--since", "2026-11-02"]), [WALKOUT, PORT], "--since includes its own day");
    assert_eq!(list(&env, &c, &["--since", "2026-11-03"]), [WALKOUT]);
    assert_eq!(list(&env, &c, &["--limit", "2"]), [WALKOUT, PORT]);
    assert_eq!(list(&env, &c, &["--limit", "1"]), [WALKOUT]);
    assert_eq!(list(&env, &c, &["--limit", "10"]), [WALKOUT, PORT, RENT]);
    assert_eq!(list(&env, &c, &["--contingent", "abc", "--tag", "strike"]), [PORT]);
    assert_eq!(list(&env, &c, &["--contingent", "abc", "--limit", "1"]), [PORT]);
    let r = env.tribune(&["-C", &c, "list", "--tag", "nothing"]).ok();
    assert_eq!(r.stdout.trim(), "No articles match.");
}

#[test]
fn list_as_json_has_the_fields_scripts_need() {
    let (env, c) = three();
    let v = env.tribune(&["-C", &c, "list", "--json"]).ok().quiet().json();
    let rows = v.as_array().expect("an array");
    assert_eq!(rows.iter().map(|r| r["slug"].as_str().unwrap()).collect::<Vec<_>>(), [WALKOUT, PORT, RENT]);
    let w = &rows[0];
    assert_eq!(w["title"], "Warehouse walkout");
    assert_eq!(w["contingent"], "xyz");
    assert_eq!(w["date"], "2026-11-21");
    assert_eq!(w["version"], rev(&env, &c, &format!("main:{}", text_path(WALKOUT))).as_str());
    assert_eq!(w["versions"], 1);
    assert_eq!(w["tags"], serde_json::json!(["strike", "labour"]));
    assert_eq!(w["authors"], serde_json::json!(["R. Lopez", "J. Doe"]));
    for r in rows {
        let slug = r["slug"].as_str().unwrap();
        assert_eq!(r["version"], rev(&env, &c, &format!("main:{}", text_path(slug))).as_str(), "{slug}");
    }
    let v = env.tribune(&["-C", &c, "list", "--json", "--contingent", "abc", "--limit", "1"]).ok().quiet().json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["slug"], PORT);
    let v = env.tribune(&["-C", &c, "list", "--json", "--tag", "nothing"]).ok().quiet().json();
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn list_of_an_empty_commons_says_how_to_contribute() {
    let (env, c) = commons();
    let r = env.tribune(&["-C", &c, "list"]).ok();
    assert!(
        r.stdout.contains("No articles yet") && r.stdout.contains(&format!("tribune -C {c} contribute FILE")),
        "{}",
        r.stdout
    );
    assert_eq!(env.tribune(&["-C", &c, "list", "--json"]).ok().quiet().json(), serde_json::json!([]));
}

#[test]
fn list_with_an_unknown_contingent_is_refused_with_the_known_ones() {
    let (env, c) = three();
    let r = env.tribune(&["-C", &c, "list", "--contingent", "nope"]).fails(1, "there is no contingent \"nope\"");
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("known contingents: abc, xyz"), "{}", r.stderr);
    env.tribune(&["-C", &c, "list", "--since", "November"]).fails(2, "--since");
    env.tribune(&["-C", &c, "list", "--limit=-1"]).fails(2, "--limit");
}

#[test]
fn list_outside_a_commons_is_refused() {
    let env = Env::new();
    let empty = env.empty_dir("empty");
    env.outside_a_commons(&empty, &["list"]);
}

#[test]
fn deleting_the_derived_index_changes_no_result() {
    let (env, c) = three();
    let table = env.tribune(&["-C", &c, "list"]).ok().stdout;
    let as_json = env.tribune(&["-C", &c, "list", "--json"]).ok().stdout;
    let index = env.path("c/tribune/index");
    assert!(index.is_dir(), "the derived index lives under <commons>/tribune/index/");
    std::fs::remove_dir_all(&index).unwrap();
    assert_eq!(env.tribune(&["-C", &c, "list"]).ok().stdout, table);
    std::fs::remove_dir_all(env.path("c/tribune")).unwrap();
    assert_eq!(env.tribune(&["-C", &c, "list", "--json"]).ok().stdout, as_json);
    assert!(index.is_dir(), "the index is rebuilt");
    // A corrupt index is rebuilt too, never believed.
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(path, "{ not json").unwrap();
        }
    }
    assert_eq!(env.tribune(&["-C", &c, "list"]).ok().stdout, table);
    env.fsck(&c);
}

#[test]
fn list_follows_the_trunk_when_plain_git_moves_it() {
    let (env, c) = commons();
    let (_, first) =
        contribute(&env, &c, "rent.md", &dated("Rent strike day one", "abc", "2026-10-05", &[], "Body.\n"), &[]);
    contribute(&env, &c, "walkout.md", &dated("Warehouse walkout", "xyz", "2026-11-21", &[], "Body.\n"), &[]);
    let tip = rev(&env, &c, "main");
    assert_eq!(list(&env, &c, &[]), [WALKOUT, RENT]);
    env.git(&["-C", &c, "update-ref", "refs/heads/main", &first]).ok();
    assert_eq!(list(&env, &c, &[]), [RENT], "the index is keyed by the trunk tip");
    assert_eq!(env.tribune(&["-C", &c, "list", "--json"]).ok().quiet().json().as_array().unwrap().len(), 1);
    env.git(&["-C", &c, "update-ref", "refs/heads/main", &tip]).ok();
    assert_eq!(list(&env, &c, &[]), [WALKOUT, RENT]);
}

#[test]
fn list_and_show_see_a_change_pushed_with_plain_git() {
    let (env, c) = three();
    list(&env, &c, &[]); // build the index
    let path = text_path(PORT);
    let (_, text) = edit_with_git(&env, &c, &path, "fix the title", |t| {
        t.replace("Port blockade", "Port blockade ends").replace("2026-11-02", "2026-11-30")
    });
    let v = env.tribune(&["-C", &c, "list", "--json"]).ok().quiet().json();
    // An update is not an arrival: the article keeps its place, whatever date it now bears.
    assert_eq!(v[1]["slug"], PORT, "{v}");
    assert_eq!(v[1]["date"], "2026-11-30");
    assert_eq!(v[1]["title"], "Port blockade ends");
    assert_eq!(v[1]["version"], rev(&env, &c, &format!("main:{path}")).as_str());
    assert_eq!(env.tribune(&["-C", &c, "show", PORT, "--raw"]).ok().stdout, text);
}

// show

#[test]
fn show_renders_title_byline_date_licence_and_body() {
    let (env, c) = commons();
    let text = walkout(&["strike", "labour"], "\nLine 3 stopped at noon.\n\nThe workers want heat.\n\n");
    let (version, _) = contribute(&env, &c, "w.md", &text, &[]);
    let r = env.tribune(&["-C", &c, "show", WALKOUT]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "Warehouse walkout\nBy R. Lopez, J. Doe · XYZ Circle (xyz) · 21 November 2026\nCC0-1.0 · version {} (trunk) · tags: strike, labour\n\nLine 3 stopped at noon.\n\nThe workers want heat.\n",
            &version[..10]
        )
    );
    // Without colour codes when stdout is not a terminal, and with them when asked.
    let coloured = env.tribune(&["-C", &c, "--color", "always", "show", WALKOUT]).ok().stdout;
    assert!(coloured.contains("\x1b[1mWarehouse walkout\x1b[0m"), "{coloured:?}");
}

#[test]
fn show_includes_the_summary_when_there_is_one() {
    let (env, c) = commons();
    let text = article("Port blockade", "abc", "summary = \"Dockers closed the gates.\"\n", "Body.\n");
    contribute(&env, &c, "p.md", &text, &[]);
    let out = env.tribune(&["-C", &c, "show", PORT]).ok().stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Port blockade");
    assert_eq!(lines[1], "By R. Lopez · ABC Collective (abc) · 21 November 2026");
    assert!(lines[2].starts_with("CC0-1.0 · version "), "{out}");
    assert_eq!(&lines[3..], ["", "Dockers closed the gates.", "", "Body."]);
}

#[test]
fn show_raw_prints_the_stored_file_byte_for_byte() {
    let (env, c) = commons();
    let text = walkout(&[], "  Indented first line.\n\n\nTrailing blank lines follow.\n\n\n");
    contribute(&env, &c, "w.md", &text, &[]);
    let r = env.tribune(&["-C", &c, "show", WALKOUT, "--raw"]).ok();
    assert_eq!(r.stdout, text);
    assert!(r.stderr.is_empty());
    assert_eq!(r.stdout, env.git(&["-C", &c, "show", &format!("main:{}", text_path(WALKOUT))]).ok().stdout);
}

#[test]
fn show_as_json_has_the_article_and_its_version() {
    let (env, c) = three();
    let v = env.tribune(&["-C", &c, "show", WALKOUT, "--json"]).ok().quiet().json();
    assert_eq!(v["slug"], WALKOUT);
    assert_eq!(v["version"], rev(&env, &c, &format!("main:{}", text_path(WALKOUT))).as_str());
    assert_eq!(v["place"], "trunk");
    assert_eq!(v["title"], "Warehouse walkout");
    assert_eq!(v["contingent"], "xyz");
    assert_eq!(v["contingent_name"], "XYZ Circle");
    assert_eq!(v["authors"], serde_json::json!(["R. Lopez", "J. Doe"]));
    assert_eq!(v["date"], "2026-11-21");
    assert_eq!(v["license"], "CC0-1.0");
    assert_eq!(v["tags"], serde_json::json!(["strike", "labour"]));
    assert_eq!(v["body"], "Line 3 stopped.\n");
    env.tribune(&["-C", &c, "show", WALKOUT, "--json", "--raw"]).fails(2, "--raw");
}

#[test]
fn show_at_trunk_is_the_same_as_show() {
    let (env, c) = three();
    let plain = env.tribune(&["-C", &c, "show", PORT]).ok().stdout;
    assert_eq!(env.tribune(&["-C", &c, "show", &format!("{PORT}@trunk")]).ok().stdout, plain);
    let raw = env.tribune(&["-C", &c, "show", &format!("{PORT}@trunk"), "--raw"]).ok().stdout;
    assert_eq!(raw, env.git(&["-C", &c, "show", &format!("main:{}", text_path(PORT))]).ok().stdout);
}

#[test]
fn show_at_a_prefix_of_an_older_version_shows_the_old_text() {
    let (env, c) = commons();
    let old = dated("Port blockade", "abc", "2026-11-02", &[], "Dockers blocked the gates.\n");
    let new = old.replace("blocked the gates", "blocked every gate");
    let (v1, _) = contribute(&env, &c, "p.md", &old, &[]);
    let (v2, _) = contribute(&env, &c, "p.md", &new, &["--update"]);
    assert_ne!(v1[..7], v2[..7]);
    assert_eq!(env.tribune(&["-C", &c, "show", PORT, "--raw"]).ok().stdout, new);
    let at_old = format!("{PORT}@{}", &v1[..7]);
    assert_eq!(env.tribune(&["-C", &c, "show", &at_old, "--raw"]).ok().stdout, old);
    let shown = env.tribune(&["-C", &c, "show", &at_old]).ok().stdout;
    assert!(shown.contains("Dockers blocked the gates.") && !shown.contains("every gate"), "{shown}");
    assert!(shown.contains(&format!("version {} (history)", &v1[..10])), "{shown}");
    let v = env.tribune(&["-C", &c, "show", &at_old, "--json"]).ok().quiet().json();
    assert_eq!(v["version"], v1.as_str());
    assert_eq!(v["place"], "history");
    // The trunk's own version by prefix, and a full id, upper case accepted.
    let at_new = format!("{PORT}@{}", v2[..8].to_uppercase());
    assert_eq!(env.tribune(&["-C", &c, "show", &at_new, "--json"]).ok().quiet().json()["place"], "trunk");
    assert_eq!(env.tribune(&["-C", &c, "show", &format!("{PORT}@{v1}"), "--raw"]).ok().stdout, old);
}

#[test]
fn show_of_an_unknown_slug_is_refused_with_the_nearest_as_hint() {
    let (env, c) = three();
    let nearest = ["there is no article \"warehouse-walkot\"", "hint: did you mean warehouse-walkout?"];
    refused(&env, &c, &["-C", &c, "show", "warehouse-walkot"], 1, &nearest);
    let r = env.tribune(&["-C", &c, "show", "zzzzzzzzzzzzzzzzzz"]).fails(1, "there is no article");
    assert!(r.stderr.contains(&format!("`tribune -C {c} list`")), "{}", r.stderr);
    env.tribune(&["-C", &c, "show", "zzzz@trunk"]).fails(1, "there is no article");
    env.tribune(&["-C", &c, "show", "zzzz@abcd"]).fails(1, "there is no article");
    env.tribune(&["-C", &c, "show", "Bad/Slug"]).fails(1, "slug");
    env.tribune(&["-C", &c, "show"]).fails(2, "SLUG");
}

#[test]
fn show_at_an_unknown_or_too_short_version_is_refused() {
    let (env, c) = three();
    let version = rev(&env, &c, &format!("main:{}", text_path(PORT)));
    // Seven hex digits that start no version of this article.
    let other = if version.starts_with('0') { "1234567" } else { "0000000" };
    let r = env
        .tribune(&["-C", &c, "show", &format!("{PORT}@{other}")])
        .fails(1, &format!("no version of \"{PORT}\" starts with"));
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains(&format!("`tribune -C {c} log {PORT}`")), "{}", r.stderr);
    for bad in ["abc", "zzzz", "nope", "a-b"] {
        let r = env.tribune(&["-C", &c, "show", &format!("{PORT}@{bad}")]).fails(1, "names no version");
        assert!(r.stdout.is_empty());
        assert!(r.stderr.contains("hint: a version is `trunk`"), "{}", r.stderr);
    }
}

#[test]
fn show_at_an_empty_or_malformed_version_is_refused_with_a_hint() {
    let (env, c) = three();
    // These cannot name a contingent branch either, so they are not ref names to look up.
    for bad in ["", "a..b", "x/../y", "@{-1}", "a b"] {
        let r = env.tribune(&["-C", &c, "show", &format!("{PORT}@{bad}")]).fails(1, "names no version");
        assert!(r.stdout.is_empty());
        assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    }
}

/// The blob id git gives `data`.
fn blob_id(data: &str) -> String {
    let mut h = sha1_smol::Sha1::new();
    h.update(format!("blob {}\0", data.len()).as_bytes());
    h.update(data.as_bytes());
    h.digest().to_string()
}

#[test]
fn show_at_an_ambiguous_prefix_is_refused_listing_the_candidates() {
    let (env, c) = commons();
    // Two texts whose versions share their first four hex digits (a birthday search).
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let (a, b) = (0..)
        .find_map(|i| {
            let text = dated("Port blockade", "abc", "2026-11-02", &[], &format!("Draft {i}.\n"));
            let prefix = blob_id(&text)[..4].to_string();
            seen.insert(prefix, text.clone()).map(|earlier| (earlier, text))
        })
        .unwrap();
    let (va, _) = contribute(&env, &c, "p.md", &a, &[]);
    let (vb, _) = contribute(&env, &c, "p.md", &b, &["--update"]);
    let (vc, _) =
        contribute(&env, &c, "p.md", &dated("Port blockade", "abc", "2026-11-02", &[], "Final.\n"), &["--update"]);
    assert_eq!(va[..4], vb[..4]);
    assert_ne!(vc[..4], va[..4], "the trunk version would hide the history (very unlikely)");
    let r = env.tribune(&["-C", &c, "show", &format!("{PORT}@{}", &va[..4])]).fails(1, "matches 2 versions");
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains(&va[..12]) && r.stderr.contains(&vb[..12]), "the hint lists both:\n{}", r.stderr);
    // One more digit (where they differ) picks one.
    let n = (0..40).find(|&i| va.as_bytes()[i] != vb.as_bytes()[i]).unwrap();
    assert_eq!(env.tribune(&["-C", &c, "show", &format!("{PORT}@{}", &va[..n + 1]), "--raw"]).ok().stdout, a);
    assert_eq!(env.tribune(&["-C", &c, "show", &format!("{PORT}@{}", &vb[..n + 1]), "--raw"]).ok().stdout, b);
}

#[test]
fn show_warns_but_still_prints_an_article_broken_with_plain_git() {
    let (env, c) = three();
    edit_with_git(&env, &c, &text_path(RENT), "break it", |_| "no front matter any more\n".into());
    let r = env.tribune(&["-C", &c, "show", RENT]).ok();
    assert_eq!(r.stdout, "no front matter any more\n");
    assert!(r.stderr.starts_with("warning: ") && r.stderr.contains("expected front matter"), "{}", r.stderr);
    env.tribune(&["-C", &c, "show", RENT, "--json"]).fails(1, "expected front matter");
    // list still lists it, leniently.
    assert!(list(&env, &c, &[]).contains(&RENT.to_string()));
}

// log

#[test]
fn log_lists_contribute_then_update_newest_first_with_ids_matching_git() {
    let (env, c) = commons();
    let old = dated("Port blockade", "abc", "2026-11-02", &[], "Dockers blocked the gates.\n");
    let (v1, c1) = contribute(&env, &c, "p.md", &old, &[]);
    let at1 = env.last();
    contribute(&env, &c, "w.md", &dated("Warehouse walkout", "xyz", "2026-11-21", &[], "Body.\n"), &[]);
    let (v2, c2) = contribute(&env, &c, "p.md", &old.replace("gates", "gate"), &["--update"]);
    let at2 = env.last();
    let path = text_path(PORT);
    let git_log: Vec<String> =
        env.git(&["-C", &c, "log", "--format=%H", "main", "--", &path]).ok().stdout.lines().map(String::from).collect();
    assert_eq!(git_log, [c2.clone(), c1.clone()]);

    let r = env.tribune(&["-C", &c, "log", PORT]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let rows: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows[0], ["COMMIT", "DATE", "AUTHOR", "ACTION", "VERSION", "STANDING", "SUMMARY"], "{}", r.stdout);
    assert_eq!(rows.len(), 3, "two entries, the other article's commit is not one:\n{}", r.stdout);
    assert_eq!(rows[1][..6], [&c2[..10], &at2, "Test", "Author", "update", &v2[..10]], "{}", r.stdout);
    assert_eq!(rows[2][..6], [&c1[..10], &at1, "Test", "Author", "contribute", &v1[..10]], "{}", r.stdout);
    assert_eq!(rev(&env, &c, &format!("{c1}:{path}")), v1);
    assert_eq!(rev(&env, &c, &format!("{c2}:{path}")), v2);
    assert!(r.stdout.lines().nth(1).unwrap().ends_with("update: Port blockade"), "{}", r.stdout);
}

#[test]
fn log_as_json_has_full_ids_actions_and_authors() {
    let (mut env, c) = commons();
    let old = dated("Port blockade", "abc", "2026-11-02", &[], "Dockers blocked the gates.\n");
    let (v1, c1) = contribute(&env, &c, "p.md", &old, &[]);
    let at1 = env.last();
    env.vars.push(("GIT_AUTHOR_NAME".into(), "Rosa Lopez".into()));
    env.vars.push(("GIT_AUTHOR_EMAIL".into(), "rosa@example.org".into()));
    env.vars.push(("GIT_AUTHOR_DATE".into(), "2026-11-22T08:30:00Z".into()));
    let (v2, c2) = contribute(&env, &c, "p.md", &old.replace("gates", "gate"), &["--update"]);
    let v = env.tribune(&["-C", &c, "log", PORT, "--json"]).ok().quiet().json();
    assert_eq!(
        v,
        serde_json::json!([
            {"commit": c2, "author": "Rosa Lopez", "email": "rosa@example.org", "date": "2026-11-22T08:30:00Z",
             "action": "update", "version": v2, "summary": "update: Port blockade",
             "standing": "unsigned", "signer": null},
            {"commit": c1, "author": "Test Author", "email": "author@example.org", "date": at1,
             "action": "contribute", "version": v1, "summary": "contribute: Port blockade",
             "standing": "unsigned", "signer": null},
        ])
    );
    let v = env.tribune(&["-C", &c, "log", PORT, "--json", "--limit", "1"]).ok().quiet().json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["commit"], c2.as_str());
}

#[test]
fn log_shows_plain_git_edits_and_a_removed_article_has_no_log() {
    let (env, c) = three();
    let path = text_path(RENT);
    let (w, _) = edit_with_git(&env, &c, &path, "plain edit", |t| t.replace("stopped paying", "stopped paying rent"));
    let v = env.tribune(&["-C", &c, "log", RENT, "--json"]).ok().quiet().json();
    let actions: Vec<&str> = v.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["update", "contribute"], "{v}");
    assert_eq!(v[0]["summary"], "plain edit");
    assert_eq!(v[0]["version"], rev(&env, &c, &format!("main:{path}")).as_str());
    // Once removed from the trunk, the article has no log (finding its past would mean
    // reading the whole history) and show says so.
    env.git(&["-C", &w, "rm", "-q", &path]).ok();
    commit_and_push(&env, &w, "main", "plain removal");
    env.tribune(&["-C", &c, "log", RENT]).fails(1, "there is no article");
    env.tribune(&["-C", &c, "show", RENT]).fails(1, "there is no article");
}

#[test]
fn log_of_an_unknown_slug_is_refused() {
    let (env, c) = three();
    let nearest = ["there is no article \"port-blockad\"", "did you mean port-blockade?"];
    refused(&env, &c, &["-C", &c, "log", "port-blockad"], 1, &nearest);
    env.tribune(&["-C", &c, "log", "Port"]).fails(1, "slug");
    env.tribune(&["-C", &c, "log"]).fails(2, "SLUG");
    env.tribune(&["-C", &c, "log", PORT, "--limit", "x"]).fails(2, "--limit");
}
