//! Issue 11, item 3: every act signed, and every act in a contingent's name by a member of
//! that contingent. Each attack from the issue (anyone contributing as abc, rewriting into
//! xyz's edition, replying "as abc", replacing someone else's shared filter) is refused in a
//! founded commons before anything is written; a member's own acts are signed, verify with
//! plain git, and `log`/`versions` show each act's standing.

use crate::harness::*;

/// A founded commons with two contingents: `env.commons()` (abc, xyz, alice) founded by a
/// commit ann signs with plain git, whose roster holds ann (abc) and xena (xyz) with their
/// keys. Returns the sandbox, the commons and the private key files of ann, xena and eve
/// (eve is in no roster).
struct Founded {
    env: Env,
    c: String,
    ann: String,
    xena: String,
    eve: String,
}

fn member_file(id: &str, contingent: &str, public: &str) -> String {
    format!("name = \"{id}\"\ncontingent = \"{contingent}\"\nemail = \"{id}@example.org\"\nkeys = [\"{public}\"]\n")
}

fn founded() -> Founded {
    let env = Env::new();
    let c = env.commons();
    let (ann, ann_pub) = keypair(&env, "ann");
    let (xena, xena_pub) = keypair(&env, "xena");
    let (eve, _) = keypair(&env, "eve");
    let w = env.clone_of(&c, "w");
    std::fs::write(format!("{w}/roster/members/ann.toml"), member_file("ann", "abc", &ann_pub)).unwrap();
    std::fs::write(format!("{w}/roster/members/xena.toml"), member_file("xena", "xyz", &xena_pub)).unwrap();
    // A founded roster has no member without a key.
    std::fs::remove_file(format!("{w}/roster/members/alice.toml")).unwrap();
    env.git(&["-C", &w, "add", "-A"]).ok();
    let signing = format!("user.signingkey={ann}");
    let msg = "found: the commons of Mass Organization XYZ\n\nTribune-Founders: ann\n";
    env.git(&["-C", &w, "-c", "gpg.format=ssh", "-c", &signing, "commit", "-q", "-S", "-m", msg]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    std::fs::remove_dir_all(&w).unwrap();
    let audit = env.tribune(&["-C", &c, "audit", "--json"]).ok().json();
    assert_eq!(audit["root"].as_str(), Some(rev(&env, &c, "main").as_str()), "{audit:#}");
    Founded { env, c, ann, xena, eve }
}

impl Founded {
    fn t(&self, args: &[&str]) -> Run {
        self.env.tribune(&[&["-C", self.c.as_str()][..], args].concat())
    }
    /// `tribune -C C ARGS` must be refused (exit 1) with every needle, writing nothing.
    #[track_caller]
    fn refused(&self, args: &[&str], needles: &[&str]) -> Run {
        refused(&self.env, &self.c, &[&["-C", self.c.as_str()][..], args].concat(), 1, needles)
    }
    fn file(&self, name: &str, text: &str) -> String {
        self.env.write(name, text)
    }
    /// `git verify-commit WHAT` with `tribune allowed-signers`.
    fn verify_commit(&self, what: &str) -> Run {
        let out = self.t(&["allowed-signers"]).ok().stdout;
        let allowed = self.env.write("allowed", out);
        git_with_signers(&self.env, &self.c, &allowed, &["verify-commit", what])
    }
}

const SLUG: &str = "port-blockade";

fn port(contingent: &str) -> String {
    article("Port blockade", contingent, "", "Dockers stopped.\n")
}

#[test]
fn anyone_with_any_git_identity_contributing_as_abc_is_refused() {
    let f = founded();
    let p = f.file("p.md", &port("abc"));
    let hint = "hint: sign with the key of a member of abc (--key FILE): ann";
    f.refused(
        &["contribute", &p, "--slug", SLUG],
        &["an unsigned commit may not contribute the article \"port-blockade\" in the name of abc", hint],
    );
    f.refused(
        &["contribute", &p, "--slug", SLUG, "--key", &f.eve],
        &["the signing key belongs to no member of the roster, so it may not contribute", hint],
    );
    f.refused(
        &["contribute", &p, "--slug", SLUG, "--key", &f.xena],
        &["xena (a member of xyz) may not contribute the article \"port-blockade\" in the name of abc: only a member of abc may do that", hint],
    );
    // The same file with --contingent abc says the same.
    f.refused(
        &["contribute", &p, "--slug", SLUG, "--contingent", "abc", "--key", &f.xena],
        &["xena (a member of xyz) may not"],
    );
    // A member of abc may, and then nobody else updates the article, or takes it over for xyz.
    f.t(&["contribute", &p, "--slug", SLUG, "--key", &f.ann]).ok();
    let p2 = f.file("p2.md", &port("abc").replace("stopped", "stopped work"));
    f.refused(
        &["contribute", &p2, "--slug", SLUG, "--update", "--key", &f.xena],
        &["xena (a member of xyz) may not update"],
    );
    let taken = f.file("p3.md", &port("xyz"));
    f.refused(
        &["contribute", &taken, "--slug", SLUG, "--update", "--key", &f.xena],
        &["xena (a member of xyz) may not update the article \"port-blockade\" in the name of abc"],
    );
    f.t(&["contribute", &p2, "--slug", SLUG, "--update", "--key", &f.ann]).ok();
}

#[test]
fn a_member_of_abc_contributes_as_abc_signed_and_plain_git_verifies_it() {
    let f = founded();
    let p = f.file("p.md", &port("abc"));
    let j = f.t(&["contribute", &p, "--slug", SLUG, "--key", &f.ann, "--json"]).ok().json();
    let r = f.verify_commit(j["commit"].as_str().unwrap());
    assert!(r.stderr.contains("Good \"git\" signature for ann@example.org"), "{}", r.stderr);
    f.env.fsck(&f.c);
    // git's own signing configuration is the default key.
    f.env.git(&["-C", &f.c, "config", "gpg.format", "ssh"]).ok();
    f.env.git(&["-C", &f.c, "config", "user.signingkey", &f.ann]).ok();
    let p2 = f.file("p2.md", &port("abc").replace("stopped", "stopped work"));
    f.t(&["contribute", &p2, "--slug", SLUG, "--update"]).ok();
    let r = f.verify_commit("main");
    assert!(r.stderr.contains("Good \"git\" signature for ann@example.org"), "{}", r.stderr);
    let log = f.t(&["log", SLUG, "--json"]).ok().quiet().json();
    let standing: Vec<(&str, &str)> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["standing"].as_str().unwrap(), e["signer"].as_str().unwrap()))
        .collect();
    assert_eq!(standing, [("verified", "ann"), ("verified", "ann")]);
    let text = f.t(&["log", SLUG]).ok().stdout;
    assert!(text.lines().next().unwrap().contains("STANDING"), "{text}");
    assert_eq!(text.matches(" verified ").count(), 2, "{text}");
    f.env.fsck(&f.c);
    f.t(&["audit"]).ok();
}

