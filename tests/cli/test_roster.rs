//! `tribune roster`: contingents and members, one trunk commit each, and what is refused.

use crate::harness::*;

const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGjRnGvbdz5TOvVI3IjUSbsYxkmo9RW6VwhBcBDK0ey4 test";

/// The member bob of abc, as [`member_args`] takes it.
const BOB: [&str; 4] = ["bob", "abc", "Bob", "bob@example.org"];

/// `-C C roster add-member bob --contingent abc --name Bob --email bob@example.org`, then `more`.
fn bob<'a>(c: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    add_member_args(c, BOB, more)
}

fn roster_json(env: &Env, c: &str) -> serde_json::Value {
    env.tribune(&["-C", c, "roster", "--json"]).ok().quiet().json()
}

#[test]
fn adding_a_contingent_makes_one_roster_commit_adding_its_file() {
    let env = Env::new();
    let c = env.init();
    let before = env.git(&["-C", &c, "rev-parse", "main"]).ok().stdout.trim().to_string();
    let r = env
        .tribune(&[
            "-C",
            &c,
            "roster",
            "add-contingent",
            "abc",
            "--name",
            "ABC Collective",
            "--description",
            "Tenants and workers",
            "--url",
            "https://abc.example",
        ])
        .ok();
    let tip = env.git(&["-C", &c, "rev-parse", "main"]).ok().stdout.trim().to_string();
    assert_eq!(r.stdout.trim(), format!("Added contingent abc (ABC Collective) in commit {}.", &tip[..10]));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(env.git(&["-C", &c, "rev-parse", "main~1"]).ok().stdout.trim(), before, "one commit on top of init");
    assert_eq!(changed(&env, &c, "main"), "A\troster/contingents/abc.toml\n");
    let file = env.git(&["-C", &c, "show", "main:roster/contingents/abc.toml"]).ok().stdout;
    let t: toml::Table = file.parse().unwrap();
    assert_eq!(t["name"].as_str(), Some("ABC Collective"));
    assert_eq!(t["description"].as_str(), Some("Tenants and workers"));
    assert_eq!(t["url"].as_str(), Some("https://abc.example"));
    let msg = message_of(&env, &c, "main");
    assert_lines(&msg, &["Tribune-Action: roster", "Tribune-Contingent: abc"]);
    assert_eq!(env.git(&["-C", &c, "log", "-1", "--format=%an", "main"]).ok().stdout.trim(), "Test Author");
    env.fsck(&c);
}

#[test]
fn adding_a_member_makes_one_roster_commit_adding_their_file() {
    let env = Env::new();
    let c = env.init();
    env.tribune(&["-C", &c, "roster", "add-contingent", "abc", "--name", "ABC Collective"]).ok();
    let before = env.git(&["-C", &c, "rev-parse", "main"]).ok().stdout.trim().to_string();
    let r = env.tribune(&add_member_args(&c, ["alice", "abc", "Alice", "alice@example.org"], &[])).ok();
    let tip = env.git(&["-C", &c, "rev-parse", "main"]).ok().stdout.trim().to_string();
    assert_eq!(r.stdout.trim(), format!("Added member alice (Alice, contingent abc) in commit {}.", &tip[..10]));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(env.git(&["-C", &c, "rev-parse", "main~1"]).ok().stdout.trim(), before);
    assert_eq!(changed(&env, &c, "main"), "A\troster/members/alice.toml\n");
    let t: toml::Table = env.git(&["-C", &c, "show", "main:roster/members/alice.toml"]).ok().stdout.parse().unwrap();
    assert_eq!(t["name"].as_str(), Some("Alice"));
    assert_eq!(t["contingent"].as_str(), Some("abc"));
    assert_eq!(t["email"].as_str(), Some("alice@example.org"));
    let msg = message_of(&env, &c, "main");
    assert_lines(&msg, &["Tribune-Action: roster", "Tribune-Contingent: abc", "Tribune-Member: alice"]);
    env.fsck(&c);
}

