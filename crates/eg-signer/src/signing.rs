//! The signing path, kept cheap because every AK/SK request pays for it: the
//! canonical request is written into one buffer and hashed once, header
//! values are borrowed from the map, digests are hex-encoded on the stack,
//! and paths and queries that need no re-encoding (the common case) are
//! copied as they are. It produces exactly what [`crate::canonical_request`]
//! and friends describe; the tests check both against each other.

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri, header};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};

use crate::{
    ALGORITHM, Credential, DATE_HEADER, PROJECT_ID_HEADER, SECURITY_TOKEN_HEADER, canonical_query,
    canonical_uri, format_date,
};

const DATE_NAME: HeaderName = HeaderName::from_static(DATE_HEADER);
const SECURITY_TOKEN_NAME: HeaderName = HeaderName::from_static(SECURITY_TOKEN_HEADER);
const PROJECT_ID_NAME: HeaderName = HeaderName::from_static(PROJECT_ID_HEADER);

/// The value a signed header contributes.
enum Value<'a> {
    /// A header of the request.
    Header(&'a HeaderValue),
    /// `host` from the URI, the request having no `Host` header.
    UriHost,
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
    headers.remove(header::AUTHORIZATION);
    let date = Date::of(now);
    let date = date.as_str();
    headers.insert(DATE_NAME, value(DATE_HEADER, date)?);
    if let Some(token) = credential.security_token() {
        headers.insert(SECURITY_TOKEN_NAME, value(SECURITY_TOKEN_HEADER, token)?);
    }
    if let Some(project_id) = project_id {
        headers.insert(PROJECT_ID_NAME, value(PROJECT_ID_HEADER, project_id)?);
    }

    let host = if headers.contains_key(header::HOST) {
        None
    } else {
        Some(UriHost::of(uri).ok_or(SignError::MissingHost)?)
    };
    let mut signed: Vec<(&str, Value<'_>)> = Vec::with_capacity(headers.len() + 1);
    if host.is_some() {
        signed.push(("host", Value::UriHost));
    }
    signed.extend(
        headers
            .iter()
            .map(|(name, value)| (name.as_str(), Value::Header(value)))
            .filter(|(name, _)| !name.contains('_')),
    );
    // Stable: the values of a repeated header keep their order.
    signed.sort_by(|a, b| a.0.cmp(b.0));

    let mut canonical = Vec::with_capacity(512);
    canonical.extend_from_slice(method.as_str().as_bytes());
    canonical.push(b'\n');
    push_canonical_uri(&mut canonical, uri.path());
    canonical.push(b'\n');
    if let Some(query) = uri.query().filter(|q| !q.is_empty()) {
        canonical.extend_from_slice(canonical_query(Some(query)).as_bytes());
    }
    canonical.push(b'\n');
    let mut names = String::with_capacity(96);
    for group in signed.chunk_by(|a, b| a.0 == b.0) {
        let name = group[0].0;
        if !names.is_empty() {
            names.push(';');
        }
        names.push_str(name);
        canonical.extend_from_slice(name.as_bytes());
        canonical.push(b':');
        match group {
            [(_, Value::UriHost)] => {
                if let Some(host) = &host {
                    host.push_to(&mut canonical);
                }
            }
            [(_, Value::Header(v))] => {
                canonical.extend_from_slice(text(name, v)?.trim().as_bytes());
            }
            _ => {
                // Rare: a repeated header is signed as its values joined by `,`.
                let values = group
                    .iter()
                    .map(|(_, v)| match v {
                        Value::Header(v) => text(name, v),
                        Value::UriHost => Ok(""),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                canonical.extend_from_slice(values.join(",").trim().as_bytes());
            }
        }
        canonical.push(b'\n');
    }
    canonical.push(b'\n');
    canonical.extend_from_slice(names.as_bytes());
    canonical.push(b'\n');
    canonical.extend_from_slice(&hex64(&Sha256::digest(body)));

    let mut mac = Hmac::<Sha256>::new_from_slice(credential.secret_key().expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(date.as_bytes());
    mac.update(b"\n");
    mac.update(&hex64(&Sha256::digest(&canonical)));
    let signature = hex64(&mac.finalize().into_bytes());

    let access_key = credential.access_key();
    let mut authorization =
        String::with_capacity(64 + access_key.len() + names.len() + signature.len());
    authorization.push_str(ALGORITHM);
    authorization.push_str(" Access=");
    authorization.push_str(access_key);
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&names);
    authorization.push_str(", Signature=");
    // Hex digits are ASCII.
    authorization.push_str(std::str::from_utf8(&signature).unwrap_or_default());
    let authorization = HeaderValue::try_from(authorization)
        .map_err(|_| SignError::InvalidHeaderValue("authorization".to_owned()))?;
    headers.insert(header::AUTHORIZATION, authorization);
    Ok(())
}

fn value(name: &str, value: &str) -> Result<HeaderValue, SignError> {
    HeaderValue::from_str(value).map_err(|_| SignError::InvalidHeaderValue(name.to_owned()))
}

fn text<'a>(name: &str, value: &'a HeaderValue) -> Result<&'a str, SignError> {
    value
        .to_str()
        .map_err(|_| SignError::InvalidHeaderValue(name.to_owned()))
}

/// Lower-case hex of a SHA-256 digest.
fn hex64(digest: &[u8]) -> [u8; 64] {
    let mut out = [0; 64];
    // The digest is 32 bytes, so this cannot fail.
    let _ = hex::encode_to_slice(digest, &mut out);
    out
}

/// Appends the canonical URI; a path of unreserved characters and `/` only
/// is its own canonical form, with a trailing `/`.
fn push_canonical_uri(out: &mut Vec<u8>, path: &str) {
    let plain = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/'));
    if plain {
        out.extend_from_slice(path.as_bytes());
        if !path.ends_with('/') {
            out.push(b'/');
        }
    } else {
        out.extend_from_slice(canonical_uri(path).as_bytes());
    }
}

/// The host as signed: the URI's host, with its port unless it is the
/// scheme's default.
struct UriHost<'a> {
    host: &'a str,
    port: Option<u16>,
}