#[test]
fn rewriting_into_xyzs_edition_or_updating_it_needs_a_member_of_xyz() {
    let f = founded();
    let p = f.file("p.md", &port("abc"));
    f.t(&["contribute", &p, "--slug", SLUG, "--key", &f.ann]).ok();
    let new = f.file("new.md", &port("abc").replace("Dockers stopped.", "Dockers stopped the port."));
    let hint = "hint: sign with the key of a member of xyz (--key FILE): xena";
    for key in [&f.ann, &f.eve] {
        f.refused(
            &["rewrite", SLUG, "--contingent", "xyz", "--file", &new, "--key", key],
            &["may not rewrite \"port-blockade\" into the edition contingents/xyz in the name of xyz", hint],
        );
    }
    f.refused(&["rewrite", SLUG, "--contingent", "xyz", "--file", &new], &["an unsigned commit may not rewrite", hint]);
    let j = f.t(&["rewrite", SLUG, "--contingent", "xyz", "--file", &new, "--key", &f.xena, "--json"]).ok().json();
    let r = f.verify_commit(j["commit"].as_str().unwrap());
    assert!(r.stderr.contains("Good \"git\" signature for xena@example.org"), "{}", r.stderr);
    let v = f.t(&["versions", SLUG, "--json"]).ok().quiet().json();
    let standing: Vec<(&str, &str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["places"][0].as_str().unwrap(), e["standing"].as_str().unwrap(), e["signer"].as_str().unwrap()))
        .collect();
    assert_eq!(standing, [("trunk", "verified", "ann"), ("contingents/xyz", "verified", "xena")]);
    assert!(f.t(&["versions", SLUG]).ok().stdout.lines().next().unwrap().contains("STANDING"));
    // Bringing xyz's edition up to the trunk is xyz's act too.
    let p2 = f.file("p2.md", &port("abc").replace("stopped", "stopped work"));
    f.t(&["contribute", &p2, "--slug", SLUG, "--update", "--key", &f.ann]).ok();
    f.refused(
        &["update", "--contingent", "xyz", "--key", &f.ann],
        &["ann (a member of abc) may not update the edition contingents/xyz in the name of xyz", hint],
    );
    let j = f.t(&["update", "--contingent", "xyz", "--key", &f.xena, "--json"]).ok().json();
    assert_eq!(j["how"], "merge");
    let r = f.verify_commit("contingents/xyz");
    assert!(r.stderr.contains("Good \"git\" signature for xena@example.org"), "{}", r.stderr);
    f.env.fsck(&f.c);
}

