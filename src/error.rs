//! The one error type of the client.

use std::fmt;

/// An error code of EG or of the API gateway in front of it. The codes of
/// the docs page's examples and the gateway's documented codes are typed;
/// any other code is kept as [`ErrorCode::Other`].
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
    /// `APIGW.0301`: the API gateway refused the credentials (401): a
    /// signature that does not match, an unknown AK, a token it cannot parse.
    GatewayAuthFailed,
    /// `APIGW.0301` with the lockout message: the AK/SK pair failed
    /// authentication too often in a row and is locked for a while (401).
    /// Every request with it is refused until then, even a correctly signed one.
    AkLocked,
    /// `APIGW.0308`: the gateway's throttling threshold was reached (429).
    Throttled,
    /// `APIG.0201`: the gateway refused the request body as too large (413).
    EntityTooLarge,
    /// `APIG.0101`: the gateway knows no such API (404).
    ApiNotFound,
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

    /// The API gateway's codes that [`ErrorCode::parse`] recognises by the
    /// code alone ([`ErrorCode::AkLocked`] needs the message too).
    pub const GATEWAY: [ErrorCode; 4] = [
        ErrorCode::GatewayAuthFailed,
        ErrorCode::Throttled,
        ErrorCode::EntityTooLarge,
        ErrorCode::ApiNotFound,
    ];

    /// Parses a code as sent by the service or the gateway.
    pub fn parse(code: &str) -> Self {
        match code {
            GATEWAY_AUTH => Self::GatewayAuthFailed,
            "APIGW.0308" => Self::Throttled,
            "APIG.0201" => Self::EntityTooLarge,
            "APIG.0101" => Self::ApiNotFound,
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
            Self::GatewayAuthFailed | Self::AkLocked => GATEWAY_AUTH,
            Self::Throttled => "APIGW.0308",
            Self::EntityTooLarge => "APIG.0201",
            Self::ApiNotFound => "APIG.0101",
            Self::Other(code) => code,
        }
    }
}

/// The gateway's authentication code; its message tells a lockout apart.
const GATEWAY_AUTH: &str = "APIGW.0301";

/// The words of the gateway's message for a locked AK ("Incorrect IAM
/// authentication information: AK access failed to reach the limit,forbidden.").
const AK_LOCKED_MESSAGE: &str = "AK access failed to reach the limit";

impl ErrorCode {
    /// Parses a code together with its message: the gateway sends the same
    /// code for a bad signature and for a locked AK, and only the message
    /// tells them apart.
    pub fn parse_with_message(code: &str, message: Option<&str>) -> Self {
        match Self::parse(code) {
            Self::GatewayAuthFailed if message.is_some_and(|m| m.contains(AK_LOCKED_MESSAGE)) => {
                Self::AkLocked
            }
            parsed => parsed,
        }
    }

    /// Whether the code says the credentials were refused (EG's
    /// `EG.00014010`, the gateway's `APIGW.0301`, a locked AK).
    pub fn is_auth_failure(&self) -> bool {
        matches!(
            self,
            Self::Unauthorized | Self::GatewayAuthFailed | Self::AkLocked
        )
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
        is_retryable_status(self.status)
    }

