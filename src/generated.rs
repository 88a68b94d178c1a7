//! The progenitor output for `openapi/eg.yaml`.
// Generated code is reviewed as a snapshot, not linted.
#![allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
