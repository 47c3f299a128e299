//! The demo builds a complete commons, and every command of its tour works.

use crate::harness::*;

/// `tribune demo DIR` in a new sandbox; returns (env, DIR, what it printed).
fn demo() -> (Env, String, Run) {
    let env = Env::new();
    let d = env.path("demo").to_string_lossy().into_owned();
    let r = env.tribune(&["demo", &d]).ok();
    (env, d, r)
}

#[test]
fn the_demo_builds_a_commons_whose_tour_commands_all_work() {
    let (env, dir, r) = demo();
    let d = dir.as_str();
    assert!(r.stdout.contains("3 contingents, 7 members, 14 articles"), "{}", r.stdout);
    env.fsck(d);
    let roster = env.tribune(&["-C", d, "roster", "--json"]).ok().json();
    assert!(roster["contingents"].as_array().unwrap().len() >= 3);
    assert!(roster["members"].as_array().unwrap().len() >= 6);
    let list = env.tribune(&["-C", d, "list", "--json"]).ok().json();
    assert!(list.as_array().unwrap().len() >= 12);
    // Run every `tribune -C DIR …` line of the tour.
    let mut ran = 0;
    for line in r.stdout.lines() {
        let Some(rest) = line.trim().strip_prefix(&format!("tribune -C {d} ")) else {
            continue;
        };
        let words: Vec<&str> = rest.split("  ").next().unwrap().split_whitespace().collect();
        let mut args = vec!["-C", d];
        args.extend(words);
        let out = env.tribune(&args);
        assert_eq!(out.code, 0, "tour command failed: {line}\n{}", out.stderr);
        assert!(!out.stdout.trim().is_empty(), "tour command printed nothing: {line}");
        ran += 1;
    }
    assert!(ran >= 4, "the tour names too few commands");
    // The demo built its public site, and the tour names the front page to open.
    let front = format!("{d}/tribune/site/index.html");
    assert!(r.stdout.lines().any(|l| l.trim() == front), "{}", r.stdout);
    assert!(std::fs::read_to_string(&front).unwrap().contains("channels/rfc/shop-floor/index.html"));
    // Rival versions: three articles rewritten by two contingents, one rewrite stale.
    let mut rewritten = 0;
    let mut statuses = Vec::new();
    for row in list.as_array().unwrap() {
        if row["versions"].as_u64().unwrap() > 1 {
            rewritten += 1;
            let slug = row["slug"].as_str().unwrap();
            let v = env.tribune(&["-C", d, "versions", slug, "--json"]).ok().json();
            for version in v.as_array().unwrap() {
                statuses.push(version["status"].as_str().unwrap().to_string());
            }
        }
    }
    assert!(rewritten >= 3, "only {rewritten} articles have rival versions");
    assert!(statuses.iter().any(|s| s == "stale"), "{statuses:?}");
    assert!(statuses.iter().filter(|s| *s == "current").count() >= 2, "{statuses:?}");
    // Ratings: two filters that show different front pages.
    assert!(r.stdout.contains("80 ratings by 4 raters"), "{}", r.stdout);
    let page = |f: &str| -> Vec<String> {
        let v = env.tribune(&["-C", d, "list", "--filter", f, "--json"]).ok().json();
        v.as_array().unwrap().iter().map(|r| r["slug"].as_str().unwrap().to_string()).collect()
    };
    let (left, right) = (page("left-front"), page("right-front"));
    assert!(!left.is_empty() && !right.is_empty(), "{left:?} {right:?}");
    assert_ne!(left, right);
    // Joint statements: one approved (a changed vote, a forged ballot excluded), one open.
    let list = env.tribune(&["-C", d, "statements", "--json"]).ok().json();
    let status: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["open", "approved"], "{list}");
    let approved = "solidarity-with-the-tenants-of-400-willowmere";
    let t = env.tribune(&["-C", d, "tally", approved, "--json"]).ok().json();
    assert_eq!(
        (t["counts"]["yes"].as_u64(), t["counts"]["no"].as_u64(), t["counts"]["abstain"].as_u64()),
        (Some(4), Some(1), Some(1))
    );
    let ballots = t["ballots"].as_array().unwrap();
    let excluded: Vec<&serde_json::Value> = ballots.iter().filter(|b| b["status"] == "excluded").collect();
    assert_eq!(excluded.len(), 1, "{t}");
    assert_eq!(excluded[0]["reason"], "signed with jmunoz's key, not sfarouk's");
    assert!(
        ballots.iter().any(|b| b["member"] == "mbrennan" && b["status"] == "superseded" && b["choice"] == "no"),
        "{t}"
    );
    let signers = format!("gpg.ssh.allowedSignersFile={d}/tribune/allowed-signers");
    let g = env.git(&["-C", d, "-c", &signers, "tag", "-v", &format!("statements/{approved}")]);
    assert_eq!(g.code, 0, "{}", g.stderr);
    assert!(g.stderr.contains("Good \"git\" signature for rlopez@"), "{}", g.stderr);
}

#[test]
fn the_demo_is_reproducible() {
    let env = Env::new();
    env.tribune(&["demo", env.path("a").to_str().unwrap()]).ok();
    env.tribune(&["demo", env.path("b").to_str().unwrap()]).ok();
    let a = env.git(&["-C", env.path("a").to_str().unwrap(), "rev-parse", "main"]).ok().stdout;
    let b = env.git(&["-C", env.path("b").to_str().unwrap(), "rev-parse", "main"]).ok().stdout;
    assert_eq!(a, b);
}

