//! The outcome of one id: what the client returned, in the shape the output
//! formats write.

use std::{error::Error as _, sync::Arc};

use eg_client::{Error, Response};
use heck::ToSnakeCase;
use serde::Serialize;
use serde_json::Value;

/// The outcome of one id.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub(super) id: String,
    pub(super) ok: bool,
    pub(super) status: Option<u16>,
    pub(super) request_id: Option<String>,
    pub(super) event_streaming_id: Option<String>,
    pub(super) attempts: Option<u32>,
    pub(super) error: Option<Failure>,
    /// Why the run stopped before sending this id.
    #[serde(skip)]
    pub(super) not_sent: Option<Arc<str>>,
    /// The answer came from behind the gateway's authentication.
    #[serde(skip)]
    pub(super) authenticated: bool,
    /// Why the run must stop: this id's authentication failed.
    #[serde(skip)]
    pub(super) auth_failure: Option<Arc<str>>,
}

/// Why an id failed.
#[derive(Debug, Serialize)]
pub(super) struct Failure {
    pub(super) kind: &'static str,
    pub(super) code: Option<String>,
    pub(super) message: String,
    pub(super) retryable: bool,
    pub(super) details: Option<String>,
}

impl Outcome {
    /// Records what the client returned for `id`: the one place that reads
    /// the client's result.
    pub fn new(id: String, result: Result<Response<Value>, Error>) -> Self {
        match result {
            Ok(done) => Self {
                id,
                ok: true,
                status: Some(done.status()),
                request_id: done.request_id().map(str::to_owned),
                attempts: Some(done.attempts()),
                event_streaming_id: echoed_id(&done.into_inner()),
                error: None,
                not_sent: None,
                authenticated: true,
                auth_failure: None,
            },
            Err(error) => Self {
                auth_failure: error
                    .is_auth_failure()
                    .then(|| auth_failure(&id, &error).into()),
                id,
                ok: false,
                status: error.status(),
                request_id: error.request_id().map(str::to_owned),
                event_streaming_id: None,
                attempts: attempts(&error),
                // The gateway answers routing, size and throttling errors
                // before it authenticates: only EG's own codes prove the
                // credentials (and EG's 401 disproves them).
                authenticated: !error.is_auth_failure()
                    && error.code().is_some_and(|c| c.as_str().starts_with("EG.")),
                error: Some(Failure::new(&error)),
                not_sent: None,
            },
        }
    }

    /// An id the run did not send, for `reason` (which names the cause).
    pub fn not_sent(id: String, reason: Arc<str>) -> Self {
        Self {
            id,
            ok: false,
            status: None,
            request_id: None,
            event_streaming_id: None,
            attempts: Some(0),
            error: Some(Failure {
                kind: "not_sent",
                code: None,
                message: format!("not sent: {reason}"),
                retryable: false,
                details: None,
            }),
            not_sent: Some(reason),
            authenticated: false,
            auth_failure: None,
        }
    }

    /// An id sent but abandoned unanswered after a signal: `why` says which
    /// signal and how long the run waited.
    pub fn interrupted(id: String, why: &str) -> Self {
        Self {
            id,
            ok: false,
            status: None,
            request_id: None,
            event_streaming_id: None,
            attempts: None,
            error: Some(Failure {
                kind: "interrupted",
                code: None,
                message: format!("{why}; the request may have reached the server"),
                retryable: true,
                details: None,
            }),
            not_sent: None,
            authenticated: false,
            auth_failure: None,
        }
    }

    /// Why the run stopped before sending this id, if it did.
    pub fn not_sent_reason(&self) -> Option<&str> {
        self.not_sent.as_deref()
    }

    /// Whether the answer proves the credentials: a success, or an error
    /// EG itself answered (the gateway let the request through).
    pub fn authenticated(&self) -> bool {
        self.authenticated
    }

    /// The stop reason when this id's authentication failed (401 from the
    /// gateway or EG, or a locked key): sending more would lock the key.
    pub fn auth_failure(&self) -> Option<&Arc<str>> {
        self.auth_failure.as_ref()
    }
}

/// The id a success body echoes: its string field named, in snake case,
/// `event_streaming_id` (the spec's `eventStreamingID`).
fn echoed_id(body: &Value) -> Option<String> {
    body.as_object()?.iter().find_map(|(key, value)| {
        (key.to_snake_case() == "event_streaming_id")
            .then(|| value.as_str().map(str::to_owned))
            .flatten()
    })
}

/// The stop reason for an authentication failure of `id`.
fn auth_failure(id: &str, error: &Error) -> String {
    let mut text = format!("the run stopped after authentication failed for '{id}':");
    if let Some(status) = error.status() {
        text.push_str(&format!(" HTTP {status}"));
    }
    if let Some(code) = error.code() {
        text.push_str(&format!(" {code}"));
    }
    if let Some(message) = error.message() {
        text.push_str(&format!(": {message}"));
    }
    match error.request_id() {
        Some(request_id) => text.push_str(&format!(" (request id {request_id})")),
        None => text.push_str(" (no request id)"),
    }
    text
}

/// Requests sent: the library's count after a send, 0 for what it refused
/// before sending.
fn attempts(error: &Error) -> Option<u32> {
    error.attempts().or(match error {
        Error::InvalidArgument { .. } | Error::Config(_) | Error::Signing(_) => Some(0),
        _ => None,
    })
}

impl Failure {
    fn new(error: &Error) -> Self {
        let (kind, details) = match error {
            Error::Api { error, .. } => ("api", error.details.clone()),
            Error::Transport { .. } => ("transport", None),
            Error::InvalidArgument { .. } => ("invalid_argument", None),
            Error::InvalidResponse { .. } => ("invalid_response", None),
            Error::ResponseTooLarge { .. } => ("response_too_large", None),
            Error::Signing(_) => ("signing", None),
            Error::Config(_) => ("config", None),
            _ => ("other", None),
        };
        Self {
            kind,
            code: error.code().map(ToString::to_string),
            message: error
                .message()
                .map_or_else(|| with_causes(error), str::to_owned),
            retryable: error.is_retryable(),
            details,
        }
    }

    /// One line for the table: code, message, details.
    pub(super) fn line(&self) -> String {
        let mut line = self
            .code
            .as_ref()
            .map(|c| format!("{c} "))
            .unwrap_or_default();
        line.push_str(&self.message);
        if let Some(details) = &self.details {
            line.push_str(&format!(" ({details})"));
        }
        line
    }
}

/// The error and its causes: reqwest keeps "connection refused" in a source.
fn with_causes(error: &Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}

/// An outcome as a transport failure or a success, for the tests of the
/// formats.
#[cfg(test)]
pub(super) fn sample(id: &str, ok: bool) -> Outcome {
    Outcome {
        id: id.into(),
        ok,
        status: ok.then_some(200),
        request_id: ok.then(|| "r-1".into()),
        event_streaming_id: ok.then(|| id.into()),
        attempts: Some(1),
        error: (!ok).then(|| Failure {
            kind: "transport",
            code: None,
            message: "connect error".into(),
            retryable: true,
            details: None,
        }),
        not_sent: None,
        authenticated: ok,
        auth_failure: None,
    }
}
