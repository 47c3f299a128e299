//! A sync's report in words: what `sync` and `clone` print for what the domain returns.

use super::verification::joined;
use crate::sync::{Clash, Conflict, Diverged, Kept, Malformed, Merged, RefusedTag, Side, Step};

fn short(id: &str, n: usize) -> &str {
    crate::model::words::short(id, n)
}

/// What a dry run would do.
pub fn step(s: &Step) -> String {
    match s {
        Step::FastForward { refname } => format!("fast-forward {refname}"),
        Step::Merge { refname } => format!("merge {refname} (changed on both sides)"),
        Step::VerifyAndTake { refname } => format!("verify and take {refname}"),
        Step::Push { refname } => format!("push {refname}"),
        Step::PushMerged { refname } => {
            format!("push {refname} once merged, if the merge can be made (one file changed on both sides stops it)")
        }
    }
}

/// A ref that points at something malformed, here or on `remote`.
pub fn malformed(m: &Malformed, remote: &str) -> String {
    let what = match &m.found {
        Some(why) if m.wanted == "channel" => format!("not a channel tribune reads: {why}"),
        Some(why) if m.wanted == "commons" => format!("not a commons tribune reads: {why}"),
        Some(why) if m.wanted == "pins" => format!("a channel where {why}"),
        Some(k) => format!("a {k}, not {}", if m.wanted == "tag" { "a tag object" } else { "a commit" }),
        None => "an object this repository does not have".to_string(),
    };
    let (name, id) = (&m.refname, short(&m.object, 10));
    match m.side {
        Side::Here => format!(
            "{name}: points at {id} ({what}), so it is not pushed; remove it with `git update-ref -d {name}` if it \
             should not be there"
        ),
        Side::Remote if m.wanted == "pins" => format!(
            "{name}: {remote}'s copy points at {id}, {what}; it was not taken, and the rest of the sync went \
             ahead (a pick from a branch pushed while this sync fetched is found by the next sync)"
        ),
        Side::Remote if m.wanted == "commons" => format!(
            "{name}: {remote}'s copy points at {id} ({what}); it was not taken, and this clone's trunk stays \
             where it was until {remote}'s is repaired (a hub with tribune's hook, `tribune hook install HUB`, refuses \
             such a push)"
        ),
        Side::Remote => format!(
            "{name}: {remote}'s copy points at {id} ({what}); it was not taken, and only the records on that ref \
             are affected"
        ),
    }
}

/// A ref changed on both sides and merged.
pub fn merged(m: &Merged, remote: &str) -> String {
    match m {
        Merged::Ballots { refname, member, statement, same_seq: Some(seq) } => format!(
            "{refname}: {member} voted on this clone and on {remote} with the same sequence number ({seq}); both \
             ballots are kept, and the tally excludes both until {member} votes again, on either clone (`tribune \
             vote {statement} yes|no|abstain --as {member}`, then `tribune sync`; see `tribune tally {statement}`)"
        ),
        Merged::Ballots { refname, member, statement, same_seq: None } => format!(
            "{refname}: {member}'s ballots cast on this clone and on {remote} were merged; the one with the highest \
             sequence number counts (`tribune tally {statement}`)"
        ),
        Merged::Edition { refname, .. } => {
            format!("{refname}: the rewrites made on this clone and on {remote} were merged")
        }
        Merged::Channel { refname, channel } => {
            format!("{refname}: the changes to the channel {channel} made on this clone and on {remote} were merged")
        }
    }
}

/// A trunk text both sides changed, how it was kept, and what to run.
pub fn conflict(c: &Conflict, remote: &str) -> String {
    let (path, branch, trunk) = (&c.path, &c.branch, &c.trunk);
    match (&c.kept, &c.slug) {
        (Kept::Deletion, _) => format!(
            "{path}: this clone deleted it and {remote} changed it. The trunk keeps {remote}'s text; your deletion \
             is on the branch {branch}: delete it again if it should go (`git rm` in a clone, or with plain git), \
             then `tribune sync`."
        ),
        (Kept::Rival { contingent }, Some(slug)) => format!(
            "{slug}: this clone and {remote} both changed its trunk text. The trunk now has {remote}'s text; yours \
             is kept as {contingent}'s rival version (`tribune diff {slug} trunk {contingent}`) and on the branch \
             {branch}. To put yours back on the trunk: `tribune show {slug}@{contingent} --raw > {slug}.md`, edit it, \
             `tribune contribute {slug}.md --update`, then `tribune sync`."
        ),
        _ => format!(
            "{path}: this clone and {remote} both changed it (or one of them deleted it). The trunk now has \
             {remote}'s version; yours is kept on the branch {branch} (`git diff {trunk} {branch} -- {path}`); \
             commit it again if it should win, then `tribune sync`."
        ),
    }
}

