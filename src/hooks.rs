//! What happens to the one request of a call between the generated method
//! and the wire.
//!
//! progenitor generates `resume_event_streaming` whole: it builds the URL,
//! headers and JSON body from the spec's types, then hands the request to
//! two hooks before reading the answer. A single POST goes through them
//! because three things cannot be said in the spec:
//!
//! - [`pre`] replaces the generated path with our strict encoding (progenitor
//!   leaves `\` unescaped), drops progenitor's `api-version` header, adds the
//!   `User-Agent`, and signs with SDK-HMAC-SHA256 (the signature must cover
//!   the final request);
//! - [`exec`] replaces the generated method's single `send` with the retry
//!   loop, re-signing each attempt, reading each answer whole (capped at
//!   [`MAX_RESPONSE_BODY`]) inside the loop, and recording what the last
//!   attempt received in the [`CallContext`], so that errors keep status,
//!   request id and raw body even when the body breaks the spec.
//!
//! This module depends on the client state only, never on the generated
//! code, which calls it from its `ClientHooks` implementation.

use std::sync::{Arc, Mutex, PoisonError};

use reqwest::ResponseBuilderExt as _;

use crate::{
    Credentials,
    error::{MAX_RESPONSE_BODY, is_retryable_status, is_retryable_transport},
    retry,
    state::ClientState,
};

/// The header progenitor adds from `info.version`; EG does not expect it.
const API_VERSION: &str = "api-version";
const REQUEST_ID: &str = "x-request-id";

/// What one call needs besides the generated code, and what it observed.
/// One allocation per call: cloning it (the generated client keeps a copy)
/// shares it.
#[derive(Clone, Debug)]
pub struct CallContext(Arc<Call>);

#[derive(Debug)]
struct Call {
    state: Arc<ClientState>,
    path: String,
    outcome: Mutex<Outcome>,
    /// In a dry run, `exec` keeps the final request here instead of sending it.
    dry_run: Option<Mutex<Option<reqwest::Request>>>,
}

/// What the last attempt of a call received. Reset when each attempt
/// starts, so nothing of an earlier attempt survives into the final error.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) attempts: u32,
    /// The status, recorded as soon as the head arrived.
    pub(crate) status: Option<u16>,
    /// The `X-Request-Id`, recorded as soon as the head arrived.
    pub(crate) request_id: Option<String>,
    /// The body of an error response, exactly as received, once read whole.
    pub(crate) error_body: Option<bytes::Bytes>,
    /// The body was longer than [`MAX_RESPONSE_BODY`] and was not read.
    pub(crate) body_too_large: bool,
}

impl CallContext {
    pub(crate) fn new(state: Arc<ClientState>, path: String) -> Self {
        Self(Arc::new(Call {
            state,
            path,
            outcome: Mutex::default(),
            dry_run: None,
        }))
    }

    /// A context whose call is built, signed and kept, but never sent.
    pub(crate) fn dry_run(state: Arc<ClientState>, path: String) -> Self {
        Self(Arc::new(Call {
            state,
            path,
            outcome: Mutex::default(),
            dry_run: Some(Mutex::default()),
        }))
    }

