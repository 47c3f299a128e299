//! Accountability: what each contingent did with the challenges put to it.

use super::Challenge;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A contingent's record on the challenges put to it.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub contingent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub received: usize,
    pub answered: usize,
    pub unanswered: usize,
    /// The median time from a challenge to its answer, in seconds (of two middle values,
    /// their mean rounded down); None when nothing was answered.
    pub median_seconds: Option<i64>,
    /// The age of its oldest unanswered challenge, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oldest_unanswered_seconds: Option<i64>,
}

/// Per contingent: challenges received, answered and not, and the median time to answer.
pub fn accountability(
    challenges: &[Challenge],
    contingents: &[(String, Option<String>)],
    now: DateTime<Utc>,
) -> Vec<Record> {
    let mut out: Vec<Record> = contingents
        .iter()
        .map(|(id, name)| Record {
            contingent: id.clone(),
            name: name.clone(),
            received: 0,
            answered: 0,
            unanswered: 0,
            median_seconds: None,
            oldest_unanswered_seconds: None,
        })
        .collect();
    let mut times: std::collections::HashMap<String, Vec<i64>> = Default::default();
    for c in challenges {
        let i = match out.iter().position(|r| r.contingent == c.to) {
            Some(i) => i,
            None => {
                out.push(Record {
                    contingent: c.to.clone(),
                    name: None,
                    received: 0,
                    answered: 0,
                    unanswered: 0,
                    median_seconds: None,
                    oldest_unanswered_seconds: None,
                });
                out.len() - 1
            }
        };
        let r = &mut out[i];
        r.received += 1;
        match c.answer() {
            Some(a) => {
                r.answered += 1;
                times.entry(c.to.clone()).or_default().push((a.answered_at - c.asked_at).num_seconds().max(0));
            }
            None => {
                r.unanswered += 1;
                let age = (now - c.asked_at).num_seconds().max(0);
                r.oldest_unanswered_seconds = Some(r.oldest_unanswered_seconds.map_or(age, |o| o.max(age)));
            }
        }
    }
    for r in &mut out {
        if let Some(t) = times.get_mut(&r.contingent) {
            r.median_seconds = median(t);
        }
    }
    out.sort_by(|a, b| b.unanswered.cmp(&a.unanswered).then(a.contingent.cmp(&b.contingent)));
    out
}

/// The median of whole seconds: the middle value, or the mean of the two middle values
/// rounded down.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]).div_euclid(2) })
}

/// "3d 4h", "5h 12m", "40m", "12s".
pub fn human(seconds: i64) -> String {
    let (d, h, m) = (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{seconds}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two_rounded_down() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 4]), Some(4));
        assert_eq!(median(&mut [1, 4, 2, 9]), Some(3));
    }

    proptest::proptest! {
        /// At least half the values are at most the median and at least half at least it
        /// (exact for an odd count; for an even one it lies between the middle two).
        #[test]
        fn the_median_splits_the_values_in_half(mut v in proptest::collection::vec(-1_000_000i64..1_000_000, 1..40)) {
            let m = median(&mut v).unwrap();
            let below = v.iter().filter(|x| **x <= m).count();
            let above = v.iter().filter(|x| **x >= m).count();
            proptest::prop_assert!(2 * below >= v.len() && 2 * above >= v.len(), "{v:?} {m}");
            if v.len() % 2 == 1 {
                proptest::prop_assert!(v.contains(&m));
            }
        }
    }

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(human(12), "12s");
        assert_eq!(human(40 * 60), "40m");
        assert_eq!(human(5 * 3600 + 12 * 60), "5h 12m");
        assert_eq!(human(3 * 86_400 + 4 * 3600), "3d 4h");
    }
}
