//! The canonical request of `SDK-HMAC-SHA256`, piece by piece: the date
//! format, the canonical URI and query, the string to sign and the signature.
//! This is the readable reference; the signing path (`signing.rs`) produces
//! the same bytes faster, and the verifier uses these pieces directly.

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use http::{HeaderMap, Uri};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::{ALGORITHM, SecretKey};

const DATE_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// Everything but `A-Z a-z 0-9 - _ . ~` is escaped (Python `quote(s, safe='~')`).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

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

pub(crate) fn mac(secret_key: &SecretKey, string_to_sign: &str) -> Vec<u8> {
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
pub(crate) fn uri_host(uri: &Uri) -> Option<String> {
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
pub(crate) fn header_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<_> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
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
    fn date_format_round_trips() {
        let at = time::macros::datetime!(2024-01-02 03:04:05 +08:00);
        assert_eq!(format_date(at), "20240101T190405Z");
        assert_eq!(parse_date("20240101T190405Z"), Some(at));
        assert_eq!(parse_date("2024-01-01T19:04:05Z"), None);
    }
}
