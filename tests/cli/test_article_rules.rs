//! Issue 11, item 4: in a founded commons an article belongs to the contingent its text
//! names. Changing or deleting it takes a commit signed by a member of that contingent, and
//! adding one a member of the contingent it names; a statement's text is fixed once
//! proposed. `audit` names every commit that breaks these, and nothing else.

use crate::harness::*;

/// A founded commons with two contingents: alice of abc and xavier of xyz, both with keys,
/// founded by a later commit signed by alice. Returns (env, c, alice's key, xavier's key).
pub fn founded_two() -> (Env, String, String, String) {
    let env = Env::new();
    let c = env.init();
    env.tribune(&["-C", &c, "roster", "add-contingent", "abc", "--name", "ABC Collective"]).ok();
    env.tribune(&["-C", &c, "roster", "add-contingent", "xyz", "--name", "XYZ Circle"]).ok();
    let (alice, alice_pub) = keypair(&env, "alice");
    let (xavier, xavier_pub) = keypair(&env, "xavier");
    add_keyed_member(&env, &c, "alice", "abc", &alice_pub).ok();
    add_keyed_member(&env, &c, "xavier", "xyz", &xavier_pub).ok();
    let tree = rev(&env, &c, "main^{tree}");
    let main = rev(&env, &c, "main");
    let root = signed_commit(&env, &c, &alice, &tree, &[&main], "found: the commons\n\nTribune-Founders: alice\n");
    env.git(&["-C", &c, "update-ref", "refs/heads/main", &root, &main]).ok();
    (env, c, alice, xavier)
}

/// In the clone `w`, writes (or, for None, deletes) `path` and commits it signed with `key`
/// (unsigned without one); pushes main unless `push` is false.
pub fn commit_file(env: &Env, w: &str, path: &str, text: Option<&str>, key: Option<&str>, message: &str) {
    write_files(w, &[(path, text)]);
    env.git(&["-C", w, "add", "-A"]).ok();
    let signing = key.map(|k| format!("user.signingkey={k}"));
    let mut args = vec!["-C", w, "-c", "gpg.format=ssh"];
    if let Some(s) = &signing {
        args.extend(["-c", s, "commit", "-q", "-S"]);
    } else {
        args.extend(["commit", "-q"]);
    }
    args.extend(["-m", message]);
    env.git(&args).ok();
}

fn findings(env: &Env, c: &str) -> Vec<serde_json::Value> {
    let r = env.tribune(&["-C", c, "audit", "--json"]);
    r.json()["findings"].as_array().unwrap().clone()
}

