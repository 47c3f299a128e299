//! The scratch repository sync pushes from (`src/git/scratch.rs`): it must reach the remote
//! the commons reaches, whatever the commons is, and leave nothing behind.

use crate::sync_fixture::*;

/// A rating pushed from a linked worktree of a clone reaches the hub: the scratch repository
/// borrows the main repository's configuration (a linked worktree's git dir has none).
#[test]
fn a_sync_from_a_linked_worktree_pushes_to_the_remote_of_its_main_repository() {
    let (n, a, _) = Net::two_with_heat();
    let wt = n.env.path("wt").to_string_lossy().into_owned();
    n.git(&a, &["worktree", "add", "-q", &wt, "-b", "side"]).ok();
    n.t(&wt, &["rate", "heat-at-the-depot", "--score", "1", "--as", "alice"]).ok();
    n.t(&wt, &["sync"]).ok();
    let hub = n.env.git(&["-C", &n.hub, "for-each-ref", "refs/notes/"]).ok().stdout;
    assert!(hub.contains("refs/notes/tribune/ratings/alice"), "{hub}");
}
