//! `tribune demo`: a complete demo commons built from data embedded in the binary.

use super::Ctx;
use crate::articles::contribute::{change_for, Prepared};
use crate::commons::Commons;
use crate::git::{Identity, Timestamp};
use crate::model::article::Article;
use crate::model::id;
use crate::model::roster::{Contingent, Member};
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::PathBuf;

mod channels;
mod credits;
mod tour;

/// Build a demo commons and print a tour of commands to try.
///
/// Three contingents, seven members and fourteen labour-news articles (written for this
/// project, public domain; two of them reuse others' texts, to show credits) from
/// `fixtures/demo/`, embedded in the binary. Commit dates are fixed, so every demo has the
/// same commit ids.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to build it (must be new or empty); default: a fresh temporary directory.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const ROSTER: &str = include_str!("../../fixtures/demo/roster.toml");

/// The embedded articles, in contribution order. A test checks none is forgotten.
pub const ARTICLES: [(&str, &str); 12] = [
    ("01-warehouse-heat-shutdown.md", include_str!("../../fixtures/demo/articles/01-warehouse-heat-shutdown.md")),
    ("02-osterhout-crane-overtime.md", include_str!("../../fixtures/demo/articles/02-osterhout-crane-overtime.md")),
    ("03-kessel-fatality-inquiry.md", include_str!("../../fixtures/demo/articles/03-kessel-fatality-inquiry.md")),
    ("04-sanitation-contract-vote.md", include_str!("../../fixtures/demo/articles/04-sanitation-contract-vote.md")),
    ("05-eastgate-teachers-walkout.md", include_str!("../../fixtures/demo/articles/05-eastgate-teachers-walkout.md")),
    ("06-minimum-wage-ballot.md", include_str!("../../fixtures/demo/articles/06-minimum-wage-ballot.md")),
    ("07-quillon-courier-logoff.md", include_str!("../../fixtures/demo/articles/07-quillon-courier-logoff.md")),
    ("08-marrow-finch-union-drive.md", include_str!("../../fixtures/demo/articles/08-marrow-finch-union-drive.md")),
    ("09-willowmere-rent-strike.md", include_str!("../../fixtures/demo/articles/09-willowmere-rent-strike.md")),
    ("10-lantern-diner-wage-theft.md", include_str!("../../fixtures/demo/articles/10-lantern-diner-wage-theft.md")),
    (
        "11-alder-valley-solidarity-fund.md",
        include_str!("../../fixtures/demo/articles/11-alder-valley-solidarity-fund.md"),
    ),
    ("12-ridgeline-housekeepers.md", include_str!("../../fixtures/demo/articles/12-ridgeline-housekeepers.md")),
];

/// Rival versions, in order: (contingent or `trunk`, member, article file, summary, text).
const REWRITES: [(&str, &str, &str, &str, &str); 5] = [
    (
        "rfc",
        "rlopez",
        "09-willowmere-rent-strike.md",
        "Workplace solidarity with the tenants",
        include_str!("../../fixtures/demo/rewrites/rfc--09-willowmere-rent-strike.md"),
    ),
    (
        "redline",
        "mbrennan",
        "09-willowmere-rent-strike.md",
        "Housing as a commodity: name the system",
        include_str!("../../fixtures/demo/rewrites/redline--09-willowmere-rent-strike.md"),
    ),
    (
        "rfc",
        "dokafor",
        "06-minimum-wage-ballot.md",
        "Organise the workplaces, not only the ballot",
        include_str!("../../fixtures/demo/rewrites/rfc--06-minimum-wage-ballot.md"),
    ),
    (
        "redline",
        "jmunoz",
        "01-warehouse-heat-shutdown.md",
        "Who carries the cost of the heat",
        include_str!("../../fixtures/demo/rewrites/redline--01-warehouse-heat-shutdown.md"),
    ),
    // A later trunk correction: Red Line's rewrite of this article becomes stale.
    (
        "trunk",
        "rlopez",
        "01-warehouse-heat-shutdown.md",
        "",
        include_str!("../../fixtures/demo/rewrites/trunk--01-warehouse-heat-shutdown.md"),
    ),
];

