//! Sends one call: attempts with retries, each answer read whole (capped at
//! [`MAX_RESPONSE_BODY`]) inside the loop so that a connection cut mid-body
//! is retried too, and the last answer turned into the call's result.
//!
//! What the last attempt received (status, request id, body) is what the
//! result reports: nothing of an earlier attempt survives into it. The
//! same for every operation: only how a success body is read differs, and
//! that is a generic closure, not a `dyn`.

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::{
    ApiError, Error, Response, TransportErrorKind,
    request::{Call, Prepared},
    retry::{self, is_retryable_status, is_retryable_transport},
};

/// The most response body bytes the client reads; a larger answer is
/// [`Error::ResponseTooLarge`]. Real answers are under 2 KiB.
pub const MAX_RESPONSE_BODY: u64 = 1024 * 1024;

const REQUEST_ID: &str = "x-request-id";

/// One answer, read whole.
struct Answer {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    headers: HeaderMap,
    body: bytes::Bytes,
}

/// How one attempt failed before a whole answer was read.
enum Failure {
    /// No head, or the body was cut: status and request id when the head
    /// had arrived.
    Transport {
        status: Option<u16>,
        request_id: Option<String>,
        source: reqwest::Error,
    },
    /// The body (declared or counted) was longer than [`MAX_RESPONSE_BODY`].
    TooLarge {
        status: u16,
        request_id: Option<String>,
    },
}

impl Call<'_> {
    /// Sends the call (retries, signing, body cap) and reads a success on
    /// one of `statuses` as JSON of `T`.
    pub async fn send_json<T: serde::de::DeserializeOwned>(
        self,
        statuses: &[u16],
    ) -> Result<Response<T>, Error> {
        let call = self.prepare()?;
        send(&call, statuses, |body| {
            serde_json::from_slice::<T>(body).map_err(|e| e.to_string())
        })
        .await
    }

    /// Sends the call and reads a success on one of `statuses`, whose body
    /// (none is documented) is ignored.
    pub async fn send_empty(self, statuses: &[u16]) -> Result<Response<()>, Error> {
        let call = self.prepare()?;
        send(&call, statuses, |_| Ok(())).await
    }
}

/// Sends the call's attempts until one is final, and reads its result.
async fn send<T>(
    call: &Prepared<'_>,
    statuses: &[u16],
    read: impl FnOnce(&[u8]) -> Result<T, String>,
) -> Result<Response<T>, Error> {
    let state = call.state;
    let policy = state.retry;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let request = call.attempt()?;
        tracing::debug!(attempt, url = %request.url(), "sending");
        let result = exchange(&state.http, request).await;
        let (retryable, wait) = match &result {
            Ok(answer) => (is_retryable_status(answer.status), answer.retry_after),
            Err(Failure::Transport { source, .. }) => (is_retryable_transport(source), None),
            // The same request gets the same oversized answer.
            Err(Failure::TooLarge { .. }) => (false, None),
        };
        if !retryable || attempt >= policy.max_attempts() {
            return outcome(result, attempt, statuses, read);
        }
        let delay = policy.delay(attempt, wait);
        tracing::warn!(
            attempt,
            status = result.as_ref().ok().map(|a| a.status),
            error = match &result {
                Err(Failure::Transport { source, .. }) => Some(tracing::field::display(source)),
                _ => None,
            },
            ?delay,
            "retrying"
        );
        tokio::time::sleep(delay).await;
    }
}

/// One attempt: the head, then the whole body unless it is too large.
async fn exchange(http: &reqwest::Client, request: reqwest::Request) -> Result<Answer, Failure> {
    let mut response = http
        .execute(request)
        .await
        .map_err(|source| Failure::Transport {
            status: None,
            request_id: None,
            source,
        })?;
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    tracing::debug!(status, request_id, "response");
    if response
        .content_length()
        .is_some_and(|length| length > MAX_RESPONSE_BODY)
    {
        return Err(Failure::TooLarge { status, request_id });
    }
    let retry_after = retry::retry_after(response.headers());
    // Moved, not copied: the body is read without them.
    let headers = std::mem::take(response.headers_mut());
    // An answer usually comes in one chunk, kept as it is; more are joined.
    let mut body = bytes::Bytes::new();
    let mut joined: Option<bytes::BytesMut> = None;
    let mut length = 0u64;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(source) => {
                return Err(Failure::Transport {
                    status: Some(status),
                    request_id,
                    source,
                });
            }
        };
        length += chunk.len() as u64;
        if length > MAX_RESPONSE_BODY {
            return Err(Failure::TooLarge { status, request_id });
        }
        if body.is_empty() && joined.is_none() {
            body = chunk;
        } else {
            joined
                .get_or_insert_with(|| bytes::BytesMut::from(&body[..]))
                .extend_from_slice(&chunk);
        }
    }
    Ok(Answer {
        status,
        request_id,
        retry_after,
        headers,
        body: joined.map_or(body, bytes::BytesMut::freeze),
    })
}

/// The call's result from its last attempt, read as the spec documents it:
/// a documented success status with `read`, errors with the error body.
/// Error bodies are read from the raw bytes, so one that breaks the spec
/// (HTML from a proxy, a field over its limit) loses nothing.
fn outcome<T>(
    result: Result<Answer, Failure>,
    attempts: u32,
    statuses: &[u16],
    read: impl FnOnce(&[u8]) -> Result<T, String>,
) -> Result<Response<T>, Error> {
    let answer = match result {
        Ok(answer) => answer,
        Err(Failure::Transport {
            status,
            request_id,
            source,
        }) => {
            return Err(Error::Transport {
                kind: TransportErrorKind::of(&source),
                attempts,
                status,
                request_id,
                source,
            });
        }
        Err(Failure::TooLarge { status, request_id }) => {
            return Err(Error::ResponseTooLarge {
                status,
                request_id,
                limit: MAX_RESPONSE_BODY,
                attempts,
            });
        }
    };
    let Answer {
        status,
        request_id,
        headers,
        body,
        ..
    } = answer;
    if !(200..300).contains(&status) {
        let error = Box::new(ApiError::from_response(status, request_id, &body));
        return Err(Error::Api { error, attempts });
    }
    let invalid = |reason: String| Error::InvalidResponse {
        status,
        request_id: request_id.clone(),
        reason,
        body: String::from_utf8_lossy(&body).into_owned(),
        attempts,
    };
    if !statuses.contains(&status) {
        return Err(invalid(format!("status {status} is not documented")));
    }
    match read(&body) {
        Ok(inner) => Ok(Response {
            inner,
            status,
            request_id,
            attempts,
            headers,
        }),
        Err(reason) => Err(invalid(reason)),
    }
}
