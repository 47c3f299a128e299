//! Finding reuse without credit: texts that share a substantial run of words with another
//! article although neither names the other in `derived_from`.
//!
//! Each text is cut into shingles (hashes of every run of N consecutive words, N = 8 by
//! default). All (shingle, text) pairs are sorted once, so texts sharing a shingle sit side
//! by side: only those candidate pairs are ever compared, never every pair of texts.
//! Shingles found in very many texts (boilerplate, slogans) are skipped.

use crate::commons::Commons;
use crate::git::Oid;
use crate::model::article::Article;
use crate::model::vote::Ratio;
use anyhow::Result;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A shingle in more texts than this is common wording, not a copy.
const MAX_TEXTS_PER_SHINGLE: usize = 50;

/// How the check is run.
pub struct Options {
    /// Words to a shingle.
    pub shingle: usize,
    /// Share of the shorter text's shingles that must be found in the other.
    pub threshold: Ratio,
    /// Fewest shared shingles that count (so that two short texts sharing one phrase pass).
    pub min_shared: usize,
    /// Only pairs involving this article.
    pub only: Option<String>,
}

/// One version of an article, as read for the check.
struct Text {
    slug: String,
    version: Oid,
    place: String,
    contingent: String,
    date: String,
    body: String,
    shingles: Vec<u64>,
}

/// A text as a finding names it.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub slug: String,
    pub version: String,
    pub place: String,
    pub contingent: String,
    pub date: String,
}

/// Two texts that share too much without a link.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The later-dated text (the one presumed to reuse the other).
    pub copy: Side,
    pub source: Side,
    pub shared_shingles: usize,
    /// Shared shingles over the shorter text's shingles, in percent, rounded down.
    pub percent: u64,
    /// The longest runs of words of `copy` found in `source`.
    pub passages: Vec<String>,
}

/// Typographic apostrophes (’ ‘ ʼ), which word processors put in, count as '.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}')
}

fn words(body: &str) -> Vec<&str> {
    body.split(|c: char| !c.is_alphanumeric() && !is_apostrophe(c)).filter(|w| !w.is_empty()).collect()
}

fn word_hash(w: &str) -> u64 {
    // FNV-1a over the lowercased word.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in w.chars().map(|c| if is_apostrophe(c) { '\'' } else { c }).flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The shingle hash starting at each word position.
fn shingle_hashes(body: &str, n: usize) -> Vec<u64> {
    let hs: Vec<u64> = words(body).iter().map(|w| word_hash(w)).collect();
    if hs.len() < n {
        return Vec::new();
    }
    hs.windows(n)
        .map(|win| {
            win.iter()
                .fold(0x9e37_79b9_7f4a_7c15u64, |acc, h| (acc ^ h).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(17))
        })
        .collect()
}

/// Reads every trunk article and every edition's own texts, and reports the pairs of
/// different articles that share at least the threshold without a `derived_from` path
/// between them (either way, through any number of links).
pub fn check(commons: &Commons, opts: &Options) -> Result<(usize, Vec<Finding>)> {
    let index = crate::index::load(commons)?;
    let mut wanted: Vec<(String, Oid, String)> = Vec::new();
    for e in &index.articles {
        wanted.push((e.slug.clone(), e.version.parse()?, "trunk".into()));
    }
    let mut seen: HashSet<Oid> = wanted.iter().map(|w| w.1).collect();
    for edition in &index.editions.list {
        for (slug, v) in edition.versions()? {
            let id: Oid = v.version.parse()?;
            if seen.insert(id) {
                wanted.push((slug, id, edition.label.clone()));
            }
        }
    }
    let ids: Vec<Oid> = wanted.iter().map(|w| w.1).collect();
    let n = opts.shingle;
    let progress = crate::progress::start("reading texts", Some(ids.len() as u64));
    let parsed = commons.repo.map_blobs(&ids, |_, bytes| {
        progress.advance(1);
        let text = String::from_utf8_lossy(bytes);
        Article::parse("", &text).ok().map(|a| {
            let mut shingles = shingle_hashes(&a.body, n);
            shingles.sort_unstable();
            shingles.dedup();
            (a, shingles)
        })
    })?;
    // Slug → the slugs its texts name in derived_from (any relation: a credited quotation
    // is credit too).
    let mut links: HashMap<String, HashSet<String>> = HashMap::new();
    let mut texts: Vec<Text> = Vec::new();
    for ((slug, version, place), p) in wanted.into_iter().zip(parsed) {
        let Some((a, shingles)) = p else { continue };
        let entry = links.entry(slug.clone()).or_default();
        entry.extend(a.derived_from.iter().filter_map(|d| d.slug.clone()));
        texts.push(Text {
            slug,
            version,
            place,
            contingent: a.contingent.clone(),
            date: a.date.to_string(),
            body: a.body,
            shingles,
        });
    }
    progress.finish();
    let total = texts.len();
    let mut postings: Vec<(u64, u32)> = Vec::with_capacity(texts.iter().map(|t| t.shingles.len()).sum());
    for (i, t) in texts.iter().enumerate() {
        postings.extend(t.shingles.iter().map(|h| (*h, i as u32)));
    }
    postings.sort_unstable();
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
    let mut ancestors: HashMap<String, HashSet<String>> = HashMap::new();
    let progress = crate::progress::start("comparing texts", Some(postings.len() as u64));
    let mut start = 0;
    while start < postings.len() {
        let h = postings[start].0;
        let mut end = start;
        while end < postings.len() && postings[end].0 == h {
            end += 1;
        }
        let group = &postings[start..end];
        if group.len() > 1 && group.len() <= MAX_TEXTS_PER_SHINGLE {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    let (sa, sb) = (&texts[a.1 as usize].slug, &texts[b.1 as usize].slug);
                    if sa == sb {
                        continue;
                    }
                    // Wording both took from a source each of them credits is credited reuse.
                    let common_source = group.iter().any(|c| {
                        let sc = &texts[c.1 as usize].slug;
                        sc != sa
                            && sc != sb
                            && reaches(&links, &mut ancestors, sa, sc)
                            && reaches(&links, &mut ancestors, sb, sc)
                    });
                    if !common_source {
                        *pairs.entry((a.1, b.1)).or_default() += 1;
                    }
                }
            }
        }
        progress.advance((end - start) as u64);
        start = end;
    }
    progress.finish();
    let mut findings = Vec::new();
    let mut sorted: Vec<((u32, u32), u32)> = pairs.into_iter().collect();
    sorted.sort_unstable();
    for ((a, b), shared) in sorted {
        let (ta, tb) = (&texts[a as usize], &texts[b as usize]);
        if let Some(only) = &opts.only {
            if &ta.slug != only && &tb.slug != only {
                continue;
            }
        }
        let smaller = ta.shingles.len().min(tb.shingles.len()) as u128;
        let shared = shared as usize;
        if shared < opts.min_shared
            || (shared as u128) * u128::from(opts.threshold.q) < u128::from(opts.threshold.p) * smaller
        {
            continue;
        }
        if reaches(&links, &mut ancestors, &ta.slug, &tb.slug) || reaches(&links, &mut ancestors, &tb.slug, &ta.slug) {
            continue;
        }
        let (copy, source) = if (tb.date.as_str(), tb.slug.as_str()) > (ta.date.as_str(), ta.slug.as_str()) {
            (tb, ta)
        } else {
            (ta, tb)
        };
        findings.push(Finding {
            copy: side(copy),
            source: side(source),
            shared_shingles: shared,
            percent: (shared as u128 * 100 / smaller.max(1)) as u64,
            passages: passages(copy, source, n),
        });
    }
    // One finding per pair of articles: the versions that share the most.
    findings.sort_by(|x, y| {
        let key = |f: &Finding| {
            let mut k = [f.copy.slug.clone(), f.source.slug.clone()];
            k.sort();
            k
        };
        key(x).cmp(&key(y)).then(y.percent.cmp(&x.percent)).then(y.shared_shingles.cmp(&x.shared_shingles))
    });
    findings.dedup_by(|later, kept| {
        let same = |a: &Finding, b: &Finding| {
            (a.copy.slug == b.copy.slug && a.source.slug == b.source.slug)
                || (a.copy.slug == b.source.slug && a.source.slug == b.copy.slug)
        };
        same(later, kept)
    });
    findings.sort_by(|x, y| y.percent.cmp(&x.percent).then(x.copy.slug.cmp(&y.copy.slug)));
    Ok((total, findings))
}

