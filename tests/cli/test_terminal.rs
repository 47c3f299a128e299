//! Tables on a real terminal: `list`, `versions`, `ratings` and `roster` run on a
//! pseudo-terminal (util-linux `script`) with colour on, 80 and 150 columns wide and at a
//! terminal that reports 0 columns; the headers must line up with their columns, no id may be
//! split, no line may be wider than the terminal and no piece of an escape sequence may show.

use crate::harness::*;
use serde_json::Value;

/// Runs `tribune ARGS` on a pseudo-terminal `cols` columns wide; returns what it wrote to
/// the terminal, with the terminal's `\r\n` as `\n`.
fn on_terminal(env: &Env, cols: u16, args: &[&str]) -> String {
    let r = crate::harness::on_terminal(env, cols, "", args);
    assert_eq!(r.code, 0, "{args:?} on a {cols}-column terminal:\n{}\n{}", r.stdout, r.stderr);
    r.stdout
}

/// The text without its colour (SGR) sequences; fails on any other escape, whole or broken.
#[track_caller]
fn strip_colour(raw: &str) -> String {
    assert!(!raw.contains("\\u{1b}"), "a shown escape (a split colour sequence?):\n{raw}");
    let mut out = String::new();
    let mut rest = raw;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let body = tail.strip_prefix('[').expect("an escape that is not CSI");
        let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';')).expect("an unterminated escape");
        assert!(body[end..].starts_with('m'), "an escape that is not a colour: {:?}", &rest[i..]);
        rest = &body[end + 1..];
    }
    out + rest
}

/// The tables of a command's output: blocks of lines between blank lines.
fn tables(text: &str) -> Vec<Vec<&str>> {
    text.split("\n\n")
        .map(|b| b.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>())
        .filter(|b| !b.is_empty())
        .collect()
}

/// Where each header starts: headers are separated by at least two spaces.
fn column_starts(header: &str) -> Vec<usize> {
    let chars: Vec<char> = header.chars().collect();
    (0..chars.len())
        .filter(|&i| chars[i] != ' ' && (i == 0 || (i >= 2 && chars[i - 1] == ' ' && chars[i - 2] == ' ')))
        .collect()
}

/// Checks one command's output on a `cols`-column terminal (`None`: no width known):
/// `rows[i]` rows under the header of table `i` (the blocks after those are not tables),
/// each cell starting at its header's column, or as many records with their values in one
/// column; every id whole, no line too wide, and the same text as the same command without
/// colour.
#[track_caller]
fn check(env: &Env, cols: u16, width: Option<usize>, args: &[&str], rows: &[usize], ids: &[String]) {
    let mut coloured = vec!["--color", "always"];
    coloured.extend_from_slice(args);
    let raw = on_terminal(env, cols, &coloured);
    assert!(raw.contains("\x1b[1m"), "no colour in {args:?}:\n{raw:?}");
    let text = strip_colour(&raw);
    let mut plain = vec!["--color", "never"];
    plain.extend_from_slice(args);
    assert_eq!(text, on_terminal(env, cols, &plain), "{args:?}: colour changed the layout at {cols} columns");
    let blocks = tables(&text);
    if is_records(&blocks) {
        check_records(&blocks, rows.iter().sum(), &format!("{args:?} at {cols}"), &text);
    } else {
        check_columns(&blocks[..rows.len().min(blocks.len())], rows, &format!("{args:?} at {cols}"), &text);
    }
    if let Some(w) = width {
        for line in text.lines() {
            assert!(line.chars().count() <= w, "{args:?}: a line wider than {w} columns:\n{line}");
        }
    }
    for id in ids {
        assert!(text.contains(id.as_str()), "{args:?} at {cols}: the id {id:?} is not whole:\n{text}");
    }
}

/// Whether a table too wide for the terminal was printed as records (`HEADER  value` lines,
/// a blank line between rows): its second line starts with a header, not a row's id.
fn is_records(blocks: &[Vec<&str>]) -> bool {
    blocks
        .first()
        .and_then(|b| b.get(1))
        .and_then(|l| l.split("  ").next())
        .is_some_and(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase() || matches!(c, '/' | ' ')))
}

