//! Git notes, written the way git itself lays them out at scale: the 2/38 fanout
//! (`ab/cdef…` for the note on object `abcdef…`), one commit per batch of notes. libgit2's
//! own notes API makes one commit per note and never fans out (DESIGN.md measured 150 s
//! and 2.5 GB for 10,000 notes), so tribune writes notes trees itself.

use super::{Edit, Oid, Repo};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};

impl Repo {
    /// The note on `object` in the notes tree `tree`, flat (`<40 hex>`) or fanned out at any
    /// depth (`ab/cd…`), as git reads them.
    pub fn note_in(&self, tree: Oid, object: Oid) -> Result<Option<(String, Vec<u8>)>> {
        let hex = object.to_string();
        let mut dir = tree;
        let mut prefix = String::new();
        let mut rest = hex.as_str();
        loop {
            if let Some(id) = self.child(dir, rest)? {
                return Ok(Some((format!("{prefix}{rest}"), self.read_blob(id)?)));
            }
            if rest.len() <= 2 {
                return Ok(None);
            }
            match self.child(dir, &rest[..2])? {
                Some(sub) => {
                    prefix.push_str(&rest[..2]);
                    prefix.push('/');
                    dir = sub;
                    rest = &rest[2..];
                }
                None => return Ok(None),
            }
        }
    }

    /// Every note in a notes tree: annotated object → (path in the tree, note blob).
    pub fn notes_in(&self, tree: Oid) -> Result<BTreeMap<Oid, (String, Oid)>> {
        let mut out = BTreeMap::new();
        self.collect_notes(tree, "", "", &mut out)?;
        Ok(out)
    }

    fn collect_notes(&self, tree: Oid, path: &str, hex: &str, out: &mut BTreeMap<Oid, (String, Oid)>) -> Result<()> {
        for e in self.list_dir(tree, "")? {
            // git names notes in lower-case hex only; anything else in a notes tree is not a
            // note (an upper-case twin must not pass for one: note_in would never see it).
            if !e.name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                continue;
            }
            let full = format!("{hex}{}", e.name);
            let p = format!("{path}{}", e.name);
            if e.is_tree && e.name.len() == 2 && full.len() < 40 {
                self.collect_notes(e.id, &format!("{p}/"), &full, out)?;
            } else if !e.is_tree && full.len() == 40 {
                if let Ok(object) = full.parse::<Oid>() {
                    out.insert(object, (p, e.id));
                }
            }
        }
        Ok(())
    }

    /// The edits that put `text` as the note on each object of `notes`, in 2/38 fanout,
    /// removing any note on the same object stored elsewhere (flat, or deeper fanout).
    pub fn note_edits(&self, tree: Option<Oid>, notes: &BTreeMap<Oid, Vec<u8>>) -> Result<Vec<Edit>> {
        let mut edits = Vec::new();
        for (object, text) in notes {
            let hex = object.to_string();
            let path = format!("{}/{}", &hex[..2], &hex[2..]);
            if let Some(t) = tree {
                if let Some((old, _)) = self.note_in(t, *object)? {
                    if old != path {
                        edits.push(Edit::Remove { path: old });
                    }
                }
            }
            edits.push(Edit::Put { path, blob: self.write_blob(text)? });
        }
        Ok(edits)
    }
}

/// Two versions of one note merged as git's `cat_sort_uniq` strategy does: every line of
/// either, sorted, each once. Records are self-describing lines, so nothing is lost.
pub fn union_lines(a: &[u8], b: &[u8]) -> Vec<u8> {
    let lines: BTreeSet<&[u8]> =
        a.split(|&c| c == b'\n').chain(b.split(|&c| c == b'\n')).filter(|l| !l.is_empty()).collect();
    let mut out = Vec::new();
    for l in lines {
        out.extend_from_slice(l);
        out.push(b'\n');
    }
    out
}