    /// Whether the credentials were refused: any 401, or an authentication
    /// code (EG's or the gateway's, a locked AK included) on any status.
    pub fn is_auth_failure(&self) -> bool {
        self.status == 401 || self.code.as_ref().is_some_and(ErrorCode::is_auth_failure)
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
///
/// `Display` names every cause once, down to the last one (`connection
/// refused`), so [`std::error::Error::source`] returns nothing: a printer
/// that walks the chain would otherwise repeat it. The causes stay
/// reachable as fields (`Error::Transport::source`, `Error::Config`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An argument breaks the spec, or makes a request no HTTP stack can
    /// send; nothing was sent.
    InvalidArgument {
        /// The spec's name of the argument, e.g. `X-Auth-Token`.
        field: &'static str,
        /// What is wrong, with the limit.
        reason: String,
    },
    /// The client configuration is unusable: no endpoint, unknown region,
    /// missing or incomplete credentials.
    Config(ConfigError),
    /// The request could not be signed.
    Signing(String),
    /// No complete response: connection refused or reset, TLS failure,
    /// timeout, a body cut off mid-way.
    Transport {
        /// What failed.
        kind: TransportErrorKind,
        /// How many times the request was sent.
        attempts: u32,
        /// The status of the last attempt, when its head arrived before
        /// the failure (a body cut mid-way).
        status: Option<u16>,
        /// The `X-Request-Id` of the last attempt, when its head arrived.
        request_id: Option<String>,
        /// The underlying error, whose whole chain `Display` prints.
        source: reqwest::Error,
    },
    /// The service answered with an error status.
    Api {
        /// The parsed answer (boxed: it is large, and errors travel in `Result`s).
        error: Box<ApiError>,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// A success status whose body is not what the spec describes.
    InvalidResponse {
        /// HTTP status code.
        status: u16,
        /// The `X-Request-Id` response header.
        request_id: Option<String>,
        /// Why the body was refused.
        reason: String,
        /// The body as received (lossy UTF-8).
        body: String,
        /// How many times the request was sent.
        attempts: u32,
    },
    /// The response body is longer than any answer of this API can be
    /// (they are under 2 KiB); it was not read further. Never retried.
    ResponseTooLarge {
        /// HTTP status code.
        status: u16,
        /// The `X-Request-Id` response header.
        request_id: Option<String>,
        /// The cap, in bytes: [`MAX_RESPONSE_BODY`].
        limit: u64,
        /// How many times the request was sent.
        attempts: u32,
    },
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Self::Config(error)
    }
}

impl std::error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = |id: &Option<String>| id.clone().unwrap_or_else(|| "none".to_owned());
        match self {
            Self::InvalidArgument { field, reason } => write!(f, "invalid {field}: {reason}"),
            Self::Config(error) => write!(f, "configuration: {}", Chain(error)),
            Self::Signing(reason) => write!(f, "cannot sign the request: {reason}"),
            Self::Transport {
                kind,
                attempts,
                source,
                ..
            } => write!(
                f,
                "{kind} error after {attempts} attempt(s): {}",
                Chain(source)
            ),
            Self::Api { error, attempts } => write!(f, "{error} after {attempts} attempt(s)"),
            Self::InvalidResponse {
                status,
                request_id,
                reason,
                ..
            } => write!(
                f,
                "HTTP {status}: unexpected response body ({reason}) [request id {}]",
                id(request_id)
            ),
            Self::ResponseTooLarge {
                status,
                request_id,
                limit,
                attempts,
            } => write!(
                f,
                "HTTP {status}: response body exceeds the limit of {limit} bytes [request id {}] after {attempts} attempt(s)",
                id(request_id)
            ),
        }
    }
}

/// An error and its sources, `: `-separated, a message that merely repeats
/// the one before it (as `io::Error` wrappers do) left out.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = self.0.to_string();
        f.write_str(&last)?;
        let mut cause = self.0.source();
        while let Some(inner) = cause {
            let text = inner.to_string();
            if !last.ends_with(&text) {
                write!(f, ": {text}")?;
            }
            last = text;
            cause = inner.source();
        }
        Ok(())
    }
}

/// The most response body bytes the client reads; a larger answer is
/// [`Error::ResponseTooLarge`]. Real answers are under 2 KiB.
pub const MAX_RESPONSE_BODY: u64 = 1024 * 1024;

/// What kind of transport failure an [`Error::Transport`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The attempt ran out of time (connect or whole-request timeout).
    Timeout,
    /// No connection: refused, unreachable, DNS, TLS handshake (an
    /// untrusted certificate included).
    Connect,
    /// The connection failed while sending or receiving, e.g. a body cut
    /// off mid-way.
    Request,
}

