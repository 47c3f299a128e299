//! Terminal escapes in the data: whatever a contributor committed with plain git, tribune's
//! text output shows control characters as visible escapes and never passes one to the
//! terminal; input that has no place for them is refused.

use crate::harness::*;

const ESC: char = '\u{1b}';
const SLUG: &str = "port-blockade";
const BROKEN: &str = "esc-authors";

/// Asserts that `r` succeeded and that neither stdout nor stderr holds a control character
/// other than newline and tab.
#[track_caller]
fn assert_harmless(what: &str, r: &Run) {
    for (name, out) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        assert!(!out.contains(ESC), "{what}: a raw ESC on {name}:\n{out}");
        let bad: Vec<char> = out.chars().filter(|c| c.is_control() && *c != '\n' && *c != '\t').collect();
        assert!(bad.is_empty(), "{what}: control characters {bad:?} on {name}:\n{out}");
    }
}

/// A clone `w` whose trunk, committed with plain git, carries ESC and other control
/// characters in every field tribune shows: summary, body, contingent name, quoted title
/// and url, authors, titles, the committer's name, rating notes, challenges and replies.
fn poisoned(env: &mut Env) -> String {
    let c = env.commons();
    let w = env.path("w").to_string_lossy().into_owned();
    env.git(&["clone", "-q", &c, &w]).ok();
    let a = env.write("a.md", article("Port blockade", "abc", "", "Dockers stopped.\n"));
    env.tribune(&["-C", &w, "contribute", &a, "--slug", SLUG]).ok();
    let b = env.write("b.md", article("Second", "abc", "", "Text.\n"));
    env.tribune(&["-C", &w, "contribute", &b, "--slug", BROKEN]).ok();
    env.tribune(&[
        "-C",
        &w,
        "challenge",
        "--from",
        "abc",
        "--to",
        "xyz",
        "-m",
        "Why\u{1b}[2J not?\n\nBecause\u{1b}]0;pwned\u{7}.",
    ])
    .ok();
    let id = env.tribune(&["-C", &w, "challenges", "--json"]).ok().stdout;
    let id = serde_json::from_str::<serde_json::Value>(&id).unwrap()[0]["id"].as_str().unwrap().to_string();
    let reply = env.write("reply.md", "We reply\u{1b}[31m in red\u{8}\u{8}.\n");
    env.tribune(&["-C", &w, "reply", &id, "--as", "xyz", &reply]).ok();

    // Plain git: the texts, the roster and a rating note, none of which tribune wrote.
    let text = article(
        "Port blockade",
        "abc",
        "summary = \"Sum\\u001b[31mmary\\r\"\n[[derived_from]]\nrelation = \"wasQuotedFrom\"\nurl = \"https://e.org/\\u001b[2J\"\n",
        "Dockers \u{1b}[1mstopped\u{1b}[0m.\r\nA bell\u{7} and a CSI \u{9b}2J.\n",
    );
    std::fs::write(env.path("w").join(text_path(SLUG)), text).unwrap();
    let broken = article("Esc\\u001b[31m title", "abc", "", "Text.\n")
        .replace("authors = [\"R. Lopez\"]", "authors = [\"R.\\u001b[31m Lopez\"]");
    std::fs::write(env.path("w").join(text_path(BROKEN)), broken).unwrap();
    let roster = env.path("w/roster/contingents/abc.toml");
    let toml = std::fs::read_to_string(&roster).unwrap().replace("ABC Collective", "ABC\\u001b[41m Collective");
    std::fs::write(&roster, toml).unwrap();
    env.vars.push(("GIT_COMMITTER_NAME".into(), "Eve \u{1b}[31mRed".into()));
    env.git(&["-C", &w, "commit", "-q", "-am", "plain git \u{1b}[31mred"]).ok();
    env.vars.pop();
    let blob = rev(env, &w, &format!("main:{}", text_path(SLUG)));
    let note = "{\"v\":1,\"rater\":\"bob\",\"dimension\":\"politics\\u001b[5m\",\"score\":1,\"at\":\"2026-11-21T10:00:00Z\",\"comment\":\"bad\\u001b]0;title\\u0007\"}\n{\"v\":1,\"rater\":\"bob\",\"dimension\":\"politics\",\"score\":2,\"at\":\"2026-11-21T10:00:00Z\",\"comment\":\"line\\nbreak\\u001b[1A\"}\nnot json \u{1b}[2J\n";
    env.git(&["-C", &w, "notes", "--ref", "tribune/ratings/bob", "add", "-m", note, &blob]).ok();
    w
}

