//! In a clone with a work tree on the trunk, tribune's commits keep the checkout in step.

use crate::harness::*;

/// A plain clone `w` of a commons, and the file of the article contributed in it.
fn clone_with_article(env: &Env) -> (String, String) {
    let w = env.clone_of(&env.commons(), "w");
    let file = env.write("a.md", article("Port blockade", "abc", "", "Dockers stopped.\n"));
    env.tribune(&["-C", &w, "contribute", &file]).ok();
    (w, file)
}

#[test]
fn contributing_in_a_clone_updates_its_work_tree_and_index() {
    let env = Env::new();
    let (w, file) = clone_with_article(&env);
    let status = env.git(&["-C", &w, "status", "--porcelain"]).ok();
    assert_eq!(status.stdout, "", "the work tree should match the new trunk");
    let path = env.git(&["-C", &w, "ls-files", "articles"]).ok().stdout;
    let stored = std::fs::read_to_string(env.path("w").join(path.trim())).unwrap();
    assert_eq!(stored, std::fs::read_to_string(&file).unwrap());
}

#[test]
fn local_changes_in_the_work_tree_are_never_overwritten() {
    let env = Env::new();
    let (w, _) = clone_with_article(&env);
    let path = env.git(&["-C", &w, "ls-files", "articles"]).ok().stdout.trim().to_string();
    let on_disk = env.path("w").join(&path);
    std::fs::write(&on_disk, "my local draft\n").unwrap();
    let newer = env.write("b.md", article("Port blockade", "abc", "", "Dockers stopped again.\n"));
    let r = env.tribune(&["-C", &w, "contribute", "--update", &newer]).ok();
    assert!(r.stderr.contains("local changes"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&on_disk).unwrap(), "my local draft\n");
    let committed = env.git(&["-C", &w, "show", &format!("main:{path}")]).ok().stdout;
    assert!(committed.contains("Dockers stopped again."));
}
