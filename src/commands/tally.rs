//! `tribune tally`: count a joint statement's ballots, verifying every one.

use super::Ctx;
use crate::output::{count, print, print_json, short, time, Cell, Style, Tone};
use crate::statements::{self, Status, Tally};
use anyhow::Result;

/// Count the votes on a joint statement.
///
/// Every ballot is verified natively (its SSH signature against the member's keys in the
/// roster at the proposal) and checked against the proposal (statement, proposal commit,
/// text, sequence number, deadline). Each member's latest valid ballot counts; the table
/// shows it, and every excluded ballot with the reason. Then the counts, turnout, quorum,
/// threshold and basis, and the result with the exact arithmetic. Before the deadline it
/// says whether the outcome is already decided. With a double majority, each contingent's
/// figures and the contingents' arithmetic too. A statement whose rule is looser than the
/// organisation's floors in force at its proposal (tribune.toml `[rules]` at the proposal's
/// parent) is INVALID: it never passes.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The statement's slug (see `tribune statements`).
    #[arg(value_name = "STATEMENT")]
    pub statement: String,
    /// Also list the ballots that later ones replaced.
    #[arg(long)]
    pub all: bool,
    /// Print only the summary, not the table of ballots.
    #[arg(long, conflicts_with = "all")]
    pub summary: bool,
    /// Print the tally as JSON (every ballot, with its status and reason).
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let proposal = statements::find(&commons, &args.statement)?;
    let now = crate::git::commit_time()?.seconds;
    let t = statements::tally(&commons, &proposal, now, None)?;
    if args.json {
        return print_json(&t);
    }
    let mut out = String::new();
    if !args.summary {
        out.push_str(&table(&ctx.style, &t, args.all));
        out.push('\n');
    }
    out.push_str(&ctx.style.fit(&crate::output::here::here(&summary(&ctx.style, &t))));
    print(&out)
}

/// The ballots: counted and excluded ones (and superseded ones with `all`), by member.
pub fn table(style: &Style, t: &Tally, all: bool) -> String {
    // Why a ballot was excluded is read whole: it wraps rather than being cut.
    let mut table = style
        .table(&["MEMBER", "CONTINGENT", "CHOICE", "SEQ", "CAST", "BALLOT", "STATUS"])
        .free_text(&["STATUS"])
        .wrap();
    let mut rows: Vec<&statements::Ballot> =
        t.ballots.iter().filter(|b| all || b.status != Status::Superseded).collect();
    rows.sort_by(|a, b| a.member.cmp(&b.member).then(b.seq.cmp(&a.seq)));
    if rows.is_empty() {
        return "No ballots yet.\n".to_string();
    }
    for b in rows {
        let status = match (&b.status, &b.reason) {
            (Status::Counted, _) => Cell::toned("counted", Tone::Green),
            (Status::Superseded, _) => Cell::toned("replaced by a later ballot", Tone::Dim),
            (Status::Excluded, Some(r)) => Cell::toned(format!("EXCLUDED: {r}"), Tone::Red),
            (Status::Excluded, None) => Cell::toned("EXCLUDED", Tone::Red),
        };
        table.row([
            Cell::new(&b.member),
            Cell::new(&b.contingent),
            Cell::new(b.choice.map(|c| c.as_str()).unwrap_or("?")),
            Cell::new(b.seq.map(|s| s.to_string()).unwrap_or_else(|| "?".into())),
            Cell::new(time(&b.at)),
            Cell::new(short(&b.commit, 10)),
            status,
        ]);
    }
    table.render() + "\n"
}

/// "whatever the 3 members who have not voted do", or "with every member's vote in".
fn whatever(not_voted: u64) -> String {
    match not_voted {
        0 => "with every member's vote in".to_string(),
        1 => "whatever the member who has not voted does".to_string(),
        n => format!("whatever the {n} members who have not voted do"),
    }
}

