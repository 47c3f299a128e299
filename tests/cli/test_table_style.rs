//! One table style for every command: upper-case headers, columns two spaces apart, no
//! spaces at the ends of lines, whatever the command (checked on the demo commons, which has
//! data for all of them).

use crate::harness::*;

#[test]
fn every_command_prints_its_tables_in_one_style() {
    let env = Env::new();
    let d = env.path("demo").display().to_string();
    env.tribune(&["demo", &d]).ok();
    let statements: serde_json::Value =
        serde_json::from_str(&env.tribune(&["-C", &d, "statements", "--json"]).ok().stdout).unwrap();
    let open = statements[0]["statement"].as_str().unwrap().to_string();
    let slug = "tenants-at-400-willowmere-begin-rent-strike-over-repairs";
    for args in [
        &["tally", &open, "--all"][..],
        &["statements"],
        &["challenges"],
        &["accountability"],
        &["filter", "list"],
        &["list"],
        &["roster"],
        &["versions", slug],
        &["ratings", slug],
        &["log", slug],
    ] {
        let mut full = vec!["-C", d.as_str()];
        full.extend_from_slice(args);
        let out = env.tribune(&full).ok().stdout;
        for line in out.lines() {
            assert_eq!(line, line.trim_end(), "{args:?}: a line ends in spaces:\n{out}");
        }
        let header = out.lines().next().unwrap_or_default();
        assert_eq!(header, header.to_uppercase(), "{args:?}: headers in another style:\n{out}");
        assert!(header.contains("  ") && !header.contains('|'), "{args:?}: not a table header:\n{out}");
    }
}
