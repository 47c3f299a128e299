//! A channel's picks on the site: each pinned version on a page of its own under the
//! channel's directory (`channels/<id>/v/<version>/`), read from the channel's tree, so
//! what a channel published stays what it was when the trunk moves on; its front page and
//! feed list and link those pages, with each pinned version's own title and byline.

use super::collect::{clean, Data};
use super::lists::{root_of, Item, Planned};
use super::{PageHead, SiteCtx};
use crate::channels::{ChannelId, Summary};
use crate::commons::Commons;
use crate::git::Oid;
use anyhow::Result;
use serde::Serialize;
use std::collections::HashMap;

/// One pinned version as its page shows it.
#[derive(Serialize, Clone)]
pub struct Doc {
    pub item: Item,
    /// "Picked by … on … from …", or the edition it was printed in.
    pub picked: String,
    /// The pinned text's body, rendered by tribune and neutralised.
    pub body_html: String,
    /// Whether the article is on the trunk (so has a page of its own).
    pub on_trunk: bool,
    /// The files pinned beside the text, copied beside its page: (path in the site, blob).
    #[serde(skip)]
    pub files: Vec<(String, Oid)>,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    site: &'a SiteCtx,
    page: PageHead,
    root: String,
    doc: &'a Doc,
    channel: &'a str,
    channel_href: String,
}

/// The pinned versions a channel's front page lists, in its order: its picks, or (a
/// channel fed by a filter, with none) its newest edition's articles.
pub fn docs(commons: &Commons, data: &Data, s: &Summary, by_slug: &HashMap<&str, &Item>) -> Result<Vec<Doc>> {
    let id = ChannelId::parse(&s.id)?;
    // Its files at the tip the list read (not its history: whose acts they were is judged
    // by `publishable`).
    let files = crate::channels::files_at(commons, &id, s.tip.parse::<Oid>()?)?;
    let tree = files.tree;
    let mut wanted: Vec<(String, String, String)> = files
        .picks
        .picks
        .iter()
        .map(|p| {
            let by = p.by.split(" <").next().unwrap_or(&p.by);
            (p.slug.clone(), p.version.clone(), format!("Picked by {} on {}.", clean(by), p.at.format("%-d %B %Y")))
        })
        .collect();
    if let (true, Some(last)) = (wanted.is_empty(), &s.last_edition) {
        let edition = crate::channels::edition(commons, &id, last.number)?;
        let line = format!("Printed in edition {} of {}.", edition.edition.number, last.date.format("%-d %B %Y"));
        wanted = edition.pinned.into_iter().map(|p| (p.slug, p.version, line.clone())).collect();
    }
    let mut out = Vec::new();
    for (slug, version, picked) in wanted {
        let pinned = crate::channels::pinned_at(commons, tree, &slug, &version, "")?;
        let article = crate::model::article::Article::parse(&format!("{slug}@{version}"), &pinned.text).ok();
        let on_trunk = by_slug.contains_key(slug.as_str());
        let mut item = match by_slug.get(slug.as_str()) {
            Some(i) => (*i).clone(),
            // An article no longer on the trunk: what the pinned text says of itself.
            None => Item { slug: slug.clone(), versions: 1, ..Item::default() },
        };
        if let Some(a) = &article {
            item.title = clean(&a.title);
            item.author_list = a.authors.iter().map(|x| clean(x)).collect();
            item.authors = crate::credits::and_list(&item.author_list);
            item.date = a.date.to_string();
            if a.contingent != item.contingent {
                item.contingent_page = data.contingents.contains_key(&a.contingent);
                item.contingent_name =
                    data.contingents.get(&a.contingent).map_or_else(|| clean(&a.contingent), |c| c.name.clone());
                item.contingent = a.contingent.clone();
            }
        }
        item.version = version.clone();
        let dir = format!("channels/{}/v/{version}", s.id);
        item.page = format!("{dir}/index.html");
        // The files pinned beside it, beside its page, and the body's links to them there
        // (two names the cleaning makes the same numbered, as on an article's page).
        let mut moved = HashMap::new();
        let mut files = Vec::new();
        let mut taken = std::collections::HashSet::new();
        for a in &pinned.attachments {
            let Ok(id) = a.id.parse::<Oid>() else { continue };
            let mut name = super::media::safe_file_name(&a.name);
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = super::media::numbered(&super::media::safe_file_name(&a.name), n);
            }
            moved.insert(a.name.clone(), format!("files/{name}"));
            files.push((format!("{dir}/files/{name}"), id));
        }
        let body = article.map(|a| a.body).unwrap_or_default();
        let body_html = crate::export::body_html_with(&clean(&body), &moved);
        out.push(Doc { item, picked, body_html, on_trunk, files });
    }
    Ok(out)
}

/// The page of each pinned version of a channel's listing (`dir`: the channel's directory).
pub fn pages(site: &SiteCtx, title: &str, dir: &str, docs: &[Doc], base: Option<&str>) -> Result<Vec<Planned>> {
    let mut out = Vec::new();
    for doc in docs {
        let path = doc.item.page.clone();
        let page_dir = path.trim_end_matches("index.html");
        let root = root_of(&path);
        let ctx = PageCtx {
            site,
            page: PageHead::new(&doc.item.title, &format!("As {title} published it."), base, page_dir, None),
            channel_href: format!("{root}{dir}index.html"),
            root,
            doc,
            channel: title,
        };
        out.push(Planned { path, template: "pinned.html", input: None, ctx: minijinja::Value::from_serialize(&ctx) });
    }
    Ok(out)
}

/// The channels the site publishes, and those it leaves off (by id): a channel whose newest
/// commit is not its keeper's act (in a founded commons) is not published in the keeper's
/// name. Its newest commit only: the keeper's next act, made on what they had, vouches for
/// it again (so a key rotated since the older commits does not withhold it; `channel
/// show` still names any commit that is not the keeper's).
pub fn publishable(commons: &Commons, mut channels: Vec<Summary>) -> Result<(Vec<Summary>, Vec<String>)> {
    if crate::governance::audit::audit_root(commons)?.is_none() {
        return Ok((channels, Vec::new()));
    }
    let trunk_tip = commons.trunk_tip()?;
    let mut withheld = Vec::new();
    channels.retain(|c| {
        let keepers = match (ChannelId::parse(&c.id), c.tip.parse::<Oid>()) {
            (Ok(id), Ok(tip)) => crate::governance::acts::channel_standing_at(commons, trunk_tip, tip, &id)
                .is_ok_and(|j| j.standing == crate::governance::acts::Standing::Verified),
            _ => false,
        };
        if !keepers {
            withheld.push(c.id.clone());
        }
        keepers
    });
    Ok((channels, withheld))
}
