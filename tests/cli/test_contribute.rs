//! `tribune contribute`: articles stored byte for byte at their sharded path, and bad input refused cleanly.

use crate::harness::*;

/// The value after `name` on a line of contribute's report (`  version  <id>`).
fn field<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix(name).map(str::trim))
        .unwrap_or_else(|| panic!("no {name} line in:\n{stdout}"))
}

fn hash_file(env: &Env, path: &str) -> String {
    env.git(&["hash-object", "--no-filters", path]).ok().stdout.trim().to_string()
}

const SLUG: &str = "warehouse-workers-shut-down-line-3";

/// A commons with the warehouse article contributed from `a.md`; returns (env, commons, file).
fn warehouse_contributed() -> (Env, String, String) {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    (env, c, a)
}

fn warehouse() -> String {
    article(
        "Warehouse workers shut down line 3",
        "abc",
        "tags = [\"strike\"]\n",
        "Line 3 stopped at noon.\n\nThe workers want the heat fixed.\n",
    )
}

#[test]
fn the_shard_is_the_first_two_bytes_of_sha1_of_the_slug() {
    // A known vector, so that the helper itself is checked: sha1("abc") = a9993e36…
    assert_eq!(shard("abc"), "a9/99");
    // And the one the format page gives, end to end.
    let (env, c) = commons();
    let a = env.write("a.md", article("Anything", "abc", "", "Body.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", "abc"]).ok();
    env.git(&["-C", &c, "cat-file", "-e", "main:articles/a9/99/abc/index.md"]).ok();
}

#[test]
fn contributing_stores_the_file_byte_for_byte_at_its_sharded_path_in_one_commit() {
    let (env, c) = commons();
    let before = rev(&env, &c, "main");
    let text = warehouse();
    let a = env.write("a.md", &text);
    let r = env.tribune(&["-C", &c, "contribute", &a]).ok();
    let at = env.last();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let path = text_path(SLUG);
    assert!(path.starts_with("articles/6e/"), "{path}");
    assert_eq!(r.stdout.lines().next().unwrap(), format!("Contributed {SLUG}"), "{}", r.stdout);
    assert_eq!(field(&r.stdout, "version"), rev(&env, &c, &format!("main:{path}")), "version is the blob id");
    assert_eq!(field(&r.stdout, "commit"), rev(&env, &c, "main"), "commit is the new trunk tip");
    assert_eq!(field(&r.stdout, "path"), path);

    assert_eq!(rev(&env, &c, "main~1"), before, "exactly one commit on the trunk");
    assert_eq!(env.git(&["-C", &c, "show", &format!("main:{path}")]).ok().stdout, text);
    assert_eq!(hash_file(&env, &a), rev(&env, &c, &format!("main:{path}")), "the stored blob is byte-identical");
    assert_eq!(changed(&env, &c, "main"), format!("A\t{path}\n"));

    let msg = message_of(&env, &c, "main");
    assert_lines(&msg, &["Tribune-Action: contribute", &format!("Tribune-Article: {SLUG}"), "Tribune-Contingent: abc"]);
    assert_eq!(msg.lines().next().unwrap(), "contribute: Warehouse workers shut down line 3");
    let who = env
        .git(&["-C", &c, "log", "-1", "--date=format:%Y-%m-%dT%H:%M:%SZ", "--format=%an <%ae> %ad|%cn %cd", "main"])
        .ok()
        .stdout;
    // Authored and committed at the time the command ran.
    assert_eq!(who.trim(), format!("Test Author <author@example.org> {at}|Test Committer {at}"));
    env.fsck(&c);
}

#[test]
fn the_commit_is_authored_by_whoever_git_says_is_acting() {
    let (mut env, c) = commons();
    env.vars.push(("GIT_AUTHOR_NAME".into(), "Rosa Lopez".into()));
    env.vars.push(("GIT_AUTHOR_EMAIL".into(), "rosa@example.org".into()));
    let a = env.write("a.md", warehouse());
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    assert_eq!(
        env.git(&["-C", &c, "log", "-1", "--format=%an <%ae>", "main"]).ok().stdout.trim(),
        "Rosa Lopez <rosa@example.org>"
    );
}

