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

mod extras;
mod founded;

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
    /// Contingent editions (branches `contingents/cNNN`) to create.
    #[arg(long, default_value_t = 0)]
    pub editions: usize,
    /// Rewrites on each edition.
    #[arg(long, default_value_t = 1_000)]
    pub rewrites: usize,
    /// Rewrites per commit on an edition. (Packing walks every commit's whole tree, so
    /// many bulk commits make the generator slow; one per edition keeps it to minutes.)
    #[arg(long, default_value_t = 1_000)]
    pub rewrite_batch: usize,
    /// Words of the long article (`long-article`) rewritten by the first two editions; 0 for none.
    #[arg(long, default_value_t = 5_000)]
    pub long_words: usize,
    /// Raters (`r0000`…), each with a notes ref of ratings on trunk versions.
    #[arg(long, default_value_t = 0)]
    pub raters: usize,
    /// Ratings per rater (on distinct versions, dimension politics).
    #[arg(long, default_value_t = 1_000)]
    pub ratings: usize,
    /// Voters (`v00000`…, contingent c000, each with a key derived from its id) who all
    /// vote on one open statement, `synthetic-statement` (one yes in three is a no). The
    /// key of v00000 is written to `<DIR>/tribune/synth-voter-key` for vote benchmarks.
    /// With --founded, the voters are admitted and the statement proposed after the
    /// founding and the admissions, signed by m000-0.
    #[arg(long, default_value_t = 0)]
    pub voters: usize,
    /// Public challenges (between random contingents, a day apart); two in three are
    /// answered by the contingent challenged, from an hour to a month later.
    #[arg(long, default_value_t = 0)]
    pub challenges: usize,
    /// Planted copies for credit-check: N articles (`planted-copy-K`) that reuse two
    /// paragraphs of another without derived_from, and N (`credited-copy-K`) that do the
    /// same with a wasDerivedFrom link (to an edition's rewrite when there are editions).
    #[arg(long, default_value_t = 0)]
    pub copies: usize,
    /// Found the commons after everything else (the synthetic members get keys, derived from
    /// their ids, in a founding commit signed by m000-0), then admit this many more members
    /// (`n00000`…), one commit each signed by a member of their contingent. The key of m001-0
    /// is written to `<DIR>/tribune/synth-member-key`.
    #[arg(long, default_value_t = 0)]
    pub founded: usize,
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
    crate::git::Repo::disable_object_cache();
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
    crate::commons::create(&dir, "Synthetic Organisation", DEFAULT_TRUNK, Some(&who(&mut clock)), None)?;
    let commons = crate::commons::Commons::open(&dir)?;
    let repo = &commons.repo;
    let trunk = commons.trunk_ref.clone();
    let first = commons.trunk_tip()?;
    let mut rng = Rng(args.seed.max(1).wrapping_mul(0x9E3779B97F4A7C15) | 1);

    // Shown from the end of the writing until the pack is on disk.
    let packing = std::cell::RefCell::new(None);
    let tip = repo.write_packed(|| {
        let mut tip = first;
        let mut tree = repo.commit_tree(first)?;
        let commit = |tree: Oid, parent: Oid, subject: &str, trailers: &[(&str, &str)], c: &mut i64| -> Result<Oid> {
            let id = who(c);
            repo.write_commit(tree, &[parent], &id, &id, &message(subject, trailers), None)
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

        let progress = crate::progress::start("writing articles", Some(args.articles as u64));
        let bulk = args.articles.saturating_sub(args.single);
        let mut edits = Vec::new();
        let mut slugs: Vec<(String, Oid)> = Vec::with_capacity(args.articles);
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
            let blob = repo.write_blob(text.as_bytes())?;
            progress.advance(1);
            slugs.push((slug.clone(), blob));
            edits.push(Edit::Put { path: layout::article_text(&slug), blob });
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
        progress.finish();
        // A long article that two editions rewrite: the diff benchmark's subject.
        let mut long = None;
        if args.long_words > 0 {
            let mut body = String::new();
            let mut written = 0;
            while written < args.long_words {
                let sentence: Vec<&str> = (0..50).map(|_| rng.word()).collect();
                body.push_str(&format!("{} {}.\n\n", capitalise(sentence[0]), sentence[1..].join(" ")));
                written += 50;
            }
            let text = format!(
                "+++\ntitle = \"A long report\"\nauthors = [\"Writer 1\"]\ncontingent = \"c000\"\ndate = 2026-11-20\nlicense = \"CC0-1.0\"\n+++\n{body}"
            );
            let blob = repo.write_blob(text.as_bytes())?;
            tree = repo.edit_tree(Some(tree), &[Edit::Put { path: layout::article_text("long-article"), blob }])?;
            tip = commit(tree, tip, "contribute: A long report", &[("Action", "contribute"), ("Article", "long-article")], &mut clock)?;
            long = Some((blob, text));
        }

        // Editions: each rewrites `rewrites` articles, `rewrite_batch` to a commit.
        let mut editions = Vec::new();
        let progress = crate::progress::start_if(
            args.editions > 0,
            "writing editions",
            Some(args.editions.min(args.contingents) as u64),
        );
        for e in 0..args.editions.min(args.contingents) {
            progress.advance(1);
            let cid = format!("c{e:03}");
            let (mut etip, mut etree) = (tip, tree);
            let mut edits = Vec::new();
            let mut chosen = std::collections::BTreeSet::new();
            while chosen.len() < args.rewrites.min(slugs.len()) {
                chosen.insert((rng.next() % slugs.len() as u64) as usize);
            }
            let chosen: Vec<usize> = chosen.into_iter().collect();
            for (k, &i) in chosen.iter().enumerate() {
                let (slug, blob) = &slugs[i];
                let text = String::from_utf8_lossy(&repo.read_blob(*blob)?).into_owned();
                let text = rewrite_text(&text, &cid, slug, *blob, &format!("Contingent {cid} adds its view: {}.", rng.word()));
                edits.push(Edit::Put { path: layout::article_text(slug), blob: repo.write_blob(text.as_bytes())? });
                if edits.len() == args.rewrite_batch.max(1) || k + 1 == chosen.len() {
                    etree = repo.edit_tree(Some(etree), &edits)?;
                    let subject = format!("rewrite: {} synthetic rewrites", edits.len());
                    etip = commit(etree, etip, &subject, &[("Action", "rewrite"), ("Contingent", &cid)], &mut clock)?;
                    edits.clear();
                }
            }
            if let (Some((blob, text)), true) = (&long, e < 2) {
                // About one paragraph in twenty changed, and (for c001) one moved.
                let mut paras: Vec<String> = text.split("\n\n").map(str::to_string).collect();
                for (p, para) in paras.iter_mut().enumerate().skip(1) {
                    if (p + e) % 20 == 0 {
                        *para = format!("{para} Edition {cid} adds a sentence here about {}.", rng.word());
                    }
                }
                if e == 1 && paras.len() > 10 {
                    let moved = paras.remove(3);
                    paras.insert(9, moved);
                }
                let new = rewrite_text(&paras.join("\n\n"), &cid, "long-article", *blob, "");
                etree = repo.edit_tree(Some(etree), &[Edit::Put { path: layout::article_text("long-article"), blob: repo.write_blob(new.as_bytes())? }])?;
                let base = blob.to_string();
                let trailers = [("Action", "rewrite"), ("Article", "long-article"), ("Contingent", cid.as_str()), ("Base", &base), ("Trunk-Base", &base)];
                etip = commit(etree, etip, "rewrite: A long report", &trailers, &mut clock)?;
            }
            editions.push((format!("refs/heads/contingents/{cid}"), etip));
        }

        progress.finish();
        // Raters: one notes commit each, fanned out as tribune writes them.
        let progress = crate::progress::start_if(args.raters > 0, "writing ratings", Some(args.raters as u64));
        for r in 0..args.raters {
            progress.advance(1);
            let rater = format!("r{r:04}");
            let mut chosen = std::collections::BTreeSet::new();
            while chosen.len() < args.ratings.min(slugs.len()) {
                chosen.insert((rng.next() % slugs.len() as u64) as usize);
            }
            let mut edits = Vec::with_capacity(chosen.len());
            for i in chosen {
                let score = (rng.next() % 5) as i8 - 2;
                let rating = crate::model::rating::Rating {
                    v: 1,
                    rater: rater.clone(),
                    dimension: "politics".into(),
                    score,
                    at: "2026-11-21T10:00:00Z".into(),
                    comment: None,
                };
                let hex = slugs[i].1.to_string();
                let note = format!("{}\n", rating.to_line());
                edits.push(Edit::Put { path: format!("{}/{}", &hex[..2], &hex[2..]), blob: repo.write_blob(note.as_bytes())? });
            }
            let ntree = repo.edit_tree(None, &edits)?;
            let id = who(&mut clock);
            let msg = message(&format!("rate: {} ratings", edits.len()), &[("Action", "rate"), ("Rater", &rater)]);
            let ntip = repo.write_commit(ntree, &[], &id, &id, &msg, None)?;
            editions.push((crate::ratings::rater_ref(&rater), ntip));
        }
        progress.finish();
        if args.copies > 0 || args.challenges > 0 {
            let rewritten: Vec<(String, Oid)> = match editions.iter().find(|(n, _)| n.starts_with(crate::index::CONTINGENT_BRANCHES)) {
                Some((_, etip)) => {
                    let etree = repo.commit_tree(*etip)?;
                    let mut out = Vec::new();
                    for (slug, blob) in slugs.iter().take(20_000) {
                        if let Some(e) = repo.entry_at(etree, &layout::article_text(slug))? {
                            if e.id != *blob {
                                out.push((slug.clone(), e.id));
                            }
                        }
                        if out.len() >= args.copies {
                            break;
                        }
                    }
                    out
                }
                None => Vec::new(),
            };
            let edits = extras::build(repo, &args, &slugs, &rewritten, &mut rng)?;
            tree = repo.edit_tree(Some(tree), &edits)?;
            tip = commit(tree, tip, "synthetic copies and challenges", &[("Action", "contribute")], &mut clock)?;
        }
        if args.founded > 0 {
            tip = founded::build(repo, &dir, &args, tip, &mut || who(&mut clock))?;
        }
        if args.voters > 0 {
            // In a founded commons the voters are admitted, and the statement proposed, after
            // the members, by m000-0 (a member of c000): the electorate is the whole authorised
            // roster, and every voter's key is in it.
            let signer = if args.founded > 0 { Some(founded::signer("m000-0")?) } else { None };
            tip = voters(repo, &dir, args.voters, tip, signer.as_ref(), &mut editions, &mut || who(&mut clock))?;
        }
        *packing.borrow_mut() = Some(crate::progress::start("writing the pack", None));
        let tips = std::iter::once(tip).chain(editions.iter().map(|(_, t)| *t)).collect();
        Ok(((tip, editions), tips))
    })?;
    drop(packing);
    let (tip, editions) = tip;
    if repo.update_ref(&trunk, tip, Some(first), "tribune synth")? != RefUpdate::Done {
        bail!("{trunk} moved while the synthetic commons was being built");
    }
    for (name, etip) in editions {
        if repo.update_ref(&name, etip, None, "tribune synth")? != RefUpdate::Done {
            bail!("{name} already exists");
        }
    }
    eprintln!("synthesised {} articles in {:.1}s at {}", args.articles, started.elapsed().as_secs_f64(), dir.display());
    Ok(())
}

