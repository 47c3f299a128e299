use super::*;
use crate::model::article::split;
use proptest::prelude::*;

#[test]
fn the_simple_reader_agrees_with_toml_or_steps_aside() {
    let cases = [
        "title = \"A # b\"\ncontingent = 'abc' # c\ndate = 2026-11-21\ntags = [\"x\", 'y']\nauthors = []\n",
        "title = \"Esc \\\" q\"\ncontingent = \"abc\"\ndate = 2026-11-21\n",
        "title = \"\"\"multi\nline\"\"\"\ndate = 2026-11-21\n",
        "authors = [\n  \"a\",\n]\ntitle = \"t\"\n",
        "title = \"t\"\n[[derived_from]]\ntitle = \"not me\"\n",
        "date = 2026-11-21T10:00:00Z\ntitle = \"t\"\n",
        // toml refuses these: the fast reader must not read a title from them.
        "title = \"a\" \"b\"\n",
        "title = \"a\"\ntitle = \"b\"\n",
        "title = \"a\"\nother = bare\n",
        "date = 2026-13-45\ntitle = \"a\"\n",
        "date = abcd-ef-gh\ntitle = \"a\"\n",
        "title = \"a\u{1b}b\"\n",
        "title = \" padded \"\n",
        "title = \"a\"\n[[derived_from]]\nrelation = \"x\"\nrelation = \"y\"\n",
    ];
    for front in cases {
        let full = table_front(front);
        if let Some(simple) = simple_front(front) {
            assert_eq!(simple, full, "{front}");
        }
    }
    assert!(simple_front(cases[0]).is_some());
    assert!(simple_front("title = \"a\" \"b\"\n").is_none());
    assert_eq!(simple_front("title = \" padded \"\n").unwrap().title, "padded");
}

