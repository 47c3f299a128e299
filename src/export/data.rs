//! What `tribune export` exports, as data (an article's version or an approved statement,
//! as fields), and the one place that words it ([`Export::document`]).

use super::*;
use crate::articles::history::Attachment;
use crate::credits::Credits;
use crate::model::article::Article;
use crate::model::vote::{Basis, Counts, Rule};
use serde::Serialize;

/// What `tribune export` exports, as data: `export --json` prints it, with `kind`
/// (`article` or `statement`) naming which.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
// One value per run: the size difference between the variants does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Export {
    Article(ArticleExport),
    Statement(StatementExport),
}

/// One version of an article, signed by a contingent.
#[derive(Debug, Serialize)]
pub struct ArticleExport {
    pub slug: String,
    /// The version's id (its blob).
    pub version: String,
    /// The language the export declares (see [`language`]).
    pub lang: String,
    /// Its front matter: title, summary, authors, contingent (the one that wrote this text),
    /// date (ISO 8601), tags, license (an SPDX id) and derived_from.
    #[serde(flatten)]
    pub article: Article,
    /// Its provenance, as `tribune credits --json` gives it.
    pub credits: Credits,
    /// The files stored beside the text.
    pub attachments: Vec<Attachment>,
    /// The contingent whose signature it carries.
    pub exported_as: Signer,
    /// The organisation, from tribune.toml.
    pub organisation: String,
    /// Markdown.
    pub body: String,
}

/// A contingent as an export signs with it: its id and its name from the roster.
#[derive(Debug, Serialize)]
pub struct Signer {
    pub contingent: String,
    pub name: String,
}

/// A joint statement approved by a tag that verifies, signed by the organisation.
#[derive(Debug, Serialize)]
pub struct StatementExport {
    pub slug: String,
    pub title: String,
    pub lang: String,
    /// The commit that proposed it.
    pub proposal: String,
    /// The text voted on (its blob id).
    pub text: String,
    /// The rule the proposal fixed: threshold and quorum (fractions p/q), basis (`cast` or
    /// `members`) and double_majority.
    pub rule: Rule,
    /// The recount from the approval tag: yes, no, abstain and the electorate's size.
    pub counts: Counts,
    pub approved: bool,
    /// The approval tag's name.
    pub tag: String,
    /// Who signed the tag, when known.
    pub signed_by: Option<String>,
    /// The tag verifies (signature, text and recount).
    pub verified: bool,
    pub organisation: String,
    /// Markdown.
    pub body: String,
}

impl Export {
    /// The document the formats print, worded from the data.
    pub fn document(&self) -> Document {
        match self {
            Export::Article(a) => a.document(),
            Export::Statement(s) => s.document(),
        }
    }
}

impl ArticleExport {
    pub(crate) fn document(&self) -> Document {
        let a = &self.article;
        Document {
            lang: self.lang.clone(),
            title: a.title.clone(),
            summary: a.summary.clone(),
            byline: Some(format!("By {} · {}", crate::credits::and_list(&a.authors), a.date.format("%-d %B %Y"))),
            body: self.body.clone(),
            credits: self.credits.lines(),
            notice: format!(
                "This text is in the public domain ({}): anyone may copy, change and publish it without asking.",
                a.license
            ),
            approval: None,
            signature: format!("The {} contingent of {}", self.exported_as.name, self.organisation),
        }
    }
}

impl StatementExport {
    fn document(&self) -> Document {
        let (counts, rule) = (&self.counts, &self.rule);
        let words = threshold_words(rule.threshold.p, rule.threshold.q);
        let mut approval = match rule.basis {
            Basis::Cast => format!(
                "Approved by {} of {}, {words} required",
                counts.yes,
                crate::model::words::count(counts.yes + counts.no, "vote", "votes")
            ),
            Basis::Members => {
                let of = crate::model::words::count(counts.electorate, "member", "members");
                format!("Approved by {} of {of}, {words} required", counts.yes)
            }
        };
        if counts.abstain > 0 {
            approval.push_str(&format!(" ({} abstained)", counts.abstain));
        }
        approval.push_str(&format!("; signed tag {}.", self.tag));
        Document {
            lang: self.lang.clone(),
            title: self.title.clone(),
            summary: None,
            byline: None,
            body: self.body.clone(),
            credits: Vec::new(),
            notice: "This statement is in the public domain: anyone may copy and publish it without asking.".into(),
            approval: Some(approval),
            signature: self.organisation.clone(),
        }
    }
}