/// Joint statements: (file, text). The first is approved, the second stays open.
const STATEMENTS: [(&str, &str); 2] = [
    (
        "01-solidarity-with-the-willowmere-tenants.md",
        include_str!("../../fixtures/demo/statements/01-solidarity-with-the-willowmere-tenants.md"),
    ),
    (
        "02-for-a-citywide-heat-standard.md",
        include_str!("../../fixtures/demo/statements/02-for-a-citywide-heat-standard.md"),
    ),
];

/// The open statement's deadline: far enough ahead that the demo's vote stays open.
const OPEN_DEADLINE: &str = "2030-12-31T18:00:00Z";

#[derive(Deserialize)]
struct DemoRoster {
    org: String,
    contingents: Vec<DemoContingent>,
    members: Vec<DemoMember>,
}
/// A contingent of the demo roster: its id (a field here, a file name in a commons) and the rest.
#[derive(Deserialize)]
struct DemoContingent {
    id: String,
    #[serde(flatten)]
    contingent: Contingent,
}
#[derive(Deserialize, Clone)]
struct DemoMember {
    id: String,
    name: String,
    contingent: String,
    email: String,
}

/// 2026-09-28T09:00:00Z: the demo's first commit.
const EPOCH: i64 = 1_790_586_000;

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let dir = match args.dir {
        Some(d) if d.is_absolute() => d,
        Some(d) => ctx.dir.join(d),
        None => tempfile::Builder::new()
            .prefix("tribune-demo-")
            .tempdir()
            .context("could not create a temporary directory")?
            .keep(),
    };
    let summary = build(&dir)?;
    // The tour's commands must work from anywhere (git -C resolves a relative path after
    // changing directory), so the directory is shown absolute.
    let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    let d = dir.display();
    crate::output::print_prose(
        &ctx.style,
        &format!(
            "Built a demo commons in {d}\n\
             {summary}\n\n\
             A short tour (tribune -C points at the commons, like git -C; without `cargo install --path .`, \
             write `cargo run --release --` for `tribune`):"
        ),
    )?;
    // One command a line, never broken, so that each can be copied whole; what it shows on
    // a line of its own above it.
    let tour = tour::commands(&d.to_string());
    let mut out = String::new();
    for (what, command) in &tour {
        if !what.is_empty() {
            out.push_str(&format!("  # {what}\n"));
        }
        out.push_str(&format!("  {command}\n"));
    }
    crate::output::print(out.trim_end())
}

