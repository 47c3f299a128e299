//! Help, man pages and completions come from one definition and stay in sync.

use crate::harness::*;

#[test]
fn committed_man_pages_match_what_the_program_generates() {
    let env = Env::new();
    let out = env.path("man");
    env.tribune(&["generate-man", "--out", out.to_str().unwrap()]).ok();
    let committed = concat!(env!("CARGO_MANIFEST_DIR"), "/man");
    let names = |dir: &std::path::Path| {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    };
    let generated = names(&out);
    assert_eq!(generated, names(std::path::Path::new(committed)), "man/ is stale: run `cargo run -- generate-man`");
    for name in &generated {
        let fresh = std::fs::read(out.join(name)).unwrap();
        let old = std::fs::read(std::path::Path::new(committed).join(name)).unwrap();
        assert!(fresh == old, "man/{name} is stale: run `cargo run -- generate-man`");
    }
    for page in ["tribune.1", "tribune-contribute.1", "tribune-roster-add-member.1", "tribune-format.5"] {
        assert!(generated.contains(&page.to_string()), "{page} missing");
    }
}

#[test]
fn man_pages_document_every_flag_with_its_help_text() {
    let env = Env::new();
    let out = env.path("man");
    env.tribune(&["generate-man", "--out", out.to_str().unwrap()]).ok();
    let page = std::fs::read_to_string(out.join("tribune-contribute.1")).unwrap();
    assert!(page.contains("max\\-size") && page.contains("Largest accepted file"), "{page}");
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    let env = Env::new();
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef tribune"), ("fish", "complete -c tribune")] {
        let r = env.tribune(&["completions", shell]).ok();
        assert!(r.stdout.contains(marker), "{shell}: {}", &r.stdout[..200.min(r.stdout.len())]);
        assert!(r.stdout.contains("contribute"), "{shell} completions lack subcommands");
    }
    env.tribune(&["completions", "tcsh"]).fails(2, "invalid value");
}

#[test]
fn version_and_help_work_everywhere() {
    let env = Env::new();
    let v = env.tribune(&["--version"]).ok();
    assert_eq!(v.stdout.trim(), format!("tribune {}", env!("CARGO_PKG_VERSION")));
    let h = env.tribune(&["help"]).ok();
    for cmd in ["init", "roster", "contribute", "list", "show", "log", "demo", "completions"] {
        assert!(h.stdout.contains(cmd), "help lacks {cmd}");
    }
    assert!(!h.stdout.contains("generate-man") && !h.stdout.contains("synth"), "hidden commands shown");
    env.tribune(&["frobnicate"]).fails(2, "unrecognized subcommand");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // `true` exits before tribune writes, so tribune's write meets a pipe with no reader;
    // with pipefail the pipeline's status is tribune's.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("set -o pipefail; (sleep 0.3; exec '{}' completions bash) | true", env!("CARGO_BIN_EXE_tribune")))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status.code());
    assert!(stderr.is_empty(), "{stderr}");
}
