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
    // Each half of the editions on a core of its own, then put together.
    let gather = |part: &[editions::Edition]| -> Result<HashMap<String, Vec<String>>> {
        let mut sets: HashMap<String, Vec<String>> = HashMap::new();
        for e in part {
            for (slug, version) in e.slug_versions()? {
                let vs = sets.entry(slug).or_default();
                if !vs.contains(&version) {
                    vs.push(version);
                }
            }
        }
        Ok(sets)
    };
    let (first, second) = editions.list.split_at(editions.list.len() / 2);
    let (sets, other) = std::thread::scope(|scope| {
        let other = scope.spawn(|| gather(second));
        (gather(first), other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let mut sets = sets?;
    for (slug, vs) in other? {
        let mine = sets.entry(slug).or_default();
        for v in vs {
            if !mine.contains(&v) {
                mine.push(v);
            }
        }
    }
    let mut slugs: Vec<(&String, &mut Vec<String>)> = sets.iter_mut().collect();
    slugs.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut text = header + "\n";
    for (slug, vs) in slugs {
        vs.sort_unstable();
        text.push_str(slug);
        text.push('\t');
        text.push_str(&vs.join(","));
        text.push('\n');
    }
    let _ = editions::write_atomic(&path, text.as_bytes());
    Ok(sets)
}
