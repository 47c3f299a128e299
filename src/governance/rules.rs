//! The organisation's rules in force, and a statement judged against their floors.
//!
//! A proposal may be stricter than the floors, never looser. The floors that bind a
//! statement are the ones in force at its proposal: the rules at the proposal commit's first
//! parent, so that a proposal commit that also loosens the rules cannot bless itself.

use crate::commons::Commons;
use crate::git::Oid;
use crate::model::config::{Config, Rules};
use crate::model::layout;
use crate::model::statement::Statement;
use crate::model::vote::Basis;
use anyhow::{Context, Result};
use serde::Serialize;

/// The rules in force at `commit`: `[rules]` of tribune.toml in its tree (no file, or no
/// table: the defaults). Every lookup of the rules goes through here.
pub fn at(commons: &Commons, commit: Oid) -> Result<Rules> {
    // The authorised tribune.toml: in a founded commons, a change the authority chain did
    // not allow (one made with plain git) does not move the floors.
    let repo = &commons.repo;
    let Some(blob) = super::audit::authorised_blob(commons, commit, layout::CONFIG)? else {
        return Ok(Rules::default());
    };
    let text = String::from_utf8_lossy(&repo.read_blob(blob)?).into_owned();
    let config = Config::parse(&text).with_context(|| format!("tribune.toml at commit {}", commit.short(10)))?;
    Ok(config.rules()?)
}

/// The floors a proposal made by `commit` must meet, and the time its voting period starts:
/// the rules at its first parent (a root commit: the defaults), and the later of its own
/// committer time and its parent's (a proposal cannot claim to be older than the trunk it
/// was made on, to stretch its period).
pub fn for_proposal(commons: &Commons, commit: Oid) -> Result<(Rules, i64)> {
    let info = commons.repo.commit(commit)?;
    let own = info.committer.when.seconds;
    match info.parents.first() {
        Some(&parent) => {
            let rules = at(commons, parent)?;
            let parent_time = commons.repo.commit(parent)?.committer.when.seconds;
            Ok((rules, own.max(parent_time)))
        }
        None => Ok((Rules::default(), own)),
    }
}

/// One way a statement's rule is looser than the organisation's floors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "breach", rename_all = "kebab-case")]
pub enum Breach {
    /// The threshold is below `min_threshold`.
    Threshold { rule: String, floor: String },
    /// The quorum is below `min_quorum`.
    Quorum { rule: String, floor: String },
    /// The basis is weaker than `min_basis`.
    Basis { rule: Basis, floor: Basis },
    /// The voting period (seconds, from the proposal to the deadline) is shorter than
    /// `min_period`.
    Period { rule: u64, floor: u64 },
    /// The rules require a double majority and the statement does not.
    DoubleMajority,
    /// The rules in force at the proposal cannot be read.
    Unreadable { reason: String },
}

impl Breach {
    /// The `[rules]` key of the floor.
    pub fn key(&self) -> &'static str {
        match self {
            Breach::Threshold { .. } => "min_threshold",
            Breach::Quorum { .. } => "min_quorum",
            Breach::Basis { .. } => "min_basis",
            Breach::Period { .. } => "min_period",
            Breach::DoubleMajority => "double_majority",
            Breach::Unreadable { .. } => "",
        }
    }
}

/// Every way `statement`, proposed at `proposed_at` (seconds), is looser than `rules`:
/// exact comparisons of fractions, no floats. Empty when it meets every floor.
pub fn judge(rules: &Rules, statement: &Statement, proposed_at: i64) -> Vec<Breach> {
    let mut out = Vec::new();
    let r = &statement.rule;
    if r.threshold.below(&rules.min_threshold) {
        out.push(Breach::Threshold { rule: r.threshold.to_string(), floor: rules.min_threshold.to_string() });
    }
    if r.quorum.below(&rules.min_quorum) {
        out.push(Breach::Quorum { rule: r.quorum.to_string(), floor: rules.min_quorum.to_string() });
    }
    if r.basis.strictness() < rules.min_basis.strictness() {
        out.push(Breach::Basis { rule: r.basis, floor: rules.min_basis });
    }
    let period = u64::try_from(statement.deadline.timestamp().saturating_sub(proposed_at)).unwrap_or(0);
    if period < rules.min_period {
        out.push(Breach::Period { rule: period, floor: rules.min_period });
    }
    if rules.double_majority && !r.double_majority {
        out.push(Breach::DoubleMajority);
    }
    out
}

