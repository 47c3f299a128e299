//! The pager: reading commands page their output on a terminal as git does, never in a pipe,
//! with the pager git would choose; a pager that quits early ends the command quietly.

use crate::harness::*;

/// A commons with one article, rated once.
fn commons(env: &Env) -> String {
    let c = env.commons();
    let a = env.write("a.md", article("Warehouse walkout", "abc", "", "Line 3 stopped.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", "walkout"]).ok();
    env.tribune(&["-C", &c, "rate", "walkout", "--score", "1", "--as", "alice"]).ok();
    c
}

/// A pager script that notes in `log` that it ran (and the LESS it was given), then copies
/// its input to its output. Returns the command line to run it.
fn recording_pager(env: &Env, name: &str) -> String {
    let log = env.path(&format!("{name}.log"));
    let path = env.write(
        &format!("bin/{name}"),
        format!("#!/bin/sh\necho \"{name} LESS=${{LESS-unset}} LV=${{LV-unset}} LESSCHARSET=${{LESSCHARSET-unset}}\" >> '{}'\ncat\n", log.display()),
    );
    chmod_x(&path);
    path
}

fn chmod_x(path: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// What the pager `name` noted, one line per run.
fn runs(env: &Env, name: &str) -> Vec<String> {
    std::fs::read_to_string(env.path(&format!("{name}.log")))
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

fn forget(env: &Env, name: &str) {
    let _ = std::fs::remove_file(env.path(&format!("{name}.log")));
}

#[test]
fn reading_commands_page_on_a_terminal_and_never_in_a_pipe() {
    let mut env = Env::new();
    let c = commons(&env);
    let pager = recording_pager(&env, "pager");
    env.vars.push(("GIT_PAGER".into(), pager));
    let piped = env.tribune(&["-C", &c, "list"]).ok().stdout;
    assert!(runs(&env, "pager").is_empty(), "a pipe was paged");
    for args in [
        &["-C", &c, "--color", "never", "list"][..],
        &["-C", &c, "show", "walkout"],
        &["-C", &c, "log", "walkout"],
        &["-C", &c, "diff", "walkout", "trunk", "trunk"],
        &["-C", &c, "ratings", "walkout"],
    ] {
        forget(&env, "pager");
        let r = on_terminal(&env, 100, "", args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stdout);
        assert_eq!(runs(&env, "pager"), ["pager LESS=FRX LV=-c LESSCHARSET=utf-8"], "{args:?} was not paged once");
        if args.get(4) == Some(&"list") {
            assert_eq!(r.stdout, piped, "the pager passes the output through unchanged");
        }
        // The same command in a pipe is not paged.
        forget(&env, "pager");
        let r = env.tribune(args).ok();
        assert!(!r.stdout.is_empty());
        assert!(runs(&env, "pager").is_empty(), "{args:?} was paged in a pipe");
    }
}

#[test]
fn no_pager_and_commands_that_write_little_go_straight_to_the_terminal() {
    let mut env = Env::new();
    let c = commons(&env);
    env.vars.push(("GIT_PAGER".into(), recording_pager(&env, "pager")));
    let r = on_terminal(&env, 100, "", &["--no-pager", "-C", &c, "list"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("walkout"), "{}", r.stdout);
    let r = on_terminal(&env, 100, "", &["-C", &c, "list", "--no-pager"]);
    assert_eq!(r.code, 0, "--no-pager is global: {}", r.stdout);
    let r = on_terminal(&env, 100, "", &["-C", &c, "roster"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("alice"), "{}", r.stdout);
    assert!(runs(&env, "pager").is_empty(), "paged: {:?}", runs(&env, "pager"));
}

#[test]
fn a_command_that_fails_before_any_output_starts_no_pager() {
    let mut env = Env::new();
    let c = commons(&env);
    env.vars.push(("GIT_PAGER".into(), recording_pager(&env, "pager")));
    let r = on_terminal(&env, 100, "", &["-C", &c, "show", "no-such-article"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let end = format!(
        "error: there is no article \"no-such-article\" on the trunk\nhint: list the articles with `tribune -C {c} list`\n"
    );
    assert!(r.stdout.ends_with(&end), "{}", r.stdout);
    assert!(runs(&env, "pager").is_empty(), "paged: {:?}", runs(&env, "pager"));
}

#[test]
fn the_pager_is_chosen_as_git_chooses_it() {
    let env = Env::new();
    let c = commons(&env);
    for name in ["git-pager", "core-pager", "pager", "less"] {
        recording_pager(&env, name);
    }
    let bin = env.path("bin").display().to_string();
    let path = format!("{bin}:{}", std::env::var("PATH").unwrap_or_default());
    // Each case: the shell's setup on the terminal, and the pager expected to run (None: none).
    let core = format!("git -C '{c}' config core.pager core-pager &&");
    let cases: Vec<(String, Option<&str>)> = vec![
        ("export GIT_PAGER=git-pager PAGER=pager &&".into(), Some("git-pager LESS=FRX LV=-c LESSCHARSET=utf-8")),
        (
            format!("{core} export GIT_PAGER=git-pager PAGER=pager &&"),
            Some("git-pager LESS=FRX LV=-c LESSCHARSET=utf-8"),
        ),
        (format!("{core} unset GIT_PAGER; export PAGER=pager &&"), Some("core-pager LESS=FRX LV=-c LESSCHARSET=utf-8")),
        (
            "git -C '$C' config --unset core.pager; export PAGER=pager &&".into(),
            Some("pager LESS=FRX LV=-c LESSCHARSET=utf-8"),
        ),
        ("unset PAGER;".into(), Some("less LESS=FRX LV=-c LESSCHARSET=utf-8")),
        ("unset PAGER; export LESS=-S LV=x &&".into(), Some("less LESS=-S LV=x LESSCHARSET=utf-8")),
        ("unset PAGER; export LESSCHARSET=latin1 &&".into(), Some("less LESS=FRX LV=-c LESSCHARSET=latin1")),
        ("export GIT_PAGER= PAGER=pager &&".into(), None),
        ("export GIT_PAGER=cat PAGER=pager &&".into(), None),
        ("export PAGER=cat &&".into(), None),
        ("export PAGER= &&".into(), None),
    ];
    for (setup, expected) in cases {
        for name in ["git-pager", "core-pager", "pager", "less"] {
            forget(&env, name);
        }
        let setup = format!("export PATH='{path}' && {} ", setup.replace("$C", &c));
        let r = on_terminal(&env, 100, &setup, &["-C", &c, "list"]);
        assert_eq!(r.code, 0, "{setup}: {}", r.stdout);
        assert!(r.stdout.contains("walkout"), "{setup}: {}", r.stdout);
        let ran: Vec<String> =
            ["git-pager", "core-pager", "pager", "less"].iter().flat_map(|n| runs(&env, n)).collect();
        assert_eq!(ran, expected.into_iter().map(String::from).collect::<Vec<_>>(), "{setup}");
    }
}

#[test]
fn a_pager_that_quits_early_ends_the_command_quietly() {
    let mut env = Env::new();
    let c = env.commons();
    // Far more than a pipe holds (64 KiB), so that tribune is still writing when the pager
    // has gone.
    let body = "A paragraph of the long report, repeated to fill many screens.\n\n".repeat(20_000);
    let a = env.write("long.md", article("A long report", "abc", "", &body));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", "long"]).ok();
    for pager in ["true", "head -n 3"] {
        env.vars = vec![("GIT_PAGER".into(), pager.into())];
        let r = on_terminal(&env, 100, "", &["-C", &c, "show", "long"]);
        assert_eq!(r.code, 0, "{pager}: {}", r.stdout.chars().take(2000).collect::<String>());
        // What the pager showed, and nothing from tribune (no error about the closed pipe).
        let shown: Vec<&str> = r.stdout.lines().collect();
        match pager {
            "true" => assert_eq!(shown, Vec::<&str>::new(), "{pager}"),
            _ => {
                assert_eq!(shown.len(), 3, "{pager}: {}", r.stdout);
                assert!(shown[0].contains("A long report") && shown[2].contains("CC0-1.0"), "{pager}: {}", r.stdout);
            }
        }
    }
}

#[test]
fn tally_pages_only_with_all() {
    let mut env = Env::new();
    let d = env.path("demo").display().to_string();
    env.tribune(&["demo", &d]).ok();
    let statements: serde_json::Value =
        serde_json::from_str(&env.tribune(&["-C", &d, "statements", "--json"]).ok().stdout).unwrap();
    let slug = statements[0]["statement"].as_str().unwrap().to_string();
    env.vars.push(("GIT_PAGER".into(), recording_pager(&env, "pager")));
    let r = on_terminal(&env, 100, "", &["-C", &d, "tally", &slug]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(runs(&env, "pager").is_empty(), "tally without --all was paged");
    let r = on_terminal(&env, 100, "", &["-C", &d, "tally", &slug, "--all"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(runs(&env, "pager").len(), 1, "tally --all was not paged");
}
