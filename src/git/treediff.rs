//! Which blob paths differ between two trees, reading only the directories that differ and
//! comparing each pair byte for byte: a rewrite of four articles in a shard of four hundred
//! costs a comparison of the two shards' bytes and the parsing of the entries that differ,
//! not of all eight hundred (a cold index diffs a hundred editions of 256 such shards).

use super::tree::{damaged, raw_entry, KeptListings, RawEntry, GITLINK};
use super::{Oid, PathChange, Repo};
use anyhow::Result;
use std::cmp::Ordering;

/// A tree's bytes: a listing [`Repo::share_trees`] kept, or read for this diff.
enum Bytes<'a> {
    Kept(&'a super::Subtrees),
    Read(Vec<u8>),
    Nothing,
}

impl Bytes<'_> {
    fn get(&self) -> &[u8] {
        match self {
            Bytes::Kept(listing) => listing.raw(),
            Bytes::Read(bytes) => bytes,
            Bytes::Nothing => &[],
        }
    }
}

impl Repo {
    /// The bytes of `tree`, from the listings `kept` when they hold it.
    fn bytes_of<'a>(&self, tree: Option<Oid>, kept: Option<&'a KeptListings>) -> Result<Bytes<'a>> {
        Ok(match tree {
            None => Bytes::Nothing,
            Some(t) => match kept.and_then(|k| k.get(&t)) {
                Some(listing) => Bytes::Kept(listing),
                None => Bytes::Read(self.tree_bytes(t)?),
            },
        })
    }

    /// The blob paths under `old` and `new` that differ, each prefixed with `base`; the
    /// old side's directories are taken from `kept` when it holds them.
    ///
    /// Both trees are in git's order, so the entries they share byte for byte are skipped
    /// by comparing their bytes; the others are merged in that order (a name that is a file
    /// on one side and a directory on the other is a removal and an addition).
    pub(super) fn diff_trees(
        &self,
        old: Option<Oid>,
        new: Option<Oid>,
        base: &str,
        kept: Option<&KeptListings>,
        out: &mut Vec<PathChange>,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        if let (None, Some(new)) = (old, new) {
            return self.all_paths(new, base, out);
        }
        // The listings kept are the trunk's, which is the old side of the diffs that read
        // them (an edition's from its fork point): the new side is not looked up there.
        let (bytes_a, bytes_b) = (self.bytes_of(old, kept)?, self.bytes_of(new, None)?);
        let (a, b) = (bytes_a.get(), bytes_b.get());
        let bad = |side: Option<Oid>| side.map_or_else(|| anyhow::anyhow!("a tree is damaged"), damaged);
        let (mut pa, mut pb) = (0, 0);
        loop {
            // Whole entries that both sides hold byte for byte, skipped.
            let limit = pa + common_prefix(&a[pa..], &b[pb..]);
            while let Some(end) = entry_end(a, pa).filter(|end| *end <= limit) {
                pb += end - pa;
                pa = end;
            }
            let ea = if pa < a.len() { Some(raw_entry(a, pa).ok_or_else(|| bad(old))?) } else { None };
            let eb = if pb < b.len() { Some(raw_entry(b, pb).ok_or_else(|| bad(new))?) } else { None };
            let order = match (&ea, &eb) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(x), Some(y)) => git_order(a, x, b, y),
            };
            let (ea, eb) = match order {
                Ordering::Less => (ea, None),
                Ordering::Greater => (None, eb),
                Ordering::Equal => (ea, eb),
            };
            if let Some(e) = &ea {
                pa = e.end;
            }
            if let Some(e) = &eb {
                pb = e.end;
            }
            let name = match (&ea, &eb) {
                (Some(e), _) => &a[e.name.0..e.name.1],
                (None, Some(e)) => &b[e.name.0..e.name.1],
                (None, None) => continue,
            };
            self.entry_changed(&format!("{base}{}", String::from_utf8_lossy(name)), ea, eb, kept, out)?;
        }
        Ok(())
    }

    /// One name whose entries differ in bytes (`None`: absent on that side): the blob
    /// change, and the paths under a directory on either side.
    fn entry_changed(
        &self,
        path: &str,
        ea: Option<RawEntry>,
        eb: Option<RawEntry>,
        kept: Option<&KeptListings>,
        out: &mut Vec<PathChange>,
    ) -> Result<()> {
        // A gitlink (a submodule's commit) is no file of a commons: as if absent.
        let kind = |e: Option<RawEntry>| e.filter(|e| e.kind != GITLINK).map(|e| (e.id, e.is_tree()));
        let (ea, eb) = (kind(ea), kind(eb));
        // Only a mode's spelling or its executable bit changed: the same file.
        if ea == eb {
            return Ok(());
        }
        let blob = |e: Option<(Oid, bool)>| e.filter(|(_, t)| !t).map(|(id, _)| id);
        let tree = |e: Option<(Oid, bool)>| e.filter(|(_, t)| *t).map(|(id, _)| id);
        let (ba, bb) = (blob(ea), blob(eb));
        if ba != bb {
            out.push(PathChange { path: path.to_string(), old: ba, new: bb });
        }
        let (ta, tb) = (tree(ea), tree(eb));
        if ta != tb {
            self.diff_trees(ta, tb, &format!("{path}/"), kept, out)?;
        }
        Ok(())
    }

    /// [`Repo::all_paths`] of a large tree on every core: its subtrees split between the
    /// threads, the paths put together in order. (A cold index lists the 256 shards of
    /// 100,000 articles this way, beside the walk of the trunk's history.)
    pub(super) fn all_paths_par(&self, tree: Oid, base: &str, out: &mut Vec<PathChange>) -> Result<()> {
        let top: Vec<(String, Oid, bool)> = self
            .entries(tree)?
            .iter_kinds()
            .map(|(name, id, is_tree)| (String::from_utf8_lossy(name).into_owned(), id, is_tree))
            .collect();
        let parts = self.par_map(&top, 64, |repo, (name, id, is_tree)| {
            let mut part = Vec::new();
            if *is_tree {
                repo.all_paths(*id, &format!("{base}{name}/"), &mut part)?;
            } else {
                part.push(PathChange { path: format!("{base}{name}"), old: None, new: Some(*id) });
            }
            Ok(part)
        })?;
        out.extend(parts.into_iter().flatten());
        Ok(())
    }

    /// [`Repo::diff_trees`] from nothing: every blob under `tree` is added. (A cold index
    /// build lists 100,000 articles this way: one allocation per entry, no maps.)
    pub(super) fn all_paths(&self, tree: Oid, base: &str, out: &mut Vec<PathChange>) -> Result<()> {
        // In name order, as diff_trees gives them.
        for (name, id, is_tree) in self.entries(tree)?.iter_kinds() {
            let name = String::from_utf8_lossy(name);
            let mut path = String::with_capacity(base.len() + name.len() + 1);
            path.push_str(base);
            path.push_str(&name);
            if is_tree {
                path.push('/');
                self.all_paths(id, &path, out)?;
            } else {
                out.push(PathChange { path, old: None, new: Some(id) });
            }
        }
        Ok(())
    }
}

