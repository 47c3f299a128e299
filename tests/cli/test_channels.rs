//! Channels (issue 13): a contingent's signed, ordered selection of pinned versions, each
//! its own ref that plain git reads; picks that survive the trunk moving on and `git gc`;
//! refusals before anything is written; parallel pickers; sync and the hub's hook.

use crate::harness::*;

const SLUG: &str = "port-blockade";

/// A commons with abc, xyz, alice, the article port-blockade (abc) and the channel abc/news.
pub fn with_channel(env: &Env) -> String {
    let c = env.commons_with_article(SLUG);
    env.tribune(&["-C", &c, "channel", "add", "news", "--title", "Shop floor news", "--as", "abc"]).ok();
    c
}

pub const REF: &str = "refs/tribune/channels/abc/news";

#[test]
fn a_channel_is_its_own_ref_whose_files_plain_git_reads() {
    let env = Env::new();
    let c = with_channel(&env);
    env.contribute(&c, "rent-strike", &article("Rent strike", "xyz", "", "Tenants withhold.\n")).ok();
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    let r = env.tribune(&["-C", &c, "channel", "pick", "news", "rent-strike", "--at", "1"]).ok();
    assert!(r.stdout.contains("at place 1"), "{}", r.stdout);
    let show = env.tribune(&["-C", &c, "channel", "show", "news", "--json"]).ok().json();
    let slugs: Vec<&str> = show["picks"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["rent-strike", SLUG]);
    assert_eq!(show["owner"], "abc");
    assert_eq!(show["title"], "Shop floor news");
    // Plain git: the settings, the picks and each pinned text, by version id.
    let toml = env.git(&["-C", &c, "show", &format!("{REF}:channel.toml")]).ok().stdout;
    assert!(toml.contains("owner = \"abc\""), "{toml}");
    let version = rev(&env, &c, &format!("main:{}", text_path(SLUG)));
    let pin = format!("{REF}:pins/{}/{version}/index.md", &version[..2]);
    assert_eq!(rev(&env, &c, &pin), version);
    let log = env.git(&["-C", &c, "log", "--format=%s%n%b", REF]).ok().stdout;
    assert!(log.contains("Tribune-Action: channel") && log.contains("Tribune-Channel: abc/news"), "{log}");
    let list = env.tribune(&["-C", &c, "channel", "list", "--json"]).ok().json();
    assert_eq!(list[0]["id"], "abc/news");
    assert_eq!(list[0]["picks"], 2);
    // Unpicking takes it out of the picks, in order.
    env.tribune(&["-C", &c, "channel", "unpick", "abc/news", "rent-strike"]).ok();
    let show = env.tribune(&["-C", &c, "channel", "show", "news", "--json"]).ok().json();
    assert_eq!(show["picks"].as_array().unwrap().len(), 1);
    env.fsck(&c);
}

#[test]
fn a_pinned_text_survives_a_trunk_update_and_gc() {
    let env = Env::new();
    let c = with_channel(&env);
    let old = rev(&env, &c, &format!("main:{}", text_path(SLUG)));
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "Issue one"]).ok();
    let f = env.write("new.md", article("Port blockade", "abc", "", "Dockers stopped, then won.\n"));
    env.tribune(&["-C", &c, "contribute", &f, "--slug", SLUG, "--update"]).ok();
    assert_ne!(rev(&env, &c, &format!("main:{}", text_path(SLUG))), old);
    env.git(&["-C", &c, "reflog", "expire", "--expire=now", "--all"]).ok();
    env.git(&["-C", &c, "gc", "-q", "--prune=now"]).ok();
    let text = env.git(&["-C", &c, "cat-file", "-p", &old]).ok().stdout;
    assert!(text.contains("Dockers stopped.") && !text.contains("won"), "{text}");
    let md = env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "md"]).ok().stdout;
    assert!(md.contains("Dockers stopped.") && !md.contains("then won"), "{md}");
    env.fsck(&c);
}

#[test]
fn a_closed_channel_keeps_its_editions_and_takes_no_more_picks() {
    let env = Env::new();
    let c = with_channel(&env);
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "One"]).ok();
    env.tribune(&["-C", &c, "channel", "remove", "news"]).ok();
    let show = env.tribune(&["-C", &c, "channel", "show", "news", "--json"]).ok().json();
    assert!(show["closed_at"].is_string(), "{show:#}");
    refused(&env, &c, &["-C", &c, "channel", "pick", "news", SLUG], 1, &["the channel abc/news is closed"]);
    env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "md"]).ok();
}

