//! Progenitor's `ClientHooks` for the generated client: where the request
//! gets its exact path, its authentication and its retries.
//!
//! The generated client is made afresh for each call (it is two pointers),
//! with a [`CallContext`] that records what the wire said, so that errors
//! keep status, request id and raw body even when the body breaks the spec.

use std::sync::{Arc, Mutex, PoisonError};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::{
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

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl CallContext {
    pub(crate) fn new(shared: Arc<Shared>, path: String) -> Self {
        Self {
            shared,
            path,
            outcome: Arc::default(),
        }
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
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let context = self.inner();
        let policy = context.shared.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            context.record(|o| o.attempts = attempt);
            // A JSON body is always bytes, so cloning only fails for streams,
            // which this operation never sends: then there is one attempt.
            let retry_copy = (attempt < policy.max_attempts)
                .then(|| request.try_clone())
                .flatten();
            let this_try = match retry_copy {
                Some(copy) => copy,
                None => return self.send_last(request, attempt).await,
            };
            let result = self.client().execute(this_try).await;
            let (retryable, wait) = match &result {
                Ok(response) => (
                    is_retryable_status(response.status().as_u16()),
                    retry::retry_after(response.headers()),
                ),
                Err(error) => (is_retryable_transport(error), None),
            };
            if !retryable {
                return buffer_errors(context, result).await;
            }
            let delay = policy.delay(attempt, wait);
            tracing::warn!(
                attempt,
                status = result.as_ref().ok().map(|r| r.status().as_u16()),
                error = result.as_ref().err().map(tracing::field::display),
                ?delay,
                "retrying"
            );
            drop(result);
            tokio::time::sleep(delay).await;
        }
    }
}

impl Generated {
    async fn send_last(
        &self,
        request: reqwest::Request,
        attempt: u32,
    ) -> reqwest::Result<reqwest::Response> {
        tracing::debug!(attempt, url = %request.url(), "sending");
        let result = self.client().execute(request).await;
        buffer_errors(self.inner(), result).await
    }
}

/// Records status and request id; an error response's body is read here, so
/// that it survives a body the generated parser refuses.
async fn buffer_errors(
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
    context.record(|o| {
        o.status = Some(status.as_u16());
        o.request_id = request_id;
    });
    if status.is_success() {
        return Ok(response);
    }
    let mut rebuilt = http::Response::builder().status(status);
    if let Some(headers) = rebuilt.headers_mut() {
        *headers = response.headers().clone();
    }
    let body = response.bytes().await?;
    context.record(|o| o.error_body = Some(body.clone()));
    let rebuilt = rebuilt
        .body(body)
        .expect("status and headers come from a valid response");
    Ok(reqwest::Response::from(rebuilt))
}
