//! Rival versions: `rewrite`, `versions`, `diff`, `update`, `list --edition` and `show SLUG@ID`, checked against what plain git sees.

use crate::harness::*;
use serde_json::{json, Value};

const SLUG: &str = "strike-at-the-plant";
const RENT: &str = "rent-strike-spreads";

/// The trunk's text: contributed by xyz, so that a rewrite by abc changes the contingent.
fn original() -> String {
    article("Strike at the plant", "xyz", "", "The strike lasted four hours.\n\nManagement gave in.\n")
}

/// abc's rewrite: two words in, one out.
fn rewritten() -> String {
    original().replace("four hours", "five long hours")
}

fn rent() -> String {
    article("Rent strike spreads", "abc", "", "Tenants in four buildings stopped paying.\n")
}

/// A new sandbox with a commons with the strike article on its trunk; returns (env,
/// commons, trunk version).
fn setup() -> (Env, String, String) {
    let (env, c) = commons();
    let a = env.write("original.md", original());
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    let v = blob(&env, &c, "main", SLUG);
    (env, c, v)
}

/// [`setup`] and abc's rewrite ([`rewritten`]); returns (env, commons, trunk version, abc's
/// version).
fn abc_rewrote() -> (Env, String, String, String) {
    let (env, c, trunk) = setup();
    rewrite(&env, &c, SLUG, "abc", &rewritten(), &[]).ok();
    let mine = blob(&env, &c, "contingents/abc", SLUG);
    (env, c, trunk, mine)
}

/// The author date of the commit `what`, as plain git gives it (RFC 3339, UTC).
fn author_date(env: &Env, c: &str, what: &str) -> String {
    env.git(&["-C", c, "log", "-1", "--date=format-local:%Y-%m-%dT%H:%M:%SZ", "--format=%ad", what])
        .ok()
        .stdout
        .trim()
        .into()
}

/// Contributes the rent article to the trunk.
fn add_rent(env: &Env, c: &str) {
    let f = env.write("rent.md", rent());
    env.tribune(&["-C", c, "contribute", &f]).ok();
}

/// [`setup`] with the rent article, abc's rewrite of the strike article, then a new trunk
/// text of the rent article (which abc did not rewrite).
fn rent_moved_on() -> (Env, String) {
    let (env, c, _) = setup();
    add_rent(&env, &c);
    rewrite(&env, &c, SLUG, "abc", &rewritten(), &[]).ok();
    update_trunk(&env, &c, &rent().replace("four buildings", "nine buildings"));
    (env, c)
}

/// Makes a shell script with `body` the editor (GIT_EDITOR); returns its path.
fn editor(env: &mut Env, body: &str) -> String {
    let ed = env.script("editor.sh", body);
    env.vars.push(("GIT_EDITOR".into(), ed.clone()));
    ed
}

/// The blob id of `slug`'s text at `what` (a ref), as plain git sees it.
fn blob(env: &Env, c: &str, what: &str, slug: &str) -> String {
    rev(env, c, &format!("{what}:{}", text_path(slug)))
}

/// The stored text of `slug` at `what`, as plain git shows it.
fn stored(env: &Env, c: &str, what: &str, slug: &str) -> String {
    env.git(&["-C", c, "show", &format!("{what}:{}", text_path(slug))]).ok().stdout
}

/// Does the ref exist?
fn has_ref(env: &Env, c: &str, refname: &str) -> bool {
    env.git(&["-C", c, "rev-parse", "--verify", "-q", refname]).code == 0
}

/// `tribune rewrite SLUG --contingent ID --file F EXTRA...` with `text` in F.
fn rewrite(env: &Env, c: &str, slug: &str, contingent: &str, text: &str, extra: &[&str]) -> Run {
    let f = env.write(&format!("rewrite-{contingent}.md"), text);
    let mut args = vec!["-C", c, "rewrite", slug, "--contingent", contingent, "--file", f.as_str()];
    args.extend_from_slice(extra);
    env.tribune(&args)
}

/// A new trunk text of an article (`contribute --update`).
fn update_trunk(env: &Env, c: &str, text: &str) {
    let f = env.write("trunk-update.md", text);
    env.tribune(&["-C", c, "contribute", &f, "--update"]).ok();
}

/// `tribune versions SLUG --json`, one value per row.
fn versions(env: &Env, c: &str, slug: &str) -> Vec<Value> {
    let r = env.tribune(&["-C", c, "versions", slug, "--json"]).ok();
    r.json().as_array().unwrap_or_else(|| panic!("not an array: {}", r.stdout)).clone()
}

/// The values of `keys` in the row `v`, as one JSON array.
fn fields(v: &Value, keys: &[&str]) -> Value {
    Value::Array(keys.iter().map(|k| v[*k].clone()).collect())
}

fn places(v: &Value) -> Vec<&str> {
    v["places"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect()
}

/// The front matter of a stored text, parsed.
fn front(text: &str) -> toml::Table {
    let rest = text.strip_prefix("+++\n").unwrap_or_else(|| panic!("no front matter:\n{text}"));
    let end = rest.find("\n+++\n").unwrap_or_else(|| panic!("no closing fence:\n{text}"));
    toml::from_str(&rest[..end + 1]).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

/// The body of a stored text (after the closing fence).
fn body(text: &str) -> &str {
    let i = text[4..].find("\n+++\n").unwrap() + 4;
    &text[i + 5..]
}

/// The value after `name` on a line of a report (`  version  <id>`).
fn field<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix(name).map(str::trim))
        .unwrap_or_else(|| panic!("no {name} line in:\n{stdout}"))
}

/// A working clone of the commons on `branch`, for changes made with plain git.
fn clone(env: &Env, c: &str, branch: &str, dir: &str) -> String {
    let w = env.path(dir).to_string_lossy().into_owned();
    env.git(&["clone", "-q", "-b", branch, c, &w]).ok();
    w
}

/// The branch `contingents/ID` made with plain git at the trunk, and a working clone `w` of it.
fn plain_git_edition(env: &Env, c: &str, contingent: &str) -> String {
    let branch = format!("contingents/{contingent}");
    env.git(&["-C", c, "branch", &branch, "main"]).ok();
    clone(env, c, &branch, "w")
}

/// abc's rewrite made with plain git ("four hours" becomes "six hours"), in a commit without trailers.
fn six_hours_by_hand(env: &Env, c: &str) {
    let w = plain_git_edition(env, c, "abc");
    let file = format!("{w}/{}", text_path(SLUG));
    std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("four hours", "six hours")).unwrap();
    commit_and_push(env, &w, "contingents/abc", "Six hours, by hand");
}

// ---------------------------------------------------------------------------------------
// rewrite