#[test]
fn replying_to_a_challenge_as_abc_needs_a_member_of_abc_and_only_then_it_is_answered() {
    let f = founded();
    f.refused(
        &["challenge", "--from", "abc", "--to", "xyz", "-m", "Who paid?", "--key", &f.xena],
        &[
            "xena (a member of xyz) may not challenge xyz in the name of abc",
            "hint: sign with the key of a member of abc (--key FILE): ann",
        ],
    );
    let id = f
        .t(&["challenge", "--from", "xyz", "--to", "abc", "-m", "Why no names?", "--key", &f.xena, "--quiet"])
        .ok()
        .stdout;
    let id = id.trim();
    let r = f.verify_commit("main");
    assert!(r.stderr.contains("Good \"git\" signature for xena@example.org"), "{}", r.stderr);
    let hint = "hint: sign with the key of a member of abc (--key FILE): ann";
    f.refused(
        &["reply", id, "--as", "abc", "-m", "We protect them."],
        &["an unsigned commit may not reply to the challenge", hint],
    );
    f.refused(
        &["reply", id, "--as", "abc", "-m", "We protect them.", "--key", &f.eve],
        &["the signing key belongs to no member of the roster", hint],
    );
    f.refused(
        &["reply", id, "--as", "abc", "-m", "We protect them.", "--key", &f.xena],
        &[&format!("xena (a member of xyz) may not reply to the challenge {id} in the name of abc"), hint],
    );
    let status = |f: &Founded| f.t(&["challenges", "--json"]).ok().json()[0]["status"].as_str().unwrap().to_string();
    assert_eq!(status(&f), "open");
    f.t(&["reply", id, "--as", "abc", "-m", "We protect them.", "--key", &f.ann]).ok();
    assert_eq!(status(&f), "answered");
    let r = f.verify_commit("main");
    assert!(r.stderr.contains("Good \"git\" signature for ann@example.org"), "{}", r.stderr);
    f.env.fsck(&f.c);
}

