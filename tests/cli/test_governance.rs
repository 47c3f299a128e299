//! Issue 11: an organisation that cannot be faked. A founded commons (a signed root) admits
//! members only through the roster's own authority; what plain git does to the roster is
//! named by `audit` and counts for nothing in the electorate.

use crate::harness::*;
use crate::vote_fixture::DEADLINE;

/// A founded commons at `c`: ann founds abc with her key; returns (env, c, ann's key file).
fn founded() -> (Env, String, String) {
    let env = Env::new();
    let (ann, _) = keypair(&env, "ann");
    let c = env.path("c").to_string_lossy().into_owned();
    let args = ["init", &c, "--org", "Mass Organization XYZ", "--founder", "ann", "--contingent", "abc"];
    env.tribune(&[&args[..], &["--contingent-name", "ABC Collective", "--key", &ann]].concat()).ok();
    (env, c, ann)
}

/// Admits `id` to abc, signed with `signer`; returns the new member's private key file.
fn admit(env: &Env, c: &str, id: &str, signer: &str) -> String {
    let (key, public) = keypair(env, id);
    let pubfile = env.write(&format!("{id}-new.pub"), &public);
    let email = format!("{id}@example.org");
    let args = member_args([id, "abc", id, &email], &["--key-file", &pubfile, "--key", signer]);
    env.tribune(&[&["-C", c][..], &args].concat()).ok();
    key
}

fn signers(env: &Env, c: &str) -> String {
    let out = env.tribune(&["-C", c, "allowed-signers"]).ok().stdout;
    env.write("allowed", out)
}

#[test]
fn a_founded_commons_has_a_signed_root_that_names_it() {
    let (env, c, ann) = founded();
    let root = rev(&env, &c, "main");
    let roster = env.tribune(&["-C", &c, "roster", "--json"]).ok().json();
    assert_eq!(roster["root"].as_str(), Some(root.as_str()));
    assert_eq!(roster["members"][0]["id"], "ann");
    let bob = admit(&env, &c, "bob", &ann);
    assert!(!bob.is_empty());
    let allowed = signers(&env, &c);
    for commit in ["main", "main~1"] {
        let r = git_with_signers(&env, &c, &allowed, &["verify-commit", commit]);
        // The founder's email is git's (the harness's author).
        assert!(r.stderr.contains("Good \"git\" signature for author@example.org"), "{commit}: {}", r.stderr);
    }
    env.fsck(&c);
    let audit = env.tribune(&["-C", &c, "audit", "--json"]).ok().json();
    assert_eq!(audit["root"].as_str(), Some(root.as_str()));
    assert_eq!(audit["findings"].as_array().unwrap().len(), 0, "{audit:#}");
}

