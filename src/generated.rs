//! The progenitor output for `openapi/eg.yaml`, private to the crate: users
//! see its `types` through the crate root, and call the API through
//! [`crate::Client`].
//!
//! The generated `Client` and its `resume_event_streaming` method are the
//! reference the library's own request is held against: the conformance
//! tests send through both and compare what reaches the server.

// Generated code is reviewed as a snapshot, not linted.
#[allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
mod progenitor_output {
    include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
}

#[cfg(test)]
pub(crate) use progenitor_output::Client;
pub use progenitor_output::types;
