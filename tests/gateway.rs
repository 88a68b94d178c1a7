//! The API gateway's own answers: typed codes, throttling retried, a
//! refused credential never.

mod common;

use std::time::Duration;

use common::{Reply, Scripted};
use eg_client::{Client, Credentials, Error, ErrorCode, RetryConfig};

const THROTTLED: &str = r#"{"error_msg":"The throttling threshold has been reached","error_code":"APIGW.0308","request_id":"g1"}"#;
const BAD_SIGNATURE: &str = r#"{"error_msg":"Incorrect IAM authentication information: verify aksk signature fail","error_code":"APIGW.0301","request_id":"g2"}"#;
const LOCKED: &str = r#"{"error_msg":"Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.","error_code":"APIGW.0301","request_id":"g3"}"#;

fn client(server: &Scripted) -> Client {
    common::loopback_client(server.base_url(), "p1", Credentials::access_key("AK", "SK"))
        .retry(RetryConfig::default().with_base_delay(Duration::from_millis(5)))
        .build()
        .expect("client")
}

#[tokio::test]
async fn throttled_by_the_gateway_is_retried_with_backoff() {
    let server = Scripted::start(vec![
        Reply::new(429, THROTTLED),
        Reply::new(429, THROTTLED),
        Reply::new(200, r#"{"eventStreamingID":"s1"}"#),
    ])
    .await;
    let operated = client(&server).start("s1").await.expect("third attempt");
    assert_eq!(operated.attempts(), 3);
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn throttled_to_the_end_reports_the_throttling_code() {
    let server = Scripted::start(vec![Reply::new(429, THROTTLED)]).await;
    let error = client(&server).start("s1").await.expect_err("429");
    assert_eq!(error.code(), Some(&ErrorCode::Throttled));
    assert_eq!(error.attempts(), Some(3));
    assert!(error.is_retryable());
    assert!(!error.is_auth_failure());
}

#[tokio::test]
async fn refused_credentials_are_never_retried() {
    for (body, code) in [
        (BAD_SIGNATURE, ErrorCode::GatewayAuthFailed),
        (LOCKED, ErrorCode::AkLocked),
    ] {
        let server = Scripted::start(vec![Reply::new(401, body)]).await;
        let result = client(&server).start("s1").await;
        let Err(error @ Error::Api { attempts: 1, .. }) = result else {
            panic!("expected one refused attempt, got {result:?}")
        };
        assert_eq!(error.code(), Some(&code));
        assert_eq!(error.status(), Some(401));
        assert_eq!(error.request_id(), Some("rid-401"));
        assert!(error.is_auth_failure());
        assert!(!error.is_retryable());
        assert_eq!(server.seen().len(), 1);
    }
}
