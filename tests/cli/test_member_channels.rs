//! Member channels (issue 13): a member's own channels, `@<member>/<channel>`, at
//! refs/tribune/member-channels/<member>/<channel>, in the same format as a contingent's;
//! written, in a founded commons, only by that member (the commands, the hook and sync judge
//! it alike); editions signed with the member's name; on the site beside the contingents'.

use crate::harness::*;
use std::path::Path;

const SLUG: &str = "port-blockade";
const REF: &str = "refs/tribune/member-channels/alice/mine";

/// A commons with abc, xyz, alice (abc, by git's email), the article port-blockade and
/// alice's own channel @alice/mine.
fn with_member_channel(env: &mut Env) -> String {
    let c = env.commons_with_article(SLUG);
    env.vars = vec![("GIT_AUTHOR_EMAIL".into(), "alice@example.org".into())];
    let r = env.tribune(&["-C", &c, "channel", "add", "mine", "--member", "--title", "Alice's picks"]).ok();
    assert!(r.stdout.contains("Made the channel @alice/mine") && r.stdout.contains(REF), "{}", r.stdout);
    c
}

#[test]
fn a_member_keeps_a_channel_of_their_own_picks_from_it_and_exports_its_editions_in_their_name() {
    let mut env = Env::new();
    let c = with_member_channel(&mut env);
    // A contingent's channel of the same name beside it.
    env.tribune(&["-C", &c, "channel", "add", "mine", "--title", "ABC's", "--as", "abc"]).ok();
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "show", "mine"],
        1,
        &["2 channels are named \"mine\"", "abc/mine, @alice/mine"],
    );
    env.tribune(&["-C", &c, "channel", "pick", "@alice/mine", SLUG]).ok();
    let show = env.tribune(&["-C", &c, "channel", "show", "@alice/mine", "--json"]).ok().json();
    assert_eq!(
        (show["id"].as_str(), show["owner"].as_str(), show["member"].as_bool()),
        (Some("@alice/mine"), Some("alice"), Some(true))
    );
    assert_eq!(show["picks"][0]["slug"], SLUG);
    let text = env.tribune(&["-C", &c, "channel", "show", "@alice/mine"]).ok().stdout;
    assert!(text.contains("kept by the member alice"), "{text}");
    // `channel list` shows both kinds.
    let list = env.tribune(&["-C", &c, "channel", "list", "--json"]).ok().json();
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["abc/mine", "@alice/mine"]);
    let table = env.tribune(&["-C", &c, "channel", "list"]).ok().stdout;
    assert!(table.contains("@alice/mine") && table.contains("abc/mine"), "{table}");
    // Plain git reads it: its own ref, the member named in channel.toml, the trailers.
    let toml = env.git(&["-C", &c, "show", &format!("{REF}:channel.toml")]).ok().stdout;
    assert!(toml.contains("owner = \"alice\"") && toml.contains("member = true"), "{toml}");
    let log = env.git(&["-C", &c, "log", "--format=%B", REF]).ok().stdout;
    assert!(log.contains("Tribune-Channel: @alice/mine"), "{log}");
    // An edition, exported: signed by the member, not the contingent.
    let made = env.tribune(&["-C", &c, "edition", "new", "@alice/mine", "--title", "First"]).ok().stdout;
    assert!(made.contains("Made edition 1 of @alice/mine"), "{made}");
    let md = env.tribune(&["-C", &c, "edition", "export", "@alice/mine", "1", "--format", "md"]).ok().stdout;
    assert!(md.contains("Alice, of the ABC Collective contingent of Mass Organization XYZ"), "{md}");
    assert!(md.contains("Dockers stopped."), "{md}");
    let html = env.tribune(&["-C", &c, "edition", "export", "@alice/mine", "1"]).ok().stdout;
    assert!(html.contains("Alice, of the ABC Collective contingent"), "{html}");
    let json = env.tribune(&["-C", &c, "edition", "export", "@alice/mine", "1", "--json"]).ok().json();
    assert_eq!(json["kept_by"]["member"], "alice");
    // The contingent's channel still signs as the contingent.
    env.tribune(&["-C", &c, "channel", "pick", "abc/mine", SLUG]).ok();
    env.tribune(&["-C", &c, "edition", "new", "abc/mine", "--title", "One"]).ok();
    let md = env.tribune(&["-C", &c, "edition", "export", "abc/mine", "1", "--format", "md"]).ok().stdout;
    assert!(md.contains("The ABC Collective contingent of Mass Organization XYZ"), "{md}");
    env.fsck(&c);
}