#[test]
fn the_roster_lists_contingents_with_member_counts_then_members() {
    let (env, c) = commons();
    env.tribune(&bob(&c, &["--public-key", KEY])).ok();
    let r = env.tribune(&["-C", &c, "roster"]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let lines: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["CONTINGENT", "NAME", "MEMBERS", "URL"], "{}", r.stdout);
    assert_eq!(lines[1], ["abc", "ABC", "Collective", "2"], "{}", r.stdout);
    assert_eq!(lines[2], ["xyz", "XYZ", "Circle", "0"], "{}", r.stdout);
    assert!(lines[3].is_empty(), "{}", r.stdout);
    assert_eq!(lines[4], ["MEMBER", "NAME", "CONTINGENT", "EMAIL", "KEYS"], "{}", r.stdout);
    assert_eq!(lines[5], ["alice", "Alice", "abc", "alice@example.org", "0"], "{}", r.stdout);
    assert_eq!(lines[6], ["bob", "Bob", "abc", "bob@example.org", "1"], "{}", r.stdout);
    assert_eq!(lines.len(), 7, "{}", r.stdout);
}

#[test]
fn the_roster_as_json_holds_every_contingent_and_member() {
    let (env, c) = commons();
    env.tribune(&add_member_args(&c, ["bob", "xyz", "Bob", "bob@example.org"], &["--public-key", KEY])).ok();
    let v = roster_json(&env, &c);
    let contingents = v["contingents"].as_array().expect("contingents");
    let ids: Vec<&str> = contingents.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["abc", "xyz"]);
    assert_eq!(contingents[0]["name"], "ABC Collective");
    assert_eq!(contingents[1]["name"], "XYZ Circle");
    let members = v["members"].as_array().expect("members");
    assert_eq!(members.len(), 2, "{v}");
    assert_eq!(members[0]["id"], "alice");
    assert_eq!(members[0]["contingent"], "abc");
    assert_eq!(members[0]["email"], "alice@example.org");
    assert_eq!(members[0]["keys"], serde_json::json!([]));
    assert_eq!(members[1]["id"], "bob");
    assert_eq!(members[1]["name"], "Bob");
    assert_eq!(members[1]["contingent"], "xyz");
    assert_eq!(members[1]["keys"], serde_json::json!([KEY]));
}

#[test]
fn an_empty_roster_says_how_to_fill_it() {
    let env = Env::new();
    let c = env.init();
    let r = env.tribune(&["-C", &c, "roster"]).ok();
    assert!(r.stdout.contains("The roster is empty") && r.stdout.contains("roster add-contingent"), "{}", r.stdout);
    let v = roster_json(&env, &c);
    assert_eq!(v, serde_json::json!({"root": null, "contingents": [], "members": []}));
}

#[test]
fn a_duplicate_contingent_id_is_refused_and_writes_nothing() {
    let (env, c, _) = refused_in(
        Env::commons,
        &["roster", "add-contingent", "abc", "--name", "Another ABC"],
        1,
        &["the contingent \"abc\" already exists (ABC Collective)", "hint: choose another id"],
    );
    let t: toml::Table = env.git(&["-C", &c, "show", "main:roster/contingents/abc.toml"]).ok().stdout.parse().unwrap();
    assert_eq!(t["name"].as_str(), Some("ABC Collective"), "the first contingent is intact");
}

#[test]
fn a_duplicate_member_id_is_refused_and_writes_nothing() {
    let args = member_args(["alice", "xyz", "Alice Two", "alice2@example.org"], &[]);
    refused_in(Env::commons, &args, 1, &["the member \"alice\" already exists (Alice, abc)"]);
}

#[test]
fn a_member_of_an_unknown_contingent_is_refused_with_the_known_ones_as_hint() {
    let args = member_args(["bob", "nope", "Bob", "bob@example.org"], &[]);
    refused_in(
        Env::commons,
        &args,
        1,
        &["there is no contingent \"nope\" in the roster", "hint: known contingents: abc, xyz"],
    );
}

#[test]
fn a_member_before_any_contingent_is_refused_with_a_hint_to_add_one() {
    let args = member_args(BOB, &[]);
    refused_in(Env::init, &args, 1, &["there is no contingent \"abc\"", "the roster has no contingents yet"]);
}