#[test]
fn contribute_reports_as_json_when_asked() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    let r = env.tribune(&["-C", &c, "contribute", &a, "--json"]).ok();
    let v = r.json();
    let path = text_path(SLUG);
    assert_eq!(v["slug"], SLUG);
    assert_eq!(v["path"], path.as_str());
    assert_eq!(v["version"], rev(&env, &c, &format!("main:{path}")).as_str());
    assert_eq!(v["commit"], rev(&env, &c, "main").as_str());
    assert_eq!(v["updated"], false);
}

#[test]
fn the_slug_flag_chooses_where_the_article_is_stored() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    let r = env.tribune(&["-C", &c, "contribute", &a, "--slug", "line-3"]).ok();
    let path = text_path("line-3");
    assert_eq!(field(&r.stdout, "path"), path);
    assert_eq!(
        env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "main", "articles"]).ok().stdout,
        format!("{path}\n")
    );
    let msg = message_of(&env, &c, "main");
    assert!(msg.lines().any(|l| l == "Tribune-Article: line-3"), "{msg}");
    // The same text under another slug is another article; the title's slug is still free.
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    env.fsck(&c);
}

#[test]
fn a_long_title_makes_a_slug_of_at_most_64_characters() {
    let (env, c) = commons();
    let title = "Tenants of the seven towers on Harbour Street win their rent strike after eleven weeks of pickets";
    let a = env.write("a.md", article(title, "abc", "", "Body.\n"));
    let r = env.tribune(&["-C", &c, "contribute", &a]).ok();
    let slug = r.stdout.lines().next().unwrap().strip_prefix("Contributed ").unwrap().to_string();
    assert!(slug.len() <= 64 && !slug.ends_with('-'), "{slug:?}");
    assert!(title.to_lowercase().replace(' ', "-").starts_with(&slug), "{slug:?}");
    env.git(&["-C", &c, "cat-file", "-e", &format!("main:{}", text_path(&slug))]).ok();
}

#[test]
fn attachments_are_stored_beside_the_article_byte_for_byte() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    let photo = env.write("photo.jpg", [0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 0xff, b'\n', b'\r', 0x80]);
    let pdf = env.write("sub/leaflet_v2.pdf", "%PDF-1.4 pretend\n");
    let before = rev(&env, &c, "main");
    env.tribune(&["-C", &c, "contribute", &a, "--attach", &photo, "--attach", &pdf]).ok();
    let dir = format!("articles/{}/{SLUG}", shard(SLUG));
    assert_eq!(
        env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "main", &dir]).ok().stdout,
        format!("{dir}/index.md\n{dir}/leaflet_v2.pdf\n{dir}/photo.jpg\n")
    );
    assert_eq!(rev(&env, &c, &format!("main:{dir}/photo.jpg")), hash_file(&env, &photo));
    assert_eq!(rev(&env, &c, &format!("main:{dir}/leaflet_v2.pdf")), hash_file(&env, &pdf));
    assert_eq!(rev(&env, &c, "main~1"), before, "one commit for the article and its files");
    env.fsck(&c);
}

#[test]
fn attachments_with_unstorable_names_are_refused_and_write_nothing() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    for name in ["x/.hidden", "y/index.md", "z/my photo.jpg", "w/été.png"] {
        let f = env.write(name, "data");
        refused(&env, &c, &["-C", &c, "contribute", &a, "--attach", &f], 1, &["cannot be stored", "rename the file"]);
    }
    let missing = env.path("nope.png").to_string_lossy().into_owned();
    refused(&env, &c, &["-C", &c, "contribute", &a, "--attach", &missing], 1, &["cannot read", "nope.png"]);
}

