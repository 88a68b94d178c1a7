//! The event streams the emulator serves, per project.

use std::{
    collections::HashMap,
    fmt,
    sync::{Mutex, PoisonError},
};

/// An event stream's status, as Huawei's API reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StreamStatus {
    /// Created, never started.
    Created,
    /// Running: START was applied.
    Running,
    /// Failed.
    Error,
    /// Stopped: PAUSE was applied.
    Stopped,
}

impl StreamStatus {
    /// The name Huawei uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "CREATED",
            Self::Running => "RUNNING",
            Self::Error => "ERROR",
            Self::Stopped => "STOPPED",
        }
    }

    /// The status an operation, as the spec spells its value, leaves a
    /// stream in; `None` for a value the emulator does not model.
    ///
    /// Matched by string, not on the generated enum, so that a new value in
    /// the spec still builds: a test goes through every value and names one
    /// that is missing here.
    pub fn after(operation: &str) -> Option<Self> {
        match operation {
            "START" => Some(Self::Running),
            "PAUSE" => Some(Self::Stopped),
            _ => None,
        }
    }
}

impl fmt::Display for StreamStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Streams keyed by (project id, event streaming id).
#[derive(Debug, Default)]
pub(crate) struct Registry {
    streams: Mutex<HashMap<(String, String), StreamStatus>>,
}

impl Registry {
    /// Adds or replaces a stream.
    pub(crate) fn insert(&self, project_id: &str, id: &str, status: StreamStatus) {
        self.lock()
            .insert((project_id.to_owned(), id.to_owned()), status);
    }

    /// A stream's status, `None` when the project has no such stream.
    pub(crate) fn status(&self, project_id: &str, id: &str) -> Option<StreamStatus> {
        self.lock()
            .get(&(project_id.to_owned(), id.to_owned()))
            .copied()
    }

    /// Sets a stream's status; `None` for an unknown stream.
    pub(crate) fn apply(&self, project_id: &str, id: &str, status: StreamStatus) -> Option<()> {
        let mut streams = self.lock();
        *streams.get_mut(&(project_id.to_owned(), id.to_owned()))? = status;
        Some(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), StreamStatus>> {
        // A panic elsewhere cannot leave a half-written map entry.
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use eg_client::Operation;

    use super::*;

    /// What a new value of the spec's enum does to a stream is the
    /// emulator's decision: this names the value until it is modelled.
    #[test]
    fn every_operation_of_the_spec_is_modelled() {
        for operation in Operation::ALL {
            assert!(
                StreamStatus::after(&operation.to_string()).is_some(),
                "the spec's operation {operation} is not modelled: add it to StreamStatus::after"
            );
        }
        assert_eq!(StreamStatus::after("START"), Some(StreamStatus::Running));
        assert_eq!(StreamStatus::after("PAUSE"), Some(StreamStatus::Stopped));
        assert_eq!(StreamStatus::after("RESTART"), None);
    }
}
