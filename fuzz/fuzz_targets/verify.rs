//! SDK-HMAC-SHA256 verification of any request: `METHOD URI`, then any
//! headers (`Authorization` included), a blank line, and the body. Never
//! panics; a request is accepted only for the one known access key, and
//! never without the date header it was checked against, nor unless both
//! `host` and that date are among the signed headers.
#![no_main]

use eg_fuzz::Message;
use eg_signer::SecretKey;
use libfuzzer_sys::fuzz_target;

/// The key pair the seeds are signed with, at the seeds' date.
const AK: &str = "FUZZAK";
const SK: &str = "FUZZSK";
const NOW: time::OffsetDateTime = time::macros::datetime!(2026-01-01 00:00:00 UTC);

fuzz_target!(|data: &[u8]| {
    let message = Message::parse(data);
    let start = String::from_utf8_lossy(message.start);
    let (method, target) = start.split_once(' ').unwrap_or((&start, "/"));
    let (Ok(method), Ok(uri)) = (
        http::Method::from_bytes(method.as_bytes()),
        target.parse::<http::Uri>(),
    ) else {
        return; // the HTTP layer refuses these before any verifier runs
    };
    let headers = message.header_map();
    let secret_for = |ak: &str| (ak == AK).then(|| SecretKey::new(SK));
    let result = eg_signer::verify(
        &method,
        &uri,
        &headers,
        message.body,
        NOW,
        std::time::Duration::from_secs(15 * 60),
        secret_for,
    );
    if let Ok(verified) = result {
        assert_eq!(verified.access_key, AK);
        assert!(headers.contains_key(eg_signer::DATE_HEADER));
        for required in ["host", eg_signer::DATE_HEADER] {
            assert!(
                verified.signed_headers.iter().any(|name| name == required),
                "accepted without signing {required}: {:?}",
                verified.signed_headers
            );
        }
    }
});
