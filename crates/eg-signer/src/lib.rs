//! Huawei Cloud `SDK-HMAC-SHA256` request signing (client side) and verification
//! (emulator side), byte-compatible with the official SDK signers.
//!
//! Canonicalisation follows the official Python signer (`huaweicloudsdkcore`):
//! - The path is percent-decoded once (invalid UTF-8 becomes U+FFFD, like Python's
//!   `unquote`) *before* splitting on `/`, so an encoded slash splits the segment:
//!   `/a%2Fb` canonicalises to `/a/b/`, exactly like `/a/b`.
//! - The query is decoded as `application/x-www-form-urlencoded` (`+` is a space),
//!   which is how the official SDKs (and reqwest's `.query()`) put parameters on
//!   the wire; a literal plus travels as `%2B`.
//! - A header listed several times is signed as its values joined with `,`.

mod signing;

use std::fmt::{self, Write as _};

use hmac::{Hmac, Mac};
use http::{HeaderMap, Method, Uri, header};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// The algorithm name at the start of the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// Header carrying the signing time (`YYYYMMDDTHHMMSSZ`, UTC).
pub const DATE_HEADER: &str = "x-sdk-date";
/// Header carrying the security token of temporary credentials.
pub const SECURITY_TOKEN_HEADER: &str = "x-security-token";
/// Header carrying the project id.
pub const PROJECT_ID_HEADER: &str = "x-project-id";

const DATE_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// Everything but `A-Z a-z 0-9 - _ . ~` is escaped (Python `quote(s, safe='~')`).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A secret access key (SK). `Debug` and `Display` print `***`, never the secret.
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a secret key.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretKey {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for SecretKey {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// An access key pair plus, for temporary credentials, a security token.
/// `Debug` redacts the secret key and the security token.
#[derive(Clone)]
pub struct Credential {
    access_key: String,
    secret_key: SecretKey,
    security_token: Option<String>,
}

impl Credential {
    /// Permanent credentials: access key (AK) and secret key (SK).
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<SecretKey>) -> Self {
        Self {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: None,
        }
    }

    /// Makes these temporary credentials: the token is sent (and signed) as `X-Security-Token`.
    #[must_use]
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The access key (AK).
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    /// The secret key (SK).
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret_key
    }

    /// The security token of temporary credentials.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("access_key", &self.access_key)
            .field("secret_key", &self.secret_key)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| Redacted),
            )
            .finish()
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The request URI has no host and no `Host` header was given.
    #[error("cannot sign: the request URI has no host and there is no Host header")]
    MissingHost,
    /// A header to be signed (or the resulting Authorization) is not visible ASCII.
    #[error("cannot sign: the value of header `{0}` is not visible ASCII")]
    InvalidHeaderValue(String),
}

/// Why an incoming request failed verification. Messages never contain a secret
/// or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No `Authorization` header.
    #[error("missing Authorization header")]
    MissingAuthorization,
    /// The `Authorization` header does not have the expected shape.
    #[error("malformed Authorization header: {0}")]
    MalformedAuthorization(String),
    /// The `Authorization` header names another algorithm.
    #[error("unsupported Authorization algorithm `{0}` (expected {ALGORITHM})")]
    UnsupportedAlgorithm(String),
    /// No `X-Sdk-Date` header.
    #[error("missing X-Sdk-Date header")]
    MissingDate,
    /// `X-Sdk-Date` is not `YYYYMMDDTHHMMSSZ`.
    #[error("malformed X-Sdk-Date `{0}` (expected YYYYMMDDTHHMMSSZ)")]
    MalformedDate(String),
    /// `X-Sdk-Date` is too far from the verifier's clock.
    #[error(
        "X-Sdk-Date {date} is {skew_seconds} s away from the server clock, beyond the allowed skew"
    )]
    DateOutOfRange {
        /// The date as received.
        date: String,
        /// Request date minus server time, in seconds (positive: in the future).
        skew_seconds: i64,
    },
    /// The access key is not known to the verifier.
    #[error("unknown access key `{0}`")]
    UnknownAccessKey(String),
    /// A header listed in `SignedHeaders` is absent from the request.
    #[error("header `{0}` is listed in SignedHeaders but absent from the request")]
    MissingSignedHeader(String),
    /// `SignedHeaders` leaves out `host` or `x-sdk-date`, so the request
    /// could be replayed against another host or at another time.
    #[error("SignedHeaders must include `{0}`")]
    UnsignedHeader(&'static str),
    /// The signature does not match the request.
    #[error("signature mismatch: the request was altered or signed with another secret key")]
    SignatureMismatch,
}

/// A successfully verified request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key that signed the request.
    pub access_key: String,
    /// `X-Security-Token`, when it is among the signed headers.
    pub security_token: Option<String>,
    /// The signed header names, as listed in the request.
    pub signed_headers: Vec<String>,
}