/// Builds the demo in `dir` and returns a one-line summary.
pub fn build(dir: &std::path::Path) -> Result<String> {
    let roster: DemoRoster = toml::from_str(ROSTER).context("the embedded demo roster is malformed")?;
    // Ten minutes between commits; an article waits for the morning of its own date.
    let mut clock = EPOCH;
    let mut at = |who: &DemoMember, not_before: i64| {
        clock = (clock + 600).max(not_before);
        Identity {
            name: who.name.clone(),
            email: who.email.clone(),
            when: Timestamp { seconds: clock, offset_minutes: 0 },
        }
    };
    let founder = roster.members.first().context("the demo roster has no members")?;
    // A founded commons: the root holds the whole roster and is signed by the first member,
    // so every later act is judged by the authority chain (and `tribune audit` is clean).
    let mut members = Vec::new();
    for m in &roster.members {
        members.push(Member {
            id: m.id.clone(),
            name: m.name.clone(),
            contingent: m.contingent.clone(),
            email: m.email.clone(),
            keys: vec![demo_key(&m.id).public_key().to_openssh().context("could not encode a demo key")?],
        });
    }
    let founders = crate::commons::Founders {
        contingents: roster
            .contingents
            .iter()
            .map(|c| Contingent { id: c.id.clone(), ..c.contingent.clone() })
            .collect(),
        members,
        signer: signer_of(&founder.id)?,
    };
    crate::commons::create(dir, &roster.org, crate::commons::DEFAULT_TRUNK, Some(&at(founder, 0)), Some(&founders))?;
    let commons = Commons::open(dir)?;
    let mut slugs: std::collections::HashMap<&str, String> = Default::default();
    let mut articles = ARTICLES
        .iter()
        .map(|(file, text)| Ok((Article::parse(file, text)?, *file, *text)))
        .collect::<Result<Vec<_>>>()?;
    articles.sort_by_key(|(a, _, _)| a.date);
    for (article, file, text) in articles {
        let author = roster
            .members
            .iter()
            .find(|m| article.authors.first() == Some(&m.name))
            .with_context(|| format!("{file}: its first author is not in the demo roster"))?;
        let day = article.date.and_hms_opt(9, 0, 0).context("bad date")?.and_utc().timestamp();
        let who = at(author, day);
        let slug = id::slugify(&article.title);
        slugs.insert(file, slug.clone());
        let prepared = Prepared { article, slug, text: text.as_bytes().to_vec(), attachments: Vec::new() };
        let signer = signer_of(&author.id)?;
        commons.commit_on_trunk(|snap| {
            let (mut change, made) = change_for(snap, &prepared, false, Some(&who))?;
            change.signer = Some(signer.clone());
            Ok((change, made))
        })?;
    }
    let mut rewrites = 0;
    for (contingent, member, file, summary, text) in REWRITES {
        let who = roster.members.iter().find(|m| m.id == member).context("a demo rewrite names an unknown member")?;
        let signer = signer_of(&who.id)?;
        let who = at(who, 0);
        let slug = slugs.get(file).context("a demo rewrite names an unknown article")?;
        if contingent == "trunk" {
            let article = Article::parse(file, text)?;
            let prepared =
                Prepared { article, slug: slug.clone(), text: text.as_bytes().to_vec(), attachments: Vec::new() };
            commons.commit_on_trunk(|snap| {
                let (mut change, made) = change_for(snap, &prepared, true, Some(&who))?;
                change.signer = Some(signer.clone());
                Ok((change, made))
            })?;
            continue;
        }
        let editions = crate::index::editions(&commons)?;
        let base = crate::versions::rewrite::base_for(&commons, &editions, slug, contingent)?;
        let new = crate::versions::rewrite::NewText {
            slug,
            contingent,
            name: file,
            text,
            summary: Some(summary),
            attach: &[],
            detach: &[],
        };
        crate::versions::rewrite::commit_rewrite(&commons, &base, &new, Some(&who), Some(&signer))?;
        rewrites += 1;
    }
    let (ratings, raters) = rate(&commons, &roster, &mut at)?;
    let keys = write_keys(dir, &roster)?;
    vote(&commons, &roster, &mut at)?;
    let (challenges, answered) = credits::build(&commons, &roster, &mut at)?;
    let channels = channels::build(&commons, &roster, &mut at)?;
    // For plain git's `tag -v` and `verify-commit`, as `tribune allowed-signers` prints it.
    let mut signers = String::new();
    for m in &roster.members {
        let key = demo_key(&m.id).public_key().to_openssh().context("could not encode a demo key")?;
        let key: Vec<&str> = key.split_whitespace().take(2).collect();
        signers.push_str(&format!("{} namespaces=\"git\" {}\n", m.email, key.join(" ")));
    }
    std::fs::write(commons.state_dir().join("allowed-signers"), signers).context("could not write allowed-signers")?;
    // The public site, beside the demo's keys (what `tribune site build` writes).
    let site =
        crate::site::Options { out: commons.state_dir().join("site"), base_url: None, templates: None, full: false };
    crate::site::build(&commons, &site)?;
    Ok(format!(
        "{}: {} contingents, {} members, {} articles, {} rewrites by rival contingents, {} ratings by {} raters, 2 filters, \
         one approved joint statement and one open for votes, {} credited articles (one reusing another without credit), \
         {} public challenges ({} answered), {} channels with an edition each. The members' (public, demo-only) keys are in {}.",
        roster.org,
        roster.contingents.len(),
        roster.members.len(),
        ARTICLES.len() + credits::CREDITED.len(),
        rewrites,
        ratings,
        raters,
        credits::CREDITED.len(),
        challenges,
        answered,
        channels,
        keys.display()
    ))
}

/// A demo member's signer.
fn signer_of(member: &str) -> Result<crate::signing::Signer> {
    crate::signing::Signer::from_private_key(demo_key(member))
}

/// A demo member's key, derived from the member's id: the same in every demo, and public,
/// so good for nothing but the demo.
fn demo_key(member: &str) -> ssh_key::PrivateKey {
    crate::signing::keyring::derived_key(&format!("tribune demo member {member}"))
}

