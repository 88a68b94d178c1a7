//! The HTTP side: one route, the documented error bodies, `X-Request-Id` on
//! every response, and optional fault injection.

use std::{
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{
    Extension, Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, Path, Request, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::post,
};
use eg_client::types::{
    ErrorBody, OperateEventStreamingRequest, OperateEventStreamingResponse,
    ResumeEventStreamingEventstreamingId, ResumeEventStreamingProjectId,
    ResumeEventStreamingXAuthToken,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

use crate::{
    config::{EmulatorConfig, Faults},
    registry::Registry,
};

/// Requests larger than this are refused with 400: the real body is ~21 bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How far a signed request's `X-Sdk-Date` may be from the emulator's clock.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);
const ROUTE: &str = "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}";
const HOSTNAME: &str = "eg-emulator";

/// Shared state of a running emulator.
pub(crate) struct AppState {
    pub(crate) config: EmulatorConfig,
    pub(crate) registry: Registry,
    fault_rng: Option<Mutex<StdRng>>,
    /// Injected faults by kind, in the order of [`FaultCounts`]'s fields.
    pub(crate) fault_counts: [AtomicU64; 5],
}

impl AppState {
    pub(crate) fn new(config: EmulatorConfig) -> Self {
        let registry = Registry::default();
        for seed in &config.streams {
            registry.insert(&seed.project_id, &seed.id, seed.status);
        }
        let fault_rng = config
            .faults
            .map(|f| Mutex::new(StdRng::seed_from_u64(f.seed)));
        Self {
            config,
            registry,
            fault_rng,
            fault_counts: Default::default(),
        }
    }

    fn draw_fault(&self, faults: &Faults) -> Option<Fault> {
        let mut rng = self
            .fault_rng
            .as_ref()?
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if rng.random::<f64>() >= faults.rate {
            return None;
        }
        let kind = rng.random_range(0..5);
        self.fault_counts[kind].fetch_add(1, Ordering::Relaxed);
        Some(match kind {
            0 => Fault::Status(StatusCode::INTERNAL_SERVER_ERROR),
            1 => Fault::Status(StatusCode::SERVICE_UNAVAILABLE),
            2 => Fault::Status(StatusCode::TOO_MANY_REQUESTS),
            3 => Fault::Delay(faults.delay),
            _ => Fault::Cut,
        })
    }
}

/// How many faults of each kind were injected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Answered 500.
    pub status_500: u64,
    /// Answered 503.
    pub status_503: u64,
    /// Answered 429 with `Retry-After: 0`.
    pub status_429: u64,
    /// Answered normally after the configured delay.
    pub delayed: u64,
    /// Headers sent, then the connection cut mid-body.
    pub cut: u64,
}

impl FaultCounts {
    /// All injected faults.
    pub fn total(&self) -> u64 {
        self.status_500 + self.status_503 + self.status_429 + self.delayed + self.cut
    }
}

impl AppState {
    pub(crate) fn fault_counts(&self) -> FaultCounts {
        let [status_500, status_503, status_429, delayed, cut] = self
            .fault_counts
            .each_ref()
            .map(|c| c.load(Ordering::Relaxed));
        FaultCounts {
            status_500,
            status_503,
            status_429,
            delayed,
            cut,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Fault {
    Status(StatusCode),
    Delay(Duration),
    Cut,
}

/// The `X-Request-Id` of the request being served.
#[derive(Clone, Debug)]
pub(crate) struct RequestId(String);

/// The router serving the operate endpoint.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(ROUTE, post(operate))
        .fallback(unknown_route)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(request_id))
        .with_state(state)
}

/// Gives every request an id in the documented format
/// `request_uuid-timestamp-hostname` and echoes it in `X-Request-Id`.
async fn request_id(mut request: Request, next: Next) -> Response {
    let millis = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    let id = format!("{}-{millis}-{HOSTNAME}", uuid::Uuid::new_v4().simple());
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// A documented error answer.
pub(crate) struct Refusal {
    status: StatusCode,
    details: String,
}

impl Refusal {
    fn new(status: StatusCode, details: impl Into<String>) -> Self {
        Self {
            status,
            details: details.into(),
        }
    }
}

/// The error code and message for a status, as on the docs page where it
/// documents them (429 and 503 are the gateway's).
fn code_and_message(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("EG.00014000", "Bad request"),
        401 => ("EG.00014010", "Incorrect token or token resolution failed"),
        403 => ("EG.00014030", "No permissions to request this method"),
        404 => ("EG.00014040", "Not request resource found"),
        429 => ("EG.00014290", "Too many requests"),
        503 => ("EG.00015030", "Service unavailable"),
        _ => ("EG.00015000", "Internal Server Error"),
    }
}

/// Builds the error body with the spec's generated types, cutting each field
/// to its documented maximum so the emulator never breaks its own spec.
fn error_response(refusal: Refusal, request_id: &RequestId) -> Response {
    let (code, message) = code_and_message(refusal.status);
    let clip = |s: &str, max: usize| s.chars().take(max).collect::<String>();
    let body = ErrorBody {
        error_code: code.try_into().ok(),
        error_msg: message.try_into().ok(),
        error_details: clip(&refusal.details, 1024).try_into().ok(),
        request_id: clip(&request_id.0, 128).try_into().ok(),
    };
    tracing::info!(
        status = refusal.status.as_u16(),
        code,
        details = refusal.details,
        request_id = request_id.0,
        "refused"
    );
    (refusal.status, axum::Json(body)).into_response()
}

async fn unknown_route(
    Extension(request_id): Extension<RequestId>,
    method: Method,
    uri: Uri,
) -> Response {
    let refusal = Refusal::new(
        StatusCode::NOT_FOUND,
        format!("no API at {method} {}", uri.path()),
    );
    error_response(refusal, &request_id)
}

async fn operate(
    State(state): State<Arc<AppState>>,
    Extension(request_id): Extension<RequestId>,
    path: Result<Path<(String, String)>, PathRejection>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let fault = state
        .config
        .faults
        .as_ref()
        .and_then(|f| state.draw_fault(f));
    match fault {
        Some(Fault::Status(status)) => {
            let mut response = error_response(Refusal::new(status, "injected fault"), &request_id);
            if status == StatusCode::TOO_MANY_REQUESTS {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("0"));
            }
            return response;
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        _ => {}
    }
    let result = serve_operate(&state, path, &method, &uri, &headers, body);
    let response = match result {
        Ok(answer) => (StatusCode::OK, axum::Json(answer)).into_response(),
        Err(refusal) => error_response(refusal, &request_id),
    };
    match fault {
        Some(Fault::Cut) => cut_mid_body(response),
        _ => response,
    }
}

/// Sends the status line and headers, then breaks the body off, as a
/// connection that drops mid-response does.
fn cut_mid_body(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from_static("64"));
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(Bytes::from_static(b"{\"eventStrea")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "injected cut",
        )),
    ];
    Response::from_parts(parts, Body::from_stream(futures::stream::iter(chunks)))
}

