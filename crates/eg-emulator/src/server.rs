//! The HTTP side: the spec's routes, each request through fault injection,
//! the gateway, the spec's checks and the service in turn.

use std::sync::Arc;

use axum::{
    Extension, Router,
    body::{Body, Bytes},
    extract::{Path, Request, State, rejection::PathRejection},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{MethodFilter, MethodRouter},
};
use eg_client::{
    ErrorCode,
    spec::{Binding, OperationSpec},
};
use futures::StreamExt;

use crate::{
    config::{EmulatorConfig, Limits},
    faults::{FaultInjector, FaultKind},
    gateway::{Gateway, GatewayError, MAX_BODY_BYTES, Refusal},
    registry::Registry,
    service::{self, ServiceError},
    validate::{self, PathParams},
};

const HOSTNAME: &str = "eg-emulator";

/// Shared state of a running emulator.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) gateway: Gateway,
    pub(crate) registry: Registry,
    pub(crate) faults: Option<FaultInjector>,
    pub(crate) limits: Limits,
    pub(crate) operations: &'static [OperationSpec],
}

impl AppState {
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        let registry = Registry::default();
        for seed in &config.streams {
            registry.insert(&seed.project_id, &seed.id, seed.status);
        }
        Self {
            gateway: Gateway::new(config),
            registry,
            faults: config.faults.map(FaultInjector::new),
            limits: config.limits,
            operations: config.operations,
        }
    }
}

/// The `X-Request-Id` of the request being served.
#[derive(Clone, Debug)]
pub(crate) struct RequestId(pub(crate) String);

/// A fresh id in the documented format `request_uuid-timestamp-hostname`.
pub(crate) fn new_request_id() -> String {
    let millis = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    format!("{}-{millis}-{HOSTNAME}", uuid::Uuid::new_v4().simple())
}

/// The router: one route per path template of the spec's operations, each
/// of its operations on its method. Paths in no operation are the
/// gateway's 404, other methods its 405.
///
/// axum refuses two templates that differ only in their parameters' names;
/// a generated spec table never has them.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let timeout = state.limits.request_timeout;
    let mut paths: Vec<(&'static str, Vec<&'static OperationSpec>)> = Vec::new();
    for operation in state.operations {
        match paths.iter_mut().find(|(path, _)| *path == operation.path) {
            Some((_, operations)) => operations.push(operation),
            None => paths.push((operation.path, vec![operation])),
        }
    }
    let mut router = Router::new();
    for (path, operations) in paths {
        let mut methods = MethodRouter::new();
        let mut allow = Vec::new();
        for operation in operations {
            let Some(filter) = Method::from_bytes(operation.method.as_bytes())
                .ok()
                .and_then(|method| MethodFilter::try_from(method).ok())
            else {
                tracing::warn!(
                    operation = operation.id,
                    method = operation.method,
                    "method not served"
                );
                continue;
            };
            allow.push(operation.method);
            methods = methods.on(
                filter,
                move |State(state): State<Arc<AppState>>,
                      Extension(id): Extension<RequestId>,
                      path: Result<Path<PathParams>, PathRejection>,
                      request: Request| async move {
                    handle(&state, operation, &id, path, request).await
                },
            );
        }
        let allow = HeaderValue::from_str(&allow.join(", ")).ok();
        methods = methods.fallback(move |Extension(id): Extension<RequestId>| async move {
            let mut response = GatewayError::method_not_allowed().into_response(&id.0);
            if let Some(allow) = allow {
                response.headers_mut().insert(header::ALLOW, allow);
            }
            response
        });
        router = router.route(path, methods);
    }
    router
        .fallback(unknown_route)
        .layer(middleware::from_fn_with_state(timeout, deadline))
        .layer(middleware::from_fn(request_id))
        .with_state(state)
}

/// Gives every request an id and echoes it in `X-Request-Id`.
async fn request_id(mut request: Request, next: Next) -> Response {
    let id = new_request_id();
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Answers 408 when a request, body included, takes longer than allowed.
async fn deadline(
    State(timeout): State<std::time::Duration>,
    Extension(id): Extension<RequestId>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => GatewayError::timeout().into_response(&id.0),
    }
}

async fn unknown_route(Extension(id): Extension<RequestId>) -> Response {
    GatewayError::not_found().into_response(&id.0)
}

/// One request of a spec operation: an injected fault, or the gateway and
/// the service.
async fn handle(
    state: &AppState,
    operation: &'static OperationSpec,
    id: &RequestId,
    path: Result<Path<PathParams>, PathRejection>,
    request: Request,
) -> Response {
    let fault = state.faults.as_ref().and_then(FaultInjector::draw);
    match fault {
        Some(FaultKind::Status500) => {
            return ServiceError::new(ErrorCode::InternalServerError, "injected fault")
                .into_response(&id.0);
        }
        Some(FaultKind::Status503) => {
            return ServiceError::new(ErrorCode::ServiceUnavailable, "injected fault")
                .into_response(&id.0);
        }
        Some(FaultKind::Status429) => {
            let mut response = GatewayError::throttled().into_response(&id.0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("0"));
            return response;
        }
        Some(FaultKind::Delayed) => {
            if let Some(faults) = &state.faults {
                tokio::time::sleep(faults.delay()).await;
            }
        }
        Some(FaultKind::Cut) | None => {}
    }
    let response = match serve(state, operation, path, request).await {
        Ok(answer) => (StatusCode::OK, axum::Json(answer)).into_response(),
        Err(Refusal::Gateway(error)) => error.into_response(&id.0),
        Err(Refusal::Service(error)) => error.into_response(&id.0),
    };
    match fault {
        Some(FaultKind::Cut) => cut_mid_body(response),
        _ => response,
    }
}

/// The gateway's checks in order (size, authentication, throttling), then
/// the spec's checks, then the operation if the emulator models it.
async fn serve(
    state: &AppState,
    operation: &'static OperationSpec,
    path: Result<Path<PathParams>, PathRejection>,
    request: Request,
) -> Result<serde_json::Value, Refusal> {
    let (parts, body) = request.into_parts();
    if declared_length(&parts.headers).is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        // Refused before a byte of the body is read.
        return Err(GatewayError::too_large().into());
    }
    let Path(path) = path.map_err(|e| ServiceError::bad_request(format!("path: {e}")))?;
    let body = read_body(body).await?;
    let token = operation
        .params
        .iter()
        .find(|param| param.binding == Some(Binding::AuthToken));
    let principal =
        state
            .gateway
            .authenticate(&parts.method, &parts.uri, &parts.headers, &body, token)?;
    let project = validate::bound(operation, &path, Binding::ProjectId).unwrap_or_default();
    // After authentication, as the gateway throttles the tenants it knows:
    // strangers neither spend a project's quota nor grow the buckets.
    state.gateway.throttle(project)?;
    validate::params(operation, &path, &parts.uri, &parts.headers)?;
    let body = validate::body(operation, &body)?;
    let answer = match operation.id {
        "ResumeEventStreaming" => {
            let stream = validate::path_param(&path, "eventstreaming_id").unwrap_or_default();
            service::operate(&state.registry, principal, project, stream, body.as_ref())?
        }
        _ => return Err(service::not_modelled(operation).into()),
    };
    Ok(answer)
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Reads the body up to [`MAX_BODY_BYTES`]; a longer (chunked) one is 413.
async fn read_body(body: Body) -> Result<Bytes, Refusal> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ServiceError::bad_request(format!("request body: {e}")))?;
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(GatewayError::too_large().into());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(bytes))
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
