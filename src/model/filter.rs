//! Filters: whose ratings a reader trusts, with what weight, on which dimension, and the
//! score a version needs. Trust is always the reader's own choice, never a global score.

use crate::error::UserError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    /// Rater → weight (a positive integer).
    pub trust: BTreeMap<String, u32>,
    pub dimension: String,
    /// The least weighted mean score that passes, as an exact fraction ("1", "1/2", "-1").
    pub min_score: String,
    /// `score` (best first) or `date` (newest first).
    #[serde(default = "default_order")]
    pub order: String,
    /// Count only ratings whose notes commit is signed by the rater's registered key.
    #[serde(default)]
    pub verified_only: bool,
    /// Further conditions, each on a dimension of its own: a version passes when the
    /// filter's own condition and every one of these hold ("politics >= 1 from the raters
    /// we trust AND newsworthy >= 1").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<Condition>,
}

/// One further condition of a filter (`[[also]]` in its file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub dimension: String,
    /// The least weighted mean score on `dimension` that passes, as an exact fraction.
    pub min_score: String,
    /// Raters and weights of its own; the filter's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust: Option<BTreeMap<String, u32>>,
}

/// A condition as it is applied: whose ratings count with what weight, on which dimension,
/// and the least weighted mean that passes. A filter's own is the first of
/// [`Filter::rules`].
#[derive(Debug, Clone, Copy)]
pub struct Rule<'a> {
    pub trust: &'a BTreeMap<String, u32>,
    pub dimension: &'a str,
    pub min: Fraction,
}

/// Who a shared filter belongs to: the member who shared it and their contingent, kept in
/// the filter's file as an `[owner]` table (a private filter has none). Only the owner, or
/// a member of the owner's contingent, replaces or removes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub member: String,
    pub contingent: String,
}

impl Owner {
    /// The `[owner]` table of a filter's file, if it has a valid one.
    pub fn of_text(text: &str) -> Option<Owner> {
        #[derive(Deserialize)]
        struct Owned {
            owner: Option<Owner>,
        }
        let owner = toml::from_str::<Owned>(text).ok()?.owner?;
        let valid = crate::model::id::is_valid(&owner.member) && crate::model::id::is_valid(&owner.contingent);
        valid.then_some(owner)
    }
}

fn default_order() -> String {
    "score".into()
}

/// An exact fraction p/q with q > 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    pub p: i64,
    pub q: i64,
}

impl Fraction {
    /// Reads "2", "-1", "1/2" or a decimal such as "0.5" (kept exact: 5/10).
    pub fn parse(s: &str) -> Option<Fraction> {
        let s = s.trim();
        if let Some((p, q)) = s.split_once('/') {
            let (p, q): (i64, i64) = (p.trim().parse().ok()?, q.trim().parse().ok()?);
            return (q > 0).then_some(Fraction { p, q });
        }
        if let Some((whole, frac)) = s.split_once('.') {
            if frac.is_empty() || frac.len() > 6 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let q = 10i64.pow(frac.len() as u32);
            let neg = whole.trim_start().starts_with('-');
            let w: i64 = if whole.trim() == "-" || whole.is_empty() { 0 } else { whole.trim().parse().ok()? };
            let f: i64 = frac.parse().ok()?;
            // Checked: a min_score of 19 digits must be refused, not overflow.
            let p = w.checked_mul(q)?.checked_add(if neg { -f } else { f })?;
            return Some(Fraction { p, q });
        }
        Some(Fraction { p: s.parse().ok()?, q: 1 })
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.q == 1 {
            write!(f, "{}", self.p)
        } else {
            write!(f, "{}/{}", self.p, self.q)
        }
    }
}

impl Filter {
    pub fn parse(name: &str, text: &str) -> Result<Filter, UserError> {
        let f: Filter = toml::from_str(text).map_err(|e| {
            UserError::with_hint(
                format!("{name}:{}: {}", super::toml_error_line(text, &e), e.message().trim()),
                "see `tribune filter add --help` for the fields",
            )
        })?;
        f.check().map_err(|m| UserError::with_hint(format!("{name}: {m}"), "see `tribune filter add --help`"))?;
        Ok(f)
    }

    /// What must hold of every filter.
    pub fn check(&self) -> Result<(), String> {
        check_trust(&self.trust, "")?;
        if Fraction::parse(&self.min_score).is_none() {
            return Err(format!("min_score {:?} is not a number such as 1, -1, 1/2 or 0.5", self.min_score));
        }
        for (i, c) in self.also.iter().enumerate() {
            let at = format!(" (in [[also]] number {})", i + 1);
            if c.dimension.trim().is_empty() {
                return Err(format!("a condition names no dimension{at}"));
            }
            if Fraction::parse(&c.min_score).is_none() {
                return Err(format!("min_score {:?} is not a number such as 1, -1, 1/2 or 0.5{at}", c.min_score));
            }
            if let Some(t) = &c.trust {
                check_trust(t, &at)?;
            }
        }
        if self.order != "score" && self.order != "date" {
            return Err(format!("order {:?} is neither score nor date", self.order));
        }
        Ok(())
    }

    pub fn min(&self) -> Fraction {
        Fraction::parse(&self.min_score).unwrap_or(Fraction { p: 0, q: 1 })
    }