fn clash(contingent: &str, c: &Clash) -> String {
    let side = |b: &Option<String>| b.as_deref().map(|b| short(b, 8).to_string()).unwrap_or_else(|| "deleted".into());
    match (&c.slug, &c.here, &c.there) {
        (Some(slug), Some(m), Some(t)) => {
            let (m, t) = (short(m, 8), short(t, 8));
            format!("{contingent}'s text of {slug} (here {m}, there {t}: `tribune diff {slug} {t} {m}`)")
        }
        (Some(slug), m, t) => format!("{contingent}'s text of {slug} (here {}, there {})", side(m), side(t)),
        (None, m, t) => format!("{} (here {}, there {})", c.path, side(m), side(t)),
    }
}

/// A ref left as it was, and how to settle it.
pub fn diverged(d: &Diverged, remote: &str) -> String {
    match d {
        Diverged::Channel { refname, channel, owner, here, there, clashes } => {
            let why = if clashes.is_empty() && channel.starts_with('@') {
                format!(
                    "merging it is an act of the member {owner}, and git's signing key here is not {owner}'s: sync \
                     from a clone whose user.signingkey is {owner}'s"
                )
            } else if clashes.is_empty() {
                format!(
                    "merging it is an act of {owner}, and git's signing key here is no member's of {owner}: sync \
                     from a clone whose user.signingkey is one"
                )
            } else {
                format!(
                    "both changed {} (both picked, or both made an edition with that number); to take {remote}'s and \
                     redo your change on it: `git update-ref {refname} {}{remote}/{} {here}`, then pick or make the \
                     edition again",
                    clashes.join(", "),
                    crate::sync::MIRRORS,
                    refname.trim_start_matches("refs/"),
                )
            };
            format!(
                "{refname}: the channel {channel} was changed on this clone ({}) and on {remote} ({}); nothing was \
                 overwritten: {why}",
                short(here, 10),
                short(there, 10),
            )
        }
        Diverged::Histories { refname, here, there } => format!(
            "{refname}: this clone and {remote} have different histories ({} here, {} there); nothing was \
             overwritten",
            short(here, 10),
            short(there, 10)
        ),
        Diverged::SignedRatings { refname, rater } => format!(
            "{refname}: {rater} rated on this clone and elsewhere; their ratings are signed, so only a clone with \
             {rater}'s key can merge them (set user.signingkey and gpg.format=ssh there, then sync)"
        ),
        Diverged::Edition { refname, contingent, clashes } => {
            let what: Vec<String> = clashes.iter().map(|c| clash(contingent, c)).collect();
            let dir = format!("../merge-{contingent}");
            format!(
                "{refname}: this clone and {remote} both changed {}; nothing was overwritten. To settle it, merge \
                 with git: `git worktree add {dir} contingents/{contingent}`, `git -C {dir} merge \
                 {remote}/contingents/{contingent}`, edit the conflicting file there to the text to keep, `git -C \
                 {dir} commit -a`, `git worktree remove {dir}`, then `tribune sync`",
                what.join(", ")
            )
        }
        Diverged::Approvals { refname, statement, here, there } => format!(
            "{refname}: this clone and {remote} hold different approvals ({} here, {} there); yours is kept, check \
             both with `tribune verify {statement}`",
            short(here, 10),
            short(there, 10)
        ),
        Diverged::RemoteAhead { refname } => {
            format!("{refname}: not pushed, {remote} has changes this clone lacks; run `tribune sync` to merge them")
        }
    }
}

/// A statement tag not taken or not pushed, with why.
pub fn refused_tag(t: &RefusedTag) -> String {
    format!("{}: {}", t.refname, joined(&t.problems))
}
