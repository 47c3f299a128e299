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
        let mine = match ours {
            Some(t) => self.notes_in(t)?,
            None => BTreeMap::new(),
        };
        let mut out = BTreeMap::new();
        for (object, (_, blob)) in self.notes_in(theirs)? {
            match mine.get(&object) {
                Some((_, b)) if *b == blob => {}
                Some((_, b)) => {
                    out.insert(object, union_lines(&self.read_blob(*b)?, &self.read_blob(blob)?));
                }
                None => {
                    out.insert(object, self.read_blob(blob)?);
                }
            }
        }
        Ok(out)
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
}
