//! The joint statements' pages: approved ones with their tally and a "verified" badge only
//! when `tribune verify`'s recount of the approval tag holds, open ones with the count so
//! far, and the page listing them all.

use super::collect::{clean, Data};
use super::lists::Planned;
use super::{PageHead, SiteCtx};
use crate::commons::Commons;
use anyhow::Result;
use serde::Serialize;

#[derive(Serialize)]
pub struct StatementCtx {
    pub slug: String,
    pub title: String,
    /// `open`, `passes`, `fails`, `approved` or `INVALID`.
    pub status: String,
    /// The approval tag verifies (signature, text and recount), as `tribune verify` judges.
    pub verified: bool,
    /// "12 yes, 3 no, 1 abstained; 36 members in the electorate".
    pub tally: String,
    /// "Approved by 12 of 15 votes, two-thirds required; signed tag statements/x." (verified only).
    pub approval: String,
    pub notice: String,
    /// The organisation's name: the statement is signed by it once verified.
    pub signature: String,
    pub deadline: String,
    pub rule: String,
    pub problems: Vec<String>,
    pub body_html: String,
}

/// What the statements' pages are made from, as one digest: the trunk's statements/ tree,
/// the approval tags and ballot refs and their tips, and which deadlines have passed (a
/// vote closes with time alone). The same digest makes the same pages (a ballot dated in
/// the future is counted once a later build finds something else moved).
pub fn state(commons: &Commons) -> Result<String> {
    let repo = &commons.repo;
    let tree = repo.commit_tree(commons.trunk_tip()?)?;
    let mut h = sha1_smol::Sha1::new();
    let dir = repo.entry_at(tree, crate::model::layout::STATEMENTS)?.map(|e| e.id.to_string()).unwrap_or_default();
    h.update(dir.as_bytes());
    for prefix in ["refs/tags/statements/", "refs/tribune/ballots/"] {
        for (name, tip) in repo.refs_with_prefix(prefix)? {
            h.update(format!("\n{name} {tip}").as_bytes());
        }
    }
    let now = crate::git::commit_time()?.seconds;
    for slug in crate::statements::slugs(commons)? {
        let path = format!("{}/{slug}/index.md", crate::model::layout::STATEMENTS);
        let Some((_, bytes)) = repo.blob_at(tree, &path)? else { continue };
        let passed = crate::model::statement::Statement::parse(&path, &String::from_utf8_lossy(&bytes))
            .map(|st| st.deadline.timestamp() <= now)
            .unwrap_or(false);
        h.update(format!("\n{slug} {passed}").as_bytes());
    }
    Ok(h.digest().to_string())
}

/// Every statement's page, and the page listing them.
pub fn pages(commons: &Commons, site: &SiteCtx, data: &Data, base: Option<&str>) -> Result<Vec<Planned>> {
    let now = crate::git::commit_time()?.seconds;
    let mut list = Vec::new();
    let mut out = Vec::new();
    for slug in crate::statements::slugs(commons)? {
        if !crate::model::id::is_valid(&slug) {
            continue;
        }
        // A statement that cannot be read has no page (`tribune statements` warns of it).
        let Ok(proposal) = crate::statements::find(commons, &slug) else { continue };
        let t = crate::statements::tally(commons, &proposal, now, None)?;
        let v = crate::statements::verify(commons, &slug)?;
        let verified = t.result == "approved" && v.problems.is_empty() && v.passes == Some(true);
        let mut problems: Vec<String> = Vec::new();
        let status = match &t.approval {
            _ if !t.below_floors.is_empty() => {
                problems.extend(t.below_floors.iter().map(|b| b.to_string()));
                "INVALID".to_string()
            }
            Some(_) if !verified => {
                problems.extend(v.problems.iter().map(|p| p.to_string()));
                "INVALID".to_string()
            }
            _ => t.result.clone(),
        };
        let c = if verified { v.recount.unwrap_or(t.counts) } else { t.counts };
        let mut tally =
            format!("{} yes, {} no, {} abstained; {} members in the electorate", c.yes, c.no, c.abstain, c.electorate);
        if t.open {
            tally = format!("Voting is open: {tally} so far");
        }
        let st = &proposal.statement;
        let approval = if verified {
            let export = crate::export::Export::Statement(crate::export::StatementExport {
                slug: slug.clone(),
                title: st.title.clone(),
                lang: data.lang.clone(),
                proposal: proposal.commit.to_string(),
                text: proposal.text.to_string(),
                rule: st.rule,
                counts: c,
                approved: true,
                tag: v.tag.clone(),
                signed_by: v.signed_by.clone(),
                verified: true,
                organisation: data.org.clone(),
                body: String::new(),
            });
            export.document().approval.unwrap_or_default()
        } else {
            String::new()
        };
        let ctx = StatementCtx {
            slug: slug.clone(),
            title: clean(&st.title),
            status,
            verified,
            tally,
            approval: clean(&approval),
            notice: "This statement is in the public domain: anyone may copy and publish it without asking.".into(),
            signature: data.org.clone(),
            deadline: super::article::when(&st.deadline),
            rule: crate::statements::rule_text(&st.rule),
            problems: problems.iter().map(|p| clean(p)).collect(),
            body_html: crate::export::body_html(&clean(&st.body)),
        };
        let path = format!("statements/{slug}/index.html");
        let description = super::article::describe(&st.body);
        let page_ctx = minijinja::context! {
            site => site,
            page => PageHead::new(&ctx.title, &description, base, &format!("statements/{slug}/"), None),
            root => "../../",
            statement => &ctx,
        };
        out.push(Planned::new(path, "statement.html", page_ctx));
        list.push(ctx);
    }
    let ctx = minijinja::context! {
        site => site,
        page => PageHead::new("Joint statements", &format!("The joint statements of {}, with their votes.", data.org), base, "statements/", None),
        root => "../",
        statements => list,
    };
    out.push(Planned::new("statements/index.html".into(), "statements.html", ctx));
    Ok(out)
}