#[test]
fn invalid_contingent_ids_are_refused_and_write_nothing() {
    let (env, c) = commons();
    for (bad, why) in [
        ("ABC", "upper-case letters are not allowed"),
        ("a/b", "could make it a path"),
        ("..", "could make it a path"),
        ("a b", "is not allowed"),
        ("-a", "starts with '-'"),
    ] {
        let r = refused(
            &env,
            &c,
            &["-C", &c, "roster", "add-contingent", "--name", "N", "--", bad],
            1,
            &["contingent id", why],
        );
        assert!(r.stderr.contains("hint: ids and slugs use lowercase"), "{}", r.stderr);
    }
    let long = "a".repeat(65);
    refused(&env, &c, &["-C", &c, "roster", "add-contingent", &long, "--name", "Long"], 1, &["at most 64"]);
    assert_eq!(
        env.git(&["-C", &c, "ls-tree", "--name-only", "main:roster/contingents"]).ok().stdout,
        "abc.toml\nxyz.toml\n"
    );
}

#[test]
fn invalid_member_ids_are_refused_and_write_nothing() {
    let (env, c) = commons();
    for bad in ["Bob", "b/ob", ".."] {
        refused(&env, &c, &add_member_args(&c, [bad, "abc", "Bob", "bob@example.org"], &[]), 1, &["member id"]);
    }
}

