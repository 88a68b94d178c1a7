//! EG itself, behind the gateway: whether the caller may operate in the
//! project, then what the operation does to the stream. Its refusals carry EG's documented bodies
//! (`error_code`, `error_msg`, `error_details`, `request_id`).

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use eg_client::{ErrorCode, spec::OperationSpec, types::OperateEventStreamingResponse};
use serde_json::Value;

use crate::{
    config::{CredentialGrant, TokenGrant},
    error_body::error_body,
    registry::{Registry, StreamStatus},
};

/// Who the gateway authenticated a request as: what EG needs to decide
/// whether the caller may operate in a project.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Principal<'a> {
    Token(&'a TokenGrant),
    Key(&'a CredentialGrant),
}

impl Principal<'_> {
    /// Whether it may operate in `project`; EG, not the gateway, decides.
    pub(crate) fn allows(&self, project: &str) -> bool {
        match self {
            Self::Token(grant) => grant.projects.iter().any(|p| p == project),
            Self::Key(grant) => {
                grant.projects.is_empty() || grant.projects.iter().any(|p| p == project)
            }
        }
    }
}

/// An EG error answer: the code gives the status and the documented
/// message, `details` says what exactly was wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ServiceError {
    pub(crate) code: ErrorCode,
    pub(crate) details: String,
}

impl ServiceError {
    pub(crate) fn new(code: ErrorCode, details: impl Into<String>) -> Self {
        Self {
            code,
            details: details.into(),
        }
    }

    pub(crate) fn bad_request(details: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadRequest, details)
    }

    pub(crate) fn status(&self) -> StatusCode {
        self.code
            .status()
            .and_then(|status| StatusCode::from_u16(status).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// Builds the body with the spec's generated types.
    pub(crate) fn into_response(self, request_id: &str) -> Response {
        let status = self.status();
        let message = self.code.message().unwrap_or_default();
        let body = error_body(&self.code, message, Some(&self.details), request_id);
        tracing::info!(
            status = status.as_u16(),
            code = %self.code,
            details = self.details,
            request_id,
            "refused"
        );
        (status, axum::Json(body)).into_response()
    }
}

/// The answer of an operation the spec has and the emulator does not
/// model: 501, naming it.
pub(crate) fn not_modelled(operation: &OperationSpec) -> ServiceError {
    ServiceError::new(
        ErrorCode::NotImplemented,
        format!(
            "{} ({} {}) is in the spec, but the emulator does not model it",
            operation.id, operation.method, operation.path
        ),
    )
}

/// Serves one authenticated, spec-checked operate request
/// (`ResumeEventStreaming`).
pub(crate) fn operate(
    registry: &Registry,
    principal: Principal<'_>,
    project: &str,
    id: &str,
    body: Option<&Value>,
) -> Result<Value, ServiceError> {
    if !principal.allows(project) {
        return Err(ServiceError::new(
            ErrorCode::Forbidden,
            format!("not allowed to operate in project '{project}'"),
        ));
    }
    // The spec checked the body; an operation it does not require is
    // still refused cleanly.
    let operation = body
        .and_then(|body| body.get("operation"))
        .and_then(Value::as_str)
        .ok_or_else(|| ServiceError::bad_request("request body: `operation` is required"))?;
    // By the value's string, never a match on the generated enum: a new
    // value in the spec is a 501 here, not a build failure.
    let status = StreamStatus::after(operation).ok_or_else(|| {
        ServiceError::new(
            ErrorCode::NotImplemented,
            format!(
                "operation `{operation}` is in the spec, but the emulator does not model what it does to a stream"
            ),
        )
    })?;
    registry.apply(project, id, status).ok_or_else(|| {
        ServiceError::new(
            ErrorCode::NotFound,
            format!("event streaming '{id}' not found in project '{project}'"),
        )
    })?;
    tracing::info!(project, id, operation, %status, "operated");
    let answer = OperateEventStreamingResponse::builder()
        .event_streaming_id(Some(id.to_owned()))
        .try_into()
        .and_then(|answer: OperateEventStreamingResponse| {
            serde_json::to_value(answer).map_err(|e| e.to_string().into())
        })
        .map_err(|e| ServiceError::new(ErrorCode::InternalServerError, format!("answer: {e}")))?;
    Ok(answer)
}