#[test]
fn updating_an_article_makes_a_new_version_and_keeps_the_old_one_in_history() {
    let (env, c) = commons();
    let first = warehouse();
    let a = env.write("a.md", &first);
    let r1 = env.tribune(&["-C", &c, "contribute", &a]).ok();
    let v1 = field(&r1.stdout, "version").to_string();
    let second = first.replace("noon", "half past eleven");
    env.write("a.md", &second);
    let r2 = env.tribune(&["-C", &c, "contribute", &a, "--update"]).ok();
    assert!(r2.stderr.is_empty(), "{}", r2.stderr);
    assert_eq!(r2.stdout.lines().next().unwrap(), format!("Updated {SLUG}"));
    let path = text_path(SLUG);
    let v2 = field(&r2.stdout, "version").to_string();
    assert_ne!(v1, v2);
    assert_eq!(v2, rev(&env, &c, &format!("main:{path}")));
    assert_eq!(field(&r2.stdout, "commit"), rev(&env, &c, "main"));
    assert_eq!(rev(&env, &c, "main~1"), field(&r1.stdout, "commit"), "the update is one commit on top");
    assert_eq!(env.git(&["-C", &c, "show", &format!("main:{path}")]).ok().stdout, second);
    assert_eq!(env.git(&["-C", &c, "show", &format!("main~1:{path}")]).ok().stdout, first);
    assert_eq!(changed(&env, &c, "main"), format!("M\t{path}\n"));
    assert_lines(
        &message_of(&env, &c, "main"),
        &["Tribune-Action: update", &format!("Tribune-Article: {SLUG}"), "Tribune-Contingent: abc"],
    );
    env.fsck(&c);
}

#[test]
fn updating_with_identical_text_is_refused_as_no_change_and_writes_nothing() {
    let (env, c, a) = warehouse_contributed();
    refused(&env, &c, &["-C", &c, "contribute", &a, "--update"], 1, &["no change", SLUG]);
}

#[test]
fn contributing_an_existing_slug_without_update_is_refused_and_writes_nothing() {
    let (env, c, _) = warehouse_contributed();
    let b = env.write("b.md", warehouse().replace("noon", "dawn"));
    let r = refused(&env, &c, &["-C", &c, "contribute", &b], 1, &["already exists", SLUG]);
    assert!(
        r.stderr.contains("--update") && r.stderr.contains("--slug"),
        "the hint names both ways out:\n{}",
        r.stderr
    );
    assert_eq!(env.git(&["-C", &c, "show", &format!("main:{}", text_path(SLUG))]).ok().stdout, warehouse());
}

#[test]
fn updating_a_missing_slug_is_refused_and_writes_nothing() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    let r = refused(&env, &c, &["-C", &c, "contribute", &a, "--update"], 1, &["there is no article", SLUG]);
    assert!(r.stderr.contains("leave out --update"), "{}", r.stderr);
}

