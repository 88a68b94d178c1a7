//! Figures: the median of several rounds, with min and max.

use serde_json::{Value, json};

/// One reported figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// Stable key, e.g. `client.token.c64.ratio`.
    pub key: String,
    /// What it measures, for the text report.
    pub what: String,
    /// Unit: `ratio`, `us`, `s`, `MiB`, `B`, `req/s`.
    pub unit: &'static str,
    /// Median of the rounds.
    pub median: f64,
    /// Smallest round.
    pub min: f64,
    /// Largest round.
    pub max: f64,
    /// Rounds measured.
    pub rounds: usize,
    /// The target, e.g. `>= 0.95`, when there is one.
    pub target: Option<&'static str>,
}

impl Figure {
    /// The figure of `samples` (one per round). `None` when there are none.
    pub fn of(
        key: impl Into<String>,
        what: impl Into<String>,
        unit: &'static str,
        samples: &[f64],
        target: Option<&'static str>,
    ) -> Option<Self> {
        let (median, min, max) = summarize(samples)?;
        Some(Self {
            key: key.into(),
            what: what.into(),
            unit,
            median,
            min,
            max,
            rounds: samples.len(),
            target,
        })
    }

    /// The figure as one JSON object of the report.
    pub fn json(&self) -> Value {
        json!({
            "key": self.key,
            "what": self.what,
            "unit": self.unit,
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "rounds": self.rounds,
            "target": self.target,
        })
    }
}

/// Median (mean of the middle two for an even count), min and max.
pub fn summarize(samples: &[f64]) -> Option<(f64, f64, f64)> {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    if sorted.is_empty() || sorted.len() != samples.len() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    Some((median, sorted[0], sorted[n - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_min_max() {
        assert_eq!(summarize(&[3.0, 1.0, 2.0]), Some((2.0, 1.0, 3.0)));
        assert_eq!(summarize(&[4.0, 1.0, 2.0, 3.0]), Some((2.5, 1.0, 4.0)));
        assert_eq!(summarize(&[7.0]), Some((7.0, 7.0, 7.0)));
        assert_eq!(summarize(&[]), None);
        assert_eq!(summarize(&[1.0, f64::NAN]), None);
    }
}
