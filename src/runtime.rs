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

use std::future::Future;

pub use reqwest::Method;
pub use reqwest::header::HeaderName;
pub use serde_json::Value as JsonValue;

pub use crate::spec;
pub use crate::{Client, Error, PreparedRequest, Response, request::Call};

/// What every generated operation builder can do without its types being
/// named: code generic over an operation (the CLI's bulk run, a test of a
/// fixture's operation) sets parameters and the body from JSON by the
/// spec's names, and reads the answer as JSON.
///
/// ```
/// use eg_client::{Client, Credentials, operations::ResumeEventStreaming, runtime::OperationBuilder};
/// use serde_json::json;
///
/// fn operate<B: OperationBuilder>(builder: B, id: &str, operation: &str) -> B {
///     builder
///         .param("eventstreaming_id", json!(id))
///         .body_json(json!({ "operation": operation }))
/// }
///
/// let client = Client::builder()
///     .endpoint("http://127.0.0.1:1")
///     .project_id("p1")
///     .credentials(Credentials::token("t")?)
///     .build()?;
/// assert_eq!(ResumeEventStreaming::SPEC.id, "ResumeEventStreaming");
/// let request = operate(client.resume_event_streaming(), "es-1", "PAUSE").dry_run()?;
/// assert!(request.url.ends_with("/eventstreamings/operate/es-1"));
/// assert_eq!(request.body, r#"{"operation":"PAUSE"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait OperationBuilder: Sized {
    /// The operation's row of the spec's description.
    const SPEC: &'static spec::OperationSpec;
    /// Sets the parameter the spec calls `name` from JSON; an unknown name
    /// or a refused value fails at `send`/`dry_run`, naming it.
    fn param(self, name: &str, value: JsonValue) -> Self;
    /// Sets the whole request body from JSON.
    fn body_json(self, value: JsonValue) -> Self;
    /// Builds and signs the request, and sends nothing.
    fn dry_run(self) -> Result<PreparedRequest, Error>;
    /// Sends the request and returns the answer's body as JSON (`null` for
    /// an answer without one).
    fn send_value(self) -> impl Future<Output = Result<Response<JsonValue>, Error>> + Send;
}

/// A value for a builder field from JSON, as its type deserializes it.
pub fn from_json<T: serde::de::DeserializeOwned>(value: JsonValue) -> Result<T, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// Why `param` refused `name` for operation `id`: the argument it names
/// and the reason.
pub fn unknown_param(id: &str, name: &str) -> (&'static str, String) {
    let bound = name == "project_id" || name.eq_ignore_ascii_case("X-Auth-Token");
    let reason = if bound {
        format!("`{name}` is set by the client, not per request")
    } else {
        format!("`{name}` is not a parameter of {id}")
    };
    ("parameter", reason)
}

/// Why `body_json` refused a body for operation `id`, which takes none.
pub fn no_body(id: &str) -> (&'static str, String) {
    ("body", format!("{id} takes no request body"))
}

/// The first name `param` or `body_json` refused, as
/// [`Error::InvalidArgument`].
pub fn known_params(unknown: Option<(&'static str, String)>) -> Result<(), Error> {
    match unknown {
        None => Ok(()),
        Some((field, reason)) => Err(Error::InvalidArgument { field, reason }),
    }
}

/// A typed answer as JSON, its status, request id, attempts and headers
/// kept.
pub fn json_response<T: serde::Serialize>(
    response: Response<T>,
) -> Result<Response<JsonValue>, Error> {
    let Response {
        inner,
        status,
        request_id,
        attempts,
        headers,
    } = response;
    match serde_json::to_value(&inner) {
        Ok(inner) => Ok(Response {
            inner,
            status,
            request_id,
            attempts,
            headers,
        }),
        Err(e) => Err(Error::InvalidResponse {
            status,
            request_id,
            reason: format!("cannot be shown as JSON: {e}"),
            body: String::new(),
            attempts,
        }),
    }
}

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
