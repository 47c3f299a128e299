//! The README's walkthrough runs as written.

use crate::harness::*;

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- walkthrough -->").expect("walkthrough marker");
    let block = &readme[start..];
    let body = block.split_once("```sh\n").unwrap().1.split_once("\n```").unwrap().0;
    let env = Env::new();
    // Put the binary on PATH as `tribune`, as `cargo install` would.
    let bin = env.path("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_tribune"), bin.join("tribune")).unwrap();
    let script =
        env.write("walkthrough.sh", format!("set -euo pipefail\nexport PATH='{}':\"$PATH\"\n{body}\n", bin.display()));
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(&script);
    let r = env.run_command(cmd);
    assert_eq!(r.code, 0, "the walkthrough failed:\n{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Contributed warehouse-workers-shut-down-line-3"), "{}", r.stdout);
    assert!(r.stdout.contains("Tribune-Action: update"), "{}", r.stdout);
    assert!(r.stdout.contains("Rent strike enters third month"), "{}", r.stdout);
    assert!(r.stdout.contains("verified statements/solidarity-with-the-warehouse-strike"), "{}", r.stdout);
    assert!(r.stderr.contains("Good \"git\" signature for rlopez@example.org"), "{}", r.stderr);
    assert!(r.stdout.contains("Approved by 1 of 1 vote, two-thirds required"), "{}", r.stdout);
    assert!(r.stdout.contains("Modified by XYZ Circle"), "{}", r.stdout);
    assert!(r.stdout.contains("abc (ABC Collective)  1         1         0"), "{}", r.stdout);
    assert!(r.stdout.contains("Made edition 1 of abc/shop-floor: Week 48 (2 articles)"), "{}", r.stdout);
    assert!(r.stdout.contains("editions/0001.toml"), "{}", r.stdout);
    assert!(r.stdout.contains("Made edition 1 of @rlopez/reading: November (1 article)"), "{}", r.stdout);
    assert!(r.stdout.contains("@rlopez/reading"), "{}", r.stdout);
    assert!(r.stdout.contains("Built the site in public (full)"), "{}", r.stdout);
    assert!(r.stdout.contains("(incremental): 0 of"), "{}", r.stdout);
    let statement =
        std::fs::read_to_string(env.path("public/statements/solidarity-with-the-warehouse-strike/index.html"));
    assert!(statement.unwrap().contains("class=\"verified\""), "the approved statement is verified on the site");

    // The reader's files, private key included, stay where the reader works: the bare
    // repository holds only what git and tribune put there.
    assert!(!body.lines().any(|l| l.trim_start().starts_with("cd ")), "the walkthrough changes directory");
    for file in
        ["strike.md", "rent.md", "xyz.md", "statement.md", "rlopez-key", "signers", "strike.html", "week-48.html"]
    {
        assert!(env.path(file).is_file(), "{file} is not in the reader's directory");
    }
    let repository = ["HEAD", "config", "description", "hooks", "info", "objects", "refs", "packed-refs", "tribune"];
    for entry in std::fs::read_dir(env.path("commons")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(repository.contains(&name.as_str()), "{name} was left in the bare repository");
    }
}

/// The README's founding section runs as written: a founded commons, a member admitted by
/// the founder, a contingent admitted by an approved statement, and plain-git roster
/// stuffing that the audit names.
#[test]
fn the_readme_founding_runs_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- founding -->").expect("founding marker");
    let body = readme[start..].split_once("```sh\n").unwrap().1.split_once("\n```").unwrap().0;
    let env = Env::new();
    let bin = env.path("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_tribune"), bin.join("tribune")).unwrap();
    let script =
        env.write("founding.sh", format!("set -euo pipefail\nexport PATH='{}':\"$PATH\"\n{body}\n", bin.display()));
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(&script);
    let r = env.run_command(cmd);
    assert_eq!(r.code, 0, "the founding section failed:\n{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Founded the commons of \"Mass Organization XYZ\""), "{}", r.stdout);
    assert!(r.stdout.contains("Added contingent xyz (XYZ Circle)"), "{}", r.stdout);
    assert!(r.stdout.contains("breaks no rule"), "{}", r.stdout);
    assert!(
        r.stdout.contains("changes roster/members/mallory.toml, not signed by any member of the authorised roster"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("audit exit status: 1"), "{}", r.stdout);
    let roster = env.tribune(&["-C", &env.path("org").to_string_lossy(), "roster", "--json"]).ok().json();
    let ids: Vec<&str> = roster["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["jdoe", "rlopez"]);
}

#[test]
fn the_readme_starts_with_the_two_set_up_commands_ci_runs() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first_block = readme.split_once("```sh\n").unwrap().1.split_once("```").unwrap().0;
    let commands: Vec<&str> = first_block.lines().map(|l| l.split('#').next().unwrap().trim()).collect();
    assert_eq!(commands, ["cargo run --release -- demo", "cargo test --locked"]);
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == commands[1]), ".ci/run must run the README's test command");
}
