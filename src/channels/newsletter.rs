//! One edition as a newsletter, as data: the masthead, each pinned version as `export`
//! exports an article (credits, attachments), the standing page and the signature of the
//! channel's contingent (of a member's channel: the member's). `export::newsletter` words and lays it out.

use super::*;
use crate::export::{language, ArticleExport, Newsletter, Picture, Signer};
use crate::model::article::Article;

/// The newsletter of edition `number` of channel `id`. Texts and attachments come from the
/// channel's own tree; only the credits are computed from the commons (as `tribune credits`
/// does, one article at a time).
pub fn build(commons: &Commons, id: &ChannelId, number: u32) -> Result<Newsletter> {
    let read = edition(commons, id, number)?;
    let snap = commons.snapshot()?;
    // A member's channel is signed by the member, of their contingent.
    let member = match id.member {
        true => Some(snap.member(&id.owner)?.ok_or_else(|| {
            fail(
                format!("the channel {id} is signed by the member {}, whom the roster does not hold", id.owner),
                "see `tribune roster`",
            )
        })?),
        false => None,
    };
    let of = member.as_ref().map_or(id.owner.as_str(), |m| m.contingent.as_str());
    let contingent = snap.require_contingent(of).with_context(|| {
        format!("the channel {id} is signed by the contingent {of}, which the roster does not hold")
    })?;
    let exported_as = Signer { contingent: of.to_string(), name: contingent.name.clone() };
    let mut articles = Vec::with_capacity(read.pinned.len());
    let mut pictures = std::collections::BTreeMap::new();
    let mut shown = 0usize;
    for p in &read.pinned {
        for f in &p.attachments {
            // Pictures up to 20 MiB in all are shown; the rest are listed.
            let id: Oid = f.id.parse().with_context(|| format!("{}: not a blob id", f.name))?;
            if pictures.contains_key(&f.id) || shown > 4 * Picture::MAX_BYTES {
                continue;
            }
            if let Some(pic) = Picture::sniff(commons.repo.read_blob(id)?) {
                shown += pic.data.len();
                pictures.insert(f.id.clone(), pic);
            }
        }
        let name = format!("{}@{}", p.slug, &p.version[..10.min(p.version.len())]);
        let article = Article::parse(&name, &p.text)?;
        let version: Oid = p.version.parse().with_context(|| format!("{name}: not a version id"))?;
        articles.push(ArticleExport {
            slug: p.slug.clone(),
            version: p.version.clone(),
            lang: language(crate::model::article::language_of(&p.text).as_deref(), commons.config.lang.as_deref()),
            credits: crate::credits::compute(commons, &p.slug, version)?,
            attachments: p.attachments.clone(),
            exported_as: Signer { contingent: exported_as.contingent.clone(), name: exported_as.name.clone() },
            organisation: commons.config.name.clone(),
            body: article.body.clone(),
            article,
        });
    }
    Ok(Newsletter {
        channel: id.to_string(),
        channel_title: read.channel_title,
        number: read.edition.number,
        title: read.edition.title,
        date: read.edition.date,
        made_by: read.edition.made_by,
        lang: language(None, commons.config.lang.as_deref()),
        articles,
        standing: read.standing,
        exported_as,
        kept_by: member.map(|m| crate::export::KeptBy { member: m.id, name: m.name }),
        organisation: commons.config.name.clone(),
        pictures,
    })
}