#[test]
fn bad_input_is_refused_with_a_clear_message_and_writes_nothing() {
    let env = Env::new();
    let c = with_channel(&env);
    let t = |args: &[&str], needle: &str| {
        refused(&env, &c, &[&["-C", c.as_str()][..], args].concat(), 1, &[needle]);
    };
    t(&["channel", "pick", "nope", SLUG], "there is no channel \"nope\"");
    t(&["channel", "show", "nope"], "there is no channel \"nope\"");
    t(&["channel", "pick", "news", "no-such-article"], "there is no article \"no-such-article\"");
    t(&["channel", "pick", "news", &format!("{SLUG}@deadbeef")], "no version of \"port-blockade\" starts with");
    t(&["channel", "add", "news", "--title", "Again", "--as", "abc"], "the channel abc/news exists already");
    t(&["channel", "add", "News", "--title", "X", "--as", "abc"], "upper-case letters are not allowed");
    t(&["channel", "add", "a..b", "--title", "X", "--as", "abc"], "could make it a path");
    t(&["channel", "add", "other", "--title", "X", "--as", "nobody"], "there is no contingent \"nobody\"");
    t(&["channel", "add", "other", "--title", "Bad\u{202e}title", "--as", "abc"], "U+202E");
    t(&["channel", "unpick", "news", SLUG], "has no pick \"port-blockade\"");
    t(&["edition", "new", "news", "--title", "Empty"], "the edition would have no articles");
    t(&["edition", "export", "news", "1"], "abc/news has no edition 1");
}

#[test]
fn a_bare_name_used_by_two_contingents_must_be_named_with_its_contingent() {
    let env = Env::new();
    let c = with_channel(&env);
    env.tribune(&["-C", &c, "channel", "add", "news", "--title", "XYZ news", "--as", "xyz"]).ok();
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "show", "news"],
        1,
        &["2 channels are named \"news\"", "abc/news, xyz/news"],
    );
    let show = env.tribune(&["-C", &c, "channel", "show", "xyz/news", "--json"]).ok().json();
    assert_eq!(show["title"], "XYZ news");
}

#[test]
fn two_pickers_at_once_both_land() {
    let env = Env::new();
    let c = with_channel(&env);
    let slugs: Vec<String> = (0..6).map(|i| format!("story-{i}")).collect();
    for s in &slugs {
        env.contribute(&c, s, &article(&format!("Story {s}"), "abc", "", "Text.\n")).ok();
    }
    let gate = Gate::new(&env, "go");
    let children = slugs.iter().map(|s| env.spawn_behind(&gate, &["-C", &c, "channel", "pick", "news", s])).collect();
    for r in gate.open(children) {
        r.ok();
    }
    let show = env.tribune(&["-C", &c, "channel", "show", "news", "--json"]).ok().json();
    let mut got: Vec<String> =
        show["picks"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap().to_string()).collect();
    got.sort();
    assert_eq!(got, slugs);
    env.fsck(&c);
}

