//! Ratings as git notes: `rate` and `ratings`, checked against what plain git sees.

use crate::harness::*;

const SLUG: &str = "port-blockade";

fn setup(env: &Env) -> (String, String) {
    let c = env.commons_with_article(SLUG);
    let v = rev(env, &c, &format!("main:{}", text_path(SLUG)));
    (c, v)
}

fn ratings_json(env: &Env, c: &str) -> serde_json::Value {
    env.tribune(&["-C", c, "ratings", SLUG, "--json", "--all"]).ok().json()
}

#[test]
fn a_rating_is_a_fanned_out_note_on_the_version_blob_that_plain_git_shows() {
    let env = Env::new();
    let (c, v) = setup(&env);
    let r = env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "alice", "--comment", "solid"]).ok();
    let at = env.last();
    assert!(r.stdout.contains("politics +2 as alice"), "{}", r.stdout);
    let note = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/alice", "show", &v]).ok().stdout;
    let record: serde_json::Value = serde_json::from_str(note.trim()).unwrap();
    assert_eq!(record["rater"], "alice");
    assert_eq!(record["dimension"], "politics");
    assert_eq!(record["score"], 2);
    assert_eq!(record["at"], at.as_str(), "the time the rating was given");
    assert_eq!(record["comment"], "solid");
    let tree = env.git(&["-C", &c, "ls-tree", "-r", "--name-only", "refs/notes/tribune/ratings/alice"]).ok().stdout;
    assert_eq!(tree.trim(), format!("{}/{}", &v[..2], &v[2..]), "2/38 fanout");
    let msg = env.git(&["-C", &c, "log", "-1", "--format=%B", "refs/notes/tribune/ratings/alice"]).ok().stdout;
    assert!(msg.contains("Tribune-Action: rate") && msg.contains("Tribune-Rater: alice"), "{msg}");
    env.fsck(&c);
}

#[test]
fn the_rater_defaults_to_the_member_with_gits_email() {
    let mut env = Env::new();
    let (c, v) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1"]).fails(1, "--as");
    env.vars.push(("GIT_AUTHOR_EMAIL".into(), "alice@example.org".into()));
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "-1", "--dimension", "accuracy"]).ok();
    let note = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/alice", "show", &v]).ok().stdout;
    assert!(note.contains("\"dimension\":\"accuracy\"") && note.contains("\"score\":-1"), "{note}");
}

#[test]
fn rating_again_replaces_the_score_and_keeps_the_old_record() {
    let env = Env::new();
    let (c, _) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "bob"]).ok();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "-2", "--as", "bob"]).ok();
    let j = ratings_json(&env, &c);
    let rows = j["ratings"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let counting: Vec<_> = rows.iter().filter(|r| r["counts"] == true).collect();
    assert_eq!(counting.len(), 1);
    assert_eq!(counting[0]["score"], -2);
    assert_eq!(j["summaries"][0]["dimensions"]["politics"], serde_json::json!([-2, 1]));
    let log = env.git(&["-C", &c, "rev-list", "--count", "refs/notes/tribune/ratings/bob"]).ok().stdout;
    assert_eq!(log.trim(), "2", "one notes commit per rating");
}

#[test]
fn the_same_text_on_a_branch_and_the_trunk_shares_its_ratings() {
    let env = Env::new();
    let (c, v) = setup(&env);
    env.git(&["-C", &c, "update-ref", "refs/heads/contingents/xyz", "main"]).ok();
    env.tribune(&["-C", &c, "rate", &format!("{SLUG}@xyz"), "--score", "2", "--as", "carol"]).ok();
    let note = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/carol", "show", &v]).ok().stdout;
    assert!(note.contains("\"score\":2"));
    let j = ratings_json(&env, &c);
    assert_eq!(j["ratings"].as_array().unwrap().len(), 1);
    assert_eq!(j["ratings"][0]["places"], serde_json::json!(["trunk"]));
}

#[test]
fn bad_ratings_are_refused_and_write_nothing() {
    let env = Env::new();
    let (c, _) = setup(&env);
    refused(&env, &c, &["-C", &c, "rate", SLUG, "--score", "3", "--as", "a"], 2, &["-2..=2"]);
    refused(
        &env,
        &c,
        &["-C", &c, "rate", SLUG, "--score", "1", "--as", "a", "--dimension", "vibes"],
        1,
        &["politics, newsworthy, accuracy"],
    );
    refused(&env, &c, &["-C", &c, "rate", SLUG, "--score", "1", "--as", "Bad/Name"], 1, &["rater"]);
    refused(&env, &c, &["-C", &c, "rate", "no-such", "--score", "1", "--as", "a"], 1, &["no article"]);
}

