//! The progenitor output for `openapi/eg.yaml`.
#![allow(missing_docs, clippy::all, unused)]
include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
