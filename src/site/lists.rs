//! The pages made from lists: front pages (the newest articles, one per shared filter and
//! one per channel, paged) and their Atom feeds. Each is worked out from data already in
//! memory (the index, the editions), so that every build can render them all; the
//! contingents' pages are in `contingents`.
//!
//! A front page is a [`Listing`]: a page kind and a data source. Channel front pages plug
//! in as one more listing each (kind `channel`, under `channels/<id>/`), with no change to
//! the templates or the paging.

use super::collect::{clean, Data};
use super::{PageHead, SiteCtx};
use crate::commons::Commons;
use crate::index::Entry;
use anyhow::Result;
use serde::Serialize;
use std::borrow::Cow;

/// Articles on one page of a front page.
pub const PAGE_SIZE: usize = 50;
/// Entries in a feed.
pub const FEED_SIZE: usize = 50;
/// Articles and rewrites listed on a contingent's page.
pub const CONTINGENT_LIST: usize = 200;

/// A front page's source: its kind (`all`, `filter`, later `channel`), its place and its
/// articles in the order shown (newest first, or best first for a filter ordered by score).
pub struct Listing<'a> {
    pub kind: &'static str,
    pub name: String,
    pub title: String,
    pub description: String,
    /// Its directory in the site ("" for the site's front page, `filters/<name>/`).
    pub dir: String,
    /// The site's items as they are, or (under a filter) with their score.
    pub items: Vec<Cow<'a, Item>>,
    /// A channel's pinned versions, each with a page of its own.
    pub pins: Vec<super::pinned::Doc>,
}

/// An article as lists and feeds show it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Item {
    pub slug: String,
    pub title: String,
    pub contingent: String,
    pub contingent_name: String,
    pub contingent_page: bool,
    /// The authors, joined ("A, B and C").
    pub authors: String,
    pub author_list: Vec<String>,
    pub date: String,
    pub summary: String,
    pub version: String,
    /// How many distinct versions (the trunk's and rival ones).
    pub versions: usize,
    /// Under a filter: the weighted mean score.
    pub score: String,
    /// In a feed: when it arrived on the trunk (RFC 3339), the entry's `updated`.
    pub updated: String,
    /// In a feed: the entry's id and link.
    pub id: String,
    pub href: String,
    /// Its page, from the site's top: the article's, or a channel's pinned version's.
    pub page: String,
    /// When it arrived on the trunk, and its place there: the order of the lists.
    #[serde(skip)]
    pub key: (i64, u64),
}

#[derive(Serialize)]
pub struct ListingCtx<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub total: usize,
}

#[derive(Serialize, Default)]
pub struct Paging {
    pub label: String,
    pub newer: Option<String>,
    pub older: Option<String>,
}

#[derive(Serialize)]
pub struct FrontCtx<'a> {
    pub site: &'a SiteCtx,
    pub page: PageHead,
    pub root: String,
    pub listing: ListingCtx<'a>,
    pub items: &'a [Cow<'a, Item>],
    pub paging: Paging,
}

#[derive(Serialize)]
pub struct FeedMeta {
    pub id: String,
    pub updated: String,
    #[serde(rename = "self")]
    pub self_: String,
    pub alternate: String,
}

#[derive(Serialize)]
pub struct FeedCtx<'a> {
    pub site: &'a SiteCtx,
    pub listing: ListingCtx<'a>,
    pub feed: FeedMeta,
    pub items: &'a [Item],
}

/// The absolute address of a path of the site, or None without a base URL.
pub fn absolute(base: Option<&str>, path: &str) -> Option<String> {
    base.map(|b| format!("{b}{path}"))
}