#[test]
fn bad_member_channel_input_is_refused_and_writes_nothing() {
    let mut env = Env::new();
    let c = with_member_channel(&mut env);
    let t = |args: &[&str], needle: &str| {
        refused(&env, &c, &[&["-C", c.as_str()][..], args].concat(), 1, &[needle]);
    };
    t(&["channel", "add", "mine", "--member", "--title", "Again"], "the channel @alice/mine exists already");
    t(&["channel", "add", "x", "--member", "nobody", "--title", "X"], "the roster has no member \"nobody\"");
    t(&["channel", "add", "x", "--member", "Bad/Name", "--title", "X"], "--member");
    t(&["channel", "show", "@nobody/mine"], "there is no channel \"@nobody/mine\"");
    t(&["channel", "show", "@Bad/mine"], "upper-case letters are not allowed");
    t(&["channel", "show", "@alice"], "a member's channel is named @MEMBER/NAME: @alice/mine");
    env.tribune(&["-C", &c, "channel", "add", "x", "--member", "--as", "abc", "--title", "X"])
        .fails(2, "cannot be used with");
    // Without a member to keep it, it says how to name one.
    env.vars.clear();
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "add", "y", "--member", "--title", "Y"],
        1,
        &["no member to keep the channel"],
    );
}

/// A founded commons: abc (ann, bob) and xyz (xena), founded by ann; the article port-blockade.
fn founded(env: &Env) -> (String, [String; 3]) {
    let c = env.commons_with_article(SLUG);
    let keys = ["ann", "bob", "xena"].map(|n| keypair(env, n));
    let w = env.clone_of(&c, "w");
    let member = |id: &str, cont: &str, key: &str| {
        format!("name = \"{id}\"\ncontingent = \"{cont}\"\nemail = \"{id}@example.org\"\nkeys = [\"{key}\"]\n")
    };
    for ((id, cont), (_, public)) in [("ann", "abc"), ("bob", "abc"), ("xena", "xyz")].iter().zip(&keys) {
        std::fs::write(format!("{w}/roster/members/{id}.toml"), member(id, cont, public)).unwrap();
    }
    std::fs::remove_file(format!("{w}/roster/members/alice.toml")).unwrap();
    env.git(&["-C", &w, "add", "-A"]).ok();
    let signing = format!("user.signingkey={}", keys[0].0);
    let msg = "found\n\nTribune-Founders: ann\n";
    env.git(&["-C", &w, "-c", "gpg.format=ssh", "-c", &signing, "commit", "-q", "-S", "-m", msg]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "main"]).ok();
    (c, keys.map(|k| k.0))
}

const ANNS: &str = "refs/tribune/member-channels/ann/own";