#[test]
fn a_file_without_front_matter_gets_front_matter_from_the_flags() {
    let (env, c) = commons();
    let body = "Tenants marched on city hall.\n\nThey will march again.\n";
    let a = env.write("plain.md", body);
    let r = env
        .tribune(&[
            "-C",
            &c,
            "contribute",
            &a,
            "--title",
            "Tenants march",
            "--author",
            "R. Lopez",
            "--author",
            "J. Doe",
            "--contingent",
            "xyz",
            "--tag",
            "housing",
            "--summary",
            "A march.",
        ])
        .ok();
    let path = text_path("tenants-march");
    assert_eq!(field(&r.stdout, "path"), path);
    let stored = env.git(&["-C", &c, "show", &format!("main:{path}")]).ok().stdout;
    assert!(stored.starts_with("+++\n"), "{stored}");
    assert!(stored.contains("title = \"Tenants march\""), "{stored}");
    assert!(stored.ends_with(&format!("+++\n{body}")), "the body follows the front matter unchanged:\n{stored}");
    let front: toml::Table =
        stored.trim_start_matches("+++\n").split("+++\n").next().unwrap().parse().expect("the front matter is TOML");
    assert_eq!(front["title"].as_str(), Some("Tenants march"));
    assert_eq!(
        front["authors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect::<Vec<_>>(),
        ["R. Lopez", "J. Doe"]
    );
    assert_eq!(front["contingent"].as_str(), Some("xyz"));
    assert_eq!(front["license"].as_str(), Some("CC0-1.0"));
    assert_eq!(front["summary"].as_str(), Some("A march."));
    assert_eq!(
        front["date"].as_datetime().expect("date is a TOML date").to_string(),
        "2026-11-21",
        "the date defaults to the author date"
    );
    let msg = message_of(&env, &c, "main");
    assert!(msg.lines().any(|l| l == "Tribune-Contingent: xyz"), "{msg}");
    env.fsck(&c);
}

#[test]
fn a_file_without_front_matter_and_without_the_flags_is_refused() {
    let (env, c) = commons();
    let a = env.write("plain.md", "Just a body.\n");
    let r = refused(&env, &c, &["-C", &c, "contribute", &a], 1, &[&format!("{a}:1: expected front matter")]);
    assert!(r.stderr.contains("--title"), "the hint offers the flags:\n{}", r.stderr);
    refused(&env, &c, &["-C", &c, "contribute", &a, "--title", "T", "--contingent", "abc"], 2, &["no --author"]);
    refused(
        &env,
        &c,
        &["-C", &c, "contribute", &a, "--title", "T", "--author", "A", "--contingent", "nope"],
        1,
        &["there is no contingent \"nope\""],
    );
    refused(
        &env,
        &c,
        &["-C", &c, "contribute", &a, "--title", "T", "--author", "A", "--contingent", "abc", "--license", "CC-BY-4.0"],
        1,
        &["CC-BY-4.0", "not a public-domain dedication"],
    );
}

#[test]
fn a_dash_reads_the_article_from_standard_input() {
    let (env, c) = commons();
    let text = warehouse();
    let r = env.tribune_stdin(&["-C", &c, "contribute", "-"], text.as_bytes()).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let path = text_path(SLUG);
    assert_eq!(field(&r.stdout, "version"), rev(&env, &c, &format!("main:{path}")));
    assert_eq!(env.git(&["-C", &c, "show", &format!("main:{path}")]).ok().stdout, text);
    let before = state(&env, &c);
    env.tribune_stdin(&["-C", &c, "contribute", "-", "--slug", "other"], b"no front matter\n")
        .fails(1, "expected front matter");
    env.tribune_stdin(&["-C", &c, "contribute", "-", "--slug", "other", "--max-size", "100"], text.as_bytes())
        .fails(1, "over the limit of 100 bytes");
    assert_eq!(state(&env, &c), before);
}

#[test]
fn front_matter_and_front_matter_flags_together_are_a_usage_error() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    refused(&env, &c, &["-C", &c, "contribute", &a, "--title", "Other"], 2, &["has front matter"]);
}

#[test]
fn a_contingent_flag_that_disagrees_with_the_front_matter_is_refused() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    refused(
        &env,
        &c,
        &["-C", &c, "contribute", &a, "--contingent", "xyz"],
        1,
        &["says contingent = \"abc\" but --contingent is \"xyz\""],
    );
    env.tribune(&["-C", &c, "contribute", &a, "--contingent", "abc"]).ok();
}

// Bad input: exit 1, the file (and line) named, nothing written.

#[test]
fn malformed_front_matter_is_refused_with_its_line_and_writes_nothing() {
    let (env, c) = commons();
    let cases: Vec<(&str, String, &str)> = vec![
        ("unclosed.md", "+++\ntitle = \"T\"\nauthors = [\"A\"]\n\nBody without a closing fence.\n".into(), ":1: the front matter opened by '+++' is never closed"),
        ("yaml.md", "---\ntitle: T\n---\nBody.\n".into(), ":1: front matter opens with '---' (YAML)"),
        ("broken.md", "+++\ntitle = \"T\"\nauthors = R. Lopez\ncontingent = \"abc\"\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\n+++\nBody.\n".into(), ":3:"),
        ("unterminated.md", "+++\ntitle = \"T\"\nauthors = [\"A\"]\ncontingent = \"abc\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\n+++\nBody.\n".into(), ":4:"),
        ("baddate.md", warehouse().replace("date = 2026-11-21", "date = \"soon\""), ":5: `date` must be a date"),
        ("badtitle.md", warehouse().replace("title = \"Warehouse workers shut down line 3\"", "title = 3"), ":2: `title` must be a string"),
        ("badtag.md", warehouse().replace("tags = [\"strike\"]", "tags = [\"Strike Now\"]"), ":7:"),
    ];
    for (name, text, needle) in cases {
        let f = env.write(name, &text);
        refused(&env, &c, &["-C", &c, "contribute", &f], 1, &[&format!("{f}{needle}")]);
    }
}

