//! The demo's tour: the commands to try on the demo commons, each with what it shows.

/// The tour's commands on the demo commons at `d` (an absolute path), each with what it
/// shows ("" when the line before said it).
pub(super) fn commands(d: &str) -> [(&'static str, String); 33] {
    let w = "tenants-at-400-willowmere-begin-rent-strike-over-repairs";
    let heat = "warehouse-workers-shut-down-line-3-over-heat";
    let approved = "solidarity-with-the-tenants-of-400-willowmere";
    let open = "for-a-citywide-heat-standard-at-work";
    let derived = "willowmere-what-the-rent-strike-teaches-every-worker";
    [
        ("who is in the organisation", format!("tribune -C {d} roster")),
        ("the articles, newest first", format!("tribune -C {d} list")),
        ("", format!("tribune -C {d} list --contingent ctw --tag rent-strike")),
        ("", format!("tribune -C {d} show {w}")),
        ("", format!("tribune -C {d} log {heat}")),
        ("rival versions, side by side", format!("tribune -C {d} versions {w}")),
        ("", format!("tribune -C {d} diff {w} trunk rfc")),
        ("", format!("tribune -C {d} diff {w} rfc redline --three-way")),
        ("a stale rewrite", format!("tribune -C {d} versions {heat}")),
        ("", format!("tribune -C {d} list --edition redline")),
        ("one reader's front page, and another's", format!("tribune -C {d} list --filter left-front")),
        ("", format!("tribune -C {d} list --filter right-front")),
        ("", format!("tribune -C {d} ratings {w}")),
        ("", format!("tribune -C {d} why {w} --filter right-front")),
        ("joint statements and their votes", format!("tribune -C {d} statements")),
        ("every ballot checked", format!("tribune -C {d} tally {approved}")),
        ("recount the approved statement from its tag", format!("tribune -C {d} verify")),
        (
            "",
            format!(
                "git -C {d} -c gpg.ssh.allowedSignersFile={d}/tribune/allowed-signers tag -v statements/{approved}"
            ),
        ),
        ("a statement still open for votes: cast one", format!("tribune -C {d} tally {open}")),
        ("", format!("tribune -C {d} vote {open} yes --as dokafor --key {d}/tribune/demo-keys/dokafor")),
        ("the approved statement, ready to print", format!("tribune -C {d} export {approved} --format txt")),
        ("credit, and reuse without it", format!("tribune -C {d} credits {derived}")),
        ("", format!("tribune -C {d} export {derived} --as redline --format html")),
        ("", format!("tribune -C {d} credit-check")),
        ("public challenges, answered and not; who answers, and how fast", format!("tribune -C {d} challenges")),
        ("", format!("tribune -C {d} accountability")),
        ("channels: a newsletter, a site, a member's own; an edition each", format!("tribune -C {d} channel list")),
        ("", format!("tribune -C {d} channel show shop-floor")),
        ("the newsletter, ready to print", format!("tribune -C {d} edition export shop-floor 1 --format md")),
        ("the public site, built: open this page in a browser", format!("{d}/tribune/site/index.html")),
        ("", format!("tribune -C {d} site build {d}/tribune/site")),
        ("plain git sees every action", format!("git -C {d} log --format='%h %an: %s' -5")),
        ("", format!("git -C {d} fsck --strict")),
    ]
}