#[test]
fn in_a_founded_commons_only_the_member_changes_their_channel_not_even_their_contingent() {
    let env = Env::new();
    let (c, [ann, bob, xena]) = founded(&env);
    let t = |args: &[&str]| env.tribune(&[&["-C", c.as_str()][..], args].concat());
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "add", "own", "--member", "ann", "--title", "T"],
        1,
        &["may not make the channel @ann/own"],
    );
    refused(
        &env,
        &c,
        &["-C", &c, "channel", "add", "own", "--member", "ann", "--title", "T", "--key", &bob],
        1,
        &["bob (a member of abc) may not make the channel @ann/own: only ann signs their own channels"],
    );
    // With --member alone, the member whose key signs.
    let r = t(&["channel", "add", "own", "--member", "--title", "Ann's own", "--key", &ann]).ok();
    assert!(r.stdout.contains("@ann/own"), "{}", r.stdout);
    for k in [&bob, &xena] {
        refused(
            &env,
            &c,
            &["-C", &c, "channel", "pick", "own", SLUG, "--key", k],
            1,
            &["only ann signs their own channels"],
        );
        refused(
            &env,
            &c,
            &["-C", &c, "edition", "new", "own", "--title", "X", "--pick", SLUG, "--key", k],
            1,
            &["only ann"],
        );
    }
    t(&["channel", "pick", "own", SLUG, "--key", &ann]).ok();
    t(&["edition", "new", "own", "--title", "One", "--key", &ann]).ok();
    let allowed = env.write("allowed", t(&["allowed-signers"]).ok().stdout);
    for i in 0..3 {
        git_with_signers(&env, &c, &allowed, &["verify-commit", &format!("{ANNS}~{i}")]).ok();
    }
    let show = t(&["channel", "show", "own", "--json"]).ok();
    assert!(show.stderr.is_empty() && show.json().get("unverified").is_none(), "{}", show.stderr);
    let site = env.path("site");
    let s = site.to_string_lossy().into_owned();
    let page = site.join("channels/@ann/own/index.html");
    let built = t(&["site", "build", &s]).ok();
    assert!(page.is_file() && !built.stdout.contains("Left off"), "{}", built.stdout);
    let nav = "channels/@ann/own/index.html";
    assert!(std::fs::read_to_string(site.join("index.html")).unwrap().contains(nav));
    // bob's commit put there with plain git is not ann's act, wherever it is read.
    let tip = rev(&env, &c, ANNS);
    let tree = rev(&env, &c, &format!("{ANNS}^{{tree}}"));
    let forged = signed_commit(&env, &c, &bob, &tree, &[&tip], "forged");
    env.git(&["-C", &c, "update-ref", ANNS, &forged]).ok();
    let show = t(&["channel", "show", "own", "--json"]).ok();
    let warning = format!(
        "commit {} of the channel @ann/own (forged) is unauthorised, signed by bob: not an act of the member ann",
        &forged[..10]
    );
    assert!(show.stderr.contains(&warning), "{}", show.stderr);
    assert_eq!(show.json()["unverified"][0]["signer"], "bob");
    let md = t(&["edition", "export", "own", "1", "--format", "md"]).ok();
    assert!(
        md.stderr.contains(&warning) && md.stdout.contains("ann, of the ABC Collective contingent"),
        "{}",
        md.stdout
    );
    // Nor is it published in ann's name: the site leaves the channel off, and says so.
    let built = t(&["site", "build", &s]).ok();
    assert!(
        built
            .stdout
            .contains("Left off the site: the channel @ann/own, whose newest commit was not made by its keeper"),
        "{}",
        built.stdout
    );
    assert!(!page.exists());
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(!index.contains(nav), "the navigation still names it");
    // ann's next act, made on what she has, vouches for it again.
    t(&["channel", "unpick", "own", SLUG, "--key", &ann]).ok();
    let built = t(&["site", "build", &s]).ok();
    assert!(page.is_file() && !built.stdout.contains("Left off"), "{}", built.stdout);
}

