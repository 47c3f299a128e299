use super::*;

fn blank(slug: &str) -> Verification {
    let mut v = Verification::failed(slug, Problem::NoProposal);
    v.problems.clear();
    v
}

#[test]
fn a_tags_claims_are_its_trailers_and_its_ballots() {
    let c = Claims::of(
        "Approved\n\nTribune-Statement: s\nTribune-Yes: 2\nTribune-Ballot: m1 abc yes\nTribune-Ballot: m2 def no\n",
    );
    assert_eq!(c.get("Statement").as_deref(), Some("s"));
    assert_eq!(c.get("Yes").as_deref(), Some("2"));
    assert_eq!(c.ballots.get("m2"), Some(&("def".to_string(), "no".to_string())));
    assert_eq!(c.get("Ballot"), None);
}

#[test]
fn a_rule_other_than_the_proposals_is_named_field_by_field() {
    use crate::model::vote::{Basis, Rule};
    let rule = Rule::two_thirds(Basis::Cast);
    let mut v = blank("s");
    let ok = format!(
        "x\n\nTribune-Threshold: {}\nTribune-Basis: {}\nTribune-Quorum: {}\n",
        rule.threshold, rule.basis, rule.quorum
    );
    check_rule(&mut v, &Claims::of(&ok), &rule);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let loose = ok.replace(&format!("Threshold: {}", rule.threshold), "Threshold: 1/100");
    check_rule(&mut v, &Claims::of(&loose), &rule);
    assert_eq!(v.problems.len(), 1);
    assert_eq!(
        v.problems[0],
        Problem::OtherRule { field: "threshold".into(), claimed: "1/100".into(), proposal: rule.threshold.to_string() }
    );
}

#[test]
fn a_message_that_differs_is_shown_from_its_first_different_line() {
    let mut v = blank("s");
    check_message(&mut v, "a\nb\nc\n", "a\nb\nc\n");
    assert!(v.problems.is_empty());
    check_message(&mut v, "a\nB\nc\n", "a\nb\nc\n");
    assert!(
        matches!(&v.problems[0], Problem::OtherMessage { line: 2, says, recount } if says == "B" && recount == "b")
    );
    check_message(&mut v, "a\n", "a\nb\n");
    assert!(
        matches!(&v.problems[1], Problem::OtherMessage { line: 2, says, recount } if says.is_empty() && recount == "b")
    );
}
