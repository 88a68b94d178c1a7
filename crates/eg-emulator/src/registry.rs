//! The event streams the emulator serves, per project.

use std::{
    collections::HashMap,
    fmt,
    sync::{Mutex, PoisonError},
};

use eg_client::Operation;

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

    /// The status an operation leaves a stream in.
    pub fn after(operation: Operation) -> Self {
        match operation {
            Operation::Start => Self::Running,
            Operation::Pause => Self::Stopped,
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

    /// Applies an operation; returns the new status, `None` for an unknown stream.
    pub(crate) fn apply(
        &self,
        project_id: &str,
        id: &str,
        operation: Operation,
    ) -> Option<StreamStatus> {
        let mut streams = self.lock();
        let status = streams.get_mut(&(project_id.to_owned(), id.to_owned()))?;
        *status = StreamStatus::after(operation);
        Some(*status)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), StreamStatus>> {
        // A panic elsewhere cannot leave a half-written map entry.
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