/// Every article of the trunk as an item, newest first.
pub fn items(data: &Data, counts: &(dyn Fn(&Entry) -> usize + Sync), base: Option<&str>) -> Vec<Item> {
    // The entries put in order first (sorting 100,000 items moved each several times), then
    // made into items on every core.
    let mut order: Vec<&Entry> = data.entries.iter().collect();
    order.sort_unstable_by(|a, b| {
        (b.arrived, b.arrived_seq)
            .cmp(&(a.arrived, a.arrived_seq))
            .then_with(|| b.date.cmp(&a.date))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let make = |part: &[&Entry]| part.iter().map(|e| item(data, e, counts(e), base)).collect::<Vec<Item>>();
    if order.len() < 2_000 {
        return make(&order);
    }
    let (newer, older) = order.split_at(order.len() / 2);
    std::thread::scope(|scope| {
        let older = scope.spawn(|| make(older));
        let mut out = make(newer);
        out.extend(older.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        out
    })
}

fn item(data: &Data, e: &Entry, versions: usize, base: Option<&str>) -> Item {
    let (contingent_name, contingent_page) = match data.contingents.get(&e.contingent) {
        Some(c) => (c.name.clone(), true),
        None => (clean(&e.contingent), false),
    };
    let author_list: Vec<String> = e.authors.iter().map(|a| clean(a)).collect();
    let _ = base;
    Item {
        slug: e.slug.clone(),
        title: clean(&e.title),
        contingent: e.contingent.clone(),
        contingent_name,
        contingent_page,
        authors: crate::credits::and_list(&author_list),
        author_list,
        date: clean(&e.date),
        summary: String::new(),
        version: e.version.clone(),
        versions,
        score: String::new(),
        // Written for the few items of a feed (see `listing_pages`).
        updated: String::new(),
        id: String::new(),
        href: String::new(),
        page: format!("articles/{}/index.html", e.slug),
        key: (e.arrived, e.arrived_seq),
    }
}

/// The site's front page, one per shared filter and one per channel.
pub fn listings<'a>(
    commons: &Commons,
    data: &Data,
    all: &'a [Item],
    channels: &[crate::channels::Summary],
) -> Result<Vec<Listing<'a>>> {
    let mut out = vec![Listing {
        kind: "all",
        name: String::new(),
        title: "Newest articles".into(),
        description: format!("The newest articles of the common database of {}.", data.org),
        dir: String::new(),
        items: all.iter().map(Cow::Borrowed).collect(),
        pins: Vec::new(),
    }];
    for (name, filter) in &data.filters {
        let tallies = crate::ratings::trust::tally_all(commons, filter)?;
        // Passing every condition of the filter; ranked by its own.
        let mut items: Vec<(Item, crate::model::filter::Tally)> = all
            .iter()
            .filter_map(|i| {
                let ts = i.version.parse().ok().and_then(|v| tallies.get(&v))?;
                let t = ts[0];
                filter.passes(ts).then(|| {
                    let mut i = i.clone();
                    i.score = t.mean().to_string();
                    (i, t)
                })
            })
            .collect();
        if filter.order == "score" {
            // Best first, exactly; the list is already newest first for ties.
            items.sort_by(|(_, a), (_, b)| {
                (i128::from(b.weighted) * i128::from(a.weights)).cmp(&(i128::from(a.weighted) * i128::from(b.weights)))
            });
        }
        let trusted: Vec<String> = filter.trust.keys().map(|r| clean(r)).collect();
        out.push(Listing {
            kind: "filter",
            name: name.clone(),
            title: format!("Filter: {name}"),
            description: format!(
                "Articles whose {} ratings by {} reach {}.",
                clean(&filter.dimension),
                crate::credits::and_list(&trusted),
                clean(&filter.min_score)
            ),
            dir: format!("filters/{name}/"),
            items: items.into_iter().map(|(i, _)| Cow::Owned(i)).collect(),
            pins: Vec::new(),
        });
    }
    // A channel's front page: its picks, in its order (a channel with none, fed by a filter:
    // its newest edition's articles), each the version it pinned, on a page of its own.
    let by_slug: std::collections::HashMap<&str, &Item> = all.iter().map(|i| (i.slug.as_str(), i)).collect();
    for s in channels {
        let pins = super::pinned::docs(commons, data, s, &by_slug)?;
        let items = pins.iter().map(|d| Cow::Owned(d.item.clone())).collect();
        // A member's channel is named by the member's name (their id when the roster no
        // longer holds them), and lives under `channels/@<member>/<name>/`.
        let owner = if s.member {
            commons.snapshot()?.member(&s.owner).ok().flatten().map_or(s.owner.clone(), |m| clean(&m.name))
        } else {
            data.contingents.get(&s.owner).map_or(s.owner.clone(), |c| clean(&c.name))
        };
        let their = if s.member { "their" } else { "its" };
        out.push(Listing {
            kind: "channel",
            name: s.id.clone(),
            title: format!("{} ({owner})", clean(&s.title)),
            description: match &s.description {
                Some(d) => clean(d),
                None => format!("The articles {owner} picked for {their} channel {}.", clean(&s.title)),
            },
            dir: format!("channels/{}/", s.id),
            items,
            pins,
        });
    }
    Ok(out)
}

/// One rendered page to be: its path in the site, its template and its context.
pub struct Planned {
    pub path: String,
    pub template: &'static str,
    /// A digest of the page's data when it is cheaper to work out than the data itself
    /// (a front page's: its items' fields); None: the digest of `ctx` as JSON.
    pub input: Option<String>,
    /// The template's data (undefined when `input` is the last build's: not needed).
    pub ctx: minijinja::Value,
}

impl Planned {
    pub fn new(path: String, template: &'static str, ctx: minijinja::Value) -> Planned {
        Planned { path, template, input: None, ctx }
    }
}

/// What a page of a listing shows, as one digest: its heading, paging and every field of
/// its items that a template can show.
fn listing_digest(head: &[&str], items: &[Cow<'_, Item>]) -> String {
    let mut h = sha1_smol::Sha1::new();
    for part in head {
        h.update(part.as_bytes());
        h.update(b"\x1e");
    }
    for i in items {
        let versions = i.versions.to_string();
        let key = format!("{} {}", i.key.0, i.key.1);
        for f in [
            &i.slug,
            &i.title,
            &i.contingent,
            &i.contingent_name,
            &i.authors,
            &i.date,
            &i.summary,
            &i.version,
            &i.page,
            &versions,
            &i.score,
            &key,
        ] {
            h.update(f.as_bytes());
            h.update(b"\x1f");
        }
        h.update(if i.contingent_page { b"1" } else { b"0" });
        for a in &i.author_list {
            h.update(a.as_bytes());
            h.update(b"\x1f");
        }
        h.update(b"\x1e");
    }
    h.digest().to_string()
}

/// "../" for each directory level of `path`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A listing's pages: its front page, its archive (numbered from the oldest, so that a new
/// article changes only the newest archive page) and its feed.
pub fn listing_pages(
    site: &SiteCtx,
    l: &Listing<'_>,
    base: Option<&str>,
    known: Option<&std::collections::BTreeMap<String, String>>,
) -> Vec<Planned> {
    // A page whose digest is the last build's needs no data: its bytes are the same.
    let plan = |path: String, template: &'static str, input: String, ctx: &dyn Fn() -> minijinja::Value| {
        let ctx = if known.and_then(|k| k.get(&path)) == Some(&input) { minijinja::Value::UNDEFINED } else { ctx() };
        Planned { path, template, input: Some(input), ctx }
    };
    let mut out = Vec::new();
    let total = l.items.len();
    let lc = || ListingCtx { kind: l.kind, name: &l.name, title: &l.title, description: &l.description, total };
    let pages = total.div_ceil(PAGE_SIZE);
    let feed_href = "feed.xml".to_string();
    // Archive page n (1-based) holds the items of ranks (n-1)*P .. n*P counted from the oldest.
    let archive = |n: usize| -> &[Cow<'_, Item>] {
        let (from_old, to_old) = ((n - 1) * PAGE_SIZE, (n * PAGE_SIZE).min(total));
        &l.items[total - to_old..total - from_old]
    };
    let index_path = format!("{}index.html", l.dir);
    let older_than_front = (total > PAGE_SIZE).then(|| (total - PAGE_SIZE - 1) / PAGE_SIZE + 1);
    let front = FrontCtx {
        site,
        page: PageHead::new(&l.title, &l.description, base, &l.dir, Some(feed_href.clone())),
        root: root_of(&index_path),
        listing: lc(),
        items: &l.items[..total.min(PAGE_SIZE)],
        paging: Paging { label: String::new(), newer: None, older: older_than_front.map(|n| format!("page/{n}.html")) },
    };
    let older = front.paging.older.clone().unwrap_or_default();
    let input = listing_digest(&["front", &l.title, &l.description, &total.to_string(), &older], front.items);
    out.push(plan(index_path, "front.html", input, &|| minijinja::Value::from_serialize(&front)));
    for n in 1..=pages {
        let path = format!("{}page/{n}.html", l.dir);
        let ctx = FrontCtx {
            site,
            page: PageHead::new(&format!("{} (page {n})", l.title), &l.description, base, &path, None),
            root: root_of(&path),
            // No total on an archive page: a new article must change only the newest one.
            listing: ListingCtx { total: archive(n).len(), ..lc() },
            items: archive(n),
            paging: Paging {
                label: format!("page {n}, oldest first"),
                newer: Some(if n == pages { "../index.html".to_string() } else { format!("{}.html", n + 1) }),
                older: (n > 1).then(|| format!("{}.html", n - 1)),
            },
        };
        let (newer, older) =
            (ctx.paging.newer.clone().unwrap_or_default(), ctx.paging.older.clone().unwrap_or_default());
        let input = listing_digest(&["archive", &l.title, &l.description, &newer, &older], ctx.items);
        out.push(plan(path, "front.html", input, &|| minijinja::Value::from_serialize(&ctx)));
    }
    let feed_path = format!("{}feed.xml", l.dir);
    let feed_items: Vec<Item> = l.items[..total.min(FEED_SIZE)]
        .iter()
        .map(|i| {
            let mut i = i.clone().into_owned();
            let path = i.page.trim_end_matches("index.html").to_string();
            i.updated = crate::git::Timestamp { seconds: i.key.0, offset_minutes: 0 }.rfc3339_utc();
            i.id = absolute(base, &path).unwrap_or_else(|| format!("urn:tribune:article:{}", i.slug));
            // Without a base URL, entries link relative to the feed.
            i.href = absolute(base, &path).unwrap_or_else(|| format!("{}{path}index.html", root_of(&feed_path)));
            i
        })
        .collect();
    let updated = feed_items.iter().map(|i| i.updated.clone()).max().unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let feed = FeedCtx {
        site,
        listing: lc(),
        feed: FeedMeta {
            id: absolute(base, &feed_path).unwrap_or_else(|| format!("urn:tribune:feed:{}:{}", l.kind, l.name)),
            updated,
            self_: absolute(base, &feed_path).unwrap_or_else(|| "feed.xml".into()),
            alternate: absolute(base, &l.dir).unwrap_or_else(|| "index.html".into()),
        },
        items: &feed_items,
    };
    let feed_cows: Vec<Cow<'_, Item>> = feed.items.iter().map(Cow::Borrowed).collect();
    let input = listing_digest(&["feed", &l.title, &feed.feed.id, &feed.feed.updated, &feed.feed.self_], &feed_cows);
    out.push(plan(feed_path, "feed.xml", input, &|| minijinja::Value::from_serialize(&feed)));
    out
}
