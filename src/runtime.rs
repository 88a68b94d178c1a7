//! The runtime the generated operations are written against: one for every
//! operation of the spec.
//!
//! `eg-codegen` turns each operation of `openapi/eg.yaml` into a builder
//! (see [`crate::operations`]) whose `send` checks its arguments with
//! [`required`] and [`argument`], assembles a [`Call`] (method, path
//! template, query, headers, JSON body) and sends it with
//! [`Call::send_json`] or [`Call::send_empty`]. What a call gets from here,
//! whatever the operation:
//!
//! - the URL made from the base URL parsed once when the client was built,
//!   with the path and query escaped strictly, and refused before sending
//!   when it is longer than an HTTP request can carry;
//! - the client's headers (`User-Agent`, `X-Auth-Token` with a token), and
//!   with an access key an SDK-HMAC-SHA256 signature over every header and
//!   the query, computed again for each attempt;
//! - retries with backoff and `Retry-After`, the [`crate::MAX_RESPONSE_BODY`]
//!   cap, [`crate::ApiError`] and its typed [`crate::ErrorCode`], the request
//!   id and the attempt count in [`Response`] or [`Error`].
//!
//! It is public so that code generated outside this crate (the generator's
//! test fixtures) compiles against it exactly as the crate's own operations
//! do. Applications call the operations, not this module.

pub use reqwest::Method;
pub use reqwest::header::HeaderName;

pub use crate::{Client, Error, PreparedRequest, Response, request::Call};

/// A required argument of a builder: a value that was set and converted,
/// else [`Error::InvalidArgument`] naming the spec's `field`.
pub fn required<T>(field: &'static str, value: Result<Option<T>, String>) -> Result<T, Error> {
    match value {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(Error::InvalidArgument {
            field,
            reason: "is required and was not set".into(),
        }),
        Err(reason) => Err(Error::InvalidArgument { field, reason }),
    }
}

/// An argument of a builder as set: a failed conversion is
/// [`Error::InvalidArgument`] naming the spec's `field`.
pub fn argument<T>(field: &'static str, value: Result<T, String>) -> Result<T, Error> {
    value.map_err(|reason| Error::InvalidArgument { field, reason })
}