#[test]
fn a_shared_filter_belongs_to_whoever_made_it_and_only_their_contingent_replaces_it() {
    let f = founded();
    let add =
        |name: &str, more: &[&str]| add_filter(&f.env, &f.c, name, &["ann"], "1", &[&["--shared"][..], more].concat());
    let before = state(&f.env, &f.c);
    add("front", &[]).fails(1, "an unsigned commit may not share the filter \"front\": in a founded commons a shared filter belongs to the member who signs it");
    assert_eq!(state(&f.env, &f.c), before);
    add("front", &["--key", &f.ann]).ok();
    let text = f.env.git(&["-C", &f.c, "show", "main:filters/front.toml"]).ok().stdout;
    assert!(text.contains("[owner]\ncontingent = \"abc\"\nmember = \"ann\"\n"), "{text}");
    let r = f.verify_commit("main");
    assert!(r.stderr.contains("Good \"git\" signature for ann@example.org"), "{}", r.stderr);
    let listed = f.t(&["filter", "list", "--json"]).ok().json();
    assert_eq!(listed[0]["owner"], serde_json::json!({"member": "ann", "contingent": "abc"}));
    assert!(f.t(&["filter", "list"]).ok().stdout.contains("ann (abc)"));
    // xena (xyz) may neither replace nor remove it.
    let before = state(&f.env, &f.c);
    add("front", &["--key", &f.xena])
        .fails(1, "xena (a member of xyz) may not replace the shared filter \"front\": it belongs to ann (abc)");
    f.refused(
        &["filter", "remove", "front", "--shared", "--key", &f.xena],
        &[
            "xena (a member of xyz) may not remove the shared filter \"front\": it belongs to ann (abc)",
            "hint: only ann or a member of abc may remove it",
        ],
    );
    assert_eq!(state(&f.env, &f.c), before);
    // xena shares her own under another name; ann replaces and removes hers.
    add("xyz-front", &["--key", &f.xena]).ok();
    add("front", &["--key", &f.ann, "--verified-only"]).ok();
    f.t(&["filter", "remove", "front", "--shared", "--key", &f.ann]).ok();
    f.env.fsck(&f.c);
}

#[test]
fn an_unfounded_commons_signs_when_given_a_key_and_only_warns_about_someone_elses_filter() {
    let mut env = Env::new();
    let c = env.commons();
    let (eve, _) = keypair(&env, "eve");
    // Anyone may contribute as anyone, as before; a key signs the commit.
    let p = env.write("p.md", port("xyz"));
    env.tribune(&["-C", &c, "contribute", &p, "--slug", SLUG]).ok();
    let p2 = env.write("p2.md", port("xyz").replace("stopped", "stopped work"));
    env.tribune(&["-C", &c, "contribute", &p2, "--slug", SLUG, "--update", "--key", &eve]).ok();
    assert!(env
        .git(&["-C", &c, "cat-file", "commit", "main"])
        .ok()
        .stdout
        .contains("gpgsig -----BEGIN SSH SIGNATURE-----"));
    let log = env.tribune(&["-C", &c, "log", SLUG, "--json"]).ok().quiet().json();
    let standing: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["standing"].as_str().unwrap()).collect();
    // eve's key is nobody's in the roster: signed, but not by a member of xyz.
    assert_eq!(standing, ["unauthorised", "unsigned"]);
    // alice (by git's email) shares a filter: she owns it; another replacing it is warned.
    env.vars.push(("GIT_AUTHOR_EMAIL".into(), "alice@example.org".into()));
    add_filter(&env, &c, "front", &["alice"], "1", &["--shared"]).ok().quiet();
    env.vars.clear();
    let text = env.git(&["-C", &c, "show", "main:filters/front.toml"]).ok().stdout;
    assert!(text.contains("[owner]\ncontingent = \"abc\"\nmember = \"alice\"\n"), "{text}");
    let r = add_filter(&env, &c, "front", &["alice"], "2", &["--shared"]).ok();
    assert!(r.stderr.contains("warning: the shared filter front belongs to alice (abc)"), "{}", r.stderr);
    let r = env.tribune(&["-C", &c, "filter", "remove", "front", "--shared"]).ok();
    assert!(r.stderr.is_empty(), "the replacement has no owner to warn about: {}", r.stderr);
    env.fsck(&c);
}