#[test]
fn a_missing_required_field_is_refused_by_name_and_writes_nothing() {
    let (env, c) = commons();
    let full = warehouse();
    for (line_start, needle) in [
        ("title = ", "no `title`"),
        ("authors = ", "names no authors"),
        ("contingent = ", "no `contingent`"),
        ("date = ", "no `date`"),
        ("license = ", "no `license`"),
    ] {
        let text: String = full.split_inclusive('\n').filter(|l| !l.starts_with(line_start)).collect();
        let f = env.write("missing.md", &text);
        refused(&env, &c, &["-C", &c, "contribute", &f, "--slug", "missing"], 1, &[&format!("{f}:1:"), needle]);
    }
    let f = env.write("empty-authors.md", full.replace("authors = [\"R. Lopez\"]", "authors = []"));
    refused(&env, &c, &["-C", &c, "contribute", &f], 1, &[&format!("{f}:3:"), "names no authors"]);
    let f =
        env.write("empty-title.md", full.replace("title = \"Warehouse workers shut down line 3\"", "title = \"  \""));
    refused(&env, &c, &["-C", &c, "contribute", &f, "--slug", "x"], 1, &[&format!("{f}:2:"), "`title` is empty"]);
}

#[test]
fn an_unknown_contingent_is_refused_with_the_known_ones_and_writes_nothing() {
    let (env, c) = commons();
    let f = env.write("a.md", article("Strike", "nope", "", "Body.\n"));
    refused(
        &env,
        &c,
        &["-C", &c, "contribute", &f],
        1,
        &["there is no contingent \"nope\"", "known contingents: abc, xyz"],
    );
    let f = env.write("b.md", article("Strike", "Not/An/Id", "", "Body.\n"));
    refused(&env, &c, &["-C", &c, "contribute", &f], 1, &[&format!("{f}:4:"), "contingent id"]);
}

#[test]
fn a_licence_that_is_not_a_public_domain_dedication_is_refused_and_writes_nothing() {
    let (env, c) = commons();
    let f = env.write("a.md", warehouse().replace("CC0-1.0", "CC-BY-4.0"));
    let r = refused(
        &env,
        &c,
        &["-C", &c, "contribute", &f],
        1,
        &[&format!("{f}:6:"), "\"CC-BY-4.0\" is not a public-domain dedication"],
    );
    assert!(r.stderr.contains("CC0-1.0"), "the hint lists the accepted licences:\n{}", r.stderr);
    // Case does not matter for an accepted one, and the stored text is kept as written.
    let f = env.write("b.md", warehouse().replace("CC0-1.0", "cc0-1.0"));
    env.tribune(&["-C", &c, "contribute", &f]).ok();
}

#[test]
fn invalid_slugs_are_refused_and_write_nothing() {
    let (env, c) = commons();
    let f = env.write("a.md", warehouse());
    let long = "a".repeat(200);
    for (slug, needle) in [
        ("..", "could make it a path"),
        ("a/b", "could make it a path"),
        ("../../etc", "could make it a path"),
        ("Strike", "upper-case letters are not allowed"),
        (long.as_str(), "is 200 characters long (at most 64)"),
        ("-x", "starts with '-'"),
        ("a\tb", "is not allowed"),
    ] {
        let arg = format!("--slug={slug}");
        refused(&env, &c, &["-C", &c, "contribute", &f, &arg], 1, &["slug", needle]);
    }
    let f = env.write("b.md", article("!!!", "abc", "", "Body.\n"));
    refused(&env, &c, &["-C", &c, "contribute", &f], 1, &["no slug can be made", "--slug"]);
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_line_and_column() {
    let (env, c) = commons();
    let mut bytes = article("Cafe", "abc", "", "").into_bytes();
    bytes.extend_from_slice(b"First line.\ncaf\xff au lait\n");
    let f = env.write("latin1.md", &bytes);
    let r = refused(&env, &c, &["-C", &c, "contribute", &f], 1, &[&format!("{f}:9:4: not UTF-8 text (byte 0xff)")]);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);
}

#[test]
fn an_article_with_an_empty_body_is_refused() {
    let (env, c) = commons();
    for body in ["", "\n\n  \n"] {
        let f = env.write("a.md", article("Empty", "abc", "", body));
        refused(&env, &c, &["-C", &c, "contribute", &f], 1, &[&f, "has no body"]);
    }
}

