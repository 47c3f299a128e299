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

/// A page's text without roff's font escapes, and with its escaped hyphens plain.
fn plain(page: &str) -> String {
    page.replace("\\fB", "").replace("\\fR", "").replace("\\fI", "").replace("\\-", "-")
}

/// The text of section `name` of a page, up to the next section.
fn section<'a>(page: &'a str, name: &str) -> &'a str {
    // roff quotes a heading with a space: .SH "EXIT STATUS".
    let heading = if name.contains(' ') { format!(".SH \"{name}\"\n") } else { format!(".SH {name}\n") };
    let start = page.find(&heading).map(|i| i + heading.len());
    let start = start.unwrap_or_else(|| panic!("no {name} section in\n{page}"));
    let rest = &page[start..];
    &rest[..rest.find("\n.SH ").unwrap_or(rest.len())]
}

#[test]
fn every_command_page_has_exit_status_environment_examples_and_see_also() {
    let env = Env::new();
    let out = env.path("man");
    env.tribune(&["generate-man", "--out", out.to_str().unwrap()]).ok();
    let mut pages: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    pages.sort();
    assert!(pages.len() > 30, "{pages:?}");
    for name in pages.iter().filter(|n| n.ends_with(".1")) {
        let page = plain(&std::fs::read_to_string(out.join(name)).unwrap());
        let exit = section(&page, "EXIT STATUS");
        for code in ["0", "1", "2"] {
            assert!(exit.contains(&format!(".TP\n{code}\n")), "{name}: exit status {code} missing:\n{exit}");
        }
        let environment = section(&page, "ENVIRONMENT");
        assert!(environment.contains("NO_COLOR"), "{name}:\n{environment}");
        let examples = section(&page, "EXAMPLES");
        assert!(examples.contains("tribune "), "{name}:\n{examples}");
        let see_also = section(&page, "SEE ALSO");
        assert!(see_also.contains("tribune-format(5)"), "{name}:\n{see_also}");
        assert!(!page.contains(".SH EXTRA"), "{name}: the examples are shown twice");
        // Every page named anywhere (SUBCOMMANDS, SEE ALSO, the text) exists.
        for (i, _) in page.match_indices("tribune") {
            let rest = &page[i..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
            if let Some(section) = rest[end..].strip_prefix('(').and_then(|r| r.get(..2)) {
                if let Some(section) = section.strip_suffix(')') {
                    let named = format!("{}.{section}", &rest[..end]);
                    assert!(pages.contains(&named), "{name} names {named}, which does not exist");
                }
            }
        }
    }
    let top = plain(&std::fs::read_to_string(out.join("tribune.1")).unwrap());
    assert!(!top.contains("tribune-help"), "tribune.1 names a help page");
    let environment = section(&top, "ENVIRONMENT");
    for var in ["GIT_AUTHOR_NAME", "GIT_COMMITTER_DATE", "SSH_AUTH_SOCK", "GIT_EDITOR", "COLUMNS"] {
        assert!(environment.contains(var), "tribune.1 lacks {var}:\n{environment}");
    }
    let verify = plain(&std::fs::read_to_string(out.join("tribune-verify.1")).unwrap());
    assert!(section(&verify, "EXIT STATUS").contains("fails verification"), "{verify}");
    let add_member = plain(&std::fs::read_to_string(out.join("tribune-roster-add-member.1")).unwrap());
    assert!(section(&add_member, "SYNOPSIS").contains("tribune roster add-member "), "{add_member}");
}

#[test]
fn long_help_shows_the_examples_and_short_help_does_not() {
    let env = Env::new();
    let long = env.tribune(&["contribute", "--help"]).ok().stdout;
    assert!(long.contains("Examples:\n") && long.contains("    tribune contribute strike.md\n"), "{long}");
    let short = env.tribune(&["contribute", "-h"]).ok().stdout;
    assert!(!short.contains("Examples:"), "{short}");
    let nested = env.tribune(&["help", "roster", "add-member"]).ok().stdout;
    // A long example goes on over lines, as in a shell, rather than being wrapped.
    assert!(nested.contains("    tribune roster add-member rlopez --contingent abc \\\n      --name"), "{nested}");
    let top = env.tribune(&["--help"]).ok().stdout;
    assert!(top.contains("    tribune demo\n"), "{top}");
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

/// A command's help lists its own options first, then the ones every command takes under a
/// heading of their own, not interleaved with them (`--trust`, `--color`, `--dimension`).
#[test]
fn a_commands_own_options_come_before_the_global_ones() {
    let env = Env::new();
    for args in [&["filter", "add", "--help"][..], &["list", "--help"], &["approve", "-h"]] {
        let help = env.tribune(args).ok().stdout;
        let (own, global) = help.split_once("\nGlobal options:\n").unwrap_or_else(|| panic!("{args:?}:\n{help}"));
        for flag in ["--directory", "--color", "--no-pager"] {
            assert!(!own.contains(flag) && global.contains(flag), "{args:?}: {flag} is not global:\n{help}");
        }
    }
    let list = env.tribune(&["list", "--help"]).ok().stdout;
    let own = list.split_once("Options:\n").unwrap().1;
    assert!(own.trim_start().starts_with("--contingent"), "{list}");
}
