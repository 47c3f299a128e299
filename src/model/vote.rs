//! Counting a ballot exactly: the threshold, basis and quorum of a joint statement (DESIGN.md,
//! "Joint statements and ballots"). Every rule is a cross-multiplication in integers, never a
//! division: a float cannot hold 2/3, and "exactly two-thirds passes" must not depend on how
//! 0.6666… rounds. Products are exact big integers (`num-bigint`), so no count, however absurd,
//! overflows.

use crate::error::UserError;
use num_bigint::BigUint;
use std::fmt;

/// An exact fraction 0 ≤ p/q ≤ 1, q > 0, kept as written ("2/3", "1/2", "3/4", "1", "0"), not
/// reduced, so that a tally prints the rule the proposal stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Ratio {
    pub p: u64,
    pub q: u64,
}

impl Ratio {
    /// Reads "p/q" or a whole number ("0", "1"). Percentages and decimals are refused, with a
    /// hint naming the fraction to write: "66.667%" is not two-thirds, and a proposal must say
    /// what it means. `what` names the field in messages ("threshold", "quorum").
    pub fn parse(what: &str, s: &str) -> Result<Ratio, UserError> {
        let t = s.trim();
        let range = || format!("a {what} is a fraction from 0 to 1, such as 2/3, 1/2 or 1");
        let garbage = || UserError::with_hint(format!("the {what} {s:?} is not a fraction"), range());
        if t.starts_with('-') {
            return Err(UserError::with_hint(format!("the {what} {s:?} is negative"), range()));
        }
        if let Some(number) = t.strip_suffix('%') {
            let (n, d) = decimal(number.trim()).ok_or_else(garbage)?;
            return Err(not_exact(what, s, n, d * 100));
        }
        if t.contains('.') {
            let (n, d) = decimal(t).ok_or_else(garbage)?;
            return Err(not_exact(what, s, n, d));
        }
        let (p, q) = match t.split_once('/') {
            Some((p, q)) => (whole(p).ok_or_else(garbage)?, whole(q).ok_or_else(garbage)?),
            None => (whole(t).ok_or_else(garbage)?, 1),
        };
        if q == 0 {
            return Err(UserError::with_hint(
                format!("the {what} {s:?} divides by zero"),
                format!("write a denominator above 0; {}", range()),
            ));
        }
        if p > q {
            return Err(UserError::with_hint(format!("the {what} {s:?} is more than 1"), range()));
        }
        Ok(Ratio { p, q })
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.q == 1 {
            write!(f, "{}", self.p)
        } else {
            write!(f, "{}/{}", self.p, self.q)
        }
    }
}

/// Digits only: "+1" and " 1" are not what anyone writes in a fraction.
fn whole(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A decimal "66.667" as n/d = 66667/1000. Only for suggesting a fraction, so digits past the
/// ninth decimal are dropped and the whole part is kept to three digits (anything larger is
/// more than 100%, and the hint says so).
fn decimal(s: &str) -> Option<(u128, u128)> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int = int.trim_start_matches('0');
    if int.len() > 3 {
        return Some((1000, 1));
    }
    let frac = &frac[..frac.len().min(9)];
    let d = 10u128.pow(frac.len() as u32);
    let int: u128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: u128 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    Some((int * d + frac, d))
}

/// The refusal of a percentage or decimal worth n/d, naming the fraction to write: its own
/// when that is simple (1/2 for "50%", 11/20 for "55%"), else a common fraction it is a
/// rounding or truncation of (2/3 for "66.667%", "66.6%" or "67%"), else the nearest with a
/// denominator up to 12.
fn not_exact(what: &str, s: &str, n: u128, d: u128) -> UserError {
    if n > d {
        return UserError::with_hint(
            format!("the {what} {s:?} is more than 1"),
            format!("a {what} is a fraction from 0 to 1, such as 2/3, 1/2 or 1"),
        );
    }
    let message = format!("the {what} {s:?} is not an exact fraction");
    let g = gcd(n, d);
    let own = Ratio { p: (n / g) as u64, q: (d / g) as u64 };
    // |n/d − p/q| = err(p, q) / (d·q).
    let err = |p: u128, q: u128| (n * q).abs_diff(p * d);
    // Within one unit of the last digit written, |n/d − p/q| < 1/d ⇔ err < q.
    let near = (2..=6u128).flat_map(|q| (1..q).map(move |p| (p, q))).find(|&(p, q)| err(p, q) < q);
    let hint = match near {
        _ if own.q <= 12 => format!("write the exact fraction {own}"),
        Some((p, q)) if own.q <= 1000 => {
            format!("write the exact fraction {}/{} (or {own} if you mean exactly {})", p, q, s.trim())
        }
        Some((p, q)) => format!("write the exact fraction {p}/{q}"),
        None if own.q <= 1000 => format!("write the exact fraction {own}"),
        None => {
            // Ties go to the smaller denominator, seen first.
            let mut best = (0u128, 1u128);
            for q in 1..=12u128 {
                for p in 0..=q {
                    if err(p, q) * best.1 < err(best.0, best.1) * q {
                        best = (p, q);
                    }
                }
            }
            let best = Ratio { p: best.0 as u64, q: best.1 as u64 };
            format!("write an exact fraction p/q; the nearest with a denominator up to 12 is {best}")
        }
    };
    UserError::with_hint(message, hint)
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a.max(1)
    } else {
        gcd(b, a % b)
    }
}

