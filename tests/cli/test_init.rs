//! `tribune init`: a new bare commons with `tribune.toml`, and what it refuses to take over.

use crate::harness::*;

fn config_of(env: &Env, repo: &str, rev: &str) -> toml::Table {
    let text = env.git(&["-C", repo, "show", &format!("{rev}:tribune.toml")]).ok().stdout;
    text.parse::<toml::Table>().unwrap_or_else(|e| panic!("tribune.toml does not parse: {e}\n{text}"))
}

#[test]
fn init_creates_a_bare_repository_with_one_commit_holding_tribune_toml() {
    let env = Env::new();
    let r = env.tribune(&["init", "c", "--org", "Mass Organization XYZ"]).ok();
    assert!(r.stderr.is_empty(), "stderr: {}", r.stderr);
    let c = env.path("c").to_string_lossy().into_owned();
    let tip = env.git(&["-C", &c, "rev-parse", "main"]).ok().stdout.trim().to_string();
    assert!(r.stdout.contains("Created the commons of \"Mass Organization XYZ\""), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("commit {}", &tip[..10])), "stdout names the commit {tip}:\n{}", r.stdout);
    assert!(r.stdout.contains("trunk main"), "{}", r.stdout);

    assert_eq!(env.git(&["-C", &c, "rev-parse", "--is-bare-repository"]).ok().stdout.trim(), "true");
    assert!(!env.path("c/.git").exists(), "a bare commons has no .git directory");
    assert_eq!(env.git(&["-C", &c, "symbolic-ref", "HEAD"]).ok().stdout.trim(), "refs/heads/main");
    assert_eq!(env.refs(&c), format!("refs/heads/main {tip}\n"), "init creates exactly one ref");
    assert_eq!(env.git(&["-C", &c, "rev-list", "--count", "main"]).ok().stdout.trim(), "1");
    assert_eq!(env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "main"]).ok().stdout, "tribune.toml\n");

    let config = config_of(&env, &c, "main");
    assert_eq!(config["name"].as_str(), Some("Mass Organization XYZ"));
    assert_eq!(config["trunk"].as_str(), Some("main"));
    let voting = config["voting"].as_table().expect("[voting]");
    assert_eq!(voting["threshold"].as_str(), Some("2/3"));
    assert_eq!(voting["basis"].as_str(), Some("cast"));
    assert_eq!(voting["quorum"].as_str(), Some("1/2"));
    let dims: Vec<&str> =
        config["ratings"]["dimensions"].as_array().expect("dimensions").iter().map(|d| d.as_str().unwrap()).collect();
    assert!(!dims.is_empty() && dims.contains(&"politics") && dims.contains(&"accuracy"), "{dims:?}");

    let msg = env.git(&["-C", &c, "log", "-1", "--format=%B", "main"]).ok().stdout;
    assert!(msg.lines().any(|l| l == "Tribune-Action: init"), "{msg}");
    let trailer =
        env.git(&["-C", &c, "log", "-1", "--format=%(trailers:key=Tribune-Action,valueonly)", "main"]).ok().stdout;
    assert_eq!(trailer.trim(), "init", "git itself parses the trailer");
    let who = env.git(&["-C", &c, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "main"]).ok().stdout;
    assert_eq!(who.trim(), "Test Author <author@example.org>|Test Committer <committer@example.org>");
    env.fsck(&c);
}

