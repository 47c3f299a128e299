//! The organisation's rules (tribune.toml `[rules]`) bind every statement: a proposal may be
//! stricter than the floors, never looser, whoever writes it and however (issue 11, item 1).

use crate::harness::{commit_and_push, refused, rev, state, Env};
use crate::vote_fixture::{Vote, DEADLINE, LATE, SLUG};

const STATEMENT: &str = "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n";

/// A commons with contingents abc and xyz and `n` keyed members m1…mn (odd ones in abc),
/// and `rules` (lines of a `[rules]` table) put in tribune.toml with plain git first.
fn commons(n: usize, rules: &str) -> Vote {
    let env = Env::new();
    let c = env.init();
    if !rules.is_empty() {
        set_rules(&env, &c, rules);
    }
    let keys = crate::vote_fixture::roster(&env, &c, n);
    Vote { env, c, keys, proposal: String::new(), text: String::new() }
}

/// Replaces tribune.toml's `[rules]` table with `rules`, by a plain git commit on the trunk.
fn set_rules(env: &Env, c: &str, rules: &str) {
    git_change(env, c, &[("tribune.toml", None)], &|toml: &str| {
        let kept = toml.split("\n[rules]\n").next().unwrap().trim_end();
        format!("{kept}\n\n[rules]\n{rules}\n")
    });
}

/// One plain-git commit on the trunk: each path's text, given (Some) or made from the
/// current one by `edit` (None).
fn git_change(env: &Env, c: &str, files: &[(&str, Option<&str>)], edit: &dyn Fn(&str) -> String) -> String {
    let w = env.path("w").to_string_lossy().into_owned();
    if std::path::Path::new(&w).exists() {
        env.git(&["-C", &w, "pull", "-q", "--ff-only", "origin", "main"]).ok();
    } else {
        env.clone_of(c, "w");
    }
    for (path, text) in files {
        let file = format!("{w}/{path}");
        let new = match text {
            Some(t) => t.to_string(),
            None => edit(&std::fs::read_to_string(&file).unwrap()),
        };
        std::fs::create_dir_all(std::path::Path::new(&file).parent().unwrap()).unwrap();
        std::fs::write(&file, new).unwrap();
    }
    commit_and_push(env, &w, "main", "changed with plain git");
    rev(env, c, "main")
}

/// The attack, as a statement file committed with plain git.
const LOOSE: &str = "+++\ntitle = \"For the rent strike\"\ndeadline = 2026-11-21T11:00:00Z\nthreshold = \"1/100\"\n\
basis = \"members\"\nquorum = \"1/100\"\n+++\nWe support the tenants.\n";

const FLOORS: [&str; 3] = [
    "the threshold 1/100 is below the organisation's floor 2/3 (tribune.toml [rules] min_threshold)",
    "the quorum 1/100 is below the organisation's floor 1/2 (tribune.toml [rules] min_quorum)",
    // The period itself depends on the sandbox's clock, which advances with each command.
    "(from the proposal to the deadline) is shorter than the organisation's floor 1d (tribune.toml [rules] \
     min_period)",
];

