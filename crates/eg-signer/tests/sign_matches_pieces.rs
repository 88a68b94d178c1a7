//! Property: `sign` (the fast path) writes exactly the Authorization that the
//! documented pieces (`canonical_request`, `string_to_sign`, `signature`)
//! compose, whatever the path, query, port, headers and body.

use eg_signer::{
    ALGORITHM, Credential, SecretKey, canonical_request, format_date, sign, signature,
    string_to_sign,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri, header};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use time::OffsetDateTime;

/// The Authorization the pieces give for a request `sign` has already
/// filled with X-Sdk-Date and friends.
fn composed(
    credential: &Credential,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> String {
    let mut signed: Vec<(String, String)> = Vec::new();
    if !headers.contains_key(header::HOST) {
        let host = uri.host().expect("the test URIs have a host");
        let default = if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        };
        let host = match uri.port_u16() {
            Some(port) if port != default => format!("{host}:{port}"),
            _ => host.to_owned(),
        };
        signed.push(("host".to_owned(), host));
    }
    for name in headers
        .keys()
        .filter(|n| n.as_str() != "authorization" && !n.as_str().contains('_'))
    {
        let values: Vec<&str> = headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().expect("visible ASCII"))
            .collect();
        signed.push((name.as_str().to_owned(), values.join(",")));
    }
    signed.sort();
    let date = headers["x-sdk-date"].to_str().expect("ASCII date");
    let request = canonical_request(method.as_str(), uri.path(), uri.query(), &signed, body);
    let sig = signature(credential.secret_key(), &string_to_sign(date, &request));
    let names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
    format!(
        "{ALGORITHM} Access={}, SignedHeaders={}, Signature={sig}",
        credential.access_key(),
        names.join(";")
    )
}

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

proptest! {
    #[test]
    fn sign_equals_the_documented_composition(
        segments in prop::collection::vec(prop_oneof!["[a-z0-9._~-]{0,8}", any::<String>()], 0..4),
        trailing_slash in any::<bool>(),
        query in proptest::option::of("[a-zA-Z0-9=&+%~._-]{0,20}"),
        port in proptest::option::of(prop_oneof![Just(80u16), Just(443u16), 1u16..]),
        https in any::<bool>(),
        host_header in any::<bool>(),
        extra in prop::collection::vec(("[a-z][a-z0-9_-]{0,6}", "[ \t]?[!-~]{0,6}[ \t]?"), 0..5),
        token in proptest::option::of("[A-Za-z0-9]{1,12}"),
        project in proptest::option::of("[a-f0-9]{1,32}"),
        body in prop::collection::vec(any::<u8>(), 0..80),
        seconds in 0i64..253_402_300_799,
    ) {
        let mut path: String = segments.iter().map(|s| format!("/{}", if s.is_ascii() { s.clone() } else { enc(s) })).collect();
        if trailing_slash || path.is_empty() {
            path.push('/');
        }
        let authority = match port {
            Some(p) => format!("h.example:{p}"),
            None => "h.example".to_owned(),
        };
        let scheme = if https { "https" } else { "http" };
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        let Ok(uri) = format!("{scheme}://{authority}{path}{query}").parse::<Uri>() else {
            return Ok(()); // not a URI at all: nothing to sign
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if host_header {
            headers.insert(header::HOST, HeaderValue::from_static("front.example:8443"));
        }
        for (name, value) in &extra {
            // Repeated names make multi-valued headers.
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).expect("valid name"),
                HeaderValue::from_str(value).expect("valid value"),
            );
        }
        let mut credential = Credential::new("AK", SecretKey::new("SK"));
        if let Some(token) = token {
            credential = credential.with_security_token(token);
        }
        let now = OffsetDateTime::from_unix_timestamp(seconds).expect("in range");
        sign(&credential, &Method::POST, &uri, &mut headers, &body, project.as_deref(), now)
            .expect("signable");
        prop_assert_eq!(headers["x-sdk-date"].to_str().expect("ASCII"), format_date(now));
        let expected = composed(&credential, &Method::POST, &uri, &headers, &body);
        prop_assert_eq!(headers[header::AUTHORIZATION].to_str().expect("ASCII"), expected);
    }
}