/// Git's order of two entries of a tree: by name, a directory's name compared as if it
/// ended with `/`.
fn git_order(a: &[u8], x: &RawEntry, b: &[u8], y: &RawEntry) -> Ordering {
    let (na, nb) = (&a[x.name.0..x.name.1], &b[y.name.0..y.name.1]);
    let n = na.len().min(nb.len());
    match na[..n].cmp(&nb[..n]) {
        Ordering::Equal => {}
        other => return other,
    }
    let next = |name: &[u8], tree: bool| name.get(n).copied().unwrap_or(if tree { b'/' } else { 0 });
    next(na, x.is_tree()).cmp(&next(nb, y.is_tree()))
}

/// Where the entry of a tree's bytes that starts at `at` ends: after the NUL that ends its
/// name and its id's 20 bytes (None past the end, or when they are not there).
fn entry_end(data: &[u8], at: usize) -> Option<usize> {
    let nul = data.get(at..)?.iter().position(|b| *b == 0)?;
    Some(at + nul + 21).filter(|end| *end <= data.len())
}

/// How many bytes `a` and `b` share from their start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut i = 0;
    for (x, y) in a.chunks_exact(64).zip(b.chunks_exact(64)) {
        if x != y {
            break;
        }
        i += 64;
    }
    i + a[i..].iter().zip(&b[i..]).take_while(|(x, y)| x == y).count()
}
