//! Changing a channel: create it, pick and unpick versions, close it, make an edition. Each
//! change is one commit on the channel's ref (Tribune-Action: channel or edition), made as
//! a compare-and-swap: a writer that loses a race reads the new tip and redoes its change,
//! so parallel writers lose nothing. Who may act is decided before (the caller passes the
//! signer `commons::actor::acting_for` allowed); what is refused is refused before anything
//! is written.

use super::*;
use crate::commons::{commit_on, message, Change, Snapshot};
use crate::git::Identity;
use crate::model::channel::{Item, MAX_PICKS};
use crate::signing::Signer;

/// A version to pin, resolved: where it came from and the directory it sits in.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub slug: String,
    pub version: Oid,
    /// `trunk`, `contingents/<id>`, `history`…
    pub place: String,
    /// The article's directory where index.md is this version (its attachments beside it),
    /// or a directory of index.md alone when no branch holds it any more.
    pub dir: Oid,
    pub title: String,
}

/// Resolves `SLUG[@VERSION|@CONTINGENT]` as `show` and `export` do, and finds the directory
/// to pin with it.
pub fn resolve(commons: &Commons, slug: &str, selector: Option<&str>) -> Result<Resolved> {
    let found = crate::articles::history::resolve(commons, slug, selector)?;
    let repo = &commons.repo;
    let dir_path = crate::model::layout::article_dir(slug);
    let mut tips = vec![commons.trunk_tip()?];
    tips.extend(crate::index::editions(commons)?.list.iter().map(|e| e.tip));
    let mut dir = None;
    for tip in tips {
        if let Some(d) = repo.entry_at(repo.commit_tree(tip)?, &dir_path)?.filter(|e| e.is_tree) {
            if repo.child(d.id, "index.md")? == Some(found.version) {
                dir = Some(d.id);
                break;
            }
        }
    }
    let dir = match dir {
        Some(d) => d,
        None => repo.edit_tree(None, &[crate::git::Edit::Put { path: "index.md".into(), blob: found.version }])?,
    };
    let text = String::from_utf8_lossy(&repo.read_blob(found.version)?).into_owned();
    let title =
        crate::model::article::Article::parse(slug, &text).map(|a| a.title).unwrap_or_else(|_| slug.to_string());
    Ok(Resolved { slug: slug.to_string(), version: found.version, place: found.place, dir, title })
}

/// Who acts and when: the identity recorded in picks and editions, and the commit's.
pub struct Act<'a> {
    pub who: Identity,
    pub signer: Option<&'a Signer>,
}

impl Act<'_> {
    fn by(&self) -> String {
        format!("{} <{}>", self.who.name, self.who.email)
    }
    fn at(&self) -> chrono::DateTime<chrono::Utc> {
        self.who.when.to_datetime().with_timezone(&chrono::Utc)
    }
    fn change(&self, subject: &str, action: &str, id: &ChannelId) -> Change {
        let channel = id.to_string();
        let mut c = Change::new(message(subject, &[("Action", action), ("Channel", &channel)])).by(Some(&self.who));
        c.signer = self.signer.cloned();
        c
    }
}

/// Reads the channel at the snapshot of its ref; refuses a missing or closed one.
fn current(commons: &Commons, id: &ChannelId, snap: &Snapshot<'_>) -> Result<Files> {
    let Some(tip) = snap.commit else {
        return Err(fail(
            format!("there is no channel {id:?} (its ref {} is gone)", id.refname()),
            "list the channels with `tribune channel list`",
        ));
    };
    let files = files_at(commons, id, tip)?;
    if files.settings.closed_at.is_some() {
        return Err(fail(
            format!("the channel {id} is closed"),
            "a closed channel keeps its history and editions; make a new channel to publish again",
        ));
    }
    Ok(files)
}