/// The breaches of the statement proposed by `commit`: [`judge`] against [`for_proposal`];
/// rules that cannot be read are a breach too (no statement passes on rules nobody can read).
pub fn breaches(commons: &Commons, commit: Oid, statement: &Statement) -> Vec<Breach> {
    match for_proposal(commons, commit) {
        Ok((rules, proposed_at)) => judge(&rules, statement, proposed_at),
        Err(e) => vec![Breach::Unreadable { reason: format!("{e:#}") }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::statement::parse_deadline;
    use crate::model::vote::{Ratio, Rule};
    use proptest::prelude::*;

    fn statement(threshold: Ratio, basis: Basis, quorum: Ratio, double_majority: bool, deadline: &str) -> Statement {
        Statement {
            title: "T".into(),
            deadline: parse_deadline(deadline).unwrap(),
            rule: Rule { threshold, basis, quorum, double_majority },
            proposed_by: None,
            enacts: Vec::new(),
            body: "x".into(),
        }
    }
    const AT: i64 = 1_795_000_000; // 2026-11-18T11:06:40Z
    fn r(p: u64, q: u64) -> Ratio {
        Ratio { p, q }
    }

    #[test]
    fn the_attack_breaks_every_floor_it_can() {
        let s = statement(r(1, 100), Basis::Members, r(1, 100), false, "2026-11-18T12:00:00Z");
        let b = judge(&Rules { double_majority: true, ..Rules::default() }, &s, AT);
        assert_eq!(
            b,
            vec![
                Breach::Threshold { rule: "1/100".into(), floor: "2/3".into() },
                Breach::Quorum { rule: "1/100".into(), floor: "1/2".into() },
                Breach::Period { rule: 3200, floor: 86400 },
                Breach::DoubleMajority,
            ]
        );
        assert_eq!(
            b.iter().map(Breach::key).collect::<Vec<_>>(),
            ["min_threshold", "min_quorum", "min_period", "double_majority"]
        );
    }

    #[test]
    fn stricter_is_allowed_and_equal_is_enough() {
        let d = Rules::default();
        // 4/6 is exactly 2/3, 2/4 exactly 1/2: written otherwise, still equal.
        assert!(judge(&d, &statement(r(4, 6), Basis::Cast, r(2, 4), false, "2026-11-19T11:06:40Z"), AT).is_empty());
        assert!(judge(&d, &statement(r(1, 1), Basis::Members, r(1, 1), true, "2027-01-01T00:00:00Z"), AT).is_empty());
        let members = Rules { min_basis: Basis::Members, ..d };
        assert_eq!(
            judge(&members, &statement(r(3, 4), Basis::Cast, r(1, 2), false, "2027-01-01T00:00:00Z"), AT),
            vec![Breach::Basis { rule: Basis::Cast, floor: Basis::Members }]
        );
        // One second short of a day.
        assert_eq!(
            judge(&d, &statement(r(2, 3), Basis::Cast, r(1, 2), false, "2026-11-19T11:06:39Z"), AT),
            vec![Breach::Period { rule: 86399, floor: 86400 }]
        );
        // A deadline before the proposal is a period of nothing.
        assert_eq!(
            judge(&d, &statement(r(2, 3), Basis::Cast, r(1, 2), false, "2020-01-01T00:00:00Z"), AT),
            vec![Breach::Period { rule: 0, floor: 86400 }]
        );
    }

    proptest! {
        /// The threshold and quorum floors agree with fractions compared exactly.
        #[test]
        fn floors_compare_fractions_exactly(tp in 0u64..=50, tq in 1u64..=50, fp in 0u64..=50, fq in 1u64..=50, big in any::<u64>()) {
            let (tp, fp) = (tp.min(tq), fp.min(fq));
            let below = num_rational::Ratio::new(tp as u128, tq as u128) < num_rational::Ratio::new(fp as u128, fq as u128);
            prop_assert_eq!(r(tp, tq).below(&r(fp, fq)), below);
            // Huge parts do not overflow: p/q against itself scaled is never below.
            let q = big.max(1);
            prop_assert!(!r(q, q).below(&r(1, 1)) && !r(1, 1).below(&r(q, q)));
            prop_assert_eq!(r(q - 1, q).below(&r(1, 1)), true);
        }
    }
}
