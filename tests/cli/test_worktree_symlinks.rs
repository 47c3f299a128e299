//! The work tree is not trusted: a symlink someone committed where tribune writes is
//! replaced by the real directory or file, as `git checkout` does, and never followed out of
//! the repository.

use crate::harness::*;

const SLUG: &str = "port-blockade";

/// A clone `w` of a commons whose trunk has, committed with plain git, a symlink at `link`
/// (a path in the repository) pointing to the directory `outside`, next to the clone.
fn clone_with_symlink(env: &Env, link: &str, target_file: Option<&str>) -> (String, std::path::PathBuf) {
    let w = env.clone_of(&env.commons(), "w");
    let outside = env.path("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let target = match target_file {
        Some(f) => {
            std::fs::write(outside.join(f), "precious\n").unwrap();
            outside.join(f)
        }
        None => outside.clone(),
    };
    let at = env.path("w").join(link);
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&target, &at).unwrap();
    env.git(&["-C", &w, "add", link]).ok();
    env.git(&["-C", &w, "commit", "-q", "-m", "a symlink"]).ok();
    (w, outside)
}

#[track_caller]
fn assert_checkout_is_real(env: &Env, w: &str) {
    let path = text_path(SLUG);
    let on_disk = env.path("w").join(&path);
    let mut p = env.path("w");
    for comp in path.split('/') {
        p.push(comp);
        let meta = std::fs::symlink_metadata(&p).unwrap();
        assert!(!meta.file_type().is_symlink(), "{} is still a symlink", p.display());
    }
    assert!(std::fs::read_to_string(on_disk).unwrap().contains("Dockers stopped"));
    let status = env.git(&["-C", w, "status", "--porcelain"]).ok().stdout;
    assert_eq!(status, "", "the work tree should match the trunk");
}

#[test]
fn a_symlinked_shard_in_a_clone_is_replaced_never_followed() {
    let env = Env::new();
    let shard = shard(SLUG);
    let top = shard.split('/').next().unwrap().to_string();
    let (w, outside) = clone_with_symlink(&env, &format!("articles/{top}"), None);
    let a = env.write("a.md", article("Port blockade", "abc", "", "Dockers stopped.\n"));
    env.tribune(&["-C", &w, "contribute", &a, "--slug", SLUG]).ok();
    assert_eq!(files_under(&outside), Vec::<String>::new(), "tribune wrote outside the repository");
    assert_checkout_is_real(&env, &w);
    env.fsck(&w);
}

#[test]
fn a_symlinked_article_directory_in_a_clone_is_replaced_never_followed() {
    let env = Env::new();
    let dir = text_path(SLUG).trim_end_matches("/index.md").to_string();
    let (w, outside) = clone_with_symlink(&env, &dir, None);
    let a = env.write("a.md", article("Port blockade", "abc", "", "Dockers stopped.\n"));
    env.tribune(&["-C", &w, "contribute", &a, "--slug", SLUG]).ok();
    assert_eq!(files_under(&outside), Vec::<String>::new(), "tribune wrote outside the repository");
    assert_checkout_is_real(&env, &w);
}

#[test]
fn a_symlinked_article_text_is_replaced_and_its_target_left_alone() {
    let env = Env::new();
    let w = env.clone_of(&env.commons(), "w");
    let a = env.write("a.md", article("Port blockade", "abc", "", "Dockers stopped.\n"));
    env.tribune(&["-C", &w, "contribute", &a, "--slug", SLUG]).ok();
    // Someone replaces the text by a symlink to a file outside and commits it with plain git.
    let outside = env.path("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("precious"), "precious\n").unwrap();
    let text = env.path("w").join(text_path(SLUG));
    std::fs::remove_file(&text).unwrap();
    std::os::unix::fs::symlink(outside.join("precious"), &text).unwrap();
    env.git(&["-C", &w, "commit", "-q", "-am", "a symlink"]).ok();
    let b = env.write("b.md", article("Port blockade", "abc", "", "Dockers stopped again.\n"));
    env.tribune(&["-C", &w, "contribute", "--update", &b, "--slug", SLUG]).ok();
    assert_eq!(std::fs::read_to_string(outside.join("precious")).unwrap(), "precious\n");
    assert_checkout_is_real(&env, &w);
}

#[test]
fn an_untracked_symlink_in_the_way_is_left_alone_with_a_warning_and_never_followed() {
    let env = Env::new();
    let w = env.clone_of(&env.commons(), "w");
    let outside = env.path("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let top = shard(SLUG).split('/').next().unwrap().to_string();
    std::fs::create_dir_all(env.path("w/articles")).unwrap();
    std::os::unix::fs::symlink(&outside, env.path("w/articles").join(&top)).unwrap();
    let a = env.write("a.md", article("Port blockade", "abc", "", "Dockers stopped.\n"));
    let r = env.tribune(&["-C", &w, "contribute", &a, "--slug", SLUG]).ok();
    let warning = format!("warning: articles/{top} is in the way of {}", text_path(SLUG));
    assert!(r.stderr.contains(&warning), "{}", r.stderr);
    assert_eq!(files_under(&outside), Vec::<String>::new(), "tribune wrote outside the repository");
    assert!(std::fs::symlink_metadata(env.path("w/articles").join(&top)).unwrap().file_type().is_symlink());
    let committed = env.git(&["-C", &w, "show", &format!("main:{}", text_path(SLUG))]).ok().stdout;
    assert!(committed.contains("Dockers stopped"));
}
