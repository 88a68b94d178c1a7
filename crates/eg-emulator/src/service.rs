//! EG itself, behind the gateway: checks the request against the spec,
//! decides whether the caller may operate in the project, and applies the
//! operation. Its refusals carry EG's documented bodies
//! (`error_code`, `error_msg`, `error_details`, `request_id`).

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use eg_client::{
    ErrorCode, Operation,
    types::{EventStreamingId, OperateEventStreamingResponse, ProjectId},
};
use serde_json::Value;

use crate::{
    config::{CredentialGrant, TokenGrant},
    error_body::error_body,
    registry::Registry,
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

/// Serves one authenticated operate request.
pub(crate) fn operate(
    registry: &Registry,
    principal: Principal<'_>,
    project: String,
    id: String,
    body: &[u8],
) -> Result<OperateEventStreamingResponse, ServiceError> {
    // The spec's generated types check the path parameters, as the client does.
    let project = ProjectId::try_from(project)
        .map_err(|e| ServiceError::bad_request(format!("project_id: {e}")))?;
    let id = EventStreamingId::try_from(id)
        .map_err(|e| ServiceError::bad_request(format!("eventstreaming_id: {e}")))?;
    if !principal.allows(&project) {
        return Err(ServiceError::new(
            ErrorCode::Forbidden,
            format!("not allowed to operate in project '{}'", *project),
        ));
    }
    let operation = read_operation(body).map_err(ServiceError::bad_request)?;
    let status = registry.apply(&project, &id, operation).ok_or_else(|| {
        ServiceError::new(
            ErrorCode::NotFound,
            format!(
                "event streaming '{}' not found in project '{}'",
                *id, *project
            ),
        )
    })?;
    tracing::info!(project = *project, id = *id, %operation, %status, "operated");
    Ok(OperateEventStreamingResponse {
        event_streaming_id: Some(id.to_string()),
    })
}

/// Checks the body against the spec's `OperateEventStreamingRequest`: a
/// JSON object whose required `operation` is one of the enum's strings
/// (other members are allowed, as the schema does not forbid them). serde
/// alone would also read `["START"]` as the struct.
fn read_operation(body: &[u8]) -> Result<Operation, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("request body: {e}"))?;
    let Value::Object(members) = &value else {
        return Err(format!(
            "request body: expected a JSON object, got {}",
            json_type(&value)
        ));
    };
    match members.get("operation") {
        None => Err("request body: missing field `operation`".to_owned()),
        Some(Value::String(operation)) => operation.parse().map_err(|_| {
            format!("request body: unknown operation `{operation}`, expected `START` or `PAUSE`")
        }),
        Some(other) => Err(format!(
            "request body: `operation` must be a string, got {}",
            json_type(other)
        )),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_object_with_a_valid_operation_is_read() {
        let read = |body: &str| read_operation(body.as_bytes());
        assert_eq!(read(r#"{"operation":"START"}"#), Ok(Operation::Start));
        assert_eq!(
            read(r#"{"operation":"PAUSE","note":1}"#),
            Ok(Operation::Pause)
        );
        assert_eq!(
            read(r#"["START"]"#),
            Err("request body: expected a JSON object, got an array".to_owned())
        );
        assert_eq!(
            read(r#""START""#),
            Err("request body: expected a JSON object, got a string".to_owned())
        );
        assert_eq!(
            read("null"),
            Err("request body: expected a JSON object, got null".to_owned())
        );
        assert_eq!(
            read(r#"{"operation":["START"]}"#),
            Err("request body: `operation` must be a string, got an array".to_owned())
        );
        assert_eq!(
            read(r#"{"operation":"start"}"#),
            Err("request body: unknown operation `start`, expected `START` or `PAUSE`".to_owned())
        );
        assert_eq!(
            read(r#"{"Operation":"START"}"#),
            Err("request body: missing field `operation`".to_owned())
        );
    }
}