#[test]
fn the_demo_without_a_directory_uses_a_fresh_temporary_one() {
    let env = Env::new();
    let mut vars = Env::new();
    vars.vars.push(("TMPDIR".into(), env.path("").to_string_lossy().into_owned()));
    let r = vars.tribune(&["demo"]).ok();
    let first = r.stdout.lines().next().unwrap();
    let path = first.strip_prefix("Built a demo commons in ").expect(first);
    assert!(path.contains("tribune-demo-"), "{path}");
    assert!(std::path::Path::new(path).join("HEAD").exists());
    std::fs::remove_dir_all(path).unwrap();
}

#[test]
fn the_demo_refuses_a_directory_that_is_not_empty() {
    let env = Env::new();
    env.write("full/x", "x");
    env.tribune(&["demo", env.path("full").to_str().unwrap()]).fails(1, "not empty");
}

#[test]
fn the_demo_has_credited_articles_an_uncredited_copy_and_challenges_answered_and_not() {
    let (env, dir, r) = demo();
    let d = dir.as_str();
    assert!(
        r.stdout.contains("2 credited articles") && r.stdout.contains("3 public challenges (2 answered)"),
        "{}",
        r.stdout
    );
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["-C", d];
        all.extend(args);
        serde_json::from_str(&env.tribune(&all).ok().stdout).unwrap()
    };
    let credits = json(&["credits", "willowmere-what-the-rent-strike-teaches-every-worker", "--json"]);
    assert_eq!(credits["original"]["contingent"]["id"], "ctw", "{credits:#}");
    let by: Vec<&str> = credits["modified_by"].as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    assert_eq!(by, ["rfc", "redline"]);
    assert_eq!(credits["quotes"][0]["slug"], "inquiry-opens-into-forklift-death-at-kessel-freight-yard");
    let check = json(&["credit-check", "--json"]);
    let findings = check["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{check:#}");
    assert_eq!(findings[0]["copy"]["slug"], "eastgate-families-hold-vigil-for-yard-safety");
    assert_eq!(findings[0]["source"]["slug"], "inquiry-opens-into-forklift-death-at-kessel-freight-yard");
    let acc = json(&["accountability", "--json"]);
    let row = |id: &str| acc.as_array().unwrap().iter().find(|r| r["contingent"] == id).unwrap().clone();
    assert_eq!(row("ctw")["unanswered"], 1);
    assert_eq!(row("rfc")["answered"], 1);
    assert_eq!(row("rfc")["median_seconds"], 5 * 3600, "the amendment keeps the first answer's time");
    assert_eq!(row("redline")["median_seconds"], 3 * 3600);
    env.fsck(d);
}

/// Issue 11's acceptance: the demo is founded, every act in it is signed by a member the
/// roster authorises, and the members' own ratings show as verified.
#[test]
fn the_demo_is_founded_signed_throughout_and_its_audit_is_clean() {
    let (env, d, _) = demo();
    let audit = env.tribune(&["-C", &d, "audit", "--json"]).ok().json();
    let root = rev(&env, &d, "main~0");
    assert!(audit["root"].is_string(), "{audit:#}");
    assert_eq!(audit["tip"].as_str(), Some(root.as_str()));
    assert_eq!(audit["findings"].as_array().unwrap().len(), 0, "{audit:#}");
    // Every trunk commit is signed, and plain git says so with tribune's allowed signers.
    let signers = env.write("signers", env.tribune(&["-C", &d, "allowed-signers"]).ok().stdout);
    let commits = env.git(&["-C", &d, "rev-list", "main"]).ok().stdout;
    let mut checked = 0;
    for c in commits.lines() {
        let r = git_with_signers(&env, &d, &signers, &["verify-commit", c]);
        assert!(r.stderr.contains("Good \"git\" signature"), "{c} is not signed by a member: {}", r.stderr);
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
    // The members' ratings are verified, none forged.
    let list = env.tribune(&["-C", &d, "list", "--json"]).ok().json();
    let mut members_ratings = 0;
    for a in list.as_array().unwrap() {
        for (_, standing) in ratings_standing(&env, &d, a["slug"].as_str().unwrap()) {
            assert_ne!(standing, "forged");
            members_ratings += usize::from(standing == "verified");
        }
    }
    assert!(members_ratings > 5, "{members_ratings}");
}

/// On an 80-column terminal the tour's prose is fitted, but each command stays whole on a
/// line of its own (what it shows is a `#` line above it), so that it can be copied.
#[test]
fn the_demo_tour_keeps_each_command_whole_on_a_narrow_terminal() {
    let env = Env::new();
    let (on, off) = (env.path("demo-a"), env.path("demo-b"));
    let (on, off) = (on.to_str().unwrap(), off.to_str().unwrap());
    let r = on_terminal(&env, 80, "", &["--color", "never", "demo", on]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let piped = env.tribune(&["demo", off]).ok().stdout.replace(off, on);
    let commands = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.rsplit("\x1b[2K").next().unwrap().trim())
            .filter(|l| l.starts_with("tribune -C ") || l.starts_with("git -C "))
            .map(str::to_string)
            .collect()
    };
    let (shown, whole) = (commands(&r.stdout), commands(&piped));
    assert!(whole.len() >= 20, "{piped}");
    assert_eq!(shown, whole, "a tour command broken on the terminal:\n{}", r.stdout);
    // Only the commands may be wider than the terminal.
    for line in r.stdout.lines().map(|l| l.rsplit("\x1b[2K").next().unwrap()) {
        let command = line.trim_start().starts_with("tribune -C ") || line.trim_start().starts_with("git -C ");
        assert!(line.chars().count() <= 80 || command, "a line past 80 columns:\n{}", r.stdout);
    }
}
