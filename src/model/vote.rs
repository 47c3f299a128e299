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
    /// The exact arithmetic, one line per condition, e.g.
    /// "quorum: 38 voted × 2 = 76 ≥ 1 × 40 = 40: met",
    /// "threshold: 24 yes × 3 = 72 ≥ 2 × 36 = 72 (yes + no = 36): met",
    /// "majority: 24 yes > 12 no: met"; with basis members the threshold line reads
    /// "threshold: 24 yes × 3 = 72 ≥ 2 × 40 = 80 (the electorate): not met". A double
    /// majority adds "contingents: 2 yes × 3 = 6 ≥ 2 × 3 = 6 (yes + no = 3): met" and
    /// "contingent majority: 2 yes > 1 no: met".
    pub arithmetic: Vec<String>,
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
    let met = |b: bool| if b { "met" } else { "not met" };
    let (quorum, ratio, majority) = (w.quorum_met(rule), w.ratio_met(rule), w.yes > w.no);
    let (t, q) = (rule.threshold, rule.quorum);
    let voted = w.voted();
    let base = w.base_of(rule.basis);
    let of_what = match rule.basis {
        Basis::Cast => format!("(yes + no = {base})"),
        Basis::Members => "(the electorate)".into(),
    };
    let arithmetic = vec![
        format!(
            "quorum: {voted} voted × {} = {} ≥ {} × {} = {}: {}",
            q.q,
            product(voted, q.q.into()),
            q.p,
            w.electorate,
            product(q.p.into(), w.electorate),
            met(quorum)
        ),
        format!(
            "threshold: {} yes × {} = {} ≥ {} × {base} = {} {of_what}: {}",
            w.yes,
            t.q,
            product(w.yes, t.q.into()),
            t.p,
            product(t.p.into(), base),
            met(ratio)
        ),
        format!("majority: {} yes > {} no: {}", w.yes, w.no, met(majority)),
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
    let (c_base, c_of) = match rule.basis {
        Basis::Cast => (c_yes + c_no, format!("(yes + no = {})", c_yes + c_no)),
        Basis::Members => (cc.contingents as u128, "(every contingent)".to_string()),
    };
    let mut arithmetic = arithmetic;
    arithmetic.push(format!(
        "contingents: {c_yes} yes × {} = {} ≥ {} × {c_base} = {} {c_of}: {}",
        t.q,
        product(c_yes, t.q.into()),
        t.p,
        product(t.p.into(), c_base),
        met(c_ratio)
    ));
    arithmetic.push(format!("contingent majority: {c_yes} yes > {c_no} no: {}", met(c_majority)));
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

#[cfg(test)]
mod tests {
    use super::*;
    use num_rational::BigRational;
    use proptest::prelude::*;

    fn r(p: u64, q: u64) -> Ratio {
        Ratio { p, q }
    }
    /// The rules of a single majority: no contingents.
    fn decide(rule: &Rule, c: &Counts) -> Outcome {
        super::decide(rule, c, &[])
    }
    fn decided(rule: &Rule, c: &Counts) -> Option<bool> {
        super::decided(rule, c, &[])
    }
    fn cast(p: u64, q: u64) -> Rule {
        Rule { threshold: r(p, q), basis: Basis::Cast, quorum: r(0, 1), double_majority: false }
    }
    fn counts(yes: u64, no: u64, electorate: u64) -> Counts {
        Counts { yes, no, abstain: 0, electorate }
    }

    /// DESIGN.md's vectors at 2/3 of votes cast, with no quorum and with a quorum of 1/2 of an
    /// electorate small enough that every case meets it.
    #[test]
    fn two_thirds_of_votes_cast() {
        for quorum in [r(0, 1), r(1, 2)] {
            let rule = Rule { quorum, ..cast(2, 3) };
            let electorate = |yes: u64, no: u64| if quorum.p == 0 { 100 } else { yes + no };
            for (yes, no, passes) in [(0, 0, false), (2, 1, true), (22, 12, false), (24, 12, true), (20, 10, true)] {
                let o = decide(&rule, &counts(yes, no, electorate(yes, no)));
                assert_eq!(o.passes, passes, "{yes}/{no} at quorum {quorum}: {:?}", o.arithmetic);
                assert!(o.quorum_met || (yes, no) == (0, 0));
            }
        }
    }

    #[test]
    fn the_arithmetic_is_shown() {
        let o =
            decide(&Rule { quorum: r(1, 2), ..cast(2, 3) }, &Counts { yes: 24, no: 12, abstain: 2, electorate: 40 });
        assert_eq!(
            o.arithmetic,
            [
                "quorum: 38 voted × 2 = 76 ≥ 1 × 40 = 40: met",
                "threshold: 24 yes × 3 = 72 ≥ 2 × 36 = 72 (yes + no = 36): met",
                "majority: 24 yes > 12 no: met",
            ]
        );
        let members = Rule { basis: Basis::Members, ..cast(2, 3) };
        let o = decide(&members, &counts(24, 12, 40));
        assert!(o.arithmetic.contains(&"threshold: 24 yes × 3 = 72 ≥ 2 × 40 = 80 (the electorate): not met".into()));
    }

    #[test]
    fn basis_members_counts_the_whole_electorate() {
        let rule = Rule { basis: Basis::Members, ..cast(2, 3) };
        assert!(!decide(&rule, &counts(24, 0, 40)).passes);
        assert!(decide(&rule, &counts(27, 0, 40)).passes);
        assert!(decide(&rule, &counts(27, 13, 40)).passes);
        // Below 1/2 a tie or a minority still fails: more yes than no is always needed.
        let quarter = Rule { basis: Basis::Members, ..cast(1, 4) };
        assert!(!decide(&quarter, &counts(10, 20, 40)).passes);
        assert!(!decide(&quarter, &counts(10, 10, 40)).passes);
        assert!(decide(&quarter, &counts(11, 10, 40)).passes);
    }

    #[test]
    fn abstentions_count_for_the_quorum_only() {
        let rule = Rule { quorum: r(1, 2), ..cast(2, 3) };
        let without = decide(&rule, &counts(10, 0, 40));
        assert!(!without.quorum_met && without.threshold_met && !without.passes);
        let with = decide(&rule, &Counts { abstain: 10, ..counts(10, 0, 40) });
        assert!(with.quorum_met && with.threshold_met && with.passes);
        let tie = decide(&rule, &Counts { abstain: 30, ..counts(5, 5, 40) });
        assert!(tie.quorum_met && !tie.threshold_met);
    }

    #[test]
    fn three_quarters_and_a_simple_majority() {
        for (yes, no, passes) in [(3, 1, true), (74, 26, false), (75, 25, true)] {
            assert_eq!(decide(&cast(3, 4), &counts(yes, no, 200)).passes, passes, "{yes}/{no} at 3/4");
        }
        for (yes, no, passes) in [(5, 5, false), (6, 5, true), (1, 0, true), (0, 0, false)] {
            assert_eq!(decide(&cast(1, 2), &counts(yes, no, 200)).passes, passes, "{yes}/{no} at 1/2");
        }
    }

    #[test]
    fn unanimity_and_no_quorum() {
        assert!(decide(&cast(1, 1), &counts(5, 0, 9)).passes);
        assert!(!decide(&cast(1, 1), &counts(5, 1, 9)).passes);
        assert!(decide(&cast(0, 1), &counts(1, 0, 0)).passes);
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        let c = Counts { yes: u64::MAX, no: u64::MAX - 1, abstain: u64::MAX, electorate: u64::MAX };
        let rule = Rule {
            threshold: r(u64::MAX - 1, u64::MAX),
            basis: Basis::Cast,
            quorum: r(u64::MAX, u64::MAX),
            double_majority: false,
        };
        let o = decide(&rule, &c);
        assert!(o.quorum_met && !o.threshold_met, "{:?}", o.arithmetic);
        // voted × q is above 2^128: shown exactly, not wrapped or saturated.
        assert_eq!(
            o.arithmetic[0],
            "quorum: 55340232221128654844 voted × 18446744073709551615 = 1020847100762815390260996613779337773060 ≥ 18446744073709551615 × 18446744073709551615 = 340282366920938463426481119284349108225: met"
        );
        assert_eq!(c.voted(), u64::MAX);
        assert_eq!(decided(&rule, &c), Some(false));
        assert_eq!(decided(&rule, &Counts { electorate: 0, ..c }), Some(false));
    }

    #[test]
    fn ratios_are_written_as_fractions() {
        assert_eq!(Ratio::parse("threshold", "2/3").unwrap(), r(2, 3));
        assert_eq!(Ratio::parse("threshold", " 3/4 ").unwrap(), r(3, 4));
        assert_eq!(Ratio::parse("threshold", "1").unwrap(), r(1, 1));
        assert_eq!(Ratio::parse("quorum", "0").unwrap(), r(0, 1));
        assert_eq!(Ratio::parse("quorum", "0/3").unwrap(), r(0, 3));
        assert_eq!(Ratio::parse("threshold", "4/6").unwrap().to_string(), "4/6");
        assert_eq!(r(1, 1).to_string(), "1");
        assert_eq!(r(2, 3).to_string(), "2/3");

        let refused = |s: &str| Ratio::parse("threshold", s).unwrap_err();
        let e = refused("66.667%");
        assert_eq!(e.message, r#"the threshold "66.667%" is not an exact fraction"#);
        assert_eq!(e.hint.as_deref(), Some("write the exact fraction 2/3"));
        assert_eq!(refused("50%").hint.as_deref(), Some("write the exact fraction 1/2"));
        assert_eq!(refused("75%").hint.as_deref(), Some("write the exact fraction 3/4"));
        assert_eq!(refused("0.5").hint.as_deref(), Some("write the exact fraction 1/2"));
        assert_eq!(refused("55%").hint.as_deref(), Some("write the exact fraction 11/20"));
        assert_eq!(
            refused("67%").hint.as_deref(),
            Some("write the exact fraction 2/3 (or 67/100 if you mean exactly 67%)")
        );
        assert!(refused("66.6%").hint.unwrap().starts_with("write the exact fraction 2/3 (or 333/500"));
        assert_eq!(refused("0.6666666666667").hint.as_deref(), Some("write the exact fraction 2/3"));
        assert_eq!(refused("99%").hint.as_deref(), Some("write the exact fraction 99/100"));
        assert!(refused("71.4321%").hint.unwrap().contains("nearest with a denominator up to 12 is 5/7"));
        assert!(refused("150%").message.contains("more than 1"));
        assert!(refused("3/2").message.contains("more than 1"));
        assert!(refused("2").message.contains("more than 1"));
        assert!(refused("1/0").message.contains("divides by zero"));
        assert!(refused("-1/2").message.contains("negative"));
        for garbage in
            ["", "two thirds", "2/", "/3", "1/2/3", "+1/2", "2/3x", "%", ".", "1e3", "99999999999999999999/1"]
        {
            assert!(refused(garbage).message.contains("is not a fraction"), "{garbage:?}");
        }
    }

    #[test]
    fn bases_are_named() {
        assert_eq!(Basis::parse("cast").unwrap(), Basis::Cast);
        assert_eq!("members".parse::<Basis>().unwrap(), Basis::Members);
        assert_eq!(Basis::Members.to_string(), "members");
        assert!(Basis::parse("votes").is_err());
        assert_eq!(serde_json::to_string(&Basis::Cast).unwrap(), r#""cast""#);
    }

    fn bloc(contingent: &str, yes: u64, no: u64, abstain: u64, electorate: u64) -> Bloc {
        Bloc { contingent: contingent.into(), yes, no, abstain, electorate }
    }

    /// One contingent enlarged to outvote the rest: 7 of its 7 members vote yes, 1 yes and 2
    /// no in each of the other two. Members pass (9 yes of 13 cast ≥ 2/3), contingents do not
    /// (1 of 3 voting).
    #[test]
    fn a_double_majority_stops_one_enlarged_contingent() {
        let single = Rule { quorum: r(1, 2), ..cast(2, 3) };
        let double = Rule { double_majority: true, ..single };
        let blocs = [bloc("big", 7, 0, 0, 7), bloc("abc", 1, 2, 0, 3), bloc("xyz", 1, 2, 0, 3)];
        let c = Counts { yes: 9, no: 4, abstain: 0, electorate: 13 };
        assert!(super::decide(&single, &c, &blocs).passes);
        let o = super::decide(&double, &c, &blocs);
        assert!(o.quorum_met && o.threshold_met && !o.passes, "{:?}", o.arithmetic);
        assert_eq!(o.contingents, Some(ContingentCount { contingents: 3, yes: 1, no: 2, silent: 0 }));
        assert_eq!(o.contingents_met, Some(false));
        assert_eq!(
            o.arithmetic[3..],
            [
                "contingents: 1 yes × 3 = 3 ≥ 2 × 3 = 6 (yes + no = 3): not met".to_string(),
                "contingent majority: 1 yes > 2 no: not met".to_string(),
            ]
        );
        // Nobody left to vote: decided, and it fails.
        assert_eq!(super::decided(&double, &c, &blocs), Some(false));
        // The two others won over: 3 of 3 contingents.
        let won = [bloc("big", 7, 0, 0, 7), bloc("abc", 2, 1, 0, 3), bloc("xyz", 2, 1, 0, 3)];
        let c = Counts { yes: 11, no: 2, abstain: 0, electorate: 13 };
        assert!(super::decide(&double, &c, &won).passes);
    }

    #[test]
    fn a_contingent_is_yes_no_or_silent() {
        assert_eq!(bloc("a", 2, 1, 5, 9).vote(), BlocVote::Yes);
        assert_eq!(bloc("a", 1, 1, 0, 9).vote(), BlocVote::No, "a tie is not most");
        assert_eq!(bloc("a", 0, 1, 0, 9).vote(), BlocVote::No);
        assert_eq!(bloc("a", 0, 0, 3, 9).vote(), BlocVote::Silent, "abstentions only");
        assert_eq!(bloc("a", 0, 0, 0, 9).vote(), BlocVote::Silent);
        // Basis cast: silent contingents are left out; members: they count against.
        let blocs = [bloc("a", 1, 0, 0, 1), bloc("b", 1, 0, 0, 1), bloc("c", 0, 0, 1, 1)];
        let c = Counts { yes: 2, no: 0, abstain: 1, electorate: 3 };
        let double = Rule { double_majority: true, ..cast(2, 3) };
        assert!(super::decide(&double, &c, &blocs).passes);
        let members = Rule { basis: Basis::Members, ..double };
        let o = super::decide(&members, &c, &blocs);
        assert!(o.passes, "2 of 3 contingents is 2/3: {:?}", o.arithmetic);
        let three_quarters = Rule { threshold: r(3, 4), ..members };
        let o = super::decide(&three_quarters, &Counts { yes: 2, no: 0, abstain: 1, electorate: 3 }, &blocs);
        assert_eq!(o.contingents_met, Some(false), "{:?}", o.arithmetic);
        assert!(o.arithmetic.contains(&"contingents: 2 yes × 4 = 8 ≥ 3 × 3 = 9 (every contingent): not met".into()));
    }

    #[test]
    fn a_single_majority_ignores_the_contingents() {
        let blocs = [bloc("big", 7, 0, 0, 7), bloc("abc", 1, 2, 0, 3)];
        let o = super::decide(&cast(2, 3), &Counts { yes: 8, no: 2, abstain: 0, electorate: 10 }, &blocs);
        assert!(o.passes && o.contingents.is_none() && o.arithmetic.len() == 3);
    }

    fn big(n: u128) -> num_bigint::BigInt {
        n.into()
    }
    fn frac(n: u128, d: u128) -> BigRational {
        BigRational::new(big(n), big(d))
    }

    /// The rules as fractions, written independently of the cross-multiplied code. Where a
    /// denominator is zero the fraction does not exist, and the reference says what the
    /// cross-multiplied rule means there: voted·qq ≥ qp·0 always holds (an empty electorate
    /// meets any quorum); yes·q ≥ p·0 always holds (basis members, empty electorate: only
    /// yes > no decides); with basis cast and no yes or no votes, yes > no fails.
    fn reference(rule: &Rule, c: &Counts) -> (bool, bool) {
        let (yes, no, voted, e) =
            (c.yes as u128, c.no as u128, c.yes as u128 + c.no as u128 + c.abstain as u128, c.electorate as u128);
        let quorum = e == 0 || frac(voted, e) >= frac(rule.quorum.p.into(), rule.quorum.q.into());
        let at_least = frac(rule.threshold.p.into(), rule.threshold.q.into());
        let ratio = match rule.basis {
            Basis::Cast => yes + no > 0 && frac(yes, yes + no) >= at_least,
            Basis::Members => e == 0 || frac(yes, e) >= at_least,
        };
        (quorum, ratio && yes > no)
    }

    fn count() -> impl Strategy<Value = u64> {
        prop_oneof![0..=1u64 << 32, 0..50u64, any::<u64>()]
    }
    fn ratio() -> impl Strategy<Value = Ratio> {
        prop_oneof![
            (1..1000u64).prop_flat_map(|q| (0..=q, Just(q))),
            any::<u64>().prop_flat_map(|q| (0..=q, Just(q.max(1))))
        ]
        .prop_map(|(p, q)| Ratio { p: p.min(q), q })
    }
    fn rule() -> impl Strategy<Value = Rule> {
        (ratio(), prop_oneof![Just(Basis::Cast), Just(Basis::Members)], ratio())
            .prop_map(|(threshold, basis, quorum)| Rule { threshold, basis, quorum, double_majority: false })
    }

    proptest! {
        /// A threshold, quorum or basis from a proposal or a tag message: read or refused
        /// with a message, never a panic.
        #[test]
        fn any_ratio_or_basis_text_is_read_or_refused_without_a_panic(s in "(?s).{0,40}", n in any::<u64>(), d in any::<u64>()) {
            let _ = Ratio::parse("threshold", &s);
            let _ = Ratio::parse("quorum", &format!("{n}/{d}"));
            let _ = Ratio::parse("quorum", &format!("{n}.{d}%"));
            let _ = Basis::parse(&s);
        }

        /// What a proposal writes (`Display`) reads back.
        #[test]
        fn ratios_round_trip(p in 0u64..1000, q in 1u64..1000) {
            prop_assume!(p <= q);
            let text = r(p, q).to_string();
            prop_assert_eq!(Ratio::parse("threshold", &text).unwrap(), r(p, q));
        }
    }

    proptest! {
        #[test]
        fn decide_agrees_with_fractions(rule in rule(), yes in count(), no in count(), abstain in count(), electorate in count()) {
            let c = Counts { yes, no, abstain, electorate };
            let o = decide(&rule, &c);
            let (quorum, threshold) = reference(&rule, &c);
            prop_assert_eq!(o.quorum_met, quorum);
            prop_assert_eq!(o.threshold_met, threshold);
            prop_assert_eq!(o.passes, quorum && threshold);
        }

        #[test]
        fn abstentions_never_move_the_threshold(rule in rule(), yes in 0..1000u64, no in 0..1000u64, abstain in 0..1000u64, electorate in 0..3000u64) {
            let c = Counts { yes, no, abstain: 0, electorate };
            prop_assert_eq!(decide(&rule, &c).threshold_met, decide(&rule, &Counts { abstain, ..c }).threshold_met);
        }

        /// A double majority's `decided`, against every way the members left in each
        /// contingent could vote (or not).
        #[test]
        fn decided_with_contingents_agrees_with_brute_force(
            (tp, tq) in (1..=6u64).prop_flat_map(|q| (1..=q, Just(q))),
            (qp, qq) in (0..=4u64).prop_flat_map(|q| (0..=q, Just(q.max(1)))),
            members in any::<bool>(),
            groups in proptest::collection::vec((0..=2u64, 0..=2u64, 0..=1u64, 0..=2u64), 1..=3),
        ) {
            let rule = Rule { threshold: r(tp, tq), basis: if members { Basis::Members } else { Basis::Cast }, quorum: r(qp.min(qq), qq), double_majority: true };
            // (yes, no, abstain, not voted) per contingent; at most 6 members left in all.
            let blocs: Vec<Bloc> = groups.iter().enumerate().map(|(i, &(y, n, a, left))| bloc(&i.to_string(), y, n, a, y + n + a + left)).collect();
            let total = |bs: &[Bloc]| Counts {
                yes: bs.iter().map(|b| b.yes).sum(),
                no: bs.iter().map(|b| b.no).sum(),
                abstain: bs.iter().map(|b| b.abstain).sum(),
                electorate: bs.iter().map(|b| b.electorate).sum(),
            };
            let lefts: Vec<u64> = groups.iter().map(|g| g.3).collect();
            let n: u64 = lefts.iter().sum();
            let mut results = std::collections::BTreeSet::new();
            for assignment in 0..4u32.pow(n as u32) {
                let mut bs = blocs.clone();
                let mut a = assignment;
                for (b, left) in bs.iter_mut().zip(&lefts) {
                    for _ in 0..*left {
                        match a % 4 {
                            0 => {}
                            1 => b.yes += 1,
                            2 => b.no += 1,
                            _ => b.abstain += 1,
                        }
                        a /= 4;
                    }
                }
                results.insert(super::decide(&rule, &total(&bs), &bs).passes);
            }
            let expected = if results.len() == 1 { results.first().copied() } else { None };
            prop_assert_eq!(super::decided(&rule, &total(&blocs), &blocs), expected);
        }

        /// Against every way the members left could vote (or not).
        #[test]
        fn decided_agrees_with_brute_force(
            (tp, tq) in (1..=12u64).prop_flat_map(|q| (0..=q, Just(q))),
            (qp, qq) in (1..=12u64).prop_flat_map(|q| (0..=q, Just(q))),
            members in any::<bool>(),
            yes in 0..=6u64, no in 0..=6u64, abstain in 0..=6u64, electorate in 0..=6u64,
        ) {
            let rule = Rule { threshold: r(tp, tq), basis: if members { Basis::Members } else { Basis::Cast }, quorum: r(qp, qq), double_majority: false };
            let c = Counts { yes, no, abstain, electorate };
            let left = electorate.saturating_sub(c.voted());
            let mut results = std::collections::BTreeSet::new();
            for assignment in 0..4u32.pow(left as u32) {
                let mut d = c;
                let mut a = assignment;
                for _ in 0..left {
                    match a % 4 {
                        0 => {}
                        1 => d.yes += 1,
                        2 => d.no += 1,
                        _ => d.abstain += 1,
                    }
                    a /= 4;
                }
                results.insert(decide(&rule, &d).passes);
            }
            let expected = if results.len() == 1 { results.first().copied() } else { None };
            prop_assert_eq!(decided(&rule, &c), expected);
        }
    }
}