/// A founded commons: abc (ann) and xyz (xena), founded by ann; the article port-blockade.
fn founded(env: &Env) -> (String, String, String) {
    let c = env.commons_with_article(SLUG);
    let (ann, ann_pub) = keypair(env, "ann");
    let (xena, xena_pub) = keypair(env, "xena");
    let w = env.clone_of(&c, "w");
    let member = |id: &str, cont: &str, key: &str| {
        format!("name = \"{id}\"\ncontingent = \"{cont}\"\nemail = \"{id}@example.org\"\nkeys = [\"{key}\"]\n")
    };
    std::fs::write(format!("{w}/roster/members/ann.toml"), member("ann", "abc", &ann_pub)).unwrap();
    std::fs::write(format!("{w}/roster/members/xena.toml"), member("xena", "xyz", &xena_pub)).unwrap();
    std::fs::remove_file(format!("{w}/roster/members/alice.toml")).unwrap();
    env.git(&["-C", &w, "add", "-A"]).ok();
    let signing = format!("user.signingkey={ann}");
    let msg = "found\n\nTribune-Founders: ann\n";
    env.git(&["-C", &w, "-c", "gpg.format=ssh", "-c", &signing, "commit", "-q", "-S", "-m", msg]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    (c, ann, xena)
}

#[test]
fn in_a_founded_commons_only_a_member_of_the_contingent_changes_its_channel_and_git_verifies_it() {
    let env = Env::new();
    let (c, ann, xena) = founded(&env);
    let t = |args: &[&str]| env.tribune(&[&["-C", c.as_str()][..], args].concat());
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "add", "news", "--title", "N", "--as", "abc"],
        1,
        &["unsigned commit may not make the channel abc/news"],
    );
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "add", "news", "--title", "N", "--as", "abc", "--key", &xena],
        1,
        &["only a member of abc may do that"],
    );
    // Without --as, the contingent of the member whose key signs.
    t(&["channel", "add", "news", "--title", "N", "--key", &ann]).ok();
    refused(&env, &c, &["-C", &c, "channel", "pick", "news", SLUG, "--key", &xena], 1, &["only a member of abc"]);
    t(&["channel", "pick", "news", SLUG, "--key", &ann]).ok();
    t(&["edition", "new", "news", "--title", "One", "--key", &ann]).ok();
    refused(
        &env,
        &c,
        &["-C", &c, "edition", "new", "news", "--title", "Two", "--key", &xena],
        1,
        &["only a member of abc"],
    );
    let allowed = env.write("allowed", t(&["allowed-signers"]).ok().stdout);
    for i in 0..3 {
        git_with_signers(&env, &c, &allowed, &["verify-commit", &format!("{REF}~{i}")]).ok();
    }
    let show = t(&["channel", "show", "news", "--json"]).ok();
    assert!(show.stderr.is_empty() && show.json().get("unverified").is_none(), "{}", show.stderr);
    // A commit xena put on the channel with plain git (as a hub without the hook would take
    // it) is shown for what it is, wherever the channel is read.
    let tip = rev(&env, &c, REF);
    let tree = rev(&env, &c, &format!("{REF}^{{tree}}"));
    let forged = signed_commit(&env, &c, &xena, &tree, &[&tip], "forged");
    env.git(&["-C", &c, "update-ref", REF, &forged]).ok();
    let show = t(&["channel", "show", "news", "--json"]).ok();
    let warning = format!("commit {} of the channel abc/news (forged) is unauthorised, signed by xena", &forged[..10]);
    assert!(show.stderr.contains(&warning), "{}", show.stderr);
    assert_eq!(show.json()["unverified"][0]["commit"], forged.as_str());
    let export = t(&["edition", "export", "news", "1", "--format", "md"]).ok();
    assert!(export.stderr.contains(&warning), "{}", export.stderr);
    env.fsck(&c);
}

#[test]
fn sync_carries_a_channel_and_its_edition_between_clones_and_reports_two_clones_editing_one() {
    let env = Env::new();
    let hub = with_channel(&env);
    let a = env.path("a").to_string_lossy().into_owned();
    let b = env.path("b").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &a]).ok();
    env.tribune(&["clone", &hub, &b]).ok();
    env.tribune(&["-C", &a, "channel", "pick", "news", SLUG]).ok();
    env.tribune(&["-C", &a, "edition", "new", "news", "--title", "One"]).ok();
    let r = env.tribune(&["-C", &a, "sync"]).ok();
    // What went out is said: the pick and the edition, two channel changes.
    assert!(r.stdout.contains("To origin: 2 channel changes"), "{}", r.stdout);
    assert_eq!(rev(&env, &hub, REF), rev(&env, &a, REF));
    env.tribune(&["-C", &b, "sync"]).ok();
    assert_eq!(rev(&env, &b, REF), rev(&env, &a, REF));
    let md = env.tribune(&["-C", &b, "edition", "export", "news", "1", "--format", "md"]).ok().stdout;
    assert!(md.contains("Dockers stopped."), "{md}");
    // Both make edition 2: the second to sync is told, and keeps its own.
    env.tribune(&["-C", &a, "edition", "new", "news", "--title", "Two from a"]).ok();
    env.tribune(&["-C", &b, "edition", "new", "news", "--title", "Two from b"]).ok();
    env.tribune(&["-C", &a, "sync"]).ok();
    let mine = rev(&env, &b, REF);
    let r = env.tribune(&["-C", &b, "sync"]);
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(said.contains(&format!("{REF}: the channel abc/news was changed on this clone")), "{said}");
    assert_eq!(r.code, 1, "{said}");
    assert_eq!(rev(&env, &b, REF), mine, "a diverged channel is left as it was");
    assert_ne!(rev(&env, &hub, REF), mine);
    // What it says to run takes the remote's, and the edition is made again on top.
    let cmd = said.split('`').find(|s| s.starts_with("git update-ref")).unwrap().to_string();
    let words: Vec<&str> = cmd.split_whitespace().collect();
    env.git(&[&["-C", b.as_str()][..], &words[1..]].concat()).ok();
    env.tribune(&["-C", &b, "edition", "new", "news", "--title", "Three from b"]).ok();
    env.tribune(&["-C", &b, "sync"]).ok();
    let list = env.tribune(&["-C", &hub, "edition", "list", "news", "--json"]).ok().json();
    let titles: Vec<&str> = list.as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["One", "Two from a", "Three from b"]);
    // One clone changes the picks while the other makes an edition: different files of the
    // channel's tree, so the sync merges them.
    env.tribune(&["-C", &a, "sync"]).ok();
    env.tribune(&["-C", &a, "channel", "unpick", "news", SLUG]).ok();
    env.tribune(&["-C", &b, "edition", "new", "news", "--title", "Four from b"]).ok();
    env.tribune(&["-C", &a, "sync"]).ok();
    let r = env.tribune(&["-C", &b, "sync"]).ok();
    assert!(r.stdout.contains("the changes to the channel abc/news made on this clone"), "{}", r.stdout);
    let show = env.tribune(&["-C", &hub, "channel", "show", "news", "--json"]).ok().json();
    assert_eq!(show["picks"].as_array().unwrap().len(), 0, "{show:#}");
    assert_eq!(show["editions"].as_array().unwrap().len(), 4, "{show:#}");
    let merge = env.git(&["-C", &hub, "log", "-1", "--format=%P%n%B", REF]).ok().stdout;
    assert_eq!(merge.lines().next().unwrap().split(' ').count(), 2, "{merge}");
    assert!(merge.contains("Tribune-Action: merge-channel"), "{merge}");
    env.fsck(&hub);
}