#[test]
fn a_rewrite_from_a_file_is_one_commit_on_the_contingents_branch_started_from_the_trunk() {
    let (env, c, trunk) = setup();
    let main_before = rev(&env, &c, "main");
    assert!(!has_ref(&env, &c, "refs/heads/contingents/abc"));

    let r = rewrite(&env, &c, SLUG, "abc", &rewritten(), &["-m", "Five hours, not four"]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let tip = rev(&env, &c, "refs/heads/contingents/abc");
    let version = blob(&env, &c, "contingents/abc", SLUG);
    assert_eq!(r.stdout.lines().next().unwrap(), format!("Rewrote {SLUG} for abc"), "{}", r.stdout);
    assert_eq!(field(&r.stdout, "version"), version);
    assert_eq!(field(&r.stdout, "base"), format!("{trunk} (trunk)"));
    assert_eq!(field(&r.stdout, "commit"), tip);
    assert_eq!(field(&r.stdout, "branch"), "contingents/abc");

    // The branch starts at the trunk tip with exactly one commit; the trunk is untouched.
    assert_eq!(rev(&env, &c, "main"), main_before, "the trunk moved");
    assert_eq!(rev(&env, &c, "contingents/abc^"), main_before, "the branch does not start at the trunk tip");
    assert_eq!(env.git(&["-C", &c, "rev-list", "--count", "main..contingents/abc"]).ok().stdout.trim(), "1");
    assert_eq!(
        env.git(&["-C", &c, "diff-tree", "-r", "--name-status", "main", "contingents/abc"]).ok().stdout,
        format!("M\t{}\n", text_path(SLUG))
    );

    // The stored text names abc and records where it came from.
    let text = stored(&env, &c, "contingents/abc", SLUG);
    let fm = front(&text);
    assert_eq!(fm["contingent"].as_str(), Some("abc"), "{text}");
    assert_eq!(fm["title"].as_str(), Some("Strike at the plant"));
    let derived = fm["derived_from"].as_array().unwrap_or_else(|| panic!("no derived_from:\n{text}"));
    assert_eq!(derived.len(), 1, "{text}");
    let d = derived[0].as_table().unwrap();
    assert_eq!(d["relation"].as_str(), Some("wasRevisionOf"));
    assert_eq!(d["slug"].as_str(), Some(SLUG));
    assert_eq!(d["version"].as_str(), Some(trunk.as_str()));
    assert_eq!(d["contingent"].as_str(), Some("xyz"), "the base's contingent");
    assert_eq!(body(&text), "The strike lasted five long hours.\n\nManagement gave in.\n");

    // The commit: subject, summary, trailers.
    let msg = message_of(&env, &c, "contingents/abc");
    assert_eq!(msg.lines().next().unwrap(), "rewrite: Strike at the plant", "{msg}");
    assert!(msg.lines().any(|l| l == "Five hours, not four"), "{msg}");
    assert_lines(
        &msg,
        &[
            "Tribune-Action: rewrite",
            &format!("Tribune-Article: {SLUG}"),
            "Tribune-Contingent: abc",
            &format!("Tribune-Base: {trunk}"),
            &format!("Tribune-Trunk-Base: {trunk}"),
        ],
    );
    let parsed = env
        .git(&[
            "-C",
            &c,
            "log",
            "-1",
            "--format=%(trailers:key=Tribune-Base,valueonly)%(trailers:key=Tribune-Trunk-Base,valueonly)",
            "contingents/abc",
        ])
        .ok()
        .stdout;
    assert_eq!(parsed.trim(), format!("{trunk}\n{trunk}"), "git reads the trailers");

    // Plain git sees it.
    let log = env.git(&["-C", &c, "log", "--format=%s", "contingents/abc"]).ok().stdout;
    assert_eq!(log.lines().next(), Some("rewrite: Strike at the plant"), "{log}");
    let diff = env.git(&["-C", &c, "diff", "main", "contingents/abc", "--", &text_path(SLUG)]).ok().stdout;
    assert!(diff.lines().any(|l| l == "+The strike lasted five long hours."), "{diff}");
    assert!(diff.lines().any(|l| l == "-The strike lasted four hours."), "{diff}");
    assert!(diff.lines().any(|l| l == "+contingent = \"abc\""), "{diff}");
    assert!(diff.lines().any(|l| l == "+relation = \"wasRevisionOf\""), "{diff}");
    env.fsck(&c);
}

#[test]
fn rewrite_reads_standard_input_and_reports_as_json() {
    let (env, c, trunk) = setup();
    let r = env
        .tribune_stdin(
            &["-C", &c, "rewrite", SLUG, "--contingent", "abc", "--file", "-", "--json"],
            rewritten().as_bytes(),
        )
        .ok();
    let v = r.json();
    assert_eq!(v["slug"], SLUG);
    assert_eq!(v["contingent"], "abc");
    assert_eq!(v["branch"], "contingents/abc");
    assert_eq!(v["version"], blob(&env, &c, "contingents/abc", SLUG).as_str());
    assert_eq!(v["base"], trunk.as_str());
    assert_eq!(v["base_place"], "trunk");
    assert_eq!(v["trunk_base"], trunk.as_str());
    assert_eq!(v["commit"], rev(&env, &c, "contingents/abc").as_str());
    assert!(body(&stored(&env, &c, "contingents/abc", SLUG)).contains("five long hours"));
    env.fsck(&c);
}

#[test]
fn a_second_rewrite_starts_from_the_contingents_own_version() {
    let (env, c, trunk, first) = abc_rewrote();
    let first_commit = rev(&env, &c, "contingents/abc");
    // Edit what abc has, as an editor would.
    let again = stored(&env, &c, "contingents/abc", SLUG).replace("Management gave in.", "Management finally gave in.");
    let r = rewrite(&env, &c, SLUG, "abc", &again, &["-m", "Finally"]).ok();
    assert_eq!(field(&r.stdout, "base"), format!("{first} (contingents/abc)"));
    let second = blob(&env, &c, "contingents/abc", SLUG);
    assert_eq!(rev(&env, &c, "contingents/abc^"), first_commit, "the second rewrite follows the first");

    let msg = message_of(&env, &c, "contingents/abc");
    assert!(msg.lines().any(|l| l == format!("Tribune-Base: {first}")), "{msg}");
    assert!(msg.lines().any(|l| l == format!("Tribune-Trunk-Base: {trunk}")), "{msg}");

    let text = stored(&env, &c, "contingents/abc", SLUG);
    assert_eq!(text.matches("[[derived_from]]").count(), 1, "one wasRevisionOf, the newest:\n{text}");
    let fm = front(&text);
    let d = fm["derived_from"].as_array().unwrap()[0].as_table().unwrap().clone();
    assert_eq!(d["version"].as_str(), Some(first.as_str()));
    assert_eq!(d["contingent"].as_str(), Some("abc"));
    assert_eq!(body(&text), "The strike lasted five long hours.\n\nManagement finally gave in.\n");

    // Only the newest text is a version; it still counts from the trunk text it started from.
    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 2, "{vs:?}");
    assert_eq!(vs[1]["version"], second.as_str());
    assert_eq!(vs[1]["status"], "current");
    assert_eq!(vs[1]["base"], first.as_str());
    assert_eq!(vs[1]["trunk_base"], trunk.as_str());
    assert_eq!(vs[1]["summary"], "Finally");
    assert_eq!(vs[1]["words_added"], 3); // "five long" and "finally"
    assert_eq!(vs[1]["words_removed"], 1);
    env.fsck(&c);
}

#[test]
fn a_rewrite_keeps_other_derived_from_entries_and_replaces_only_wasrevisionof() {
    let (env, c, trunk) = setup();
    let quoted = "[[derived_from]]\nrelation = \"wasQuotedFrom\"\nurl = \"https://example.org/leaflet\"\n";
    let old_revision = "[[derived_from]]\nrelation = \"wasRevisionOf\"\nslug = \"elsewhere\"\n";
    let text = article(
        "Strike at the plant",
        "xyz",
        &format!("{quoted}{old_revision}"),
        "The strike lasted five long hours.\n\nManagement gave in.\n",
    );
    rewrite(&env, &c, SLUG, "abc", &text, &[]).ok();
    let stored_text = stored(&env, &c, "contingents/abc", SLUG);
    let fm = front(&stored_text);
    let derived = fm["derived_from"].as_array().unwrap();
    assert_eq!(derived.len(), 2, "{stored_text}");
    assert_eq!(derived[0]["relation"].as_str(), Some("wasQuotedFrom"));
    assert_eq!(derived[0]["url"].as_str(), Some("https://example.org/leaflet"));
    assert_eq!(derived[1]["relation"].as_str(), Some("wasRevisionOf"));
    assert_eq!(derived[1]["version"].as_str(), Some(trunk.as_str()));
    assert!(!stored_text.contains("elsewhere"), "{stored_text}");
    env.fsck(&c);
}