impl Repo {
    /// The notes that merging notes tree `theirs` into `ours` must write: for each object
    /// noted on both sides with different text, the union of lines; for each object noted
    /// only in `theirs`, its note. Flat and fanned-out trees merge alike.
    pub fn merge_notes(&self, ours: Option<Oid>, theirs: Oid) -> Result<BTreeMap<Oid, Vec<u8>>> {
        let mut out = BTreeMap::new();
        for (object, mine, blob) in self.changed_notes(ours, theirs)? {
            match mine {
                Some(b) => out.insert(object, union_lines(&self.read_blob(b)?, &self.read_blob(blob)?)),
                None => out.insert(object, self.read_blob(blob)?),
            };
        }
        Ok(out)
    }

    /// The notes of notes tree `new` that `old` does not have as they are: (object, its note
    /// blob in `old` if any, its note blob in `new`). Subtrees the two share are skipped
    /// unread, so two versions of a rater's thousand notes that differ by one cost a few
    /// tree reads; a note `old` keeps in another layout (flat, or deeper) is found by its
    /// object.
    pub fn changed_notes(&self, old: Option<Oid>, new: Oid) -> Result<Vec<(Oid, Option<Oid>, Oid)>> {
        let mut fresh = BTreeMap::new();
        self.notes_not_in(old, new, "", &mut fresh)?;
        let mut out = Vec::with_capacity(fresh.len());
        for (object, blob) in fresh {
            let before = match old {
                Some(o) => self.note_blob_in(o, object)?,
                None => None,
            };
            if before != Some(blob) {
                out.push((object, before, blob));
            }
        }
        Ok(out)
    }

