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
    pub(super) fn put_all(&mut self, new: Vec<Entry>) {
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
        let new = sorted_by_slug(new);
        if self.0.is_empty() {
            self.0 = new;
            return;
        }
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

/// `entries` in slug order, the last of a slug's entries kept.
fn sorted_by_slug(entries: Vec<Entry>) -> Vec<Entry> {
    // Equal slugs: the later entry first, so that it is the one kept.
    let order = order_by(&entries, |e| &e.slug, |a, b| b.cmp(&a));
    let mut entries = entries;
    let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
    for i in order {
        if out.last().is_none_or(|last| last.slug != entries[i].slug) {
            out.push(std::mem::take(&mut entries[i]));
        }
    }
    out
}

/// The positions of `items` in the order of their `key`, ties broken by `then` on the
/// positions. Sorted by the key's first eight bytes held beside each position, the keys
/// themselves compared only when those are equal: comparing 100,000 slugs through their
/// pointers, as a sort of the items does, missed the cache on most comparisons.
pub(super) fn order_by<T>(
    items: &[T],
    key: impl Fn(&T) -> &str,
    then: impl Fn(usize, usize) -> std::cmp::Ordering,
) -> Vec<usize> {
    let head = |s: &str| {
        let mut b = [0u8; 8];
        let n = s.len().min(8);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    let mut order: Vec<(u64, usize)> = items.iter().enumerate().map(|(i, t)| (head(key(t)), i)).collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| key(&items[a.1]).cmp(key(&items[b.1]))).then_with(|| then(a.1, b.1))
    });
    order.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The keyed sort gives what a sort of the entries by slug gives, the last of a
        /// slug's entries kept (slugs sharing long heads, and of every length around eight).
        #[test]
        fn the_keyed_sort_is_a_sort_by_slug_keeping_the_last(
            slugs in prop::collection::vec("(abcdefgh|abcdefg|ab|a)?[a-c\u{e9}-]{0,3}", 0..60)
        ) {
            let entries: Vec<Entry> = slugs.iter().enumerate()
                .map(|(i, s)| Entry { slug: s.clone(), version: i.to_string(), ..Default::default() })
                .collect();
            let mut expected = entries.clone();
            expected.reverse();
            expected.sort_by(|a, b| a.slug.cmp(&b.slug));
            expected.dedup_by(|later, earlier| later.slug == earlier.slug);
            prop_assert_eq!(sorted_by_slug(entries), expected);
        }
    }
}
