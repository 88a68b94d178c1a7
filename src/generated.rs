//! The generated code for `openapi/eg.yaml`: progenitor's types and
//! client, the operations `eg-codegen` writes over [`crate::runtime`], and
//! the spec as data ([`crate::spec`]).
//! Users see `types` and `operations` through the crate root and call the
//! operations as methods of [`crate::Client`].
//!
//! progenitor's own `Client` stays private: it is the reference the
//! conformance tests hold every operation against on the wire.

// Generated code is reviewed as a snapshot, not linted.
#[allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
mod output {
    include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
}

#[cfg(test)]
pub(crate) use output::Client;
pub use output::{operations, spec, types};
