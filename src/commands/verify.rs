//! `tribune verify`: recount approved statements from their tags.

use super::Ctx;
use crate::error::fail;
use crate::output::{print, print_json};
use crate::statements;
use anyhow::Result;

/// Recount approved statements and check their tags.
///
/// For each statement (default: every tag under `refs/tags/statements/`): the tag must be
/// signed by a member of the statement's electorate; it must name the trunk's proposal and
/// its text, and the trunk's text must still be that text; and a recount from the ballots
/// reachable from the tag (every signature verified again) must give exactly the numbers,
/// the ballots and the result the tag states. Every difference is reported. The exit code
/// is 0 only when everything holds.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The statements to check (default: every approved statement).
    #[arg(value_name = "STATEMENT")]
    pub statements: Vec<String>,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let commons = ctx.open()?;
    let slugs: Vec<String> = if args.statements.is_empty() {
        commons
            .repo
            .refs_with_prefix(statements::TAG_REFS)?
            .into_iter()
            .map(|(name, _)| name[statements::TAG_REFS.len()..].to_string())
            .collect()
    } else {
        args.statements.clone()
    };
    let mut results = Vec::new();
    for slug in &slugs {
        if let Err(e) = crate::model::id::validate("statement", slug) {
            if !args.statements.is_empty() {
                return Err(e.into());
            }
            // A tag under statements/ with a name no statement can have: report it, go on.
            results.push(statements::Verification::failed(
                slug,
                statements::Problem::BadName { reason: format!("no statement can have this name: {}", e.message) },
            ));
            continue;
        }
        if !args.statements.is_empty() && commons.statement_tag(slug)?.is_none() {
            // A name that is no statement at all is refused as `tally` refuses it, with the
            // statements there are.
            statements::find(&commons, slug)?;
        }
        results.push(statements::verify(&commons, slug)?);
    }
    let failed = results.iter().filter(|v| !v.problems.is_empty()).count();
    if args.json {
        print_json(&results)?;
    } else if results.is_empty() {
        print("No approved statements: there is no tag under refs/tags/statements/.")?;
    } else {
        let style = &ctx.style;
        let mut out = String::new();
        for v in &results {
            if v.problems.is_empty() {
                let c = v.recount.unwrap_or_default();
                out.push_str(&format!(
                    "{} {}: signed by {}; the recount matches the tag: {} yes, {} no, {} abstain of {}; passes.\n",
                    style.paint("32", "verified"),
                    v.tag,
                    v.signed_by.as_deref().unwrap_or("?"),
                    c.yes,
                    c.no,
                    c.abstain,
                    c.electorate
                ));
                for n in &v.notes {
                    out.push_str(&format!("  note: {n}\n"));
                }
            } else {
                out.push_str(&format!("{} {}:\n", style.paint("31", "FAILED"), v.tag));
                for p in &v.problems {
                    out.push_str(&format!("  - {p}\n"));
                }
            }
        }
        print(&ctx.style.fit(out.trim_end()))?;
    }
    if failed > 0 {
        return Err(fail(
            format!(
                "{failed} of {} failed verification",
                crate::model::words::count(results.len() as u64, "statement", "statements")
            ),
            if failed == 1 {
                "do not treat it as approved; the lines above say what differs"
            } else {
                "do not treat them as approved; the lines above say what differs"
            },
        ));
    }
    Ok(())
}
