//! Property: whatever the path, query and body, a signed request verifies, and
//! verification fails once the body changes.

use std::time::Duration;

use eg_signer::{Credential, SecretKey, VerifyError, sign, verify};
use http::{HeaderMap, HeaderValue, Method, Uri, header};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use time::macros::datetime;

fn enc(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

proptest! {
    #[test]
    fn sign_then_verify(
        segments in prop::collection::vec(any::<String>(), 0..4),
        pairs in prop::collection::vec((any::<String>(), any::<String>()), 0..4),
        raw_query in proptest::option::of("[a-zA-Z0-9=&+%~._-]{0,20}"),
        body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut path: String = segments.iter().map(|s| format!("/{}", enc(s))).collect();
        if path.is_empty() {
            path.push('/');
        }
        let mut query: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
        query.extend(raw_query);
        let url = format!("http://127.0.0.1:8080{path}?{}", query.join("&"));
        let uri: Uri = url.parse().expect("encoded URL is valid");

        let now = datetime!(2024-01-02 03:04:05 UTC);
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        sign(&Credential::new("AK", "SK"), &Method::PUT, &uri, &mut headers, &body, Some("p"), now)
            .expect("signable");
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));

        let target: Uri = uri.path_and_query().expect("path").as_str().parse().expect("target");
        let secret = |ak: &str| (ak == "AK").then(|| SecretKey::new("SK"));
        let skew = Duration::from_secs(900);
        prop_assert!(verify(&Method::PUT, &target, &headers, &body, now, skew, secret).is_ok());

        let mut tampered = body.clone();
        tampered.push(b'!');
        prop_assert_eq!(
            verify(&Method::PUT, &target, &headers, &tampered, now, skew, secret),
            Err(VerifyError::SignatureMismatch)
        );
    }
}