/// Formats a time as `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`, UTC).
pub fn format_date(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .format(DATE_FORMAT)
        .unwrap_or_default()
}

/// Parses an `X-Sdk-Date` value.
pub fn parse_date(value: &str) -> Option<OffsetDateTime> {
    PrimitiveDateTime::parse(value, DATE_FORMAT)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// Hex SHA-256 of the body (the last line of the canonical request).
pub fn body_sha256(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// Canonical URI of a raw (percent-encoded) path: decoded once, split on `/`
/// (so `%2F` splits too), each segment re-encoded, and a trailing `/` added.
pub fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let mut out = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Canonical query of a raw query string (without `?`): form-decoded pairs sorted
/// by key then value, re-encoded as `key=value` and joined with `&`.
pub fn canonical_query(query: Option<&str>) -> String {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut pairs: Vec<(String, String)> = query
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical request. `headers` are the signed headers in `SignedHeaders`
/// order; names are lower-cased and values trimmed here.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &[(String, String)],
    body: &[u8],
) -> String {
    let mut out = format!(
        "{method}\n{}\n{}\n",
        canonical_uri(path),
        canonical_query(query)
    );
    let mut names = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let _ = writeln!(out, "{name}:{}", value.trim());
        names.push(name);
    }
    let _ = write!(out, "\n{}\n{}", names.join(";"), body_sha256(body));
    out
}

/// The string to sign: algorithm, `X-Sdk-Date` and hex SHA-256 of the canonical request.
pub fn string_to_sign(date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{}",
        body_sha256(canonical_request.as_bytes())
    )
}