impl TransportErrorKind {
    /// The kind as one lower-case word: `timeout`, `connect`, `request`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Connect => "connect",
            Self::Request => "request",
        }
    }

    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else if error.is_connect() {
            Self::Connect
        } else {
            Self::Request
        }
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a client cannot be built. `Display` names what is missing or wrong
/// and where it was looked for.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Neither an endpoint nor a region was given.
    #[error("no endpoint and no region given")]
    NoEndpoint,
    /// The region is not in [`crate::region::REGIONS`] and its endpoint
    /// override variable is not set.
    #[error("unknown region '{region}' (known: {}; or set {override_var})", known.join(", "))]
    UnknownRegion {
        /// The region asked for.
        region: String,
        /// The regions of the built-in table.
        known: Vec<&'static str>,
        /// The variable that would give its endpoint.
        override_var: String,
    },
    /// The endpoint is not an `http(s)://host[:port]` URL.
    #[error("endpoint '{endpoint}' {reason}")]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No credentials were given, and the chain found none.
    #[error(
        "no credentials given: pass them, set {} and {}, or write ak and sk under [basic] in ~/.huaweicloud/credentials",
        crate::credentials::vars::AK,
        crate::credentials::vars::SK
    )]
    NoCredentials,
    /// No project id was given, and the chain found none.
    #[error("no project id given (nor {})", crate::credentials::vars::PROJECT_ID)]
    NoProjectId,
    /// A source of the chain has one half of a key pair.
    #[error("{present} is set but {missing} is missing in {source_name}")]
    IncompleteCredentials {
        /// Where: `the environment`, or `<profile file> [basic]`.
        source_name: String,
        /// The variable or key that is set.
        present: String,
        /// The variable or key that is missing.
        missing: String,
    },
    /// The profile file exists (or was named) but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    UnreadableProfile {
        /// The profile file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The profile file is not an INI file.
    #[error("{} is not an INI file: {reason}", path.display())]
    InvalidProfile {
        /// The profile file.
        path: std::path::PathBuf,
        /// The parser's message, with the line.
        reason: String,
    },
    /// A root certificate given to the builder is not usable PEM.
    #[error("root certificate {index}: {reason}")]
    InvalidRootCertificate {
        /// Its position among the certificates given, from 1.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The user agent suffix cannot be sent in a header.
    #[error("user agent suffix {0:?} must be printable ASCII")]
    InvalidUserAgent(String),
    /// The HTTP stack refused the configuration.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
}

impl Error {
    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { error, .. } => Some(error.status),
            Error::InvalidResponse { status, .. } | Error::ResponseTooLarge { status, .. } => {
                Some(*status)
            }
            Error::Transport { status, source, .. } => {
                status.or_else(|| source.status().map(|s| s.as_u16()))
            }
            _ => None,
        }
    }

    /// The request id, when there was a response that carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => error.request_id.as_deref(),
            Error::InvalidResponse { request_id, .. }
            | Error::ResponseTooLarge { request_id, .. }
            | Error::Transport { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// How many times the request was sent, for every error that follows a
    /// send; `None` when nothing was sent.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Api { attempts, .. }
            | Error::Transport { attempts, .. }
            | Error::InvalidResponse { attempts, .. }
            | Error::ResponseTooLarge { attempts, .. } => Some(*attempts),
            Error::InvalidArgument { .. } | Error::Config(_) | Error::Signing(_) => None,
        }
    }

    /// The EG or gateway error code, when the answer carried one.
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

    /// Whether the credentials were refused (401, or an authentication code
    /// of EG or the gateway, a locked AK included). Sending more requests
    /// with the same credentials will fail too, and with an AK/SK pair,
    /// repeated failures lock the key at the gateway: callers should stop.
    pub fn is_auth_failure(&self) -> bool {
        match self {
            Error::Api { error, .. } => error.is_auth_failure(),
            _ => false,
        }
    }

    /// Whether the same call may succeed if made again: connection errors,
    /// timeouts, 429 and 5xx but 501. Never for invalid arguments, 4xx or
    /// a certificate the client does not trust.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { source, .. } => is_retryable_transport(source),
            Error::Api { error, .. } => error.is_retryable(),
            _ => false,
        }
    }
}

/// A transport error worth retrying: no answer came back at all, and not
/// because the server's certificate was refused (that fails the same way
/// every time).
pub(crate) fn is_retryable_transport(error: &reqwest::Error) -> bool {
    (error.is_timeout() || error.is_connect() || error.is_request() || error.is_body())
        && !is_certificate_error(error)
}