/// `n` records, each a block whose values start in one column: after the header on a field's
/// first line, under it on the lines that continue the field.
#[track_caller]
fn check_records(blocks: &[Vec<&str>], n: usize, what: &str, text: &str) {
    assert!(blocks.len() >= n, "{what}: fewer than {n} records:\n{text}");
    for block in &blocks[..n] {
        let value_at = |l: &str| l.find("  ").map(|i| i + l[i..].len() - l[i..].trim_start().len());
        let column = value_at(block[0]).expect("a header and its value");
        for line in block {
            assert_eq!(value_at(line), Some(column), "{what}: a value out of its column:\n{line}\n{text}");
        }
    }
}

/// `rows[i]` rows under the header of table `i`, each on one line, each cell starting at its
/// header's column.
#[track_caller]
fn check_columns(blocks: &[Vec<&str>], rows: &[usize], what: &str, text: &str) {
    assert_eq!(blocks.iter().map(|b| b.len() - 1).collect::<Vec<_>>(), rows, "{what}: a row on several lines:\n{text}");
    for block in blocks {
        let starts = column_starts(block[0]);
        for line in &block[1..] {
            let chars: Vec<char> = line.chars().collect();
            for &p in starts.iter().filter(|&&p| p > 0 && p < chars.len()) {
                assert!(
                    chars[p - 2] == ' ' && chars[p - 1] == ' ' && chars[p] != ' ',
                    "{what}: a cell not under its header at column {p}:\n{}\n{line}",
                    block[0]
                );
            }
        }
    }
}

fn json(env: &Env, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    serde_json::from_str(&env.tribune(&a).ok().stdout).unwrap()
}

fn strings(v: &Value, keys: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for k in keys {
        match &v[*k] {
            Value::String(s) => out.push(s.chars().take(if *k == "version" { 10 } else { 20 }).collect()),
            Value::Array(a) => out.extend(a.iter().filter_map(|s| s.as_str().map(String::from))),
            _ => {}
        }
    }
    out
}

/// Checks the four commands on commons `c` for `slug` (an article with ratings and rivals).
fn check_all(env: &Env, c: &str, slug: &str, cols: u16, width: Option<usize>) {
    let list = json(env, &["-C", c, "list"]);
    let list = list.as_array().unwrap();
    let ids: Vec<String> = list.iter().flat_map(|e| strings(e, &["slug", "contingent", "date"])).collect();
    check(env, cols, width, &["-C", c, "list"], &[list.len()], &ids);

    let versions = json(env, &["-C", c, "versions", slug]);
    let versions = versions.as_array().unwrap();
    let ids: Vec<String> = versions.iter().flat_map(|v| strings(v, &["version", "places"])).collect();
    check(env, cols, width, &["-C", c, "versions", slug], &[versions.len()], &ids);

    let ratings = json(env, &["-C", c, "ratings", slug]);
    let ratings = ratings["ratings"].as_array().unwrap();
    let ids: Vec<String> =
        ratings.iter().flat_map(|r| strings(r, &["version", "places", "rater", "dimension"])).collect();
    check(env, cols, width, &["-C", c, "ratings", slug], &[ratings.len()], &ids);

    let roster = json(env, &["-C", c, "roster"]);
    let (cs, ms) = (roster["contingents"].as_array().unwrap(), roster["members"].as_array().unwrap());
    let mut ids: Vec<String> = cs.iter().flat_map(|x| strings(x, &["id", "url"])).collect();
    ids.extend(ms.iter().flat_map(|m| strings(m, &["id", "contingent", "email"])));
    check(env, cols, width, &["-C", c, "roster"], &[cs.len(), ms.len()], &ids);
}

const SLUG: &str = "line-3-heat";

/// A small commons whose ids fit in 80 columns, with titles, summaries and comments that do not.
fn small(env: &Env) -> String {
    let c = env.commons();
    let long = "Warehouse workers shut down line 3 after the heat on the floor reached forty degrees";
    let a = env.write("a.md", article(long, "abc", "", "The line stopped at noon.\n"));
    env.tribune(&["-C", &c, "contribute", &a, "--slug", SLUG]).ok();
    let b = env
        .write("b.md", article("Rent strike spreads to four more buildings on the east side", "xyz", "", "Tenants.\n"));
    env.tribune(&["-C", &c, "contribute", &b, "--slug", "rent-strike"]).ok();
    let r = env.write(
        "r.md",
        article(long, "abc", "", "The line stopped at noon, and the whole night shift walked out with it.\n"),
    );
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "xyz", "--file", &r]).ok();
    let comment = "solid reporting, though the second paragraph needs a source for the temperature";
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "2", "--as", "alice", "--comment", comment]).ok();
    env.tribune(&["-C", &c, "rate", SLUG, "--score", "-1", "--as", "alice", "--dimension", "politics"]).ok();
    c
}

