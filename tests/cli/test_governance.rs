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
    for (path, text) in files {
        let p = format!("{w}/{path}");
        match text {
            Some(t) => {
                std::fs::create_dir_all(std::path::Path::new(&p).parent().unwrap()).unwrap();
                std::fs::write(&p, t).unwrap();
            }
            None => std::fs::remove_file(&p).unwrap(),
        }
    }
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
    env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE]).ok();
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
    let (env, c, _) = founded();
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
    let r = env.tribune(&["-C", &c, "propose", &file, "--deadline", DEADLINE, "--threshold", "1/100"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("below the organisation's floor 2/3"), "{}", r.stderr);
}

/// Proposes `front` + text as the statement `slug`, ann votes yes (the whole electorate),
/// and approves it at once (decided: nobody is left to vote).
fn pass_statement(env: &Env, c: &str, ann: &str, slug: &str, front: &str) {
    let now = chrono::DateTime::parse_from_rfc3339(&env.now()).unwrap();
    let deadline = (now + chrono::Duration::days(3)).to_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let text = format!("+++\ntitle = \"{slug}\"\ndeadline = \"{deadline}\"\n{front}+++\nThe organisation decides.\n");
    let file = env.write(&format!("{slug}.md"), text);
    env.tribune(&["-C", c, "propose", &file, "--slug", slug]).ok();
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
    let front = format!(
        "[[enacts]]\nadd_contingent = \"xyz\"\nname = \"XYZ Circle\"\n\n[[enacts]]\nadd_member = \"zed\"\n\
         contingent = \"xyz\"\nkey = \"{}\"\n",
        zed_pub.trim()
    );
    pass_statement(&env, &c, &ann, "admit-xyz", &front);
    env.tribune(&[
        "-C",
        &c,
        "roster",
        "add-contingent",
        "xyz",
        "--name",
        "XYZ Circle",
        "--statement",
        "admit-xyz",
        "--key",
        &ann,
    ])
    .ok();
    let pubfile = env.write("zed-new.pub", &zed_pub);
    let args = member_args(
        ["zed", "xyz", "Zed", "zed@example.org"],
        &["--key-file", &pubfile, "--statement", "admit-xyz", "--key", &ann],
    );
    env.tribune(&[&["-C", &c[..]][..], &args].concat()).ok();
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
    let r = env.tribune(&["-C", &c, "propose", &s, "--deadline", &soon]);
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
    assert!(r.stdout.contains("Without a key, and so left out of the authorised roster: alice"), "{}", r.stdout);
    assert_eq!(rev(&env, &c, "main^{tree}"), tree_before, "founding changed a file");
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
    env.tribune(&["-C", &c, "roster", "remove-member", "alice", "--key", &bob]).ok();
    let (_, alice_pub) = keypair(&env, "alice");
    env.tribune(&add_member_args(
        &c,
        ["alice", "abc", "Alice", "alice@example.org"],
        &["--public-key", &alice_pub, "--key", &bob],
    ))
    .ok();
    let audit = env.tribune(&["-C", &c, "audit", "--json"]);
    let j = audit.json();
    // alice's keyless entry at the founding is the one finding; nothing after it.
    let findings = j["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{j:#}");
    assert_eq!(
        (&findings[0]["finding"], &findings[0]["path"]),
        (&"invalid-entry".into(), &"roster/members/alice.toml".into())
    );
    assert_eq!(env.tribune(&["-C", &c, "list", "--json"]).ok().json().as_array().unwrap().len(), 1);
}