impl<'a> UriHost<'a> {
    fn of(uri: &'a Uri) -> Option<Self> {
        let host = uri.host()?;
        let default_port = match uri.scheme_str() {
            Some("https") => Some(443),
            Some("http") => Some(80),
            _ => None,
        };
        let port = uri.port_u16().filter(|&p| Some(p) != default_port);
        Some(Self { host, port })
    }

    fn push_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.host.as_bytes());
        if let Some(port) = self.port {
            out.push(b':');
            let mut digits = [0u8; 5];
            let mut rest = port;
            let mut start = digits.len();
            loop {
                start -= 1;
                digits[start] = b'0' + (rest % 10) as u8;
                rest /= 10;
                if rest == 0 {
                    break;
                }
            }
            out.extend_from_slice(&digits[start..]);
        }
    }
}

/// `X-Sdk-Date` text, built on the stack for four-digit years.
enum Date {
    Short([u8; 16]),
    Other(String),
}

impl Date {
    fn of(now: OffsetDateTime) -> Self {
        let t = now.to_offset(UtcOffset::UTC);
        let Ok(year) = u16::try_from(t.year()) else {
            return Self::Other(format_date(now));
        };
        if year > 9999 {
            return Self::Other(format_date(now));
        }
        let mut out = *b"00000000T000000Z";
        let mut put = |at: usize, value: u16, width: usize| {
            let mut rest = value;
            for i in (at..at + width).rev() {
                out[i] = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
        };
        put(0, year, 4);
        put(4, u8::from(t.month()).into(), 2);
        put(6, t.day().into(), 2);
        put(9, t.hour().into(), 2);
        put(11, t.minute().into(), 2);
        put(13, t.second().into(), 2);
        Self::Short(out)
    }

    fn as_str(&self) -> &str {
        match self {
            // Only ASCII digits, `T` and `Z` were written.
            Self::Short(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
            Self::Other(text) => text,
        }
    }
}