#[test]
fn the_attack_is_refused_at_propose_with_every_floor_named() {
    let v = commons(10, "");
    let file = v.env.write("s.md", STATEMENT);
    let c = &v.c;
    let r = refused(
        &v.env,
        c,
        &[
            "-C",
            c,
            "propose",
            &file,
            "--threshold",
            "1/100",
            "--quorum",
            "1/100",
            "--basis",
            "members",
            "--deadline",
            "2026-11-21T11:00:00Z",
        ],
        1,
        &FLOORS,
    );
    assert!(
        r.stderr.contains("hint: a proposal may be stricter than the organisation's floors, never looser"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("--threshold 2/3 or more, --quorum 1/2 or more, a --deadline of 2026-11-22T"),
        "{}",
        r.stderr
    );
    // Each floor alone, from a flag or from the file's front matter.
    refused(
        &v.env,
        c,
        &["-C", c, "propose", &file, "--threshold", "1/2"],
        1,
        &["the threshold 1/2 is below the organisation's floor 2/3"],
    );
    refused(
        &v.env,
        c,
        &["-C", c, "propose", &file, "--quorum", "1/3"],
        1,
        &["the quorum 1/3 is below the organisation's floor 1/2"],
    );
    // One second short of a day after now (the refusal's own git calls move the clock a
    // few minutes on before the proposal runs).
    let now = chrono::DateTime::parse_from_rfc3339(&v.env.now()).unwrap();
    let short = (now + chrono::Duration::seconds(86_399)).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    refused(
        &v.env,
        c,
        &["-C", c, "propose", &file, "--deadline", &short],
        1,
        &["the voting period 23h5", "is shorter than the organisation's floor 1d"],
    );
    let in_file = v.env.write("t.md", "+++\ntitle = \"T\"\nthreshold = \"3/5\"\n+++\nText.\n");
    refused(
        &v.env,
        c,
        &["-C", c, "propose", &in_file],
        1,
        &["the threshold 3/5 is below the organisation's floor 2/3"],
    );
    // Exactly the floor, written otherwise (4/6 is 2/3), is enough.
    // The deadline exactly a day after the time the proposal runs at: the floor, met.
    let now = chrono::DateTime::parse_from_rfc3339(&v.env.now()).unwrap();
    let day = (now + chrono::Duration::days(1)).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    v.env.tribune(&["-C", c, "propose", &file, "--threshold", "4/6", "--deadline", &day]).ok();
}

#[test]
fn a_stricter_proposal_passes_and_verifies() {
    let mut v = commons(4, "min_basis = \"members\"");
    let file = v.env.write("s.md", STATEMENT);
    let c = v.c.clone();
    refused(
        &v.env,
        &c,
        &["-C", &c, "propose", &file, "--deadline", DEADLINE],
        1,
        &["the basis cast is weaker than the organisation's floor members"],
    );
    let j = v
        .env
        .tribune(&[
            "-C",
            &c,
            "propose",
            &file,
            "--deadline",
            DEADLINE,
            "--threshold",
            "3/4",
            "--quorum",
            "3/4",
            "--basis",
            "members",
            "--json",
        ])
        .ok()
        .json();
    v.proposal = j["commit"].as_str().unwrap().into();
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes"), ("m4", "yes")]);
    assert_eq!(v.tally()["result"], "open");
    v.approve("m1").ok();
    v.verify().ok();
    assert_eq!(v.tally()["result"], "approved");
}

#[test]
fn a_proposal_written_with_plain_git_below_the_floors_is_invalid_everywhere() {
    let mut v = commons(10, "");
    let path = format!("statements/{SLUG}/index.md");
    v.proposal = git_change(&v.env, &v.c, &[(&path, Some(LOOSE))], &|t| t.into());
    v.text = rev(&v.env, &v.c, &format!("main:{path}"));
    // One yes of ten members: enough by the statement's own rule.
    v.vote("m1", "yes").ok();
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    let t = v.tally();
    assert_eq!(t["result"], "invalid", "{t:#}");
    assert_eq!(t["below_floors"][0], serde_json::json!({"breach": "threshold", "rule": "1/100", "floor": "2/3"}));
    assert_eq!(t["below_floors"].as_array().unwrap().len(), 3, "{t:#}");
    assert!(t["outcome"]["passes"].as_bool().unwrap(), "the rule alone would pass it: {t:#}");
    assert_eq!(t["decided"], false, "{t:#}");
    let human = v.env.tribune(&["-C", &v.c, "tally", SLUG]).ok().stdout;
    assert!(human.contains("Result: INVALID: its rule is looser than the organisation's floors"), "{human}");
    for floor in FLOORS {
        assert!(human.contains(floor), "{floor:?} missing:\n{human}");
    }
    refused(
        &v.env,
        &v.c,
        &["-C", &v.c, "approve", SLUG, "--as", "m1", "--key", v.key("m1")],
        1,
        &["cannot be approved: the threshold 1/100 is below the organisation's floor 2/3"],
    );
    let list = v.env.tribune(&["-C", &v.c, "statements"]).ok();
    assert!(list.stdout.contains("INVALID"), "{}", list.stdout);
    assert!(
        list.stderr.contains(&format!(
            "warning: the statement {SLUG} is invalid, its rule looser than the organisation's floors in force at its \
             proposal: {}",
            FLOORS[0]
        )),
        "{}",
        list.stderr
    );

    // A tag made with plain git, right in every other way: verify and export refuse it for the
    // floors alone.
    let ballot = v.tip("m1");
    let tally = v.tally_commit(&[&ballot]);
    let trailers = format!(
        "Tribune-Statement: {SLUG}\nTribune-Proposal: {}\nTribune-Text: {}\nTribune-Threshold: 1/100\nTribune-Basis: members\n\
         Tribune-Quorum: 1/100\nTribune-Electorate: 10\nTribune-Yes: 1\nTribune-No: 0\nTribune-Abstain: 0\n\
         Tribune-Approved-By: m1\nTribune-Ballot: m1 {ballot} yes\n",
        v.proposal, v.text
    );
    v.git_tag(&tally, &format!("Statement {SLUG} approved\n\n{trailers}"), v.key("m1"));
    let r = v.verify().fails(1, "failed verification");
    for floor in FLOORS {
        assert!(
            r.stdout.lines().any(|l| l
                .contains("the statement is invalid: its rule is looser than the floors in force at its proposal: ")
                && l.contains(floor)),
            "{}",
            r.stdout
        );
    }
    let j: serde_json::Value =
        serde_json::from_str(&v.env.tribune(&["-C", &v.c, "verify", SLUG, "--json"]).stdout).unwrap();
    let problems = j[0]["problems"].as_array().unwrap();
    assert!(problems.iter().all(|p| p["problem"] == "below-floor"), "only the floors fail: {j:#}");
    assert_eq!(problems[1]["breach"], serde_json::json!({"breach": "quorum", "rule": "1/100", "floor": "1/2"}));
    assert_ne!(v.tally()["result"], "approved");
    refused(&v.env, &v.c, &["-C", &v.c, "export", SLUG, "--format", "txt"], 1, &["the threshold 1/100 is below"]);
}

#[test]
fn a_proposal_commit_cannot_loosen_the_rules_that_judge_it() {
    let mut v = commons(2, "");
    let path = format!("statements/{SLUG}/index.md");
    // One commit loosens the floors and proposes below the old ones: the floors in force are
    // its parent's.
    let loosened = "min_threshold = \"1/100\"\nmin_quorum = \"0\"\nmin_period = \"0\"";
    v.proposal = git_change(&v.env, &v.c, &[(&path, Some(LOOSE)), ("tribune.toml", None)], &|toml: &str| {
        format!("{}\n\n[rules]\n{loosened}\n", toml.split("\n[rules]\n").next().unwrap().trim_end())
    });
    let t = v.tally();
    assert_eq!(t["result"], "invalid", "{t:#}");
    // Loosened by an earlier commit, the floors are the new ones (whether that commit was
    // allowed to change them is the authority chain's judgement).
    let file = v.env.write("s.md", STATEMENT);
    let j = v
        .env
        .tribune(&[
            "-C",
            &v.c,
            "propose",
            &file,
            "--slug",
            "later",
            "--threshold",
            "1/100",
            "--quorum",
            "0",
            "--deadline",
            "2026-11-21T10:30:00Z",
            "--json",
        ])
        .ok()
        .json();
    assert_eq!(j["rule"]["threshold"], serde_json::json!({"p": 1, "q": 100}));
    let t = v.env.tribune(&["-C", &v.c, "tally", "later", "--json"]).ok().json();
    assert_eq!(t["result"], "open", "{t:#}");
}

#[test]
fn a_rules_change_after_a_proposal_does_not_move_its_floors() {
    let mut v = commons(3, "");
    let file = v.env.write("s.md", STATEMENT);
    let j = v.env.tribune(&["-C", &v.c, "propose", &file, "--deadline", DEADLINE, "--json"]).ok().json();
    v.proposal = j["commit"].as_str().unwrap().into();
    // Stricter floors afterwards, and a double majority: the proposal keeps the floors of its parent.
    set_rules(&v.env, &v.c, "min_threshold = \"1\"\nmin_quorum = \"1\"\nmin_period = \"4w\"\nmin_basis = \"members\"\ndouble_majority = true");
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "no")]);
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    assert_eq!(v.tally()["result"], "passes", "2 of 3 at 2/3");
    v.approve("m1").ok();
    v.verify().ok();
    // A new proposal meets the new floors.
    let r = v
        .env
        .tribune(&["-C", &v.c, "propose", &file, "--slug", "second"])
        .fails(1, "the threshold 2/3 is below the organisation's floor 1");
    assert!(r.stderr.contains("the basis cast is weaker") && r.stderr.contains("the voting period 7d"), "{}", r.stderr);
}

