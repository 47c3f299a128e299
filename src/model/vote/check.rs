//! One condition of a rule with its exact figures, as the tally shows it (a line) and
//! JSON gives it (fields).

use super::{product, Basis};

/// One condition of a rule with its figures: a ratio `count × q ≥ p × of` (exact, in
/// integers), or a majority `yes > no`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "test", rename_all = "kebab-case")]
pub enum Check {
    /// The members who voted (abstentions included) against the quorum's share of the
    /// electorate.
    Quorum { voted: u128, p: u64, q: u64, electorate: u128, met: bool },
    /// The yes votes against the threshold's share of `of`: the yes and no votes (basis
    /// cast) or the electorate (basis members).
    Threshold { yes: u128, p: u64, q: u64, of: u128, basis: Basis, met: bool },
    /// More yes than no.
    Majority { yes: u128, no: u128, met: bool },
    /// A double majority's contingents voting yes against the threshold's share of `of`:
    /// the contingents voting yes or no (basis cast) or every contingent (basis members).
    Contingents { yes: u128, p: u64, q: u64, of: u128, basis: Basis, met: bool },
    /// More contingents voting yes than no.
    ContingentMajority { yes: u128, no: u128, met: bool },
}

impl Check {
    pub fn met(&self) -> bool {
        match *self {
            Check::Quorum { met, .. }
            | Check::Threshold { met, .. }
            | Check::Majority { met, .. }
            | Check::Contingents { met, .. }
            | Check::ContingentMajority { met, .. } => met,
        }
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let met = if self.met() { "met" } else { "not met" };
        let of_what = |basis: Basis, of: u128, all: &str| match basis {
            Basis::Cast => format!("(yes + no = {of})"),
            Basis::Members => format!("({all})"),
        };
        let ratio = |f: &mut std::fmt::Formatter<'_>, name: &str, count: &str, n: u128, p: u64, q: u64, of: u128| {
            write!(f, "{name}: {n} {count} × {q} = {} ≥ {p} × {of} = {}", product(n, q.into()), product(p.into(), of))
        };
        match *self {
            Check::Quorum { voted, p, q, electorate, .. } => {
                ratio(f, "quorum", "voted", voted, p, q, electorate)?;
                write!(f, ": {met}")
            }
            Check::Threshold { yes, p, q, of, basis, .. } => {
                ratio(f, "threshold", "yes", yes, p, q, of)?;
                write!(f, " {}: {met}", of_what(basis, of, "the electorate"))
            }
            Check::Majority { yes, no, .. } => write!(f, "majority: {yes} yes > {no} no: {met}"),
            Check::Contingents { yes, p, q, of, basis, .. } => {
                ratio(f, "contingents", "yes", yes, p, q, of)?;
                write!(f, " {}: {met}", of_what(basis, of, "every contingent"))
            }
            Check::ContingentMajority { yes, no, .. } => write!(f, "contingent majority: {yes} yes > {no} no: {met}"),
        }
    }
}