/// What the threshold is a fraction of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Of the yes and no votes cast (abstentions count for the quorum only).
    Cast,
    /// Of the whole electorate, so that not voting counts as voting no.
    Members,
}

impl Basis {
    pub fn parse(s: &str) -> Result<Basis, UserError> {
        match s.trim() {
            "cast" => Ok(Basis::Cast),
            "members" => Ok(Basis::Members),
            _ => Err(UserError::with_hint(
                format!("the basis {s:?} is neither cast nor members"),
                "cast: the threshold is a fraction of yes + no; members: of the whole electorate",
            )),
        }
    }
}

impl std::str::FromStr for Basis {
    type Err = UserError;
    fn from_str(s: &str) -> Result<Basis, UserError> {
        Basis::parse(s)
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Basis::Cast => "cast",
            Basis::Members => "members",
        })
    }
}

/// The rule a proposal fixes.
///
/// - quorum met ⇔ voted·quorum.q ≥ quorum.p·electorate (abstentions count as voting);
/// - basis `cast`: threshold met ⇔ yes·q ≥ p·(yes + no) and yes > no;
/// - basis `members`: threshold met ⇔ yes·q ≥ p·electorate and yes > no. A statement never
///   passes without more yes than no votes; with basis `members` this only matters for ties
///   and thresholds below 1/2 (e.g. at 1/4 of 40 members, 10 yes against 20 no fail);
/// - the statement passes ⇔ quorum met and threshold met;
/// - with a double majority, the threshold must also be met by the contingents (see
///   [`contingents`]): passes ⇔ quorum met, threshold met by members and by contingents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    pub threshold: Ratio,
    pub basis: Basis,
    pub quorum: Ratio,
    /// The threshold must be met both by members and by contingents.
    pub double_majority: bool,
}

#[cfg(test)]
impl Rule {
    /// 2/3 of `basis`, quorum 1/2, a single majority: the rule the tests start from.
    pub fn two_thirds(basis: Basis) -> Rule {
        Rule { threshold: Ratio { p: 2, q: 3 }, basis, quorum: Ratio { p: 1, q: 2 }, double_majority: false }
    }
}

impl Ratio {
    /// Exact comparison of two fractions: self < other ⇔ self.p·other.q < other.p·self.q
    /// (in 128 bits, which two u64 products always fit).
    pub fn below(&self, other: &Ratio) -> bool {
        (self.p as u128) * (other.q as u128) < (other.p as u128) * (self.q as u128)
    }
}

impl Basis {
    /// How strict a basis is: `members` (of the whole electorate) is stricter than `cast`,
    /// since yes ≥ t·electorate implies yes ≥ t·(yes + no).
    pub fn strictness(self) -> u8 {
        match self {
            Basis::Cast => 0,
            Basis::Members => 1,
        }
    }
}

/// One contingent's counted ballots and its members in the electorate, for a double
/// majority.
#[derive(Default, Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Bloc {
    pub contingent: String,
    pub yes: u64,
    pub no: u64,
    pub abstain: u64,
    /// Its members in the electorate.
    pub electorate: u64,
}

/// How a contingent counts in a double majority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlocVote {
    /// More of its voting members (yes or no) voted yes than no.
    Yes,
    /// It has voting members, and yes is not more than no (a tie is no).
    No,
    /// No member voted yes or no (no ballots, or abstentions only).
    Silent,
}

impl Bloc {
    /// A member is *voting* when their counted ballot is yes or no; the contingent is yes
    /// when most of its voting members vote yes (yes > no), no when it has voting members
    /// and is not yes, silent when it has none.
    pub fn vote(&self) -> BlocVote {
        if self.yes > self.no {
            BlocVote::Yes
        } else if self.yes == 0 && self.no == 0 {
            BlocVote::Silent
        } else {
            BlocVote::No
        }
    }
}