    /// The notes under `new` (at `hex`, the object-id prefix its path spells) in entries
    /// that the same place in `old` does not hold with the same id.
    fn notes_not_in(&self, old: Option<Oid>, new: Oid, hex: &str, out: &mut BTreeMap<Oid, Oid>) -> Result<()> {
        let theirs: BTreeMap<String, (Oid, bool)> = match old {
            Some(o) => self.list_dir(o, "")?.into_iter().map(|e| (e.name, (e.id, e.is_tree))).collect(),
            None => BTreeMap::new(),
        };
        for e in self.list_dir(new, "")? {
            if !e.name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                continue;
            }
            let full = format!("{hex}{}", e.name);
            match theirs.get(&e.name) {
                Some((id, _)) if *id == e.id => continue,
                Some((id, true)) if e.is_tree && e.name.len() == 2 && full.len() < 40 => {
                    self.notes_not_in(Some(*id), e.id, &full, out)?;
                }
                _ if e.is_tree && e.name.len() == 2 && full.len() < 40 => {
                    let mut all = BTreeMap::new();
                    self.collect_notes(e.id, "", &full, &mut all)?;
                    out.extend(all.into_iter().map(|(object, (_, blob))| (object, blob)));
                }
                _ if !e.is_tree && full.len() == 40 => {
                    if let Ok(object) = full.parse::<Oid>() {
                        out.insert(object, e.id);
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The blob of the note on `object` in notes tree `tree`, in any layout.
    fn note_blob_in(&self, tree: Oid, object: Oid) -> Result<Option<Oid>> {
        let hex = object.to_string();
        let mut dir = tree;
        let mut rest = hex.as_str();
        loop {
            if let Some(id) = self.child(dir, rest)? {
                return Ok(Some(id));
            }
            if rest.len() <= 2 {
                return Ok(None);
            }
            match self.child(dir, &rest[..2])? {
                Some(sub) => {
                    dir = sub;
                    rest = &rest[2..];
                }
                None => return Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_keeps_every_line_once_sorted() {
        assert_eq!(union_lines(b"b\na\n", b"c\na\n"), b"a\nb\nc\n".to_vec());
        assert_eq!(union_lines(b"", b"x"), b"x\n".to_vec());
    }

    #[test]
    fn notes_are_written_fanned_out_and_read_back_flat_or_fanned() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(dir.path(), "main").unwrap();
        let a = repo.write_blob(b"article a").unwrap();
        let b = repo.write_blob(b"article b").unwrap();
        // A flat note, as libgit2 or an old git writes it.
        let flat = repo
            .edit_tree(None, &[Edit::Put { path: a.to_string(), blob: repo.write_blob(b"old\n").unwrap() }])
            .unwrap();
        let mut notes = BTreeMap::new();
        notes.insert(a, b"new\n".to_vec());
        notes.insert(b, b"bee\n".to_vec());
        let edits = repo.note_edits(Some(flat), &notes).unwrap();
        let tree = repo.edit_tree(Some(flat), &edits).unwrap();
        let (path, text) = repo.note_in(tree, a).unwrap().unwrap();
        assert_eq!(path, format!("{}/{}", &a.to_string()[..2], &a.to_string()[2..]));
        assert_eq!(text, b"new\n");
        assert_eq!(repo.notes_in(tree).unwrap().len(), 2, "the flat note was moved, not copied");
        assert_eq!(repo.note_in(flat, a).unwrap().unwrap().1, b"old\n");
        let merged = repo.merge_notes(Some(flat), tree).unwrap();
        assert_eq!(merged[&a], b"new\nold\n");
        assert_eq!(merged[&b], b"bee\n");
    }

    /// What changed between two notes trees, whatever their layouts, agrees with comparing
    /// every note; the shared subtrees are not what it reports.
    #[test]
    fn changed_notes_are_those_a_full_comparison_finds() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo::init_bare(dir.path(), "main").unwrap();
        let objects: Vec<Oid> = (0..300).map(|i| repo.write_blob(format!("article {i}").as_bytes()).unwrap()).collect();
        let note = |text: &str| repo.write_blob(text.as_bytes()).unwrap();
        // Old: the first 100 flat (as an old git writes them), the next 100 fanned out.
        let mut edits: Vec<Edit> =
            objects[..100].iter().map(|o| Edit::Put { path: o.to_string(), blob: note("one\n") }).collect();
        let fanned: BTreeMap<Oid, Vec<u8>> = objects[100..200].iter().map(|o| (*o, b"two\n".to_vec())).collect();
        let flat = repo.edit_tree(None, &edits).unwrap();
        edits = repo.note_edits(Some(flat), &fanned).unwrap();
        let old = repo.edit_tree(Some(flat), &edits).unwrap();
        // New: every note fanned out, two changed, fifty added.
        let mut notes: BTreeMap<Oid, Vec<u8>> = objects[..200].iter().map(|o| (*o, Vec::new())).collect();
        for (o, text) in notes.iter_mut() {
            *text = repo.note_in(old, *o).unwrap().unwrap().1;
        }
        notes.insert(objects[5], b"one\nmore\n".to_vec());
        notes.insert(objects[150], b"changed\n".to_vec());
        for o in &objects[200..250] {
            notes.insert(*o, b"added\n".to_vec());
        }
        let new = repo.edit_tree(Some(old), &repo.note_edits(Some(old), &notes).unwrap()).unwrap();
        let (before, after) = (repo.notes_in(old).unwrap(), repo.notes_in(new).unwrap());
        let mut want: Vec<(Oid, Option<Oid>, Oid)> = after
            .iter()
            .filter(|(o, (_, b))| before.get(*o).map(|(_, x)| x) != Some(b))
            .map(|(o, (_, b))| (*o, before.get(o).map(|(_, x)| *x), *b))
            .collect();
        want.sort();
        let mut got = repo.changed_notes(Some(old), new).unwrap();
        got.sort();
        assert_eq!(got.len(), 52);
        assert_eq!(got, want);
        assert!(repo.changed_notes(Some(new), new).unwrap().is_empty());
        assert_eq!(repo.changed_notes(None, new).unwrap().len(), 250);
    }
}