#[test]
fn a_file_over_ten_mebibytes_is_refused_unless_the_limit_is_raised() {
    let (env, c) = commons();
    let mut text = article("Big", "abc", "", "");
    let line = "All work and no play makes a long article.\n";
    while text.len() <= 10 * 1024 * 1024 {
        text.push_str(line);
    }
    let size = text.len();
    let f = env.write("big.md", &text);
    let r = refused(
        &env,
        &c,
        &["-C", &c, "contribute", &f],
        1,
        &[&format!("{size} bytes, over the limit of 10485760 bytes")],
    );
    assert!(r.stderr.contains("--max-size"), "{}", r.stderr);
    let r = env.tribune(&["-C", &c, "contribute", &f, "--max-size", "20000000"]).ok();
    assert_eq!(field(&r.stdout, "version"), hash_file(&env, &f));
    assert_eq!(rev(&env, &c, &format!("main:{}", text_path("big"))), hash_file(&env, &f));
    // The limit holds for attachments too.
    let small = env.write("small.md", article("Small", "abc", "", "Body.\n"));
    refused(&env, &c, &["-C", &c, "contribute", &small, "--attach", &f], 1, &["over the limit"]);
    env.fsck(&c);
}

#[test]
fn a_missing_file_or_a_directory_is_refused() {
    let (env, c) = commons();
    let missing = env.path("nope.md").to_string_lossy().into_owned();
    refused(&env, &c, &["-C", &c, "contribute", &missing], 1, &["cannot read", "nope.md"]);
    std::fs::create_dir(env.path("dir")).unwrap();
    let dir = env.path("dir").to_string_lossy().into_owned();
    refused(&env, &c, &["-C", &c, "contribute", &dir], 1, &["is a directory"]);
}

#[test]
fn contributing_outside_a_commons_is_refused() {
    let env = Env::new();
    let empty = env.empty_dir("empty");
    let f = env.write("a.md", warehouse());
    let r = env.outside_a_commons(&empty, &["contribute", &f]);
    assert!(r.stderr.contains("tribune init"), "{}", r.stderr);
    assert!(std::fs::read_dir(env.path("empty")).unwrap().next().is_none(), "nothing was created");
}

/// Without -C the refusal names the directory it looked in, not ".".
#[test]
fn outside_a_commons_the_refusal_names_the_directory_as_a_path() {
    let env = Env::new();
    let r = env.tribune(&["list"]).fails(1, "not in a tribune commons");
    let here = env.path("").canonicalize().unwrap();
    assert!(!r.stderr.contains("above .\n"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("at or above {}", here.to_str().unwrap().trim_end_matches('/'))),
        "{}",
        r.stderr
    );
}

#[test]
fn contributing_to_a_git_repository_that_is_not_a_commons_is_refused() {
    let env = Env::new();
    let plain = env.repo_with_a_commit("plain", &["-b", "main"], "unrelated");
    let f = env.write("a.md", warehouse());
    refused(
        &env,
        &plain,
        &["-C", &plain, "contribute", &f],
        1,
        &["is a git repository but not a tribune commons", "tribune.toml"],
    );
    // Same for an empty repository (no trunk at all).
    let bare = env.path("bare.git").to_string_lossy().into_owned();
    env.git(&["init", "-q", "--bare", &bare]).ok();
    refused(&env, &bare, &["-C", &bare, "contribute", &f], 1, &["not a tribune commons"]);
}