/// One line of adversarial front matter.
fn front_line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("contingent"),
        Just("date"),
        Just("tags"),
        Just("authors"),
        Just("summary"),
        Just("license"),
        Just("other"),
        Just("title.x"),
        Just("\"title\""),
        Just(""),
    ];
    let text = "[a-z \"'\\\\#\\[\\],=\t\u{1b}\r\u{7f}é✓\u{feff}]{0,8}";
    let string = prop_oneof![
        text.prop_map(|s| format!("\"{s}\"")),
        text.prop_map(|s| format!("'{s}'")),
        text.prop_map(|s| format!("\"\"\"{s}")),
        text.prop_map(|s| format!("'''{s}'''")),
        "[a-z ]{0,6}".prop_map(|s| format!("\"{s}\\\"{s}\"")),
        "[a-z ]{0,6}".prop_map(|s| format!("\"{s}\\u00e9\"")),
    ];
    let value = prop_oneof![
        string.clone(),
        prop::collection::vec(string.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(", "))),
        prop::collection::vec(string.clone(), 0..3).prop_map(|v| format!("[ {} ,]", v.join(","))),
        (1990u32..2100, 0u32..14, 0u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        Just("2026-11-21T10:00:00Z".to_string()),
        Just("2026-11-21 10:00:00".to_string()),
        Just("0000-01-01".to_string()),
        Just("12345-01-01".to_string()),
        Just("1".to_string()),
        Just("true".to_string()),
        Just("bare".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("[1, \"a\"]".to_string()),
    ];
    let tail = prop_oneof![
        Just(String::new()),
        Just(" # comment".to_string()),
        Just("# tight".to_string()),
        Just(" \"b\"".to_string()),
        Just(" x".to_string()),
        Just(" ,".to_string()),
        Just("\r".to_string()),
        Just(" # \u{1b}".to_string()),
    ];
    prop_oneof![
        6 => (key, "[ \t]{0,2}", value, tail).prop_map(|(k, w, v, t)| format!("{w}{k}{w}={w}{v}{t}")),
        1 => Just("[[derived_from]]".to_string()),
        1 => Just("[ [derived_from] ]".to_string()),
        1 => Just("[table]".to_string()),
        1 => Just("[[title]]".to_string()),
        1 => Just("# a comment".to_string()),
        1 => Just(String::new()),
        1 => "(?s).{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// The fast reader either reads what toml reads, or steps aside.
    #[test]
    fn the_fast_reader_agrees_with_toml_or_steps_aside(lines in prop::collection::vec(front_line(), 0..8)) {
        let front = lines.join("\n") + "\n";
        if let Some(simple) = simple_front(&front) {
            prop_assert_eq!(simple, table_front(&front), "{:?}", front);
        }
        // And the whole reading never panics on it.
        let _ = entry_fields(format!("+++\n{front}+++\nbody\n").as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// The front matter the index reads is the one `split` finds in the whole text.
    #[test]
    fn the_front_matter_is_found_as_split_finds_it(
        lines in prop::collection::vec(prop_oneof![
            3 => Just("+++".to_string()),
            1 => "\\+\\+\\+[ \t\r\u{a0}\u{3000}x]{0,2}".prop_map(|s| s),
            1 => Just("\u{feff}+++".to_string()),
            1 => Just("---".to_string()),
            4 => "[a-z =\"+]{0,6}",
            1 => "[\u{80}-\u{10ffff}]{0,2}",
        ], 0..8),
        invalid in prop::option::of((0usize..40, prop::sample::select(vec![0x80u8, 0xc3, 0xe2, 0xff]))),
        newline_at_end in any::<bool>(),
    ) {
        let mut bytes = lines.join("\n").into_bytes();
        if newline_at_end {
            bytes.push(b'\n');
        }
        if let Some((at, b)) = invalid {
            bytes.insert(at.min(bytes.len()), b);
        }
        let whole = String::from_utf8_lossy(&bytes);
        let expected = split("", &whole).ok().flatten().map(|(front, _)| front);
        prop_assert_eq!(front_of(&bytes).map(|f| f.into_owned()), expected, "{:?}", whole);
    }
}

#[test]
fn the_index_file_round_trips_awkward_text() {
    let mut file = IndexFile { trunk: "t".into(), trunk_tree: "tt".into(), trunk_seq: 9, ..Default::default() };
    file.articles.push(Entry {
        slug: "s".into(),
        title: "tab\there\nnewline \\ back".into(),
        contingent: "abc".into(),
        date: "2026-11-21".into(),
        tags: vec!["a".into(), "b".into()],
        authors: vec!["X, Y".into(), "Z".into()],
        version: "v".into(),
        arrived: 1_763_719_200,
        arrived_seq: 7,
    });
    // As the fields escaped one by one and joined.
    let e = &file.articles[0];
    let line = [&e.slug, &e.title, &e.contingent, &e.date, &e.tags.join(","), &e.authors.join("\x1f"), &e.version]
        .map(|f| escape(f))
        .join("\t");
    assert!(file.render().ends_with(&format!("\nA\t{line}\t{}\t7\n", e.arrived)), "{}", file.render());
    let again = IndexFile::parse(&file.render()).unwrap();
    assert_eq!(again.articles, file.articles);
    assert_eq!(again.trunk_seq, 9);
    assert!(IndexFile::parse("tribune-index\t0\tx\ty\n").is_none());
}

#[test]
fn only_article_texts_have_slugs() {
    let shard = layout::shard("strike");
    assert_eq!(slug_of_text_path(&format!("articles/{shard}/strike/index.md")), Some("strike"));
    assert_eq!(slug_of_text_path("articles/zz/zz/strike/index.md"), None);
    assert_eq!(slug_of_text_path(&format!("articles/{shard}/strike/index.md/x")), None);
    assert_eq!(slug_of_text_path(&format!("articles/{shard}/strike/photo.jpg")), None);
    assert_eq!(slug_of_text_path("statements/x/index.md"), None);
}

proptest! {
    /// The entries edited in place give what a map of them by slug gives: each slug once, in
    /// order, the newest entry of a slug winning, from few changes or many.
    #[test]
    fn entries_edited_in_place_agree_with_a_map(
        old in prop::collection::vec(("[a-e]{1,3}", 0i64..5), 0..40),
        removed in prop::collection::vec("[a-e]{1,3}", 0..5),
        new in prop::collection::vec(("[a-e]{1,3}", 5i64..9), 0..1_200),
    ) {
        let entry = |(slug, arrived): &(String, i64)| Entry { slug: slug.clone(), arrived: *arrived, ..Entry::default() };
        let mut map: std::collections::BTreeMap<String, i64> = old.iter().map(|(s, a)| (s.clone(), *a)).collect();
        let mut by_slug = BySlug::new(old.iter().map(entry).collect());
        for r in &removed {
            map.remove(r);
            by_slug.remove(r);
        }
        for (s, a) in &new {
            map.insert(s.clone(), *a);
        }
        by_slug.put_all(new.iter().map(entry).collect());
        let got: Vec<(String, i64)> = by_slug.0.into_iter().map(|e| (e.slug, e.arrived)).collect();
        prop_assert_eq!(got, map.into_iter().collect::<Vec<_>>());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The changes of a commit made on the fork point, worked out from the branch's
    /// changes since the fork and the few made above it, are the commit's own diff: texts
    /// rewritten again above, set back to the fork's, removed, or added only above.
    #[test]
    fn a_commit_on_the_fork_point_has_the_changes_its_own_diff_has(
        below in prop::collection::btree_map(0u8..24, prop::option::of(0u8..4), 0..12),
        above in prop::collection::btree_map(0u8..24, prop::option::of(0u8..5), 0..6),
    ) {
        use crate::git::{Edit, Repo};
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(dir.path(), "main").unwrap();
        let path = |i: u8| format!("articles/{:02x}/{i}/index.md", i % 3);
        let blob = |i: u8, v: u8| repo.write_blob(format!("text {i} version {v}").as_bytes()).unwrap();
        // The fork: texts 0..16 at version 0.
        let fork_edits: Vec<Edit> = (0..16).map(|i| Edit::Put { path: path(i), blob: blob(i, 0) }).collect();
        let fork = repo.edit_tree(None, &fork_edits).unwrap();
        let edits = |changes: &std::collections::BTreeMap<u8, Option<u8>>| -> Vec<Edit> {
            changes.iter().map(|(i, v)| match v {
                Some(v) => Edit::Put { path: path(*i), blob: blob(*i, *v) },
                None => Edit::Remove { path: path(*i) },
            }).collect()
        };
        let at = repo.edit_tree(Some(fork), &edits(&below)).unwrap();
        let tip = repo.edit_tree(Some(at), &edits(&above)).unwrap();
        let since_fork = repo.changed_paths(Some(fork), tip, layout::ARTICLES).unwrap();
        let at_fork = branch_texts::AtFork { tree: fork, texts: since_fork.iter().map(|c| (c.path.clone(), c.old)).collect() };
        let key = |c: &crate::git::PathChange| (c.path.clone(), c.old, c.new);
        let mut got: Vec<_> = branch_texts::from_fork(&repo, &at_fork, &since_fork, at, tip).unwrap().iter().map(key).collect();
        let mut expected: Vec<_> = repo.changed_paths(Some(fork), at, layout::ARTICLES).unwrap().iter().map(key).collect();
        got.sort();
        expected.sort();
        prop_assert_eq!(got, expected);
    }
}
