//! Trees checked as `git fsck` checks them, for what a clone takes without git's own check
//! (`transfer.fsckObjects` made `tribune clone` six times slower on 100,000 articles: git
//! checks every object, blobs and commits included). Only what would let tribune and git
//! read one tree apart is looked for: a name twice, entries out of git's order, and names
//! that are no file's (empty, `.`, `..`, `.git`, or holding a `/`). Each tree is read once,
//! however many refs share it.

use super::tree::raw_entry;
use super::{Oid, Repo};
use anyhow::Result;
use std::cmp::Ordering;
use std::collections::HashSet;

/// A tree that `git fsck` refuses: its id, the ref it was reached from, and what is wrong
/// (with git's name for it: duplicateEntries, treeNotSorted…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTree {
    pub tree: Oid,
    pub refname: String,
    pub problem: String,
}

impl Repo {
    /// The first tree under the root trees of `tips` (ref name and what it points at: a
    /// commit's tree, a tree, a tag's tree once peeled; a blob is skipped), walked down, that git fsck would
    /// refuse for one of the reasons in this module's comment.
    pub fn first_bad_tree(&self, tips: &[(String, Oid)]) -> Result<Option<BadTree>> {
        let mut seen = HashSet::new();
        let mut stack: Vec<(Oid, usize)> = Vec::new();
        for (i, (_, tip)) in tips.iter().enumerate() {
            let Some(tree) = self.root_tree(*tip)? else { continue };
            stack.push((tree, i));
            while let Some((tree, root)) = stack.pop() {
                if !seen.insert(tree) {
                    continue;
                }
                let data = self.tree_bytes(tree)?;
                if let Some(problem) = problem_of(&data, |sub| stack.push((sub, root))) {
                    return Ok(Some(BadTree { tree, refname: tips[root].0.clone(), problem }));
                }
            }
        }
        Ok(None)
    }
}

impl Repo {
    /// The tree a ref reaches: a commit's, a tree itself, or a tag's target's (tags peeled);
    /// None for a blob or a missing object. The tree is named, never parsed: libgit2 fails
    /// to parse some of the trees this module looks for (an empty name), and a ref whose
    /// tree it cannot parse must not pass for one without a tree.
    fn root_tree(&self, mut id: Oid) -> Result<Option<Oid>> {
        for _ in 0..64 {
            match self.object_kind(id)? {
                Some("tree") => return Ok(Some(id)),
                Some("commit") => return Ok(Some(self.commit_tree(id)?)),
                Some("tag") => match self.inner.find_tag(id.0) {
                    Ok(tag) => id = Oid(tag.target_id()),
                    Err(_) => return Ok(None),
                },
                _ => return Ok(None),
            }
        }
        Ok(None)
    }
}

/// What is wrong with a tree's bytes, if anything; `subtree` is given each subtree's id.
fn problem_of(data: &[u8], mut subtree: impl FnMut(Oid)) -> Option<String> {
    let mut names: Vec<&[u8]> = Vec::new();
    let mut previous: Option<(&[u8], bool)> = None;
    let mut at = 0;
    while at < data.len() {
        let Some(e) = raw_entry(data, at) else { return Some("badTree: it does not parse".into()) };
        let name = &data[e.name.0..e.name.1];
        let shown = String::from_utf8_lossy(name);
        if name.is_empty() {
            return Some("emptyName: an entry has no name".into());
        }
        if name.contains(&b'/') {
            return Some(format!("fullPathname: the entry {shown:?} holds a /"));
        }
        if name == b"." || name == b".." {
            return Some(format!("hasDot: an entry is named {shown:?}"));
        }
        if is_dotgit(name) {
            return Some(format!("hasDotgit: an entry is named {shown:?}, which a file system reads as .git"));
        }
        if let Some((before, before_tree)) = previous {
            match git_order(before, before_tree, name, e.is_tree()) {
                Ordering::Less => {}
                Ordering::Equal => return Some(format!("duplicateEntries: it names {shown:?} twice")),
                Ordering::Greater => {
                    return Some(format!("treeNotSorted: {shown:?} comes after {:?}", String::from_utf8_lossy(before)))
                }
            }
        }
        if e.is_tree() {
            subtree(e.id);
        }
        names.push(name);
        previous = Some((name, e.is_tree()));
        at = e.end;
    }
    // A file and a directory of one name are not next to each other in git's order (`a`,
    // `a-b`, then the directory `a`, compared as `a/`), so the pairs above miss them.
    names.sort_unstable();
    names
        .windows(2)
        .find(|w| w[0] == w[1])
        .map(|w| format!("duplicateEntries: it names {:?} twice", String::from_utf8_lossy(w[0])))
}