/// Writes the demo members' private keys where the tour can use them.
fn write_keys(dir: &std::path::Path, roster: &DemoRoster) -> Result<PathBuf> {
    let keys = crate::commons::Commons::open(dir)?.state_dir().join("demo-keys");
    std::fs::create_dir_all(&keys).with_context(|| format!("could not create {}", keys.display()))?;
    for m in &roster.members {
        let path = keys.join(&m.id);
        demo_key(&m.id)
            .write_openssh_file(&path, ssh_key::LineEnding::LF)
            .with_context(|| format!("could not write {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .with_context(|| format!("could not restrict {}", path.display()))?;
        }
    }
    Ok(keys)
}

/// Two joint statements. The first: six of the seven members vote (one changes a no to a
/// yes), a ballot forged on the seventh's ref is excluded, and after the deadline it is
/// approved by 4 yes to 1 no with 1 abstention. The second stays open.
fn vote(commons: &Commons, roster: &DemoRoster, at: &mut impl FnMut(&DemoMember, i64) -> Identity) -> Result<()> {
    use crate::model::statement::{parse_deadline, Fill, Statement};
    use crate::statements::Choice::{self, Abstain, No, Yes};
    let who = |id: &str| roster.members.iter().find(|m| m.id == id).context("a demo ballot names an unknown member");
    let signer = |id: &str| crate::signing::Signer::from_private_key(demo_key(id));
    let v = &commons.config.voting;
    // (statement, proposer, deadline: None = three days after the proposal, ballots)
    type Plan<'a> = (usize, &'a str, Option<&'a str>, Vec<(&'a str, Choice, &'a str)>);
    let plans: [Plan; 2] = [
        (
            0,
            "lbaptiste",
            None,
            vec![
                ("rlopez", Yes, "rlopez"),
                ("mbrennan", No, "mbrennan"),
                ("dokafor", Yes, "dokafor"),
                ("jmunoz", No, "jmunoz"),
                ("tnguyen", Yes, "tnguyen"),
                ("lbaptiste", Abstain, "lbaptiste"),
                // Forged: a ballot on sfarouk's ref, signed with jmunoz's key.
                ("sfarouk", No, "jmunoz"),
                ("mbrennan", Yes, "mbrennan"),
            ],
        ),
        (
            1,
            "tnguyen",
            Some(OPEN_DEADLINE),
            vec![("rlopez", Yes, "rlopez"), ("jmunoz", Yes, "jmunoz"), ("sfarouk", No, "sfarouk")],
        ),
    ];
    for (index, proposer, deadline, ballots) in plans {
        let (file, text) = STATEMENTS[index];
        let when = at(who(proposer)?, 0);
        let deadline = match deadline {
            Some(d) => parse_deadline(d).context("bad demo deadline")?,
            None => chrono::DateTime::from_timestamp(when.when.seconds + 24 * 3600, 0).context("bad demo time")?,
        };
        let fill = Fill {
            title: None,
            deadline: Some(deadline),
            threshold: Some(v.threshold.clone()),
            basis: Some(v.basis.clone()),
            quorum: Some(v.quorum.clone()),
            double_majority: None,
            proposed_by: Some(proposer.to_string()),
        };
        let full = Statement::complete(file, text, &fill, &Fill::default())?;
        let statement = Statement::parse(file, &full)?;
        let slug = id::slugify(&statement.title);
        let proposer_key = signer(proposer)?;
        commons.commit_on_trunk(|_| {
            let mut change = crate::commons::Change::new(crate::commons::message(
                &format!("propose: {}", statement.title),
                &[("Action", "propose"), ("Statement", &slug)],
            ))
            .put(crate::model::layout::statement_text(&slug), full.clone().into_bytes())
            .by(Some(&when));
            change.signer = Some(proposer_key.clone());
            Ok((change, ()))
        })?;
        let proposal = crate::statements::find(commons, &slug)?;
        for (member, choice, key) in ballots {
            let id = at(who(member)?, 0);
            crate::statements::cast(commons, &proposal, member, choice, None, &signer(key)?, &id, &id)?;
        }
        if index == 0 {
            let approver = at(who("rlopez")?, deadline.timestamp() + 3600);
            crate::statements::seal(commons, &proposal, "rlopez", &signer("rlopez")?, &approver)?;
        }
    }
    Ok(())
}

/// Two rating services with opposite politics and two members rate every version; two
/// shared filters trust one side each, so their front pages differ.
fn rate(
    commons: &Commons,
    roster: &DemoRoster,
    at: &mut impl FnMut(&DemoMember, i64) -> Identity,
) -> Result<(usize, usize)> {
    use crate::model::rating::Rating;
    use std::collections::BTreeMap;
    let editions = crate::index::editions(commons)?;
    let mut versions: Vec<(String, crate::git::Oid)> = Vec::new();
    for e in crate::index::load(commons)?.into_parts().0 {
        versions.push((e.slug.clone(), e.version.parse()?));
        for (_, v) in editions.rewrites(&e.slug)? {
            versions.push((e.slug.clone(), v.version.parse()?));
        }
    }
    let service = |name: &str| DemoMember {
        id: name.into(),
        name: format!("{name} rating service"),
        contingent: String::new(),
        email: format!("desk@{name}.example.org"),
    };
    let raters = [("leftwire", service("leftwire")), ("rightwire", service("rightwire"))];
    let members: Vec<&DemoMember> =
        ["rlopez", "mbrennan"].iter().filter_map(|id| roster.members.iter().find(|m| m.id == *id)).collect();
    let mut total = 0;
    // Deterministic scores: the services disagree on politics, roughly agree on news value.
    let score = |i: usize, k: usize| -> i8 { [2, 1, 2, 0, 1, -1, 2, 1][(i * 3 + k) % 8] };
    // (rater, who commits, (version, dimension, score) for each rating)
    type Planned = (String, DemoMember, Vec<(crate::git::Oid, &'static str, i8)>);
    let mut all: Vec<Planned> = Vec::new();
    for (k, (id, who)) in raters.iter().enumerate() {
        let mut rs = Vec::new();
        for (i, (_, v)) in versions.iter().enumerate() {
            let politics = if k == 0 { score(i, 0) } else { -score(i, 0) + if i % 4 == 0 { 1 } else { 0 } };
            rs.push((*v, "politics", politics.clamp(-2, 2)));
            rs.push((*v, "newsworthy", score(i, k + 1).clamp(-2, 2)));
        }
        all.push((id.to_string(), who.clone(), rs));
    }
    for (k, m) in members.iter().enumerate() {
        let rs = versions
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == k)
            .map(|(i, (_, v))| (*v, "accuracy", score(i, 5)))
            .collect();
        all.push((m.id.clone(), (*m).clone(), rs));
    }
    for (rater, who, rs) in &all {
        let id = at(who, 0);
        let mut records: BTreeMap<crate::git::Oid, Vec<Rating>> = BTreeMap::new();
        for (v, dim, s) in rs {
            records.entry(*v).or_default().push(Rating {
                v: 1,
                rater: rater.clone(),
                dimension: dim.to_string(),
                score: *s,
                at: id.when.rfc3339_utc(),
                comment: None,
            });
            total += 1;
        }
        // The members sign their ratings (the services have no key in the roster).
        let signer = if who.contingent.is_empty() { None } else { Some(signer_of(&who.id)?) };
        let subject = format!("rate: {} ratings", rs.len());
        crate::ratings::add(commons, rater, &records, &subject, signer.as_ref(), Some(&id))?;
    }
    let founder = roster.members.first().context("the demo roster has no members")?;
    for (name, trusted, other) in [("left-front", "leftwire", "rlopez"), ("right-front", "rightwire", "mbrennan")] {
        let mut trust = BTreeMap::new();
        trust.insert(trusted.to_string(), 2);
        trust.insert(other.to_string(), 1);
        let filter = crate::model::filter::Filter {
            trust,
            dimension: "politics".into(),
            min_score: "1".into(),
            order: "score".into(),
            verified_only: false,
            also: Vec::new(),
        };
        let who = at(founder, 0);
        let key = signer_of(&founder.id)?;
        commons.commit_on_trunk(|_| {
            let mut change = crate::commons::Change::new(crate::commons::message(
                &format!("filter: {name}"),
                &[("Action", "filter")],
            ))
            .put(format!("filters/{name}.toml"), filter.to_toml().into_bytes())
            .by(Some(&who));
            change.signer = Some(key.clone());
            Ok((change, ()))
        })?;
    }
    Ok((total, all.len()))
}

#[cfg(test)]
mod tests;
