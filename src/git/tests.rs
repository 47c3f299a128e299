use super::*;
use proptest::prelude::*;

/// libgit2's own tree diff, as the reference for `changed_paths`.
fn reference(repo: &Repo, old: Option<Oid>, new: Oid) -> Vec<(String, Option<Oid>, Option<Oid>)> {
    let old = old.map(|o| repo.inner.find_tree(o.0).unwrap());
    let new = repo.inner.find_tree(new.0).unwrap();
    let diff = repo.inner.diff_tree_to_tree(old.as_ref(), Some(&new), None).unwrap();
    let nz = |id: git2::Oid| if id.is_zero() { None } else { Some(Oid(id)) };
    let mut out: Vec<_> = diff
        .deltas()
        .map(|d| {
            let path = d.new_file().path().or_else(|| d.old_file().path()).unwrap().to_string_lossy().into_owned();
            (path, nz(d.old_file().id()), nz(d.new_file().id()))
        })
        .collect();
    out.sort();
    out
}

/// A tree of these files (path → contents).
fn tree_of(repo: &Repo, files: &std::collections::BTreeMap<String, String>) -> Oid {
    let edits: Vec<Edit> = files
        .iter()
        .map(|(p, c)| Edit::Put { path: p.clone(), blob: repo.write_blob(c.as_bytes()).unwrap() })
        .collect();
    repo.edit_tree(None, &edits).unwrap()
}

/// Every message here is read alike by both parsers or differs as `trailers` documents.
#[test]
fn libgit2_reads_trailers_differently() {
    let ours = |m: &str| -> Vec<(String, String)> {
        trailers(m).into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let libgit2 = |m: &str| -> Vec<(String, String)> {
        let read = git2::message_trailers_strs(m).unwrap();
        read.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    type Pairs<'a> = &'a [(&'a str, &'a str)];
    let ballot = [("Tribune-Statement", "rent"), ("Tribune-Seq", "2")];
    // (message, what tribune reads, what libgit2 reads)
    let cases: &[(&str, Pairs, Pairs)] = &[
        // A trailer block after a body: both.
        ("yes\n\nAgreed, with a note.\nSecond line.\n\nTribune-Statement: rent\nTribune-Seq: 2\n", &ballot, &ballot),
        // `Key: value` lines inside the body, prose last: neither.
        ("rewrite: x\n\nNote: the body says this.\nSee: also that.\n\nAnd prose ends it.\n", &[], &[]),
        // A last paragraph mixing prose and a trailer: neither, ...
        ("rewrite: x\n\nTribune-Action: rewrite\nbecause the report was wrong\n", &[], &[]),
        // ... unless a line is Signed-off-by: then libgit2 takes the trailers in it.
        (
            "rewrite: x\n\nTribune-Action: rewrite\nbecause the report was wrong\nSigned-off-by: A <a@x>\n",
            &[],
            &[("Tribune-Action", "rewrite"), ("Signed-off-by", "A <a@x>")],
        ),
        // Only a subject: the first paragraph is never trailers.
        ("Tribune-Action: rewrite\n", &[], &[]),
        // A continuation line: not a `Key: value` line for tribune; libgit2 keeps the fold.
        (
            "rewrite: x\n\nTribune-Action: rewrite\nTribune-Summary: a long\n  summary\n",
            &[],
            &[("Tribune-Action", "rewrite"), ("Tribune-Summary", "a long\n  summary")],
        ),
        // CRLF: libgit2 keeps the carriage returns in the values.
        (
            "yes\r\n\r\nTribune-Statement: rent\r\nTribune-Seq: 2\r\n",
            &ballot,
            &[("Tribune-Statement", "rent\r"), ("Tribune-Seq", "2\r")],
        ),
        // A ballot comment with a Markdown rule: libgit2 stops at the `---` line.
        ("yes\n\nAgreed.\n---\nOne reservation.\n\nTribune-Statement: rent\nTribune-Seq: 2\n", &ballot, &[]),
        // A link alone in the last paragraph: a trailer `https` for libgit2.
        ("rewrite: x\n\nhttps://example.org/report\n", &[], &[("https", "//example.org/report")]),
        // No space after the colon: git's syntax, not tribune's.
        ("rewrite: x\n\nTribune-Action:rewrite\n", &[], &[("Tribune-Action", "rewrite")]),
    ];
    for (message, mine, theirs) in cases {
        assert_eq!(ours(message), pairs(mine), "tribune on {message:?}");
        assert_eq!(libgit2(message), pairs(theirs), "libgit2 on {message:?}");
    }
    // What tribune writes, both read alike.
    let written = crate::commons::message("rewrite: x", &[("Action", "rewrite"), ("Article", "x")]);
    assert_eq!(ours(&written), libgit2(&written));
}

proptest! {
    /// A commit or tag message from anywhere: trailers or none, never a panic.
    #[test]
    fn any_message_is_read_without_a_panic(message in "(?s).{0,300}") {
        for (k, v) in trailers(&message) {
            prop_assert!(!k.is_empty() && !k.contains('\n') && !v.contains('\n'));
        }
    }

    /// What tribune writes as trailers (`commons::message`) reads back, CRLF or not.
    #[test]
    fn trailers_round_trip(
        subject in "[^\n\r]{0,40}",
        pairs in prop::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,12}", "[^\n\r]{0,30}"), 1..5),
        crlf: bool,
    ) {
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let mut message = crate::commons::message(&subject, &refs);
        if crlf {
            message = message.replace('\n', "\r\n");
        }
        let expected: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (format!("Tribune-{k}"), v.trim().to_string())).collect();
        let read: Vec<(String, String)> =
            trailers(&message).into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        prop_assert_eq!(read, expected);
    }
}

