//! Synthetic copies and challenges, for the credit-check and accountability benchmarks.

use super::{Args, Rng};
use crate::git::{Edit, Oid};
use crate::model::layout;
use anyhow::{Context, Result};

/// Planted and credited copies, and challenges with their replies.
pub fn build(
    repo: &crate::git::Repo,
    args: &Args,
    slugs: &[(String, Oid)],
    rewritten: &[(String, Oid)],
    rng: &mut Rng,
) -> Result<Vec<Edit>> {
    let mut edits = Vec::new();
    let paragraphs = |blob: Oid| -> Result<String> {
        let text = String::from_utf8_lossy(&repo.read_blob(blob)?).into_owned();
        let body = text.split_once("\n+++\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        Ok(body.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n"))
    };
    for k in 0..args.copies {
        for credited in [false, true] {
            let (source_slug, source_blob) = match (credited, rewritten.get(k)) {
                (true, Some((s, b))) => (s.clone(), *b),
                _ => slugs[(rng.next() % slugs.len() as u64) as usize].clone(),
            };
            let own: Vec<&str> = (0..60).map(|_| rng.word()).collect();
            let link = if credited {
                format!("[[derived_from]]\nrelation = \"wasDerivedFrom\"\nslug = \"{source_slug}\"\nversion = \"{source_blob}\"\n")
            } else {
                String::new()
            };
            let slug = format!("{}-copy-{k}", if credited { "credited" } else { "planted" });
            let text = format!(
                "+++\ntitle = \"Copy {k}\"\nauthors = [\"Copier {k}\"]\ncontingent = \"c{:03}\"\ndate = 2027-01-01\nlicense = \"CC0-1.0\"\n{link}+++\nOur own words: {}.\n\n{}\n",
                (k + 1) % args.contingents,
                own.join(" "),
                paragraphs(source_blob)?
            );
            edits.push(Edit::Put { path: layout::article_text(&slug), blob: repo.write_blob(text.as_bytes())? });
        }
    }
    let start = chrono::DateTime::from_timestamp(1_760_000_000, 0).context("time")?;
    for n in 0..args.challenges {
        let from = (rng.next() % args.contingents as u64) as usize;
        let to = (from + 1 + (rng.next() % (args.contingents.max(2) as u64 - 1)) as usize) % args.contingents;
        let words: Vec<&str> = (0..30).map(|_| rng.word()).collect();
        let mut c = crate::challenges::Challenge {
            id: String::new(),
            from: format!("c{from:03}"),
            to: format!("c{to:03}"),
            about: Some(slugs[(rng.next() % slugs.len() as u64) as usize].0.clone()),
            about_version: None,
            subject: String::new(),
            asked_at: start + chrono::Duration::minutes(n as i64 * 7),
            asked_by: "Synth <synth@example.org>".into(),
            body: format!("Why {}?\n", words.join(" ")),
            replies: Vec::new(),
        };
        c.id = crate::challenges::new_id(&c, 0);
        let text = crate::challenges::render_challenge(&c);
        edits.push(Edit::Put { path: crate::challenges::text_path(&c.id), blob: repo.write_blob(text.as_bytes())? });
        if n % 3 != 2 {
            let reply = crate::challenges::Reply {
                contingent: c.to.clone(),
                answered_at: c.asked_at + chrono::Duration::minutes(60 + (rng.next() % 43_200) as i64),
                amended_at: None,
                replied_by: "Synth <synth@example.org>".into(),
                body: format!("Because {}.\n", rng.word()),
            };
            let text = crate::challenges::render_reply(&c.id, &reply);
            edits.push(Edit::Put {
                path: crate::challenges::reply_path(&c.id, &c.to),
                blob: repo.write_blob(text.as_bytes())?,
            });
        }
    }
    Ok(edits)
}
