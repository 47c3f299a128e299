//! `tribune challenges`: the public challenges, with their age and status.

use super::Ctx;
use crate::challenges::{self, human};
use crate::output::{clean, clean_text, print, print_json, print_table, time};
use anyhow::{Context, Result};
use serde::Serialize;

/// List the public challenges: id, age, from, to, about, status and replies.
///
/// A challenge is answered once the contingent challenged has replied; replies by other
/// contingents are listed but do not answer it. Ages are counted to now (git's committer
/// date when GIT_COMMITTER_DATE is set).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only challenges not answered yet.
    #[arg(long)]
    pub open: bool,
    /// Only challenges put to this contingent.
    #[arg(long, value_name = "ID")]
    pub to: Option<String>,
    /// Only challenges put by this contingent.
    #[arg(long, value_name = "ID")]
    pub from: Option<String>,
    /// Show one challenge with its text and replies.
    #[arg(long, value_name = "CHALLENGE", conflicts_with_all = ["open", "to", "from"])]
    pub show: Option<String>,
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    challenge: &'a challenges::Challenge,
    status: &'a str,
    age_seconds: i64,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    for (flag, v) in [("--to", &args.to), ("--from", &args.from)] {
        if let Some(v) = v {
            crate::model::id::validate("contingent id", v).context(flag)?;
            commons.snapshot()?.require_contingent(v).context(flag)?;
        }
    }
    let now = crate::git::commit_time()?.to_datetime().with_timezone(&chrono::Utc);
    if let Some(id) = &args.show {
        return show(ctx, &commons, id, now, args.json);
    }
    let all = challenges::all(&commons)?;
    let rows: Vec<Row<'_>> = all
        .iter()
        .filter(|c| !args.open || c.answer().is_none())
        .filter(|c| args.to.as_ref().is_none_or(|t| &c.to == t))
        .filter(|c| args.from.as_ref().is_none_or(|f| &c.from == f))
        .map(|c| Row { challenge: c, status: c.status(), age_seconds: (now - c.asked_at).num_seconds().max(0) })
        .collect();
    if args.json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        return print("No challenges.");
    }
    let mut t =
        ctx.style.table(&["ID", "AGE", "FROM", "TO", "ABOUT", "STATUS", "REPLIES", "SUBJECT"]).free_text(&["SUBJECT"]);
    for r in &rows {
        let c = r.challenge;
        let status = match c.answer() {
            Some(a) => format!("answered in {}", human((a.answered_at - c.asked_at).num_seconds().max(0))),
            None => "OPEN".to_string(),
        };
        let replies: Vec<&str> = c.replies.iter().map(|r| r.contingent.as_str()).collect();
        t.row([
            c.id.clone(),
            human(r.age_seconds),
            c.from.clone(),
            c.to.clone(),
            c.about.clone().unwrap_or_default(),
            status,
            replies.join(","),
            c.subject.clone(),
        ]);
    }
    print_table(&t)
}

fn show(
    ctx: &Ctx,
    commons: &crate::commons::Commons,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
    json: bool,
) -> Result<()> {
    let snap = commons.snapshot()?;
    let Some(c) = challenges::read(&snap, id)? else {
        return Err(crate::error::fail(
            format!("there is no challenge {id:?} on the trunk"),
            "list the challenges with `tribune challenges`",
        ));
    };
    if json {
        #[derive(Serialize)]
        struct Full<'a> {
            #[serde(flatten)]
            c: &'a challenges::Challenge,
            status: &'a str,
            body: &'a str,
            /// Each reply's text, by contingent, in the order of `replies`.
            reply_texts: Vec<&'a str>,
        }
        let reply_texts = c.replies.iter().map(|r| r.body.as_str()).collect();
        return print_json(&Full { c: &c, status: c.status(), body: &c.body, reply_texts });
    }
    let s = &ctx.style;
    let mut out = format!("{}\n", s.bold(&clean(&format!("Challenge {} from {} to {}", c.id, c.from, c.to))));
    let about = c.about.as_ref().map(|a| format!(" · about {a}")).unwrap_or_default();
    out.push_str(&s.dim(&clean(&format!(
        "put {} by {} ({} ago){about} · {}",
        time(&c.asked_at),
        c.asked_by,
        human((now - c.asked_at).num_seconds().max(0)),
        c.status()
    ))));
    out.push_str(&format!("\n\n{}\n", clean_text(c.body.trim_end())));
    for r in &c.replies {
        let amended = r.amended_at.map(|a| format!(", amended {}", time(&a))).unwrap_or_default();
        out.push_str(&format!(
            "\n{}\n",
            s.bold(&clean(&format!("Reply of {} ({}{amended})", r.contingent, time(&r.answered_at))))
        ));
        out.push_str(&format!("{}\n", clean_text(r.body.trim_end())));
    }
    print(&ctx.style.fit(&out))
}
