//! The order of `list`: the last article to arrive on the trunk first, by the time of the
//! commit that brought it (not the date it bears), the same from a cold index as from one
//! kept up to date commit by commit.

use crate::harness::*;

/// An article dated `date`.
fn dated(title: &str, date: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nauthors = [\"R. Lopez\"]\ncontingent = \"abc\"\ndate = {date}\nlicense = \"CC0-1.0\"\n+++\n{title}, the body.\n"
    )
}

/// Contributes `title` (slug: its first word, lower case) with the commit made at `at`.
fn contribute_at(env: &mut Env, c: &str, title: &str, date: &str, at: &str) {
    let slug = title.split_whitespace().next().unwrap().to_lowercase();
    let f = env.write(&format!("{slug}.md"), dated(title, date));
    env.vars = vec![("GIT_COMMITTER_DATE".into(), at.into()), ("GIT_AUTHOR_DATE".into(), at.into())];
    env.tribune(&["-C", c, "contribute", &f, "--slug", &slug]).ok();
    env.vars.clear();
}

/// (slug, arrived) of `list --json`, in order.
fn listed(env: &Env, c: &str, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["-C", c, "list", "--json"];
    args.extend_from_slice(extra);
    let r = env.tribune(&args).ok();
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| (e["slug"].as_str().unwrap().to_string(), e["arrived"].as_str().unwrap().to_string()))
        .collect()
}

fn slugs(rows: &[(String, String)]) -> Vec<&str> {
    rows.iter().map(|(s, _)| s.as_str()).collect()
}

/// A commit made with plain git on the trunk of the bare commons `c`: the trunk's tree with
/// `edits` (path, new text or None to remove), with `extra_parents` after the trunk, at `at`.
fn plain_commit(env: &Env, c: &str, edits: &[(&str, Option<&str>)], extra_parents: &[&str], at: &str) -> String {
    let index = env.path("plain-index");
    let _ = std::fs::remove_file(&index);
    // A bare repository has no work tree: an empty one lets update-index work on the index.
    let empty = env.path("empty-work-tree");
    std::fs::create_dir_all(&empty).unwrap();
    let mut script = format!(
        "set -e\nexport GIT_INDEX_FILE='{}' GIT_WORK_TREE='{}' GIT_COMMITTER_DATE='{at}' GIT_AUTHOR_DATE='{at}'\n\
         cd '{c}'\ngit read-tree main\n",
        index.display(),
        empty.display()
    );
    for (path, text) in edits {
        match text {
            Some(t) => {
                let file = env.write("plain-blob", t);
                script.push_str(&format!(
                    "git update-index --add --cacheinfo 100644,$(git hash-object -w '{file}'),{path}\n"
                ));
            }
            None => script.push_str(&format!("git update-index --force-remove {path}\n")),
        }
    }
    let parents: String = extra_parents.iter().map(|p| format!(" -p {p}")).collect();
    script.push_str(&format!(
        "c=$(git commit-tree $(git write-tree) -p main{parents} -m 'plain git')\ngit update-ref refs/heads/main $c\necho $c\n"
    ));
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", &script]);
    let r = env.run_command(cmd).ok();
    r.stdout.trim().to_string()
}

#[test]
fn list_shows_the_last_article_to_arrive_first_whatever_date_it_bears() {
    let mut env = Env::new();
    let c = env.commons();
    contribute_at(&mut env, &c, "Bravo strike", "2026-11-21", "2026-11-21T10:00:00Z");
    contribute_at(&mut env, &c, "Alpha rally", "2026-11-21", "2026-11-21T11:00:00Z");
    // Dated earlier than the others, but contributed last.
    contribute_at(&mut env, &c, "Charlie report", "2026-10-01", "2026-11-21T12:00:00Z");
    let rows = listed(&env, &c, &[]);
    assert_eq!(slugs(&rows), ["charlie", "alpha", "bravo"], "same-day articles are no longer alphabetical");
    assert_eq!(rows[0].1, "2026-11-21T12:00:00Z");
    assert_eq!(rows[2].1, "2026-11-21T10:00:00Z");
    assert_eq!(slugs(&listed(&env, &c, &["--limit", "1"])), ["charlie"], "--limit 1 is the newest");
    assert_eq!(slugs(&listed(&env, &c, &["--limit", "2"])), ["charlie", "alpha"]);
    // The table is in the same order.
    let table = env.tribune(&["-C", &c, "list"]).ok().stdout;
    let first: Vec<&str> = table.lines().skip(1).map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(first, ["charlie", "alpha", "bravo"], "{table}");
}

