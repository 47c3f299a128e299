//! Issue 12's defects of ratings: a rater's signature never vouches for a record it did not
//! add, and one unreadable notes ref costs only its owner's records.

use crate::harness::*;

const SLUG: &str = "port-blockade";
const OTHER: &str = "rent-strike";

/// A commons with two articles and erin, a member with a key. Returns (commons, erin's key,
/// the version of SLUG).
fn setup(env: &Env) -> (String, String, String) {
    let c = env.commons_with_article(SLUG);
    env.contribute(&c, OTHER, &article("Rent strike", "abc", "", "Tenants withheld rent.\n")).ok();
    let (key, public) = keypair(env, "erin");
    add_keyed_member(env, &c, "erin", "abc", &public).ok();
    let v = rev(env, &c, &format!("main:{}", text_path(SLUG)));
    (c, key, v)
}

fn forge(env: &Env, c: &str, version: &str, score: i32) {
    let line =
        format!(r#"{{"v":1,"rater":"erin","dimension":"politics","score":{score},"at":"2026-11-21T09:00:00Z"}}"#);
    env.git(&["-C", c, "notes", "--ref=tribune/ratings/erin", "append", "-m", &line, version]).ok();
}

#[test]
fn a_forged_note_stays_forged_after_the_rater_signs_new_ratings_on_top() {
    let env = Env::new();
    let (c, key, v) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "erin", "--key", &key]).ok();
    forge(&env, &c, &v, -2);
    // erin rates something else, signed: the new tip is hers.
    env.tribune(&["-C", &c, "rate", OTHER, "--score", "2", "--as", "erin", "--key", &key]).ok();
    env.tribune(&["-C", &c, "rate", OTHER, "--score", "1", "--as", "erin", "--key", &key]).ok();
    let mut s = ratings_standing(&env, &c, SLUG);
    s.sort();
    assert_eq!(s, [(-2, "forged".to_string()), (1, "verified".to_string())]);
    assert!(ratings_standing(&env, &c, OTHER).iter().all(|(_, v)| v == "verified"));
    // A second read (the derived cache warm) says the same, and so does a cold one.
    let mut again = ratings_standing(&env, &c, SLUG);
    again.sort();
    assert_eq!(again, s);
    std::fs::remove_dir_all(format!("{c}/tribune")).ok();
    let mut cold = ratings_standing(&env, &c, SLUG);
    cold.sort();
    assert_eq!(cold, s);
    env.fsck(&c);
}

#[test]
fn a_signed_merge_of_a_forged_branch_does_not_launder_it() {
    let env = Env::new();
    let (c, key, v) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "erin", "--key", &key]).ok();
    let honest = rev(&env, &c, "refs/notes/tribune/ratings/erin");
    forge(&env, &c, &v, -2);
    let forged = rev(&env, &c, "refs/notes/tribune/ratings/erin");
    // erin's own merge of both lines, signed with her key (as a sync merge is).
    let tree = rev(&env, &c, &format!("{forged}^{{tree}}"));
    let merge = signed_commit(&env, &c, &key, &tree, &[&honest, &forged], "merge");
    env.git(&["-C", &c, "update-ref", "refs/notes/tribune/ratings/erin", &merge]).ok();
    let mut s = ratings_standing(&env, &c, SLUG);
    s.sort();
    assert_eq!(s, [(-2, "forged".to_string()), (1, "verified".to_string())]);
}

#[test]
fn a_notes_ref_pointing_at_a_blob_costs_only_its_owners_ratings() {
    let env = Env::new();
    let (c, key, _) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &key]).ok();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "1", "--as", "bob"]).ok();
    let junk = env.write("junk.txt", "not a commit\n");
    let blob = env.git(&["-C", &c, "hash-object", "-w", &junk]).ok().stdout;
    env.git(&["-C", &c, "update-ref", "refs/notes/tribune/ratings/mallory", blob.trim()]).ok();
    let r = env.tribune(&["-C", &c, "ratings", SLUG]).ok();
    assert!(r.stdout.contains("erin") && r.stdout.contains("bob"), "{}", r.stdout);
    assert_eq!(r.stderr.matches("ratings/mallory").count(), 1, "one warning: {}", r.stderr);
    add_filter(&env, &c, "all", &["erin", "bob", "mallory"], "1", &[]).ok();
    let w = env.tribune(&["-C", &c, "why", SLUG, "--filter", "all"]).ok();
    assert!(w.stdout.contains("erin") && w.stderr.contains("ratings/mallory"), "{}\n{}", w.stdout, w.stderr);
    let l = env.tribune(&["-C", &c, "list", "--filter", "all"]).ok();
    assert!(l.stdout.contains(SLUG) && l.stderr.contains("ratings/mallory"), "{}\n{}", l.stdout, l.stderr);
}

/// erin's ratings on SLUG as (score, signature), sorted.
fn erin_on(env: &Env, c: &str) -> Vec<(i64, String)> {
    let mut s = ratings_standing(env, c, SLUG);
    s.sort();
    s
}

