//! One way to write a time in text output (`output::time`): RFC 3339 in UTC to the second,
//! `2026-11-25T17:42:55Z`, in tables and prose alike; and `tally` says whether voting
//! closes or closed by the deadline and the time now, approved or not.

use crate::harness::article;
use crate::vote_fixture::{setup, DEADLINE, LATE, SLUG};

/// An instant with seconds, so that a form that drops them shows.
const T: &str = "2026-11-25T17:42:55Z";

/// Every time-like run in `text` that is not written as `YYYY-MM-DDTHH:MM:SSZ`: a date
/// followed by a time in another form (`2026-11-25 17:42`, `…T17:42Z`, `… UTC`). A date
/// alone (a challenge's id, an article's day) is not a time.
fn other_forms(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let digits = |i: usize, n: usize| i + n <= b.len() && b[i..i + n].iter().all(u8::is_ascii_digit);
    let date = |i: usize| {
        digits(i, 4)
            && b.get(i + 4) == Some(&b'-')
            && digits(i + 5, 2)
            && b.get(i + 7) == Some(&b'-')
            && digits(i + 8, 2)
    };
    let mut bad = Vec::new();
    for i in 0..b.len() {
        if !date(i) {
            continue;
        }
        let rest = &text[i + 10..];
        let well = rest.len() >= 10 && {
            let r = rest.as_bytes();
            r[0] == b'T'
                && digits(i + 11, 2)
                && r[3] == b':'
                && digits(i + 14, 2)
                && r[6] == b':'
                && digits(i + 17, 2)
                && r[9] == b'Z'
        };
        let timeish = rest.starts_with('T') || (rest.starts_with(' ') && digits(i + 11, 2));
        if timeish && !well {
            bad.push(text[i..(i + 26).min(text.len())].to_string());
        }
    }
    if text.contains(" UTC") {
        bad.push("… UTC".to_string());
    }
    bad
}

#[test]
fn statements_tally_log_and_challenges_write_a_time_the_same_way() {
    let v = setup(2);
    let (env, c) = (&v.env, v.c.as_str());
    let file = env.write("times.md", "+++\ntitle = \"On time\"\n+++\nWe keep time.\n");
    env.tribune(&["-C", c, "propose", &file, "--slug", "on-time", "--deadline", T]).ok();
    // At T itself (the deadline, the last instant a ballot counts): an article, a challenge
    // and a ballot, each dated T.
    env.set_clock(T);
    env.freeze_clock();
    env.contribute(c, "port-blockade", &article("Port blockade", "abc", "", "Dockers stopped.\n")).ok();
    let ch = env.tribune(&["-C", c, "challenge", "--from", "xyz", "--to", "abc", "-m", "Which port?", "--json"]).ok();
    let id = ch.json()["id"].as_str().unwrap().to_string();
    env.tribune(&["-C", c, "vote", "on-time", "yes", "--as", "m1", "--key", v.key("m1")]).ok();

    // JSON keeps RFC 3339 in UTC, the same string.
    let j = env.tribune(&["-C", c, "statements", "--json"]).ok().json();
    assert!(j.as_array().unwrap().iter().any(|s| s["deadline"] == T), "{j:#}");
    assert_eq!(env.tribune(&["-C", c, "log", "port-blockade", "--json"]).ok().json()[0]["date"], T);

    for (args, line) in [
        (&["statements"][..], "on-time "),
        (&["tally", "on-time"], "m1 "),
        (&["tally", "on-time"], "Proposal "),
        (&["log", "port-blockade"], ""),
        (&["challenges", "--show", &id], "put "),
    ] {
        let mut full = vec!["-C", c];
        full.extend_from_slice(args);
        let out = env.tribune(&full).ok().stdout;
        let l = out.lines().find(|l| l.starts_with(line) && l.contains(T));
        assert!(l.is_some(), "{args:?}: no line starting {line:?} shows {T}:\n{out}");
        assert_eq!(other_forms(&out), Vec::<String>::new(), "{args:?}: a time written another way:\n{out}");
    }
}

#[test]
fn tally_says_voting_closes_before_the_deadline_and_closed_after_it_approved_or_not() {
    let v = setup(3);
    let (env, c) = (&v.env, v.c.as_str());
    let other = env.write("other.md", "+++\ntitle = \"Another\"\n+++\nNobody votes.\n");
    env.tribune(&["-C", c, "propose", &other, "--slug", "unvoted", "--deadline", DEADLINE]).ok();
    let tally = |slug: &str| env.tribune(&["-C", c, "tally", slug]).ok().stdout;
    let closes = format!("voting closes {DEADLINE}.");
    let closed = format!("voting closed {DEADLINE}.");

    let open = tally(SLUG);
    assert!(open.contains(&closes), "{open}");
    // Every member voted, so it is approved days before the deadline: the vote has ended,
    // but the deadline has not come, and the tally must not say it has passed.
    v.cast(&[("m1", "yes"), ("m2", "yes"), ("m3", "yes")]);
    v.approve("m1").ok();
    let early = tally(SLUG);
    assert!(early.contains("Result: APPROVED"), "{early}");
    assert!(early.contains(&closes) && !early.contains("voting closed"), "{early}");
    assert!(tally("unvoted").contains(&closes));

    env.set_clock(LATE);
    let late = tally(SLUG);
    assert!(late.contains("Result: APPROVED") && late.contains(&closed), "{late}");
    let unvoted = tally("unvoted");
    assert!(unvoted.contains(&closed) && unvoted.contains("Result: FAILS"), "{unvoted}");
}