/// Trees as old writers padded them, and damaged ones, which are an error, not a panic.
#[test]
fn listings_read_padded_modes_and_refuse_damaged_trees() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repo::init_bare(dir.path(), "main").unwrap();
    let blob = repo.write_blob(b"x").unwrap();
    let sub = repo.edit_tree(None, &[Edit::Put { path: "f".into(), blob }]).unwrap();
    let odb = repo.inner.odb().unwrap();
    let mut raw = Vec::new();
    for (mode, name, id) in [("040000", "a", sub), ("100644", "b", blob), ("40000", "c", sub)] {
        raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
        raw.extend_from_slice(id.0.as_bytes());
    }
    let tree = Oid(odb.write(git2::ObjectType::Tree, &raw).unwrap());
    let names = |l: &Subtrees| l.iter().map(|(n, _)| String::from_utf8_lossy(n).into_owned()).collect::<Vec<_>>();
    assert_eq!(names(&repo.subtrees(tree).unwrap()), ["a", "c"]);
    let all = repo.entries(tree).unwrap();
    assert_eq!(all.iter_kinds().map(|(_, _, t)| t).collect::<Vec<_>>(), [true, false, true]);
    for cut in [1, 8, raw.len() - 1] {
        let damaged = Oid(odb.write(git2::ObjectType::Tree, &raw[..cut]).unwrap());
        assert!(repo.subtrees(damaged).is_err(), "{cut}");
    }
    assert!(repo.subtrees(blob).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]
    #[test]
    fn changed_paths_agrees_with_libgit2s_diff(
        // Names where git's order and plain name order differ ("a" as a tree sorts after
        // "a-b" and "a.c"), at every level, and a blob and a tree of one name.
        first in prop::collection::btree_map("(a|a-b|a\\.c|b)/(a|a-b|b)/[abc]|[ab-]{1,2}(/[ab]){0,2}", "[xyz]{1,3}", 0..12),
        second in prop::collection::btree_map("(a|a-b|a\\.c|b)/(a|a-b|b)/[abc]|[ab-]{1,2}(/[ab]){0,2}", "[xyz]{1,3}", 0..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(dir.path(), "main").unwrap();
        let tree_of = |files: &std::collections::BTreeMap<String, String>| tree_of(&repo, files);
        let (a, b) = (tree_of(&first), tree_of(&second));
        let mut mine: Vec<_> = repo.changed_paths(Some(a), b, "").unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
        mine.sort();
        prop_assert_eq!(mine, reference(&repo, Some(a), b));
        let mut from_nothing: Vec<_> = repo.changed_paths(None, b, "").unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
        from_nothing.sort();
        prop_assert_eq!(from_nothing, reference(&repo, None, b));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Large directories with a few changes, as an edition's shards are: the entries both
    /// sides share byte for byte are skipped, the rest merged in git's order.
    #[test]
    fn changed_paths_agrees_with_libgit2s_diff_on_large_directories(
        names in prop::collection::btree_set("[abc]{1,4}(-[ab])?", 40..80),
        edits in prop::collection::vec((0usize..200, 0u8..4), 0..8),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(dir.path(), "main").unwrap();
        let names: Vec<&String> = names.iter().collect();
        // Each name a directory holding a file, and every third one a file beside them.
        let mut files: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
        for (i, n) in names.iter().enumerate() {
            files.insert(format!("d/{n}/index.md"), format!("text {i}"));
            if i % 3 == 0 {
                files.insert(format!("d/{n}.txt"), format!("file {i}"));
            }
        }
        let mut second = files.clone();
        for (at, what) in &edits {
            let n = names[at % names.len()];
            match what {
                0 => { second.insert(format!("d/{n}/index.md"), "changed".into()); }
                1 => { second.remove(&format!("d/{n}/index.md")); }
                2 => { second.insert(format!("d/{n}-new/index.md"), "new".into()); }
                // A name that is a directory on one side and a file on the other.
                _ => { second.retain(|p, _| !p.starts_with(&format!("d/{n}/"))); second.insert(format!("d/{n}"), "now a file".into()); }
            }
        }
        let tree_of = |files: &std::collections::BTreeMap<String, String>| tree_of(&repo, files);
        let (a, b) = (tree_of(&files), tree_of(&second));
        for (x, y) in [(a, b), (b, a)] {
            let mut mine: Vec<_> = repo.changed_paths(Some(x), y, "").unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
            mine.sort();
            prop_assert_eq!(mine, reference(&repo, Some(x), y));
        }
    }
}

/// A mode spelled with a leading zero, or made executable, is the same file; a gitlink is
/// no file of a commons; a damaged tree is an error.
#[test]
fn changed_paths_reads_modes_as_git_does() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repo::init_bare(dir.path(), "main").unwrap();
    let blob = repo.write_blob(b"x").unwrap();
    let other = repo.write_blob(b"y").unwrap();
    let sub = repo.edit_tree(None, &[Edit::Put { path: "f".into(), blob }]).unwrap();
    let odb = repo.inner.odb().unwrap();
    let raw_tree = |entries: &[(&str, &str, Oid)]| {
        let mut raw = Vec::new();
        for (mode, name, id) in entries {
            raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            raw.extend_from_slice(id.0.as_bytes());
        }
        Oid(odb.write(git2::ObjectType::Tree, &raw).unwrap())
    };
    let padding: Vec<(&str, String)> = (0..40).map(|i| ("100644", format!("p{i:02}"))).collect();
    let with = |extra: &[(&str, &str, Oid)]| {
        let mut all: Vec<(&str, &str, Oid)> = vec![("040000", "a", sub), ("100644", "b", blob)];
        all.extend(padding.iter().map(|(m, n)| (*m, n.as_str(), blob)));
        all.extend_from_slice(extra);
        raw_tree(&all)
    };
    let old = with(&[("160000", "z", blob)]);
    let new = raw_tree(&{
        let mut all: Vec<(&str, &str, Oid)> = vec![("40000", "a", sub), ("100755", "b", blob)];
        all.extend(padding.iter().map(|(m, n)| (*m, n.as_str(), blob)));
        all.push(("100644", "z", other));
        all
    });
    let changes: Vec<_> =
        repo.changed_paths(Some(old), new, "").unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
    assert_eq!(changes, [("z".to_string(), None, Some(other))]);
    let damaged = Oid(odb.write(git2::ObjectType::Tree, &b"100644 b\0short"[..]).unwrap());
    let err = repo.changed_paths(Some(old), damaged, "").unwrap_err();
    assert!(format!("{err:#}").contains("damaged"), "{err:#}");
}

