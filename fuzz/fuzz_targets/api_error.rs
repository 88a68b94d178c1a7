//! Error-body parsing from any response: `STATUS`, then any headers, a
//! blank line, and the body. Never panics, keeps the body, and prefers the
//! `X-Request-Id` header as the client does.
#![no_main]

use eg_client::ApiError;
use eg_fuzz::Message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let message = Message::parse(data);
    let status = std::str::from_utf8(message.start)
        .ok()
        .and_then(|s| s.trim().parse::<u16>().ok())
        .unwrap_or(500);
    let headers = message.header_map();
    // As the client reads it: a header that is not visible ASCII is absent.
    let header_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let error = ApiError::from_response(status, header_id.clone(), message.body);
    assert_eq!(error.status, status);
    assert_eq!(error.body, String::from_utf8_lossy(message.body));
    if header_id.is_some() {
        assert_eq!(error.request_id, header_id);
    }
    let _ = (
        error.is_retryable(),
        error.code.as_ref().map(|c| c.as_str()),
    );
});