#[test]
fn later_commands_find_the_commons_it_created() {
    let env = Env::new();
    let c = env.init();
    let r = env.tribune(&["-C", &c, "roster"]).ok();
    assert!(r.stdout.contains("The roster is empty"), "{}", r.stdout);
    let r = env.tribune(&["-C", &c, "list"]).ok();
    assert!(r.stdout.contains("No articles yet"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
}

#[test]
fn init_without_a_directory_uses_the_current_one() {
    let env = Env::new();
    std::fs::create_dir(env.path("here")).unwrap();
    let here = env.path("here").to_string_lossy().into_owned();
    env.tribune(&["-C", &here, "init", "--org", "Org"]).ok();
    assert_eq!(env.git(&["-C", &here, "rev-parse", "--is-bare-repository"]).ok().stdout.trim(), "true");
    assert_eq!(config_of(&env, &here, "main")["name"].as_str(), Some("Org"));
    env.fsck(&here);
}

#[test]
fn init_refuses_an_existing_commons_and_changes_nothing() {
    let env = Env::new();
    let c = env.init();
    let before = state(&env, &c);
    let r = env.tribune(&["init", &c, "--org", "Another Org"]).fails(1, "it is already a tribune commons");
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    assert_eq!(state(&env, &c), before, "a refused init wrote refs or objects");
    assert_eq!(config_of(&env, &c, "main")["name"].as_str(), Some("Mass Organization XYZ"));
    env.fsck(&c);
}

#[test]
fn init_refuses_a_non_empty_plain_directory_and_leaves_it_alone() {
    let env = Env::new();
    env.write("d/notes.txt", "my notes\n");
    let d = env.path("d").to_string_lossy().into_owned();
    let r = env.tribune(&["init", &d, "--org", "Org"]).fails(1, "the directory is not empty");
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let names: Vec<String> = std::fs::read_dir(env.path("d"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["notes.txt".to_string()], "init left files behind");
    assert_eq!(std::fs::read_to_string(env.path("d/notes.txt")).unwrap(), "my notes\n");
}

#[test]
fn init_refuses_a_path_that_is_a_file() {
    let env = Env::new();
    let f = env.write("file", "x");
    let r = env.tribune(&["init", &f, "--org", "Org"]).fails(1, "is not a directory");
    assert!(r.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "x");
}

#[test]
fn init_refuses_a_repository_that_has_commits() {
    let env = Env::new();
    let r = env.repo_with_a_commit("r", &[], "someone else's history");
    let before = state(&env, &r);
    let run = env.tribune(&["init", &r, "--org", "Org"]).fails(1, "already has commits");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(state(&env, &r), before, "a refused init wrote refs or objects");
    assert_eq!(env.git(&["-C", &r, "log", "--format=%s"]).ok().stdout, "someone else's history\n");
    env.fsck(&r);
}

#[test]
fn init_refuses_a_bare_repository_that_has_commits_on_another_branch() {
    let env = Env::new();
    let src = env.repo_with_a_commit("src", &["-b", "work"], "x");
    let b = env.path("b.git").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "--bare", &src, &b]).ok();
    let before = state(&env, &b);
    env.tribune(&["init", &b, "--org", "Org"]).fails(1, "already has commits");
    assert_eq!(state(&env, &b), before);
}

#[test]
fn init_adopts_an_empty_bare_repository() {
    let env = Env::new();
    let e = env.path("e.git").to_string_lossy().into_owned();
    env.git(&["init", "-q", "--bare", &e]).ok();
    let r = env.tribune(&["init", &e, "--org", "Adopted Org"]).ok();
    assert!(r.stdout.contains("Created the commons of \"Adopted Org\""), "{}", r.stdout);
    assert_eq!(env.git(&["-C", &e, "symbolic-ref", "HEAD"]).ok().stdout.trim(), "refs/heads/main");
    assert_eq!(env.git(&["-C", &e, "rev-list", "--count", "main"]).ok().stdout.trim(), "1");
    assert_eq!(config_of(&env, &e, "main")["name"].as_str(), Some("Adopted Org"));
    let tip = env.git(&["-C", &e, "rev-parse", "main"]).ok().stdout;
    assert_eq!(env.refs(&e), format!("refs/heads/main {}", tip), "only the trunk exists");
    // HEAD names the trunk, so a plain clone checks it out.
    let w = env.path("w").to_string_lossy().into_owned();
    env.git(&["clone", "-q", &e, &w]).ok();
    assert!(env.path("w/tribune.toml").exists(), "a clone checks out tribune.toml");
    env.fsck(&e);
}

#[test]
fn init_with_a_custom_trunk_records_it_and_later_commands_use_it() {
    let env = Env::new();
    let c = env.path("c").to_string_lossy().into_owned();
    let r = env.tribune(&["init", &c, "--org", "Org", "--trunk", "trunk"]).ok();
    assert!(r.stdout.contains("trunk trunk"), "{}", r.stdout);
    assert_eq!(env.git(&["-C", &c, "symbolic-ref", "HEAD"]).ok().stdout.trim(), "refs/heads/trunk");
    assert_eq!(env.git(&["-C", &c, "for-each-ref", "--format=%(refname)"]).ok().stdout, "refs/heads/trunk\n");
    assert_eq!(config_of(&env, &c, "trunk")["trunk"].as_str(), Some("trunk"));
    assert_eq!(env.git(&["-C", &c, "config", "tribune.trunk"]).ok().stdout.trim(), "trunk");

    env.tribune(&["-C", &c, "roster", "add-contingent", "abc", "--name", "ABC Collective"]).ok();
    let a = env.write("a.md", article("On the custom trunk", "abc", "", "Body.\n"));
    let out = env.tribune(&["-C", &c, "contribute", &a]).ok().stdout;
    let tip = env.git(&["-C", &c, "rev-parse", "trunk"]).ok().stdout.trim().to_string();
    assert!(out.contains(&tip), "contribute committed on the custom trunk:\n{out}");
    assert_eq!(env.git(&["-C", &c, "rev-list", "--count", "trunk"]).ok().stdout.trim(), "3");
    assert_eq!(
        env.git(&["-C", &c, "for-each-ref", "--format=%(refname)"]).ok().stdout,
        "refs/heads/trunk\n",
        "no main appeared"
    );
    let list = env.tribune(&["-C", &c, "list"]).ok().stdout;
    assert!(list.contains("on-the-custom-trunk"), "{list}");
    env.fsck(&c);
}

#[test]
fn init_refuses_an_unusable_trunk_name_before_creating_anything() {
    let env = Env::new();
    let c = env.path("c").to_string_lossy().into_owned();
    for bad in ["Main", "a..b", "-x", "a b"] {
        let r = env
            .tribune(&["init", &c, "--org", "Org", &format!("--trunk={bad}")])
            .fails(1, "is not a usable trunk branch name");
        assert!(r.stdout.is_empty());
        assert!(!env.path("c").exists(), "--trunk {bad:?} left a directory behind");
    }
}

#[test]
fn init_refuses_an_empty_organisation_name() {
    let env = Env::new();
    let c = env.path("c").to_string_lossy().into_owned();
    env.tribune(&["init", &c, "--org", "  "]).fails(1, "the organisation name is empty");
    assert!(!env.path("c").exists());
}

#[test]
fn init_without_org_is_a_usage_error() {
    let env = Env::new();
    let c = env.path("c").to_string_lossy().into_owned();
    let r = env.tribune(&["init", &c]).fails(2, "--org");
    assert!(r.stdout.is_empty());
    assert!(!env.path("c").exists());
    env.tribune(&["init", &c, "--org", "Org", "--bogus"]).fails(2, "--bogus");
    assert!(!env.path("c").exists());
}

#[test]
fn init_with_a_relative_directory_is_relative_to_dash_c() {
    let env = Env::new();
    std::fs::create_dir(env.path("base")).unwrap();
    let base = env.path("base").to_string_lossy().into_owned();
    env.tribune(&["-C", &base, "init", "sub/c", "--org", "Org"]).ok();
    let c = env.path("base/sub/c").to_string_lossy().into_owned();
    assert_eq!(env.git(&["-C", &c, "rev-parse", "--is-bare-repository"]).ok().stdout.trim(), "true");
    assert!(!env.path("sub").exists(), "nothing was created beside the working directory");
    env.fsck(&c);
}

#[test]
fn a_tribune_toml_broken_with_plain_git_is_reported_with_its_file_and_line() {
    let env = Env::new();
    let c = env.path("c").to_string_lossy().into_owned();
    env.tribune(&["init", &c, "--org", "Org"]).ok();
    let mut line = 0;
    edit_with_git(&env, &c, "tribune.toml", "break the config", |text| {
        line = text.lines().position(|l| l.starts_with("name = ")).unwrap() + 1;
        text.lines().map(|l| if l.starts_with("name = ") { "name = \"Org\n" } else { l }).collect::<Vec<_>>().join("\n")
    });
    let r = env.tribune(&["-C", &c, "list"]).fails(1, "tribune.toml");
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains(&format!("tribune.toml:{line}:")), "the error names the line ({line}):\n{}", r.stderr);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
}

/// A founder's name with a control character is refused as such (it said "no name"), and
/// nothing is created.
#[test]
fn a_founders_name_with_a_control_character_is_named_as_the_problem() {
    let env = Env::new();
    let (key, _) = keypair(&env, "rosa");
    let dir = env.path("c").display().to_string();
    let r = env.tribune(&[
        "init",
        &dir,
        "--org",
        "Org",
        "--founder",
        "rosa",
        "--contingent",
        "abc",
        "--email",
        "rosa@example.org",
        "--key",
        &key,
        "--name",
        "Rosa\u{7}Lopez",
    ]);
    let r = r.fails(1, "holds a control character");
    assert!(!r.stderr.contains("has no name"), "{}", r.stderr);
    assert!(!std::path::Path::new(&dir).join("HEAD").exists());
}
