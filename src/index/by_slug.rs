//! The trunk's entries in slug order, edited in place by a refresh.

use super::Entry;

/// The entries in slug order, edited in place: a few changes to 100,000 entries move some
/// of them, rather than rebuild a map of them all.
pub(super) struct BySlug(pub(super) Vec<Entry>);

impl BySlug {
    pub(super) fn new(mut entries: Vec<Entry>) -> BySlug {
        // An index file is written in slug order; one that is not is put in order.
        if !entries.is_sorted_by(|a, b| a.slug < b.slug) {
            // The last of a slug's entries is kept, as a map would keep it.
            entries.reverse();
            entries.sort_by(|a, b| a.slug.cmp(&b.slug));
            entries.dedup_by(|later, earlier| later.slug == earlier.slug);
        }
        BySlug(entries)
    }

    fn find(&self, slug: &str) -> std::result::Result<usize, usize> {
        self.0.binary_search_by(|e| e.slug.as_str().cmp(slug))
    }

    pub(super) fn get(&self, slug: &str) -> Option<&Entry> {
        self.find(slug).ok().map(|i| &self.0[i])
    }

    pub(super) fn remove(&mut self, slug: &str) {
        if let Ok(i) = self.find(slug) {
            self.0.remove(i);
        }
    }

    /// Puts each of `new` in place of the entry of its slug, or beside the others.
    pub(super) fn put_all(&mut self, mut new: Vec<Entry>) {
        if new.len() <= 1_000 {
            for e in new {
                match self.find(&e.slug) {
                    Ok(i) => self.0[i] = e,
                    Err(i) => self.0.insert(i, e),
                }
            }
            return;
        }
        // Many (a cold build): merged in one pass, the new entry of a slug winning (and of
        // new ones, the last).
        new.reverse();
        new.sort_by(|a, b| a.slug.cmp(&b.slug));
        new.dedup_by(|later, earlier| later.slug == earlier.slug);
        let old = std::mem::take(&mut self.0);
        let mut out = Vec::with_capacity(old.len() + new.len());
        let (mut old, mut new) = (old.into_iter().peekable(), new.into_iter().peekable());
        loop {
            let order = match (old.peek(), new.peek()) {
                (None, None) => break,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(o), Some(n)) => o.slug.cmp(&n.slug),
            };
            match order {
                std::cmp::Ordering::Less => out.extend(old.next()),
                std::cmp::Ordering::Greater => out.extend(new.next()),
                std::cmp::Ordering::Equal => {
                    old.next();
                    out.extend(new.next());
                }
            }
        }
        self.0 = out;
    }
}