#[test]
fn the_editor_path_commits_what_the_editor_saved() {
    let (mut env, c, trunk) = setup();
    let seen = env.path("seen.md").to_string_lossy().into_owned();
    let name = env.path("name.txt").to_string_lossy().into_owned();
    editor(
        &mut env,
        &format!("cp \"$1\" '{seen}'\nprintf %s \"$1\" > '{name}'\nsed -i 's/four hours/five long hours/' \"$1\""),
    );
    let r = env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "abc", "-m", "Edited"]).ok();
    assert_eq!(r.stdout.lines().next().unwrap(), format!("Rewrote {SLUG} for abc"), "{}", r.stdout);
    // The editor was given the trunk's text, in a file named after the slug.
    assert_eq!(std::fs::read_to_string(&seen).unwrap(), original());
    assert!(std::fs::read_to_string(&name).unwrap().ends_with(&format!("/{SLUG}.md")));
    let text = stored(&env, &c, "contingents/abc", SLUG);
    assert_eq!(body(&text), "The strike lasted five long hours.\n\nManagement gave in.\n");
    assert_eq!(front(&text)["contingent"].as_str(), Some("abc"));
    let msg = message_of(&env, &c, "contingents/abc");
    assert!(msg.lines().any(|l| l == format!("Tribune-Base: {trunk}")), "{msg}");
    assert!(msg.lines().any(|l| l == "Edited"), "{msg}");
    env.fsck(&c);
}

#[test]
fn the_editor_is_chosen_as_git_chooses_it() {
    let (mut env, c, _) = setup();
    let good = env.script("good.sh", "sed -i 's/four hours/five long hours/' \"$1\"");
    let bad = env.script("bad.sh", "exit 4");
    // core.editor (the commons' config) beats VISUAL and EDITOR.
    env.git(&["-C", &c, "config", "core.editor", &good]).ok();
    env.vars.push(("VISUAL".into(), bad.clone()));
    env.vars.push(("EDITOR".into(), bad.clone()));
    env.tribune(&["-C", &c, "rewrite", SLUG, "--contingent", "abc"]).ok();
    assert!(body(&stored(&env, &c, "contingents/abc", SLUG)).contains("five long hours"));
    // GIT_EDITOR beats core.editor.
    env.vars.push(("GIT_EDITOR".into(), bad.clone()));
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "xyz"], 1, &["editor", "status 4"]);
}

#[test]
fn an_editor_that_fails_writes_nothing() {
    let (mut env, c, _) = setup();
    let ed = editor(&mut env, "sed -i 's/four/five/' \"$1\"\nexit 3");
    refused(
        &env,
        &c,
        &["-C", &c, "rewrite", SLUG, "--contingent", "abc"],
        1,
        &["editor", &ed, "status 3", "nothing was written", "hint:"],
    );
    assert!(!has_ref(&env, &c, "refs/heads/contingents/abc"), "the branch was created");
}

#[test]
fn an_editor_that_saves_the_text_unchanged_writes_nothing() {
    let (mut env, c, _) = setup();
    editor(&mut env, "exit 0");
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc"], 1, &["no change", "trunk"]);
    assert!(!has_ref(&env, &c, "refs/heads/contingents/abc"));
    // Once abc has its own version, saving that unchanged is no change either.
    rewrite(&env, &c, SLUG, "abc", &rewritten(), &[]).ok();
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc"], 1, &["no change", "contingents/abc"]);
}

#[test]
fn a_rewrite_with_bad_input_is_refused_and_writes_nothing() {
    let (env, c, _) = setup();
    let f = env.write("r.md", rewritten());
    let same = env.write("same.md", original());
    let bare = env.write("bare.md", "No front matter here.\n");
    refused(
        &env,
        &c,
        &["-C", &c, "rewrite", SLUG, "--contingent", "nope", "--file", &f],
        1,
        &["no contingent \"nope\"", "abc, xyz"],
    );
    refused(
        &env,
        &c,
        &["-C", &c, "rewrite", "strike-at-the-plan", "--contingent", "abc", "--file", &f],
        1,
        &["no article \"strike-at-the-plan\"", &format!("did you mean {SLUG}")],
    );
    refused(
        &env,
        &c,
        &["-C", &c, "rewrite", "Bad_Slug", "--contingent", "abc", "--file", &f],
        1,
        &["slug", "not valid"],
    );
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc", "--file", &same], 1, &["no change"]);
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc", "--file", &bare], 1, &["front matter"]);
    let missing = env.path("missing.md").to_string_lossy().into_owned();
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc", "--file", &missing], 1, &["cannot read"]);
    refused(
        &env,
        &c,
        &["-C", &c, "rewrite", SLUG, "--contingent", "abc", "--file", &f, "-m", "two\nlines"],
        2,
        &["-m"],
    );
    assert!(!has_ref(&env, &c, "refs/heads/contingents/abc"));
    env.fsck(&c);
}

// ---------------------------------------------------------------------------------------
// versions

#[test]
fn a_fresh_rewrite_is_current_and_listed_after_the_trunk() {
    let (env, c, trunk) = setup();
    rewrite(&env, &c, SLUG, "abc", &rewritten(), &["-m", "Five hours, not four"]).ok();
    let at = env.last();
    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 2, "{vs:?}");
    assert_eq!(vs[0]["version"], trunk.as_str());
    assert_eq!(places(&vs[0]), ["trunk"]);
    assert_eq!(fields(&vs[0], &["status", "author", "summary"]), json!(["identical", "R. Lopez", null]));
    assert_eq!((vs[0]["words_added"].as_u64(), vs[0]["words_removed"].as_u64()), (Some(0), Some(0)));

    assert_eq!(vs[1]["version"], blob(&env, &c, "contingents/abc", SLUG).as_str());
    assert_eq!(places(&vs[1]), ["contingents/abc"]);
    assert_eq!(
        fields(&vs[1], &["status", "author", "summary", "date"]),
        json!(["current", "Test Author", "Five hours, not four", at])
    );
    assert_eq!(vs[1]["base"], trunk.as_str());
    assert_eq!(vs[1]["trunk_base"], trunk.as_str());
    assert_eq!(vs[1]["commit"], rev(&env, &c, "contingents/abc").as_str());
    assert_eq!((vs[1]["words_added"].as_u64(), vs[1]["words_removed"].as_u64()), (Some(2), Some(1)));

    let r = env.tribune(&["-C", &c, "versions", SLUG]).ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["VERSION", "WHERE", "STATUS", "STANDING", "AUTHOR", "DATE", "SUMMARY"]
    );
    assert!(lines[1].starts_with(&trunk[..10]) && lines[1].contains("identical"), "{}", r.stdout);
    assert!(lines[2].contains("contingents/abc") && lines[2].contains("current"), "{}", r.stdout);
    assert!(lines[2].contains("Five hours, not four"), "{}", r.stdout);
}

#[test]
fn a_rewrite_is_stale_once_the_trunk_replaces_its_base() {
    let (env, c, old_trunk, mine) = abc_rewrote();
    update_trunk(&env, &c, &original().replace("Management gave in.", "Management quickly gave in."));
    let new_trunk = blob(&env, &c, "main", SLUG);
    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 2, "{vs:?}");
    assert_eq!(vs[0]["version"], new_trunk.as_str());
    assert_eq!(vs[1]["version"], mine.as_str());
    assert_eq!(vs[1]["status"], "stale");
    assert_eq!(vs[1]["trunk_base"], old_trunk.as_str());
    // Against the present trunk: "five long" in, "four" and "quickly" out.
    assert_eq!((vs[1]["words_added"].as_u64(), vs[1]["words_removed"].as_u64()), (Some(2), Some(2)));
    let r = env.tribune(&["-C", &c, "versions", SLUG]).ok();
    assert!(r.stdout.lines().any(|l| l.contains("contingents/abc") && l.contains("stale")), "{}", r.stdout);
}

