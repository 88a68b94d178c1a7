//! The one error type of the client.

use std::fmt;

/// An EG error code. The codes of the docs page's examples are typed; any
/// other code the service sends is kept as [`ErrorCode::Other`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `EG.00014000`: bad request (400).
    BadRequest,
    /// `EG.00014010`: incorrect token or token resolution failed (401).
    Unauthorized,
    /// `EG.00014030`: no permission to request this method (403).
    Forbidden,
    /// `EG.00014040`: the resource was not found (404).
    NotFound,
    /// `EG.00015000`: internal server error (500).
    InternalServerError,
    /// A code the docs page does not list, kept as sent.
    Other(String),
}

impl ErrorCode {
    /// The documented codes, in the order of the docs page's examples.
    pub const DOCUMENTED: [ErrorCode; 5] = [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::InternalServerError,
    ];

    /// Parses a code as sent by the service.
    pub fn parse(code: &str) -> Self {
        match code {
            "EG.00014000" => Self::BadRequest,
            "EG.00014010" => Self::Unauthorized,
            "EG.00014030" => Self::Forbidden,
            "EG.00014040" => Self::NotFound,
            "EG.00015000" => Self::InternalServerError,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The code as the service writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::BadRequest => "EG.00014000",
            Self::Unauthorized => "EG.00014010",
            Self::Forbidden => "EG.00014030",
            Self::NotFound => "EG.00014040",
            Self::InternalServerError => "EG.00015000",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the service answered when it refused a request.
///
/// Built from any body: the documented JSON error body, one that breaks the
/// documented limits, the field names other Huawei services use, or plain
/// text or HTML from a gateway. Nothing of the body is dropped: `body` keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
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
            (
                field(&["error_code", "errorCode", "code"]).map(|c| ErrorCode::parse(&c)),
                field(&["error_msg", "errorMsg", "message"]),
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
        is_retryable_status(self.status)
    }
}

/// The statuses that a retry may cure.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501
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

/// Everything that can go wrong when building the client or operating a stream.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument breaks the spec; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidArgument {
        /// The spec's name of the argument, e.g. `X-Auth-Token`.
        field: &'static str,
        /// What is wrong, with the limit.
        reason: String,
    },
    /// The client configuration is unusable: no endpoint, unknown region,
    /// missing or incomplete credentials.
    #[error("configuration: {0}")]
    Config(String),
    /// The request could not be signed.
    #[error("cannot sign the request: {0}")]
    Signing(String),
    /// No response: connection refused or reset, TLS failure, timeout.
    #[error("{kind} error after {attempts} attempt(s): {source}")]
    Transport {
        /// `timeout`, `connect` or `request`.
        kind: &'static str,
        /// How many times the request was sent.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The service answered with an error status.
    #[error("{error} after {attempts} attempt(s)")]
    Api {
        /// The parsed answer (boxed: it is large, and errors travel in `Result`s).
        error: Box<ApiError>,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A success status whose body is not what the spec describes.
    #[error("HTTP {status}: unexpected response body ({reason}) [request id {}]", request_id.as_deref().unwrap_or("none"))]
    InvalidResponse {
        /// HTTP status code.
        status: u16,
        /// The `X-Request-Id` response header.
        request_id: Option<String>,
        /// Why the body was refused.
        reason: String,
        /// The body as received (lossy UTF-8).
        body: String,
    },
}

impl Error {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { error, .. } => Some(error.status),
            Error::InvalidResponse { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The request id, when there was a response that carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => error.request_id.as_deref(),
            Error::InvalidResponse { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The EG error code, when the service sent one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api { error, .. } => error.code.as_ref(),
            _ => None,
        }
    }

    /// The service's error message, when it sent one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => error.message.as_deref(),
            _ => None,
        }
    }

    /// Whether the same call may succeed if made again: connection errors,
    /// timeouts, 429 and 5xx but 501. Never for invalid arguments or 4xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => is_retryable_transport(source),
            Error::Api { error, .. } => error.is_retryable(),
            _ => false,
        }
    }
}

/// A transport error worth retrying: no answer came back at all.
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    error.is_timeout() || error.is_connect() || error.is_request() || error.is_body()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_round_trip() {
        for code in ErrorCode::DOCUMENTED {
            assert_eq!(ErrorCode::parse(code.as_str()), code);
        }
        assert_eq!(
            ErrorCode::parse("EG.0001"),
            ErrorCode::Other("EG.0001".into())
        );
    }

    #[test]
    fn reads_documented_body() {
        let e = ApiError::from_response(
            404,
            Some("hdr-id".into()),
            br#"{"error_code":"EG.00014040","error_msg":"Not request resource found","request_id":"body-id"}"#,
        );
        assert_eq!(e.code, Some(ErrorCode::NotFound));
        assert_eq!(e.message.as_deref(), Some("Not request resource found"));
        assert_eq!(e.request_id.as_deref(), Some("hdr-id"));
        assert_eq!(
            e.to_string(),
            "HTTP 404 EG.00014040: Not request resource found [request id hdr-id]"
        );
    }

    #[test]
    fn falls_back_to_body_request_id_and_other_field_names() {
        let e = ApiError::from_response(
            403,
            None,
            br#"{"errorCode":"APIGW.0101","errorMsg":"denied","request_id":"b"}"#,
        );
        assert_eq!(e.code, Some(ErrorCode::Other("APIGW.0101".into())));
        assert_eq!(e.message.as_deref(), Some("denied"));
        assert_eq!(e.request_id.as_deref(), Some("b"));
        let e = ApiError::from_response(400, None, br#"{"code":7,"message":"m"}"#);
        assert_eq!(e.code, Some(ErrorCode::Other("7".into())));
    }

    #[test]
    fn keeps_plain_text_bodies() {
        let e = ApiError::from_response(502, Some("r".into()), b"<html>Bad Gateway</html>\n");
        assert_eq!(e.code, None);
        assert_eq!(e.message.as_deref(), Some("<html>Bad Gateway</html>"));
        assert_eq!(e.body, "<html>Bad Gateway</html>\n");
        assert!(e.is_retryable());
        let e = ApiError::from_response(501, None, b"");
        assert_eq!(e.message, None);
        assert!(!e.is_retryable());
        assert_eq!(
            e.to_string(),
            "HTTP 501: (no error message) [no request id]"
        );
    }

    #[test]
    fn retryable_statuses() {
        let retryable: Vec<u16> = (400..600).filter(|s| is_retryable_status(*s)).collect();
        let mut expected = vec![429];
        expected.extend((500..600).filter(|s| *s != 501));
        assert_eq!(retryable, expected);
    }
}