/// Whether a TLS certificate check failed anywhere in the error's chain.
fn is_certificate_error(error: &reqwest::Error) -> bool {
    chain_has_certificate_error(error)
}

/// rustls' error sits inside `io::Error`s (hyper nests two), whose
/// `source()` skips the error they wrap: each one is opened with `get_ref`.
fn chain_has_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    use rustls::AlertDescription as Alert;
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return matches!(
            tls,
            rustls::Error::InvalidCertificate(_)
                | rustls::Error::NoCertificatesPresented
                | rustls::Error::InvalidCertRevocationList(_)
                | rustls::Error::AlertReceived(
                    Alert::BadCertificate
                        | Alert::UnknownCA
                        | Alert::CertificateExpired
                        | Alert::CertificateRevoked
                        | Alert::CertificateUnknown
                        | Alert::UnsupportedCertificate
                )
        );
    }
    let wrapped = error
        .downcast_ref::<std::io::Error>()
        .and_then(std::io::Error::get_ref);
    if let Some(inner) = wrapped
        && chain_has_certificate_error(inner)
    {
        return true;
    }
    error.source().is_some_and(chain_has_certificate_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_round_trip() {
        for code in ErrorCode::DOCUMENTED {
            assert_eq!(ErrorCode::parse(code.as_str()), code);
        }
        for code in ErrorCode::GATEWAY {
            assert_eq!(ErrorCode::parse(code.as_str()), code);
        }
        assert_eq!(
            ErrorCode::parse("EG.0001"),
            ErrorCode::Other("EG.0001".into())
        );
        assert_eq!(
            ErrorCode::parse("APIG.0301"),
            ErrorCode::Other("APIG.0301".into())
        );
    }

    #[test]
    fn reads_the_gateway_codes() {
        let gateway = |status: u16, code: &str, msg: &str| {
            let body = serde_json::json!({"error_code": code, "error_msg": msg, "request_id": "g"});
            ApiError::from_response(status, None, body.to_string().as_bytes())
        };
        let e = gateway(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: verify aksk signature fail",
        );
        assert_eq!(e.code, Some(ErrorCode::GatewayAuthFailed));
        assert!(e.is_auth_failure());
        assert!(!e.is_retryable());
        assert_eq!(
            e.to_string(),
            "HTTP 401 APIGW.0301: Incorrect IAM authentication information: verify aksk signature fail [request id g]"
        );
        let e = gateway(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.",
        );
        assert_eq!(e.code, Some(ErrorCode::AkLocked));
        assert_eq!(e.code.as_ref().map(ErrorCode::as_str), Some("APIGW.0301"));
        assert!(e.is_auth_failure());
        let e = gateway(
            429,
            "APIGW.0308",
            "The throttling threshold has been reached",
        );
        assert_eq!(e.code, Some(ErrorCode::Throttled));
        assert_eq!((e.is_retryable(), e.is_auth_failure()), (true, false));
        let e = gateway(413, "APIG.0201", "Request entity too large");
        assert_eq!(e.code, Some(ErrorCode::EntityTooLarge));
        assert_eq!((e.is_retryable(), e.is_auth_failure()), (false, false));
        let e = gateway(
            404,
            "APIG.0101",
            "The API does not exist or has not been published in the environment",
        );
        assert_eq!(e.code, Some(ErrorCode::ApiNotFound));
        assert_eq!((e.is_retryable(), e.is_auth_failure()), (false, false));
        let e = gateway(
            401,
            "EG.00014010",
            "Incorrect token or token resolution failed",
        );
        assert_eq!(e.code, Some(ErrorCode::Unauthorized));
        assert!(e.is_auth_failure());
        let e = gateway(403, "EG.00014030", "No permissions to request this method");
        assert!(!e.is_auth_failure());
        // A 401 without a known code (an old gateway's APIG.0301, HTML) is one too.
        let e = gateway(401, "APIG.0301", "Incorrect IAM authentication information");
        assert_eq!(e.code, Some(ErrorCode::Other("APIG.0301".into())));
        assert!(e.is_auth_failure());
        assert!(ApiError::from_response(401, None, b"<html>401</html>").is_auth_failure());
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
        assert!(!e.is_auth_failure());
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