    /// The request a dry run kept.
    pub(crate) fn take_dry_run(&self) -> Option<reqwest::Request> {
        self.0
            .dry_run
            .as_ref()?
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    /// What the call observed, taken once it is over.
    pub(crate) fn take_outcome(&self) -> Outcome {
        std::mem::take(
            &mut self
                .0
                .outcome
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn record(&self, update: impl FnOnce(&mut Outcome)) {
        update(
            &mut self
                .0
                .outcome
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
    }

    fn body_too_large(&self) -> bool {
        self.0
            .outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .body_too_large
    }

    fn state(&self) -> &ClientState {
        &self.0.state
    }
}

/// The `pre` hook: exact path, no `api-version`, `User-Agent`, signature.
pub(crate) fn pre(context: &CallContext, request: &mut reqwest::Request) -> Result<(), String> {
    request.headers_mut().remove(API_VERSION);
    request.headers_mut().insert(
        reqwest::header::USER_AGENT,
        context.state().user_agent.clone(),
    );
    // progenitor leaves `\` unescaped, which URL parsers read as `/`:
    // the path is set from our own strict encoding instead.
    // The generated path is kept when it is already that encoding (no `\`).
    if request.url().path() != context.0.path {
        request.url_mut().set_path(&context.0.path);
    }
    sign(context.state(), request)
}

/// The `exec` hook: sends with retries, reading each answer whole.
pub(crate) async fn exec(
    context: &CallContext,
    http: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    if let Some(slot) = &context.0.dry_run {
        *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(request);
        // The generated code needs a documented answer to finish the call.
        let answer = http::Response::new(reqwest::Body::from("{}"));
        return Ok(reqwest::Response::from(answer));
    }
    let policy = context.state().retry;
    let mut original = Some(request);
    let mut attempt = 0;
    loop {
        attempt += 1;
        context.record(|o| {
            *o = Outcome {
                attempts: attempt,
                ..Outcome::default()
            }
        });
        // A JSON body is bytes, so cloning only fails for a stream body,
        // which this operation never sends; then this is the last attempt.
        let copy = original
            .as_ref()
            .filter(|_| attempt < policy.max_attempts())
            .and_then(reqwest::Request::try_clone);
        let last = copy.is_none();
        let Some(mut this_try) = copy.or_else(|| original.take()) else {
            unreachable!("the original request is kept until the last attempt")
        };
        if attempt > 1 {
            // A fresh X-Sdk-Date per attempt. `pre` already signed these
            // same inputs, so this cannot fail; if it did, the copy
            // still carries that valid first signature.
            let _ = sign(context.state(), &mut this_try);
        }
        tracing::debug!(attempt, url = %this_try.url(), "sending");
        let result = buffered(context, http.execute(this_try).await).await;
        let (retryable, wait) = match &result {
            // The same request gets the same oversized answer.
            Ok(_) if context.body_too_large() => (false, None),
            Ok(response) => (
                is_retryable_status(response.status().as_u16()),
                retry::retry_after(response.headers()),
            ),
            Err(error) => (is_retryable_transport(error), None),
        };
        if last || !retryable {
            return result;
        }
        let delay = policy.delay(attempt, wait);
        tracing::warn!(
            attempt,
            status = result.as_ref().ok().map(|r| r.status().as_u16()),
            error = result.as_ref().err().map(tracing::field::display),
            ?delay,
            "retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

/// Signs with SDK-HMAC-SHA256 when the client has an access key; token
/// requests carry `X-Auth-Token` from the generated code instead.
fn sign(state: &ClientState, request: &mut reqwest::Request) -> Result<(), String> {
    let Credentials::AccessKey(credential) = &state.credentials else {
        return Ok(());
    };
    let uri: http::Uri = request
        .url()
        .as_str()
        .parse()
        .map_err(|e| format!("request URL: {e}"))?;
    let method = request.method().clone();
    // The body is taken out while the headers are signed, and put back:
    // signing reads it in place, without a copy.
    let body = request.body_mut().take();
    let signed = eg_signer::sign(
        credential,
        &method,
        &uri,
        request.headers_mut(),
        body.as_ref()
            .and_then(reqwest::Body::as_bytes)
            .unwrap_or_default(),
        Some(state.project_id.as_str()),
        time::OffsetDateTime::now_utc(),
    );
    *request.body_mut() = body;
    signed.map_err(|e| e.to_string())
}

/// Reads the whole answer inside the retry loop, so that a connection cut
/// mid-body is retried too. Status and request id are recorded as soon as
/// the head arrives; for error statuses the raw body is kept too, which
/// survives even a body the generated parser refuses. A body over
/// [`MAX_RESPONSE_BODY`] (declared or counted) is not read further: the
/// call then ends with `Error::ResponseTooLarge`.
async fn buffered(
    context: &CallContext,
    result: reqwest::Result<reqwest::Response>,
) -> reqwest::Result<reqwest::Response> {
    let mut response = result?;
    let status = response.status();
    let request_id = response
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    tracing::debug!(status = status.as_u16(), request_id, "response");
    context.record(|o| {
        o.status = Some(status.as_u16());
        o.request_id = request_id;
    });
    let too_large = || {
        context.record(|o| o.body_too_large = true);
        // The generated code reads this empty stand-in; the recorded flag
        // decides the error.
        Ok(reqwest::Response::from(http::Response::new(
            reqwest::Body::from(""),
        )))
    };
    if response
        .content_length()
        .is_some_and(|length| length > MAX_RESPONSE_BODY)
    {
        return too_large();
    }
    // The head is moved into the rebuilt response, never copied.
    let headers = std::mem::take(response.headers_mut());
    let version = response.version();
    let url = response.url().clone();
    // An answer usually comes in one chunk, kept as it is; more are joined.
    let mut body = bytes::Bytes::new();
    let mut joined: Option<bytes::BytesMut> = None;
    let mut length = 0u64;
    while let Some(chunk) = response.chunk().await? {
        length += chunk.len() as u64;
        if length > MAX_RESPONSE_BODY {
            return too_large();
        }
        if body.is_empty() && joined.is_none() {
            body = chunk;
        } else {
            joined
                .get_or_insert_with(|| bytes::BytesMut::from(&body[..]))
                .extend_from_slice(&chunk);
        }
    }
    let body = joined.map_or(body, bytes::BytesMut::freeze);
    if !status.is_success() {
        context.record(|o| o.error_body = Some(body.clone()));
    }
    let mut rebuilt = http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .body(reqwest::Body::from(body))
        .expect("status and version come from a valid response");
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}