#[test]
fn arrival_follows_the_trunk_and_a_cold_index_agrees_with_a_kept_one() {
    let mut env = Env::new();
    let c = env.commons();
    contribute_at(&mut env, &c, "Bravo strike", "2026-11-21", "2026-11-21T10:00:00Z");
    let side_base = rev(&env, &c, "main");
    contribute_at(&mut env, &c, "Alpha rally", "2026-11-21", "2026-11-21T11:00:00Z");
    contribute_at(&mut env, &c, "Charlie report", "2026-11-21", "2026-11-21T12:00:00Z");
    assert_eq!(slugs(&listed(&env, &c, &[])), ["charlie", "alpha", "bravo"]);

    // A new text of bravo is not an arrival: it keeps its place.
    let bravo = text_path("bravo");
    plain_commit(
        &env,
        &c,
        &[(&bravo, Some(&dated("Bravo strike, updated", "2026-11-21")))],
        &[],
        "2026-11-21T13:00:00Z",
    );
    assert_eq!(slugs(&listed(&env, &c, &[])), ["charlie", "alpha", "bravo"]);

    // An article made on a side line at 09:00 arrives on the trunk with the merge, at 14:00.
    let delta = text_path("delta");
    let side = {
        let index = env.path("side-index");
        std::fs::create_dir_all(env.path("empty-work-tree")).unwrap();
        let file = env.write("delta.md", dated("Delta picket", "2026-11-20"));
        let script = format!(
            "set -e\nexport GIT_INDEX_FILE='{}' GIT_WORK_TREE='{}' GIT_COMMITTER_DATE=2026-11-21T09:00:00Z\n\
             cd '{c}'\ngit read-tree {side_base}\n\
             git update-index --add --cacheinfo 100644,$(git hash-object -w '{file}'),{delta}\n\
             git commit-tree $(git write-tree) -p {side_base} -m side\n",
            index.display(),
            env.path("empty-work-tree").display()
        );
        let mut cmd = std::process::Command::new("sh");
        cmd.args(["-c", &script]);
        env.run_command(cmd).ok().stdout.trim().to_string()
    };
    let delta_text = env.git(&["-C", &c, "show", &format!("{side}:{delta}")]).ok().stdout;
    plain_commit(&env, &c, &[(&delta, Some(&delta_text))], &[&side], "2026-11-21T14:00:00Z");
    let rows = listed(&env, &c, &[]);
    assert_eq!(slugs(&rows), ["delta", "charlie", "alpha", "bravo"]);
    assert_eq!(rows[0].1, "2026-11-21T14:00:00Z", "arrived with the merge");

    // Removed and added again: it arrives again.
    let alpha = text_path("alpha");
    let alpha_text = env.git(&["-C", &c, "show", &format!("main:{alpha}")]).ok().stdout;
    plain_commit(&env, &c, &[(&alpha, None)], &[], "2026-11-21T15:00:00Z");
    assert_eq!(slugs(&listed(&env, &c, &[])), ["delta", "charlie", "bravo"]);
    plain_commit(&env, &c, &[(&alpha, Some(&alpha_text))], &[], "2026-11-21T16:00:00Z");
    let kept = listed(&env, &c, &[]);
    assert_eq!(slugs(&kept), ["alpha", "delta", "charlie", "bravo"]);
    assert_eq!(kept[0].1, "2026-11-21T16:00:00Z");

    // The index built from nothing says the same as the one kept up to date.
    std::fs::remove_dir_all(env.path("c/tribune/index")).unwrap();
    assert_eq!(listed(&env, &c, &[]), kept);

    // A trunk moved back (a rewound history) is read again from its own line.
    let back = rev(&env, &c, "main~2");
    env.git(&["-C", &c, "update-ref", "refs/heads/main", &back]).ok();
    let rewound = listed(&env, &c, &[]);
    assert_eq!(slugs(&rewound), ["delta", "charlie", "alpha", "bravo"]);
    assert_eq!(rewound[2].1, "2026-11-21T11:00:00Z");
    std::fs::remove_dir_all(env.path("c/tribune/index")).unwrap();
    assert_eq!(listed(&env, &c, &[]), rewound);
}