#[test]
fn a_double_majority_needs_the_contingents_too() {
    // m1, m3, m5 of abc; m2, m4 of xyz.
    let mut v = commons(5, "double_majority = true");
    let file = v.env.write("s.md", STATEMENT);
    let j = v.env.tribune(&["-C", &v.c, "propose", &file, "--deadline", DEADLINE, "--json"]).ok().json();
    assert_eq!(j["rule"]["double_majority"], true);
    v.proposal = j["commit"].as_str().unwrap().into();
    let text = v.env.git(&["-C", &v.c, "show", &format!("main:statements/{SLUG}/index.md")]).ok().stdout;
    assert!(text.contains("double_majority = true"), "{text}");
    // Members: 4 yes of 5 (4/5 ≥ 2/3). Contingents: abc yes, xyz 1 to 1, so no: 1 of 2 < 2/3.
    v.cast(&[("m1", "yes"), ("m3", "yes"), ("m5", "yes"), ("m2", "yes"), ("m4", "no")]);
    let t = v.tally();
    assert_eq!(t["outcome"]["threshold_met"], true, "{t:#}");
    assert_eq!(t["outcome"]["contingents_met"], false, "{t:#}");
    assert_eq!(t["outcome"]["passes"], false, "{t:#}");
    assert_eq!(t["outcome"]["contingents"], serde_json::json!({"contingents": 2, "yes": 1, "no": 1, "silent": 0}));
    assert_eq!(
        t["contingents"],
        serde_json::json!([
            {"contingent": "abc", "yes": 3, "no": 0, "abstain": 0, "electorate": 3, "vote": "yes"},
            {"contingent": "xyz", "yes": 1, "no": 1, "abstain": 0, "electorate": 2, "vote": "no"},
        ])
    );
    let human = v.env.tribune(&["-C", &v.c, "tally", SLUG, "--summary"]).ok().stdout;
    for line in [
        "Contingents: 1 yes, 1 no, 0 silent of 2: abc yes (3 yes, 0 no, 0 abstain of 3); xyz no (1 yes, 1 no, 0 abstain of 2).",
        "and 2/3 of the contingents voting (double majority)",
        "  contingents: 1 yes × 3 = 3 ≥ 2 × 2 = 4 (yes + no = 2): not met",
        "OPEN, and already decided: it fails",
    ] {
        assert!(human.contains(line), "{line:?} missing:\n{human}");
    }
    v.env.vars.push(("GIT_COMMITTER_DATE".into(), LATE.into()));
    refused(
        &v.env,
        &v.c,
        &["-C", &v.c, "approve", SLUG, "--as", "m1", "--key", v.key("m1")],
        1,
        &["did not pass", "contingents: 1 yes"],
    );
    assert_eq!(v.tally()["result"], "fails");
    v.env.vars.pop();
    // m4 changes to yes: both contingents, and it passes; the tag carries the contingents.
    v.vote("m4", "yes").ok();
    v.approve("m1").ok();
    let tag = v.env.git(&["-C", &v.c, "cat-file", "-p", &format!("statements/{SLUG}")]).ok().stdout;
    for line in [
        "Contingents: 2 yes, 0 no, 0 silent of 2.",
        "Tribune-Double-Majority: true",
        "Tribune-Contingents: 2",
        "Tribune-Contingents-Yes: 2",
        "Tribune-Contingents-No: 0",
        "Tribune-Contingent: abc 3 3 0 0 yes",
        "Tribune-Contingent: xyz 2 2 0 0 yes",
    ] {
        assert!(tag.lines().any(|l| l == line), "{line:?} missing:\n{tag}");
    }
    v.verify().ok();
    // A tag whose contingent figures differ from the recount fails.
    let message: String = tag.split("\n\n").skip(1).collect::<Vec<_>>().join("\n\n");
    let message = message.split("-----BEGIN SSH SIGNATURE-----").next().unwrap().to_string();
    let forged = message.replace("Tribune-Contingent: xyz 2 2 0 0 yes", "Tribune-Contingent: xyz 2 2 0 0 no");
    let target = rev(&v.env, &v.c, &format!("statements/{SLUG}^{{commit}}"));
    v.git_tag(&target, &forged, v.key("m1"));
    let r = v.verify().fails(1, "failed verification");
    assert!(r.stdout.contains("the tag says \"xyz 2 2 0 0 no\" for contingent xyz, the recount of the contingents finds \"xyz 2 2 0 0 yes\""), "{}", r.stdout);
}