#[test]
fn tables_line_up_with_colour_at_80_and_150_columns_and_keep_ids_whole() {
    let env = Env::new();
    let c = small(&env);
    for cols in [80, 150] {
        check_all(&env, &c, SLUG, cols, Some(cols.into()));
    }
    // At 80 columns the long title and comment are cut to one line with an ellipsis.
    let list = strip_colour(&on_terminal(&env, 80, &["--color", "always", "-C", &c, "list"]));
    assert!(list.lines().any(|l| l.starts_with(SLUG) && l.contains("Warehouse") && l.contains('…')), "{list}");
    let wide = strip_colour(&on_terminal(&env, 150, &["--color", "always", "-C", &c, "list"]));
    assert!(wide.contains("reached forty degrees"), "{wide}");
}

#[test]
fn the_demo_commons_tables_line_up_with_colour_and_keep_ids_whole() {
    let env = Env::new();
    let dir = env.path("demo");
    let d = dir.to_str().unwrap();
    env.tribune(&["demo", d]).ok();
    let slug = "tenants-at-400-willowmere-begin-rent-strike-over-repairs";
    check_all(&env, d, slug, 150, Some(150));
    // The demo's slugs and places are wider than 80 columns together: its tables are
    // records there, with every id whole and no line over 80 columns.
    check_all(&env, d, slug, 80, Some(80));
    let list = strip_colour(&on_terminal(&env, 80, &["--color", "always", "-C", d, "list"]));
    assert!(list.starts_with("SLUG        ") && list.contains("\n\nSLUG  "), "{list}");
}

#[test]
fn a_terminal_of_0_columns_gets_tables_at_their_natural_width() {
    let env = Env::new();
    let c = small(&env);
    check_all(&env, &c, SLUG, 0, None);
    for args in [&["-C", &c, "list"][..], &["-C", &c, "versions", SLUG], &["-C", &c, "ratings", SLUG]] {
        let mut never = vec!["--color", "never"];
        never.extend_from_slice(args);
        let piped = env.tribune(&never).ok().stdout;
        assert_eq!(on_terminal(&env, 0, &never), piped, "{args:?}: a 0-column terminal is laid out as a pipe");
        assert!(!piped.contains('…'), "{piped}");
    }
}

#[test]
fn the_statements_table_fits_80_columns_with_its_deadline_whole() {
    let v = crate::vote_fixture::setup(3);
    let text = strip_colour(&on_terminal(&v.env, 80, &["--color", "always", "-C", &v.c, "statements"]));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "a line over 80 columns:\n{text}");
    // A row, or (when the title would be a stub) a record.
    let whole = |text: &str, fields: &[&str]| match text.lines().find(|l| l.starts_with(crate::vote_fixture::SLUG)) {
        Some(row) => fields.iter().all(|f| row.contains(f)),
        None => fields.iter().all(|f| text.lines().any(|l| l.ends_with(&format!("  {f}")))),
    };
    assert!(whole(&text, &["2026-12-01T00:00:00Z", "0/0/0 of 3"]), "{text}");
    // `approved` is the widest status: that row fits too.
    let a = crate::vote_fixture::approved(3);
    let text = strip_colour(&on_terminal(&a.env, 80, &["--color", "always", "-C", &a.c, "statements"]));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "a line over 80 columns:\n{text}");
    assert!(
        text.contains("approved  3/0/0 of 3  2/3 cast  2026-12-01T00:00:00Z")
            || whole(&text, &["approved", "3/0/0 of 3", "2/3 cast", "2026-12-01T00:00:00Z"]),
        "{text}"
    );
}