/// The contingents' side of a double majority.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ContingentCount {
    /// Contingents with at least one member in the electorate.
    pub contingents: u64,
    pub yes: u64,
    pub no: u64,
    pub silent: u64,
}

/// Counts the contingents: each is yes, no or silent ([`Bloc::vote`]).
pub fn contingents(blocs: &[Bloc]) -> ContingentCount {
    let mut c = ContingentCount { contingents: blocs.len() as u64, ..ContingentCount::default() };
    for b in blocs {
        match b.vote() {
            BlocVote::Yes => c.yes += 1,
            BlocVote::No => c.no += 1,
            BlocVote::Silent => c.silent += 1,
        }
    }
    c
}

impl ContingentCount {
    /// The threshold met by the contingents, in the proposal's basis: cast, of the
    /// contingents that voted (C_yes·q ≥ p·(C_yes + C_no)); members, of every contingent in
    /// the electorate (C_yes·q ≥ p·C, a silent contingent counting against as a silent member
    /// does); and in both C_yes > C_no.
    fn met(&self, rule: &Rule) -> (bool, bool) {
        let (yes, no, all) = (self.yes as u128, self.no as u128, self.contingents as u128);
        let base = match rule.basis {
            Basis::Cast => yes + no,
            Basis::Members => all,
        };
        (product(yes, rule.threshold.q.into()) >= product(rule.threshold.p.into(), base), yes > no)
    }
}

/// The counted ballots and the size of the electorate.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub yes: u64,
    pub no: u64,
    pub abstain: u64,
    pub electorate: u64,
}

impl Counts {
    /// Everyone who cast a ballot, abstentions included. (Saturating, for display: the rules
    /// themselves add in 128 bits.)
    pub fn voted(&self) -> u64 {
        self.yes.saturating_add(self.no).saturating_add(self.abstain)
    }
}

/// The result of a tally, with the arithmetic that decided it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    pub quorum_met: bool,
    /// The threshold, including the condition yes > no.
    pub threshold_met: bool,
    /// quorum_met && threshold_met.
    pub passes: bool,
    /// The exact arithmetic, one condition each, in order: quorum, threshold, majority and,
    /// with a double majority, the contingents' threshold and majority. Each reads as a line
    /// (`Display`), e.g. "quorum: 38 voted × 2 = 76 ≥ 1 × 40 = 40: met",
    /// "threshold: 24 yes × 3 = 72 ≥ 2 × 36 = 72 (yes + no = 36): met",
    /// "majority: 24 yes > 12 no: met", "contingents: 2 yes × 3 = 6 ≥ 2 × 3 = 6 (yes + no =
    /// 3): met", "contingent majority: 2 yes > 1 no: met".
    pub arithmetic: Vec<Check>,
    /// With a double majority: the contingents' figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contingents: Option<ContingentCount>,
    /// With a double majority: the threshold met by the contingents (the condition
    /// C_yes > C_no included). `threshold_met` is the members' side alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contingents_met: Option<bool>,
}

/// Applies `rule` to `c` (and, with a double majority, to the contingents' `blocs`).
pub fn decide(rule: &Rule, c: &Counts, blocs: &[Bloc]) -> Outcome {
    let w = Wide::of(c);
    let (quorum, ratio, majority) = (w.quorum_met(rule), w.ratio_met(rule), w.yes > w.no);
    let (t, q) = (rule.threshold, rule.quorum);
    let arithmetic = vec![
        Check::Quorum { voted: w.voted(), p: q.p, q: q.q, electorate: w.electorate, met: quorum },
        Check::Threshold { yes: w.yes, p: t.p, q: t.q, of: w.base_of(rule.basis), basis: rule.basis, met: ratio },
        Check::Majority { yes: w.yes, no: w.no, met: majority },
    ];
    let threshold_met = ratio && majority;
    if !rule.double_majority {
        return Outcome {
            quorum_met: quorum,
            threshold_met,
            passes: quorum && threshold_met,
            arithmetic,
            contingents: None,
            contingents_met: None,
        };
    }
    let cc = contingents(blocs);
    let (c_ratio, c_majority) = cc.met(rule);
    let (c_yes, c_no) = (cc.yes as u128, cc.no as u128);
    let c_base = match rule.basis {
        Basis::Cast => c_yes + c_no,
        Basis::Members => cc.contingents as u128,
    };
    let mut arithmetic = arithmetic;
    arithmetic.push(Check::Contingents { yes: c_yes, p: t.p, q: t.q, of: c_base, basis: rule.basis, met: c_ratio });
    arithmetic.push(Check::ContingentMajority { yes: c_yes, no: c_no, met: c_majority });
    let c_met = c_ratio && c_majority;
    Outcome {
        quorum_met: quorum,
        threshold_met,
        passes: quorum && threshold_met && c_met,
        arithmetic,
        contingents: Some(cc),
        contingents_met: Some(c_met),
    }
}

