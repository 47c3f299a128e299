//! The demo's credits and challenges: a derived article, an uncredited copy, and public
//! challenges with replies.

use super::{DemoMember, DemoRoster};
use crate::articles::contribute::{change_for, Prepared};
use crate::commons::Commons;
use crate::git::Identity;
use crate::model::article::Article;
use crate::model::id;
use anyhow::{Context, Result};
use serde::Deserialize;

/// Articles whose credits the demo shows: (member, text). The first is derived from Rank-and-
/// File Caucus's rewrite (whose version replaces `{rfc-version}`) and quotes another article;
/// the second reuses two paragraphs of another without credit, for `credit-check`.
pub const CREDITED: [(&str, &str); 2] = [
    ("mbrennan", include_str!("../../../fixtures/demo/credits/redline--willowmere-leaflet.md")),
    ("sfarouk", include_str!("../../../fixtures/demo/credits/ctw--yard-safety-vigil.md")),
];

/// Public challenges and replies.
const CHALLENGES: &str = include_str!("../../../fixtures/demo/challenges.toml");

#[derive(Deserialize)]
struct DemoChallenges {
    challenges: Vec<DemoChallenge>,
}
#[derive(Deserialize)]
struct DemoChallenge {
    from: String,
    to: String,
    asked_by: String,
    about: Option<String>,
    text: String,
    #[serde(default)]
    replies: Vec<DemoReply>,
}
#[derive(Deserialize)]
struct DemoReply {
    contingent: String,
    member: String,
    after_hours: i64,
    text: String,
}

/// A derived article with credits, an uncredited copy, and public challenges with replies
/// (one amended, one challenge left unanswered). Returns (challenges, answered).
pub fn build(
    commons: &Commons,
    roster: &DemoRoster,
    at: &mut impl FnMut(&DemoMember, i64) -> Identity,
) -> Result<(usize, usize)> {
    let who = |id: &str| roster.members.iter().find(|m| m.id == id).context("the demo names an unknown member");
    let rfc = crate::articles::history::resolve(
        commons,
        "tenants-at-400-willowmere-begin-rent-strike-over-repairs",
        Some("rfc"),
    )?;
    for (member, text) in CREDITED {
        let text = text.replace("{rfc-version}", &rfc.version.to_string());
        let article = Article::parse(member, &text)?;
        let day = article.date.and_hms_opt(9, 0, 0).context("bad date")?.and_utc().timestamp();
        let when = at(who(member)?, day);
        let slug = id::slugify(&article.title);
        let prepared = Prepared { article, slug, text: text.into_bytes(), attachments: Vec::new() };
        let signer = super::signer_of(member)?;
        commons.commit_on_trunk(|snap| {
            let (mut change, made) = change_for(snap, &prepared, false, Some(&when))?;
            change.signer = Some(signer.clone());
            Ok((change, made))
        })?;
    }
    let plan: DemoChallenges = toml::from_str(CHALLENGES).context("the embedded demo challenges are malformed")?;
    let mut answered = 0;
    for c in &plan.challenges {
        let asker = who(&c.asked_by)?;
        let when = at(asker, 0);
        let asked_at = when.when.to_datetime().with_timezone(&chrono::Utc);
        let (about, about_version) = match &c.about {
            Some(a) => {
                let (slug, selector) = crate::model::selector::split_selector(a)?;
                (
                    Some(slug.to_string()),
                    Some(crate::articles::history::resolve(commons, slug, selector)?.version.to_string()),
                )
            }
            None => (None, None),
        };
        let challenge = crate::challenges::Challenge {
            id: String::new(),
            from: c.from.clone(),
            to: c.to.clone(),
            about,
            about_version,
            subject: crate::challenges::subject_of(&c.text),
            asked_at,
            asked_by: format!("{} <{}>", asker.name, asker.email),
            body: c.text.trim().to_string(),
            replies: Vec::new(),
        };
        let signer = super::signer_of(&c.asked_by)?;
        let (_, challenge) = crate::challenges::put_signed(commons, challenge, Some(&when), Some(&signer))?;
        for r in &c.replies {
            let m = who(&r.member)?;
            let when = at(m, asked_at.timestamp() + r.after_hours * 3600);
            let now = when.when.to_datetime().with_timezone(&chrono::Utc);
            let by = format!("{} <{}>", m.name, m.email);
            let answer = crate::challenges::Answer { contingent: &r.contingent, body: &r.text, replied_by: &by, now };
            let signer = super::signer_of(&r.member)?;
            crate::challenges::answer_signed(commons, &challenge.id, answer, Some(&when), Some(&signer))?;
        }
        if c.replies.iter().any(|r| r.contingent == c.to) {
            answered += 1;
        }
    }
    Ok((plan.challenges.len(), answered))
}
