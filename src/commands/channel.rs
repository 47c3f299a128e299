//! `tribune channel`: a contingent's channels, signed selections of pinned versions.

use super::Ctx;
use crate::channels::{self, write, ChannelId};
use crate::error::fail;
use crate::model::channel::{check_text, Settings};
use crate::model::selector::split_selector;
use crate::output::{clean, print, print_json, print_table};
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Keep channels: named, signed selections of article versions, in order.
///
/// A channel belongs to a contingent (refs/tribune/channels/<contingent>/<name>) or, made
/// with `channel add NAME --member`, to one member (refs/tribune/member-channels/<member>/<name>).
/// A pick pins one version of an article: what the channel publishes stays what it was when
/// the trunk moves on. `tribune edition new` makes the channel's next numbered, dated
/// edition. In a founded commons every change is signed by a member of the channel's
/// contingent (of a member's channel: by that member). A channel is named NAME, or
/// CONTINGENT/NAME (@MEMBER/NAME for a member's) when two keepers use one name.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    Add(Add),
    List(List),
    Show(Show),
    Pick(PickArgs),
    Unpick(Unpick),
    Remove(Remove),
}

/// Make a channel.
#[derive(Debug, clap::Args)]
pub struct Add {
    /// The channel's name (an id: lowercase letters, digits and '-').
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Its title, as the newsletter's masthead shows it.
    #[arg(long, value_name = "TITLE")]
    pub title: String,
    /// The contingent that keeps it (default: the contingent of the member whose key signs,
    /// or with git's email).
    #[arg(long = "as", value_name = "CONTINGENT", conflicts_with = "member")]
    pub contingent: Option<String>,
    /// Make it a member's own channel, not a contingent's: kept (and, in a founded commons,
    /// signed) by the member whose key signs, or in an unfounded commons by the member with
    /// git's email, or MEMBER. It is named @MEMBER/NAME.
    #[arg(long, value_name = "MEMBER", num_args = 0..=1, default_missing_value = "")]
    pub member: Option<String>,
    /// A description of the channel.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// A filter that feeds the channel: `tribune edition new --from-filter` uses it by default.
    #[arg(long, value_name = "FILTER")]
    pub filter: Option<String>,
    /// How many of the filter's best an edition takes (with --filter; default 10).
    #[arg(long, value_name = "N", requires = "filter")]
    pub top: Option<u32>,
    /// A Markdown file printed at the back of every edition (who we are, how to reach us).
    #[arg(long, value_name = "FILE")]
    pub standing: Option<PathBuf>,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
}

/// List the channels.
#[derive(Debug, clap::Args)]
pub struct List {
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Show a channel: its picks, in order, and its editions.
#[derive(Debug, clap::Args)]
pub struct Show {
    /// The channel: NAME, CONTINGENT/NAME or @MEMBER/NAME.
    #[arg(value_name = "CHANNEL")]
    pub channel: String,
    /// Print the channel as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Pin a version of an article in a channel.
#[derive(Debug, clap::Args)]
pub struct PickArgs {
    /// The channel: NAME, CONTINGENT/NAME or @MEMBER/NAME.
    #[arg(value_name = "CHANNEL")]
    pub channel: String,
    /// The article and version: SLUG (the trunk's text), SLUG@CONTINGENT (its rival
    /// version) or SLUG@VERSION (a blob id prefix), as `show` reads them. Picking an article
    /// again replaces its version in place.
    #[arg(value_name = "SLUG[@VERSION]")]
    pub article: String,
    /// Put it at this place in the channel (1 is first; default: last, or its place).
    #[arg(long, value_name = "POS", value_parser = clap::value_parser!(u32).range(1..))]
    pub at: Option<u32>,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
}

/// Take an article out of a channel's picks.
#[derive(Debug, clap::Args)]
pub struct Unpick {
    /// The channel: NAME, CONTINGENT/NAME or @MEMBER/NAME.
    #[arg(value_name = "CHANNEL")]
    pub channel: String,
    /// The article's slug.
    #[arg(value_name = "SLUG")]
    pub slug: String,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
}

/// Close a channel, keeping its history and editions.
///
/// A channel is never deleted: a last commit records when it closed. Its ref and history
/// stay, so its editions stay readable and exportable; it takes no more picks or editions.
#[derive(Debug, clap::Args)]
pub struct Remove {
    /// The channel: NAME, CONTINGENT/NAME or @MEMBER/NAME.
    #[arg(value_name = "CHANNEL")]
    pub channel: String,
    #[command(flatten)]
    pub signing: super::acting::SignWith,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    match args.command {
        Sub::Add(a) => add(&commons, a),
        Sub::List(a) => list(ctx, &commons, a),
        Sub::Show(a) => show(ctx, &commons, a),
        Sub::Pick(a) => pick(&commons, a),
        Sub::Unpick(a) => {
            let id = channels::find(&commons, &a.channel)?;
            crate::model::id::validate("slug", &a.slug)?;
            let signer = act_for(&commons, &id, "unpick from", a.signing.key.as_deref())?;
            let commit = write::unpick(&commons, &id, &a.slug, &act(&commons, signer.as_ref())?)?;
            print(&format!("Unpicked {} from {id}\n  commit  {commit}", a.slug))
        }
        Sub::Remove(a) => {
            let id = channels::find(&commons, &a.channel)?;
            let signer = act_for(&commons, &id, "close", a.signing.key.as_deref())?;
            let commit = write::close(&commons, &id, &act(&commons, signer.as_ref())?)?;
            print(&format!("Closed the channel {id}: its history and editions stay readable\n  commit  {commit}"))
        }
    }
}

/// The signer of an act on channel `id`, refused before anything is written when the actor
/// may not act for its keeper (its contingent, or the member).
pub(super) fn act_for(
    commons: &crate::commons::Commons,
    id: &ChannelId,
    verb: &str,
    key: Option<&std::path::Path>,
) -> Result<Option<crate::signing::Signer>> {
    crate::commons::actor::Actor::new(commons, key)?.may_act_on_channel(
        commons,
        &format!("{verb} the channel {id}"),
        id,
    )
}

/// Who acts, now.
pub(super) fn act<'a>(
    commons: &crate::commons::Commons,
    signer: Option<&'a crate::signing::Signer>,
) -> Result<write::Act<'a>> {
    Ok(write::Act { who: commons.repo.identity("AUTHOR")?, signer })
}