#[test]
fn only_a_member_of_the_contingent_admits_or_removes_and_a_refusal_writes_nothing() {
    let (env, c, ann) = founded();
    let (eve, eve_pub) = keypair(&env, "eve");
    let before = env.refs(&c);
    let pubfile = env.write("eve-new.pub", &eve_pub);
    let args = member_args(["eve", "abc", "Eve", "eve@example.org"], &["--key-file", &pubfile, "--key", &eve]);
    let r = env.tribune(&[&["-C", &c[..]][..], &args].concat());
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("the signing key belongs to no member of the roster, so it may not admit eve to abc"));
    assert!(r.stderr.contains("hint: sign with the key of a member of abc (--key FILE): ann"), "{}", r.stderr);
    let unsigned = member_args(["eve", "abc", "Eve", "eve@example.org"], &["--key-file", &pubfile]);
    let r = env.tribune(&[&["-C", &c[..]][..], &unsigned].concat());
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("an unsigned commit may not admit eve to abc"), "{}", r.stderr);
    assert_eq!(env.refs(&c), before, "a refusal wrote something");
    // Bob, admitted by ann, may remove a member of abc; eve's key may not.
    let bob = admit(&env, &c, "bob", &ann);
    admit(&env, &c, "cid", &ann);
    let r = env.tribune(&["-C", &c, "roster", "remove-member", "cid", "--key", &eve]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    env.tribune(&["-C", &c, "roster", "remove-member", "cid", "--key", &bob]).ok();
    let ids: Vec<String> = env.tribune(&["-C", &c, "roster", "--json"]).ok().json()["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["ann", "bob"]);
    env.tribune(&["-C", &c, "audit"]).ok();
}

#[test]
fn a_member_rotates_their_own_key_and_nobody_else_can() {
    let (env, c, ann) = founded();
    let bob = admit(&env, &c, "bob", &ann);
    let (_, new_pub) = keypair(&env, "bob2");
    let new_file = env.write("bob2-new.pub", &new_pub);
    let r = env.tribune(&["-C", &c, "roster", "rotate-key", "bob", "--key-file", &new_file, "--key", &ann]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("only bob, signing with their current key, may change their keys"), "{}", r.stderr);
    env.tribune(&["-C", &c, "roster", "rotate-key", "bob", "--key-file", &new_file, "--key", &bob]).ok();
    let roster = env.tribune(&["-C", &c, "roster", "--json"]).ok().json();
    let keys = roster["members"][1]["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert!(new_pub.starts_with(keys[0].as_str().unwrap().split(' ').take(2).collect::<Vec<_>>().join(" ").as_str()));
    env.tribune(&["-C", &c, "audit"]).ok();
}

/// Writes `files` (path → text) on the trunk with plain git, unsigned, and pushes.
fn plain_git(env: &Env, c: &str, files: &[(&str, Option<&str>)], message: &str) {
    let w = env.clone_of(c, "w");
    write_files(&w, files);
    commit_and_push(env, &w, "main", message);
    std::fs::remove_dir_all(&w).unwrap();
}

fn member_file(id: &str, public: &str) -> String {
    format!("name = \"{id}\"\ncontingent = \"abc\"\nemail = \"{id}@example.org\"\nkeys = [\"{public}\"]\n")
}

#[test]
fn roster_stuffing_key_theft_and_silent_removal_with_plain_git_count_for_nothing() {
    let (env, c, ann) = founded();
    let bob = admit(&env, &c, "bob", &ann);
    let (x1, x1_pub) = keypair(&env, "x1");
    let (_, x2_pub) = keypair(&env, "x2");
    let (thief, thief_pub) = keypair(&env, "thief");
    let stuffed = [
        ("roster/members/x1.toml", Some(member_file("x1", &x1_pub))),
        ("roster/members/x2.toml", Some(member_file("x2", &x2_pub))),
    ];
    let files: Vec<(&str, Option<&str>)> = stuffed.iter().map(|(p, t)| (*p, t.as_deref())).collect();
    plain_git(&env, &c, &files, "add members");
    // Bob's key replaced by the thief's; ann removed.
    let stolen = member_file("bob", &thief_pub);
    plain_git(&env, &c, &[("roster/members/bob.toml", Some(&stolen)), ("roster/members/ann.toml", None)], "fix roster");

    let r = env.tribune(&["-C", &c, "audit", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let findings = r.json()["findings"].as_array().unwrap().clone();
    let paths: Vec<&str> = findings.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        ["roster/members/x1.toml", "roster/members/x2.toml", "roster/members/ann.toml", "roster/members/bob.toml"]
    );
    assert!(findings.iter().all(|f| f["finding"] == "unauthorised" && f["signer"].is_null()), "{findings:#?}");
    let text = env.tribune(&["-C", &c, "audit"]);
    assert!(text.stdout.contains("changes roster/members/x1.toml, not signed by any member of the authorised roster: only a member of abc may do that"), "{}", text.stdout);

    // The electorate is the authorised roster: ann and bob with his own key.
    let file = env.write("statement.md", "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n");
    env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE, "--key", &ann]).ok();
    let r = env.tribune(&["-C", &c, "vote", "for-the-rent-strike", "yes", "--as", "x1", "--key", &x1]);
    assert_eq!(r.code, 1, "a stuffed member voted: {}", r.stdout);
    let r = env.tribune(&["-C", &c, "vote", "for-the-rent-strike", "yes", "--as", "bob", "--key", &thief]);
    assert_eq!(r.code, 1, "the thief voted as bob: {}", r.stdout);
    env.tribune(&["-C", &c, "vote", "for-the-rent-strike", "no", "--as", "bob", "--key", &bob]).ok();
    env.tribune(&["-C", &c, "vote", "for-the-rent-strike", "no", "--as", "ann", "--key", &ann]).ok();
    let t = env.tribune(&["-C", &c, "tally", "for-the-rent-strike", "--json"]).ok().json();
    assert_eq!(t["counts"]["electorate"], 2, "{t:#}");
    assert_eq!(t["counts"]["no"], 2, "{t:#}");
    let left: Vec<(&str, &str)> = t["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["member"].as_str().unwrap(), l["why"]["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        left,
        [
            ("ann", "changed-without-authority"),
            ("bob", "changed-without-authority"),
            ("x1", "added-without-authority"),
            ("x2", "added-without-authority")
        ]
    );
    let text = env.tribune(&["-C", &c, "tally", "for-the-rent-strike"]).ok().stdout;
    assert!(
        text.contains("Warning: x1 is not in the electorate: added by a commit the roster did not authorise"),
        "{text}"
    );
}

#[test]
fn invalid_roster_entries_are_never_in_the_electorate_even_unfounded() {
    let env = Env::new();
    let c = env.commons();
    let (_, public) = keypair(&env, "ok");
    let bad = [
        ("roster/members/UPPER.toml", member_file("UPPER", &public)),
        (
            "roster/members/nokey.toml",
            "name = \"n\"\ncontingent = \"abc\"\nemail = \"alice@example.org\"\n".to_string(),
        ),
        (
            "roster/members/ghost.toml",
            "name = \"g\"\ncontingent = \"nowhere\"\nemail = \"g@example.org\"\n".to_string(),
        ),
        ("roster/members/broken.toml", "name = \n".to_string()),
    ];
    let files: Vec<(&str, Option<&str>)> = bad.iter().map(|(p, t)| (*p, Some(t.as_str()))).collect();
    plain_git(&env, &c, &files, "odd entries");
    let r = env.tribune(&["-C", &c, "audit", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    assert!(j["root"].is_null());
    let invalid: Vec<&str> = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["finding"] == "invalid-entry")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(invalid.len(), 4, "{j:#}");
    let file = env.write("statement.md", "+++\ntitle = \"S\"\n+++\nText.\n");
    env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE]).ok();
    let t = env.tribune(&["-C", &c, "tally", "s", "--json"]).ok().json();
    assert_eq!(t["counts"]["electorate"], 1, "only alice is a valid member: {t:#}");
}

#[test]
fn rules_loosened_with_plain_git_bind_nobody_in_a_founded_commons() {
    let (env, c, ann) = founded();
    let w = env.clone_of(&c, "w");
    let config = std::fs::read_to_string(format!("{w}/tribune.toml")).unwrap();
    assert!(config.contains("min_threshold = \"2/3\""), "{config}");
    std::fs::write(format!("{w}/tribune.toml"), config.replace("min_threshold = \"2/3\"", "min_threshold = \"1/100\""))
        .unwrap();
    commit_and_push(&env, &w, "main", "looser rules");
    let r = env.tribune(&["-C", &c, "audit", "--json"]);
    assert_eq!(r.code, 1);
    let f = &r.json()["findings"][0];
    assert_eq!((&f["path"], &f["rule"]["rule"]), (&"tribune.toml".into(), &"approved-statement".into()), "{f}");
    let file = env.write("s.md", "+++\ntitle = \"S\"\n+++\nText.\n");
    let r = env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE, "--threshold", "1/100", "--key", &ann]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("below the organisation's floor 2/3"), "{}", r.stderr);
}

