//! How many distinct versions each article has across the editions, cached by their tips.

use super::editions::{self, Editions};
use super::FORMAT;
use crate::commons::Commons;
use anyhow::Result;
use std::collections::HashMap;

/// Slug → distinct versions across the editions, cached in `counts.tsv` and keyed by
/// every edition's tip.
pub(super) fn counts(commons: &Commons, editions: &Editions) -> Result<HashMap<String, Vec<String>>> {
    let path = commons.state_dir().join("index").join("counts.tsv");
    let header = format!("counts\t{FORMAT}\t{}", editions.key());
    if let Ok(text) = std::fs::read_to_string(&path) {
        let mut lines = text.lines();
        if lines.next() == Some(header.as_str()) {
            let mut out = HashMap::new();
            for line in lines {
                if let Some((slug, vs)) = line.split_once('\t') {
                    out.insert(slug.to_string(), vs.split(',').map(str::to_string).collect());
                }
            }
            return Ok(out);
        }
    }
    // Each half of the editions read on a core of its own; then every (slug, version) in
    // order, each slug's distinct versions side by side (a map filled pair by pair, a
    // hundred thousand pairs, missed the cache on most of them).
    let gather = |part: &[editions::Edition]| -> Result<Vec<(String, String)>> {
        let mut pairs = Vec::new();
        for e in part {
            pairs.extend(e.slug_versions()?);
        }
        Ok(pairs)
    };
    let (first, second) = editions.list.split_at(editions.list.len() / 2);
    let (pairs, other) = std::thread::scope(|scope| {
        let other = scope.spawn(|| gather(second));
        (gather(first), other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let mut pairs = pairs?;
    pairs.extend(other?);
    let order = super::by_slug::order_by(&pairs, |p| &p.0, |a, b| pairs[a].1.cmp(&pairs[b].1));
    let mut sets: HashMap<String, Vec<String>> = HashMap::with_capacity(order.len());
    let mut text = header + "\n";
    let mut group: Option<(String, Vec<String>)> = None;
    let mut flush = |group: Option<(String, Vec<String>)>, text: &mut String| {
        if let Some((slug, vs)) = group {
            text.push_str(&slug);
            text.push('\t');
            text.push_str(&vs.join(","));
            text.push('\n');
            sets.insert(slug, vs);
        }
    };
    for i in order {
        let (slug, version) = std::mem::take(&mut pairs[i]);
        match &mut group {
            Some((s, vs)) if *s == slug => {
                if vs.last() != Some(&version) {
                    vs.push(version);
                }
            }
            _ => {
                let done = group.replace((slug, vec![version]));
                flush(done, &mut text);
            }
        }
    }
    flush(group, &mut text);
    let _ = editions::write_atomic(&path, text.as_bytes());
    Ok(sets)
}
