//! Corner cases: extreme flags, odd but valid files, and repositories changed by plain git.

use crate::harness::*;

#[test]
fn extreme_flag_values_are_refused_without_a_panic() {
    let (env, c) = commons();
    let a = env.write("a.md", article("Huge limit", "abc", "", "Body.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--max-size", "18446744073709551615"]).ok();
    let plain = env.write("plain.md", "Body.\n");
    let far = ["-C", &c, "contribute", &plain, "--title", "T", "--author", "A", "--contingent", "abc"];
    refused(&env, &c, &[&far[..], &["--date", "+10000-01-01"]].concat(), 1, &["outside the years"]);
    refused(&env, &c, &[&far[..], &["--tag", "Strike"]].concat(), 1, &["--tag", "upper-case"]);
    refused(&env, &c, &[&far[..], &["--title", "two\nlines"]].concat(), 2, &["--title"]);
    let mut vars = Env::new();
    vars.vars.push(("GIT_AUTHOR_DATE".into(), "@253402300800 +0000".into()));
    let c2 = vars.commons();
    let plain2 = vars.write("plain.md", "Body.\n");
    let r = vars.tribune(&["-C", &c2, "contribute", &plain2, "--title", "T", "--author", "A", "--contingent", "abc"]);
    r.fails(1, "outside the years");
}

#[test]
fn a_licence_flag_next_to_front_matter_is_a_usage_error() {
    let (env, c) = commons();
    let a = env.write("a.md", article("Has front matter", "abc", "", "Body.\n"));
    refused(&env, &c, &["-C", &c, "contribute", &a, "--license", "MIT"], 2, &["--license"]);
}

#[test]
fn an_article_with_a_string_date_is_listed_with_all_its_fields() {
    let (env, c) = commons();
    let text = article("String date", "abc", "", "Body.\n").replace("date = 2026-11-21", "date = \"2026-11-20\"");
    let a = env.write("a.md", text);
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    let rows = env.tribune(&["-C", &c, "list", "--json"]).ok().json();
    assert_eq!(rows[0]["title"], "String date");
    assert_eq!(rows[0]["date"], "2026-11-20");
    assert_eq!(rows[0]["contingent"], "abc");
}

#[test]
fn a_file_in_the_wrong_shard_is_not_the_article_and_the_index_stays_exact() {
    let (env, c) = commons();
    env.contribute(&c, "strike", &article("Strike", "abc", "", "Body.\n")).ok();
    let before = env.tribune(&["-C", &c, "list"]).ok().stdout;
    // Plain git adds a stray copy in another shard, then removes it.
    let w = env.clone_of(&c, "w");
    let wrong = if shard("strike") == "00/00" { "01/00" } else { "00/00" };
    env.write(&format!("w/articles/{wrong}/strike/index.md"), article("Stray", "abc", "", "x\n"));
    commit_and_push(&env, &w, "main", "stray");
    assert_eq!(env.tribune(&["-C", &c, "list"]).ok().stdout, before);
    env.git(&["-C", &w, "rm", "-q", "-r", &format!("articles/{wrong}/strike")]).ok();
    commit_and_push(&env, &w, "main", "unstray");
    assert_eq!(env.tribune(&["-C", &c, "list"]).ok().stdout, before);
}

#[test]
fn a_contingent_branch_that_only_kept_an_older_trunk_text_adds_no_version() {
    let (env, c) = commons();
    env.contribute(&c, "strike", &article("Strike", "abc", "", "Body.\n")).ok();
    env.git(&["-C", &c, "update-ref", "refs/heads/contingents/abc", "main"]).ok();
    let b = env.write("b.md", article("Strike", "abc", "", "New body.\n"));
    env.tribune(&["-C", &c, "contribute", &b, "--slug", "strike", "--update"]).ok();
    assert_eq!(versions_listed(&env, &c), 1, "an untouched branch holds no rival version");
    // A real rewrite on the branch is a second version.
    let w = env.path("w").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "-b", "contingents/abc", &c, &w]).ok();
    let path = format!("articles/{}/strike/index.md", shard("strike"));
    env.write(&format!("w/{path}"), article("Strike", "abc", "", "The ABC rewrite.\n"));
    commit_and_push(&env, &w, "contingents/abc", "rewrite");
    assert_eq!(versions_listed(&env, &c), 2);
}

#[test]
fn init_without_a_git_identity_leaves_nothing_behind() {
    let mut env = Env::new();
    for k in ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"] {
        env.vars.push((k.into(), String::new()));
    }
    let dir = env.path("c");
    env.tribune(&["init", dir.to_str().unwrap(), "--org", "X"]).fails(1, "user.name");
    assert!(!dir.exists(), "a half-made repository was left behind");
    std::fs::create_dir(&dir).unwrap();
    env.tribune(&["init", dir.to_str().unwrap(), "--org", "X"]).fails(1, "user.name");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "the empty directory should stay empty");
}

/// A suggested command runs where the one that suggested it did: with `-C DIR` when it was
/// given one (hints, and the next steps `propose` prints), never for `init` or `clone`.
#[test]
fn suggested_commands_carry_the_directory_they_were_suggested_in() {
    let env = Env::new();
    let c = env.commons();
    let r = env.tribune(&["-C", &c, "show", "nope"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(&format!("`tribune -C {c} list`")), "{}", r.stderr);
    let s = env.write("s.md", "+++\ntitle = \"For the strike\"\n+++\nWe support it.\n");
    let r = env.tribune(&["-C", &c, "propose", &s, "--deadline", "2026-12-30T00:00:00Z"]).ok();
    assert!(
        r.stdout.contains(&format!("Vote with `tribune -C {c} vote for-the-strike yes|no|abstain`")),
        "{}",
        r.stdout
    );
    // Without -C, as it was.
    let r = env.tribune(&["show", "nope"]);
    assert!(r.stderr.contains("hint: create one with `tribune init DIR --org NAME`"), "{}", r.stderr);
}