#[test]
fn log_shows_plain_git_forgeries_for_what_they_are_and_a_past_members_acts_stay_verified() {
    let f = founded();
    let p = f.file("p.md", &port("abc"));
    f.t(&["contribute", &p, "--slug", SLUG, "--key", &f.ann]).ok();
    let path = text_path(SLUG);
    // An unsigned edit, then one signed by eve, both with plain git.
    let (w, _) = edit_with_git(&f.env, &f.c, &path, "plain edit", |t| t.replace("stopped", "stopped work"));
    std::fs::write(format!("{w}/{path}"), port("abc").replace("stopped", "walked out")).unwrap();
    f.env.git(&["-C", &w, "add", "-A"]).ok();
    let signing = format!("user.signingkey={}", f.eve);
    f.env.git(&["-C", &w, "-c", "gpg.format=ssh", "-c", &signing, "commit", "-q", "-S", "-m", "eve's edit"]).ok();
    f.env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let standing = |f: &Founded| -> Vec<(String, Option<String>)> {
        f.t(&["log", SLUG, "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["standing"].as_str().unwrap().to_string(), e["signer"].as_str().map(String::from)))
            .collect()
    };
    assert_eq!(
        standing(&f),
        [
            ("unauthorised".to_string(), None),
            ("unsigned".to_string(), None),
            ("verified".to_string(), Some("ann".into()))
        ]
    );
    // bob, admitted to abc by ann, updates the article and is then removed: what he signed
    // while a member stays verified (judged by the roster at the commit's parent).
    let (bob, bob_pub) = keypair(&f.env, "bob");
    let pubfile = f.env.write("bob.pub", &bob_pub);
    f.t(&member_args(["bob", "abc", "Bob", "bob@example.org"], &["--key-file", &pubfile, "--key", &f.ann])).ok();
    let p2 = f.file("p2.md", &port("abc").replace("stopped", "struck"));
    f.t(&["contribute", &p2, "--slug", SLUG, "--update", "--key", &bob]).ok();
    f.t(&["roster", "remove-member", "bob", "--key", &f.ann]).ok();
    assert_eq!(standing(&f)[0], ("verified".to_string(), Some("bob".into())));
}

#[test]
fn a_key_that_is_not_a_key_or_a_fifo_is_refused_clearly_and_writes_nothing() {
    let f = founded();
    let p = f.file("p.md", &port("abc"));
    let not_a_key = f.file("not-a-key", "hello\n");
    let fifo = f.env.path("fifo").to_string_lossy().into_owned();
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    f.t(&["contribute", &p, "--slug", SLUG, "--key", &f.ann]).ok();
    f.t(&["challenge", "--from", "abc", "--to", "xyz", "-m", "Why?", "--key", &f.ann]).ok();
    let id = f.t(&["challenges", "--json"]).ok().json()[0]["id"].as_str().unwrap().to_string();
    let new = f.file("new.md", &port("abc").replace("Dockers stopped.", "Dockers stopped the port."));
    for (key, says) in [(not_a_key.as_str(), "is not an OpenSSH key"), (fifo.as_str(), "is not a regular file")] {
        for args in [
            vec!["contribute", &p, "--slug", "other", "--key", key],
            vec!["rewrite", SLUG, "--contingent", "abc", "--file", &new, "--key", key],
            vec!["update", "--contingent", "abc", "--key", key],
            vec!["challenge", "--from", "abc", "--to", "xyz", "-m", "Again?", "--key", key],
            vec!["reply", &id, "--as", "xyz", "-m", "No.", "--key", key],
            vec![
                "filter",
                "add",
                "f",
                "--trust",
                "ann",
                "--dimension",
                "politics",
                "--min-score",
                "1",
                "--shared",
                "--key",
                key,
            ],
            vec!["filter", "remove", "f", "--shared", "--key", key],
        ] {
            f.refused(&args, &[says, "hint: give an OpenSSH private key file"]);
        }
    }
}

/// `versions` judges the trunk's text by the commit that last set it, as `log --limit 1`
/// does, though it remembers that commit between calls (`.git/tribune/setters/`): a later
/// plain-git edit, a trunk moved on by other articles, and a trunk rewound to before the edit
/// are each seen.
#[test]
fn the_trunks_standing_follows_the_commit_that_last_set_the_text() {
    let f = founded();
    let p = f.file("p.md", &port("abc"));
    f.t(&["contribute", &p, "--slug", SLUG, "--key", &f.ann]).ok();
    let standing = || -> ((String, String), (String, String)) {
        let pick = |e: &serde_json::Value| {
            (e["standing"].as_str().unwrap().to_string(), e["signer"].as_str().unwrap_or("-").to_string())
        };
        let v = f.t(&["versions", SLUG, "--json"]).ok().quiet().json();
        let l = f.t(&["log", SLUG, "--limit", "1", "--json"]).ok().json();
        (pick(&v[0]), pick(&l[0]))
    };
    let verified = ("verified".to_string(), "ann".to_string());
    assert_eq!(standing(), (verified.clone(), verified.clone()));
    let memo = format!("{}/tribune/setters/{SLUG}", f.c);
    let first = std::fs::read_to_string(&memo).unwrap();
    assert!(first.starts_with(&rev(&f.env, &f.c, "main")), "{first}");
    // The trunk moves on by another article: the remembered commit still set the text.
    let o = f.file("o.md", &article("Other", "abc", "", "Other.\n"));
    f.t(&["contribute", &o, "--slug", "other", "--key", &f.ann]).ok();
    assert_eq!(standing(), (verified.clone(), verified.clone()));
    let before_edit = rev(&f.env, &f.c, "main");
    // An unsigned plain-git edit of the text: the walk since the remembered tip finds it.
    let (w, _) = edit_with_git(&f.env, &f.c, &text_path(SLUG), "edit", |t| t.replace("stopped", "halted"));
    std::fs::remove_dir_all(w).unwrap();
    let unsigned = ("unsigned".to_string(), "-".to_string());
    assert_eq!(standing(), (unsigned.clone(), unsigned));
    // The trunk rewound to before the edit: the remembered tip is not on its line any more.
    f.env.git(&["-C", &f.c, "update-ref", "refs/heads/main", &before_edit]).ok();
    assert_eq!(standing(), (verified.clone(), verified));
    assert!(std::fs::read_to_string(&memo).unwrap().contains(&before_edit));
}

/// `export` of a version that its contingent did not sign (a commit on xyz's edition made
/// with plain git by anyone) says so: the credits would name xyz as its maker.
#[test]
fn export_warns_when_the_version_is_not_its_contingents_signed_act() {
    let f = founded();
    let p = f.file("p.md", &port("abc"));
    f.t(&["contribute", &p, "--slug", SLUG, "--key", &f.ann]).ok();
    let new = f.file("new.md", &port("abc").replace("Dockers stopped.", "Dockers stopped the port."));
    f.t(&["rewrite", SLUG, "--contingent", "xyz", "--file", &new, "--key", &f.xena]).ok();
    let at = format!("{SLUG}@xyz");
    let r = f.t(&["export", &at, "--as", "abc"]).ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let w = f.env.clone_of(&f.c, "w");
    f.env.git(&["-C", &w, "checkout", "-q", "contingents/xyz"]).ok();
    let path = format!("{w}/{}", text_path(SLUG));
    let forged = std::fs::read_to_string(&path).unwrap().replace("the port", "nothing at all");
    std::fs::write(&path, forged).unwrap();
    commit_and_push(&f.env, &w, "contingents/xyz", "rewrite: forged");
    let r = f.t(&["export", &at, "--as", "abc"]).ok();
    let want = format!("warning: this version of {SLUG} (contingents/xyz) is unsigned: nothing shows that");
    assert!(r.stderr.contains(&want), "{}", r.stderr);
    assert!(r.stdout.contains("nothing at all"), "{}", r.stdout);
}