#[test]
fn a_branch_text_equal_to_the_trunks_is_identical_and_grouped_with_it() {
    let (env, c, _, _) = abc_rewrote();
    let mine = stored(&env, &c, "contingents/abc", SLUG);
    update_trunk(&env, &c, &mine);
    assert_eq!(blob(&env, &c, "main", SLUG), blob(&env, &c, "contingents/abc", SLUG));
    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 1, "{vs:?}");
    assert_eq!(places(&vs[0]), ["trunk", "contingents/abc"]);
    assert_eq!(vs[0]["status"], "identical");
    assert_eq!(vs[0]["version"], blob(&env, &c, "main", SLUG).as_str());
    let r = env.tribune(&["-C", &c, "versions", SLUG]).ok();
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    assert!(r.stdout.contains("trunk, contingents/abc"), "{}", r.stdout);
    // One text, one version.
    assert_eq!(versions_listed(&env, &c), 1);
}

#[test]
fn contingents_with_the_same_text_share_one_row() {
    let (env, c, trunk, _) = abc_rewrote();
    env.git(&["-C", &c, "update-ref", "refs/heads/contingents/xyz", "refs/heads/contingents/abc"]).ok();
    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 2, "{vs:?}");
    assert_eq!(places(&vs[0]), ["trunk"]);
    let mut p = places(&vs[1]);
    p.sort();
    assert_eq!(p, ["contingents/abc", "contingents/xyz"]);
    assert_eq!(vs[1]["status"], "current");
    assert_eq!(vs[1]["trunk_base"], trunk.as_str());
    let r = env.tribune(&["-C", &c, "diff", SLUG, "abc", "xyz", "--color", "never"]).ok();
    assert!(r.stdout.contains("same text"), "{}", r.stdout);
    assert_eq!(versions_listed(&env, &c), 2);
}

#[test]
fn a_plain_git_rewrite_counts_from_where_the_branch_left_the_trunk() {
    let (env, c, trunk) = setup();
    six_hours_by_hand(&env, &c);
    let mine = blob(&env, &c, "contingents/abc", SLUG);

    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 2, "{vs:?}");
    assert_eq!(vs[1]["version"], mine.as_str());
    assert_eq!(vs[1]["status"], "current");
    assert_eq!(vs[1]["base"], Value::Null);
    assert_eq!(vs[1]["trunk_base"], trunk.as_str());
    assert_eq!(vs[1]["summary"], "Six hours, by hand");
    assert_eq!(vs[1]["author"], "Test Author");
    assert_eq!((vs[1]["words_added"].as_u64(), vs[1]["words_removed"].as_u64()), (Some(1), Some(1)));

    update_trunk(&env, &c, &original().replace("Management", "The management"));
    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs[1]["status"], "stale", "{vs:?}");
    env.fsck(&c);
}

#[test]
fn an_article_only_on_a_branch_is_unrelated() {
    let (env, c, _) = setup();
    let w = plain_git_edition(&env, &c, "xyz");
    let slug = "night-shift-notes";
    env.write(
        &format!("w/{}", text_path(slug)),
        article("Night shift notes", "xyz", "", "Only xyz prints this.\n\nIt has six words in all.\n"),
    );
    commit_and_push(&env, &w, "contingents/xyz", "Night shift notes");
    let version = blob(&env, &c, "contingents/xyz", slug);

    let vs = versions(&env, &c, slug);
    assert_eq!(vs.len(), 1, "{vs:?}");
    assert_eq!(vs[0]["version"], version.as_str());
    assert_eq!(places(&vs[0]), ["contingents/xyz"]);
    assert_eq!(vs[0]["status"], "unrelated");
    assert_eq!(vs[0]["trunk_base"], Value::Null);
    assert_eq!(vs[0]["title"], "Night shift notes");
    assert_eq!((vs[0]["words_added"].as_u64(), vs[0]["words_removed"].as_u64()), (Some(10), Some(0)));
    let r = env.tribune(&["-C", &c, "versions", slug]).ok();
    assert!(r.stdout.contains("unrelated"), "{}", r.stdout);

    // show finds it on the branch; the trunk has no such article.
    let raw = env.tribune(&["-C", &c, "show", &format!("{slug}@xyz"), "--raw"]).ok();
    assert_eq!(raw.stdout, stored(&env, &c, "contingents/xyz", slug));
    refused(&env, &c, &["-C", &c, "show", slug], 1, &["no article"]);
    // xyz's edition lists it as its own.
    let rows = env.tribune(&["-C", &c, "list", "--edition", "xyz", "--json"]).ok().json();
    let row = rows.as_array().unwrap().iter().find(|r| r["slug"] == slug).unwrap_or_else(|| panic!("{rows}"));
    assert_eq!(row["rewritten"], true);
    assert_eq!(row["version"], version.as_str());
    // The trunk's list does not.
    let rows = env.tribune(&["-C", &c, "list", "--json"]).ok().json();
    assert!(rows.as_array().unwrap().iter().all(|r| r["slug"] != slug), "{rows}");
}

#[test]
fn rewrites_are_listed_newest_first_after_the_trunk() {
    let (mut env, c, trunk, _) = abc_rewrote();
    // When abc rewrote it, as plain git has it: before xyz's rewrite below.
    let abc_at = author_date(&env, &c, "contingents/abc");
    env.vars.push(("GIT_AUTHOR_DATE".into(), "2026-11-22T12:00:00Z".into()));
    env.vars.push(("GIT_AUTHOR_NAME".into(), "Rosa Lopez".into()));
    rewrite(&env, &c, SLUG, "xyz", &original().replace("four hours", "three hours"), &["-m", "Three"]).ok();
    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 3, "{vs:?}");
    assert_eq!(vs[0]["version"], trunk.as_str());
    assert_eq!(places(&vs[1]), ["contingents/xyz"]);
    assert_eq!(fields(&vs[1], &["date", "author", "summary"]), json!(["2026-11-22T12:00:00Z", "Rosa Lopez", "Three"]));
    assert_eq!(places(&vs[2]), ["contingents/abc"]);
    assert_eq!(vs[2]["date"], abc_at.as_str());
    assert!(vs.iter().skip(1).all(|v| v["status"] == "current"), "{vs:?}");
    let r = env.tribune(&["-C", &c, "versions", SLUG]).ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[2].contains("contingents/xyz") && lines[2].contains("2026-11-22"), "{}", r.stdout);
    assert!(lines[3].contains("contingents/abc"), "{}", r.stdout);
    assert_eq!(versions_listed(&env, &c), 3);
}

#[test]
fn the_status_of_a_plain_git_rewrite_does_not_depend_on_the_derived_index() {
    let (env, c, _) = setup();
    six_hours_by_hand(&env, &c);
    // The trunk changes the text abc started from: abc's text is stale, and stays stale
    // when abc's edition is brought up to the trunk (the rewrite is still of the old text).
    update_trunk(&env, &c, &original().replace("Management", "The management"));
    assert_eq!(versions(&env, &c, SLUG)[1]["status"], "stale");
    env.tribune(&["-C", &c, "update", "--contingent", "abc"]).ok();
    let cached = versions(&env, &c, SLUG);
    assert_eq!(cached[1]["status"], "stale", "{cached:?}");
    // DESIGN, "Derived index": deleting it changes no result.
    let git_dir = env.git(&["-C", &c, "rev-parse", "--absolute-git-dir"]).ok().stdout.trim().to_string();
    std::fs::remove_dir_all(format!("{git_dir}/tribune/index")).unwrap();
    let rebuilt = versions(&env, &c, SLUG);
    assert_eq!(rebuilt, cached, "the result changed when the derived index was rebuilt");
}