/// Counts, rule, arithmetic and result.
pub fn summary(style: &Style, t: &Tally) -> String {
    let c = &t.counts;
    let excluded = t.ballots.iter().filter(|b| b.status == Status::Excluded).count();
    let mut out = format!(
        "{}: {}\nProposal {} (text {}); voting {} {}.\n\
         Electorate: {} (the roster at the proposal); turnout {} of {}.\n\
         Counted: {} yes, {} no, {} abstain{}.\n\
         Rule: {}.\n",
        style.bold(&t.statement),
        t.title,
        short(&t.proposal, 10),
        short(&t.text, 10),
        // By the deadline and the time now, not by whether ballots still count: an approval
        // can end the vote before a deadline that has not come yet.
        if t.deadline_passed { "closed" } else { "closes" },
        time(&t.deadline),
        count(c.electorate, "member", "members"),
        c.voted(),
        c.electorate,
        c.yes,
        c.no,
        c.abstain,
        match excluded {
            0 => String::new(),
            1 => "; 1 ballot excluded".to_string(),
            n => format!("; {n} ballots excluded"),
        },
        statements::rule_text(&t.rule),
    );
    if let Some(cc) = &t.outcome.contingents {
        let each: Vec<String> = t
            .contingents
            .iter()
            .map(|r| {
                let b = &r.bloc;
                let vote = match r.vote {
                    crate::model::vote::BlocVote::Yes => "yes",
                    crate::model::vote::BlocVote::No => "no",
                    crate::model::vote::BlocVote::Silent => "silent",
                };
                format!(
                    "{} {vote} ({} yes, {} no, {} abstain of {})",
                    b.contingent, b.yes, b.no, b.abstain, b.electorate
                )
            })
            .collect();
        out.push_str(&format!(
            "Contingents: {} yes, {} no, {} silent of {}: {}.\n",
            cc.yes,
            cc.no,
            cc.silent,
            cc.contingents,
            each.join("; ")
        ));
    }
    for line in &t.outcome.arithmetic {
        out.push_str(&format!("  {line}\n"));
    }
    let not_voted = c.electorate.saturating_sub(c.voted());
    let result = match (t.result.as_str(), t.decided) {
        ("invalid", _) => format!(
            "INVALID: its rule is looser than the organisation's floors in force at its proposal, so it cannot pass: {}",
            t.below_floors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
        ),
        ("approved", _) => {
            let a = t.approval.as_ref();
            format!(
                "APPROVED: tag {} signed by {} at {}; recount it with `tribune verify {}`",
                a.map(|a| a.tag.as_str()).unwrap_or(""),
                a.and_then(|a| a.signed_by.as_deref()).unwrap_or("?"),
                a.map(|a| time(&a.at)).unwrap_or_default(),
                t.statement
            )
        }
        ("open", Some(true)) => format!(
            "OPEN, and already decided: it passes {} (it can be approved now with `tribune approve {}`)",
            whatever(not_voted),
            t.statement
        ),
        ("open", Some(false)) => format!("OPEN, and already decided: it fails {}", whatever(not_voted)),
        ("open", None) => format!(
            "OPEN: {} who {} not voted can still decide it",
            count(not_voted, "member", "members"),
            if not_voted == 1 { "has" } else { "have" }
        ),
        ("passes", _) => format!("PASSES: approve it with `tribune approve {}`", t.statement),
        _ => "FAILS".to_string(),
    };
    out.push_str(&format!("Result: {}\n", style.bold(&result)));
    if let Some(a) = &t.approval {
        if a.signed_by.is_none() {
            out.push_str(&style.paint(
                "31",
                &format!(
                    "Warning: the tag {} fails verification, so it does not count as an approval: {} \
                     (`tribune verify {}` says more)\n",
                    a.tag,
                    a.problems
                        .first()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| "it is not signed by a member of the electorate".into()),
                    t.statement
                ),
            ));
        }
    }
    if let Some(a) = &t.amended {
        out.push_str(&style.paint(
            "31",
            &format!(
                "Warning: the trunk's text of {} ({}) was changed after the proposal; ballots bind the proposed text\n",
                t.statement,
                short(a, 10)
            ),
        ));
    }
    for l in &t.left_out {
        out.push_str(&style.paint("31", &format!("Warning: {}\n", crate::output::audit::left_out(l))));
    }
    if !t.keyless.is_empty() {
        out.push_str(&format!(
            "Note: {} of the electorate {} no key and cannot cast a valid ballot: {}\n",
            crate::output::count(t.keyless.len() as u64, "member", "members"),
            if t.keyless.len() == 1 { "has" } else { "have" },
            t.keyless.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
                + if t.keyless.len() > 10 { ", …" } else { "" }
        ));
    }
    out.trim_end().to_string()
}