fn mac(secret_key: &SecretKey, string_to_sign: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Hex HMAC-SHA256 of the string to sign, keyed with the secret key.
pub fn signature(secret_key: &SecretKey, string_to_sign: &str) -> String {
    hex::encode(mac(secret_key, string_to_sign))
}

/// The host as signed: the URI's host, with its port unless it is the scheme's default.
fn uri_host(uri: &Uri) -> Option<String> {
    let host = uri.host()?;
    let default_port = match uri.scheme_str() {
        Some("https") => Some(443),
        Some("http") => Some(80),
        _ => None,
    };
    Some(match uri.port_u16() {
        Some(port) if Some(port) != default_port => format!("{host}:{port}"),
        _ => host.to_owned(),
    })
}

/// All values of a header joined with `,`; `None` when absent.
fn header_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<_> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// Signs a request in place.
///
/// Removes any old `Authorization`, sets `X-Sdk-Date` from `now` (replacing any),
/// `X-Security-Token` when the credential has one and `X-Project-Id` when
/// `project_id` is given, then `Authorization`. Every header in `headers` whose name
/// has no `_` is signed, plus `host`: the `Host` header if present, else the
/// authority of `uri` (the full request URI). No `Host` header is added, since the
/// HTTP stack sends one derived from the same URI.
pub fn sign(
    credential: &Credential,
    method: &Method,
    uri: &Uri,
    headers: &mut HeaderMap,
    body: &[u8],
    project_id: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), SignError> {
    signing::sign(credential, method, uri, headers, body, project_id, now)
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 ...` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The `Access` key id.
    pub access_key: String,
    /// The `SignedHeaders` names, lower-cased, in the order given.
    pub signed_headers: Vec<String>,
    signature: Vec<u8>,
}

/// Parses an `Authorization` value, as [`verify`] does first; lets a gateway
/// see which access key a request claims before verifying it.
pub fn parse_authorization(value: &str) -> Result<Authorization, VerifyError> {
    let malformed = |why: &str| VerifyError::MalformedAuthorization(why.to_owned());
    let Some((algorithm, params)) = value.trim().split_once(' ') else {
        return Err(malformed(
            "expected `SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`",
        ));
    };
    if algorithm != ALGORITHM {
        return Err(VerifyError::UnsupportedAlgorithm(algorithm.to_owned()));
    }
    let (mut access_key, mut signed_headers, mut signature) = (None, None, None);
    for param in params.split(',') {
        let (key, val) = param
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed("parameter without `=`"))?;
        match key {
            "Access" => access_key = Some(val),
            "SignedHeaders" => signed_headers = Some(val),
            "Signature" => signature = Some(val),
            _ => {}
        }
    }
    let access_key = access_key
        .filter(|ak| !ak.is_empty())
        .ok_or_else(|| malformed("missing Access"))?;
    let signed_headers: Vec<String> = signed_headers
        .ok_or_else(|| malformed("missing SignedHeaders"))?
        .split(';')
        .map(str::to_ascii_lowercase)
        .collect();
    if signed_headers.iter().any(String::is_empty) {
        return Err(malformed("empty name in SignedHeaders"));
    }
    let signature = signature.ok_or_else(|| malformed("missing Signature"))?;
    let signature = hex::decode(signature)
        .ok()
        .filter(|s| s.len() == 32)
        .ok_or_else(|| malformed("Signature is not 64 hex digits"))?;
    Ok(Authorization {
        access_key: access_key.to_owned(),
        signed_headers,
        signature,
    })
}

/// Verifies an incoming request as Huawei's gateway would.
///
/// `uri` is the request target as received (path and query; an absolute URI is
/// fine). `host` is read from the `Host` header, falling back to the URI authority
/// (HTTP/2). The signed headers are those listed in the request's `SignedHeaders`,
/// so headers added after signing are ignored; the list must include `host` and
/// `x-sdk-date`. The date must be within `max_skew`
/// of `now` in either direction.
pub fn verify(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    now: OffsetDateTime,
    max_skew: std::time::Duration,
    secret_for: impl Fn(&str) -> Option<SecretKey>,
) -> Result<Verified, VerifyError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .ok_or(VerifyError::MissingAuthorization)?
        .to_str()
        .map_err(|_| VerifyError::MalformedAuthorization("not visible ASCII".to_owned()))?;
    let auth = parse_authorization(authorization)?;
    // Unsigned, the host or date could be changed and the request replayed.
    for required in ["host", DATE_HEADER] {
        if !auth.signed_headers.iter().any(|name| name == required) {
            return Err(VerifyError::UnsignedHeader(required));
        }
    }

    let date = header_value(headers, DATE_HEADER).ok_or(VerifyError::MissingDate)?;
    let at = parse_date(&date).ok_or_else(|| VerifyError::MalformedDate(date.clone()))?;
    let skew = at - now;
    if skew.unsigned_abs() > max_skew {
        return Err(VerifyError::DateOutOfRange {
            date,
            skew_seconds: skew.whole_seconds(),
        });
    }

    let secret_key = secret_for(&auth.access_key)
        .ok_or_else(|| VerifyError::UnknownAccessKey(auth.access_key.clone()))?;

    let signed = auth
        .signed_headers
        .iter()
        .map(|name| {
            let value = match header_value(headers, name) {
                None if name == "host" => uri_host(uri),
                value => value,
            };
            value
                .map(|v| (name.clone(), v))
                .ok_or_else(|| VerifyError::MissingSignedHeader(name.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let request = canonical_request(method.as_str(), uri.path(), uri.query(), &signed, body);
    let expected = mac(&secret_key, &string_to_sign(&date, &request));
    if !bool::from(expected.ct_eq(&auth.signature)) {
        return Err(VerifyError::SignatureMismatch);
    }
    let security_token = signed
        .into_iter()
        .find(|(name, _)| name == SECURITY_TOKEN_HEADER)
        .map(|(_, value)| value);
    Ok(Verified {
        access_key: auth.access_key,
        security_token,
        signed_headers: auth.signed_headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_omits_default_ports_only() {
        let host = |s: &str| uri_host(&s.parse().expect("valid URI"));
        assert_eq!(
            host("https://h.example:443/x").as_deref(),
            Some("h.example")
        );
        assert_eq!(host("http://h.example:80/x").as_deref(), Some("h.example"));
        assert_eq!(
            host("http://127.0.0.1:8080/x").as_deref(),
            Some("127.0.0.1:8080")
        );
        assert_eq!(
            host("https://h.example:80/").as_deref(),
            Some("h.example:80")
        );
        assert_eq!(host("/only/a/path"), None);
    }

    #[test]
    fn authorization_parsing() {
        let sig = "ab".repeat(32);
        let ok = parse_authorization(&format!(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature={sig}"
        ))
        .expect("well-formed");
        assert_eq!(ok.access_key, "AK");
        assert_eq!(ok.signed_headers, ["host", "x-sdk-date"]);
        assert_eq!(ok.signature, vec![0xab; 32]);

        let err = |v: &str| parse_authorization(v).err().map(|e| e.to_string());
        assert_eq!(
            err("Bearer abc").as_deref(),
            Some("unsupported Authorization algorithm `Bearer` (expected SDK-HMAC-SHA256)")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256 SignedHeaders=host, Signature=00").as_deref(),
            Some("malformed Authorization header: missing Access")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=zz").as_deref(),
            Some("malformed Authorization header: Signature is not 64 hex digits")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=00").as_deref(),
            Some("malformed Authorization header: empty name in SignedHeaders")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256").as_deref(),
            Some(
                "malformed Authorization header: expected `SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`"
            )
        );
    }

    #[test]
    fn date_format_round_trips() {
        let at = time::macros::datetime!(2024-01-02 03:04:05 +08:00);
        assert_eq!(format_date(at), "20240101T190405Z");
        assert_eq!(parse_date("20240101T190405Z"), Some(at));
        assert_eq!(parse_date("2024-01-01T19:04:05Z"), None);
    }
}