#[test]
fn versions_of_an_unknown_article_are_refused() {
    let (env, c, _) = setup();
    let hint = format!("did you mean {SLUG}");
    refused(&env, &c, &["-C", &c, "versions", "strike-at-the-plan"], 1, &["no article", &hint]);
    refused(&env, &c, &["-C", &c, "versions", "Bad_Slug"], 1, &["not valid"]);
}

// ---------------------------------------------------------------------------------------
// diff

#[test]
fn diff_marks_words_removed_and_added_without_colour() {
    let (env, c, trunk, mine) = abc_rewrote();
    let r = env.tribune(&["-C", &c, "--color", "never", "diff", SLUG, "trunk", "abc"]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let head = format!("trunk {} → abc {}: +2 words, -1 words", &trunk[..10], &mine[..10]);
    assert_eq!(r.stdout.lines().next(), Some(head.as_str()), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l == "The strike lasted [-four-]{+five long+} hours."), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l == "Management gave in."), "{}", r.stdout);
    assert!(r.stdout.contains("front matter:\n-contingent = \"xyz\"\n+contingent = \"abc\""), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'), "colour with --color never:\n{}", r.stdout);
    // The other way round, the marks swap; version prefixes select the same texts.
    let r = env.tribune(&["-C", &c, "--color", "never", "diff", SLUG, &mine[..8], &trunk[..8]]).ok();
    assert!(r.stdout.lines().any(|l| l == "The strike lasted [-five long-]{+four+} hours."), "{}", r.stdout);
    assert!(
        r.stdout.starts_with(&format!(
            "{} {} → {} {}: +1 words, -2 words",
            &mine[..8],
            &mine[..10],
            &trunk[..8],
            &trunk[..10]
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn a_moved_paragraph_is_shown_as_moved_not_removed_and_added() {
    let (env, c) = commons();
    let p = [
        "First paragraph about the picket.",
        "Second paragraph about the union.",
        "Third paragraph about the demands.",
    ];
    let trunk_text = article("Three paragraphs", "abc", "", &format!("{}\n\n{}\n\n{}\n", p[0], p[1], p[2]));
    let a = env.write("three.md", &trunk_text);
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    let moved = article("Three paragraphs", "abc", "", &format!("{}\n\n{}\n\n{}\n", p[2], p[0], p[1]));
    rewrite(&env, &c, "three-paragraphs", "xyz", &moved, &[]).ok();

    let r = env.tribune(&["-C", &c, "--color", "never", "diff", "three-paragraphs", "trunk", "xyz"]).ok();
    let head = r.stdout.lines().next().unwrap();
    assert!(head.ends_with(": +0 words, -0 words, 1 paragraph moved"), "{}", r.stdout);
    assert!(r.stdout.contains("moved"), "{}", r.stdout);
    assert!(r.stdout.contains("~~ moved here from paragraph 3 ~~"), "{}", r.stdout);
    assert!(r.stdout.contains("~~ paragraph moved, now paragraph 1 ~~"), "{}", r.stdout);
    assert_eq!(r.stdout.matches(p[2]).count(), 1, "the moved paragraph is printed once:\n{}", r.stdout);
    assert!(!r.stdout.contains("[-") && !r.stdout.contains("{+"), "a move is not removed + added:\n{}", r.stdout);
    let vs = versions(&env, &c, "three-paragraphs");
    assert_eq!((vs[1]["words_added"].as_u64(), vs[1]["words_removed"].as_u64()), (Some(0), Some(0)));
    let stat = env.tribune(&["-C", &c, "diff", "three-paragraphs", "trunk", "xyz", "--stat"]).ok();
    assert_eq!(stat.stdout.lines().count(), 1, "{}", stat.stdout);
    assert!(stat.stdout.trim_end().ends_with("1 paragraph moved"), "{}", stat.stdout);
}

#[test]
fn diff_stat_prints_only_the_summary_line() {
    let (env, c, trunk, mine) = abc_rewrote();
    let r = env.tribune(&["-C", &c, "diff", SLUG, "trunk", "abc", "--stat"]).ok();
    assert_eq!(r.stdout, format!("trunk {} → abc {}: +2 words, -1 words\n", &trunk[..10], &mine[..10]));
}

#[test]
fn diff_lines_prints_a_unified_diff() {
    let (env, c, trunk, mine) = abc_rewrote();
    let r = env.tribune(&["-C", &c, "--color", "never", "diff", SLUG, "trunk", "abc", "--lines"]).ok();
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], format!("--- trunk {}", &trunk[..10]), "{}", r.stdout);
    assert_eq!(lines[1], format!("+++ abc {}", &mine[..10]), "{}", r.stdout);
    assert!(lines[2].starts_with("@@ -") && lines[2].ends_with(" @@"), "{}", r.stdout);
    assert!(lines.contains(&"-The strike lasted four hours."), "{}", r.stdout);
    assert!(lines.contains(&"+The strike lasted five long hours."), "{}", r.stdout);
    assert!(lines.contains(&"-contingent = \"xyz\""), "{}", r.stdout);
    assert!(lines.contains(&" Management gave in."), "{}", r.stdout);
    assert!(!r.stdout.contains("[-") && !r.stdout.contains('\x1b'), "{}", r.stdout);
    refused(&env, &c, &["-C", &c, "diff", SLUG, "trunk", "abc", "--lines", "--stat"], 2, &["--stat"]);
}

#[test]
fn diff_colours_only_when_asked() {
    let (env, c, _, _) = abc_rewrote();
    let r = env.tribune(&["-C", &c, "--color", "always", "diff", SLUG, "trunk", "abc"]).ok();
    assert!(r.stdout.contains("\x1b["), "no colour with --color always:\n{}", r.stdout);
    assert!(r.stdout.contains("\x1b[31;9mfour\x1b[0m"), "{:?}", r.stdout);
    assert!(r.stdout.contains("\x1b[32mfive long\x1b[0m"), "{:?}", r.stdout);
    assert!(!r.stdout.contains("[-") && !r.stdout.contains("{+"), "{:?}", r.stdout);
    let r = env.tribune(&["-C", &c, "--color", "always", "diff", SLUG, "trunk", "abc", "--lines"]).ok();
    assert!(r.stdout.contains("\x1b[32m+The strike lasted five long hours."), "{:?}", r.stdout);
    // Not a terminal: auto means none.
    for args in [&["--color", "never"][..], &[]] {
        let r = env.tribune(&[&["-C", c.as_str()][..], args, &["diff", SLUG, "trunk", "abc"][..]].concat()).ok();
        assert!(!r.stdout.contains('\x1b'), "{args:?}:\n{:?}", r.stdout);
        assert!(r.stdout.contains("[-four-]{+five long+}"), "{}", r.stdout);
    }
}

#[test]
fn diff_three_way_shows_each_rewrite_against_their_common_base() {
    let (env, c, trunk, _) = abc_rewrote();
    rewrite(&env, &c, SLUG, "xyz", &original().replace("four hours", "three hours"), &[]).ok();
    let (a, x) = (blob(&env, &c, "contingents/abc", SLUG), blob(&env, &c, "contingents/xyz", SLUG));
    let r = env.tribune(&["-C", &c, "--color", "never", "diff", SLUG, "abc", "xyz", "--three-way"]).ok();
    let out = &r.stdout;
    assert_eq!(out.matches("against the base").count(), 2, "{out}");
    let sa = format!("=== abc {} against the base {} ===", &a[..10], &trunk[..10]);
    let sx = format!("=== xyz {} against the base {} ===", &x[..10], &trunk[..10]);
    let (ia, ix) = (
        out.find(&sa).unwrap_or_else(|| panic!("{sa:?} missing:\n{out}")),
        out.find(&sx).unwrap_or_else(|| panic!("{sx:?} missing:\n{out}")),
    );
    assert!(ia < ix, "{out}");
    let (abc_part, xyz_part) = (&out[ia..ix], &out[ix..]);
    assert!(abc_part.contains("[-four-]{+five long+}") && abc_part.contains("+2 words, -1 words"), "{out}");
    assert!(xyz_part.contains("[-four-]{+three+}") && xyz_part.contains("+1 words, -1 words"), "{out}");
    // With the trunk as one side, the trunk is the base.
    let r = env.tribune(&["-C", &c, "--color", "never", "diff", SLUG, "trunk", "abc", "--three-way"]).ok();
    assert_eq!(r.stdout.matches("against the base").count(), 2, "{}", r.stdout);
    // --stat keeps only the summaries.
    let r = env.tribune(&["-C", &c, "--color", "never", "diff", SLUG, "abc", "xyz", "--three-way", "--stat"]).ok();
    assert!(!r.stdout.contains("[-"), "{}", r.stdout);
    assert!(r.stdout.contains("+1 words, -1 words") && r.stdout.contains("+2 words, -1 words"), "{}", r.stdout);
}

#[test]
fn diff_three_way_without_a_common_base_is_refused() {
    let (env, c, _, _) = abc_rewrote();
    update_trunk(&env, &c, &original().replace("Management gave in.", "Management gave in on Friday."));
    rewrite(&env, &c, SLUG, "xyz", &original().replace("four hours", "three hours"), &[]).ok();
    refused(
        &env,
        &c,
        &["-C", &c, "diff", SLUG, "abc", "xyz", "--three-way"],
        1,
        &["not rewritten from the same trunk text", "without --three-way"],
    );
    // abc's base is no longer the trunk's text either.
    refused(&env, &c, &["-C", &c, "diff", SLUG, "trunk", "abc", "--three-way"], 1, &["not rewritten from the same"]);
    // Directly, they compare fine.
    env.tribune(&["-C", &c, "diff", SLUG, "abc", "xyz"]).ok();
}

#[test]
fn diff_selectors_that_match_nothing_are_refused() {
    let (env, c, _, _) = abc_rewrote();
    refused(&env, &c, &["-C", &c, "diff", SLUG, "trunk", "ffff"], 1, &["no version", "\"ffff\""]);
    refused(&env, &c, &["-C", &c, "diff", SLUG, "trunk", "nope"], 1, &["\"nope\" names no version"]);
    // xyz has no edition: its id names nothing.
    refused(&env, &c, &["-C", &c, "diff", SLUG, "xyz", "trunk"], 1, &["\"xyz\""]);
    refused(&env, &c, &["-C", &c, "diff", "strike-at-the-plan", "trunk", "abc"], 1, &["no article"]);
}

#[test]
fn diff_of_a_version_with_itself_says_same_text() {
    let (env, c, trunk) = setup();
    let r = env.tribune(&["-C", &c, "--color", "never", "diff", SLUG, "trunk", "trunk"]).ok();
    assert_eq!(
        r.stdout,
        format!("trunk {t} → trunk {t}: +0 words, -0 words\nThe two versions have the same text.\n", t = &trunk[..10])
    );
    let r = env.tribune(&["-C", &c, "diff", SLUG, "trunk", &trunk[..6]]).ok();
    assert!(r.stdout.contains("same text"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------
// update

/// setup + abc's rewrite + a new trunk article + a new trunk text of the rewritten one.
/// Returns (env, commons, abc's tip before the update, abc's version).
fn trunk_moves_on() -> (Env, String, String, String) {
    let (env, c, _, mine) = abc_rewrote();
    let tip = rev(&env, &c, "contingents/abc");
    add_rent(&env, &c);
    update_trunk(&env, &c, &original().replace("Management gave in.", "Management gave in on Friday."));
    (env, c, tip, mine)
}

#[test]
fn update_merges_the_trunk_into_an_edition_and_keeps_its_rewrites() {
    let (env, c, old_tip, mine) = trunk_moves_on();
    let main = rev(&env, &c, "main");
    let r = env.tribune(&["-C", &c, "update", "--contingent", "abc"]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(
        r.stdout.starts_with(&format!(
            "Updated contingents/abc to the trunk {} (merge): 1 file taken from the trunk, 1 rewrite kept.",
            &main[..10]
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Stale"), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l.trim() == SLUG), "{}", r.stdout);
    assert!(r.stdout.contains("tribune diff SLUG trunk abc"), "{}", r.stdout);

    // A merge commit: the old tip first, the trunk second.
    let parents = env.git(&["-C", &c, "log", "-1", "--format=%P", "contingents/abc"]).ok().stdout;
    assert_eq!(parents.split_whitespace().collect::<Vec<_>>(), [old_tip.as_str(), main.as_str()]);
    assert_eq!(rev(&env, &c, "main"), main, "the trunk moved");
    let msg = message_of(&env, &c, "contingents/abc");
    assert_lines(
        &msg,
        &["Tribune-Action: update-edition", "Tribune-Contingent: abc", &format!("Tribune-Trunk: {main}")],
    );
    // The new article arrived; abc's rewrite stayed.
    assert_eq!(blob(&env, &c, "contingents/abc", RENT), blob(&env, &c, "main", RENT));
    assert_eq!(blob(&env, &c, "contingents/abc", SLUG), mine);
    assert_eq!(
        env.git(&["-C", &c, "diff-tree", "-r", "--name-only", "main", "contingents/abc"]).ok().stdout,
        format!("{}\n", text_path(SLUG)),
        "the edition differs from the trunk only by its rewrite"
    );
    env.git(&["-C", &c, "merge-base", "--is-ancestor", "main", "contingents/abc"]).ok();

    let vs = versions(&env, &c, SLUG);
    assert_eq!(vs.len(), 2, "{vs:?}");
    assert_eq!(vs[1]["version"], mine.as_str());
    assert_eq!(vs[1]["status"], "stale");
    assert_eq!(vs[1]["commit"], old_tip.as_str(), "the rewrite is abc's commit, not the merge");
    // The new article is not a version of abc's own.
    assert_eq!(versions(&env, &c, RENT).len(), 1);

    // Again: nothing to do, nothing written.
    let before = state(&env, &c);
    let r = env.tribune(&["-C", &c, "update", "--contingent", "abc"]).ok();
    assert_eq!(r.stdout, format!("contingents/abc already includes the trunk ({}).\n", &main[..10]));
    assert_eq!(state(&env, &c), before, "an update with nothing to do wrote something");
    env.fsck(&c);
}

#[test]
fn update_reports_as_json() {
    let (env, c, _, _) = trunk_moves_on();
    let r = env.tribune(&["-C", &c, "update", "--contingent", "abc", "--json"]).ok();
    let v = r.json();
    assert_eq!(v["branch"], "contingents/abc");
    assert_eq!(v["trunk"], rev(&env, &c, "main").as_str());
    assert_eq!(v["commit"], rev(&env, &c, "contingents/abc").as_str());
    assert_eq!(v["how"], "merge");
    assert_eq!(v["taken_from_trunk"], 1);
    assert_eq!(v["rewrites_kept"], 1);
    assert_eq!(v["stale"], json!([SLUG]));
    let v = env.tribune(&["-C", &c, "update", "--contingent", "abc", "--json"]).ok().json();
    assert_eq!(v["how"], "already up to date");
    assert_eq!(v["commit"], Value::Null);
}

#[test]
fn an_edition_without_rewrites_of_its_own_fast_forwards() {
    let (env, c, _) = setup();
    env.git(&["-C", &c, "branch", "contingents/xyz", "main"]).ok();
    add_rent(&env, &c);
    let main = rev(&env, &c, "main");
    let r = env.tribune(&["-C", &c, "update", "--contingent", "xyz"]).ok();
    assert!(r.stdout.contains("(fast-forward)"), "{}", r.stdout);
    assert!(r.stdout.contains("1 file taken from the trunk, 0 rewrites kept."), "{}", r.stdout);
    assert_eq!(rev(&env, &c, "contingents/xyz"), main, "not fast-forwarded to the trunk");
    assert_eq!(rev(&env, &c, "main"), main);
    let r = env.tribune(&["-C", &c, "update", "--contingent", "xyz"]).ok();
    assert!(r.stdout.contains("already includes the trunk"), "{}", r.stdout);
    env.fsck(&c);
}

#[test]
fn a_non_conflicting_trunk_change_is_taken_and_not_stale() {
    // The trunk changes the article abc did not rewrite.
    let (env, c) = rent_moved_on();
    let r = env.tribune(&["-C", &c, "update", "--contingent", "abc", "--json"]).ok();
    let v = r.json();
    assert_eq!(v["how"], "merge");
    assert_eq!(v["stale"], json!([]));
    assert_eq!(blob(&env, &c, "contingents/abc", RENT), blob(&env, &c, "main", RENT));
    assert_eq!(versions(&env, &c, SLUG)[1]["status"], "current");
    env.fsck(&c);
}

#[test]
fn a_rewrite_of_the_present_trunk_text_is_not_reported_stale_by_update() {
    // abc's edition starts (with a rewrite of the strike article), then the trunk changes
    // the rent article, and abc rewrites the trunk's new text.
    let (env, c) = rent_moved_on();
    let present = blob(&env, &c, "main", RENT);
    let r = rewrite(&env, &c, RENT, "abc", &rent().replace("four buildings", "nine tall buildings"), &[]).ok();
    assert_eq!(field(&r.stdout, "base"), format!("{present} (trunk)"));
    let vs = versions(&env, &c, RENT);
    assert_eq!(vs[1]["status"], "current", "{vs:?}");
    // Nothing the trunk did since is unseen by abc's rent text: update must not call it stale.
    let v = env.tribune(&["-C", &c, "update", "--contingent", "abc", "--json"]).ok().json();
    assert_eq!(v["how"], "merge");
    assert_eq!(v["stale"], json!([]), "update calls a current rewrite stale: {v}");
    assert_eq!(versions(&env, &c, RENT)[1]["status"], "current");
}

#[test]
fn update_without_an_edition_is_refused() {
    let (env, c, _) = setup();
    refused(&env, &c, &["-C", &c, "update", "--contingent", "nope"], 1, &["no contingent \"nope\""]);
    refused(
        &env,
        &c,
        &["-C", &c, "update", "--contingent", "xyz"],
        1,
        &["has no local edition", "contingents/xyz", "tribune rewrite SLUG --contingent xyz"],
    );
    refused(&env, &c, &["-C", &c, "update", "--contingent", "Nope"], 1, &["not valid"]);
}

// ---------------------------------------------------------------------------------------
// list --edition and show SLUG@ID

#[test]
fn list_edition_shows_the_contingents_own_versions_in_place_of_the_trunks() {
    let (env, c, trunk) = setup();
    add_rent(&env, &c);
    let retitled = rewritten().replace("title = \"Strike at the plant\"", "title = \"Five hours at the plant\"");
    rewrite(&env, &c, SLUG, "abc", &retitled, &[]).ok();
    let mine = blob(&env, &c, "contingents/abc", SLUG);

    let rows = env.tribune(&["-C", &c, "list", "--edition", "abc", "--json"]).ok().json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let row = |slug: &str| rows.iter().find(|r| r["slug"] == slug).unwrap_or_else(|| panic!("{slug}: {rows:?}"));
    assert_eq!(row(SLUG)["rewritten"], true);
    assert_eq!(row(SLUG)["version"], mine.as_str());
    assert_eq!(row(SLUG)["title"], "Five hours at the plant");
    assert_eq!(row(SLUG)["contingent"], "abc");
    assert_eq!(row(SLUG)["versions"], 2);
    assert_eq!(row(RENT)["rewritten"], false);
    assert_eq!(row(RENT)["version"], blob(&env, &c, "main", RENT).as_str());
    assert_eq!(row(RENT)["versions"], 1);

    let r = env.tribune(&["-C", &c, "list", "--edition", "abc"]).ok();
    assert!(r.stdout.lines().next().is_some_and(|h| h.trim_end().ends_with("REWRITTEN")), "{}", r.stdout);
    let own = r.stdout.lines().find(|l| l.starts_with(SLUG)).unwrap_or_default();
    assert!(own.contains("Five hours at the plant") && own.trim_end().ends_with("yes"), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l.starts_with(RENT) && !l.trim_end().ends_with("yes")), "{}", r.stdout);

    // The trunk's list: its own text, two versions, no `rewritten` field.
    let rows = env.tribune(&["-C", &c, "list", "--json"]).ok().json();
    let strike = rows.as_array().unwrap().iter().find(|r| r["slug"] == SLUG).unwrap().clone();
    assert_eq!(strike["version"], trunk.as_str());
    assert_eq!(strike["title"], "Strike at the plant");
    assert_eq!(strike["contingent"], "xyz");
    assert_eq!(strike["versions"], 2);
    assert!(strike.get("rewritten").is_none(), "{strike}");
    let r = env.tribune(&["-C", &c, "list"]).ok();
    let line = r.stdout.lines().find(|l| l.starts_with(SLUG)).unwrap();
    assert_eq!(line.split_whitespace().last(), Some("2"), "{}", r.stdout);
}

#[test]
fn list_edition_of_a_contingent_without_one_is_refused() {
    let (env, c, _, _) = abc_rewrote();
    refused(
        &env,
        &c,
        &["-C", &c, "list", "--edition", "xyz"],
        1,
        &["no edition yet", "tribune rewrite SLUG --contingent xyz"],
    );
    refused(&env, &c, &["-C", &c, "list", "--edition", "nope"], 1, &["no contingent \"nope\""]);
}

#[test]
fn show_slug_at_a_contingent_prints_its_text() {
    let (env, c, trunk, mine) = abc_rewrote();
    let at = format!("{SLUG}@abc");
    let raw = env.tribune(&["-C", &c, "show", &at, "--raw"]).ok();
    assert_eq!(raw.stdout, stored(&env, &c, "contingents/abc", SLUG));
    let r = env.tribune(&["-C", &c, "--color", "never", "show", &at]).ok();
    assert!(r.stdout.contains("The strike lasted five long hours."), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("version {} (contingents/abc)", &mine[..10])), "{}", r.stdout);
    assert!(r.stdout.contains("ABC Collective (abc)"), "{}", r.stdout);
    let v = env.tribune(&["-C", &c, "show", &at, "--json"]).ok().json();
    assert_eq!(v["version"], mine.as_str());
    assert_eq!(v["place"], "contingents/abc");
    // The same text by version prefix; the trunk's text is unchanged.
    let r = env.tribune(&["-C", &c, "show", &format!("{SLUG}@{}", &mine[..8]), "--raw"]).ok();
    assert_eq!(r.stdout, raw.stdout);
    let r = env.tribune(&["-C", &c, "show", SLUG, "--raw"]).ok();
    assert_eq!(r.stdout, original());
    assert_eq!(blob(&env, &c, "main", SLUG), trunk);
    refused(&env, &c, &["-C", &c, "show", &format!("{SLUG}@xyz")], 1, &["\"xyz\""]);
}

#[test]
fn show_at_a_contingent_agrees_with_its_edition_listing() {
    // The trunk changes an article abc never rewrote.
    let (env, c) = rent_moved_on();
    let vs = versions(&env, &c, RENT);
    assert_eq!(vs.len(), 1, "abc has no version of its own: {vs:?}");
    let rows = env.tribune(&["-C", &c, "list", "--edition", "abc", "--json"]).ok().json();
    let row = rows.as_array().unwrap().iter().find(|r| r["slug"] == RENT).unwrap().clone();
    assert_eq!(row["rewritten"], false);
    let shown = env.tribune(&["-C", &c, "show", &format!("{RENT}@abc"), "--json"]).ok().json();
    assert_eq!(
        shown["version"], row["version"],
        "`show {RENT}@abc` and `list --edition abc` name different texts of the same edition"
    );
}

// ---------------------------------------------------------------------------------------
// Corner cases found in review

/// `versions` and `list --edition` as JSON, to compare before and after deleting the index.
fn observed(env: &Env, c: &str) -> (Vec<Value>, String) {
    (versions(env, c, SLUG), env.tribune(&["-C", c, "list", "--json"]).ok().stdout)
}

#[test]
fn a_branch_fast_forwarded_onto_the_trunk_has_no_rewrites_and_the_index_agrees() {
    let (env, c, _) = setup();
    let old = rev(&env, &c, "main");
    env.git(&["-C", &c, "branch", "contingents/abc", &old]).ok();
    let a = env.write("other.md", article("Other news", "abc", "", "Other.\n"));
    env.tribune(&["-C", &c, "contribute", &a]).ok();
    let before = observed(&env, &c);
    env.tribune(&["-C", &c, "update", "--contingent", "abc"]).ok();
    let after = observed(&env, &c);
    assert_eq!(after.0.len(), 1, "a fast-forwarded edition has no text of its own: {:?}", after.0);
    std::fs::remove_dir_all(env.path("c/tribune/index")).unwrap();
    assert_eq!(observed(&env, &c), after, "the warm index disagreed with a fresh one");
    assert_eq!(before.0.len(), 1);
}

#[test]
fn a_trunk_that_merged_an_edition_counts_it_as_the_trunks_and_the_index_agrees() {
    let (env, c, _, _) = abc_rewrote();
    assert_eq!(versions(&env, &c, SLUG).len(), 2);
    // Plain git merges the edition into the trunk, then edits the trunk text again.
    let w = clone(&env, &c, "main", "w");
    env.git(&["-C", &w, "merge", "-q", "--no-ff", "-m", "merge abc", "origin/contingents/abc"]).ok();
    let path = env.path("w").join(text_path(SLUG));
    let text = std::fs::read_to_string(&path).unwrap().replace("gave in", "gave in at last");
    std::fs::write(&path, text).unwrap();
    commit_and_push(&env, &w, "main", "edit after merge");
    let warm = observed(&env, &c);
    std::fs::remove_dir_all(env.path("c/tribune/index")).unwrap();
    assert_eq!(observed(&env, &c), warm, "the warm index disagreed with a fresh one");
    assert_eq!(warm.0.len(), 1, "the merged edition has nothing of its own: {:?}", warm.0);
}

#[test]
fn a_malformed_trunk_base_trailer_is_not_believed_and_nothing_panics() {
    let (env, c, v) = setup();
    rewrite(&env, &c, SLUG, "abc", &rewritten(), &[]).ok();
    let w = clone(&env, &c, "contingents/abc", "w");
    let path = env.path("w").join(text_path(SLUG));
    let text = std::fs::read_to_string(&path).unwrap().replace("five long", "six long");
    std::fs::write(&path, text).unwrap();
    commit_and_push(&env, &w, "contingents/abc", "edit\n\nTribune-Trunk-Base: abc\nTribune-Base: zz");
    let rows = versions(&env, &c, SLUG);
    let abc = rows.iter().find(|r| places(r).contains(&"contingents/abc")).unwrap();
    assert_eq!(abc["status"], "current", "ancestry says it was made from the present trunk text: {abc}");
    assert_eq!(abc["trunk_base"], v.as_str());
    // The bogus trailer is not believed: the base is the trunk text the rewrite came from.
    let r = env.tribune(&["-C", &c, "diff", SLUG, "trunk", "abc", "--three-way"]).ok();
    assert!(r.stdout.starts_with(&format!("=== trunk {} against the base {}", &v[..10], &v[..10])), "{}", r.stdout);
}

#[test]
fn a_multi_line_summary_is_refused_before_the_editor_opens() {
    let (mut env, c, _) = setup();
    let marker = env.path("editor-ran");
    editor(&mut env, &format!("touch '{}'", marker.display()));
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc", "-m", "one\ntwo"], 2, &["one line"]);
    assert!(!marker.exists(), "the editor ran before the summary was checked");
}

#[test]
fn a_rewrite_from_the_editor_that_fails_to_parse_is_kept_as_a_draft() {
    let (mut env, c, _) = setup();
    editor(&mut env, "sed -i 's/^title = /titl = /' \"$1\"");
    let r = refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc"], 1, &["title"]);
    let draft = r.stderr.lines().find_map(|l| l.strip_prefix("note: your text is kept in ")).expect(&r.stderr);
    let draft = draft.split(';').next().unwrap();
    assert!(std::fs::read_to_string(draft).unwrap().contains("titl = "), "the draft holds the edited text");
}

#[test]
fn a_crlf_copy_of_the_base_text_is_no_change() {
    let (env, c, _) = setup();
    let crlf = env.write("crlf.md", original().replace('\n', "\r\n"));
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc", "--file", &crlf], 1, &["no change"]);
}

#[test]
fn without_an_editor_or_a_terminal_rewrite_asks_for_a_file_instead_of_hanging() {
    let (mut env, c, _) = setup();
    for k in ["GIT_EDITOR", "VISUAL", "EDITOR"] {
        env.vars.push((k.into(), String::new()));
    }
    refused(&env, &c, &["-C", &c, "rewrite", SLUG, "--contingent", "abc"], 1, &["--file"]);
}

#[test]
fn a_rewrite_in_a_clone_continues_the_edition_fetched_from_the_remote() {
    let (env, c, _, _) = abc_rewrote();
    let published = rev(&env, &c, "refs/heads/contingents/abc");
    let w = env.clone_of(&c, "w");
    let a = env.write("second.md", rewritten().replace("gave in", "gave in completely"));
    env.tribune(&["-C", &w, "rewrite", SLUG, "--contingent", "abc", "--file", &a]).ok();
    let parent = rev(&env, &w, "refs/heads/contingents/abc^");
    assert_eq!(parent, published, "the local edition must continue the published one");
    assert!(message_of(&env, &w, "refs/heads/contingents/abc")
        .contains(&format!("Tribune-Base: {}", blob(&env, &c, "contingents/abc", SLUG))));
    // In a fresh clone, a version known only from a remote-tracking edition is found by prefix.
    let w2 = env.clone_of(&c, "w2");
    let v = blob(&env, &c, "contingents/abc", SLUG);
    let shown = env.tribune(&["-C", &w2, "show", &format!("{SLUG}@{}", &v[..8]), "--raw"]).ok();
    assert_eq!(shown.stdout, stored(&env, &c, "contingents/abc", SLUG));
}
