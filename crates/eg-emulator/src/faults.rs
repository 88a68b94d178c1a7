//! Seeded fault injection: a fraction of requests fail the way requests to
//! a real cloud endpoint sometimes do.

use std::sync::{Mutex, PoisonError};

use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};

use crate::config::Faults;

/// The kinds of injected fault, each drawn with the same probability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// Answered 500 with EG's body.
    Status500,
    /// Answered 503.
    Status503,
    /// Answered 429 with the gateway's throttling body and `Retry-After: 0`.
    Status429,
    /// Answered normally after the configured delay.
    Delayed,
    /// Headers sent, then the connection cut mid-body.
    Cut,
}

impl FaultKind {
    /// Every kind, in the order they are drawn from.
    pub const ALL: [FaultKind; 5] = [
        Self::Status500,
        Self::Status503,
        Self::Status429,
        Self::Delayed,
        Self::Cut,
    ];
}

/// How many faults of each kind were injected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Answered 500.
    pub status_500: u64,
    /// Answered 503.
    pub status_503: u64,
    /// Answered 429 with `Retry-After: 0`.
    pub status_429: u64,
    /// Answered normally after the configured delay.
    pub delayed: u64,
    /// Headers sent, then the connection cut mid-body.
    pub cut: u64,
}

impl FaultCounts {
    /// All injected faults.
    pub fn total(&self) -> u64 {
        FaultKind::ALL.iter().map(|&kind| self.get(kind)).sum()
    }

    /// Faults of one kind.
    pub fn get(&self, kind: FaultKind) -> u64 {
        match kind {
            FaultKind::Status500 => self.status_500,
            FaultKind::Status503 => self.status_503,
            FaultKind::Status429 => self.status_429,
            FaultKind::Delayed => self.delayed,
            FaultKind::Cut => self.cut,
        }
    }

    fn count(&mut self, kind: FaultKind) {
        let counter = match kind {
            FaultKind::Status500 => &mut self.status_500,
            FaultKind::Status503 => &mut self.status_503,
            FaultKind::Status429 => &mut self.status_429,
            FaultKind::Delayed => &mut self.delayed,
            FaultKind::Cut => &mut self.cut,
        };
        *counter += 1;
    }
}

/// The seeded draw and its tally; one lock keeps both in step.
#[derive(Debug)]
pub(crate) struct FaultInjector {
    faults: Faults,
    state: Mutex<(StdRng, FaultCounts)>,
}

impl FaultInjector {
    pub(crate) fn new(faults: Faults) -> Self {
        Self {
            faults,
            state: Mutex::new((StdRng::seed_from_u64(faults.seed), FaultCounts::default())),
        }
    }

    /// The fault for the next request, if it gets one.
    pub(crate) fn draw(&self) -> Option<FaultKind> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (rng, counts) = &mut *state;
        if rng.random::<f64>() >= self.faults.rate {
            return None;
        }
        let kind = *FaultKind::ALL.choose(rng)?;
        counts.count(kind);
        Some(kind)
    }

    pub(crate) fn delay(&self) -> std::time::Duration {
        self.faults.delay
    }

    pub(crate) fn counts(&self) -> FaultCounts {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1
    }
}
