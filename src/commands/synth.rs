//! `tribune synth` (hidden): builds a large synthetic commons for benchmarks, writing
//! objects straight into one packfile.

use super::Ctx;
use crate::commons::{message, DEFAULT_TRUNK};
use crate::git::{Edit, Identity, Oid, RefUpdate, Timestamp};
use crate::model::roster::{Contingent, Member};
use crate::model::{id, layout};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::time::Instant;

/// Build a synthetic commons of many articles (for benchmarks).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory of the new commons (must be new or empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Number of articles.
    #[arg(long, default_value_t = 100_000)]
    pub articles: usize,
    /// Number of contingents (three members each).
    #[arg(long, default_value_t = 100)]
    pub contingents: usize,
    /// Articles per bulk commit.
    #[arg(long, default_value_t = 5_000)]
    pub batch: usize,
    /// How many of the newest articles get one commit each, like real contributions.
    #[arg(long, default_value_t = 500)]
    pub single: usize,
    /// Seed of the pseudo-random text.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

const WORDS: &[&str] = &[
    "workers",
    "strike",
    "union",
    "wage",
    "contract",
    "picket",
    "shift",
    "rent",
    "tenants",
    "safety",
    "port",
    "warehouse",
    "drivers",
    "nurses",
    "teachers",
    "council",
    "vote",
    "ballot",
    "overtime",
    "heat",
    "fund",
    "solidarity",
    "walkout",
    "bargaining",
    "caucus",
    "local",
    "members",
    "management",
    "inspectors",
    "city",
    "pay",
    "housing",
    "clinic",
    "line",
    "depot",
    "night",
    "week",
    "demand",
    "agreement",
    "raise",
    "hours",
    "schedule",
    "organisers",
    "rally",
    "court",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn word(&mut self) -> &'static str {
        WORDS[(self.next() % WORDS.len() as u64) as usize]
    }
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    if args.contingents == 0 || args.batch == 0 {
        bail!("--contingents and --batch must be at least 1");
    }
    let dir = if args.dir.is_absolute() { args.dir.clone() } else { ctx.dir.join(&args.dir) };
    let started = Instant::now();
    let mut clock = 1_700_000_000i64;
    let who = |c: &mut i64| {
        *c += 60;
        Identity {
            name: "Synth".into(),
            email: "synth@example.org".into(),
            when: Timestamp { seconds: *c, offset_minutes: 0 },
        }
    };
    super::init::create(&dir, "Synthetic Organisation", DEFAULT_TRUNK, Some(&who(&mut clock)))?;
    let commons = crate::commons::Commons::open(&dir)?;
    let repo = &commons.repo;
    let trunk = commons.trunk_ref.clone();
    let first = commons.trunk_tip()?;
    let mut rng = Rng(args.seed.max(1).wrapping_mul(0x9E3779B97F4A7C15) | 1);

    let tip = repo.write_packed(|| {
        let mut tip = first;
        let mut tree = repo.commit_tree(first)?;
        let commit = |tree: Oid, parent: Oid, subject: &str, trailers: &[(&str, &str)], c: &mut i64| -> Result<Oid> {
            let id = who(c);
            repo.write_commit(tree, &[parent], &id, &id, &message(subject, trailers))
        };
        let mut edits = Vec::new();
        for i in 0..args.contingents {
            let cid = format!("c{i:03}");
            let c = Contingent { id: cid.clone(), name: format!("Contingent {i}"), description: String::new(), url: String::new() };
            edits.push(Edit::Put { path: layout::contingent(&cid), blob: repo.write_blob(c.to_toml().as_bytes())? });
            for j in 0..3 {
                let mid = format!("m{i:03}-{j}");
                let m = Member { id: mid.clone(), name: format!("Member {i}-{j}"), contingent: cid.clone(), email: format!("{mid}@example.org"), keys: vec![] };
                edits.push(Edit::Put { path: layout::member(&mid), blob: repo.write_blob(m.to_toml().as_bytes())? });
            }
        }
        tree = repo.edit_tree(Some(tree), &edits)?;
        tip = commit(tree, tip, "roster: synthetic contingents and members", &[("Action", "roster")], &mut clock)?;

        let bulk = args.articles.saturating_sub(args.single);
        let mut edits = Vec::new();
        for n in 0..args.articles {
            let words: Vec<&str> = (0..5).map(|_| rng.word()).collect();
            let title = format!("{} {} {} {} {}", capitalise(words[0]), words[1], words[2], words[3], words[4]);
            let slug = format!("{}-{n}", id::slugify(&title));
            let contingent = format!("c{:03}", rng.next() % args.contingents as u64);
            let day = 1 + (n * 2557 / args.articles.max(1)) as i64; // spread over seven years, in order
            let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).context("date")? + chrono::Days::new(day as u64);
            let mut body = String::new();
            for p in 0..4 {
                let sentence: Vec<&str> = (0..40).map(|_| rng.word()).collect();
                body.push_str(&format!("{} {}.\n\n", capitalise(sentence[0]), sentence[1..].join(" ")));
                if p == 1 {
                    body.push_str(&format!("Reported for contingent {contingent}.\n\n"));
                }
            }
            let text = format!(
                "+++\ntitle = \"{title}\"\nauthors = [\"Writer {}\"]\ncontingent = \"{contingent}\"\ndate = {date}\ntags = [\"{}\", \"{}\"]\nlicense = \"CC0-1.0\"\n+++\n{body}",
                rng.next() % 1000,
                rng.word(),
                rng.word()
            );
            edits.push(Edit::Put { path: layout::article_text(&slug), blob: repo.write_blob(text.as_bytes())? });
            let last_of_batch = n + 1 == bulk || (n < bulk && (n + 1) % args.batch == 0);
            if n >= bulk || last_of_batch {
                tree = repo.edit_tree(Some(tree), &edits)?;
                let subject = if n >= bulk { format!("contribute: {title}") } else { format!("contribute: {} synthetic articles", edits.len()) };
                let trailers: Vec<(&str, &str)> =
                    if n >= bulk { vec![("Action", "contribute"), ("Article", &slug), ("Contingent", &contingent)] } else { vec![("Action", "contribute")] };
                tip = commit(tree, tip, &subject, &trailers, &mut clock)?;
                edits.clear();
            }
        }
        Ok(tip)
    })?;
    if repo.update_ref(&trunk, tip, Some(first), "tribune synth")? != RefUpdate::Done {
        bail!("{trunk} moved while the synthetic commons was being built");
    }
    eprintln!("synthesised {} articles in {:.1}s at {}", args.articles, started.elapsed().as_secs_f64(), dir.display());
    Ok(())
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
