//! Slugs made from titles: transliterated from any script, and unchanged for ASCII titles.

use crate::harness::*;

fn contributed_slug(env: &Env, c: &str, file: &str, title: &str) -> String {
    let f = env.write(file, article(title, "abc", "", "Body.\n"));
    let r = env.tribune(&["-C", c, "contribute", &f, "--json"]).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v["slug"].as_str().unwrap().to_string()
}

#[test]
fn a_title_in_any_script_makes_a_readable_slug() {
    let env = Env::new();
    let c = env.commons();
    for (file, title, slug) in [
        ("fr.md", "Grève générale à Montréal", "greve-generale-a-montreal"),
        ("ru.md", "Забастовка", "zabastovka"),
        ("de.md", "Straße der Arbeiter", "strasse-der-arbeiter"),
        ("en.md", "Warehouse workers shut down line 3!", "warehouse-workers-shut-down-line-3"),
        ("ap.md", "José's rent strike — day 4", "joses-rent-strike-day-4"),
    ] {
        assert_eq!(contributed_slug(&env, &c, file, title), slug, "{title}");
        env.tribune(&["-C", &c, "show", slug]).ok();
    }
}