    /// Every condition a version must meet: the filter's own first, then each of `also`.
    pub fn rules(&self) -> Vec<Rule<'_>> {
        let own = Rule { trust: &self.trust, dimension: &self.dimension, min: self.min() };
        std::iter::once(own)
            .chain(self.also.iter().map(|c| Rule {
                trust: c.trust.as_ref().unwrap_or(&self.trust),
                dimension: &c.dimension,
                min: Fraction::parse(&c.min_score).unwrap_or(Fraction { p: 0, q: 1 }),
            }))
            .collect()
    }

    /// Does a version whose tallies under [`Filter::rules`] are `tallies` (in that order)
    /// pass? Only when every condition holds.
    pub fn passes(&self, tallies: &[Tally]) -> bool {
        let rules = self.rules();
        tallies.len() == rules.len() && rules.iter().zip(tallies).all(|(r, t)| t.passes(r.min))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The file of a shared filter: the filter and, when known, its owner.
    pub fn to_toml_owned(&self, owner: Option<&Owner>) -> String {
        let Some(owner) = owner else { return self.to_toml() };
        let mut table = toml::Table::try_from(self).unwrap_or_default();
        if let Ok(o) = toml::Value::try_from(owner) {
            table.insert("owner".into(), o);
        }
        toml::to_string(&table).unwrap_or_default()
    }
}

/// Every weight is positive, and some rater is trusted.
fn check_trust(trust: &BTreeMap<String, u32>, at: &str) -> Result<(), String> {
    if trust.is_empty() {
        return Err(format!("a filter trusts no rater{at}"));
    }
    if let Some((r, _)) = trust.iter().find(|(_, w)| **w == 0) {
        return Err(format!("the weight of {r} is 0; leave the rater out instead{at}"));
    }
    Ok(())
}

/// The weighted sum of scores and the sum of weights of a version's counted ratings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub weighted: i64,
    pub weights: i64,
}

impl Tally {
    /// Does the weighted mean reach `min`? Exact: weighted/weights ≥ p/q ⇔ weighted·q ≥ p·weights.
    /// A version nobody trusted rated does not pass.
    pub fn passes(&self, min: Fraction) -> bool {
        self.weights > 0
            && i128::from(self.weighted) * i128::from(min.q) >= i128::from(min.p) * i128::from(self.weights)
    }
    /// The mean as a fraction in lowest terms.
    pub fn mean(&self) -> Fraction {
        if self.weights == 0 {
            return Fraction { p: 0, q: 1 };
        }
        let g = gcd(self.weighted.abs(), self.weights).max(1);
        Fraction { p: self.weighted / g, q: self.weights / g }
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fractions_read_exactly() {
        assert_eq!(Fraction::parse("0.5"), Some(Fraction { p: 5, q: 10 }));
        assert_eq!(Fraction::parse("-0.25"), Some(Fraction { p: -25, q: 100 }));
        assert_eq!(Fraction::parse("1/2"), Some(Fraction { p: 1, q: 2 }));
        assert_eq!(Fraction::parse("-1"), Some(Fraction { p: -1, q: 1 }));
        assert_eq!(Fraction::parse("1/0"), None);
        assert_eq!(Fraction::parse("lots"), None);
        assert_eq!(Fraction::parse("9223372036854775807.5"), None);
    }

    proptest! {
        /// Fractions and filter files from anywhere: refused or read, never a panic.
        #[test]
        fn any_text_is_read_or_refused_without_a_panic(s in "(?s).{0,200}", n in any::<i64>(), frac in "[0-9]{1,6}") {
            let _ = Fraction::parse(&s);
            let _ = Fraction::parse(&format!("{n}.{frac}"));
            let _ = Filter::parse("f.toml", &s);
            let _ = Filter::parse("f.toml", &format!("dimension = \"politics\"\nmin_score = \"{n}.{frac}\"\n[trust]\nalice = 1\n{s}"));
        }

        /// What `filter add` writes reads back as it was.
        #[test]
        fn a_filter_round_trips(
            trust in prop::collection::btree_map("[a-z][a-z0-9-]{0,8}", 1u32..100, 1..4),
            dimension in "[a-z]{1,10}",
            p in -4i64..4,
            q in 1i64..5,
            date: bool,
            verified_only: bool,
        ) {
            let f = Filter {
                trust,
                dimension,
                min_score: Fraction { p, q }.to_string(),
                order: if date { "date".into() } else { "score".into() },
                verified_only,
                also: if date { vec![Condition { dimension: "newsworthy".into(), min_score: "1/2".into(), trust: None }] } else { Vec::new() },
            };
            prop_assert_eq!(Filter::parse("f.toml", &f.to_toml()).unwrap(), f.clone());
            let owner = Owner { member: "ann".into(), contingent: "abc".into() };
            let owned = f.to_toml_owned(Some(&owner));
            prop_assert_eq!(Filter::parse("f.toml", &owned).unwrap(), f.clone());
            prop_assert_eq!(Owner::of_text(&owned), Some(owner));
            prop_assert_eq!(Owner::of_text(&f.to_toml()), None);
        }

        /// Against a float reference: with denominators this small, equal fractions give
        /// equal doubles and different ones differ by far more than rounding.
        #[test]
        fn passing_agrees_with_the_mean(ws in prop::collection::vec((1i64..5, -2i64..=2), 0..20), p in -4i64..4, q in 1i64..4) {
            let t = Tally { weighted: ws.iter().map(|(w, s)| w * s).sum(), weights: ws.iter().map(|(w, _)| w).sum() };
            let expected = t.weights > 0 && (t.weighted as f64 / t.weights as f64) >= (p as f64 / q as f64);
            prop_assert_eq!(t.passes(Fraction { p, q }), expected);
        }
    }
}
