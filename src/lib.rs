#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod client;
pub mod credentials;
mod error;
pub mod generated;
mod hooks;
pub mod region;
mod retry;

pub use client::{
    Client, ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Operated, PreparedRequest,
};
pub use credentials::{Credentials, Environment, Token};
pub use error::{ApiError, Error, ErrorCode};
pub use generated::types;
pub use generated::types::Operation;
pub use retry::RetryConfig;
pub use schemars;

/// The Rust source progenitor generated from `openapi/eg.yaml` in this
/// build; `cargo xtask codegen` writes it to the reviewed snapshot.
#[doc(hidden)]
pub const GENERATED_SOURCE: &str = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));

/// JSON Schemas of the request and response bodies, for consumers that
/// validate or document payloads.
pub mod schemas {
    use schemars::schema::RootSchema;

    use crate::types;

    /// The request body: `{"operation": "START" | "PAUSE"}`.
    pub fn request() -> RootSchema {
        schemars::schema_for!(types::OperateEventStreamingRequest)
    }

    /// The 200 response body.
    pub fn response() -> RootSchema {
        schemars::schema_for!(types::OperateEventStreamingResponse)
    }

    /// The error body of every documented error status.
    pub fn error() -> RootSchema {
        schemars::schema_for!(types::ErrorBody)
    }
}
