//! The error codes of EG and of the API gateway in front of it, each with
//! its status and message: the one table the client and the emulator share.

use std::fmt;

/// An error code of EG or of the API gateway in front of it. The codes of
/// the docs page's examples and the gateway's documented codes are typed;
/// any other code is kept as [`ErrorCode::Other`].
///
/// Each typed code knows its HTTP status ([`ErrorCode::status`]) and the
/// message sent with it ([`ErrorCode::message`]).
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
    /// `EG.00015010`: an operation or value the emulator does not model
    /// (501). Not on the docs page: only the emulator sends it.
    NotImplemented,
    /// `EG.00015030`: service unavailable (503). Not on the docs page: the
    /// emulator's fault injection sends it.
    ServiceUnavailable,
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

/// One row of the table: code, status, message.
struct Row {
    code: &'static str,
    status: u16,
    message: &'static str,
}

/// The gateway's authentication code; its message tells a lockout apart.
const GATEWAY_AUTH: &str = "APIGW.0301";

/// The prefix of every message the gateway sends with [`GATEWAY_AUTH`].
const GATEWAY_AUTH_MESSAGE: &str = "Incorrect IAM authentication information";

/// The words of the gateway's message for a locked AK.
const AK_LOCKED_MESSAGE: &str = "AK access failed to reach the limit";

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

    /// Every typed code, [`ErrorCode::AkLocked`] last (it shares its code
    /// with [`ErrorCode::GatewayAuthFailed`]).
    pub const ALL: [ErrorCode; 12] = [
        ErrorCode::BadRequest,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::InternalServerError,
        ErrorCode::NotImplemented,
        ErrorCode::ServiceUnavailable,
        ErrorCode::GatewayAuthFailed,
        ErrorCode::Throttled,
        ErrorCode::EntityTooLarge,
        ErrorCode::ApiNotFound,
        ErrorCode::AkLocked,
    ];

    /// The table itself: every code, status and message is written here only.
    fn row(&self) -> Option<Row> {
        let row = |code, status, message| {
            Some(Row {
                code,
                status,
                message,
            })
        };
        match self {
            Self::BadRequest => row("EG.00014000", 400, "Bad request"),
            Self::Unauthorized => row(
                "EG.00014010",
                401,
                "Incorrect token or token resolution failed",
            ),
            Self::Forbidden => row("EG.00014030", 403, "No permissions to request this method"),
            Self::NotFound => row("EG.00014040", 404, "Not request resource found"),
            Self::InternalServerError => row("EG.00015000", 500, "Internal Server Error"),
            Self::NotImplemented => row("EG.00015010", 501, "Not implemented"),
            Self::ServiceUnavailable => row("EG.00015030", 503, "Service unavailable"),
            Self::GatewayAuthFailed => row(GATEWAY_AUTH, 401, GATEWAY_AUTH_MESSAGE),
            Self::AkLocked => row(
                GATEWAY_AUTH,
                401,
                "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.",
            ),
            Self::Throttled => row(
                "APIGW.0308",
                429,
                "The throttling threshold has been reached",
            ),
            Self::EntityTooLarge => row("APIG.0201", 413, "Request entity too large"),
            Self::ApiNotFound => row(
                "APIG.0101",
                404,
                "The API does not exist or has not been published in the environment",
            ),
            Self::Other(_) => None,
        }
    }

    /// Parses a code as sent by the service or the gateway.
    pub fn parse(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|typed| typed.as_str() == code)
            .unwrap_or_else(|| Self::Other(code.to_owned()))
    }

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

    /// The code as the service writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Other(code) => code.as_str(),
            typed => typed.row().map_or("", |row| row.code),
        }
    }

    /// The HTTP status the code is sent with; `None` for [`ErrorCode::Other`].
    pub fn status(&self) -> Option<u16> {
        self.row().map(|row| row.status)
    }

    /// The message the code is sent with (for [`ErrorCode::GatewayAuthFailed`],
    /// the prefix the gateway puts before the cause); `None` for
    /// [`ErrorCode::Other`].
    pub fn message(&self) -> Option<&'static str> {
        self.row().map(|row| row.message)
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
        for code in ErrorCode::ALL {
            let parsed = ErrorCode::parse_with_message(code.as_str(), code.message());
            assert_eq!(parsed, code);
            assert_eq!(parsed.to_string(), code.as_str());
        }
        assert_eq!(
            ErrorCode::parse("EG.0001"),
            ErrorCode::Other("EG.0001".into())
        );
        assert_eq!(
            ErrorCode::parse("APIG.0301"),
            ErrorCode::Other("APIG.0301".into())
        );
        assert_eq!(ErrorCode::Other("X".into()).as_str(), "X");
        assert_eq!(ErrorCode::Other("X".into()).status(), None);
        assert_eq!(ErrorCode::Other("X".into()).message(), None);
    }

    #[test]
    fn every_code_has_its_status_and_message() {
        let table: Vec<(&str, Option<u16>, Option<&str>)> = ErrorCode::ALL
            .iter()
            .map(|code| (code.as_str(), code.status(), code.message()))
            .collect();
        assert_eq!(
            table,
            [
                ("EG.00014000", Some(400), Some("Bad request")),
                (
                    "EG.00014010",
                    Some(401),
                    Some("Incorrect token or token resolution failed")
                ),
                (
                    "EG.00014030",
                    Some(403),
                    Some("No permissions to request this method")
                ),
                ("EG.00014040", Some(404), Some("Not request resource found")),
                ("EG.00015000", Some(500), Some("Internal Server Error")),
                ("EG.00015010", Some(501), Some("Not implemented")),
                ("EG.00015030", Some(503), Some("Service unavailable")),
                (
                    "APIGW.0301",
                    Some(401),
                    Some("Incorrect IAM authentication information")
                ),
                (
                    "APIGW.0308",
                    Some(429),
                    Some("The throttling threshold has been reached")
                ),
                ("APIG.0201", Some(413), Some("Request entity too large")),
                (
                    "APIG.0101",
                    Some(404),
                    Some("The API does not exist or has not been published in the environment")
                ),
                (
                    "APIGW.0301",
                    Some(401),
                    Some(
                        "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden."
                    )
                ),
            ]
        );
    }
}
