//! `tribune site templates DIR` into a directory that holds some already, or that cannot
//! be one (issue 13).

use crate::harness::*;

/// `site templates DIR` writes the defaults that are missing, keeps (and names) the files
/// already there, and says plainly why it cannot write.
#[test]
fn site_templates_writes_the_missing_defaults_and_keeps_and_names_the_others() {
    let (env, c) = commons();
    let t = env.path("tpl");
    let ts = t.to_string_lossy().into_owned();
    env.tribune(&["-C", &c, "site", "templates", &ts]).ok();
    std::fs::write(t.join("style.css"), "body { color: red; }").unwrap();
    std::fs::remove_file(t.join("base.html")).unwrap();
    let r = env.tribune(&["-C", &c, "site", "templates", &ts]).ok().quiet();
    assert!(r.stdout.contains("Wrote the default templates to") && r.stdout.contains(": base.html."), "{}", r.stdout);
    assert!(r.stdout.contains("Kept the files already there, not replaced: ") && r.stdout.contains("style.css"));
    assert_eq!(std::fs::read_to_string(t.join("style.css")).unwrap(), "body { color: red; }");
    assert!(t.join("base.html").is_file());
    let r = env.tribune(&["-C", &c, "site", "templates", &ts]).ok();
    assert!(r.stdout.contains("Wrote nothing") && r.stdout.contains("kept as they are"), "{}", r.stdout);
    // DIR a file; a path through a file: a message in words, nothing written.
    let file = env.write("notes.txt", "mine");
    let r = env.tribune(&["-C", &c, "site", "templates", &file]).fails(1, "is a file, not a directory");
    assert!(!r.stderr.contains("os error"), "{}", r.stderr);
    let r = env.tribune(&["-C", &c, "site", "templates", &format!("{file}/t")]).fails(1, "is a file, not a directory");
    assert!(!r.stderr.contains("os error") && r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    // A directory that cannot be written (root writes anywhere: checked only for others).
    #[cfg(unix)]
    if !std::fs::metadata(env.path("home")).is_ok_and(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0) {
        use std::os::unix::fs::PermissionsExt;
        let ro = env.empty_dir("ro");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let r = env.tribune(&["-C", &c, "site", "templates", &ro]).fails(1, "permission denied");
        assert!(!r.stderr.contains("os error"), "{}", r.stderr);
    }
}