/// The synthetic electorate, its statement, and one signed ballot per voter; the roster
/// commit and the proposal are signed by `signer` when there is one (a founded commons).
fn voters(
    repo: &crate::git::Repo,
    dir: &std::path::Path,
    n: usize,
    mut tip: Oid,
    signer: Option<&crate::signing::Signer>,
    refs: &mut Vec<(String, Oid)>,
    who: &mut dyn FnMut() -> Identity,
) -> Result<Oid> {
    use crate::statements::{ballot_message, ballot_ref, Choice};
    const SLUG: &str = "synthetic-statement";
    let key = |i: usize| crate::signing::keyring::derived_key(&format!("synth voter v{i:05}"));
    let mut edits = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    for i in 0..n {
        let k = key(i);
        let public = k.public_key().to_openssh().context("could not encode a key")?;
        let mid = format!("v{i:05}");
        let m = Member {
            id: mid.clone(),
            name: format!("Voter {i}"),
            contingent: "c000".into(),
            email: format!("{mid}@example.org"),
            keys: vec![public],
        };
        edits.push(Edit::Put { path: layout::member(&mid), blob: repo.write_blob(m.to_toml().as_bytes())? });
        keys.push(k);
    }
    let tree = repo.edit_tree(Some(repo.commit_tree(tip)?), &edits)?;
    let commit = |tree: Oid, parent: Oid, msg: &str, id: &Identity| match signer {
        Some(s) => repo.write_commit(tree, &[parent], id, id, msg, Some(&|d| s.sign(d))),
        None => repo.write_commit(tree, &[parent], id, id, msg, None),
    };
    tip = commit(tree, tip, &message(&format!("roster: {n} voters"), &[("Action", "roster")]), &who())?;
    let text = "+++\ntitle = \"A synthetic statement\"\ndeadline = 2030-01-01T00:00:00Z\nthreshold = \"2/3\"\nbasis = \"cast\"\nquorum = \"1/2\"\n+++\nEveryone votes on this.\n";
    let blob = repo.write_blob(text.as_bytes())?;
    let tree = repo.edit_tree(Some(tree), &[Edit::Put { path: layout::statement_text(SLUG), blob }])?;
    let proposal = commit(
        tree,
        tip,
        &message("propose: A synthetic statement", &[("Action", "propose"), ("Statement", SLUG)]),
        &who(),
    )?;
    let empty = repo.empty_tree()?;
    for (i, k) in keys.into_iter().enumerate() {
        let member = format!("v{i:05}");
        let choice = if i % 3 == 2 { Choice::No } else { Choice::Yes };
        let signer = crate::signing::Signer::from_private_key(k)?;
        let id = who();
        let msg = ballot_message(SLUG, proposal, blob, &member, 1, choice, None);
        let ballot = repo.write_commit(empty, &[], &id, &id, &msg, Some(&|d| signer.sign(d)))?;
        refs.push((ballot_ref(SLUG, &member), ballot));
    }
    let state = dir.join("tribune");
    std::fs::create_dir_all(&state).with_context(|| format!("could not create {}", state.display()))?;
    key(0)
        .write_openssh_file(&state.join("synth-voter-key"), ssh_key::LineEnding::LF)
        .context("could not write the voter key")?;
    Ok(proposal)
}

/// A contingent's rewrite of a synthetic article: its contingent, its provenance, and one
/// more paragraph.
fn rewrite_text(text: &str, contingent: &str, slug: &str, base: Oid, extra: &str) -> String {
    let (front, body) = text.split_once("\n+++\n").unwrap_or((text, ""));
    let front: String = front
        .lines()
        .map(|l| if l.starts_with("contingent = ") { format!("contingent = \"{contingent}\"") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    let extra = if extra.is_empty() { String::new() } else { format!("\n{extra}\n") };
    format!(
        "{front}\n[[derived_from]]\nrelation = \"wasRevisionOf\"\nslug = \"{slug}\"\nversion = \"{base}\"\n+++\n{body}{extra}"
    )
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