/// A commons whose trunk lost tribune.toml (a commit made with plain git, or taken by an
/// older sync from a hub without tribune's hook): the message names the last commit that
/// had it, and the hint's commands, run as given, make it a commons again: in a bare
/// repository the trunk set back, in a work tree the file restored by a new commit.
#[test]
fn a_trunk_that_lost_its_tribune_toml_is_named_with_the_way_back() {
    let (env, c) = commons();
    let good = rev(&env, &c, "refs/heads/main");
    let w = env.clone_of(&c, "w");
    env.git(&["-C", &w, "rm", "-q", "tribune.toml"]).ok();
    env.git(&["-C", &w, "commit", "-q", "-m", "no rules"]).ok();
    env.git(&["-C", &w, "commit", "-q", "--allow-empty", "-m", "and more"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "HEAD:main"]).ok();
    // Each hint's commands, as the reader would paste them (from the sandbox).
    let follow = |hint: &str| {
        for cmd in hint.split('`').skip(1).step_by(2).filter(|c| c.starts_with("git ") && !c.contains(" log ")) {
            let mut sh = std::process::Command::new("sh");
            sh.args(["-c", cmd]);
            env.run_command(sh).ok();
        }
    };
    let r = refused(&env, &c, &["-C", &c, "list"], 1, &[&format!("lost tribune.toml after commit {}", &good[..10])]);
    assert!(r.stderr.contains("is no longer a tribune commons: its trunk (refs/heads/main)"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("git -C {c} log {}..main -- tribune.toml", &good[..10])), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("git -C {c} update-ref refs/heads/main {good}")), "{}", r.stderr);
    follow(&r.stderr);
    env.tribune(&["-C", &c, "list"]).ok();
    // In a work tree: the hint restores the file with a commit; the commits since stay.
    let r = env.tribune(&["-C", &w, "list"]).fails(1, "is no longer a tribune commons");
    assert!(r.stderr.contains(&format!("git -C {w} checkout {} -- tribune.toml", &good[..10])), "{}", r.stderr);
    let tip = rev(&env, &w, "HEAD");
    follow(&r.stderr.replace('\n', " "));
    env.tribune(&["-C", &w, "list"]).ok();
    assert_eq!(rev(&env, &w, "HEAD~1"), tip, "the commits since stay");
    let status = env.git(&["-C", &w, "status", "--porcelain"]).ok().stdout;
    assert!(status.trim().is_empty(), "the work tree is clean: {status}");
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let (env, c) = commons();
    let f = env.write("a.md", warehouse());
    refused(&env, &c, &["-C", &c, "contribute", &f, "--bogus"], 2, &["--bogus"]);
    refused(&env, &c, &["-C", &c, "contribute"], 2, &["FILE"]);
    refused(&env, &c, &["-C", &c, "contribute", &f, "--max-size", "lots"], 2, &["--max-size"]);
    refused(&env, &c, &["-C", &c, "contribute", &f, "--slug"], 2, &["--slug"]);
    let p = env.write("p.md", "Body.\n");
    refused(
        &env,
        &c,
        &["-C", &c, "contribute", &p, "--title", "T", "--author", "A", "--contingent", "abc", "--date", "yesterday"],
        2,
        &["--date"],
    );
}

#[test]
fn updating_with_only_a_new_attachment_is_one_commit_adding_it() {
    let (env, c, a) = warehouse_contributed();
    let before = rev(&env, &c, "main");
    let photo = env.write("photo.jpg", [1u8, 2, 3]);
    let r = env.tribune(&["-C", &c, "contribute", &a, "--update", "--attach", &photo]).ok();
    assert_eq!(field(&r.stdout, "commit"), rev(&env, &c, "main"));
    assert_eq!(rev(&env, &c, "main~1"), before);
    let dir = format!("articles/{}/{SLUG}", shard(SLUG));
    assert_eq!(changed(&env, &c, "main"), format!("A\t{dir}/photo.jpg\n"));
    env.fsck(&c);
}

#[test]
fn updating_with_the_same_text_and_the_same_attachments_is_refused_as_no_change() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    let photo = env.write("photo.jpg", [1u8, 2, 3]);
    env.tribune(&["-C", &c, "contribute", &a, "--attach", &photo]).ok();
    // Nothing differs from the trunk: an empty commit would be noise in every history.
    refused(&env, &c, &["-C", &c, "contribute", &a, "--update", "--attach", &photo], 1, &["no change"]);
}

#[test]
fn two_attachments_with_the_same_name_are_refused_and_write_nothing() {
    let (env, c) = commons();
    let a = env.write("a.md", warehouse());
    let one = env.write("x/photo.jpg", "one");
    let two = env.write("y/photo.jpg", "two");
    // Storing both under one name would silently lose one of them.
    refused(&env, &c, &["-C", &c, "contribute", &a, "--attach", &one, "--attach", &two], 1, &["photo.jpg"]);
}