#[test]
fn a_member_with_a_valid_ed25519_key_is_stored_with_it() {
    let (env, c) = commons();
    env.tribune(&bob(&c, &["--public-key", KEY])).ok();
    let t: toml::Table = env.git(&["-C", &c, "show", "main:roster/members/bob.toml"]).ok().stdout.parse().unwrap();
    let keys: Vec<&str> = t["keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, [KEY]);
    env.fsck(&c);
}

#[test]
fn a_key_file_made_by_ssh_keygen_is_accepted_and_its_private_half_refused() {
    let (env, c) = commons();
    let k = env.path("k");
    ssh_keygen(&k, &["-t", "ed25519", "-N", "", "-C", "bob@laptop"]);
    let private = k.to_string_lossy().into_owned();
    let public = format!("{private}.pub");

    let r = refused(&env, &c, &bob(&c, &["--key-file", &private]), 1, &["private key"]);
    assert!(r.stderr.contains("hint: pass the .pub file"), "{}", r.stderr);
    assert!(!r.stderr.contains("BEGIN OPENSSH"), "the private key must never be echoed:\n{}", r.stderr);

    env.tribune(&bob(&c, &["--key-file", &public])).ok();
    let pub_text = std::fs::read_to_string(&public).unwrap();
    let t: toml::Table = env.git(&["-C", &c, "show", "main:roster/members/bob.toml"]).ok().stdout.parse().unwrap();
    let keys: Vec<&str> = t["keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, [pub_text.trim()]);
    env.fsck(&c);
}

#[test]
fn a_private_key_passed_as_key_is_refused_and_writes_nothing() {
    let (env, c) = commons();
    let fake = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    let f = env.write("id_ed25519", fake);
    refused(&env, &c, &bob(&c, &["--key-file", &f]), 1, &["private key"]);
    refused(&env, &c, &bob(&c, &[&format!("--public-key={fake}")]), 1, &["private key"]);
}

#[test]
fn garbage_and_non_ed25519_keys_are_refused_and_write_nothing() {
    let (env, c) = commons();
    for garbage in ["hello", "ssh-ed25519 AAAA", "ssh-ed25519 not-base64!"] {
        refused(&env, &c, &bob(&c, &["--public-key", garbage]), 1, &["not an OpenSSH public key", "ed25519"]);
    }
    let k = env.path("rsa");
    ssh_keygen(&k, &["-t", "rsa", "-b", "2048", "-N", ""]);
    let rsa = std::fs::read_to_string(format!("{}.pub", k.display())).unwrap();
    refused(&env, &c, &bob(&c, &["--public-key", rsa.trim()]), 1, &["not ssh-ed25519"]);
    let missing = env.path("nope.pub").to_string_lossy().into_owned();
    refused(&env, &c, &bob(&c, &["--key-file", &missing]), 1, &["could not read the key file"]);
}

#[test]
fn a_duplicate_email_is_refused_whatever_its_case() {
    let (env, c) = commons();
    for email in ["alice@example.org", "ALICE@Example.org"] {
        refused(
            &env,
            &c,
            &add_member_args(&c, ["alice2", "xyz", "Alice Again", email], &[]),
            1,
            &["already belongs to member \"alice\""],
        );
    }
}

#[test]
fn an_invalid_email_or_empty_name_is_refused() {
    let (env, c) = commons();
    for email in ["bob", "bob @example.org", "<bob@example.org>"] {
        refused(&env, &c, &add_member_args(&c, ["bob", "abc", "Bob", email], &[]), 1, &["is not an email address"]);
    }
    refused(&env, &c, &add_member_args(&c, ["bob", "abc", " ", "bob@example.org"], &[]), 1, &["name is empty"]);
    refused(&env, &c, &["-C", &c, "roster", "add-contingent", "new", "--name", " "], 1, &["name is empty"]);
}

#[test]
fn missing_arguments_and_unknown_flags_are_usage_errors() {
    let (env, c) = commons();
    refused(&env, &c, &["-C", &c, "roster", "add-contingent", "new"], 2, &["--name"]);
    refused(
        &env,
        &c,
        &["-C", &c, "roster", "add-member", "bob", "--name", "Bob", "--email", "bob@example.org"],
        2,
        &["--contingent"],
    );
    refused(
        &env,
        &c,
        &["-C", &c, "roster", "add-contingent", "new", "--name", "N", "--colour", "red"],
        2,
        &["--colour"],
    );
    refused(&env, &c, &["-C", &c, "roster", "remove", "abc"], 2, &["remove"]);
}

#[test]
fn the_roster_outside_a_commons_is_refused() {
    let env = Env::new();
    let empty = env.empty_dir("empty");
    env.outside_a_commons(&empty, &["roster"]);
    let r = env.outside_a_commons(&empty, &["roster", "add-contingent", "abc", "--name", "ABC"]);
    assert!(r.stderr.contains("hint: create one with `tribune init"), "{}", r.stderr);
    assert!(
        !env.path("empty/.git").exists() && std::fs::read_dir(env.path("empty")).unwrap().next().is_none(),
        "nothing was created"
    );
}

#[test]
fn a_roster_file_broken_with_plain_git_is_reported_with_its_line() {
    let (env, c) = commons();
    edit_with_git(&env, &c, "roster/members/alice.toml", "break alice", |_| {
        "name = \"Alice\"\ncontingent = \ncontingent = \"abc\"\n".into()
    });
    // The roster still lists (alice as she was authorised), and names the broken file with
    // its line: one bad file must not hide the roster from everyone.
    let r = env.tribune(&["-C", &c, "roster"]).ok();
    assert!(r.stdout.contains("alice   Alice"), "{}", r.stdout);
    assert!(
        r.stderr.contains("warning: roster/members/alice.toml: not a valid entry: roster/members/alice.toml:2:"),
        "{}",
        r.stderr
    );
    let j = env.tribune(&["-C", &c, "roster", "--json"]).ok().json();
    assert_eq!(j["left_out"][0]["path"], "roster/members/alice.toml");
    assert!(j["left_out"][0]["why"].as_str().unwrap().contains("roster/members/alice.toml:2:"), "{j:#}");
}

#[test]
fn roster_json_with_a_subcommand_is_a_usage_error() {
    refused_in(Env::commons, &["roster", "--json", "add-contingent", "new", "--name", "New"], 2, &["add-contingent"]);
}

/// In a founded commons, adding a member under an id that is taken says so (whoever signs),
/// not that only the member may change their keys; nothing is written.
#[test]
fn adding_a_member_whose_id_is_taken_says_so_in_a_founded_commons() {
    let (env, c, _alice, xavier) = crate::test_article_rules::founded_two();
    let before = rev(&env, &c, "main");
    let args = ["-C", &c, "roster", "add-member", "alice", "--contingent", "xyz", "--name", "Alice Two"];
    let r = env.tribune(&[&args[..], &["--email", "alice2@example.org", "--key", &xavier]].concat());
    let r = r.fails(1, "the member \"alice\" already exists");
    assert!(!r.stderr.contains("may change their keys"), "{}", r.stderr);
    assert_eq!(rev(&env, &c, "main"), before);
}