/// Before the deadline: is the result fixed whatever the members who have not voted
/// (electorate − voted of them) do: vote yes, no, abstain, or not at all? Some(true): it will
/// pass; Some(false): it will fail; None: still open. Cast ballots are treated as final.
///
/// Each rule is monotone: more voters only help the quorum, a yes only helps and a no only
/// hurts the threshold and the majority, and an abstention or no vote leaves them alone. So it
/// passes whatever happens ⇔ it passes if nobody else votes (the worst quorum) and if everyone
/// else votes no (the worst threshold); it fails whatever happens ⇔ it fails if they all vote
/// yes (the best of both).
///
/// With a double majority the same holds per contingent: a member's yes can only turn their
/// contingent from silent or no to yes, a no only from yes or silent to no, and a contingent's
/// yes only helps (its no only hurts) the contingents' threshold and majority; so "everyone
/// left votes no" is still the worst case, and "everyone left votes yes" the best. Each
/// contingent's members left are its electorate less its ballots.
pub fn decided(rule: &Rule, c: &Counts, blocs: &[Bloc]) -> Option<bool> {
    let now = Wide::of(c);
    // More ballots than members cannot happen in a valid tally; then nobody is left to vote.
    let left = now.electorate.saturating_sub(now.voted());
    let all_no = Wide { no: now.no + left, ..now };
    let all_yes = Wide { yes: now.yes + left, ..now };
    let left_of = |b: &Bloc| b.electorate.saturating_sub(b.yes.saturating_add(b.no).saturating_add(b.abstain));
    let blocs_no: Vec<Bloc> = blocs.iter().map(|b| Bloc { no: b.no.saturating_add(left_of(b)), ..b.clone() }).collect();
    let blocs_yes: Vec<Bloc> =
        blocs.iter().map(|b| Bloc { yes: b.yes.saturating_add(left_of(b)), ..b.clone() }).collect();
    let passes = |w: &Wide, blocs: &[Bloc]| {
        w.passes(rule)
            && (!rule.double_majority || {
                let (ratio, majority) = contingents(blocs).met(rule);
                ratio && majority
            })
    };
    if passes(&now, blocs) && passes(&all_no, &blocs_no) {
        Some(true)
    } else if !passes(&all_yes, &blocs_yes) {
        Some(false)
    } else {
        None
    }
}

/// Counts in 128 bits, so that sums (yes + no, voted, plus the members left) cannot overflow.
#[derive(Debug, Clone, Copy)]
struct Wide {
    yes: u128,
    no: u128,
    abstain: u128,
    electorate: u128,
}

impl Wide {
    fn of(c: &Counts) -> Wide {
        Wide { yes: c.yes.into(), no: c.no.into(), abstain: c.abstain.into(), electorate: c.electorate.into() }
    }
    fn voted(&self) -> u128 {
        self.yes + self.no + self.abstain
    }
    fn base_of(&self, basis: Basis) -> u128 {
        match basis {
            Basis::Cast => self.yes + self.no,
            Basis::Members => self.electorate,
        }
    }
    fn quorum_met(&self, rule: &Rule) -> bool {
        product(self.voted(), rule.quorum.q.into()) >= product(rule.quorum.p.into(), self.electorate)
    }
    /// The threshold's fraction alone, without yes > no.
    fn ratio_met(&self, rule: &Rule) -> bool {
        product(self.yes, rule.threshold.q.into()) >= product(rule.threshold.p.into(), self.base_of(rule.basis))
    }
    fn passes(&self, rule: &Rule) -> bool {
        self.quorum_met(rule) && self.ratio_met(rule) && self.yes > self.no
    }
}

/// The exact product of a count (or a sum of counts) and a fraction's part. Sums of u64
/// counts fit in 128 bits, but their products with a u64 part need up to 130: a big integer is
/// exact at any size, and prints itself for the arithmetic shown.
fn product(a: u128, b: u128) -> BigUint {
    BigUint::from(a) * BigUint::from(b)
}

mod check;
pub use check::Check;

#[cfg(test)]
mod tests;