#[test]
fn articles_belong_to_the_contingent_their_text_names() {
    let (env, c, alice, xavier) = founded_two();
    let w = env.clone_of(&c, "w");
    let port = text_path("port-blockade");
    let dock = text_path("dock-strike");
    let body = article("Port blockade", "abc", "", "Dockers stopped.\n");
    // Honest: alice adds abc's article, and changes it; xavier adds xyz's.
    commit_file(&env, &w, &port, Some(&body), Some(&alice), "contribute: Port blockade");
    let mill = text_path("mill-closed");
    commit_file(&env, &w, &mill, Some(&article("Mill closed", "abc", "", "Shut.\n")), Some(&alice), "abc's too");
    commit_file(&env, &w, &port, Some(&body.replace("stopped", "stopped work")), Some(&alice), "update");
    commit_file(&env, &w, &dock, Some(&article("Dock strike", "xyz", "", "Out.\n")), Some(&xavier), "xyz's");
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    env.tribune(&["-C", &c, "audit"]).ok();
    // Xavier overwrites abc's article, deletes it, and adds one in abc's name; nobody signs one.
    commit_file(&env, &w, &port, Some(&body.replace("abc", "xyz")), Some(&xavier), "take it over");
    let over = rev(&env, &w, "HEAD");
    commit_file(&env, &w, &mill, None, Some(&xavier), "delete it");
    let deleted = rev(&env, &w, "HEAD");
    let fake = text_path("in-abcs-name");
    commit_file(&env, &w, &fake, Some(&article("In abc's name", "abc", "", "Not ours.\n")), Some(&xavier), "fake");
    let outsider = rev(&env, &w, "HEAD");
    commit_file(&env, &w, &dock, Some(&article("Dock strike", "xyz", "", "Changed.\n")), None, "unsigned");
    let unsigned = rev(&env, &w, "HEAD");
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let r = env.tribune(&["-C", &c, "audit"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let f = findings(&env, &c);
    let got: Vec<(&str, &str, &str, &str)> = f
        .iter()
        .map(|f| {
            (
                f["finding"].as_str().unwrap(),
                f["commit"].as_str().unwrap(),
                f["contingent"].as_str().unwrap(),
                f["signer"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("overwritten", over.as_str(), "abc", "xavier"),
            ("deleted", deleted.as_str(), "abc", "xavier"),
            ("by-outsider", outsider.as_str(), "abc", "xavier"),
            ("overwritten", unsigned.as_str(), "xyz", "-"),
        ]
    );
    let text = r.stdout;
    assert!(
        text.contains(&format!(
            "{}: deletes {mill}, an article of abc, signed by xavier: only a member of abc may delete it",
            &deleted[..10]
        )),
        "{text}"
    );
    assert!(text.contains("not signed by any member of the authorised roster: only a member of xyz may change it"));
}

#[test]
fn a_merge_takes_what_the_other_side_made_and_an_unfounded_commons_judges_no_article() {
    let (env, c, alice, xavier) = founded_two();
    let w = env.clone_of(&c, "w");
    let port = text_path("port-blockade");
    let dock = text_path("dock-strike");
    commit_file(&env, &w, &port, Some(&article("Port blockade", "abc", "", "A.\n")), Some(&alice), "abc's");
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    // Two sides: alice changes abc's article, xavier adds xyz's; an unsigned merge joins them.
    env.git(&["-C", &w, "checkout", "-q", "-b", "side"]).ok();
    commit_file(&env, &w, &dock, Some(&article("Dock strike", "xyz", "", "Out.\n")), Some(&xavier), "xyz's");
    env.git(&["-C", &w, "checkout", "-q", "main"]).ok();
    commit_file(&env, &w, &port, Some(&article("Port blockade", "abc", "", "B.\n")), Some(&alice), "update");
    env.git(&["-C", &w, "merge", "-q", "--no-edit", "side"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let r = env.tribune(&["-C", &c, "audit", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);

    // Unfounded, anyone changes any article: not the audit's business.
    let env = Env::new();
    let c = env.commons_with_article("port-blockade");
    let (w, _) = edit_with_git(&env, &c, &text_path("port-blockade"), "by anyone", |t| t.replace("abc", "xyz"));
    assert!(!w.is_empty());
    env.tribune(&["-C", &c, "audit"]).ok();
}

#[test]
fn a_statement_changed_or_removed_after_its_proposal_is_named_founded_or_not() {
    let env = Env::new();
    let c = env.commons();
    let file = env.write("s.md", "+++\ntitle = \"For the rent strike\"\n+++\nWe support the tenants.\n");
    env.tribune(&["-C", &c, "propose", &file, "--deadline", "2026-12-01T00:00:00Z"]).ok();
    env.tribune(&["-C", &c, "audit"]).ok();
    let path = "statements/for-the-rent-strike/index.md";
    let (w, _) = edit_with_git(&env, &c, path, "amend", |t| t.replace("support", "oppose"));
    let changed = rev(&env, &w, "HEAD");
    std::fs::remove_file(format!("{w}/{path}")).unwrap();
    commit_and_push(&env, &w, "main", "remove");
    let removed = rev(&env, &w, "HEAD");
    let r = env.tribune(&["-C", &c, "audit"]);
    assert_eq!(r.code, 1);
    for (commit, verb) in [(&changed, "changes"), (&removed, "removes")] {
        let line = format!(
            "{}: {verb} {path} after its proposal: a statement's text is fixed once it is proposed",
            &commit[..10]
        );
        assert!(r.stdout.contains(&line), "{line}\n{}", r.stdout);
    }
}

/// An orphan history (no commit in common with the trunk), unsigned, merged in as either
/// parent: the article of abc it overwrites and the statement it changes are named; the
/// orphan's root set those values, and nobody of abc signed it.
#[test]
fn an_orphan_merged_in_cannot_overwrite_an_article_or_a_statement() {
    for orphan_first in [false, true] {
        let (env, c, alice, _) = founded_two();
        let w = env.clone_of(&c, "w");
        let port = text_path("port-blockade");
        commit_file(
            &env,
            &w,
            &port,
            Some(&article("Port blockade", "abc", "", "Dockers stopped.\n")),
            Some(&alice),
            "add",
        );
        let statement = "statements/s/index.md";
        let text = "+++\ntitle = \"S\"\ndeadline = 2026-12-01T00:00:00Z\nthreshold = \"2/3\"\nbasis = \"cast\"\nquorum = \"1/2\"\n+++\nWe say so.\n";
        commit_file(&env, &w, statement, Some(text), Some(&alice), "propose: S\n\nTribune-Action: propose");
        env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
        assert!(findings(&env, &c).is_empty(), "{:#?}", findings(&env, &c));
        // The orphan: the trunk's files, the article and the statement changed, no parent.
        std::fs::write(format!("{w}/{port}"), article("Port blockade", "abc", "", "Nothing happened.\n")).unwrap();
        std::fs::write(format!("{w}/{statement}"), text.replace("We say so.", "We say the opposite.")).unwrap();
        env.git(&["-C", &w, "add", "-A"]).ok();
        let tree = env.git(&["-C", &w, "write-tree"]).ok().stdout.trim().to_string();
        let orphan = env.git(&["-C", &w, "commit-tree", &tree, "-m", "orphan"]).ok().stdout.trim().to_string();
        let head = rev(&env, &w, "HEAD");
        let parents = if orphan_first { [&orphan, &head] } else { [&head, &orphan] };
        let merge =
            env.git(&["-C", &w, "commit-tree", &tree, "-p", parents[0], "-p", parents[1], "-m", "merge"]).ok().stdout;
        env.git(&["-C", &w, "push", "-q", "origin", &format!("{}:main", merge.trim())]).ok();
        let kinds: Vec<(String, String)> = findings(&env, &c)
            .iter()
            .map(|f| (f["finding"].as_str().unwrap().to_string(), f["path"].as_str().unwrap_or("").to_string()))
            .collect();
        assert!(kinds.contains(&("overwritten".into(), port.clone())), "orphan first: {orphan_first}: {kinds:?}");
        assert!(
            kinds.contains(&("statement-changed".into(), statement.into())),
            "orphan first: {orphan_first}: {kinds:?}"
        );
    }
}

/// Challenges, replies and shared filters are acts in a contingent's name too: the audit
/// judges each one written with plain git as it judges an article (the attacks: a
/// reply "as abc" by a member of xyz, a challenge reworded by the other side, someone else's
/// shared filter replaced, one added unsigned in a contingent's name), and not tribune's own.
#[test]
fn challenges_replies_and_shared_filters_written_with_plain_git_are_judged() {
    let (env, c, alice, xavier) = founded_two();
    let t = |args: &[&str]| env.tribune(&[&["-C", c.as_str()][..], args].concat());
    t(&["challenge", "--from", "abc", "--to", "xyz", "-m", "Why no names?", "--key", &alice]).ok();
    let id = t(&["challenges", "--json"]).ok().json()[0]["id"].as_str().unwrap().to_string();
    t(&["reply", &id, "--as", "xyz", "-m", "Not yet.", "--key", &xavier]).ok();
    let shared = ["--dimension", "politics", "--min-score", "1", "--shared"];
    t(&[&["filter", "add", "abcs", "--trust", "alice"][..], &shared, &["--key", &alice]].concat()).ok();
    t(&["audit"]).ok();
    let w = env.clone_of(&c, "w");
    let dir = std::fs::read_dir(format!("{w}/challenges")).unwrap().next().unwrap().unwrap().file_name();
    let base = format!("challenges/{}/{id}", dir.to_string_lossy());
    let ours = format!("{base}/replies/abc.md");
    let reply = std::fs::read_to_string(format!("{w}/{base}/replies/xyz.md")).unwrap().replace("xyz", "abc");
    commit_file(&env, &w, &ours, Some(&reply), Some(&xavier), "reply as abc");
    let as_abc = rev(&env, &w, "HEAD");
    let question = format!("{base}/index.md");
    let reworded = std::fs::read_to_string(format!("{w}/{question}")).unwrap().replace("Why no names?", "Why lie?");
    commit_file(&env, &w, &question, Some(&reworded), Some(&xavier), "reword");
    let rewording = rev(&env, &w, "HEAD");
    let filter = std::fs::read_to_string(format!("{w}/filters/abcs.toml")).unwrap();
    assert!(filter.contains("[owner]"), "{filter}");
    commit_file(&env, &w, "filters/abcs.toml", Some(&filter.replace("alice", "xavier")), Some(&xavier), "mine");
    let taken = rev(&env, &w, "HEAD");
    commit_file(&env, &w, "filters/new.toml", Some(&filter.replace("abcs", "new")), None, "unsigned, as abc's");
    let unsigned = rev(&env, &w, "HEAD");
    // Xavier's own reply, amended by xavier: honest.
    let amended = std::fs::read_to_string(format!("{w}/{base}/replies/xyz.md")).unwrap().replace("Not yet.", "Soon.");
    commit_file(&env, &w, &format!("{base}/replies/xyz.md"), Some(&amended), Some(&xavier), "amend");
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let r = t(&["audit"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let got: Vec<(String, String, String, String, String)> = findings(&env, &c)
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("-").to_string();
            (s("finding"), s("what"), s("commit"), s("contingent"), s("signer"))
        })
        .collect();
    let row = |a: &str, b: &str, c: &str, d: &str, e: &str| (a.into(), b.into(), c.into(), d.into(), e.into());
    assert_eq!(
        got,
        [
            row("by-outsider", "reply", &as_abc, "abc", "xavier"),
            row("overwritten", "challenge", &rewording, "abc", "xavier"),
            row("overwritten", "filter", &taken, "abc", "xavier"),
            row("by-outsider", "filter", &unsigned, "abc", "-"),
        ]
    );
    for line in [
        format!("{}: adds {ours}, the reply of abc, signed by xavier: only a member of abc may add it", &as_abc[..10]),
        format!("{}: changes {question}, a challenge by abc, signed by xavier", &rewording[..10]),
        format!("{}: changes filters/abcs.toml, a shared filter of abc, signed by xavier", &taken[..10]),
    ] {
        assert!(r.stdout.contains(&line), "{line:?} missing:\n{}", r.stdout);
    }
}

/// A commit that breaks a rule, which a hub's keeper took off the hub's trunk, is not
/// published again by a clone that fetched it meanwhile: `sync` keeps the trunk back and
/// names the finding, until the commit is off the clone's trunk too.
#[test]
fn sync_does_not_publish_again_a_commit_that_breaks_the_rules() {
    let (env, c, alice, xavier) = founded_two();
    let t = env.path("t").to_string_lossy().into_owned();
    env.tribune(&["clone", &c, &t]).ok();
    let port = text_path("port-blockade");
    let w = env.clone_of(&c, "w");
    commit_file(&env, &w, &port, Some(&article("Port blockade", "abc", "", "Out.\n")), Some(&alice), "add");
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    let good = rev(&env, &c, "main");
    commit_file(&env, &w, &port, None, Some(&xavier), "delete abc's article");
    let bad = rev(&env, &w, "HEAD");
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    env.tribune(&["-C", &t, "sync"]).ok();
    assert_eq!(rev(&env, &t, "main"), bad);
    // The hub's keeper takes it off; the clone then contributes honestly.
    env.git(&["-C", &c, "update-ref", "refs/heads/main", &good, &bad]).ok();
    let mill = env.write("mill.md", article("Mill closed", "abc", "", "Shut.\n"));
    env.tribune(&["-C", &t, "contribute", &mill, "--key", &alice]).ok();
    let before = env.refs(&c);
    let r = env.tribune(&["-C", &t, "sync"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let line = format!(
        "NOT PUSHED refs/heads/main: 1 rule broken by commits origin does not have (`tribune -C {t} audit`):\n  {}: \
         deletes {port}, an article of abc, signed by xavier: only a member of abc may delete it",
        &bad[..10]
    );
    assert!(r.stdout.contains(&line), "{line:?} missing:\n{}", r.stdout);
    assert!(r.stderr.contains("the trunk was not pushed"), "{}", r.stderr);
    assert_eq!(env.refs(&c), before, "the hub's refs moved");
    let j = env.tribune(&["-C", &t, "sync", "--json"]).json();
    assert_eq!(j["unpushed_trunk"][0]["findings"][0]["commit"].as_str(), Some(bad.as_str()), "{j:#}");
    // Off the clone's trunk, the honest work goes out.
    env.git(&["-C", &t, "update-ref", "refs/heads/main", &good]).ok();
    env.tribune(&["-C", &t, "contribute", &mill, "--key", &alice]).ok();
    env.tribune(&["-C", &t, "sync"]).ok();
    assert_eq!(rev(&env, &c, "main"), rev(&env, &t, "main"));
    env.fsck(&c);
}

/// A gitlink (a submodule's commit) where a roster entry or an article would be is no file
/// of the commons: every command reads past it, as plain git's checkout does without the
/// submodule, instead of failing on "could not read blob" from then on.
#[test]
fn a_gitlink_under_the_roster_or_the_articles_breaks_nothing() {
    let (env, c, alice, _) = founded_two();
    let w = env.clone_of(&c, "w");
    let head = rev(&env, &w, "HEAD");
    for path in ["roster/members/zz.toml", "articles/zz/zz/evil/index.md"] {
        let info = format!("160000,{head},{path}");
        env.git(&["-C", &w, "update-index", "--add", "--cacheinfo", &info]).ok();
    }
    env.git(&["-C", &w, "commit", "-q", "-m", "gitlinks"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    env.tribune(&["-C", &c, "audit"]).ok();
    let roster = env.tribune(&["-C", &c, "roster", "--json"]).ok().stdout;
    // (Quoted: a key's base64 fingerprint may hold "zz" by chance.)
    assert!(!roster.contains("\"zz\""), "{roster}");
    env.tribune(&["-C", &c, "list"]).ok();
    let p = env.write("p.md", article("Port blockade", "abc", "", "Out.\n"));
    env.tribune(&["-C", &c, "contribute", &p, "--key", &alice]).ok();
    env.tribune(&["-C", &c, "audit"]).ok();
}