/// Creates a channel; refused when one of that name exists (creation is a compare-and-swap
/// from no ref at all, so two creators cannot both succeed).
pub fn add(commons: &Commons, id: &ChannelId, settings: Settings, standing: Option<String>, act: &Act) -> Result<Oid> {
    let (commit, ()) = commit_on(&commons.repo, &id.refname(), |snap| {
        if snap.commit.is_some() {
            return Err(fail(
                format!("the channel {id} exists already"),
                format!("see it with `tribune channel show {id}`, or choose another name"),
            ));
        }
        let mut change = act
            .change(&format!("Make the channel {id}: {}", settings.title), "channel", id)
            .put(SETTINGS.into(), settings.to_toml().into_bytes());
        change = change.put(PICKS.into(), Picks::default().to_toml().into_bytes());
        change.allow_empty = true;
        if let Some(s) = &standing {
            change = change.put(STANDING.into(), s.clone().into_bytes());
        }
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// Pins `pick` in the channel at `at` (0-based; None: at the end). A slug already picked is
/// replaced in place (its version changes) unless `at` moves it. Returns the commit and
/// the position it landed at.
pub fn pick(commons: &Commons, id: &ChannelId, pick: &Resolved, at: Option<usize>, act: &Act) -> Result<(Oid, usize)> {
    commit_on(&commons.repo, &id.refname(), |snap| {
        let files = current(commons, id, snap)?;
        let mut picks = files.picks.picks;
        let old = picks.iter().position(|p| p.slug == pick.slug);
        let new = Pick {
            slug: pick.slug.clone(),
            version: pick.version.to_string(),
            from: pick.place.clone(),
            by: act.by(),
            at: act.at(),
        };
        let place = match (old, at) {
            (Some(i), None) => {
                picks[i] = new;
                i
            }
            (old, at) => {
                if let Some(i) = old {
                    picks.remove(i);
                }
                let i = at.unwrap_or(picks.len()).min(picks.len());
                picks.insert(i, new);
                i
            }
        };
        if picks.len() > MAX_PICKS {
            return Err(fail(
                format!("the channel {id} has {MAX_PICKS} picks already"),
                "unpick some with `tribune channel unpick`",
            ));
        }
        let subject = format!("Pick {}@{} for {id}", pick.slug, pick.version.short(10));
        let mut change = act.change(&subject, "channel", id).put(PICKS.into(), Picks { picks }.to_toml().into_bytes());
        change.trees.push((pin_dir(&pick.version.to_string()), pick.dir));
        Ok((change, place))
    })
}

/// Removes `slug` from the channel's picks (its pinned text stays in the channel's tree:
/// an edition may have published it, and the history keeps it anyway).
pub fn unpick(commons: &Commons, id: &ChannelId, slug: &str, act: &Act) -> Result<Oid> {
    let (commit, ()) = commit_on(&commons.repo, &id.refname(), |snap| {
        let files = current(commons, id, snap)?;
        let mut picks = files.picks.picks;
        let Some(i) = picks.iter().position(|p| p.slug == slug) else {
            return Err(fail(
                format!("the channel {id} has no pick {slug:?}"),
                format!("see its picks with `tribune channel show {id}`"),
            ));
        };
        picks.remove(i);
        let change = act
            .change(&format!("Unpick {slug} from {id}"), "channel", id)
            .put(PICKS.into(), Picks { picks }.to_toml().into_bytes());
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// Closes the channel: a last commit that records when. The ref stays, so its history and
/// editions stay readable (and a hub refuses deleting a channel's ref anyway).
pub fn close(commons: &Commons, id: &ChannelId, act: &Act) -> Result<Oid> {
    let (commit, ()) = commit_on(&commons.repo, &id.refname(), |snap| {
        let mut files = current(commons, id, snap)?;
        files.settings.closed_at = Some(act.at());
        let change = act
            .change(&format!("Close the channel {id}"), "channel", id)
            .put(SETTINGS.into(), files.settings.to_toml().into_bytes());
        Ok((change, ()))
    })?;
    Ok(commit)
}

/// What an edition publishes.
pub enum Source {
    /// The channel's picks as they are when the edition is made.
    Picks,
    /// These versions, in this order.
    Given(Vec<Resolved>),
}

/// Makes the channel's next edition: the next number after the highest one on the ref
/// (read again on every attempt), dated now, with every version it publishes pinned.
pub fn new_edition(
    commons: &Commons,
    id: &ChannelId,
    title: &str,
    source: &Source,
    act: &Act,
) -> Result<(Oid, Edition)> {
    commit_on(&commons.repo, &id.refname(), |snap| {
        let files = current(commons, id, snap)?;
        let mut trees = Vec::new();
        let articles: Vec<Item> = match source {
            Source::Picks => {
                let mut items = Vec::new();
                for p in &files.picks.picks {
                    // The pin is in the tree already; its title is read from it.
                    let pinned = pinned_at(commons, files.tree, &p.slug, &p.version, "")?;
                    let title = crate::model::article::Article::parse(&p.slug, &pinned.text)
                        .map(|a| a.title)
                        .unwrap_or_else(|_| p.slug.clone());
                    items.push(Item { slug: p.slug.clone(), version: p.version.clone(), title });
                }
                items
            }
            Source::Given(list) => list
                .iter()
                .map(|r| {
                    trees.push((pin_dir(&r.version.to_string()), r.dir));
                    Item { slug: r.slug.clone(), version: r.version.to_string(), title: r.title.clone() }
                })
                .collect(),
        };
        if articles.is_empty() {
            return Err(fail(
                format!("the edition would have no articles: {id} has no picks"),
                format!("pick some with `tribune channel pick {id} SLUG`, or give them with --pick SLUG"),
            ));
        }
        let number = editions_in(commons, id, files.tree)?.last().map_or(1, |e| e.number + 1);
        let edition = Edition { number, title: title.to_string(), date: act.at(), made_by: act.by(), articles };
        let subject = format!("Edition {number} of {id}: {title}");
        let mut change = act.change(&subject, "edition", id);
        change = change.put(channel::edition_file(number), edition.to_toml().into_bytes());
        change.trees = trees;
        Ok((change, edition))
    })
}

/// The `top` best trunk texts under the filter `name` (shared or private), as `list
/// --filter` orders them: by score, best first, or by date, newest first, as the filter
/// says; ties newest first, then by slug.
pub fn from_filter(commons: &Commons, name: &str, top: usize) -> Result<Vec<Resolved>> {
    let (filter, _) = crate::ratings::trust::load(commons, name)?;
    let tallies = crate::ratings::trust::tally_all(commons, &filter)?;
    // Passing every condition of the filter; ranked by its own.
    let passing: std::collections::HashMap<String, crate::model::filter::Tally> =
        tallies.into_iter().filter(|(_, t)| filter.passes(t)).map(|(v, t)| (v.to_string(), t[0])).collect();
    let idx = crate::index::load(commons)?;
    let mut rows: Vec<&crate::index::Entry> =
        idx.articles.iter().filter(|e| passing.contains_key(&e.version)).collect();
    let newest = |a: &&crate::index::Entry, b: &&crate::index::Entry| {
        (b.arrived, b.arrived_seq).cmp(&(a.arrived, a.arrived_seq)).then_with(|| a.slug.cmp(&b.slug))
    };
    if filter.order == "score" {
        rows.sort_by(|a, b| {
            let (ta, tb) = (passing[&a.version], passing[&b.version]);
            (i128::from(tb.weighted) * i128::from(ta.weights))
                .cmp(&(i128::from(ta.weighted) * i128::from(tb.weights)))
                .then_with(|| newest(a, b))
        });
    } else {
        rows.sort_by(newest);
    }
    rows.truncate(top);
    if rows.is_empty() {
        return Err(fail(
            format!("the filter {name} passes no trunk article"),
            format!("see what it passes with `tribune list --filter {name}`"),
        ));
    }
    rows.iter().map(|e| resolve(commons, &e.slug, Some(&e.version))).collect()
}