/// `.git` as some file system reads the name, as git fsck finds it: in any case, with dots
/// and spaces or a `:stream` after it (NTFS drops them), as its short name `git~1`, or with
/// code points HFS+ ignores inside it.
fn is_dotgit(name: &[u8]) -> bool {
    // NTFS reads `name:stream` as `name`, and drops dots and spaces at the end.
    let mut end = name.iter().position(|b| *b == b':').unwrap_or(name.len());
    while end > 0 && matches!(name[end - 1], b'.' | b' ') {
        end -= 1;
    }
    if name[..end].eq_ignore_ascii_case(b".git") || name[..end].eq_ignore_ascii_case(b"git~1") {
        return true;
    }
    let ignorable =
        |c: char| matches!(c, '\u{200C}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{206A}'..='\u{206F}' | '\u{FEFF}');
    std::str::from_utf8(name).is_ok_and(|s| {
        s.chars().any(ignorable)
            && s.chars().filter(|c| !ignorable(*c)).collect::<String>().eq_ignore_ascii_case(".git")
    })
}

/// git's order of tree entries (`base_name_compare`): by name, a directory's as if it
/// ended in `/`.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let end = |name: &[u8], tree: bool| name.get(n).copied().unwrap_or(if tree { b'/' } else { 0 });
        end(a, a_tree).cmp(&end(b, b_tree))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name) in entries {
            out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            out.extend_from_slice(&[7u8; 20]);
        }
        out
    }

    fn problem(entries: &[(&str, &str)]) -> Option<String> {
        problem_of(&tree(entries), |_| {})
    }

    #[test]
    fn trees_git_writes_pass() {
        assert_eq!(problem(&[]), None);
        assert_eq!(problem(&[("100644", "a"), ("100644", "a-b"), ("40000", "a.c"), ("40000", "b")]), None);
        // git's order: `a-b` and `a.c` before the directory `a` (compared as `a/`).
        assert_eq!(problem(&[("100644", "a-b"), ("40000", "a"), ("100644", "a0")]), None);
    }

    #[test]
    fn what_git_fsck_refuses_is_found() {
        let dup = problem(&[("100644", "index.md"), ("100644", "index.md")]).unwrap();
        assert!(dup.starts_with("duplicateEntries") && dup.contains("index.md"), "{dup}");
        // A file and a directory of one name, apart in git's order.
        let apart = problem(&[("100644", "a"), ("100644", "a-b"), ("40000", "a")]).unwrap();
        assert!(apart.starts_with("duplicateEntries"), "{apart}");
        assert!(problem(&[("100644", "b"), ("100644", "a")]).unwrap().starts_with("treeNotSorted"));
        // The directory `a` sorts after `a-b`: before it, out of order.
        assert!(problem(&[("40000", "a"), ("100644", "a-b")]).unwrap().starts_with("treeNotSorted"));
        assert!(problem(&[("100644", "")]).unwrap().starts_with("emptyName"));
        assert!(problem(&[("100644", "a/b")]).unwrap().starts_with("fullPathname"));
        for name in [
            ".",
            "..",
            ".git",
            ".GIT",
            ".git.",
            ".git .",
            "git~1",
            "GIT~1 ",
            ".git:x",
            ".git::$INDEX_ALLOCATION",
            "git~1:y",
            ".g\u{200c}it",
            "\u{feff}.git",
        ] {
            assert!(problem(&[("40000", name)]).unwrap().starts_with("hasDot"), "{name:?}");
        }
        for name in [".gitignore", ".github", "git", "git~2", ".g-it"] {
            assert_eq!(problem(&[("100644", name)]), None, "{name:?}");
        }
        assert!(problem_of(b"100644 a", |_| {}).unwrap().starts_with("badTree"));
    }

    #[test]
    fn every_subtree_is_given() {
        let mut subs = Vec::new();
        problem_of(&tree(&[("40000", "a"), ("100644", "b"), ("40000", "c")]), |id| subs.push(id));
        assert_eq!(subs.len(), 2);
    }
}