#[test]
fn plain_git_cannot_delete_what_the_rater_signed() {
    let env = Env::new();
    let (c, key, v) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &key]).ok();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "-2", "--as", "erin", "--key", &key]).ok();
    let both = erin_on(&env, &c);
    assert_eq!(both, [(-2, "verified".to_string()), (2, "verified".to_string())]);
    // A forger rewrites the note without erin's later record.
    let note = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/erin", "show", &v]).ok().stdout;
    let first = env.write("first", note.lines().next().unwrap());
    env.git(&["-C", &c, "notes", "--ref=tribune/ratings/erin", "add", "-f", "-F", &first, &v]).ok();
    assert_eq!(erin_on(&env, &c), both, "the removed signed record is restored");
    add_filter(&env, &c, "erin", &["erin"], "1", &[]).ok();
    let list = env.tribune(&["-C", &c, "list", "--filter", "erin"]).ok().stdout;
    assert!(!list.contains(SLUG), "erin's latest signed rating is -2, so it does not pass:\n{list}");
    // Removing the whole note, then adding the signed line back unsigned, changes nothing.
    env.git(&["-C", &c, "notes", "--ref=tribune/ratings/erin", "remove", &v]).ok();
    assert_eq!(erin_on(&env, &c), both);
    env.git(&["-C", &c, "notes", "--ref=tribune/ratings/erin", "add", "-F", &first, &v]).ok();
    assert_eq!(erin_on(&env, &c), both);
    std::fs::remove_dir_all(format!("{c}/tribune/provenance")).unwrap();
    assert_eq!(erin_on(&env, &c), both, "the same without the derived cache");
}

#[test]
fn the_same_line_on_an_unsigned_side_branch_does_not_depend_on_walk_order_or_cache() {
    let mut env = Env::new();
    let (c, key, v) = setup(&env);
    let r = "refs/notes/tribune/ratings/erin";
    env.tribune(&["-C", &c, "rate", OTHER, "--score", "1", "--as", "erin", "--key", &key]).ok();
    let base = rev(&env, &c, r);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &key]).ok();
    let signed = rev(&env, &c, r);
    let line = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/erin", "show", &v]).ok().stdout;
    let warm = erin_on(&env, &c);
    // A forger adds the very same line on a branch from before it, dated earlier, and merges.
    env.git(&["-C", &c, "update-ref", "refs/notes/forge", &base]).ok();
    env.vars.push(("GIT_COMMITTER_DATE".into(), "2000-01-01T00:00:00Z".into()));
    env.vars.push(("GIT_AUTHOR_DATE".into(), "2000-01-01T00:00:00Z".into()));
    env.git(&["-C", &c, "notes", "--ref=forge", "add", "-m", line.trim(), &v]).ok();
    env.vars.clear();
    let forged = rev(&env, &c, "refs/notes/forge");
    let tree = rev(&env, &c, &format!("{signed}^{{tree}}"));
    let merge = env.git(&["-C", &c, "commit-tree", &tree, "-p", &signed, "-p", &forged, "-m", "merge"]).ok().stdout;
    env.git(&["-C", &c, "update-ref", r, merge.trim()]).ok();
    assert_eq!(erin_on(&env, &c), warm, "cache warm");
    std::fs::remove_dir_all(format!("{c}/tribune/provenance")).unwrap();
    assert_eq!(erin_on(&env, &c), warm, "cache deleted");
}

#[test]
fn a_note_at_an_upper_case_path_is_no_note_and_a_signed_merge_cannot_launder_it() {
    let env = Env::new();
    let (c, key, _) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &key]).ok();
    let other = rev(&env, &c, &format!("main:{}", text_path(OTHER)));
    let r = "refs/notes/tribune/ratings/erin";
    // A forger puts a flat note at the upper-case name of OTHER's version, with plain git.
    let line = r#"{"v":1,"rater":"erin","dimension":"politics","score":-2,"at":"2031-01-01T00:00:00Z"}"#;
    let file = env.write("forged-line", format!("{line}\n"));
    let blob = env.git(&["-C", &c, "hash-object", "-w", &file]).ok().stdout.trim().to_string();
    let tree = env.git(&["-C", &c, "ls-tree", r]).ok().stdout;
    let listing = env.write("listing", format!("{tree}100644 blob {blob}\t{}\n", other.to_uppercase()));
    let forged_tree = env.run_command({
        let mut cmd = std::process::Command::new("sh");
        cmd.args(["-c", &format!("git -C '{c}' mktree < '{listing}'")]);
        cmd
    });
    let tip = rev(&env, &c, r);
    let forged = env.git(&["-C", &c, "commit-tree", forged_tree.stdout.trim(), "-p", &tip, "-m", "x"]).ok().stdout;
    // erin's own signed merge of it, as a sync with her key makes.
    let merge = signed_commit(&env, &c, &key, forged_tree.stdout.trim(), &[&tip, forged.trim()], "merge");
    env.git(&["-C", &c, "update-ref", r, &merge]).ok();
    assert!(ratings_standing(&env, &c, OTHER).is_empty(), "no rating of OTHER exists");
    env.fsck(&c);
}

#[test]
fn a_rating_the_rater_deleted_with_a_signed_commit_stays_deleted_when_plain_git_adds_it_back() {
    let env = Env::new();
    let (c, key, v) = setup(&env);
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "erin", "--key", &key]).ok();
    let r = "refs/notes/tribune/ratings/erin";
    let line = env.git(&["-C", &c, "notes", "--ref=tribune/ratings/erin", "show", &v]).ok().stdout;
    // erin removes her note, signed.
    let tip = rev(&env, &c, r);
    let empty = env.git(&["-C", &c, "mktree"]).ok().stdout;
    let removal = signed_commit(&env, &c, &key, empty.trim(), &[&tip], "remove my rating");
    env.git(&["-C", &c, "update-ref", r, &removal]).ok();
    assert!(ratings_standing(&env, &c, SLUG).is_empty());
    // A forger adds the very same line back with plain git.
    env.git(&["-C", &c, "notes", "--ref=tribune/ratings/erin", "add", "-m", line.trim(), &v]).ok();
    assert_eq!(ratings_standing(&env, &c, SLUG), [(2, "forged".to_string())]);
}