#[test]
fn the_hook_refuses_a_member_channel_commit_forged_by_another_member_of_the_same_contingent() {
    let env = Env::new();
    let (hub, [ann, bob, _]) = founded(&env);
    env.tribune(&["-C", &hub, "channel", "add", "own", "--member", "--title", "T", "--key", &ann]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let w = env.path("pusher").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &w]).ok();
    assert_eq!(rev(&env, &w, ANNS), rev(&env, &hub, ANNS), "clone takes member channels");
    let tip = rev(&env, &w, ANNS);
    let tree = rev(&env, &w, &format!("{ANNS}^{{tree}}"));
    let forged =
        signed_commit(&env, &w, &bob, &tree, &[&tip], "forged\n\nTribune-Action: channel\nTribune-Channel: @ann/own\n");
    let r = env.git(&["-C", &w, "push", "origin", &format!("{forged}:{ANNS}")]);
    assert!(r.code != 0 && r.stderr.contains(&format!("refused {ANNS}")), "{}", r.stderr);
    assert!(r.stderr.contains("signed by bob: only ann may change their own channel"), "{}", r.stderr);
    assert_eq!(rev(&env, &hub, ANNS), tip);
    // ann's own signed commits, copied under another name (a closed channel brought back
    // with plain git), are no act on that channel.
    let r = env.git(&["-C", &w, "push", "origin", &format!("{tip}:refs/tribune/member-channels/ann/own-2")]);
    assert!(r.code != 0 && r.stderr.contains("was made for the channel @ann/own, not @ann/own-2"), "{}", r.stderr);
    // bob cannot make a channel in ann's name either.
    let made = signed_commit(&env, &w, &bob, &tree, &[], "mine\n");
    let r = env.git(&["-C", &w, "push", "origin", &format!("{made}:refs/tribune/member-channels/ann/other")]);
    assert!(r.code != 0 && r.stderr.contains("only ann may change"), "{}", r.stderr);
    let r = env.git(&["-C", &w, "push", "origin", &format!(":{ANNS}")]);
    assert!(r.code != 0 && r.stderr.contains("is never deleted"), "{}", r.stderr);
    // A contingent's channel files under a member's ref are not a member's channel.
    env.tribune(&["-C", &w, "channel", "add", "news", "--as", "abc", "--title", "N", "--key", &ann]).ok();
    let theirs = signed_commit(&env, &w, &ann, &rev(&env, &w, "refs/tribune/channels/abc/news^{tree}"), &[], "x\n");
    let r = env.git(&["-C", &w, "push", "origin", &format!("{theirs}:refs/tribune/member-channels/ann/news")]);
    assert!(r.code != 0 && r.stderr.contains("is not one tribune can read"), "{}", r.stderr);
    // A ref of the wrong shape is refused.
    let r = env.git(&["-C", &w, "push", "origin", &format!("{tip}:refs/tribune/member-channels/ann/own/x")]);
    assert!(r.code != 0, "{}", r.stderr);
    // ann's own commit passes.
    env.tribune(&["-C", &w, "channel", "pick", "@ann/own", SLUG, "--key", &ann]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", ANNS]).ok();
    assert_eq!(rev(&env, &hub, ANNS), rev(&env, &w, ANNS));
}

#[test]
fn in_a_founded_commons_only_the_members_key_merges_their_channel_and_the_hub_takes_the_merge() {
    let env = Env::new();
    let (hub, [ann, bob, _]) = founded(&env);
    env.tribune(&["-C", &hub, "channel", "add", "own", "--member", "--title", "T", "--key", &ann]).ok();
    env.tribune(&["hook", "install", &hub]).ok();
    let clone = |name: &str| {
        let d = env.path(name).to_string_lossy().into_owned();
        env.tribune(&["clone", &hub, &d]).ok();
        d
    };
    let (a, b) = (clone("a"), clone("b"));
    env.tribune(&["-C", &a, "channel", "pick", "own", SLUG, "--key", &ann]).ok();
    env.tribune(&["-C", &b, "edition", "new", "own", "--title", "One", "--pick", SLUG, "--key", &ann]).ok();
    env.tribune(&["-C", &a, "sync"]).ok();
    // bob's key (of ann's contingent) configured on b does not make the merge.
    env.git(&["-C", &b, "config", "gpg.format", "ssh"]).ok();
    env.git(&["-C", &b, "config", "user.signingkey", &bob]).ok();
    let mine = rev(&env, &b, ANNS);
    let r = env.tribune(&["-C", &b, "sync"]);
    let said = format!("{}{}", r.stdout, r.stderr);
    assert!(said.contains("merging it is an act of the member ann, and git's signing key here is not ann's"), "{said}");
    assert_eq!((r.code, rev(&env, &b, ANNS)), (1, mine), "{said}");
    env.git(&["-C", &b, "config", "user.signingkey", &ann]).ok();
    let r = env.tribune(&["-C", &b, "sync"]).ok();
    assert!(r.stdout.contains("were merged"), "{}", r.stdout);
    assert_eq!(rev(&env, &hub, ANNS), rev(&env, &b, ANNS));
    let allowed = env.write("allowed", env.tribune(&["-C", &hub, "allowed-signers"]).ok().stdout);
    git_with_signers(&env, &hub, &allowed, &["verify-commit", ANNS]).ok();
}

