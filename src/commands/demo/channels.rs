//! The demo's channels: a workplace newsletter of the Rank-and-File Caucus, picked by hand
//! with a standing page, Redline's site channel, fed by the left-front filter, and Rosa
//! Lopez's own reading list; each with its first edition.

use super::{signer_of, DemoMember, DemoRoster};
use crate::channels::{write, ChannelId};
use crate::commons::Commons;
use crate::git::Identity;
use crate::model::channel::Settings;
use anyhow::{Context, Result};

/// The newsletter's standing page, printed at the back of each edition.
const STANDING: &str = "## About Shop Floor News\n\nShop Floor News is handed out at the Millbrook gate every other \
Friday by members of the Rank-and-File Caucus. Everything in it is in the public domain: copy it, \
post it, read it out at the break.\n\nWrite to us at newsletter@rfc.example.org.\n";

/// The newsletter's picks: (slug, version selector).
const PICKS: [(&str, &str); 3] = [
    ("tenants-at-400-willowmere-begin-rent-strike-over-repairs", "rfc"),
    ("warehouse-workers-shut-down-line-3-over-heat", "trunk"),
    ("eastgate-families-hold-vigil-for-yard-safety", "trunk"),
];

/// Three channels with one edition each. Returns how many channels.
pub fn build(
    commons: &Commons,
    roster: &DemoRoster,
    at: &mut impl FnMut(&DemoMember, i64) -> Identity,
) -> Result<usize> {
    let who = |id: &str| roster.members.iter().find(|m| m.id == id).context("the demo names an unknown member");
    let plan = [
        (
            "rlopez",
            "rfc",
            "shop-floor",
            "Shop Floor News",
            "The caucus's newsletter for the Millbrook warehouse.",
            None,
        ),
        ("mbrennan", "redline", "site", "Redline online", "The front page of redline.example.org.", Some("left-front")),
    ];
    for (member, owner, name, title, description, filter) in plan {
        let m = who(member)?;
        let signer = signer_of(member)?;
        let id = ChannelId::new(owner, name)?;
        let settings = Settings {
            member: false,
            title: title.into(),
            description: Some(description.into()),
            owner: owner.into(),
            filter: filter.map(str::to_string),
            top: filter.map(|_| 5),
            closed_at: None,
        };
        let standing = filter.is_none().then(|| STANDING.to_string());
        write::add(commons, &id, settings, standing, &write::Act { who: at(m, 0), signer: Some(&signer) })?;
        let source = match filter {
            Some(f) => write::Source::Given(write::from_filter(commons, f, 5)?),
            None => {
                for (slug, selector) in PICKS {
                    let r = write::resolve(commons, slug, Some(selector))?;
                    write::pick(commons, &id, &r, None, &write::Act { who: at(m, 0), signer: Some(&signer) })?;
                }
                write::Source::Picks
            }
        };
        let edition_title = if filter.is_some() { "This week's front page" } else { "Heat, rent and the yard" };
        write::new_edition(commons, &id, edition_title, &source, &write::Act { who: at(m, 0), signer: Some(&signer) })?;
    }
    // A member's own channel: Rosa Lopez's reading list, signed with her key alone.
    let m = who("rlopez")?;
    let signer = signer_of("rlopez")?;
    let id = ChannelId::of_member("rlopez", "reading")?;
    let settings = Settings {
        member: true,
        title: "Rosa's reading list".into(),
        description: Some("What Rosa Lopez reads before the caucus meets.".into()),
        owner: "rlopez".into(),
        filter: None,
        top: None,
        closed_at: None,
    };
    let mut act = || write::Act { who: at(m, 0), signer: Some(&signer) };
    write::add(commons, &id, settings, None, &act())?;
    let (slug, selector) = PICKS[0];
    write::pick(commons, &id, &write::resolve(commons, slug, Some(selector))?, None, &act())?;
    write::new_edition(commons, &id, "Before Friday", &write::Source::Picks, &act())?;
    Ok(plan.len() + 1)
}