/// A tree of more shards than one thread lists alone (a cold index of many articles) gives
/// every path, in order, as libgit2's diff from nothing does, files at the top included.
#[test]
fn a_large_tree_listed_on_every_core_gives_every_path_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Repo::init_bare(dir.path(), "main").unwrap();
    let mut edits = Vec::new();
    for i in 0..300u32 {
        let blob = repo.write_blob(format!("text {i}").as_bytes()).unwrap();
        edits.push(Edit::Put { path: format!("articles/{:02x}/{i}/index.md", i % 200), blob });
        if i % 50 == 0 {
            edits.push(Edit::Put { path: format!("articles/top-{i}.md"), blob });
        }
    }
    let tree = repo.edit_tree(None, &edits).unwrap();
    let mine: Vec<_> =
        repo.changed_paths(None, tree, "articles").unwrap().into_iter().map(|c| (c.path, c.old, c.new)).collect();
    let expected: Vec<_> =
        reference(&repo, None, tree).into_iter().filter(|(p, _, _)| p.starts_with("articles/")).collect();
    let mut sorted = mine.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    // In the order diff_trees gives (name order, level by level), which is libgit2's here too.
    let serial = {
        let mut out = Vec::new();
        let sub = repo.entry_at(tree, "articles").unwrap().unwrap().id;
        repo.all_paths(sub, "articles/", &mut out).unwrap();
        out.into_iter().map(|c| (c.path, c.old, c.new)).collect::<Vec<_>>()
    };
    assert_eq!(mine, serial);
}
