//! Comparing two versions of an article: by paragraph, then by word, so that a reader sees
//! what a rival version changed, and a paragraph that only moved shows as moved.

use similar::{capture_diff_slices, Algorithm, ChangeTag, DiffOp, TextDiff};
use std::collections::HashMap;

/// One piece of a word-level comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    Removed(String),
    Added(String),
}

/// One paragraph of the comparison, in the new text's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Para {
    /// The same in both.
    Same(String),
    /// Only in the old text.
    Removed(String),
    /// Only in the new text.
    Added(String),
    /// Changed in place: words removed and added.
    Changed(Vec<Piece>),
    /// Unchanged text that moved: `from` is its position (1-based) in the old text.
    Moved { text: String, from: usize },
    /// Where a moved paragraph used to be: `to` is its position (1-based) in the new text.
    MovedAway { to: usize },
}

/// A whole comparison and its counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub paras: Vec<Para>,
    pub words_added: usize,
    pub words_removed: usize,
    pub moved: usize,
}

/// Paragraphs: runs of lines between blank lines, with their line breaks kept.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !cur.is_empty() {
                out.push(cur.join("\n"));
                cur.clear();
            }
        } else {
            cur.push(line.trim_end());
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Compares two texts paragraph by paragraph, then word by word within paragraphs that
/// changed in place.
#[allow(clippy::needless_range_loop)] // positions matter: they are reported to the reader
pub fn compare(old: &str, new: &str) -> Comparison {
    let a = paragraphs(old);
    let b = paragraphs(new);
    let ops = capture_diff_slices(Algorithm::Patience, &a, &b);

    // A paragraph removed in one place and added, identical, in another has moved.
    let mut removed_at: HashMap<&str, Vec<usize>> = HashMap::new();
    for op in &ops {
        if let DiffOp::Delete { old_index, old_len, .. } | DiffOp::Replace { old_index, old_len, .. } = *op {
            for i in old_index..old_index + old_len {
                removed_at.entry(a[i].as_str()).or_default().push(i);
            }
        }
    }
    let mut moved_from: HashMap<usize, usize> = HashMap::new(); // new index → old index
    for op in &ops {
        if let DiffOp::Insert { new_index, new_len, .. } | DiffOp::Replace { new_index, new_len, .. } = *op {
            for j in new_index..new_index + new_len {
                if let Some(slots) = removed_at.get_mut(b[j].as_str()) {
                    if !slots.is_empty() {
                        moved_from.insert(j, slots.remove(0));
                    }
                }
            }
        }
    }
    let moved_to: HashMap<usize, usize> = moved_from.iter().map(|(j, i)| (*i, *j)).collect();

    let mut c = Comparison { moved: moved_from.len(), ..Default::default() };
    for op in ops {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                for i in old_index..old_index + len {
                    c.paras.push(Para::Same(a[i].clone()));
                }
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                for i in old_index..old_index + old_len {
                    c.push_removed(&a, i, &moved_to);
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for j in new_index..new_index + new_len {
                    c.push_added(&b, j, &moved_from);
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                for i in (old_index..old_index + old_len).filter(|i| moved_to.contains_key(i)) {
                    c.push_removed(&a, i, &moved_to);
                }
                // Pair each new paragraph with the next old one that reads alike, in order;
                // the old ones passed over were removed, the new ones left alone were added.
                let olds: Vec<usize> = (old_index..old_index + old_len).filter(|i| !moved_to.contains_key(i)).collect();
                let mut next = 0;
                for j in new_index..new_index + new_len {
                    if moved_from.contains_key(&j) {
                        c.push_added(&b, j, &moved_from);
                        continue;
                    }
                    match (next..olds.len()).find(|&k| alike(&a[olds[k]], &b[j])) {
                        Some(k) => {
                            for &i in &olds[next..k] {
                                c.push_removed(&a, i, &moved_to);
                            }
                            c.push_changed(&a[olds[k]], &b[j]);
                            next = k + 1;
                        }
                        None => c.push_added(&b, j, &moved_from),
                    }
                }
                for &i in &olds[next..] {
                    c.push_removed(&a, i, &moved_to);
                }
            }
        }
    }
    c
}

/// Do two paragraphs read as one edited into the other? (At least half their words in
/// common, in order.) A ratio, for pairing only: no count depends on it.
fn alike(old: &str, new: &str) -> bool {
    TextDiff::configure().algorithm(Algorithm::Patience).diff_words(old, new).ratio() >= 0.5
}

impl Comparison {
    fn push_removed(&mut self, a: &[String], i: usize, moved_to: &HashMap<usize, usize>) {
        match moved_to.get(&i) {
            Some(&to) => self.paras.push(Para::MovedAway { to: to + 1 }),
            None => {
                self.words_removed += words(&a[i]);
                self.paras.push(Para::Removed(a[i].clone()));
            }
        }
    }

    fn push_added(&mut self, b: &[String], j: usize, moved_from: &HashMap<usize, usize>) {
        match moved_from.get(&j) {
            Some(&from) => self.paras.push(Para::Moved { text: b[j].clone(), from: from + 1 }),
            None => {
                self.words_added += words(&b[j]);
                self.paras.push(Para::Added(b[j].clone()));
            }
        }
    }

    fn push_changed(&mut self, old: &str, new: &str) {
        let diff = TextDiff::configure().algorithm(Algorithm::Patience).diff_words(old, new);
        let mut pieces: Vec<Piece> = Vec::new();
        for change in diff.iter_all_changes() {
            let text = change.value().to_string();
            let piece = match change.tag() {
                ChangeTag::Equal => Piece::Same(text),
                ChangeTag::Delete => {
                    self.words_removed += words(&text);
                    Piece::Removed(text)
                }
                ChangeTag::Insert => {
                    self.words_added += words(&text);
                    Piece::Added(text)
                }
            };
            // Merge runs of the same kind so the output reads as phrases, not single words.
            match (pieces.last_mut(), piece) {
                (Some(Piece::Same(s)), Piece::Same(t))
                | (Some(Piece::Removed(s)), Piece::Removed(t))
                | (Some(Piece::Added(s)), Piece::Added(t)) => s.push_str(&t),
                (_, p) => pieces.push(p),
            }
        }
        self.paras.push(Para::Changed(tidy(pieces)));
    }

    /// "+12 words, -8 words, 1 paragraph moved".
    pub fn summary(&self) -> String {
        let mut s = format!("+{} words, -{} words", self.words_added, self.words_removed);
        if self.moved > 0 {
            s.push_str(&format!(", {} paragraph{} moved", self.moved, if self.moved == 1 { "" } else { "s" }));
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.paras.iter().all(|p| matches!(p, Para::Same(_)))
    }
}

/// A change of whitespace alone is no change a reader needs to see: the new whitespace
/// is kept as plain text and the old is dropped.
fn tidy(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for p in pieces {
        match p {
            Piece::Removed(s) if s.trim().is_empty() => {}
            Piece::Added(s) if s.trim().is_empty() => out.push(Piece::Same(s)),
            other => out.push(other),
        }
    }
    out
}

/// How a comparison is drawn: colour on a terminal, git's `--word-diff=plain` marks without.
pub struct Marks {
    pub color: bool,
}

impl Marks {
    pub fn removed(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[31;9m{s}\x1b[0m")
        } else {
            format!("[-{s}-]")
        }
    }
    pub fn added(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[32m{s}\x1b[0m")
        } else {
            format!("{{+{s}+}}")
        }
    }
    /// A whole line in a colour (plain without colour: its `-`/`+` says enough).
    pub fn line(&self, sgr: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn note(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[36m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The comparison as text, paragraph by paragraph in the new text's order.
pub fn render(c: &Comparison, marks: &Marks) -> String {
    let mut out: Vec<String> = Vec::new();
    for p in &c.paras {
        out.push(match p {
            Para::Same(t) => t.clone(),
            Para::Removed(t) => marks.removed(t),
            Para::Added(t) => marks.added(t),
            Para::Changed(pieces) => pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Same(s) => s.clone(),
                    Piece::Removed(s) => marks.removed(s),
                    Piece::Added(s) => marks.added(s),
                })
                .collect(),
            Para::Moved { text, from } => {
                format!("{}\n{text}", marks.note(&format!("~~ moved here from paragraph {from} ~~")))
            }
            Para::MovedAway { to } => marks.note(&format!("~~ paragraph moved, now paragraph {to} ~~")),
        });
    }
    out.join("\n\n")
}

/// An article split into its front matter and its body (all body when there is none).
pub fn front_and_body(text: &str) -> (String, String) {
    match crate::model::article::split("", text) {
        Ok(Some((front, body))) => (front, body),
        _ => (String::new(), text.to_string()),
    }
}

/// The front-matter lines that differ, as `-old` / `+new` lines (empty when the same).
pub fn front_lines(old_front: &str, new_front: &str, marks: &Marks) -> Vec<String> {
    front_changes(old_front, new_front)
        .into_iter()
        .map(|(added, line)| match added {
            false => marks.line("31", &format!("-{line}")),
            true => marks.line("32", &format!("+{line}")),
        })
        .collect()
}

/// The front-matter lines that differ, in order: (true if added, false if removed, line).
pub fn front_changes(old_front: &str, new_front: &str) -> Vec<(bool, String)> {
    TextDiff::from_lines(old_front, new_front)
        .iter_all_changes()
        .filter_map(|c| {
            let line = c.value().trim_end().to_string();
            match c.tag() {
                ChangeTag::Equal => None,
                ChangeTag::Delete => Some((false, line)),
                ChangeTag::Insert => Some((true, line)),
            }
        })
        .collect()
}

/// Every line of a line-by-line comparison: (`same`, `removed` or `added`, line).
pub fn line_changes(old: &str, new: &str) -> Vec<(&'static str, String)> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|c| {
            let op = match c.tag() {
                ChangeTag::Equal => "same",
                ChangeTag::Delete => "removed",
                ChangeTag::Insert => "added",
            };
            (op, c.value().trim_end_matches(['\n', '\r']).to_string())
        })
        .collect()
}

/// Compares two articles' bodies (the front matter is compared apart, by line).
pub fn compare_bodies(old: &str, new: &str) -> Comparison {
    compare(&front_and_body(old).1, &front_and_body(new).1)
}

/// A unified line diff, as `git diff` prints it.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(old_label, new_label).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_paragraph_that_only_moved_is_shown_as_moved() {
        let old = "One.\n\nTwo two.\n\nThree three three.\n";
        let new = "Three three three.\n\nOne.\n\nTwo two.\n";
        let c = compare(old, new);
        assert_eq!(c.moved, 1);
        assert_eq!((c.words_added, c.words_removed), (0, 0));
        assert!(c.paras.iter().any(|p| matches!(p, Para::Moved { from: 3, .. })), "{:?}", c.paras);
        assert!(c.paras.iter().any(|p| matches!(p, Para::MovedAway { to: 1 })), "{:?}", c.paras);
    }

    #[test]
    fn changed_words_are_counted_and_marked() {
        let c = compare("The strike lasted four hours.\n", "The strike lasted five long hours.\n");
        assert_eq!((c.words_added, c.words_removed), (2, 1));
        assert_eq!(render(&c, &Marks { color: false }), "The strike lasted [-four-]{+five long+} hours.");
        assert_eq!(c.summary(), "+2 words, -1 words");
    }

    #[test]
    fn a_new_paragraph_before_edited_ones_is_added_not_paired_with_them() {
        let old = "Alpha one two three.\n\nBeta four five six.\n";
        let new = "Brand new intro paragraph here.\n\nAlpha one two three changed.\n\nBeta four five six changed.\n";
        let c = compare(old, new);
        assert_eq!(c.paras[0], Para::Added("Brand new intro paragraph here.".into()), "{:?}", c.paras);
        assert!(
            matches!(&c.paras[1], Para::Changed(p) if p.first() == Some(&Piece::Same("Alpha one two ".into()))),
            "{:?}",
            c.paras
        );
        assert!(matches!(c.paras[2], Para::Changed(_)), "{:?}", c.paras);
        assert_eq!(c.words_removed, 2, "only the two sentence ends changed");
    }

    #[test]
    fn identical_texts_compare_empty() {
        let c = compare("A.\n\nB.\n", "A.\n\n\nB.\n");
        assert!(c.is_empty());
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::collection::vec("[a-c]{1,3}", 1..6).prop_map(|w| w.join(" ")), 0..8)
            .prop_map(|ps| ps.join("\n\n"))
    }

    proptest! {
        /// Dropping the removed pieces gives the new text; dropping the added ones, the old
        /// (paragraph by paragraph, moves put back).
        #[test]
        fn the_comparison_rebuilds_both_texts(old in text(), new in text()) {
            let c = compare(&old, &new);
            let mut rebuilt_new = Vec::new();
            for p in &c.paras {
                match p {
                    Para::Same(t) | Para::Added(t) | Para::Moved { text: t, .. } => rebuilt_new.push(t.clone()),
                    Para::Changed(ps) => rebuilt_new.push(ps.iter().filter_map(|x| match x {
                        Piece::Same(s) | Piece::Added(s) => Some(s.as_str()),
                        Piece::Removed(_) => None,
                    }).collect()),
                    Para::Removed(_) | Para::MovedAway { .. } => {}
                }
            }
            prop_assert_eq!(rebuilt_new, paragraphs(&new));
            let old_words: usize = paragraphs(&old).iter().map(|p| words(p)).sum();
            let new_words: usize = paragraphs(&new).iter().map(|p| words(p)).sum();
            prop_assert_eq!(old_words + c.words_added, new_words + c.words_removed);
        }
    }
}
