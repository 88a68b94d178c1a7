//! The counts of a run, kept as the outcomes go by: the summary line on
//! stderr, the `summary` object of `--output json`.

use std::sync::Arc;

use serde::Serialize;

use super::{Outcome, table::one_line};

/// The longest stop reason in the summary line, in characters.
const SUMMARY_REASON_CHARS: usize = 300;

/// Counts of a run, kept as the outcomes go by.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    total: usize,
    succeeded: usize,
    /// Every id that did not succeed, the ones not sent included.
    failed: usize,
    not_sent: usize,
    /// Why ids were not sent: the first reason.
    #[serde(skip)]
    stopped: Option<Arc<str>>,
}

impl Summary {
    /// Counts one more outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        self.total += 1;
        if outcome.ok {
            self.succeeded += 1;
        } else {
            self.failed += 1;
        }
        if let Some(reason) = &outcome.not_sent {
            self.not_sent += 1;
            self.stopped.get_or_insert_with(|| reason.clone());
        }
    }

    /// Whether every id succeeded.
    pub fn all_ok(&self) -> bool {
        self.failed == 0
    }

    /// Ids not sent so far.
    pub fn not_sent(&self) -> usize {
        self.not_sent
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} succeeded, {} failed", self.succeeded, self.failed)?;
        match &self.stopped {
            // Written to a terminal: one line, no escape sequences.
            Some(reason) => write!(
                f,
                "; {} not sent: {}",
                self.not_sent,
                one_line(reason, SUMMARY_REASON_CHARS)
            ),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::outcome::sample as outcome;

    #[test]
    fn summary_names_what_was_not_sent() {
        let reason: Arc<str> =
            "the run stopped after authentication failed for 'a'\u{1b}[0m".into();
        let mut summary = Summary::default();
        for o in [
            outcome("a", false),
            Outcome::not_sent("b".into(), reason.clone()),
            Outcome::not_sent("c".into(), reason),
        ] {
            summary.add(&o);
        }
        assert_eq!(
            summary.to_string(),
            "0 succeeded, 3 failed; 2 not sent: the run stopped after \
             authentication failed for 'a'?[0m"
        );
        assert_eq!(
            serde_json::to_value(&summary).ok(),
            Some(serde_json::json!({"total": 3, "succeeded": 0, "failed": 3, "not_sent": 2}))
        );
    }

    #[test]
    fn summary_counts() {
        let mut summary = Summary::default();
        for o in [outcome("a", true), outcome("b", false), outcome("c", true)] {
            summary.add(&o);
        }
        assert_eq!(summary.to_string(), "2 succeeded, 1 failed");
        assert!(!summary.all_ok());
    }
}
