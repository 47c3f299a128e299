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
    let o = decide(&Rule { quorum: r(1, 2), ..cast(2, 3) }, &Counts { yes: 24, no: 12, abstain: 2, electorate: 40 });
    assert_eq!(
        lines(&o),
        [
            "quorum: 38 voted × 2 = 76 ≥ 1 × 40 = 40: met",
            "threshold: 24 yes × 3 = 72 ≥ 2 × 36 = 72 (yes + no = 36): met",
            "majority: 24 yes > 12 no: met",
        ]
    );
    let members = Rule { basis: Basis::Members, ..cast(2, 3) };
    let o = decide(&members, &counts(24, 12, 40));
    assert!(lines(&o).contains(&"threshold: 24 yes × 3 = 72 ≥ 2 × 40 = 80 (the electorate): not met".to_string()));
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
        lines(&o)[0],
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
    for garbage in ["", "two thirds", "2/", "/3", "1/2/3", "+1/2", "2/3x", "%", ".", "1e3", "99999999999999999999/1"] {
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
        lines(&o)[3..],
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
    assert!(lines(&o).contains(&"contingents: 2 yes × 4 = 8 ≥ 3 × 3 = 9 (every contingent): not met".to_string()));
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

/// The arithmetic as the lines the tally prints.
fn lines(o: &Outcome) -> Vec<String> {
    o.arithmetic.iter().map(ToString::to_string).collect()
}

#[test]
fn the_arithmetic_has_fields_for_json() {
    let o = decide(&Rule { quorum: r(1, 2), ..cast(2, 3) }, &Counts { yes: 24, no: 12, abstain: 2, electorate: 40 });
    let v = serde_json::to_value(&o.arithmetic).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"test": "quorum", "voted": 38, "p": 1, "q": 2, "electorate": 40, "met": true},
            {"test": "threshold", "yes": 24, "p": 2, "q": 3, "of": 36, "basis": "cast", "met": true},
            {"test": "majority", "yes": 24, "no": 12, "met": true},
        ])
    );
}
