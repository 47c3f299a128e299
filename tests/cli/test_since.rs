//! `list --since` takes dates as git does: ISO days, `yesterday`, `2.weeks.ago`, `3 days ago`,
//! `@SECONDS`, `Nov 20 2026`, `noon yesterday`, `last friday`, counted back from the commit
//! time (the test clock's, on 2026-11-21 a few minutes after 10:00 UTC).

use crate::harness::*;

fn dated(env: &Env, c: &str, slug: &str, date: &str) {
    let text = format!(
        "+++\ntitle = \"{slug}\"\nauthors = [\"R. Lopez\"]\ncontingent = \"abc\"\ndate = {date}\nlicense = \"CC0-1.0\"\n+++\nBody.\n"
    );
    let f = env.write(&format!("{slug}.md"), text);
    env.tribune(&["-C", c, "contribute", &f, "--slug", slug]).ok();
}

fn since(env: &Env, c: &str, when: &str) -> Vec<String> {
    let r = env.tribune(&["-C", c, "list", "--json", "--since", when]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut slugs: Vec<String> =
        v.as_array().unwrap().iter().map(|e| e["slug"].as_str().unwrap().to_string()).collect();
    slugs.sort();
    slugs
}

#[test]
fn list_since_takes_the_dates_git_takes() {
    let env = Env::new();
    let c = env.commons();
    for (slug, date) in
        [("today", "2026-11-21"), ("yesterday", "2026-11-20"), ("last-week", "2026-11-14"), ("old", "2026-10-01")]
    {
        dated(&env, &c, slug, date);
    }
    let all = ["last-week", "old", "today", "yesterday"];
    assert_eq!(since(&env, &c, "yesterday"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "today"), ["today"]);
    assert_eq!(since(&env, &c, "now"), ["today"]);
    assert_eq!(since(&env, &c, "3 days ago"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "3.days.ago"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "1.week.ago"), ["last-week", "today", "yesterday"]);
    assert_eq!(since(&env, &c, "2.weeks.ago"), ["last-week", "today", "yesterday"]);
    assert_eq!(since(&env, &c, "last month"), ["last-week", "today", "yesterday"]);
    assert_eq!(since(&env, &c, "2.months.ago"), all);
    assert_eq!(since(&env, &c, "2026-11-14"), ["last-week", "today", "yesterday"]);
    assert_eq!(since(&env, &c, "2026-11-15"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "2026-11-20T23:59:59Z"), ["today", "yesterday"]);
    // 2026-11-14T00:00:00Z in seconds since the epoch.
    assert_eq!(since(&env, &c, "@1794614400"), ["last-week", "today", "yesterday"]);
    // The forms git reads beyond these: month names, times and zones, noon and weekdays.
    assert_eq!(since(&env, &c, "Nov 20 2026"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "20 November 2026"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "Nov 15"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "2026-11-20 23:00 -0200"), ["today"]);
    assert_eq!(since(&env, &c, "2026-11-20 23:00:00"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "Fri Nov 20 18:02:37 2026 +0000"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "Sat, 14 Nov 2026 09:00:00 +0000"), ["last-week", "today", "yesterday"]);
    assert_eq!(since(&env, &c, "midnight"), ["today"]);
    assert_eq!(since(&env, &c, "noon yesterday"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "yesterday 10:00"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "last friday"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "friday"), ["today", "yesterday"]);
    assert_eq!(since(&env, &c, "last saturday"), ["last-week", "today", "yesterday"]);
    for bad in ["November", "soon", "3", "days ago", "2026-13-01", "last", "a week ago", "Nov 2026"] {
        let r = env.tribune(&["-C", &c, "list", "--since", bad]).fails(2, "--since");
        assert!(r.stderr.contains("2.weeks.ago"), "the error shows the forms: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
}