#[test]
fn sync_carries_and_merges_a_member_channel_between_two_clones() {
    let mut env = Env::new();
    let hub = with_member_channel(&mut env);
    let a = env.path("a").to_string_lossy().into_owned();
    let b = env.path("b").to_string_lossy().into_owned();
    env.tribune(&["clone", &hub, &a]).ok();
    env.tribune(&["clone", &hub, &b]).ok();
    env.tribune(&["-C", &a, "channel", "pick", "@alice/mine", SLUG]).ok();
    env.tribune(&["-C", &a, "edition", "new", "@alice/mine", "--title", "One"]).ok();
    let r = env.tribune(&["-C", &a, "sync"]).ok();
    assert!(r.stdout.contains("To origin: 2 channel changes"), "{}", r.stdout);
    assert_eq!(rev(&env, &hub, REF), rev(&env, &a, REF));
    env.tribune(&["-C", &b, "sync"]).ok();
    assert_eq!(rev(&env, &b, REF), rev(&env, &a, REF));
    // A pick on one clone and an edition on the other merge.
    env.tribune(&["-C", &a, "channel", "unpick", "mine", SLUG]).ok();
    env.tribune(&["-C", &b, "edition", "new", "mine", "--title", "Two"]).ok();
    env.tribune(&["-C", &a, "sync"]).ok();
    let r = env.tribune(&["-C", &b, "sync"]).ok();
    assert!(r.stdout.contains("the changes to the channel @alice/mine made on this clone"), "{}", r.stdout);
    let show = env.tribune(&["-C", &hub, "channel", "show", "@alice/mine", "--json"]).ok().json();
    assert_eq!((show["picks"].as_array().unwrap().len(), show["editions"].as_array().unwrap().len()), (0, 2));
    let merge = env.git(&["-C", &hub, "log", "-1", "--format=%B", REF]).ok().stdout;
    assert!(
        merge.contains("Tribune-Action: merge-channel") && merge.contains("Tribune-Channel: @alice/mine"),
        "{merge}"
    );
    env.fsck(&hub);
}

#[test]
fn the_site_has_a_page_and_a_feed_for_a_member_channel_and_a_hostile_ref_is_inert() {
    let mut env = Env::new();
    let c = with_member_channel(&mut env);
    env.tribune(&["-C", &c, "channel", "pick", "mine", SLUG]).ok();
    // A member whose name is markup keeps a channel: the name is text wherever it shows.
    let hostile = "<img src=x onerror=alert(1)>";
    env.tribune(&add_member_args(&c, ["eve", "abc", hostile, "eve@example.org"], &[])).ok();
    env.tribune(&["-C", &c, "channel", "add", "x", "--member", "eve", "--title", "<b>Eve's</b>"]).ok();
    // A ref under member-channels whose name is not an id is nobody's channel.
    let tip = rev(&env, &c, REF);
    env.git(&["-C", &c, "update-ref", "refs/tribune/member-channels/\"><b>x/y", &tip]).ok();
    let out = env.path("site");
    env.tribune(&["-C", &c, "site", "build", &out.to_string_lossy()]).ok();
    let pages = crate::test_site::crawl(&out);
    let page = &pages["channels/@alice/mine/index.html"];
    assert!(page.contains("<h1>Alice&#39;s picks (Alice)</h1>"), "{page}");
    // Its pick links the version pinned, on a page of its own, which links the article's.
    let (pinned, text) = pages.iter().find(|(p, _)| p.starts_with("channels/@alice/mine/v/")).expect("a pinned page");
    assert!(page.contains(&pinned["channels/@alice/mine/".len()..]), "{page}");
    assert!(text.contains("articles/port-blockade/index.html"), "{text}");
    assert!(pages.contains_key("channels/@alice/mine/feed.xml"));
    assert!(crate::test_site::check_feeds(&pages) >= 2);
    // Every page's navigation links it.
    assert!(pages["index.html"].contains("channels/@alice/mine/index.html"), "{}", pages["index.html"]);
    for (path, text) in &pages {
        assert!(!text.contains("<b>") && !path.contains('"'), "{path}");
    }
    assert!(!Path::new(&out).join("channels/@\"><b>x").exists());
    let eve = &pages["channels/@eve/x/index.html"];
    assert!(eve.contains("&lt;b&gt;Eve&#39;s&lt;/b&gt; (&lt;img src=x onerror=alert(1)&gt;)"), "{eve}");
    assert!(!eve.contains("<img src=x"), "{eve}");
}
