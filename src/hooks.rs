//! Progenitor's `ClientHooks` for the generated client: where the request
//! gets its exact path, its authentication and its retries.
//!
//! The generated client is made afresh for each call (it is two pointers),
//! with a [`CallContext`] that records what the wire said, so that errors
//! keep status, request id and raw body even when the body breaks the spec.

use std::sync::{Arc, Mutex, PoisonError};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::{
    Credentials,
    client::Shared,
    error::{is_retryable_status, is_retryable_transport},
    generated::Client as Generated,
    retry,
};

/// The header progenitor adds from `info.version`; EG does not expect it.
const API_VERSION: &str = "api-version";
const REQUEST_ID: &str = "x-request-id";

/// What one call needs besides the generated code, and what it observed.
#[derive(Clone, Debug)]
pub struct CallContext {
    shared: Arc<Shared>,
    path: String,
    outcome: Arc<Mutex<Outcome>>,
    /// In a dry run, `exec` keeps the final request here instead of sending it.
    dry_run: Option<Arc<Mutex<Option<reqwest::Request>>>>,
}

/// What the last attempt of a call received.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    pub(crate) status: Option<u16>,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    /// The body of an error response, exactly as received.
    pub(crate) error_body: Option<bytes::Bytes>,
}

impl CallContext {
    pub(crate) fn new(shared: Arc<Shared>, path: String) -> Self {
        Self {
            shared,
            path,
            outcome: Arc::default(),
            dry_run: None,
        }
    }

    /// A context whose call is built, signed and kept, but never sent.
    pub(crate) fn dry_run(shared: Arc<Shared>, path: String) -> Self {
        Self {
            dry_run: Some(Arc::default()),
            ..Self::new(shared, path)
        }
    }

    /// The request a dry run kept.
    pub(crate) fn take_dry_run(&self) -> Option<reqwest::Request> {
        self.dry_run
            .as_ref()?
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    pub(crate) fn outcome(&self) -> Outcome {
        self.outcome
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn record(&self, update: impl FnOnce(&mut Outcome)) {
        update(&mut self.outcome.lock().unwrap_or_else(PoisonError::into_inner));
    }
}

impl ClientHooks<CallContext> for Generated {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        request.headers_mut().remove(API_VERSION);
        // progenitor leaves `\` unescaped, which URL parsers read as `/`:
        // the path is set from our own strict encoding instead.
        request.url_mut().set_path(&self.inner().path);
        sign(&self.inner().shared, request).map_err(progenitor_client::Error::Custom)
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let context = self.inner();
        if let Some(slot) = &context.dry_run {
            *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(request);
            // The generated code needs a documented answer to finish the call.
            let answer = http::Response::new(reqwest::Body::from("{}"));
            return Ok(reqwest::Response::from(answer));
        }
        let policy = context.shared.retry;
        let mut original = Some(request);
        let mut attempt = 0;
        loop {
            attempt += 1;
            context.record(|o| o.attempts = attempt);
            // A JSON body is bytes, so cloning only fails for a stream body,
            // which this operation never sends; then this is the last attempt.
            let copy = original
                .as_ref()
                .filter(|_| attempt < policy.max_attempts)
                .and_then(reqwest::Request::try_clone);
            let last = copy.is_none();
            let Some(mut this_try) = copy.or_else(|| original.take()) else {
                unreachable!("the original request is kept until the last attempt")
            };
            if attempt > 1 {
                // A fresh X-Sdk-Date per attempt. `pre` already signed these
                // same inputs, so this cannot fail; if it did, the copy
                // still carries that valid first signature.
                let _ = sign(&context.shared, &mut this_try);
            }
            tracing::debug!(attempt, url = %this_try.url(), "sending");
            let result = buffered(context, self.client().execute(this_try).await).await;
            let (retryable, wait) = match &result {
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
}

/// Signs with SDK-HMAC-SHA256 when the client has an access key; token
/// requests carry `X-Auth-Token` from the generated code instead.
fn sign(shared: &Shared, request: &mut reqwest::Request) -> Result<(), String> {
    let Credentials::AccessKey(credential) = &shared.credentials else {
        return Ok(());
    };
    let uri: http::Uri = request
        .url()
        .as_str()
        .parse()
        .map_err(|e| format!("request URL: {e}"))?;
    let method = request.method().clone();
    let body = request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .unwrap_or_default()
        .to_vec();
    eg_signer::sign(
        credential,
        &method,
        &uri,
        request.headers_mut(),
        &body,
        Some(shared.project_id.as_str()),
        time::OffsetDateTime::now_utc(),
    )
    .map_err(|e| e.to_string())
}

/// Reads the whole answer inside the retry loop, so that a connection cut
/// mid-body is retried too, and records status, request id and, for error
/// statuses, the raw body, which survives even a body the generated parser
/// refuses.
async fn buffered(
    context: &CallContext,
    result: reqwest::Result<reqwest::Response>,
) -> reqwest::Result<reqwest::Response> {
    let response = result?;
    let status = response.status();
    let request_id = response
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    tracing::debug!(status = status.as_u16(), request_id, "response");
    let mut rebuilt = http::Response::builder().status(status);
    if let Some(headers) = rebuilt.headers_mut() {
        *headers = response.headers().clone();
    }
    let body = response.bytes().await?;
    context.record(|o| {
        o.status = Some(status.as_u16());
        o.request_id = request_id;
        o.error_body = (!status.is_success()).then(|| body.clone());
    });
    let rebuilt = rebuilt
        .body(body)
        .expect("status and headers come from a valid response");
    Ok(reqwest::Response::from(rebuilt))
}