#[test]
fn malformed_note_lines_are_skipped_with_a_warning_naming_the_note() {
    let env = Env::new();
    let (c, v) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "dave"]).ok();
    let note = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/dave", "show", &v]).ok().stdout;
    let f = env.write("note.txt", format!("{note}this is not json\n"));
    env.git(&["-C", &c, "notes", "--ref=tribune/ratings/dave", "add", "-f", "-F", &f, &v]).ok();
    let r = env.tribune(&["-C", &c, "ratings", SLUG]).ok();
    assert!(r.stderr.contains("warning: the note of dave") && r.stderr.contains("line 2"), "{}", r.stderr);
    assert!(r.stdout.contains("dave"), "{}", r.stdout);
}

#[test]
fn a_batch_of_ratings_is_one_notes_commit_per_rater() {
    let env = Env::new();
    let (c, v) = setup(&env);
    let b = env.write("b.md", article("Second story", "abc", "", "More.\n"));
    env.tribune(&["-C", &c, "contribute", &b, "--slug", "second"]).ok();
    let jsonl = env.write(
        "batch.jsonl",
        format!(
            "{{\"slug\":\"{SLUG}\",\"score\":2,\"rater\":\"svc-left\"}}\n{{\"slug\":\"second\",\"score\":-1,\"rater\":\"svc-left\",\"dimension\":\"accuracy\"}}\n{{\"slug\":\"{SLUG}\",\"version\":\"{v}\",\"score\":-2,\"rater\":\"svc-right\",\"comment\":\"no\"}}\n"
        ),
    );
    let r = env.tribune(&["-C", &c, "rate", "--batch", &jsonl]).ok();
    assert!(r.stdout.contains("Recorded 3 ratings by 2 raters"), "{}", r.stdout);
    for (rater, commits) in [("svc-left", "1"), ("svc-right", "1")] {
        let n = env.git(&["-C", &c, "rev-list", "--count", &format!("refs/notes/tribune/ratings/{rater}")]).ok().stdout;
        assert_eq!(n.trim(), commits);
    }
    let note = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/svc-right", "show", &v]).ok().stdout;
    assert!(note.contains("\"score\":-2") && note.contains("\"comment\":\"no\""), "{note}");
    let csv = env.write("batch.csv", format!("slug,score,rater,comment\n{SLUG},1,svc-csv,\"fair, mostly\"\n"));
    env.tribune(&["-C", &c, "rate", "--batch", &csv]).ok();
    let note = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/svc-csv", "show", &v]).ok().stdout;
    assert!(note.contains("fair, mostly"), "{note}");
    env.fsck(&c);
}

#[test]
fn a_batch_with_one_bad_line_writes_nothing_and_names_the_line() {
    let env = Env::new();
    let (c, _) = setup(&env);
    let f = env.write(
        "bad.jsonl",
        format!(
            "{{\"slug\":\"{SLUG}\",\"score\":1,\"rater\":\"a\"}}\n{{\"slug\":\"nope\",\"score\":1,\"rater\":\"a\"}}\n"
        ),
    );
    refused(&env, &c, &["-C", &c, "rate", "--batch", &f], 1, &["bad.jsonl:2", "no article"]);
    let f = env.write("bad2.jsonl", format!("{{\"slug\":\"{SLUG}\",\"score\":5,\"rater\":\"a\"}}\n"));
    refused(&env, &c, &["-C", &c, "rate", "--batch", &f], 1, &["bad2.jsonl:1", "outside"]);
    refused(&env, &c, &["-C", &c, "rate", SLUG, "--batch", &f], 2, &["cannot be used with"]);
}

#[test]
fn a_signed_rating_verifies_with_plain_git_and_an_unsigned_one_is_flagged_forged() {
    let env = Env::new();
    let (c, _) = setup(&env);
    let (key, public) = keypair(&env, "erin");
    let (other, _) = keypair(&env, "mallory");
    env.tribune(&add_member_args(&c, ["erin", "abc", "Erin", "erin@example.org"], &["--public-key", &public])).ok();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &key]).ok();
    let allowed = env.write("allowed", format!("erin {public}\n"));
    let v = git_with_signers(&env, &c, &allowed, &["verify-commit", "refs/notes/tribune/ratings/erin"]);
    assert_eq!(v.code, 0, "git verify-commit: {}", v.stderr);
    assert!(v.stderr.contains("Good \"git\" signature for erin"), "{}", v.stderr);
    let j = ratings_json(&env, &c);
    assert_eq!(j["ratings"][0]["signature"], "verified");
    // Another key is refused; no key at all writes an unsigned commit that shows as forged.
    refused(
        &env,
        &c,
        &["-C", &c, "rate", SLUG, "--score", "-2", "--as", "erin", "--key", &other],
        1,
        &["not one registered for erin"],
    );
    let r = env.tribune(&["-C", &c, "rate", SLUG, "--score", "-2", "--as", "erin"]).ok();
    assert!(r.stderr.contains("will show as forged"), "{}", r.stderr);
    // Each record is judged by the commit that added it: the signed one stays verified.
    let standing = ratings_standing(&env, &c, SLUG);
    assert_eq!(standing, [(2, "verified".to_string()), (-2, "forged".to_string())], "{standing:?}");
    // A verified-only filter leaves the forged rating out, says why, and counts the signed
    // one: a forged later line cannot replace it.
    add_filter(&env, &c, "signed", &["erin"], "-2", &["--verified-only"]).ok();
    let why = env.tribune(&["-C", &c, "why", SLUG, "--filter", "signed"]).ok().stdout;
    assert!(why.contains("forged") && !why.contains("does not pass"), "{why}");
    env.fsck(&c);
}

