//! `tribune site build` killed at any moment, run twice at once, or given a symbolic link
//! (issue 13).

use crate::harness::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `tribune demo DIR` in a new sandbox; returns (env, DIR).
fn demo() -> (Env, String) {
    let env = Env::new();
    let d = env.path("demo").to_string_lossy().into_owned();
    env.tribune(&["demo", &d]).ok();
    (env, d)
}

/// Every file under `dir` (relative path → bytes), a directory's name ending in `/` when
/// it is a symbolic link or empty: what a reader of the site sees.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            let t = e.file_type().unwrap();
            if t.is_dir() {
                walk(&e.path(), &path, out);
            } else {
                out.insert(path, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// The names in `dir` (its entries, not below).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A build of `out` stopped by the test hook at `at`, as SIGKILL would stop it.
fn killed(env: &Env, d: &str, out: &str, at: &str, extra: &[&str]) {
    // Through env(1): the harness gives every command its own pinned environment.
    let mut cmd = std::process::Command::new("env");
    cmd.arg(format!("TRIBUNE_TEST_SITE_KILL={at}")).arg(binary()).args(["-C", d, "site", "build", out]).args(extra);
    let r = env.run_command(cmd);
    assert_ne!(r.code, 0, "the build was to be stopped at {at}:\n{}\n{}", r.stdout, r.stderr);
}

/// A new article of the Red Line Press and a rating: several pages to write, one to change.
fn change(env: &Env, d: &str) {
    let text = article("Night shift organises", "redline", "", "The night shift met.\n");
    let f = env.write("night.md", &text);
    let key = format!("{d}/tribune/demo-keys/jmunoz");
    env.tribune(&["-C", d, "contribute", &f, "--slug", "night-shift", "--key", &key]).ok();
    let slug = "eastgate-families-hold-vigil-for-yard-safety";
    env.tribune(&["-C", d, "rate", slug, "--score", "2", "--as", "reader-one"]).ok();
}

/// Whatever moment an incremental build is killed at, the next build leaves exactly what a
/// whole build makes: one killed before its journal is undone (OUT as it was, to readers),
/// one killed after is finished from the journal.
#[test]
fn an_incremental_build_killed_at_any_moment_is_finished_or_undone_by_the_next() {
    let (env, d) = demo();
    let base = env.path("base");
    env.tribune(&["-C", &d, "site", "build", &base.to_string_lossy()]).ok();
    let before = tree(&base);
    change(&env, &d);
    let full = env.path("full");
    env.tribune(&["-C", &d, "site", "build", &full.to_string_lossy()]).ok();
    let want = tree(&full);
    assert_ne!(want, before);
    for at in ["staged", "journaled", "applying"] {
        let out = env.path(&format!("out-{at}"));
        let o = out.to_string_lossy().into_owned();
        copy_dir(&base, &out);
        killed(&env, &d, &o, at, &[]);
        let seen = tree(&out);
        let (staging, site): (BTreeMap<_, _>, BTreeMap<_, _>) =
            seen.into_iter().partition(|(p, _)| p.starts_with(".tribune-site-staging/"));
        assert!(!staging.is_empty(), "{at}: the killed build's staging is left");
        let journal = staging.contains_key(".tribune-site-staging/journal.json");
        assert_eq!(journal, at != "staged", "{at}: the journal is written once all is staged");
        if at == "applying" {
            assert!(site != before && site != want, "{at}: killed half way through its renames");
        } else {
            assert_eq!(site, before, "{at}: nothing in place yet");
        }
        // The next build finishes (or drops) it, and writes what a whole build writes.
        env.tribune(&["-C", &d, "site", "build", &o]).ok();
        assert_eq!(tree(&out), want, "{at}: the site after the next build is the whole build's");
        assert_eq!(names(&env.path("")).iter().filter(|n| n.contains("tribune")).count(), 0, "no lock left");
    }
}

/// A whole build killed before its swap leaves only its directory beside OUT (OUT as it
/// was); the next build removes it, and leaves alone what tribune did not make.
#[test]
fn a_killed_whole_build_leaves_a_directory_beside_out_that_the_next_build_removes() {
    let (env, d) = demo();
    let out = env.path("public");
    let o = out.to_string_lossy().into_owned();
    // What a killed build of an earlier version left: the next build removes it.
    let old = env.path(".public.tribune-build-Ab12Cd");
    std::fs::create_dir_all(old.join("articles")).unwrap();
    std::fs::write(old.join("index.html"), "half").unwrap();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    assert!(!old.exists(), "a dead build's directory beside OUT is removed");
    std::fs::remove_dir_all(&out).unwrap();
    killed(&env, &d, &o, "beside", &[]);
    assert!(!out.exists(), "a first build killed before its swap leaves no OUT");
    let left: Vec<String> =
        names(&env.path("")).into_iter().filter(|n| n.starts_with(".public.tribune-build-")).collect();
    assert_eq!(left.len(), 1, "{left:?}");
    // Others' files of similar names stay.
    let mine = [".public.tribune-build-", ".public.tribune-build-notes.d", ".publicity.tribune-build-abc123"];
    for m in mine {
        std::fs::create_dir(env.path(m)).unwrap();
    }
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    let before = tree(&out);
    killed(&env, &d, &o, "beside", &["--full"]);
    assert_eq!(tree(&out), before, "a killed --full build leaves OUT as it was");
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    let now: Vec<String> = names(&env.path("")).into_iter().filter(|n| n.contains(".tribune-")).collect();
    assert_eq!(now, mine.iter().map(|m| m.to_string()).collect::<Vec<_>>(), "only tribune's leftovers removed");
}

/// Two builds of one site at once: the second is refused at once, writing nothing; a lock
/// file nobody holds (its build was killed) stops nobody.
#[test]
#[cfg(unix)]
fn a_second_build_of_the_same_site_at_once_is_refused_and_writes_nothing() {
    let (env, d) = demo();
    let out = env.path("public");
    let o = out.to_string_lossy().into_owned();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    change(&env, &d);
    let before = tree(&out);
    let lock_path = env.path(".public.tribune-site.lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    // As a build holds it: flock(2) (std's File::lock is newer than tribune's Rust).
    use std::os::fd::AsRawFd;
    // SAFETY: a file descriptor `lock` owns.
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    let r = env.tribune(&["-C", &d, "site", "build", &o]).fails(1, "another build");
    assert!(r.stderr.contains(".public.tribune-site.lock") && r.stderr.contains("nothing was written"), "{}", r.stderr);
    env.tribune(&["-C", &d, "site", "build", &o, "--full"]).fails(1, "another build");
    assert_eq!(tree(&out), before, "nothing written");
    assert_eq!(names(&env.path("")).iter().filter(|n| n.contains("tribune-build")).count(), 0);
    // Released (as a killed build's is): the next build goes ahead, and removes the file.
    drop(lock);
    assert!(lock_path.exists());
    let j = env.tribune(&["-C", &d, "site", "build", &o, "--json"]).ok().json();
    assert!(j["written"].as_array().unwrap().len() > 2, "{j}");
    assert!(!lock_path.exists(), "the lock file goes with the build");
}

/// OUT given as `.` (the directory the build runs in): built there, its lock and whole
/// build beside it under its real name, not inside it.
#[test]
fn an_out_given_as_dot_is_built_beside_its_real_name() {
    let (env, d) = demo();
    let www = env.path("www");
    std::fs::create_dir(&www).unwrap();
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "cd www && exec \"$0\" -C \"$1\" site build ."]).arg(binary()).arg(&d);
    let r = env.run_command(cmd);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(www.join("index.html").is_file());
    assert!(!names(&www).iter().any(|n| n.contains(".tribune-build-") || n.ends_with(".lock")), "{:?}", names(&www));
}

/// OUT a symbolic link to a directory: the site is built where it points, beside that
/// directory, and the link stays a link; a link to nothing or to a file is refused by name.
#[test]
#[cfg(unix)]
fn an_out_that_is_a_symbolic_link_is_built_where_it_points_and_stays_a_link() {
    let (env, d) = demo();
    let real = env.path("srv/www");
    std::fs::create_dir_all(&real).unwrap();
    let link = env.path("public");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let l = link.to_string_lossy().into_owned();
    let j = env.tribune(&["-C", &d, "site", "build", &l, "--json"]).ok().json();
    assert_eq!(j["mode"], "full");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays");
    assert!(real.join("index.html").is_file() && real.join(".tribune-site.json").is_file());
    change(&env, &d);
    let j = env.tribune(&["-C", &d, "site", "build", &l, "--json"]).ok().json();
    assert_eq!(j["mode"], "incremental");
    assert!(j["written"].as_array().unwrap().iter().any(|p| p == "articles/night-shift/index.html"), "{j}");
    env.tribune(&["-C", &d, "site", "build", &l, "--full"]).ok();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "a full build swaps the target");
    assert!(std::fs::read_to_string(real.join("index.html")).unwrap().contains("Night shift organises"));
    assert_eq!(names(&env.path("srv")), vec!["www".to_string()], "nothing left beside the target");
    let full = env.path("full");
    env.tribune(&["-C", &d, "site", "build", &full.to_string_lossy()]).ok();
    assert_eq!(tree(&real), tree(&full));
    // A link to nothing, a link to a file.
    let dangling = env.path("dangling");
    std::os::unix::fs::symlink(env.path("nowhere"), &dangling).unwrap();
    env.tribune(&["-C", &d, "site", "build", &dangling.to_string_lossy()])
        .fails(1, "is a symbolic link to")
        .fails(1, "make the directory it names");
    let file = PathBuf::from(env.write("file.txt", "keep me"));
    let to_file = env.path("to-file");
    std::os::unix::fs::symlink(&file, &to_file).unwrap();
    env.tribune(&["-C", &d, "site", "build", &to_file.to_string_lossy()]).fails(1, "which is not a directory");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert!(!env.path("nowhere").exists());
}