#[test]
fn the_hook_refuses_a_forged_channel_commit_a_deletion_and_a_rewrite() {
    let env = Env::new();
    let (hub, ann, xena) = founded(&env);
    env.tribune(&["-C", &hub, "channel", "add", "news", "--title", "N", "--key", &ann]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let w = env.path("pusher").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &w]).ok();
    // xena (xyz) adds a commit to abc's channel with plain git, signed with her own key.
    let tip = rev(&env, &w, REF);
    let tree = rev(&env, &w, &format!("{REF}^{{tree}}"));
    let forged = signed_commit(
        &env,
        &w,
        &xena,
        &tree,
        &[&tip],
        "forged\n\nTribune-Action: channel\nTribune-Channel: abc/news\n",
    );
    let r = env.git(&["-C", &w, "push", "origin", &format!("{forged}:{REF}")]);
    assert!(r.code != 0 && r.stderr.contains("refused refs/tribune/channels/abc/news"), "{}", r.stderr);
    assert!(r.stderr.contains("only a member of abc may change it"), "{}", r.stderr);
    let r = env.git(&["-C", &w, "push", "origin", &format!(":{REF}")]);
    assert!(r.code != 0 && r.stderr.contains("is never deleted"), "{}", r.stderr);
    // Even signed by a member, a tip whose files are not a channel's is refused.
    let empty = rev(&env, &w, "HEAD^{tree}");
    let signing = format!("user.signingkey={ann}");
    let junk = env
        .git(&["-C", &w, "-c", "gpg.format=ssh", "-c", &signing, "commit-tree", "-S", "-p", &tip, "-m", "junk", &empty])
        .ok()
        .stdout
        .trim()
        .to_string();
    let r = env.git(&["-C", &w, "push", "origin", &format!("{junk}:{REF}")]);
    assert!(r.code != 0 && r.stderr.contains("is not one tribune can read"), "{}", r.stderr);
    // ann's own commit passes.
    env.tribune(&["-C", &w, "channel", "pick", "news", SLUG, "--key", &ann]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", REF]).ok();
    // A rewrite back to the first commit is refused.
    let r = env.git(&["-C", &w, "push", "-f", "origin", &format!("{tip}:{REF}")]);
    assert!(r.code != 0 && r.stderr.contains("not a fast-forward"), "{}", r.stderr);
    // A channel ref of the wrong shape is refused.
    let r = env.git(&["-C", &w, "push", "origin", &format!("{tip}:refs/tribune/channels/abc/news/x")]);
    assert!(r.code != 0, "{}", r.stderr);
}

