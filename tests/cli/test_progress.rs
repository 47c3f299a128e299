//! Progress bars on long work (`synth`, a cold index build, `credit-check`): on stderr when
//! it is a terminal, and never anywhere else: not in a pipe, a file or a test's captured
//! output, and never in standard output, JSON included.

use crate::harness::*;

const SYNTH: &[&str] = &[
    "--articles",
    "300",
    "--contingents",
    "3",
    "--batch",
    "100",
    "--single",
    "10",
    "--long-words",
    "0",
    "--editions",
    "2",
    "--rewrites",
    "5",
];

fn synth_args(dir: &str) -> Vec<&str> {
    let mut args = vec!["synth", dir];
    args.extend_from_slice(SYNTH);
    args
}

/// Some drawing of a progress bar: a carriage return or a terminal escape.
fn drawn(s: &str) -> bool {
    s.contains('\r') || s.contains('\x1b')
}

#[test]
fn long_work_shows_progress_on_a_terminal() {
    let env = Env::new();
    let dir = env.path("synth").display().to_string();
    let r = on_terminal(&env, 100, "", &synth_args(&dir));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("writing articles"), "no progress from synth:\n{:?}", r.stdout);
    assert!(r.stdout.contains("synthesised 300 articles"), "{}", r.stdout);

    // A cold index build: articles and editions.
    let r = on_terminal(&env, 100, "", &["-C", &dir, "--no-pager", "list", "--limit", "1"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("reading articles"), "no progress from a cold index:\n{:?}", r.stdout);
    assert!(r.stdout.contains("reading editions"), "no progress from the editions:\n{:?}", r.stdout);
    assert!(r.stdout.contains("SLUG"), "{}", r.stdout);
    // A warm one is quick: nothing to show.
    let warm = on_terminal(&env, 100, "", &["-C", &dir, "--no-pager", "list", "--limit", "1"]);
    assert_eq!(warm.code, 0, "{}", warm.stdout);
    assert!(!warm.stdout.contains("reading"), "{:?}", warm.stdout);
    assert!(r.stdout.ends_with(&warm.stdout), "the same list, after the bars:\n{:?}\n{:?}", r.stdout, warm.stdout);

    let r = on_terminal(&env, 100, "", &["-C", &dir, "credit-check"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("reading texts"), "no progress from credit-check:\n{:?}", r.stdout);
}

#[test]
fn progress_never_reaches_a_pipe_or_standard_output() {
    let env = Env::new();
    let dir = env.path("synth").display().to_string();
    let r = env.tribune(&synth_args(&dir)).ok();
    assert!(r.stdout.is_empty(), "{:?}", r.stdout);
    assert!(!drawn(&r.stderr) && !r.stderr.contains("writing"), "progress in a pipe: {:?}", r.stderr);

    let index = env.path("synth/tribune/index");
    // synth builds no index: this list builds it.
    assert!(!index.exists());
    let cold = env.tribune(&["-C", &dir, "list", "--json"]).ok();
    assert!(cold.stderr.is_empty(), "{:?}", cold.stderr);
    let warm = env.tribune(&["-C", &dir, "list", "--json"]).ok();
    assert_eq!(cold.stdout, warm.stdout);

    let r = env.tribune(&["-C", &dir, "credit-check", "--json"]).ok();
    assert!(!drawn(&r.stderr) && !r.stderr.contains("reading"), "progress in a pipe: {:?}", r.stderr);
    serde_json::from_str::<serde_json::Value>(&r.stdout).expect("credit-check --json is JSON alone");

    // On a terminal, with standard output sent to a file: the bars go to the terminal, the
    // file holds the JSON alone.
    std::fs::remove_dir_all(&index).unwrap();
    let out = env.path("list.json").display().to_string();
    let r = on_terminal(&env, 100, &format!("exec >'{out}';"), &["-C", &dir, "list", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("reading articles"), "{:?}", r.stdout);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), warm.stdout);
}