fn add(commons: &crate::commons::Commons, a: Add) -> Result<()> {
    crate::model::id::validate("channel name", &a.name).context("NAME")?;
    check_text("title", &a.title, true).context("--title")?;
    if let Some(d) = &a.description {
        check_text("description", d, false).context("--description")?;
    }
    if let Some(f) = &a.filter {
        crate::ratings::trust::load(commons, f).context("--filter")?;
    }
    let actor = crate::commons::actor::Actor::new(commons, a.signing.key.as_deref())?;
    let id = match &a.member {
        Some(given) => member_channel(commons, &actor, given, &a.name)?,
        None => contingent_channel(commons, &actor, a.contingent.as_deref(), &a.name)?,
    };
    let signer = actor.may_act_on_channel(commons, &format!("make the channel {id}"), &id)?;
    let standing = match &a.standing {
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| fail(format!("cannot read {}: {e}", path.display()), "check the path"))?;
            let text = crate::model::article::utf8(&path.display().to_string(), &bytes)?.replace("\r\n", "\n");
            Some(text)
        }
        None => None,
    };
    let settings = Settings {
        title: a.title.clone(),
        description: a.description.clone(),
        owner: id.owner.clone(),
        member: id.member,
        filter: a.filter.clone(),
        top: a.top,
        closed_at: None,
    };
    let commit = write::add(commons, &id, settings, standing, &act(commons, signer.as_ref())?)?;
    print(&crate::output::here::here(&format!(
        "Made the channel {id}: {}\n  ref     {}\n  commit  {commit}\n  pick articles with `tribune channel pick {id} SLUG`",
        clean(&a.title),
        id.refname()
    )))
}

/// A member's own channel: `--member MEMBER`, else (`--member` alone) the member acting.
fn member_channel(
    commons: &crate::commons::Commons,
    actor: &crate::commons::actor::Actor,
    given: &str,
    name: &str,
) -> Result<ChannelId> {
    let member = if given.is_empty() {
        match actor.member_in(commons)? {
            Some(m) => m.id,
            None => {
                return Err(fail(
                    "no member to keep the channel: the key that signs, and git's email, are no member's",
                    "sign with a member's key (--key FILE), or name the member with --member MEMBER",
                ))
            }
        }
    } else {
        crate::model::id::validate("member id", given).context("--member")?;
        given.to_string()
    };
    if commons.snapshot()?.member(&member).ok().flatten().is_none() {
        return Err(fail(
            format!("the roster has no member {member:?}"),
            "a member's channel is kept by a member of the roster: see `tribune roster`",
        ));
    }
    ChannelId::of_member(&member, name)
}

/// A contingent's channel: `--as CONTINGENT`, else the contingent of the member acting.
fn contingent_channel(
    commons: &crate::commons::Commons,
    actor: &crate::commons::actor::Actor,
    given: Option<&str>,
    name: &str,
) -> Result<ChannelId> {
    let owner = match given {
        Some(c) => {
            crate::model::id::validate("contingent id", c).context("--as")?;
            c.to_string()
        }
        None => match actor.member_in(commons)? {
            Some(m) => m.contingent,
            None => {
                return Err(fail(
                    "no contingent to keep the channel: the key that signs, and git's email, are no member's",
                    "name the contingent with --as CONTINGENT",
                ))
            }
        },
    };
    commons.snapshot()?.require_contingent(&owner).context("--as")?;
    ChannelId::new(&owner, name)
}