#[test]
fn in_a_founded_commons_sync_merges_a_channel_only_with_a_members_key_and_the_hub_takes_the_merge() {
    let env = Env::new();
    let (hub, ann, _xena) = founded(&env);
    env.tribune(&["-C", &hub, "channel", "add", "news", "--title", "N", "--key", &ann]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let clone = |name: &str| {
        let d = env.path(name).to_string_lossy().into_owned();
        env.tribune(&["clone", &hub, &d]).ok();
        d
    };
    let (a, b) = (clone("a"), clone("b"));
    // b has no member's key configured: it cannot merge, and says so.
    env.tribune(&["-C", &a, "channel", "pick", "news", SLUG, "--key", &ann]).ok();
    env.tribune(&["-C", &b, "edition", "new", "news", "--title", "One", "--pick", SLUG, "--key", &ann]).ok();
    env.tribune(&["-C", &a, "sync"]).ok();
    let mine = rev(&env, &b, REF);
    let r = env.tribune(&["-C", &b, "sync"]);
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(said.contains("git's signing key here is no member's of abc"), "{said}");
    assert_eq!(r.code, 1, "{said}");
    assert_eq!(rev(&env, &b, REF), mine);
    // With ann's key as git's signing key, the merge is signed and the hub takes it.
    env.git(&["-C", &b, "config", "gpg.format", "ssh"]).ok();
    env.git(&["-C", &b, "config", "user.signingkey", &ann]).ok();
    let r = env.tribune(&["-C", &b, "sync"]).ok();
    assert!(r.stdout.contains("were merged"), "{}", r.stdout);
    assert_eq!(rev(&env, &hub, REF), rev(&env, &b, REF));
    let show = env.tribune(&["-C", &hub, "channel", "show", "news", "--json"]).ok().json();
    assert_eq!((show["picks"].as_array().unwrap().len(), show["editions"].as_array().unwrap().len()), (1, 1));
    let allowed = env.write("allowed", env.tribune(&["-C", &hub, "allowed-signers"]).ok().stdout);
    git_with_signers(&env, &hub, &allowed, &["verify-commit", REF]).ok();
}

#[test]
fn sync_does_not_take_a_channel_whose_files_tribune_cannot_read() {
    let env = Env::new();
    let hub = with_channel(&env);
    let a = env.path("a").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &a]).ok();
    let mine = rev(&env, &a, REF);
    // Someone puts the trunk's tree on the hub's channel ref with plain git.
    let tree = rev(&env, &hub, "main^{tree}");
    let junk = env.git(&["-C", &hub, "commit-tree", "-p", &mine, "-m", "junk", &tree]).ok().stdout.trim().to_string();
    env.git(&["-C", &hub, "update-ref", REF, &junk]).ok();
    let r = env.tribune(&["-C", &a, "sync"]);
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(said.contains("not a channel tribune reads") && said.contains("has no channel.toml"), "{said}");
    assert_eq!(rev(&env, &a, REF), mine, "the unreadable channel is not taken");
    env.tribune(&["-C", &a, "channel", "show", "news"]).ok();
}

#[test]
fn without_as_a_channel_belongs_to_the_contingent_of_the_member_acting() {
    let mut env = Env::new();
    let c = env.commons_with_article(SLUG);
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "add", "news", "--title", "N"],
        1,
        &["no contingent to keep the channel", "--as CONTINGENT"],
    );
    // alice (abc) by git's email.
    env.vars = vec![("GIT_AUTHOR_EMAIL".into(), "alice@example.org".into())];
    env.tribune(&["-C", &c, "channel", "add", "news", "--title", "N"]).ok();
    assert_eq!(env.tribune(&["-C", &c, "channel", "show", "news", "--json"]).ok().json()["owner"], "abc");
}

/// A pinned text is its version: a channel whose pin holds another text (the words would go
/// out under the version's id and its authors' credit), or whose edition file disagrees
/// with its number, is refused when read, with what is wrong; sync does not take it.
#[test]
fn a_pin_or_an_edition_changed_with_plain_git_is_refused_when_read() {
    let env = Env::new();
    let c = with_channel(&env);
    env.tribune(&["-C", &c, "channel", "pick", "news", SLUG]).ok();
    env.tribune(&["-C", &c, "edition", "new", "news", "--title", "One"]).ok();
    let good = rev(&env, &c, REF);
    // Swap one file of the channel's tree with plain git: a new commit on the channel.
    let forge = |path: &str, text: &str| -> String {
        let w = env.path("w").to_string_lossy().into_owned();
        let _ = std::fs::remove_dir_all(&w);
        env.git(&["-C", &c, "worktree", "add", "-q", "--detach", &w, &good]).ok();
        write_files(&w, &[(path, Some(text))]);
        env.git(&["-C", &w, "add", "-A"]).ok();
        env.git(&["-C", &w, "commit", "-q", "-m", "forged\n\nTribune-Action: channel\nTribune-Channel: abc/news"]).ok();
        let forged = rev(&env, &w, "HEAD");
        env.git(&["-C", &c, "worktree", "remove", "--force", &w]).ok();
        env.git(&["-C", &c, "update-ref", REF, &forged]).ok();
        forged
    };
    let v = rev(&env, &c, &format!("main:{}", text_path(SLUG)));
    let pin = format!("pins/{}/{v}/index.md", &v[..2]);
    forge(&pin, &article("Port blockade", "abc", "", "The strike was a mistake, go back to work.\n"));
    env.tribune(&["-C", &c, "edition", "export", "news", "1", "--format", "md"])
        .fails(1, &format!("is not the version {v} it pins"));
    env.git(&["-C", &c, "update-ref", REF, &good]).ok();
    let one = env.git(&["-C", &c, "show", &format!("{REF}:editions/0001.toml")]).ok().stdout;
    forge("editions/0001.toml", &one.replace("number = 1", "number = 7"));
    env.tribune(&["-C", &c, "edition", "list", "news"])
        .fails(1, "holds edition 7: tribune names that file editions/0007.toml");
}