/// A staging directory planted in OUT (anyone who can write there could) is not followed:
/// its links would publish what they point to, its journal remove what the site never
/// wrote. Refused, nothing moved; `--full` drops it and builds.
#[test]
fn a_planted_staging_directory_is_refused_not_followed() {
    let (env, d) = demo();
    let out = env.path("site");
    let o = out.to_string_lossy().into_owned();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    let secret = env.path("secret");
    std::fs::create_dir_all(&secret).unwrap();
    std::fs::write(secret.join("id_ed25519"), "PRIVATE KEY").unwrap();
    std::fs::write(out.join("CNAME"), "news.example.org").unwrap();
    let staging = out.join(".tribune-site-staging");
    let plant = |journal: &str, link_files: bool| {
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).unwrap();
        if link_files {
            std::os::unix::fs::symlink(&secret, staging.join("files")).unwrap();
        }
        std::fs::write(staging.join("journal.json"), journal).unwrap();
    };
    let cases = [
        // The files staged through a link to the builder's own files.
        (r#"{"tribune_site_journal":1,"write":["id_ed25519"],"remove":[]}"#, true, "id_ed25519"),
        // A removal of a file the site never wrote.
        (r#"{"tribune_site_journal":1,"write":[],"remove":["CNAME"]}"#, false, "CNAME"),
    ];
    let before = tree(&out);
    for (journal, link, named) in cases {
        plant(journal, link);
        let r = env.tribune(&["-C", &d, "site", "build", &o]).fails(1, "cannot be followed");
        assert!(r.stderr.contains(named), "{}", r.stderr);
        std::fs::remove_dir_all(&staging).unwrap();
        assert_eq!(tree(&out), before, "nothing moved");
        assert_eq!(std::fs::read_to_string(secret.join("id_ed25519")).unwrap(), "PRIVATE KEY");
        assert!(!out.join("id_ed25519").exists());
    }
    // A whole build drops it (the user's CNAME is refused as ever: moved out first).
    plant(cases[0].0, true);
    std::fs::remove_file(out.join("CNAME")).unwrap();
    env.tribune(&["-C", &d, "site", "build", &o, "--full"]).ok();
    assert!(!staging.exists());
    assert_eq!(std::fs::read_to_string(secret.join("id_ed25519")).unwrap(), "PRIVATE KEY");
}

/// The lock file beside OUT is never opened through a symbolic link: a link planted there
/// would have had the build write its process id over what it points to.
#[test]
fn a_lock_file_that_is_a_symbolic_link_is_refused_and_its_target_kept() {
    let (env, d) = demo();
    let out = env.path("site");
    let o = out.to_string_lossy().into_owned();
    let victim = env.path("victim.txt");
    std::fs::write(&victim, "precious config").unwrap();
    std::os::unix::fs::symlink(&victim, env.path(".site.tribune-site.lock")).unwrap();
    env.tribune(&["-C", &d, "site", "build", &o]).fails(1, "is a symbolic link");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious config");
    assert!(!out.exists(), "nothing was built");
    // Nor through a hard link.
    std::fs::remove_file(env.path(".site.tribune-site.lock")).unwrap();
    std::fs::hard_link(&victim, env.path(".site.tribune-site.lock")).unwrap();
    env.tribune(&["-C", &d, "site", "build", &o]).fails(1, "not a plain file of its own");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious config");
}

/// Every build of an existing site also locks OUT's own directory: a build that may not
/// make files beside OUT (a web root in a directory of root's) can still build, and is
/// still kept apart from every other build.
#[test]
fn a_build_locks_outs_own_directory_too() {
    let (env, d) = demo();
    let out = env.path("public");
    let o = out.to_string_lossy().into_owned();
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    change(&env, &d);
    let before = tree(&out);
    let dir = std::fs::File::open(&out).unwrap();
    use std::os::fd::AsRawFd;
    // SAFETY: a file descriptor `dir` owns.
    assert_eq!(unsafe { libc::flock(dir.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    let r = env.tribune(&["-C", &d, "site", "build", &o]).fails(1, "another build");
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    env.tribune(&["-C", &d, "site", "build", &o, "--full"]).fails(1, "another build");
    assert_eq!(tree(&out), before, "nothing written");
    drop(dir);
    env.tribune(&["-C", &d, "site", "build", &o]).ok();
    assert_ne!(tree(&out), before);
}
