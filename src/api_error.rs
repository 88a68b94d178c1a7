//! What the service answered when it refused a request: [`ApiError`], read
//! leniently from any body.

use std::fmt;

use crate::ErrorCode;

/// What the service answered when it refused a request.
///
/// Built from any body: the documented JSON error body, one that breaks the
/// documented limits, the field names other Huawei services use, or plain
/// text or HTML from a gateway. Nothing of the body is dropped: `body` keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The `X-Request-Id` response header, else the body's `request_id`.
    pub request_id: Option<String>,
    /// `error_code` of the body.
    pub code: Option<ErrorCode>,
    /// `error_msg` of the body, or the text of a body that is not JSON.
    pub message: Option<String>,
    /// `error_details` of the body.
    pub details: Option<String>,
    /// The response body as received (lossy UTF-8).
    pub body: String,
}

impl ApiError {
    /// Reads an error response leniently: the official SDK's fallbacks
    /// (`error_code`/`error_msg`, `errorCode`/`errorMsg`, `code`/`message`)
    /// and plain text are all understood.
    pub fn from_response(status: u16, header_request_id: Option<String>, body: &[u8]) -> Self {
        let body = String::from_utf8_lossy(body).into_owned();
        let json = serde_json::from_str::<serde_json::Value>(&body).ok();
        let field = |names: &[&str]| {
            let object = json.as_ref()?.as_object()?;
            names.iter().find_map(|name| match object.get(*name)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
        };
        let (code, message) = if json.as_ref().is_some_and(|v| v.is_object()) {
            let message = field(&["error_msg", "errorMsg", "message"]);
            (
                field(&["error_code", "errorCode", "code"])
                    .map(|c| ErrorCode::parse_with_message(&c, message.as_deref())),
                message,
            )
        } else {
            let text = body.trim();
            (None, (!text.is_empty()).then(|| text.to_owned()))
        };
        Self {
            status,
            request_id: header_request_id.or_else(|| field(&["request_id"])),
            code,
            message,
            details: field(&["error_details"]),
            body,
        }
    }

    /// Whether sending the same request again may succeed: 429 and every
    /// 5xx but 501.
    pub fn is_retryable(&self) -> bool {
        crate::retry::is_retryable_status(self.status)
    }

    /// Whether the credentials were refused: any 401, or an authentication
    /// code (EG's or the gateway's, a locked AK included) on any status.
    pub fn is_auth_failure(&self) -> bool {
        self.status == 401 || self.code.as_ref().is_some_and(ErrorCode::is_auth_failure)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        match &self.message {
            Some(message) => write!(f, ": {message}")?,
            None => f.write_str(": (no error message)")?,
        }
        if let Some(details) = &self.details {
            write!(f, " ({details})")?;
        }
        match &self.request_id {
            Some(id) => write!(f, " [request id {id}]"),
            None => f.write_str(" [no request id]"),
        }
    }
}

#[cfg(test)]
mod tests;