/// A pin is an article's directory as a branch held it, named with that article's slug. A
/// keeper who, with plain git, names another article's text with a slug, or puts other
/// files beside a pinned text, is refused by the hub's hook, and `sync` does not take it
/// from a hub without one. Picks of an older trunk text, of the trunk's text with its
/// attachment, and of an edition's rewrite pushed in the same push, all pass.
#[test]
fn a_pin_named_with_another_slug_or_given_other_files_is_refused_by_the_hook_and_sync() {
    let env = Env::new();
    let hub = with_channel(&env);
    env.contribute(&hub, "dock-news", &article("Dock news", "abc", "", "The dockers met.\n")).ok();
    env.contribute(&hub, "rent-strike", &article("Rent strike", "xyz", "", "Tenants withhold rent.\n")).ok();
    let older = rev(&env, &hub, &format!("main:{}", text_path(SLUG)));
    let f = env.write("update.md", article("Port blockade", "abc", "", "Dockers stopped, and won.\n"));
    env.tribune(&["-C", &hub, "contribute", &f, "--slug", SLUG, "--update"]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let a = env.path("a").to_string_lossy().into_owned();
    let b = env.path("b").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &a]).ok();
    env.tribune(&["clone", &hub, &b]).ok();

    // Honest picks: a text the trunk held before (pinned alone), the trunk's dock news with
    // a picture beside it, and xyz's rewrite of the rent strike, pushed with the pick.
    env.tribune(&["-C", &a, "channel", "pick", "news", &format!("{SLUG}@{}", &older[..10])]).ok();
    let photo = env.write("photo.jpg", b"\xff\xd8\xff not really a picture");
    let f = env.write("dock.md", article("Dock news", "abc", "", "The dockers met. ![](photo.jpg)\n"));
    env.tribune(&["-C", &a, "contribute", &f, "--slug", "dock-news", "--update", "--attach", &photo]).ok();
    env.tribune(&["-C", &a, "channel", "pick", "news", "dock-news"]).ok();
    let f = env.write("rent.md", article("Rent strike", "xyz", "", "Tenants withhold rent, all of them.\n"));
    env.tribune(&["-C", &a, "rewrite", "rent-strike", "--contingent", "xyz", "--file", &f]).ok();
    env.tribune(&["-C", &a, "channel", "pick", "news", "rent-strike@xyz"]).ok();
    env.tribune(&["-C", &a, "sync"]).ok();
    let honest = rev(&env, &a, REF);
    assert_eq!(rev(&env, &hub, REF), honest, "the hub took the honest picks");
    env.tribune(&["-C", &b, "sync"]).ok();
    assert_eq!(rev(&env, &b, REF), honest);

    // The same channel changed with plain git on a, as a new commit on its ref.
    let forge = |edit: &dyn Fn(&str)| -> String {
        let w = env.path("w").to_string_lossy().into_owned();
        let _ = std::fs::remove_dir_all(&w);
        env.git(&["-C", &a, "worktree", "add", "-q", "--detach", &w, &honest]).ok();
        edit(&w);
        env.git(&["-C", &w, "add", "-A"]).ok();
        env.git(&["-C", &w, "commit", "-q", "-m", "forged\n\nTribune-Action: channel\nTribune-Channel: abc/news"]).ok();
        let forged = rev(&env, &w, "HEAD");
        env.git(&["-C", &a, "worktree", "remove", "--force", &w]).ok();
        forged
    };
    let dock = rev(&env, &a, &format!("main:{}", text_path("dock-news")));
    // dock news's text, named as the port blockade (a text the trunk never held there).
    let relabelled = forge(&|w| {
        // The port blockade's own pick out, dock news's renamed.
        let picks = std::fs::read_to_string(format!("{w}/picks.toml")).unwrap();
        let picks: Vec<&str> = picks.split("[[pick]]").filter(|p| !p.contains(&format!("slug = \"{SLUG}\""))).collect();
        let picks = picks.join("[[pick]]").replace("slug = \"dock-news\"", &format!("slug = \"{SLUG}\""));
        std::fs::write(format!("{w}/picks.toml"), picks).unwrap();
    });
    // dock news with another picture beside it.
    let pictured = forge(&|w| {
        std::fs::write(format!("{w}/pins/{}/{dock}/photo.jpg", &dock[..2]), "another picture").unwrap();
    });
    for (forged, needle) in [
        (
            &relabelled,
            format!("the pin of {SLUG} (pins/{}/{}…) is no version of that article: no commit of the trunk or an edition had that article's directory with exactly these files (index.md, photo.jpg)", &dock[..2], &dock[..10]),
        ),
        (
            &pictured,
            "the pin of dock-news (pins/".to_string() + &dock[..2] + "/" + &dock[..10] + "…) is no version of that article: no commit of the trunk or an edition had that article's directory with exactly these files (index.md, photo.jpg)",
        ),
    ] {
        let r = env.git(&["-C", &a, "push", "origin", &format!("{forged}:{REF}")]);
        assert!(r.code != 0 && r.stderr.contains("refused refs/tribune/channels/abc/news"), "{}", r.stderr);
        assert!(r.stderr.contains(&needle), "stderr lacks {needle:?}:\n{}", r.stderr);
        assert_eq!(rev(&env, &hub, REF), honest);
        // A hub without the hook takes it (a fetch on the hub itself); b's sync does not.
        env.git(&["-C", &a, "update-ref", "refs/forged", forged]).ok();
        env.git(&["-C", &hub, "fetch", "-q", &a, &format!("+refs/forged:{REF}")]).ok();
        let r = env.tribune(&["-C", &b, "sync"]);
        let said = format!("{}{}", r.stdout, r.stderr);
        assert!(said.contains("it was not taken, and the rest of the sync went ahead") && said.contains(&needle), "{said}");
        assert_eq!(rev(&env, &b, REF), honest, "b keeps the honest channel");
        env.git(&["-C", &hub, "update-ref", REF, &honest]).ok();
    }
    env.tribune(&["-C", &b, "channel", "show", "news"]).ok();
    env.fsck(&b);
    // xyz rewrites the rent strike again, and the trunk moves on: a new clone takes the
    // channel whole, every pin found in a history (the edition's, the trunk's).
    let f = env.write("rent2.md", article("Rent strike", "xyz", "", "Tenants won.\n"));
    env.tribune(&["-C", &b, "rewrite", "rent-strike", "--contingent", "xyz", "--file", &f]).ok();
    let f = env.write("dock2.md", article("Dock news", "abc", "", "The dockers met again.\n"));
    env.tribune(&["-C", &b, "contribute", &f, "--slug", "dock-news", "--update"]).ok();
    env.tribune(&["-C", &b, "sync"]).ok();
    let c = env.path("c2").to_string_lossy().into_owned();
    let r = env.tribune(&["clone", &hub, &c]).ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert_eq!(rev(&env, &c, REF), honest, "the new clone took the channel");
}