/// The statement admit-xyz (contingent xyz and its first member zed, with `zed_pub`), passed
/// and applied: the contingent, then zed, each citing it.
fn admit_xyz_with_zed(env: &Env, c: &str, ann: &str, zed_pub: &str) {
    let front = format!(
        "[[enacts]]\nadd_contingent = \"xyz\"\nname = \"XYZ Circle\"\n\n[[enacts]]\nadd_member = \"zed\"\n\
         contingent = \"xyz\"\nkey = \"{}\"\n",
        zed_pub.trim()
    );
    pass_statement(env, c, ann, "admit-xyz", &front);
    let xyz = ["-C", c, "roster", "add-contingent", "xyz", "--name", "XYZ Circle", "--statement", "admit-xyz"];
    env.tribune(&[&xyz[..], &["--key", ann]].concat()).ok();
    let pubfile = env.write("zed-new.pub", zed_pub);
    let args = member_args(
        ["zed", "xyz", "Zed", "zed@example.org"],
        &["--key-file", &pubfile, "--statement", "admit-xyz", "--key", ann],
    );
    env.tribune(&[&["-C", c][..], &args].concat()).ok();
}

/// Proposes `front` + text as the statement `slug`, ann votes yes (the whole electorate),
/// and approves it at once (decided: nobody is left to vote).
fn pass_statement(env: &Env, c: &str, ann: &str, slug: &str, front: &str) {
    let now = chrono::DateTime::parse_from_rfc3339(&env.now()).unwrap();
    let deadline = (now + chrono::Duration::days(3)).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let text = format!("+++\ntitle = \"{slug}\"\ndeadline = \"{deadline}\"\n{front}+++\nThe organisation decides.\n");
    let file = env.write(&format!("{slug}.md"), text);
    env.tribune(&["-C", c, "propose", &file, "--slug", slug, "--key", ann]).ok();
    env.tribune(&["-C", c, "vote", slug, "yes", "--as", "ann", "--key", ann]).ok();
    env.tribune(&["-C", c, "approve", slug, "--as", "ann", "--key", ann]).ok();
}