/// Prose wider than the terminal (credits, a tally's result, why) breaks at spaces, never
/// inside an id, slug, URL or `command`, and fills no line past the terminal; in a pipe it
/// is as it was.
#[test]
fn prose_wider_than_the_terminal_breaks_between_words() {
    let env = Env::new();
    let dir = env.path("demo");
    let d = dir.to_str().unwrap();
    env.tribune(&["demo", d]).ok();
    let slug = "warehouse-workers-shut-down-line-3-over-heat";
    let statement = "solidarity-with-the-tenants-of-400-willowmere";
    let clone = env.path("a-clone-with-a-rather-long-directory-name-to-make-its-message-wide");
    let clone = clone.to_str().unwrap();
    for args in
        [vec!["-C", d, "credits", slug], vec!["-C", d, "tally", statement, "--summary"], vec!["clone", d, clone]]
    {
        let _ = std::fs::remove_dir_all(clone);
        let mut text = strip_colour(&on_terminal(&env, 80, &args));
        let _ = std::fs::remove_dir_all(clone);
        // git's own fetch lines come first on a terminal: tribune's message is what follows.
        if let Some(i) = text.find("Cloned ") {
            text = text[i..].to_string();
        }
        let piped = env.tribune(&args).ok().stdout;
        assert!(piped.lines().any(|l| l.chars().count() > 80), "{args:?} has nothing to break:\n{piped}");
        for line in text.lines() {
            // Past 80 columns only a word (or a `command` to copy) wider than the terminal,
            // on a line of its own.
            let t = line.trim();
            let span = t.strip_prefix('`').and_then(|r| r.find('`').map(|i| &r[i + 1..]));
            let one_word = t.split_whitespace().count() == 1 || span.is_some_and(|rest| rest.len() <= 1);
            assert!(line.chars().count() <= 80 || one_word, "{args:?}: a line past 80 columns:\n{text}");
        }
        // A suggested command is on one line, to be copied whole.
        if args.contains(&"tally") {
            let recount = format!("`tribune -C {d} verify {statement}`");
            assert!(text.lines().any(|l| l.contains(&recount)), "{args:?}: the recount command is broken:\n{text}");
        }
        // Every word of the piped text is on the terminal, whole, in the same order.
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&text), words(&piped), "{args:?}");
    }
}

/// credit-check's findings are prose like the rest: fitted to an 80-column terminal (its
/// quoted passages and hints were printed as one line each), every word kept.
#[test]
fn credit_check_findings_fit_the_terminal() {
    let env = Env::new();
    let dir = env.path("demo");
    let d = dir.to_str().unwrap();
    env.tribune(&["demo", d]).ok();
    // Progress goes to standard error, which the pseudo-terminal would mix in.
    let r = crate::harness::on_terminal(&env, 80, "exec 2>/dev/null;", &["--color", "never", "-C", d, "credit-check"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let piped = env.tribune(&["-C", d, "credit-check"]).ok().stdout;
    assert!(piped.lines().any(|l| l.chars().count() > 80), "nothing to fit:\n{piped}");
    for line in r.stdout.lines() {
        assert!(line.chars().count() <= 80 || line.split_whitespace().count() == 1, "past 80 columns:\n{}", r.stdout);
    }
    let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(&r.stdout), words(&piped));
}

#[test]
fn a_name_of_one_long_word_is_cut_at_once_on_a_narrow_terminal() {
    let env = Env::new();
    let c = env.commons();
    // An author's name of one word of 300,000 letters: the versions table cuts it to one line
    // (comfy-table split it in time quadratic in its length: minutes, for a megabyte).
    let name = "Q".repeat(300_000);
    let a = env.write(
        "a.md",
        format!(
            "+++\ntitle = \"Heat\"\nauthors = [\"{name}\"]\ncontingent = \"abc\"\ndate = 2026-11-21\nlicense = \"CC0-1.0\"\n+++\nText.\n"
        ),
    );
    env.tribune(&["-C", &c, "contribute", &a, "--slug", SLUG]).ok();
    let started = std::time::Instant::now();
    let out = strip_colour(&on_terminal(&env, 80, &["--color", "always", "-C", &c, "versions", SLUG]));
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(10), "versions took {took:?}");
    let row = out.lines().nth(1).unwrap_or_default();
    assert!(row.contains("QQQQ…") && row.chars().count() <= 80, "{out}");
}