/// A pin made on one clone is found through sync's merges, whose first parent is the other
/// side: a pick then an edit of the trunk text while another clone pushed (the trunk
/// merged), and a pick of an edition's rewrite then another rewrite while another clone
/// rewrote another article of it (the edition merged). The hook takes the channel, and a
/// new clone too. (Looking along first parents only, both were refused for good.)
#[test]
fn a_pin_made_before_a_sync_merged_its_branch_is_still_found() {
    let env = Env::new();
    let hub = with_channel(&env);
    env.contribute(&hub, "dock-news", &article("Dock news", "abc", "", "The dockers met.\n")).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let (c1, c2) = (env.path("c1").to_string_lossy().into_owned(), env.path("c2").to_string_lossy().into_owned());
    env.tribune(&["clone", &hub, &c1]).ok();
    let f = env.write("dock0.md", article("Dock news", "abc", "", "The dockers met, edition.\n"));
    env.tribune(&["-C", &c1, "rewrite", "dock-news", "--contingent", "abc", "--file", &f]).ok();
    env.tribune(&["-C", &c1, "sync"]).ok();
    env.tribune(&["clone", &hub, &c2]).ok();
    let update = |c: &str, n: u32| {
        let f = env.write(&format!("v{n}.md"), article("Port blockade", "abc", "", &format!("Version {n}.\n")));
        env.tribune(&["-C", c, "contribute", &f, "--slug", SLUG, "--update"]).ok();
    };
    let rewrite = |c: &str, slug: &str, n: u32| {
        let f = env.write(&format!("r{n}.md"), article("Rewritten", "abc", "", &format!("Rewrite {n}.\n")));
        env.tribune(&["-C", c, "rewrite", slug, "--contingent", "abc", "--file", &f]).ok();
    };
    // c1 picks the trunk's text, then changes it; c2 contributes meanwhile: the trunks merge.
    update(&c1, 1);
    env.tribune(&["-C", &c1, "channel", "pick", "news", SLUG]).ok();
    update(&c1, 2);
    env.contribute(&c2, "rent-strike", &article("Rent strike", "xyz", "", "Tenants withhold rent.\n")).ok();
    env.tribune(&["-C", &c2, "sync"]).ok();
    env.tribune(&["-C", &c1, "sync"]).ok();
    assert_eq!(rev(&env, &hub, REF), rev(&env, &c1, REF), "the hub took the channel");
    // c1 picks abc's rewrite, then rewrites again; c2 rewrites dock news: the editions merge.
    rewrite(&c1, SLUG, 3);
    env.tribune(&["-C", &c1, "channel", "pick", "news", &format!("{SLUG}@abc")]).ok();
    rewrite(&c1, SLUG, 4);
    env.tribune(&["-C", &c1, "sync"]).ok();
    env.tribune(&["-C", &c2, "sync"]).ok();
    rewrite(&c2, "dock-news", 5);
    env.tribune(&["-C", &c2, "sync"]).ok();
    let c3 = env.path("c3").to_string_lossy().into_owned();
    let r = env.tribune(&["clone", &hub, &c3]).ok();
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert_eq!(rev(&env, &c3, REF), rev(&env, &hub, REF), "a new clone takes the channel");
}