#[test]
fn a_contingent_and_its_first_member_are_admitted_by_an_approved_statement_only() {
    let (env, c, ann) = founded();
    let (zed, zed_pub) = keypair(&env, "zed");
    // Without a statement, refused before anything is written.
    let before = env.refs(&c);
    let r = env.tribune(&["-C", &c, "roster", "add-contingent", "xyz", "--name", "XYZ Circle", "--key", &ann]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "cannot add contingent xyz (XYZ Circle): in a founded commons only an approved joint statement may"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(env.refs(&c), before);
    // A statement that enacts something else authorises nothing.
    pass_statement(&env, &c, &ann, "admit-other", "[[enacts]]\nadd_contingent = \"xyz\"\nname = \"Other Name\"\n");
    let r = env.tribune(&[
        "-C",
        &c,
        "roster",
        "add-contingent",
        "xyz",
        "--name",
        "XYZ Circle",
        "--statement",
        "admit-other",
        "--key",
        &ann,
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("the statement admit-other does not authorise this change"), "{}", r.stderr);
    // The statement that names the contingent and its first member, with her key.
    admit_xyz_with_zed(&env, &c, &ann, &zed_pub);
    assert!(message_of(&env, &c, "main").contains("Tribune-Enacts: admit-xyz"));
    // Zed, now a member of xyz, admits the next one herself.
    let (_, yan_pub) = keypair(&env, "yan");
    let yan_file = env.write("yan-new.pub", &yan_pub);
    let args = member_args(["yan", "xyz", "Yan", "yan@example.org"], &["--key-file", &yan_file, "--key", &zed]);
    env.tribune(&[&["-C", &c[..]][..], &args].concat()).ok();
    let audit = env.tribune(&["-C", &c, "audit", "--json"]).ok().json();
    assert_eq!(audit["findings"].as_array().unwrap().len(), 0, "{audit:#}");
    // The same contingent file written with plain git, citing the statement, by nobody:
    // the citation alone is not enough when the statement does not match.
    let w = env.clone_of(&c, "w");
    std::fs::write(format!("{w}/roster/contingents/evil.toml"), "name = \"Evil\"\n").unwrap();
    env.git(&["-C", &w, "add", "-A"]).ok();
    env.git(&["-C", &w, "commit", "-q", "-m", "add evil\n\nTribune-Enacts: admit-xyz"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let r = env.tribune(&["-C", &c, "audit", "--json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["findings"][0]["path"], "roster/contingents/evil.toml");
}

#[test]
fn the_rules_change_only_as_an_approved_statement_enacts_them() {
    let (env, c, ann) = founded();
    let w = env.clone_of(&c, "w");
    let now = std::fs::read_to_string(format!("{w}/tribune.toml")).unwrap();
    let stricter = now.replace("min_period = \"1d\"", "min_period = \"2d\"");
    assert_ne!(stricter, now);
    let file = env.write("new-rules.toml", &stricter);
    let blob = env.git(&["hash-object", &file]).ok().stdout.trim().to_string();
    let r = env.tribune(&["-C", &c, "roster", "set-rules", &file, "--key", &ann]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    pass_statement(&env, &c, &ann, "new-rules", &format!("[[enacts]]\nrules = \"{blob}\"\n"));
    env.tribune(&["-C", &c, "roster", "set-rules", &file, "--statement", "new-rules", "--key", &ann]).ok();
    env.tribune(&["-C", &c, "audit"]).ok();
    // The new floor binds the next proposal: a deadline a day and a half away is refused.
    let now = chrono::DateTime::parse_from_rfc3339(&env.now()).unwrap();
    let soon = (now + chrono::Duration::hours(36)).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let s = env.write("s.md", "+++\ntitle = \"S\"\n+++\nText.\n");
    let r = env.tribune(&["-C", &c, "propose", &s, "--deadline", &soon, "--key", &ann]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("is shorter than the organisation's floor 2d"), "{}", r.stderr);
}

#[test]
fn an_unfounded_commons_is_founded_in_one_signed_commit_and_loses_nothing() {
    let env = Env::new();
    let c = env.commons();
    let (bob, bob_pub) = keypair(&env, "bob");
    add_keyed_member(&env, &c, "bob", "abc", &bob_pub).ok();
    env.contribute(&c, "port", &article("Port blockade", "abc", "", "Dockers stopped.\n")).ok();
    let tree_before = rev(&env, &c, "main^{tree}");
    let (eve, _) = keypair(&env, "eve");
    let r = env.tribune(&["-C", &c, "found", "--key", &eve]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("the signing key belongs to no member of the roster"), "{}", r.stderr);
    let r = env.tribune(&["-C", &c, "found", "--key", &bob]).ok();
    assert!(r.stdout.contains("with 1 founder: bob"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Without a key, and so removed from the roster (a founded roster needs keys): alice"),
        "{}",
        r.stdout
    );
    // Only alice's keyless entry goes; every other file stays.
    let changed = env.git(&["-C", &c, "diff", "--name-status", &tree_before, "main^{tree}"]).ok().stdout;
    assert_eq!(changed.trim(), "D\troster/members/alice.toml");
    let root = rev(&env, &c, "main");
    let roster = env.tribune(&["-C", &c, "roster", "--json"]).ok().json();
    assert_eq!(roster["root"].as_str(), Some(root.as_str()));
    let signers = env.write("signers", env.tribune(&["-C", &c, "allowed-signers"]).ok().stdout);
    let v = git_with_signers(&env, &c, &signers, &["verify-commit", "main"]);
    assert!(v.stderr.contains("Good \"git\" signature for bob@example.org"), "{}", v.stderr);
    let r = env.tribune(&["-C", &c, "found", "--key", &bob]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("this commons is founded already"), "{}", r.stderr);
    // From now on the chain applies: an unsigned admission is refused, bob's is taken, and
    // alice (keyless) is removed and admitted again with a key.
    let (_, carl_pub) = keypair(&env, "carl");
    let r =
        env.tribune(&add_member_args(&c, ["carl", "abc", "Carl", "carl@example.org"], &["--public-key", &carl_pub]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    let (_, alice_pub) = keypair(&env, "alice");
    env.tribune(&add_member_args(
        &c,
        ["alice", "abc", "Alice", "alice@example.org"],
        &["--public-key", &alice_pub, "--key", &bob],
    ))
    .ok();
    // Nothing to report: the audit is clean after a founding.
    assert!(findings(&env, &c).is_empty());
    assert_eq!(env.tribune(&["-C", &c, "list", "--json"]).ok().json().as_array().unwrap().len(), 1);
}

/// The findings' paths of `audit --json` (exit 1 expected when there are any).
fn findings(env: &Env, c: &str) -> Vec<String> {
    let r = env.tribune(&["-C", c, "audit", "--json"]);
    let j = r.json();
    let paths: Vec<String> =
        j["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(r.code, if paths.is_empty() { 0 } else { 1 }, "{}", r.stderr);
    paths
}

/// The same verdict without the audit's cache (invariant 7: derived data changes no result).
fn findings_cold(env: &Env, c: &str) -> Vec<String> {
    let _ = std::fs::remove_file(format!("{c}/tribune/audit.json"));
    findings(env, c)
}

#[test]
fn a_merged_orphan_authorises_nothing_whichever_parent_it_is() {
    let (env, c, ann) = founded();
    admit(&env, &c, "bob", &ann);
    let (_, mal_pub) = keypair(&env, "mal");
    let w = env.clone_of(&c, "w");
    std::fs::write(format!("{w}/roster/members/mal.toml"), member_file("mal", &mal_pub)).unwrap();
    env.git(&["-C", &w, "add", "-A"]).ok();
    let tree = env.git(&["-C", &w, "write-tree"]).ok().stdout.trim().to_string();
    env.git(&["-C", &w, "reset", "-q", "--hard"]).ok();
    let orphan = env.git(&["-C", &w, "commit-tree", &tree, "-m", "orphan"]).ok().stdout.trim().to_string();
    // The orphan as the second parent, then (another clone) as the first.
    let head = rev(&env, &w, "HEAD");
    let m2 = env.git(&["-C", &w, "commit-tree", &tree, "-p", &head, "-p", &orphan, "-m", "merge"]).ok().stdout;
    env.git(&["-C", &w, "push", "-q", "origin", &format!("{}:main", m2.trim())]).ok();
    assert_eq!(findings(&env, &c), ["roster/members/mal.toml"]);
    assert_eq!(findings_cold(&env, &c), ["roster/members/mal.toml"]);
    let (env2, c2, ann2) = founded();
    admit(&env2, &c2, "bob", &ann2);
    let w2 = env2.clone_of(&c2, "w");
    std::fs::write(format!("{w2}/roster/members/mal.toml"), member_file("mal", &mal_pub)).unwrap();
    env2.git(&["-C", &w2, "add", "-A"]).ok();
    let tree = env2.git(&["-C", &w2, "write-tree"]).ok().stdout.trim().to_string();
    let orphan = env2.git(&["-C", &w2, "commit-tree", &tree, "-m", "orphan"]).ok().stdout.trim().to_string();
    let head = rev(&env2, &w2, "HEAD");
    let m1 = env2.git(&["-C", &w2, "commit-tree", &tree, "-p", &orphan, "-p", &head, "-m", "merge"]).ok().stdout;
    env2.git(&["-C", &w2, "push", "-q", "origin", &format!("{}:main", m1.trim())]).ok();
    // Later, unsigned: bob removed. Still judged: founded status never drops.
    env2.git(&["-C", &w2, "reset", "-q", "--hard", m1.trim()]).ok();
    env2.git(&["-C", &w2, "rm", "-q", "roster/members/bob.toml"]).ok();
    env2.git(&["-C", &w2, "commit", "-q", "-m", "bye bob"]).ok();
    env2.git(&["-C", &w2, "push", "-q", "origin", "HEAD:main"]).ok();
    let want = ["roster/members/mal.toml", "roster/members/bob.toml"];
    assert_eq!(findings(&env2, &c2), want);
    assert_eq!(findings_cold(&env2, &c2), want);
}

#[test]
fn a_stale_branch_merged_in_cannot_undo_a_removal_or_use_a_removed_members_authority() {
    let (env, c, ann) = founded();
    let bob = admit(&env, &c, "bob", &ann);
    let fork = rev(&env, &c, "main");
    env.tribune(&["-C", &c, "roster", "remove-member", "bob", "--key", &ann]).ok();
    // Bob, on a branch forked before his removal, signs the admission of mal.
    let (_, mal_pub) = keypair(&env, "mal");
    let w = env.clone_of(&c, "w");
    env.git(&["-C", &w, "checkout", "-q", "-b", "side", &fork]).ok();
    std::fs::write(format!("{w}/roster/members/mal.toml"), member_file("mal", &mal_pub)).unwrap();
    env.git(&["-C", &w, "add", "-A"]).ok();
    let tree = env.git(&["-C", &w, "write-tree"]).ok().stdout.trim().to_string();
    let side = signed_commit(&env, &w, &bob, &tree, &[&fork], "admit mal");
    // An unsigned merge of the stale side: it brings mal, and (taking the side's roster) bob back.
    let main = rev(&env, &w, "origin/main");
    let m = env.git(&["-C", &w, "commit-tree", &tree, "-p", &main, "-p", &side, "-m", "Merge"]).ok().stdout;
    env.git(&["-C", &w, "push", "-q", "origin", &format!("{}:main", m.trim())]).ok();
    let want = ["roster/members/bob.toml", "roster/members/mal.toml"];
    assert_eq!(findings(&env, &c), want);
    assert_eq!(findings_cold(&env, &c), want);
    let roster = env.tribune(&["-C", &c, "allowed-signers"]).ok().stdout;
    assert!(!roster.contains("bob@example.org") && !roster.contains("mal@example.org"), "{roster}");
}

#[test]
fn citing_a_statement_again_cannot_undo_a_key_rotation() {
    let (env, c, ann) = founded();
    let (zed, zed_pub) = keypair(&env, "zed");
    admit_xyz_with_zed(&env, &c, &ann, &zed_pub);
    let (_, zed2_pub) = keypair(&env, "zed2");
    let zed2 = env.write("zed2-new.pub", &zed2_pub);
    env.tribune(&["-C", &c, "roster", "rotate-key", "zed", "--key-file", &zed2, "--key", &zed]).ok();
    let w = env.clone_of(&c, "w");
    let old = env.git(&["-C", &w, "show", "HEAD~1:roster/members/zed.toml"]).ok().stdout;
    std::fs::write(format!("{w}/roster/members/zed.toml"), old).unwrap();
    env.git(&["-C", &w, "commit", "-q", "-am", "x\n\nTribune-Enacts: admit-xyz"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    assert_eq!(findings(&env, &c), ["roster/members/zed.toml"]);
    assert_eq!(findings_cold(&env, &c), ["roster/members/zed.toml"]);
}

#[test]
fn members_by_statement_is_enforced_when_the_rules_say_so() {
    let (env, c, ann) = founded();
    let w = env.clone_of(&c, "w");
    let now = std::fs::read_to_string(format!("{w}/tribune.toml")).unwrap();
    let strict = now.replace("members = \"contingent\"", "members = \"statement\"");
    assert_ne!(strict, now);
    let file = env.write("strict.toml", &strict);
    let blob = env.git(&["hash-object", &file]).ok().stdout.trim().to_string();
    pass_statement(&env, &c, &ann, "strict", &format!("[[enacts]]\nrules = \"{blob}\"\n"));
    env.tribune(&["-C", &c, "roster", "set-rules", &file, "--statement", "strict", "--key", &ann]).ok();
    let (_, bob_pub) = keypair(&env, "bob");
    let pubfile = env.write("bob-new.pub", &bob_pub);
    let args = member_args(["bob", "abc", "Bob", "bob@example.org"], &["--key-file", &pubfile, "--key", &ann]);
    let r = env.tribune(&[&["-C", &c[..]][..], &args].concat());
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("only an approved joint statement may do that"), "{}", r.stderr);
}

#[test]
fn a_force_push_is_named_even_after_gc_and_a_clone_remembers_the_root() {
    let (env, c, ann) = founded();
    admit(&env, &c, "bob", &ann);
    let clone = env.path("k").to_string_lossy().into_owned();
    let r = env.tribune(&["clone", &c, &clone]).ok();
    let root = rev(&env, &c, "main~1");
    assert!(r.stdout.contains(&format!("Its root of authority, remembered here: {root}.")), "{}", r.stdout);
    assert_eq!(env.git(&["-C", &clone, "config", "tribune.root"]).ok().stdout.trim(), root);
    env.tribune(&["-C", &c, "audit"]).ok();
    let w = env.clone_of(&c, "w");
    env.git(&["-C", &w, "push", "-q", "-f", "origin", "HEAD~1:main"]).ok();
    env.git(&["-C", &c, "reflog", "expire", "--expire=now", "--all"]).ok();
    env.git(&["-C", &c, "gc", "-q", "--prune=now"]).ok();
    let r = env.tribune(&["-C", &c, "audit", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.json()["findings"][0]["finding"], "rewritten", "{}", r.stdout);
}

#[test]
fn audit_since_reports_only_what_came_after_and_names_a_bad_revision() {
    let (env, c, ann) = founded();
    let (_, x_pub) = keypair(&env, "x1");
    plain_git(&env, &c, &[("roster/members/x1.toml", Some(&member_file("x1", &x_pub)))], "stuff x1");
    let mark = rev(&env, &c, "main");
    admit(&env, &c, "bob", &ann);
    let (_, y_pub) = keypair(&env, "y1");
    plain_git(&env, &c, &[("roster/members/y1.toml", Some(&member_file("y1", &y_pub)))], "stuff y1");
    let all = env.tribune(&["-C", &c, "audit", "--json"]).json();
    assert_eq!(all["findings"].as_array().unwrap().len(), 2, "{all:#}");
    let r = env.tribune(&["-C", &c, "audit", "--json", "--since", &mark]);
    assert_eq!(r.code, 1);
    let j = r.json();
    let paths: Vec<&str> = j["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["roster/members/y1.toml"]);
    env.tribune(&["-C", &c, "audit", "--since", "main"]).ok();
    let r = env.tribune(&["-C", &c, "audit", "--since", "no-such-rev"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--since \"no-such-rev\" names no commit here"), "{}", r.stderr);
}

/// An orphan merged in as the first parent makes the trunk's first-parent line reach a
/// statement "proposed" by the orphan's root, whose roster lists a member nobody admitted:
/// that history holds no authority, so the statement has no electorate and mal's ballot
/// counts for nothing.
#[test]
fn a_statement_seen_through_a_merged_orphan_has_no_electorate() {
    let (env, c, ann) = founded();
    let file = env.write("s.md", "+++\ntitle = \"S\"\n+++\nText.\n");
    env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE, "--key", &ann]).ok();
    let (mal, mal_pub) = keypair(&env, "mal");
    let w = env.clone_of(&c, "w");
    std::fs::write(format!("{w}/roster/members/mal.toml"), member_file("mal", &mal_pub)).unwrap();
    env.git(&["-C", &w, "add", "-A"]).ok();
    let tree = env.git(&["-C", &w, "write-tree"]).ok().stdout.trim().to_string();
    let orphan = env.git(&["-C", &w, "commit-tree", &tree, "-m", "orphan"]).ok().stdout.trim().to_string();
    let head = rev(&env, &w, "HEAD");
    let m = env.git(&["-C", &w, "commit-tree", &tree, "-p", &orphan, "-p", &head, "-m", "merge"]).ok().stdout;
    env.git(&["-C", &w, "push", "-q", "origin", &format!("{}:main", m.trim())]).ok();
    assert!(findings(&env, &c).contains(&"roster/members/mal.toml".to_string()));
    let r = env.tribune(&["-C", &c, "vote", "s", "yes", "--as", "mal", "--key", &mal]);
    assert_eq!(r.code, 1, "mal voted: {}", r.stdout);
    let t = env.tribune(&["-C", &c, "tally", "s", "--json"]).ok().json();
    assert_eq!(t["counts"]["yes"], 0, "{t:#}");
    assert_ne!(t["electorate"], 3, "{t:#}");
}

/// Names a reader cannot see as they are (a megabyte long, or holding a right-to-left
/// override or a zero-width space) are not valid entries, and `roster` stays quick.
#[test]
fn hostile_names_are_invalid_entries_and_the_roster_stays_quick() {
    let env = Env::new();
    let c = env.commons();
    let long = "n".repeat(1_000_000);
    let files = [
        ("roster/contingents/okc.toml", format!("name = \"{long}\"\n")),
        ("roster/members/ted.toml", format!("name = \"{long}\"\ncontingent = \"abc\"\nemail = \"ted@example.org\"\n")),
        (
            "roster/members/rlo.toml",
            "name = \"Eve\\u202Egnp.exe\"\ncontingent = \"abc\"\nemail = \"r@example.org\"\n".into(),
        ),
        ("roster/members/zw.toml", "name = \"Al\\u200Bice\"\ncontingent = \"abc\"\nemail = \"z@example.org\"\n".into()),
    ];
    let refs: Vec<(&str, Option<&str>)> = files.iter().map(|(p, t)| (*p, Some(t.as_str()))).collect();
    plain_git(&env, &c, &refs, "hostile names");
    let started = std::time::Instant::now();
    let r = env.tribune(&["-C", &c, "roster", "--json"]).ok();
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "roster took {:?}", started.elapsed());
    let j = r.json();
    let ids: Vec<&str> = j["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["alice"]);
    let why: Vec<String> =
        j["left_out"].as_array().unwrap().iter().map(|l| l["why"].as_str().unwrap().to_string()).collect();
    assert!(why.iter().any(|w| w.contains("longer than 200 characters")), "{why:?}");
    assert!(why.iter().any(|w| w.contains("invisible character that reorders or hides text")), "{why:?}");
    env.tribune(&["-C", &c, "roster"]).ok();
}

/// A statement that gives the new member's name and email binds them: whoever applies it
/// cannot admit the voted key under another name or address.
#[test]
fn an_enacted_admission_binds_the_name_and_email_the_statement_gives() {
    let (env, c, ann) = founded();
    let (_, zed_pub) = keypair(&env, "zed");
    let front = format!(
        "[[enacts]]\nadd_member = \"zed\"\ncontingent = \"abc\"\nkey = \"{}\"\nname = \"Zed Ortiz\"\n\
         email = \"zed@example.org\"\n",
        zed_pub.trim()
    );
    pass_statement(&env, &c, &ann, "admit-zed", &front);
    let pubfile = env.write("zed-new.pub", &zed_pub);
    let more = ["--key-file", pubfile.as_str(), "--statement", "admit-zed", "--key", ann.as_str()];
    for (name, email) in [("Rosa Lopez", "zed@example.org"), ("Zed Ortiz", "rosa@example.org")] {
        let before = env.refs(&c);
        let args = member_args(["zed", "abc", name, email], &more);
        let r = env.tribune(&[&["-C", c.as_str()][..], &args].concat());
        assert_eq!(r.code, 1, "{name} <{email}> was admitted:\n{}", r.stdout);
        assert_eq!(env.refs(&c), before);
    }
    let args = member_args(["zed", "abc", "Zed Ortiz", "ZED@example.org"], &more);
    env.tribune(&[&["-C", c.as_str()][..], &args].concat()).ok();
    env.tribune(&["-C", &c, "audit"]).ok();
    let roster = env.tribune(&["-C", &c, "roster", "--json"]).ok().stdout;
    assert!(roster.contains("Zed Ortiz"), "{roster}");
}

/// A clone judges the trunk before its statement tags arrive (the tags are verified against
/// the trunk): the verdicts on enactments that read a missing tag are judged again once it
/// is there, by `clone` and by `sync`, instead of being kept from the cache.
#[test]
fn a_clone_or_a_sync_that_takes_an_enacted_contingent_keeps_it() {
    let (env, c, ann) = founded();
    let clone = env.path("k").to_string_lossy().into_owned();
    env.tribune(&["clone", &c, &clone]).ok();
    let (_, zed_pub) = keypair(&env, "zed");
    admit_xyz_with_zed(&env, &c, &ann, &zed_pub);
    let fresh = env.path("k2").to_string_lossy().into_owned();
    env.tribune(&["clone", &c, &fresh]).ok();
    env.tribune(&["-C", &clone, "sync"]).ok();
    for k in [&fresh, &clone] {
        assert!(findings(&env, k).is_empty(), "{k}");
        let roster = env.tribune(&["-C", k, "roster", "--json"]).ok().json();
        let ids: Vec<&str> = roster["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["ann", "zed"], "{k}");
        assert!(findings_cold(&env, k).is_empty(), "{k}");
    }
}

/// A statement keeps its identity whatever later commits do to its file: its file removed
/// with plain git after its approval is one finding (the removal), and what it enacted stays
/// in the roster, judged from the cache or from nothing, here and on a fresh clone; `verify`
/// still verifies it.
#[test]
fn a_statement_file_removed_after_its_approval_still_authorises_what_it_enacted() {
    let (env, c, ann) = founded();
    let (_, zed_pub) = keypair(&env, "zed");
    admit_xyz_with_zed(&env, &c, &ann, &zed_pub);
    plain_git(&env, &c, &[("statements/admit-xyz/index.md", None)], "remove a statement");
    let fresh = env.path("k").to_string_lossy().into_owned();
    env.tribune(&["clone", &c, &fresh]).ok();
    for k in [&c, &fresh] {
        for found in [findings(&env, k), findings_cold(&env, k)] {
            assert_eq!(found, ["statements/admit-xyz/index.md"], "{k}");
        }
        let roster = env.tribune(&["-C", k, "roster", "--json"]).ok().json();
        let ids: Vec<&str> = roster["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["ann", "zed"], "{k}");
        let contingents: Vec<&str> =
            roster["contingents"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert!(contingents.contains(&"xyz"), "{k}: {contingents:?}");
        env.tribune(&["-C", k, "verify", "admit-xyz"]).ok();
    }
}

/// An honest sync that applies an enactment with its statement's approval in one push is
/// taken by a hub with the hook: the hook judges the trunk with the tags the push adds.
/// Without the approval (the tag left out of the push), the same trunk is refused.
#[test]
fn a_hub_takes_an_enactment_pushed_with_its_approval() {
    let (env, c, ann) = founded();
    let hub = env.path("hub.git").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "--bare", &c, &hub]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let k = env.path("k").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &k]).ok();
    let (_, zed_pub) = keypair(&env, "zed");
    admit_xyz_with_zed(&env, &k, &ann, &zed_pub);
    // The trunk alone, without the tag: refused, naming the rule.
    let r = env.git(&["-C", &k, "push", "origin", "main"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("only an approved joint statement may"), "{}", r.stderr);
    env.tribune(&["-C", &k, "sync"]).ok();
    let at_hub = env.git(&["-C", &hub, "show", "main:roster/contingents/xyz.toml"]).ok().stdout;
    assert!(at_hub.contains("XYZ Circle"), "{at_hub}");
    assert_eq!(
        env.git(&["-C", &hub, "rev-parse", "main"]).ok().stdout,
        env.git(&["-C", &k, "rev-parse", "main"]).ok().stdout
    );
    assert!(findings_cold(&env, &k).is_empty());
}

/// One unsigned commit that breaks tribune.toml stops the commands that read the rules, with
/// the line and a pointer to `audit`; `audit` itself still runs and names the commit.
#[test]
fn a_broken_rules_file_pushed_without_authority_leaves_audit_working() {
    let (env, c, _) = founded();
    let before = env.git(&["-C", &c, "show", "main:tribune.toml"]).ok().stdout;
    plain_git(&env, &c, &[("tribune.toml", Some(&format!("{before}\n[rules\n")))], "break the rules file");
    let bad = env.git(&["-C", &c, "rev-parse", "main"]).ok().stdout.trim().to_string();
    let r = env.tribune(&["-C", &c, "roster"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("tribune.toml:") && r.stderr.contains(&format!("`tribune -C {c} audit` names the commit")),
        "{}",
        r.stderr
    );
    let r = env.tribune(&["-C", &c, "audit", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    let f = &j["findings"].as_array().unwrap()[0];
    assert_eq!((f["commit"].as_str(), f["path"].as_str()), (Some(bad.as_str()), Some("tribune.toml")), "{j}");
    assert!(r.stderr.contains("the audit reads the rules of the newest tribune.toml that parses"), "{}", r.stderr);
}

/// A name the roster would leave out (a control character, a character that reorders text,
/// more than 200 characters) is refused by the commands that write entries, before anything
/// is written: `roster add-member` wrote such an entry (audit then named it BROKEN), and
/// `init --founder` "founded" a commons whose root founded nothing.
#[test]
fn names_the_roster_would_refuse_are_refused_before_anything_is_written() {
    let (env, c, ann) = founded();
    let (_, public) = keypair(&env, "bob");
    let pubfile = env.write("bob-new.pub", &public);
    let long = "a".repeat(201);
    for name in ["Bob\u{1b}[2J", "Bo\u{202e}b", long.as_str()] {
        let before = env.refs(&c);
        let args = member_args(["bob", "abc", name, "bob@example.org"], &["--key-file", &pubfile, "--key", &ann]);
        let r = env.tribune(&[&["-C", c.as_str()][..], &args].concat());
        assert_eq!(r.code, 1, "{name:?}: {}", r.stdout);
        assert!(r.stderr.contains("would not be a valid roster entry"), "{}", r.stderr);
        assert_eq!(env.refs(&c), before, "{name:?}");
    }
    assert!(findings(&env, &c).is_empty());
    for (flag, value) in
        [("--contingent-name", "ABC\u{1b}[2J"), ("--name", "An\u{202e}n"), ("--contingent-name", &long)]
    {
        let d = env.path("d").to_string_lossy().into_owned();
        let args = ["init", &d, "--org", "O", "--founder", "ann", "--contingent", "abc", flag, value, "--key", &ann];
        let r = env.tribune(&args);
        assert_eq!(r.code, 1, "{flag} {value:?}: {}", r.stdout);
        assert!(r.stderr.contains("would not be a valid roster entry"), "{}", r.stderr);
        assert!(!std::path::Path::new(&d).exists(), "{flag}: nothing written");
    }
}

/// A statement tag moved at a hub is refused with its own line ("never moved"), not with an
/// internal error about comparing the histories of two tag objects.
#[test]
fn a_hub_refuses_a_moved_approval_tag_with_a_clear_line() {
    let (env, c, ann) = founded();
    pass_statement(&env, &c, &ann, "a-statement", "");
    let hub = env.path("hub.git").to_string_lossy().into_owned();
    env.git(&["clone", "-q", "--bare", &c, &hub]).ok();
    env.git(&["-C", &hub, "fetch", "-q", &c, "refs/tags/*:refs/tags/*"]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let tally = rev(&env, &c, "statements/a-statement^{commit}");
    env.git(&["-C", &c, "tag", "-f", "-a", "-m", "moved", "statements/a-statement", &tally]).ok();
    let r = env.git(&["-C", &c, "push", "-f", &hub, "refs/tags/statements/a-statement"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("tribune: refused refs/tags/statements/a-statement: an approval tag is never moved"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("could not compare"), "{}", r.stderr);
}

/// A proposal whose [[enacts]] could never be applied is refused before anything is written:
/// adding a contingent or a member already in the roster, removing a contingent that is not,
/// a member of a contingent that neither exists nor is added first, or the same change twice.
#[test]
fn a_proposal_that_enacts_the_impossible_or_the_same_twice_is_refused() {
    let (env, c, ann) = founded();
    let (_, zed_pub) = keypair(&env, "zed");
    let zed = zed_pub.trim();
    let before = env.refs(&c);
    let cases = [
        (
            "[[enacts]]\nadd_contingent = \"abc\"\nname = \"Again\"\n",
            "adds the contingent abc, which is in the roster already",
        ),
        ("[[enacts]]\nremove_contingent = \"nope\"\n", "removes the contingent nope, which is not in the roster"),
        (
            &*format!("[[enacts]]\nadd_member = \"ann\"\ncontingent = \"abc\"\nkey = \"{zed}\"\n"),
            "adds the member ann, who is in the roster already",
        ),
        (
            &*format!("[[enacts]]\nadd_member = \"zed\"\ncontingent = \"qrs\"\nkey = \"{zed}\"\n"),
            "which is not in the roster nor added before it",
        ),
        (
            "[[enacts]]\nadd_contingent = \"xyz\"\nname = \"X\"\n\n[[enacts]]\nremove_contingent = \"xyz\"\n",
            "two [[enacts]] entries change the contingent xyz",
        ),
    ];
    let now = chrono::DateTime::parse_from_rfc3339(&env.now()).unwrap();
    let deadline = (now + chrono::Duration::days(3)).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    for (front, why) in cases {
        let text = format!("+++\ntitle = \"Bad\"\ndeadline = \"{deadline}\"\n{front}+++\nThe organisation decides.\n");
        let file = env.write("bad.md", text);
        env.tribune(&["-C", &c, "propose", &file, "--key", &ann]).fails(1, why);
    }
    assert_eq!(env.refs(&c), before);
    // Adding a contingent and its first member in one statement is fine.
    let front = format!("[[enacts]]\nadd_contingent = \"xyz\"\nname = \"X\"\n\n[[enacts]]\nadd_member = \"zed\"\ncontingent = \"xyz\"\nkey = \"{zed}\"\n");
    let text = format!("+++\ntitle = \"Good\"\ndeadline = \"{deadline}\"\n{front}+++\nThe organisation decides.\n");
    env.tribune(&["-C", &c, "propose", &env.write("good.md", text), "--key", &ann]).ok();
}