fn side(t: &Text) -> Side {
    Side {
        slug: t.slug.clone(),
        version: t.version.to_string(),
        place: t.place.clone(),
        contingent: t.contingent.clone(),
        date: t.date.clone(),
    }
}

/// Does `from` name `to` in derived_from, directly or through other articles?
fn reaches(
    links: &HashMap<String, HashSet<String>>,
    memo: &mut HashMap<String, HashSet<String>>,
    from: &str,
    to: &str,
) -> bool {
    if !memo.contains_key(from) {
        let mut found = HashSet::new();
        let mut stack: Vec<&str> = vec![from];
        while let Some(s) = stack.pop() {
            for next in links.get(s).into_iter().flatten() {
                if found.insert(next.clone()) {
                    stack.push(next);
                }
            }
        }
        memo.insert(from.to_string(), found);
    }
    memo.get(from).is_some_and(|set| set.contains(to))
}

/// The runs of `copy`'s words whose shingles are in `source`, longest first (at most
/// three, each cut at 40 words).
fn passages(copy: &Text, source: &Text, n: usize) -> Vec<String> {
    let theirs: HashSet<u64> = source.shingles.iter().copied().collect();
    let ws = words(&copy.body);
    let hs = shingle_hashes(&copy.body, n);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, h) in hs.iter().enumerate() {
        if !theirs.contains(h) {
            continue;
        }
        match runs.last_mut() {
            Some((_, end)) if *end >= i => *end = i + n,
            _ => runs.push((i, i + n)),
        }
    }
    runs.sort_by_key(|(s, e)| std::cmp::Reverse(e - s));
    // The passage as written (punctuation and all), from its first word to its last.
    let base = copy.body.as_ptr() as usize;
    let span = |w: &str| (w.as_ptr() as usize - base, w.as_ptr() as usize - base + w.len());
    runs.into_iter()
        .take(3)
        .map(|(s, e)| {
            let cut = e.min(s + 40).min(ws.len());
            let (from, to) = (span(ws[s]).0, span(ws[cut - 1]).1);
            let mut p = copy.body[from..to].split_whitespace().collect::<Vec<_>>().join(" ");
            if cut < e {
                p.push_str(" …");
            }
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_ignore_case_and_punctuation() {
        assert_eq!(shingle_hashes("One two, three FOUR", 2), shingle_hashes("one Two three four!", 2));
        assert!(shingle_hashes("too short", 3).is_empty());
    }
}
