//! Whole-output snapshots of the main commands, as jj's tests have them: the command line,
//! what the command printed on stdout and on stderr, and its exit status, together in one
//! snapshot under `snapshots/`, so that any change to what a person sees shows in review.
//!
//! Nothing in them varies between runs or machines: the sandbox's clock gives every command
//! its own pinned time, and the members' keys are made from fixed seeds (ed25519 signatures
//! are deterministic), so dates, ages, commit ids, ballots and tags come out the same. The
//! commands run in the sandbox with paths relative to it; should one print the sandbox's
//! own path, a filter turns it into `[SANDBOX]`.
//!
//! A changed or missing snapshot fails the test. `cargo insta review` (or `INSTA_UPDATE=always
//! cargo test --test cli snapshots`) writes them for review in git; with `CI` set, as in
//! `.ci/run`, insta writes nothing and a difference is a failure.

use crate::harness::*;

/// The settings every snapshot here is taken with.
fn settings(env: &Env) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    let sandbox = env.tmp.path();
    for path in [sandbox.to_path_buf(), sandbox.canonicalize().unwrap()] {
        s.add_filter(&regex_escape(&path.to_string_lossy()), "[SANDBOX]");
    }
    s
}

/// `s` with the characters a regular expression gives a meaning to escaped.
fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The words of a command line, split as a shell splits them: at spaces, except within
/// single or double quotes (no escapes, no variables).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quote = None;
    for c in line.chars() {
        match (quote, c) {
            (None, ' ') => out.extend(word.take()),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (Some(q), c) if c == q => quote = None,
            (_, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    assert!(quote.is_none(), "an unclosed quote in {line:?}");
    out.extend(word);
    out
}

/// The command line, stdout, stderr and exit status of one command as one text.
fn render(command: &str, r: &Run) -> String {
    let mut out = format!("$ {command}\n");
    for (name, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        if text.is_empty() {
            continue;
        }
        out.push_str(&format!("----- {name} -----\n{text}"));
        if !text.ends_with('\n') {
            out.push_str("\n[no newline at the end]\n");
        }
    }
    out.push_str(&format!("----- exit status: {}\n", r.code));
    out
}

/// Runs `tribune LINE` in the sandbox (LINE split by [`words`]) and snapshots it as `name`;
/// returns what it printed.
#[track_caller]
fn snap(env: &Env, name: &str, line: &str) -> Run {
    snap_stdin(env, name, line, "")
}

/// [`snap`] with `input` on standard input. A refusal (exit 1 or 2) of a command run with
/// `-C DIR` on a repository must also leave its refs and objects as they were.
#[track_caller]
fn snap_stdin(env: &Env, name: &str, line: &str, input: &str) -> Run {
    let args = words(line);
    let repo = match &args[..] {
        [c, dir, ..] if c == "-C" && ["HEAD", ".git/HEAD"].iter().any(|h| env.path(dir).join(h).is_file()) => {
            Some(dir.clone())
        }
        _ => None,
    };
    let before = repo.as_ref().map(|dir| state(env, dir));
    let r = env.tribune_stdin(&args.iter().map(String::as_str).collect::<Vec<_>>(), input.as_bytes());
    let command = match input {
        "" => format!("tribune {line}"),
        _ => format!("tribune {line} <<'EOF'\n{input}EOF"),
    };
    let text = render(&command, &r);
    settings(env).bind(|| insta::assert_snapshot!(name, text));
    if let (Some(dir), Some(before), 1 | 2) = (&repo, before, r.code) {
        assert_eq!(state(env, dir), before, "{name}: a refused command wrote refs or objects in {dir}");
    }
    r
}

/// Runs `tribune LINE` in the sandbox without a snapshot: a step that must succeed.
#[track_caller]
fn given(env: &Env, line: &str) -> Run {
    let args = words(line);
    env.tribune(&args.iter().map(String::as_str).collect::<Vec<_>>()).ok()
}

/// The strike report with front matter, as a contingent member writes it.
const STRIKE: &str = "+++
title = \"Warehouse workers shut down line 3\"
summary = \"Sixty pickers stopped work for four hours over heat.\"
authors = [\"Rosa Lopez\"]
contingent = \"abc\"
date = 2026-11-21
tags = [\"strike\", \"heat-safety\"]
license = \"CC0-1.0\"
+++
About sixty workers on line 3 walked off the floor after the thermometer read 34 degrees.

Management gave in after four hours.
";

const SLUG: &str = "warehouse-workers-shut-down-line-3";

/// XYZ's rewrite of the strike report.
fn xyz_text() -> String {
    STRIKE.replace("walked off the floor", "walked off the floor in a show of strength")
}

/// Adds the member `id` of `contingent` with the key `keys/ID` made from `seed`.
fn member(env: &Env, c: &str, id: &str, contingent: &str, name: &str, seed: u8) {
    seeded_keypair(env, id, seed);
    given(
        env,
        &format!(
            "-C {c} roster add-member {id} --contingent {contingent} --name '{name}' --email {id}@example.org \
             --key-file keys/{id}.pub"
        ),
    );
}

/// A commons `c` with contingents abc and xyz, members rlopez (abc) and jdoe (xyz) with
/// keys made from fixed seeds (`keys/rlopez`, `keys/jdoe`), and the strike report.
fn commons_with_strike(env: &Env) {
    given(env, "init c --org 'Mass Organization XYZ'");
    given(env, "-C c roster add-contingent abc --name 'ABC Collective' --url https://abc.example.org");
    given(env, "-C c roster add-contingent xyz --name 'XYZ Circle'");
    member(env, "c", "rlopez", "abc", "Rosa Lopez", 1);
    member(env, "c", "jdoe", "xyz", "J. Doe", 2);
    env.write("strike.md", STRIKE);
    given(env, "-C c contribute strike.md");
}

#[test]
fn init_and_the_roster() {
    let env = Env::new();
    snap(&env, "init", "init c --org 'Mass Organization XYZ'");
    snap(&env, "init_again", "init c --org 'Mass Organization XYZ'");
    snap(&env, "init_without_org", "init d");
    snap(
        &env,
        "roster_add_contingent",
        "-C c roster add-contingent abc --name 'ABC Collective' --url https://abc.example.org",
    );
    snap(&env, "roster_add_contingent_again", "-C c roster add-contingent abc --name 'ABC Collective'");
    given(&env, "-C c roster add-contingent xyz --name 'XYZ Circle'");
    seeded_keypair(&env, "rlopez", 1);
    snap(
        &env,
        "roster_add_member",
        "-C c roster add-member rlopez --contingent abc --name 'Rosa Lopez' --email rlopez@example.org \
         --key-file keys/rlopez.pub",
    );
    snap(
        &env,
        "roster_add_member_to_no_such_contingent",
        "-C c roster add-member jdoe --contingent xyc --name 'J. Doe' --email jdoe@example.org",
    );
    snap(&env, "roster", "-C c roster");
    snap(&env, "roster_json", "-C c roster --json");
    snap(&env, "allowed_signers", "-C c allowed-signers");
}

#[test]
fn a_founded_commons_and_its_audit() {
    let env = Env::new();
    for (id, seed) in [("rlopez", 1), ("jdoe", 2), ("mkim", 3), ("rlopez-new", 4)] {
        seeded_keypair(&env, id, seed);
    }
    snap(
        &env,
        "init_founded",
        "init f --org 'Mass Organization XYZ' --founder rlopez --contingent abc --contingent-name 'ABC Collective' \
         --name 'Rosa Lopez' --email rlopez@example.org --key keys/rlopez",
    );
    snap(
        &env,
        "roster_add_member_signed",
        "-C f roster add-member jdoe --contingent abc --name 'J. Doe' --email jdoe@example.org \
         --key-file keys/jdoe.pub --key keys/rlopez",
    );
    snap(
        &env,
        "roster_add_member_unsigned",
        "-C f roster add-member mkim --contingent abc --name 'M. Kim' --email mkim@example.org --key-file keys/mkim.pub",
    );
    snap(&env, "roster_add_contingent_founded", "-C f roster add-contingent xyz --name 'XYZ Circle'");
    snap(&env, "roster_rotate_key", "-C f roster rotate-key rlopez --key-file keys/rlopez-new.pub --key keys/rlopez");
    snap(
        &env,
        "roster_rotate_key_with_the_old_key",
        "-C f roster rotate-key rlopez --key-file keys/rlopez.pub --key keys/rlopez",
    );
    snap(&env, "roster_remove_member", "-C f roster remove-member jdoe --key keys/rlopez-new");
    snap(&env, "roster_founded", "-C f roster");
    snap(&env, "audit", "-C f audit");
    // A member added with plain git, signed by nobody.
    let w = env.clone_of("f", "w");
    env.write(
        "w/roster/members/mkim.toml",
        "name = \"M. Kim\"\ncontingent = \"abc\"\nemail = \"mkim@example.org\"\nkeys = []\n",
    );
    commit_and_push(&env, &w, "main", "add mkim by hand");
    snap(&env, "audit_an_unauthorised_change", "-C f audit");
    snap(&env, "audit_json", "-C f audit --json");
}

#[test]
fn contribute_list_show_log() {
    let env = Env::new();
    commons_with_strike(&env);
    env.write("rent.md", "Tenants at 400 Willowmere withheld rent for a third month.\n");
    snap(
        &env,
        "contribute_with_flags",
        "-C c contribute rent.md --title 'Rent strike enters third month' --author 'J. Doe' \
         --contingent xyz --tag housing",
    );
    env.write("draft.md", STRIKE.replace("CC0-1.0", "CC-BY-4.0").replace("line 3", "line 4"));
    snap(&env, "contribute_a_licence_that_is_not_public_domain", "-C c contribute draft.md");
    snap(&env, "contribute_again", "-C c contribute strike.md");
    snap(&env, "list", "-C c list");
    snap(&env, "list_json", "-C c list --contingent abc --since 2026-11-01 --json");
    snap(&env, "list_limit", "-C c list --limit 1");
    snap(&env, "list_nothing_matches", "-C c list --tag nothing");
    snap(&env, "list_bad_since", "-C c list --since soon");
    snap(&env, "show", &format!("-C c show {SLUG}"));
    snap(&env, "show_raw", &format!("-C c show {SLUG} --raw"));
    snap(&env, "show_json", &format!("-C c show {SLUG} --json"));
    snap(&env, "show_a_misspelt_slug", "-C c show warehouse-workers-shut-down-line-4");
    snap(&env, "contribute_update_unchanged", "-C c contribute strike.md --update");
    env.write("strike.md", STRIKE.replace("four hours", "five hours"));
    snap(&env, "contribute_update", "-C c contribute strike.md --update");
    snap(&env, "log", &format!("-C c log {SLUG}"));
    snap(&env, "log_json", &format!("-C c log {SLUG} --json"));
}

#[test]
fn rival_versions() {
    let env = Env::new();
    commons_with_strike(&env);
    env.write("xyz.md", xyz_text());
    snap(
        &env,
        "rewrite",
        &format!("-C c rewrite {SLUG} --contingent xyz --file xyz.md -m 'Stress the show of strength'"),
    );
    // The same text again: a new version that differs only in naming the last as its base.
    snap(&env, "rewrite_unchanged", &format!("-C c rewrite {SLUG} --contingent xyz --file xyz.md"));
    snap(&env, "rewrite_for_no_such_contingent", &format!("-C c rewrite {SLUG} --contingent xzy --file xyz.md"));
    snap(&env, "versions", &format!("-C c versions {SLUG}"));
    snap(&env, "versions_json", &format!("-C c versions {SLUG} --json"));
    snap(&env, "diff", &format!("-C c diff {SLUG} trunk xyz --color never"));
    snap(&env, "diff_stat", &format!("-C c diff {SLUG} trunk xyz --stat"));
    snap(&env, "diff_lines", &format!("-C c diff {SLUG} trunk xyz --lines"));
    snap(&env, "diff_of_no_such_version", &format!("-C c diff {SLUG} trunk abd"));
    snap(&env, "list_edition", "-C c list --edition xyz");
    // The trunk moves on: xyz's rewrite goes stale, and update brings the new article.
    env.write("rent.md", "Tenants withheld rent.\n");
    given(&env, "-C c contribute rent.md --title 'Day 90 of the rent strike' --author 'J. Doe' --contingent xyz");
    env.write("strike.md", STRIKE.replace("four hours", "five hours"));
    given(&env, "-C c contribute strike.md --update");
    snap(&env, "versions_stale", &format!("-C c versions {SLUG}"));
    snap(&env, "update", "-C c update --contingent xyz");
    snap(&env, "update_again", "-C c update --contingent xyz");
}

#[test]
fn ratings_filters_and_why() {
    let env = Env::new();
    commons_with_strike(&env);
    env.write("xyz.md", xyz_text());
    given(&env, &format!("-C c rewrite {SLUG} --contingent xyz --file xyz.md -m 'Stress the show of strength'"));
    snap(&env, "rate", &format!("-C c rate {SLUG}@xyz --score 2 --dimension politics --as leftwire"));
    snap(
        &env,
        "rate_signed",
        &format!("-C c rate {SLUG} --score 1 --as rlopez --key keys/rlopez --comment 'solid reporting'"),
    );
    snap(
        &env,
        "rate_again",
        &format!("-C c rate {SLUG}@xyz --score -1 --dimension politics --as leftwire --comment 'on second thought'"),
    );
    snap(&env, "rate_out_of_range", &format!("-C c rate {SLUG} --score 9 --as leftwire"));
    snap(&env, "rate_no_such_dimension", &format!("-C c rate {SLUG} --score 1 --dimension style --as leftwire"));
    snap(&env, "ratings", &format!("-C c ratings {SLUG}"));
    snap(&env, "ratings_all", &format!("-C c ratings {SLUG} --all"));
    snap(&env, "ratings_json", &format!("-C c ratings {SLUG} --json"));
    snap(
        &env,
        "filter_add",
        "-C c filter add front-page --trust leftwire=2 --trust rlopez=1 --dimension politics --min-score 1",
    );
    snap(
        &env,
        "filter_add_a_bad_weight",
        "-C c filter add back-page --trust leftwire=two --dimension politics --min-score 1",
    );
    snap(&env, "filter_list", "-C c filter list");
    snap(&env, "filter_show", "-C c filter show front-page");
    snap(&env, "list_filter", "-C c list --filter front-page");
    snap(&env, "versions_filter", &format!("-C c versions {SLUG} --filter front-page"));
    snap(&env, "ratings_filter", &format!("-C c ratings {SLUG} --filter front-page"));
    snap(&env, "why", &format!("-C c why {SLUG}@xyz --filter front-page"));
    snap(&env, "why_trunk", &format!("-C c why {SLUG} --filter front-page"));
    snap(&env, "why_json", &format!("-C c why {SLUG} --filter front-page --json"));
    snap(&env, "why_with_no_such_filter", &format!("-C c why {SLUG} --filter front"));
    snap(&env, "filter_remove", "-C c filter remove front-page");
}

#[test]
fn challenges_and_replies() {
    let env = Env::new();
    commons_with_strike(&env);
    snap(
        &env,
        "challenge",
        &format!("-C c challenge --from xyz --to abc --about {SLUG} -m 'Why does the report not name the company?'"),
    );
    let id = env.tribune(&["-C", "c", "challenges", "--json"]).ok().json()[0]["id"].as_str().unwrap().to_string();
    snap(
        &env,
        "challenge_quiet",
        "-C c challenge --from abc --to xyz -m 'Where does the figure of sixty workers come from?' --quiet",
    );
    snap(&env, "challenge_from_no_such_contingent", "-C c challenge --from qrs --to abc -m 'Who?'");
    snap(&env, "challenges", "-C c challenges");
    snap(
        &env,
        "reply",
        &format!("-C c reply {id} --as abc -m 'The inquiry has not named it yet; we will when it does.'"),
    );
    snap(&env, "reply_as_the_asker", &format!("-C c reply {id} --as xyz -m 'We answer ourselves.'"));
    snap(&env, "reply_to_no_such_challenge", "-C c reply 2026-11-21-000000 --as abc -m 'An answer.'");
    snap(&env, "challenges_open", "-C c challenges --open");
    snap(&env, "challenges_show", &format!("-C c challenges --show {id}"));
    snap(&env, "challenges_json", "-C c challenges --json");
    snap(&env, "accountability", "-C c accountability");
}

const STATEMENT: &str = "+++
title = \"Solidarity with the warehouse strike\"
+++
The organisation supports the workers of line 3 and their demand for a heat standard.
";

const STATEMENT_SLUG: &str = "solidarity-with-the-warehouse-strike";

#[test]
fn statements_from_proposal_to_a_verified_tag() {
    let env = Env::new();
    commons_with_strike(&env);
    let s = STATEMENT_SLUG;
    env.write("statement.md", STATEMENT);
    snap(&env, "propose", "-C c propose statement.md --threshold 2/3");
    snap(&env, "propose_again", "-C c propose statement.md");
    snap(&env, "propose_a_percentage", "-C c propose statement.md --slug other --threshold 66%");
    snap(
        &env,
        "propose_with_a_deadline_passed",
        "-C c propose statement.md --slug other --deadline 2026-11-01T00:00:00Z",
    );
    snap(&env, "propose_members_basis", "-C c propose statement.md --slug other --threshold 3/4 --basis members");
    snap(&env, "statements_open", "-C c statements");
    snap(&env, "tally_before_any_vote", &format!("-C c tally {s}"));
    snap(&env, "vote", &format!("-C c vote {s} yes --as rlopez --key keys/rlopez"));
    snap(&env, "vote_with_another_members_key", &format!("-C c vote {s} no --as jdoe --key keys/rlopez"));
    snap(&env, "vote_maybe", &format!("-C c vote {s} maybe --as jdoe --key keys/jdoe"));
    snap(&env, "approve_undecided", &format!("-C c approve {s} --as rlopez --key keys/rlopez"));
    snap(&env, "vote_no", &format!("-C c vote {s} no --as jdoe --key keys/jdoe --comment 'too soon'"));
    snap(&env, "vote_changed", &format!("-C c vote {s} yes --as jdoe --key keys/jdoe"));
    snap(&env, "tally", &format!("-C c tally {s}"));
    snap(&env, "tally_all", &format!("-C c tally {s} --all"));
    snap(&env, "tally_summary", &format!("-C c tally {s} --summary"));
    snap(&env, "tally_json", &format!("-C c tally {s} --json"));
    snap(&env, "approve", &format!("-C c approve {s} --as rlopez --key keys/rlopez"));
    snap(&env, "vote_after_the_approval", &format!("-C c vote {s} no --as jdoe --key keys/jdoe"));
    snap(&env, "tally_approved", &format!("-C c tally {s}"));
    snap(&env, "verify", "-C c verify");
    snap(&env, "verify_json", "-C c verify --json");
    snap(&env, "verify_no_such_statement", "-C c verify other");
    snap(&env, "statements", "-C c statements");
    snap(&env, "statements_json", "-C c statements --json");
    snap(&env, "export_statement", &format!("-C c export {s} --format txt"));
    snap(&env, "export_an_open_statement", "-C c export other --statement --format txt");
    snap(&env, "allowed_signers_statement", &format!("-C c allowed-signers --statement {s}"));
    // Plain git checks the tag's signature with the roster's keys. (Only its stdout, the tag,
    // is in the snapshot: what ssh-keygen says on stderr is worded by its version.)
    let signers = given(&env, "-C c allowed-signers").stdout;
    env.write("signers", signers);
    let tag = format!("statements/{s}");
    let r = env.git(&["-C", "c", "-c", "gpg.ssh.allowedSignersFile=../signers", "tag", "-v", &tag]).ok();
    assert!(r.stderr.contains("Good \"git\" signature for rlopez@example.org"), "{}", r.stderr);
    let line = format!("git -C c -c gpg.ssh.allowedSignersFile=../signers tag -v {tag}");
    let text = render(&line, &Run { stderr: String::new(), ..r });
    settings(&env).bind(|| insta::assert_snapshot!("git_tag_verify", text));
}

#[test]
fn credits_export_and_credit_check() {
    let env = Env::new();
    commons_with_strike(&env);
    env.write("xyz.md", xyz_text());
    given(&env, &format!("-C c rewrite {SLUG} --contingent xyz --file xyz.md -m 'Stress the show of strength'"));
    snap(&env, "credits", &format!("-C c credits {SLUG}@xyz"));
    snap(&env, "credits_json", &format!("-C c credits {SLUG}@xyz --json"));
    snap(&env, "export_markdown", &format!("-C c export {SLUG}@xyz --as xyz"));
    snap(&env, "export_txt", &format!("-C c export {SLUG}@xyz --as xyz --format txt"));
    snap(&env, "export_html", &format!("-C c export {SLUG}@xyz --as xyz --format html"));
    snap(&env, "export_html_to_a_file", &format!("-C c export {SLUG}@xyz --as xyz --format html -o strike.html"));
    snap(&env, "export_json", &format!("-C c export {SLUG} --as abc --json"));
    snap(&env, "export_as_no_such_contingent", &format!("-C c export {SLUG}@xyz --as xzy"));
    snap(&env, "export_without_as", &format!("-C c export {SLUG}"));
    snap(&env, "export_an_article_as_a_statement", &format!("-C c export {SLUG} --statement"));
    snap(&env, "credit_check_clean", "-C c credit-check");
    env.write(
        "copy.md",
        "Our own report.\n\nAbout sixty workers on line 3 walked off the floor after the thermometer read 34 degrees. \
         Management gave in after four hours.\n",
    );
    given(
        &env,
        "-C c contribute copy.md --title 'Heat on line 3' --author 'A. Copier' --contingent xyz --date 2026-11-22",
    );
    snap(&env, "credit_check", "-C c credit-check");
    snap(&env, "credit_check_json", "-C c credit-check --json");
    snap(&env, "credit_check_bad_threshold", "-C c credit-check --threshold 0");
}

#[test]
fn channels_and_editions() {
    let env = Env::new();
    commons_with_strike(&env);
    env.write("xyz.md", xyz_text());
    given(&env, &format!("-C c rewrite {SLUG} --contingent xyz --file xyz.md -m 'Stress the show of strength'"));
    env.write("back.md", "## Who we are\n\nThe ABC Collective meets on Tuesdays.\n");
    snap(
        &env,
        "channel_add",
        "-C c channel add shop-floor --as abc --title 'Shop floor news' --description 'Every other Friday' \
         --standing back.md",
    );
    snap(&env, "channel_pick", &format!("-C c channel pick shop-floor {SLUG}@xyz"));
    snap(&env, "channel_show", "-C c channel show shop-floor");
    snap(&env, "channel_list_json", "-C c channel list --json");
    snap(&env, "edition_new", "-C c edition new shop-floor --title 'Week 48'");
    snap(&env, "edition_list", "-C c edition list shop-floor");
    snap(&env, "edition_export_markdown", "-C c edition export shop-floor 1 --format md");
    snap(&env, "edition_export_html", "-C c edition export shop-floor 1");
    snap(&env, "channel_pick_no_such_channel", &format!("-C c channel pick shop-flor {SLUG}"));
    snap(&env, "edition_export_no_such_edition", "-C c edition export shop-floor 2");
}

#[test]
fn sync_through_a_hub() {
    let env = Env::new();
    given(&env, "init hub --org 'Mass Organization XYZ'");
    given(&env, "-C hub roster add-contingent abc --name 'ABC Collective'");
    given(&env, "-C hub roster add-contingent xyz --name 'XYZ Circle'");
    member(&env, "hub", "rlopez", "abc", "Rosa Lopez", 1);
    snap(&env, "clone", "clone hub a");
    snap(&env, "clone_into_a_directory_in_use", "clone hub a");
    given(&env, "clone hub b");
    env.write("strike.md", STRIKE);
    given(&env, "-C a contribute strike.md");
    given(&env, &format!("-C a rate {SLUG} --score 1 --as leftwire"));
    given(&env, &format!("-C a rate {SLUG} --score 2 --as rlopez --key keys/rlopez"));
    snap(&env, "sync_dry_run", "-C a sync --dry-run");
    snap(&env, "sync_push", "-C a sync");
    snap(&env, "sync_nothing_to_do", "-C a sync");
    env.write("rent.md", "Tenants withheld rent.\n");
    given(&env, "-C b contribute rent.md --title 'Day 90 of the rent strike' --author 'J. Doe' --contingent xyz");
    snap(&env, "sync_both_ways", "-C b sync");
    snap(&env, "sync_json", "-C a sync --json");
    snap(&env, "list_after_sync", "-C a list");
    snap(&env, "ratings_after_sync", &format!("-C a ratings {SLUG}"));
    // Both change the same text: the sync stops and keeps both.
    env.write("a-strike.md", STRIKE.replace("four hours", "five hours"));
    env.write("b-strike.md", STRIKE.replace("four hours", "six hours"));
    given(&env, &format!("-C a contribute a-strike.md --slug {SLUG} --update"));
    given(&env, "-C a sync");
    given(&env, &format!("-C b contribute b-strike.md --slug {SLUG} --update"));
    snap(&env, "sync_conflict", "-C b sync");
    snap(&env, "sync_no_such_remote", "-C a sync upstream");
    snap(&env, "sync_fetch_only_and_push_only", "-C a sync --fetch-only --push-only");
}

#[test]
fn refusals() {
    let env = Env::new();
    commons_with_strike(&env);
    env.empty_dir("elsewhere");
    snap(&env, "outside_a_commons", "-C elsewhere list");
    snap(&env, "no_such_command", "-C c lsit");
    snap(&env, "no_such_flag", "-C c list --newest");
    snap(&env, "no_command", "-C c");
    snap(&env, "a_missing_argument", "-C c show");
    snap(&env, "a_bad_slug", "-C c show Bad/Slug");
    snap(&env, "a_bad_flag_value", "-C c list --limit=-1");
    snap(&env, "contribute_a_missing_file", "-C c contribute nothing.md");
    env.write("open.md", STRIKE.replacen("+++\nAbout", "About", 1));
    snap(&env, "contribute_without_a_closing_fence", "-C c contribute open.md");
    env.write("bare.md", STRIKE.replacen("+++\n", "", 2));
    snap(&env, "contribute_without_front_matter", "-C c contribute bare.md");
    env.write("bad-date.md", STRIKE.replace("date = 2026-11-21", "date = 2026-13-21"));
    snap(&env, "contribute_a_bad_date", "-C c contribute bad-date.md");
    env.write("no-title.md", STRIKE.replace("title = \"Warehouse workers shut down line 3\"\n", ""));
    snap(&env, "contribute_without_a_title", "-C c contribute no-title.md");
    env.write("abd.md", STRIKE.replace("contingent = \"abc\"", "contingent = \"abd\""));
    snap(&env, "contribute_for_no_such_contingent", "-C c contribute abd.md --slug abd");
    snap(&env, "contribute_front_matter_and_flags", "-C c contribute strike.md --slug other --title Other");
    snap(&env, "vote_on_no_such_statement", "-C c vote no-such-statement yes --as rlopez --key keys/rlopez");
    snap(&env, "rate_with_no_such_key", &format!("-C c rate {SLUG} --score 1 --as rlopez --key keys/nobody"));
    snap(&env, "rate_as_a_member_without_a_key", &format!("-C c rate {SLUG} --score 1 --as rlopez"));
    snap_stdin(
        &env,
        "rate_batch_with_a_bad_line",
        "-C c rate --batch - --as leftwire",
        &format!("slug,score\n{SLUG},1\n{SLUG},lots\n"),
    );
    snap(&env, "update_no_such_edition", "-C c update --contingent qrs");
    snap(&env, "log_of_no_such_article", "-C c log no-such-article");
}

/// Every file under `snapshots/` is a snapshot that a test here takes (none left behind by a
/// renamed or removed one), and none is a new one waiting for review.
#[test]
fn every_snapshot_file_belongs_to_a_snapshot_taken_here() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli");
    let source = std::fs::read_to_string(format!("{dir}/test_snapshots.rs")).unwrap();
    for entry in std::fs::read_dir(format!("{dir}/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let snapshot = name.strip_suffix(".snap").unwrap_or_else(|| {
            panic!("tests/cli/snapshots/{name} is not a snapshot: review it (`cargo insta review`) or remove it")
        });
        assert!(
            source.contains(&format!("\"{snapshot}\"")),
            "tests/cli/snapshots/{name} belongs to no snapshot taken here"
        );
    }
}