/// `ratings` reads the refs of the raters the index of who noted what names: what it shows
/// with that index kept across ratings, a rater's ref moved by plain git (a note added and
/// one removed) and a new rater is what it shows with the index built from nothing.
#[test]
fn ratings_read_through_the_index_of_who_noted_what_agree_with_a_cold_read() {
    let env = Env::new();
    let (c, v) = setup(&env);
    let index = format!("{c}/tribune/index/noted");
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "alice"]).ok();
    assert_eq!(ratings_json(&env, &c)["ratings"].as_array().unwrap().len(), 1);
    assert!(std::path::Path::new(&format!("{index}/tips.tsv")).exists(), "the index is written");
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "-1", "--as", "bob"]).ok();
    // bob's note removed with plain git, then carol's added with plain git.
    env.git(&["-C", &c, "notes", "--ref=tribune/ratings/bob", "remove", &v]).ok();
    let record = r#"{"v":1,"rater":"carol","dimension":"politics","score":1,"at":"2026-11-21T10:00:00Z"}"#;
    env.git(&["-C", &c, "notes", "--ref=tribune/ratings/carol", "add", "-m", record, &v]).ok();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "dave", "--dimension", "accuracy"]).ok();
    let warm = ratings_json(&env, &c);
    let raters: Vec<&str> = warm["ratings"].as_array().unwrap().iter().map(|r| r["rater"].as_str().unwrap()).collect();
    assert_eq!(raters.len(), 3, "{warm}");
    for r in ["alice", "carol", "dave"] {
        assert!(raters.contains(&r), "{r}: {warm}");
    }
    std::fs::remove_dir_all(&index).unwrap();
    assert_eq!(ratings_json(&env, &c), warm, "the cold read differs");
}

/// A damaged index of who noted what changes no result: a shard cut short or emptied (a
/// full disk, an editor, an `rm` racing a refresh) is rebuilt rather than trusted, and an
/// index that cannot be written at all (a file where its folder goes) is not used.
#[test]
fn a_truncated_or_unwritable_index_of_who_noted_what_changes_no_result() {
    let env = Env::new();
    let (c, v) = setup(&env);
    let index = format!("{c}/tribune/index/noted");
    for r in ["alice", "bob"] {
        env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", r]).ok();
    }
    let warm = ratings_json(&env, &c);
    assert_eq!(warm["ratings"].as_array().unwrap().len(), 2, "{warm}");
    let shard = format!("{index}/{}.tsv", &v[..2]);
    for cut in [0, 30] {
        let text = std::fs::read(&shard).unwrap();
        std::fs::write(&shard, &text[..cut.min(text.len())]).unwrap();
        assert_eq!(ratings_json(&env, &c), warm, "with the shard cut to {cut} bytes");
    }
    std::fs::remove_file(&shard).unwrap();
    assert_eq!(ratings_json(&env, &c), warm, "with the shard deleted");
    std::fs::remove_dir_all(&index).unwrap();
    std::fs::write(&index, "not a folder\n").unwrap();
    assert_eq!(ratings_json(&env, &c), warm, "with a file in the index's place");
}

/// A refresh of the index of who noted what that was stopped in the middle of a line (a
/// kill, a full disk) leaves a partial line at the end of a shard: the next refresh's first
/// entry must not be glued to it and lost.
#[test]
fn an_entry_appended_after_a_partial_line_of_the_index_is_not_lost() {
    let env = Env::new();
    let (c, v) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "alice"]).ok();
    ratings_json(&env, &c);
    let shard = format!("{c}/tribune/index/noted/{}.tsv", &v[..2]);
    let mut f = std::fs::OpenOptions::new().append(true).open(&shard).unwrap();
    std::io::Write::write_all(&mut f, format!("{v}\tali").as_bytes()).unwrap();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "-1", "--as", "bob"]).ok();
    let warm = ratings_json(&env, &c);
    assert_eq!(warm["ratings"].as_array().unwrap().len(), 2, "{warm}");
    std::fs::remove_dir_all(format!("{c}/tribune/index/noted")).unwrap();
    assert_eq!(ratings_json(&env, &c), warm);
}
