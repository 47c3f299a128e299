//! Public challenges and replies: ids, files plain git can read, amendments, the open
//! list, and accountability figures on a fixture whose answers are known.

use crate::harness::{refused, Env};
use serde_json::Value;

fn json(r: crate::harness::Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// A commons with abc, xyz and rfc.
fn commons(env: &Env) -> String {
    let c = env.commons();
    env.tribune(&["-C", &c, "roster", "add-contingent", "rfc", "--name", "RFC Desk"]).ok();
    c
}

fn at(env: &mut Env, time: &str) {
    env.vars = vec![("GIT_COMMITTER_DATE".into(), time.into()), ("GIT_AUTHOR_DATE".into(), time.into())];
}

fn challenge(env: &mut Env, c: &str, time: &str, from: &str, to: &str, text: &str) -> String {
    at(env, time);
    let j = json(env.tribune(&["-C", c, "challenge", "--from", from, "--to", to, "-m", text, "--json"]).ok());
    j["id"].as_str().unwrap().to_string()
}

fn reply(env: &mut Env, c: &str, time: &str, id: &str, who: &str, text: &str) -> Value {
    at(env, time);
    json(env.tribune(&["-C", c, "reply", id, "--as", who, "-m", text, "--json"]).ok())
}

#[test]
fn accountability_counts_received_answered_unanswered_and_the_median_time_to_answer() {
    let mut env = Env::new();
    let c = commons(&env);
    // abc receives three: answered after 1 h and 3 h, one never; xyz one, answered after
    // 2 days (and amended later, which changes nothing); rfc none.
    let a1 = challenge(&mut env, &c, "2026-11-01T10:00:00Z", "xyz", "abc", "Why no names?");
    let a2 = challenge(&mut env, &c, "2026-11-02T10:00:00Z", "rfc", "abc", "Where is the source?");
    let _a3 = challenge(&mut env, &c, "2026-11-03T10:00:00Z", "xyz", "abc", "Will you correct the figures?");
    let x1 = challenge(&mut env, &c, "2026-11-04T10:00:00Z", "abc", "xyz", "Who paid for the leaflet?");
    reply(&mut env, &c, "2026-11-01T11:00:00Z", &a1, "abc", "We protect them.");
    reply(&mut env, &c, "2026-11-02T13:00:00Z", &a2, "abc", "Our own reporter.");
    // A reply by someone else does not answer a challenge.
    reply(&mut env, &c, "2026-11-03T12:00:00Z", &_a3, "rfc", "We would like to know too.");
    let first = reply(&mut env, &c, "2026-11-06T10:00:00Z", &x1, "xyz", "Our members.");
    assert_eq!(first["amendment"], false);
    let again = reply(&mut env, &c, "2026-11-09T10:00:00Z", &x1, "xyz", "Our members, with receipts.");
    assert_eq!(again["amendment"], true);
    assert_eq!(again["answered_at"], "2026-11-06T10:00:00Z");

    at(&mut env, "2026-11-10T10:00:00Z");
    let j = json(env.tribune(&["-C", &c, "accountability", "--json"]).ok());
    let row = |id: &str| j.as_array().unwrap().iter().find(|r| r["contingent"] == id).unwrap().clone();
    let abc = row("abc");
    assert_eq!(
        (abc["received"].as_u64(), abc["answered"].as_u64(), abc["unanswered"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(abc["median_seconds"], 2 * 3600, "median of 1 h and 3 h");
    assert_eq!(abc["oldest_unanswered_seconds"], 7 * 86_400);
    let xyz = row("xyz");
    assert_eq!((xyz["received"].as_u64(), xyz["answered"].as_u64()), (Some(1), Some(1)));
    assert_eq!(xyz["median_seconds"], 2 * 86_400, "the amendment keeps the time of the first answer");
    let rfc = row("rfc");
    assert_eq!((rfc["received"].as_u64(), rfc["median_seconds"].clone()), (Some(0), Value::Null));
    assert_eq!(j[0]["contingent"], "abc", "the most unanswered first");
    let table = env.tribune(&["-C", &c, "accountability"]).ok().stdout;
    assert!(table.contains("abc (ABC Collective)  3         2         1           2h 0m"), "{table}");

    // The list: ages, status, filters.
    let open = json(env.tribune(&["-C", &c, "challenges", "--open", "--json"]).ok());
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["id"], _a3.as_str());
    assert_eq!(open[0]["age_seconds"], 7 * 86_400);
    let to_xyz = json(env.tribune(&["-C", &c, "challenges", "--to", "xyz", "--json"]).ok());
    assert_eq!(to_xyz.as_array().unwrap().len(), 1);
    assert_eq!(to_xyz[0]["status"], "answered");
    let from_xyz = json(env.tribune(&["-C", &c, "challenges", "--from", "xyz", "--json"]).ok());
    assert_eq!(from_xyz.as_array().unwrap().len(), 2);
    let list = env.tribune(&["-C", &c, "challenges"]).ok().stdout;
    assert!(list.contains("answered in 1h 0m") && list.contains("OPEN"), "{list}");

    // Plain git: one reply file per contingent, the amendment a second commit on it.
    let path = format!("challenges/{}/{x1}/replies/xyz.md", shard(&x1));
    let shown = env.git(&["-C", &c, "show", &format!("main:{path}")]).ok().stdout;
    assert!(
        shown.contains("answered_at = 2026-11-06T10:00:00Z") && shown.contains("amended_at = 2026-11-09T10:00:00Z"),
        "{shown}"
    );
    assert!(shown.contains("with receipts"), "{shown}");
    let log = env.git(&["-C", &c, "log", "--format=%s", "--", &path]).ok().stdout;
    assert_eq!(log.lines().count(), 2, "{log}");
    let files = env
        .git(&["-C", &c, "ls-tree", "-r", "--name-only", "main", &format!("challenges/{}/{x1}", shard(&x1))])
        .ok()
        .stdout;
    assert_eq!(files.lines().count(), 2, "{files}");
    let msg = env.git(&["-C", &c, "log", "-1", "--format=%B", "main"]).ok().stdout;
    assert!(msg.contains("Tribune-Action: reply") && msg.contains(&format!("Tribune-Challenge: {x1}")), "{msg}");
    env.fsck(&c);
}

/// The first two hex digits of sha1(id).
fn shard(id: &str) -> String {
    crate::harness::shard(id)[..2].to_string()
}

#[test]
fn a_challenge_is_stored_with_its_parties_time_and_article() {
    let mut env = Env::new();
    let c = commons(&env);
    let a = env.write("a.md", crate::harness::article("Strike", "abc", "", "Body.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", "strike"]).ok();
    let text = env.write("q.md", "# Name the company\n\nYour report leaves it out.\n");
    at(&mut env, "2026-11-21T10:00:00Z");
    let r = env.tribune(&["-C", &c, "challenge", "--from", "xyz", "--to", "abc", "--about", "strike", &text]).ok();
    let id = r.stdout.lines().find_map(|l| l.trim().strip_prefix("id")).unwrap().trim().to_string();
    assert!(id.starts_with("2026-11-21-") && id.len() == 17, "{id}");
    let stored = env.git(&["-C", &c, "show", &format!("main:challenges/{}/{id}/index.md", shard(&id))]).ok().stdout;
    for needle in [
        "from = \"xyz\"",
        "to = \"abc\"",
        "about = \"strike\"",
        "about_version = \"",
        "asked_at = 2026-11-21T10:00:00Z",
        "# Name the company",
    ] {
        assert!(stored.contains(needle), "{needle:?} not in\n{stored}");
    }
    let shown = env.tribune(&["-C", &c, "challenges", "--show", &id]).ok().stdout;
    assert!(shown.contains("Your report leaves it out.") && shown.contains("open"), "{shown}");
    // The same text put again a second later is another challenge with another id.
    at(&mut env, "2026-11-21T10:00:01Z");
    let r = env
        .tribune(&["-C", &c, "challenge", "--from", "xyz", "--to", "abc", "--about", "strike", &text, "--json"])
        .ok();
    assert_ne!(json(r)["id"], id.as_str());
    env.fsck(&c);
}

#[test]
fn quiet_prints_only_the_new_challenge_id_for_scripts() {
    let mut env = Env::new();
    let c = commons(&env);
    at(&mut env, "2026-11-21T10:00:00Z");
    let r = env.tribune(&["-C", &c, "challenge", "--from", "xyz", "--to", "abc", "-m", "Why?", "--quiet"]).ok();
    let id = r.stdout.strip_suffix('\n').unwrap_or_else(|| panic!("{:?}", r.stdout));
    assert!(id.starts_with("2026-11-21-") && id.len() == 17, "{:?}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    env.tribune(&["-C", &c, "reply", id, "--as", "abc", "-m", "Because."]).ok();
    let shown = json(env.tribune(&["-C", &c, "challenges", "--show", id, "--json"]).ok());
    assert_eq!(shown["status"], "answered");
    env.tribune(&["-C", &c, "challenge", "--from", "xyz", "--to", "abc", "-m", "Why?", "-q", "--json"])
        .fails(2, "cannot be used with");
}

#[test]
fn bad_challenges_and_replies_are_refused_and_write_nothing() {
    let mut env = Env::new();
    let c = commons(&env);
    let id = challenge(&mut env, &c, "2026-11-21T10:00:00Z", "xyz", "abc", "A question");
    refused(
        &env,
        &c,
        &["-C", &c, "challenge", "--from", "xyz", "--to", "nope", "-m", "Q"],
        1,
        &["no contingent \"nope\"", "known contingents"],
    );
    refused(
        &env,
        &c,
        &["-C", &c, "challenge", "--from", "nope", "--to", "abc", "-m", "Q"],
        1,
        &["no contingent \"nope\""],
    );
    refused(&env, &c, &["-C", &c, "challenge", "--from", "abc", "--to", "abc", "-m", "Q"], 2, &["both \"abc\""]);
    refused(&env, &c, &["-C", &c, "challenge", "--from", "xyz", "--to", "abc", "-m", "  \n"], 1, &["empty"]);
    refused(&env, &c, &["-C", &c, "challenge", "--from", "xyz", "--to", "abc"], 2, &["required"]);
    refused(
        &env,
        &c,
        &["-C", &c, "challenge", "--from", "xyz", "--to", "abc", "--about", "nope", "-m", "Q"],
        1,
        &["no article"],
    );
    let fm = env.write("fm.md", "+++\ntitle = \"x\"\n+++\nQ\n");
    refused(&env, &c, &["-C", &c, "challenge", "--from", "xyz", "--to", "abc", &fm], 1, &["front matter"]);
    refused(
        &env,
        &c,
        &["-C", &c, "reply", "2026-01-01-abcdef", "--as", "abc", "-m", "A"],
        1,
        &["no challenge \"2026-01-01-abcdef\"", "challenges with `tribune -C "],
    );
    refused(&env, &c, &["-C", &c, "reply", "../etc", "--as", "abc", "-m", "A"], 1, &["challenge id"]);
    refused(&env, &c, &["-C", &c, "reply", &id, "--as", "nope", "-m", "A"], 1, &["no contingent \"nope\""]);
    refused(&env, &c, &["-C", &c, "challenges", "--to", "nope"], 1, &["no contingent \"nope\""]);
    reply(&mut env, &c, "2026-11-22T10:00:00Z", &id, "abc", "An answer.");
    refused(&env, &c, &["-C", &c, "reply", &id, "--as", "abc", "-m", "An answer."], 1, &["no change"]);
    let j = json(env.tribune(&["-C", &c, "challenges", "--json"]).ok());
    assert_eq!(j[0]["replies"].as_array().unwrap().len(), 1);
}

#[test]
fn parallel_challenges_and_replies_are_all_kept() {
    let mut env = Env::new();
    let c = commons(&env);
    let id = challenge(&mut env, &c, "2026-11-21T10:00:00Z", "xyz", "abc", "The first question");
    let bin = env!("CARGO_BIN_EXE_tribune");
    let children: Vec<std::process::Child> = (0..6)
        .map(|i| {
            let mut cmd = std::process::Command::new(bin);
            let args: Vec<String> = if i < 4 {
                ["-C", &c, "challenge", "--from", "rfc", "--to", "xyz", "-m", &format!("Question number {i}")]
                    .map(String::from)
                    .to_vec()
            } else {
                let who = if i == 4 { "abc" } else { "rfc" };
                ["-C", &c, "reply", &id, "--as", who, "-m", &format!("Reply {i}")].map(String::from).to_vec()
            };
            cmd.args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_AUTHOR_NAME", "P")
                .env("GIT_AUTHOR_EMAIL", "p@example.org")
                .env("GIT_COMMITTER_NAME", "P")
                .env("GIT_COMMITTER_EMAIL", "p@example.org")
                .env("GIT_COMMITTER_DATE", "2026-11-22T10:00:00Z")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let all = json(env.tribune(&["-C", &c, "challenges", "--json"]).ok());
    assert_eq!(all.as_array().unwrap().len(), 5, "{all:#}");
    let first = all.as_array().unwrap().iter().find(|c| c["id"] == id.as_str()).unwrap();
    assert_eq!(first["replies"].as_array().unwrap().len(), 2, "{first:#}");
    assert_eq!(first["status"], "answered");
    env.fsck(&c);
}