/// Articles that arrive in the same second, one commit after another (a script, a batch):
/// the last one is still first, ahead of any alphabetical or date order, from a cold index
/// as from one kept up to date.
#[test]
fn articles_of_one_second_are_newest_first_by_their_place_on_the_trunk() {
    let env = Env::new();
    let c = env.commons();
    env.freeze_clock();
    for (title, date) in
        [("Zulu strike", "2026-11-01"), ("Aardvark march", "2026-11-21"), ("Mill closed", "2026-10-01")]
    {
        let slug = title.split_whitespace().next().unwrap().to_lowercase();
        let f = env.write(&format!("{slug}.md"), dated(title, date));
        env.tribune(&["-C", &c, "contribute", &f, "--slug", &slug]).ok();
        let rows = listed(&env, &c, &["--limit", "1"]);
        assert_eq!(slugs(&rows), [slug.as_str()], "after {title}");
    }
    let warm = listed(&env, &c, &[]);
    assert_eq!(slugs(&warm), ["mill", "aardvark", "zulu"]);
    std::fs::remove_dir_all(format!("{c}/tribune/index")).unwrap();
    assert_eq!(listed(&env, &c, &[]), warm);
}

/// The editions' index built from nothing (every edition read at once, on both cores) is the
/// index kept up to date rewrite by rewrite: versions, bases and counts alike, with a bulk
/// rewrite of two articles made with plain git (no trailers) on one edition.
#[test]
fn a_cold_editions_index_agrees_with_one_kept_rewrite_by_rewrite() {
    let env = Env::new();
    let c = env.commons();
    for (slug, who) in [("port", "abc"), ("rent", "xyz"), ("heat", "abc")] {
        env.contribute(&c, slug, &article(&format!("About {slug}"), who, "", "The first text.\n")).ok();
    }
    let read = |what: &[&str]| -> Vec<serde_json::Value> {
        let mut out = vec![env.tribune(&["-C", &c, "list", "--json"]).ok().json()];
        for slug in what {
            out.push(env.tribune(&["-C", &c, "versions", slug, "--json"]).ok().json());
        }
        out
    };
    let slugs = ["port", "rent", "heat"];
    for (slug, contingent) in [("port", "xyz"), ("rent", "abc"), ("heat", "xyz")] {
        let f = env.write(
            &format!("{slug}-{contingent}.md"),
            article(&format!("About {slug}"), contingent, "", "Rewritten.\n"),
        );
        env.tribune(&["-C", &c, "rewrite", slug, "--contingent", contingent, "--file", &f]).ok();
        read(&slugs);
    }
    // Two texts rewritten in one plain-git commit on xyz's edition.
    let w = env.clone_of(&c, "w");
    env.git(&["-C", &w, "checkout", "-q", "-b", "x", "origin/contingents/xyz"]).ok();
    for slug in ["port", "rent"] {
        let path = format!("{w}/{}", text_path(slug));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\nAnd a paragraph of xyz's.\n")).unwrap();
    }
    env.git(&["-C", &w, "commit", "-q", "-am", "two rewrites at once"]).ok();
    env.git(&["-C", &w, "push", "-q", "origin", "x:contingents/xyz"]).ok();
    let kept = read(&slugs);
    assert!(kept[2].to_string().contains("two rewrites at once"), "{}", kept[2]);
    std::fs::remove_dir_all(format!("{c}/tribune/index")).unwrap();
    assert_eq!(read(&slugs), kept, "the cold index differs");
}
