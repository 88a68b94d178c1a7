//! The client's error types, from [`Error`] down to its causes.

use std::fmt;

use crate::{ApiError, ErrorCode};

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
        /// The cap, in bytes: [`crate::MAX_RESPONSE_BODY`].
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
            Error::Transport { source, .. } => crate::retry::is_retryable_transport(source),
            Error::Api { error, .. } => error.is_retryable(),
            _ => false,
        }
    }
}