fn pick(commons: &crate::commons::Commons, a: PickArgs) -> Result<()> {
    let id = channels::find(commons, &a.channel)?;
    let (slug, selector) = split_selector(&a.article)?;
    let signer = act_for(commons, &id, "pick for", a.signing.key.as_deref())?;
    let resolved = write::resolve(commons, slug, selector)?;
    let at = a.at.map(|p| p as usize - 1);
    let (commit, place) = write::pick(commons, &id, &resolved, at, &act(commons, signer.as_ref())?)?;
    print(&format!(
        "Picked {slug}@{} ({}) for {id}, at place {}\n  commit  {commit}",
        resolved.version.short(10),
        resolved.place,
        place + 1
    ))
}

fn list(ctx: &Ctx, commons: &crate::commons::Commons, a: List) -> Result<()> {
    let all = channels::list(commons)?;
    if a.json {
        return print_json(&all);
    }
    if all.is_empty() {
        return print(&crate::output::here::here(
            "No channels. Make one with `tribune channel add NAME --title TITLE`.",
        ));
    }
    let mut t = ctx.style.table(&["CHANNEL", "PICKS", "EDITIONS", "LAST", "TITLE"]).free_text(&["TITLE"]);
    for c in &all {
        let last = c.last_edition.as_ref().map(|e| format!("{} ({})", e.number, e.date.format("%Y-%m-%d")));
        let title = if c.closed { format!("{} (closed)", c.title) } else { c.title.clone() };
        t.row([c.id.clone(), c.picks.to_string(), c.editions.to_string(), last.unwrap_or_else(|| "-".into()), title]);
    }
    print_table(&t)
}

fn show(ctx: &Ctx, commons: &crate::commons::Commons, a: Show) -> Result<()> {
    let id = channels::find(commons, &a.channel)?;
    let c = channels::read(commons, &id)?;
    warn_unverified(&c);
    if a.json {
        return print_json(&c);
    }
    let s = &ctx.style;
    let mut out = format!("{}\n", s.bold(&clean(&format!("{} — {}", c.id, c.settings.title))));
    if let Some(d) = &c.settings.description {
        out.push_str(&format!("{}\n", clean(d)));
    }
    let mut facts = vec![format!("kept by {}", if c.member { "the member " } else { "" }.to_string() + &c.owner)];
    if let Some(f) = &c.settings.filter {
        facts.push(format!("fed by the filter {f} (top {})", c.settings.top.unwrap_or(10)));
    }
    if let Some(at) = c.settings.closed_at {
        facts.push(format!("closed {}", at.format("%Y-%m-%d")));
    }
    if c.standing.is_some() {
        facts.push("with a standing page".into());
    }
    out.push_str(&s.dim(&clean(&facts.join(" · "))));
    out.push_str("\n\n");
    print(&out)?;
    if c.picks.is_empty() {
        print("No picks.")?;
    } else {
        let mut t = ctx.style.table(&["#", "ARTICLE", "VERSION", "FROM", "PICKED"]);
        for (i, p) in c.picks.iter().enumerate() {
            t.row([
                (i + 1).to_string(),
                p.slug.clone(),
                p.version.chars().take(10).collect(),
                p.from.clone(),
                p.at.format("%Y-%m-%d").to_string(),
            ]);
        }
        print_table(&t)?;
    }
    if !c.editions.is_empty() {
        print("")?;
        print_editions(ctx, &c.editions)?;
    }
    Ok(())
}

/// A warning, on standard error, for each commit of the channel that is not its
/// contingent's act (founded commons only).
pub(super) fn warn_unverified(c: &channels::Channel) {
    for u in &c.unverified {
        let by = u.judged.signer.as_deref().map(|m| format!(", signed by {m}")).unwrap_or_default();
        eprintln!(
            "warning: {}",
            crate::output::clean(&format!(
                "commit {} of the channel {} ({}) is {}{by}: not an act of {}{}",
                &u.commit[..10],
                c.id,
                u.summary,
                u.judged.standing.name(),
                if c.member { "the member " } else { "" },
                c.owner
            ))
        );
    }
}

/// The editions of a channel as a table.
pub(super) fn print_editions(ctx: &Ctx, editions: &[channels::EditionSummary]) -> Result<()> {
    let mut t = ctx.style.table(&["EDITION", "DATE", "ARTICLES", "TITLE"]).free_text(&["TITLE"]);
    for e in editions {
        t.row([e.number.to_string(), e.date.format("%Y-%m-%d").to_string(), e.articles.to_string(), e.title.clone()]);
    }
    print_table(&t)
}