#[test]
fn text_output_never_passes_a_control_character_to_the_terminal() {
    let mut env = Env::new();
    let w = poisoned(&mut env);
    // The data really holds the escapes: JSON shows them escaped, as serde_json does.
    let json = env.tribune(&["-C", &w, "show", SLUG, "--json"]).ok().stdout;
    assert!(json.contains("\\u001b[31m") && !json.contains(ESC), "{json}");

    // Each command, and whether its output holds an escape to show (the broken text is shown
    // as stored, its escapes written TOML's way; the trunk's own version row has none).
    for (args, shows) in [
        (vec!["show", SLUG], true),
        (vec!["show", BROKEN], false),
        (vec!["versions", SLUG], false),
        (vec!["versions", BROKEN], true),
        (vec!["list"], true),
        (vec!["log", SLUG], true),
        (vec!["credits", SLUG], true),
        (vec!["challenges"], true),
        (vec!["ratings", SLUG, "--all"], true),
        (vec!["export", SLUG, "--as", "abc", "--format", "txt"], true),
        (vec!["export", SLUG, "--as", "abc", "--format", "md"], true),
        (vec!["export", SLUG, "--as", "abc", "--format", "html"], true),
    ] {
        let mut full = vec!["-C", w.as_str()];
        full.extend(&args);
        let r = env.tribune(&full).ok();
        assert_harmless(&args.join(" "), &r);
        assert_eq!(r.stdout.contains("\\u{1b}"), shows, "{args:?}: the escape, shown visibly?\n{}", r.stdout);
    }
    // Commands whose renderers do not clean each field themselves: the guard on all output
    // still shows the escapes instead of obeying them.
    for args in [vec!["roster"], vec!["accountability"], vec!["statements"], vec!["filter", "list"]] {
        let mut full = vec!["-C", w.as_str()];
        full.extend(&args);
        assert_harmless(&args.join(" "), &env.tribune(&full).ok());
    }
    // A name with a control character is not a valid entry: the roster keeps the one before
    // and says why on stderr, escaped.
    let roster = env.tribune(&["-C", &w, "roster"]).ok();
    assert!(roster.stdout.contains("ABC Collective"), "{}", roster.stdout);
    assert!(
        roster.stderr.contains("not a valid entry: the contingent's name is empty or not one line"),
        "{}",
        roster.stderr
    );
    let list = env.tribune(&["-C", &w, "challenges", "--json"]).ok().stdout;
    let id = serde_json::from_str::<serde_json::Value>(&list).unwrap()[0]["id"].as_str().unwrap().to_string();
    let r = env.tribune(&["-C", &w, "challenges", "--show", &id]).ok();
    assert_harmless("challenges --show", &r);
    assert!(r.stdout.contains("We reply\\u{1b}[31m in red\\u{8}\\u{8}."), "{}", r.stdout);
    // A text that cannot be exported says why, harmlessly.
    let r = env.tribune(&["-C", &w, "export", BROKEN, "--as", "abc"]).fails(1, &format!("error: {BROKEN}@"));
    assert!(r.stderr.contains(":2: the title must be one line of text\nhint: "), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(!r.stderr.contains(ESC), "{}", r.stderr);
}

#[test]
fn an_author_holding_a_control_character_is_refused_on_contribute() {
    let (env, c) = commons();
    let a = env.write(
        "a.md",
        article("Port blockade", "abc", "", "Dockers stopped.\n")
            .replace("authors = [\"R. Lopez\"]", "authors = [\"R.\\u001b[31m Lopez\"]"),
    );
    let r = refused(&env, &c, &["-C", &c, "contribute", &a], 1, &["a.md:3:", "control character", "hint:"]);
    assert!(!r.stderr.contains(ESC), "{}", r.stderr);
    let t = env.write("t.md", article("Esc\\u001b[31m title", "abc", "", "Dockers stopped.\n"));
    refused(&env, &c, &["-C", &c, "contribute", &t], 1, &["t.md:2:", "one line"]);
    refused(
        &env,
        &c,
        &["-C", &c, "rate", "x", "--score", "1", "--as", "bob", "--dimension", "politics\u{1b}"],
        1,
        &["not a rating dimension"],
    );
}

#[test]
fn a_title_with_bidirectional_overrides_shows_them_as_escapes_in_list_and_show() {
    let env = Env::new();
    let c = env.commons();
    // An unclosed right-to-left override would reverse the rest of the row: the contingent,
    // the date and the count after the title.
    let title = "Strike \u{202e}ends\u{2066} today";
    let a = env.write("a.md", article(title, "abc", "", "Text.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", SLUG]).ok();
    for args in [&["-C", &c, "list"][..], &["-C", &c, "show", SLUG]] {
        let out = env.tribune(args).ok().stdout;
        assert!(!out.contains('\u{202e}') && !out.contains('\u{2066}'), "{args:?}:\n{out}");
        assert!(out.contains("Strike \\u{202e}ends\\u{2066} today"), "{args:?}:\n{out}");
    }
    let json = env.tribune(&["-C", &c, "list", "--json"]).ok().stdout;
    assert!(json.contains("\u{202e}"), "JSON keeps the title as written:\n{json}");
}
