//! Tests of the remote module: git's messages read, locks named, progress left out.
use super::*;

#[test]
fn the_detail_of_an_error_leaves_out_progress_and_updated_refs() {
    let stderr = "remote: Enumerating objects: 6, done.        \nremote: Counting objects:  16% (1/6)        \r\
                  remote: Counting objects: 100% (6/6), done.        \nReceiving objects:  50% (3/6)\r\
                  Receiving objects: 100% (6/6), done.\nFrom /srv/hub\n * [new branch]      main -> origin/main\n\
                  \x20  d97c08f..8ce5305  x -> origin/x\n\
                  error: object 1a2b: duplicateEntries: contains duplicate file entries\n\
                  fatal: fsck error in packed object\n ! [rejected]        main -> main (fetch first)\n";
    assert_eq!(
        detail(stderr),
        ":\n  error: object 1a2b: duplicateEntries: contains duplicate file entries\n  fatal: fsck error in \
         packed object\n   ! [rejected]        main -> main (fetch first)"
    );
    assert_eq!(detail("remote: Total 3 (delta 0)\n"), "");
}

#[test]
fn a_lock_git_could_not_create_is_named_with_why_removing_it_is_safe() {
    let stderr = "remote: error: cannot lock ref 'refs/heads/main': Unable to create \
                  '/srv/hub/./refs/heads/main.lock': File exists.        \nremote: \n";
    let err = lock_in_the_way(stderr, "push to origin").unwrap();
    assert_eq!(
        err.to_string(),
        "git could not push to origin (the lock is on the remote): its lock file \
         /srv/hub/refs/heads/main.lock is in the way"
    );
    let (_, hint) = crate::error::classify(&err);
    assert!(hint.unwrap().contains("the lock is stale (left by a process that was killed) and it is safe to remove it: rm /srv/hub/refs/heads/main.lock"));
    assert!(lock_in_the_way("fatal: could not read from remote repository\n", "fetch").is_none());
}

#[test]
fn a_fetch_that_lost_a_race_for_a_local_ref_is_tried_again_and_other_failures_are_not() {
    let moved = "error: cannot lock ref 'refs/remotes/origin/main': is at 51db66d but expected a9f8248\n\
                 error: some local refs could not be updated; try running\n";
    assert!(lost_local_race(moved));
    let held = "error: cannot lock ref 'refs/remotes/origin/main': Unable to create \
                '/c/.git/refs/remotes/origin/main.lock': File exists.\n";
    assert!(lost_local_race(held));
    assert_eq!(lock_named(held), Some((PathBuf::from("/c/.git/refs/remotes/origin/main.lock"), false)));
    let df = "error: cannot lock ref 'refs/remotes/origin/a/b': 'refs/remotes/origin/a' exists; cannot create \
              'refs/remotes/origin/a/b'\n";
    assert!(!lost_local_race(df));
    assert!(!lost_local_race("fatal: could not read from remote repository\n"));
}

#[test]
fn a_lock_held_by_another_push_is_a_race_and_a_hook_refusal_is_not() {
    let lock = vec!["refs/heads/main:refs/heads/main [remote rejected] (atomic transaction failed)".to_string()];
    assert!(lost_race(&lock, ""));
    assert!(lost_race(&[], "remote: error: cannot lock ref 'refs/heads/main': Unable to create lock"));
    assert!(lost_race(&["a:a [rejected] (stale info)".to_string()], ""));
    let hook = vec!["a:a [remote rejected] (pre-receive hook declined)".to_string()];
    assert!(!lost_race(&hook, ""));
    assert!(!lost_race(&[], "fatal: could not read from remote repository"));
}