#[test]
fn a_double_majority_floor_refuses_a_file_that_declines_it() {
    let v = commons(2, "double_majority = true");
    let file = v.env.write("s.md", "+++\ntitle = \"T\"\ndouble_majority = false\n+++\nText.\n");
    refused(&v.env, &v.c, &["-C", &v.c, "propose", &file, "--deadline", DEADLINE], 1, &[
        "the statement does not ask for a double majority of members and contingents, which the organisation's rules require (tribune.toml [rules] double_majority)",
        "--double-majority",
    ]);
    // Asked for where the rules do not require it: stricter, so allowed.
    let w = commons(2, "");
    let file = w.env.write("s.md", STATEMENT);
    let j = w
        .env
        .tribune(&["-C", &w.c, "propose", &file, "--deadline", DEADLINE, "--double-majority", "--json"])
        .ok()
        .json();
    assert_eq!(j["rule"]["double_majority"], true);
}

#[test]
fn rules_that_make_no_sense_stop_every_command_with_their_line() {
    for (rules, needle) in [
        ("min_threshold = \"3/2\"", "the minimum threshold \"3/2\" is more than 1 ([rules] min_threshold)"),
        ("min_period = \"-2d\"", "the period \"-2d\" is negative"),
        ("min_basis = \"everyone\"", "the basis \"everyone\" is neither cast nor members"),
        ("min_quorum = 0.5", "invalid type"),
        ("min_treshold = \"2/3\"", "unknown field `min_treshold`"),
        ("members = \"anyone\"", "neither contingent nor statement"),
    ] {
        let v = commons(1, "");
        set_rules(&v.env, &v.c, rules);
        let toml = v.env.git(&["-C", &v.c, "show", "main:tribune.toml"]).ok().stdout;
        let line = toml.lines().position(|l| l.starts_with(rules.split(' ').next().unwrap())).unwrap() + 1;
        let file = v.env.write("s.md", STATEMENT);
        let before = state(&v.env, &v.c);
        for args in [
            &["propose", &file][..],
            &["list"],
            &["statements"],
            &["tally", SLUG],
            &["verify"],
            &["roster"],
            &["roster", "add-contingent", "new", "--name", "New"],
        ] {
            let r = v.env.tribune(&[&["-C", v.c.as_str()][..], args].concat());
            assert_eq!(r.code, 1, "{args:?} with {rules}: {}", r.stderr);
            assert!(r.stderr.contains(&format!("tribune.toml:{line}: ")), "{args:?} with {rules}: {}", r.stderr);
            assert!(r.stderr.contains(needle), "{args:?} with {rules}: {}", r.stderr);
            assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        }
        assert_eq!(state(&v.env, &v.c), before, "nothing written with {rules}");
    }
}

#[test]
fn init_writes_the_default_rules() {
    let env = Env::new();
    let c = env.init();
    let toml = env.git(&["-C", &c, "show", "main:tribune.toml"]).ok().stdout;
    assert!(
        toml.contains(
            "[rules]\nmin_threshold = \"2/3\"\nmin_quorum = \"1/2\"\nmin_period = \"1d\"\nmin_basis = \"cast\"\n\
             double_majority = false\nmembers = \"contingent\"\n"
        ),
        "{toml}"
    );
}