/// A pin is looked for only on branches sync takes: a remote trunk it refuses (no
/// tribune.toml) is no source, though git has moved the remote-tracking ref to it. An
/// outsider pushes, to a hub without the hook, such a trunk holding dock news's text as the
/// port blockade's, and a channel commit pinning it so: sync takes neither.
#[test]
fn a_pin_found_only_on_a_refused_trunk_is_not_taken() {
    let env = Env::new();
    let hub = with_channel(&env);
    env.contribute(&hub, "dock-news", &article("Dock news", "abc", "", "The dockers met.\n")).ok();
    let b = env.path("b").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &b]).ok();
    let honest = rev(&env, &b, REF);
    let w = env.clone_of(&hub, "w");
    let dock = rev(&env, &w, &format!("HEAD:{}", text_path("dock-news")));
    // The trunk: tribune.toml gone, dock news's text at the port blockade's place.
    std::fs::remove_file(format!("{w}/tribune.toml")).unwrap();
    let text = env.git(&["-C", &w, "cat-file", "blob", &dock]).ok().stdout;
    std::fs::write(format!("{w}/{}", text_path(SLUG)), text).unwrap();
    env.git(&["-C", &w, "commit", "-q", "-a", "-m", "vandal"]).ok();
    // The channel: a pick of that text as the port blockade, pinned alone.
    env.git(&["-C", &w, "fetch", "-q", "origin", &format!("{REF}:refs/ch")]).ok();
    let wt = env.path("wt").to_string_lossy().into_owned();
    env.git(&["-C", &w, "worktree", "add", "-q", "--detach", &wt, "refs/ch"]).ok();
    let pick = format!(
        "[[pick]]\nslug = \"{SLUG}\"\nversion = \"{dock}\"\nfrom = \"trunk\"\nby = \"X <x@example.org>\"\nat = \"2026-11-27T08:00:00Z\"\n"
    );
    std::fs::write(format!("{wt}/picks.toml"), pick).unwrap();
    let pin = format!("{wt}/pins/{}/{dock}", &dock[..2]);
    std::fs::create_dir_all(&pin).unwrap();
    std::fs::write(format!("{pin}/index.md"), env.git(&["-C", &w, "cat-file", "blob", &dock]).ok().stdout).unwrap();
    env.git(&["-C", &wt, "add", "-A"]).ok();
    env.git(&["-C", &wt, "commit", "-q", "-m", "pick\n\nTribune-Action: channel\nTribune-Channel: abc/news"]).ok();
    let forged = rev(&env, &wt, "HEAD");
    env.git(&["-C", &w, "push", "-q", "origin", "HEAD:main", &format!("{forged}:{REF}")]).ok();

    let r = env.tribune(&["-C", &b, "sync"]).ok();
    assert!(r.stderr.contains("not a commons tribune reads"), "{}", r.stderr);
    assert!(r.stderr.contains(&format!("the pin of {SLUG}")), "{}", r.stderr);
    assert_eq!(rev(&env, &b, REF), honest, "the forged channel is not taken");
}