fn serve_operate(
    state: &AppState,
    path: Result<Path<(String, String)>, PathRejection>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<OperateEventStreamingResponse, Refusal> {
    let bad = |details: String| Refusal::new(StatusCode::BAD_REQUEST, details);
    let body = body.map_err(|e| bad(format!("request body: {e}")))?;
    let Path((project, id)) = path.map_err(|e| bad(format!("path: {e}")))?;
    // The spec's generated types check the path parameters, as the client does.
    let project = ResumeEventStreamingProjectId::try_from(project)
        .map_err(|e| bad(format!("project_id: {e}")))?;
    let id = ResumeEventStreamingEventstreamingId::try_from(id)
        .map_err(|e| bad(format!("eventstreaming_id: {e}")))?;
    authorize(state, &project, method, uri, headers, &body)?;
    let request: OperateEventStreamingRequest =
        serde_json::from_slice(&body).map_err(|e| bad(format!("request body: {e}")))?;
    let status = state
        .registry
        .apply(&project, &id, request.operation)
        .ok_or_else(|| {
            Refusal::new(
                StatusCode::NOT_FOUND,
                format!(
                    "event streaming '{}' not found in project '{}'",
                    *id, *project
                ),
            )
        })?;
    tracing::info!(project = *project, id = *id, operation = %request.operation, %status, "operated");
    Ok(OperateEventStreamingResponse {
        event_streaming_id: Some(id.to_string()),
    })
}

/// Token or AK/SK, as Huawei's gateway accepts either.
fn authorize(
    state: &AppState,
    project: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), Refusal> {
    let unauthorized = |details: String| Refusal::new(StatusCode::UNAUTHORIZED, details);
    let forbidden = || {
        Refusal::new(
            StatusCode::FORBIDDEN,
            format!("not allowed to operate in project '{project}'"),
        )
    };
    if headers.contains_key(header::AUTHORIZATION) {
        let credentials = &state.config.credentials;
        let verified = eg_signer::verify(
            method,
            uri,
            headers,
            body,
            time::OffsetDateTime::now_utc(),
            MAX_CLOCK_SKEW,
            |ak| {
                credentials
                    .iter()
                    .find(|c| c.access_key == ak)
                    .map(|c| c.secret_key.clone())
            },
        )
        .map_err(|e| unauthorized(format!("signature: {e}")))?;
        let grant = credentials
            .iter()
            .find(|c| c.access_key == verified.access_key);
        return match grant {
            Some(g) if g.projects.is_empty() || g.projects.iter().any(|p| p == project) => Ok(()),
            _ => Err(forbidden()),
        };
    }
    let Some(token) = headers.get("x-auth-token") else {
        return Err(unauthorized(
            "neither X-Auth-Token nor Authorization was sent".into(),
        ));
    };
    let token = token
        .to_str()
        .map_err(|_| Refusal::new(StatusCode::BAD_REQUEST, "X-Auth-Token is not visible ASCII"))?;
    ResumeEventStreamingXAuthToken::try_from(token)
        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, format!("X-Auth-Token: {e}")))?;
    let grant = state.config.tokens.iter().find(|g| g.token == token);
    match grant {
        None => Err(unauthorized("unknown token".into())),
        Some(g) if g.projects.iter().any(|p| p == project) => Ok(()),
        Some(_) => Err(forbidden()),
    }
}
