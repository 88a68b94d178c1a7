//! What the client sends, and how it reads answers the emulator never gives.

mod common;

use std::time::Duration;

use common::{Reply, Scripted};
use eg_client::{Client, Credentials, Error, ErrorCode, RetryConfig, TransportErrorKind};

const PROJECT: &str = "p1";

fn client(server: &Scripted, retry: RetryConfig) -> Client {
    common::loopback_client(
        server.base_url(),
        PROJECT,
        Credentials::token("tok").expect("token"),
    )
    .retry(retry.with_base_delay(Duration::from_millis(5)))
    .timeout(Duration::from_millis(500))
    .build()
    .expect("client")
}

#[tokio::test]
async fn request_on_the_wire_is_exactly_the_documented_one() {
    let server = Scripted::start(vec![Reply::new(200, r#"{"eventStreamingID":"s1"}"#)]).await;
    let operated = client(&server, RetryConfig::disabled())
        .start("s1")
        .await
        .expect("200");
    assert_eq!(operated.event_streaming_id.as_deref(), Some("s1"));
    assert_eq!(operated.request_id(), Some("rid-200"));
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri.to_string(), "/v1/p1/eventstreamings/operate/s1");
    assert_eq!(&request.body[..], br#"{"operation":"START"}"#);
    assert_eq!(request.headers["x-auth-token"], "tok");
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(
        request.headers.get("api-version"),
        None,
        "progenitor's api-version header must not be sent"
    );
    let mut names: Vec<&str> = request.headers.keys().map(|k| k.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "accept",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-auth-token"
        ]
    );
}

#[tokio::test]
async fn user_agent_names_the_client_then_the_suffix_and_is_signed() {
    let server = Scripted::start(vec![Reply::new(200, r#"{"eventStreamingID":"s1"}"#)]).await;
    client(&server, RetryConfig::disabled())
        .start("s1")
        .await
        .expect("200");
    let signed = common::loopback_client(
        server.base_url(),
        PROJECT,
        Credentials::access_key("AK", "SK"),
    )
    .user_agent_suffix("my-tool/2.1")
    .build()
    .expect("client");
    signed.pause("s1").await.expect("200");
    let seen = server.seen();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(eg_client::USER_AGENT, format!("eg-client-rust/{version}"));
    assert_eq!(
        seen[0].headers["user-agent"],
        format!("eg-client-rust/{version}").as_str()
    );
    assert_eq!(
        seen[1].headers["user-agent"],
        format!("eg-client-rust/{version} my-tool/2.1").as_str()
    );
    let authorization = seen[1].headers["authorization"].to_str().expect("ASCII");
    assert!(
        authorization.contains(
            "SignedHeaders=accept;content-type;host;user-agent;x-project-id;x-sdk-date, "
        ),
        "{authorization}"
    );
    let error = common::loopback_client(
        server.base_url(),
        PROJECT,
        Credentials::access_key("AK", "SK"),
    )
    .user_agent_suffix("bad\nsuffix")
    .build()
    .expect_err("newline");
    assert_eq!(
        error.to_string(),
        r#"configuration: user agent suffix "bad\nsuffix" must be printable ASCII"#
    );
}

#[tokio::test]
async fn html_from_a_gateway_keeps_status_and_request_id() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let server = Scripted::start(vec![
        Reply::new(502, html).header("content-type", "text/html"),
    ])
    .await;
    let error = client(&server, RetryConfig::disabled())
        .start("s1")
        .await
        .expect_err("502");
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.request_id(), Some("rid-502"));
    assert_eq!(error.code(), None);
    assert_eq!(error.message(), Some(html));
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        format!("HTTP 502: {html} [request id rid-502] after 1 attempt(s)")
    );
}

#[tokio::test]
async fn non_json_body_on_a_documented_status_keeps_status_and_request_id() {
    let server = Scripted::start(vec![Reply::new(500, "upstream timed out")]).await;
    let error = client(&server, RetryConfig::disabled())
        .start("s1")
        .await
        .expect_err("500");
    assert_eq!(
        (error.status(), error.request_id(), error.message()),
        (Some(500), Some("rid-500"), Some("upstream timed out"))
    );
}

#[tokio::test]
async fn out_of_limit_error_body_is_read_whole() {
    let long_message = "m".repeat(600);
    let body = serde_json::json!({
        "error_code": "EG.00014000",
        "error_msg": long_message,
        "error_details": "",
        "request_id": "r".repeat(200),
        "extra": 1
    })
    .to_string();
    let server = Scripted::start(vec![Reply::new(400, body.clone())]).await;
    let result = client(&server, RetryConfig::disabled()).start("s1").await;
    let Err(Error::Api { error, attempts: 1 }) = result else {
        panic!("expected an API error, got {result:?}")
    };
    assert_eq!(error.status, 400);
    assert_eq!(error.code, Some(ErrorCode::BadRequest));
    assert_eq!(error.message.as_deref(), Some(long_message.as_str()));
    assert_eq!(error.details.as_deref(), Some(""));
    assert_eq!(error.request_id.as_deref(), Some("rid-400"));
    assert_eq!(error.body, body);
}

#[tokio::test]
async fn documented_500_is_retried_then_reported_with_the_last_request_id() {
    let body = r#"{"error_code":"EG.00015000","error_msg":"Internal Server Error"}"#;
    let server = Scripted::start(vec![Reply::new(500, body).header("x-request-id", "last")]).await;
    let result = client(&server, RetryConfig::default().with_max_attempts(3))
        .start("s1")
        .await;
    let Err(Error::Api { error, attempts }) = result else {
        panic!("expected an API error, got {result:?}")
    };
    assert_eq!(attempts, 3);
    assert_eq!(server.seen().len(), 3);
    assert_eq!(
        (error.status, error.code),
        (500, Some(ErrorCode::InternalServerError))
    );
    assert_eq!(error.request_id.as_deref(), Some("last"));
}

#[tokio::test]
async fn retry_recovers_from_429_and_503_and_honours_retry_after() {
    let server = Scripted::start(vec![
        Reply::new(429, "slow down").header("retry-after", "0"),
        Reply::new(503, "busy"),
        Reply::new(200, r#"{"eventStreamingID":"s1"}"#),
    ])
    .await;
    let operated = client(&server, RetryConfig::default().with_max_attempts(3))
        .start("s1")
        .await
        .expect("third attempt succeeds");
    assert_eq!(operated.attempts(), 3);
    assert_eq!(operated.request_id(), Some("rid-200"));
}

#[tokio::test]
async fn client_errors_and_501_are_never_retried() {
    for status in [400, 401, 403, 404, 501] {
        let server = Scripted::start(vec![Reply::new(status, "{}")]).await;
        let error = client(&server, RetryConfig::default())
            .start("s1")
            .await
            .expect_err("error status");
        assert_eq!(error.status(), Some(status));
        assert!(!error.is_retryable(), "{status}");
        assert_eq!(server.seen().len(), 1, "{status} must not be retried");
    }
}

#[tokio::test]
async fn slow_answer_is_a_retryable_timeout() {
    let server = Scripted::start(vec![Reply::new(200, "{}").delayed(Duration::from_secs(3))]).await;
    let result = client(&server, RetryConfig::disabled()).start("s1").await;
    let Err(
        error @ Error::Transport {
            kind: TransportErrorKind::Timeout,
            attempts: 1,
            ..
        },
    ) = result
    else {
        panic!("expected a timeout, got {result:?}")
    };
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn refused_connection_is_a_retryable_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let client = common::loopback_client(
        format!("http://127.0.0.1:{port}"),
        PROJECT,
        Credentials::token("tok").expect("token"),
    )
    .retry(
        RetryConfig::default()
            .with_max_attempts(2)
            .with_base_delay(Duration::from_millis(1)),
    )
    .build()
    .expect("client");
    let result = client.start("s1").await;
    let Err(
        error @ Error::Transport {
            kind: TransportErrorKind::Connect,
            attempts: 2,
            ..
        },
    ) = result
    else {
        panic!("expected a connect error, got {result:?}")
    };
    assert!(error.is_retryable());
}

#[tokio::test]
async fn success_with_a_broken_body_is_an_invalid_response() {
    let server = Scripted::start(vec![Reply::new(200, "<html>ok</html>")]).await;
    let result = client(&server, RetryConfig::disabled()).start("s1").await;
    let Err(Error::InvalidResponse {
        status: 200,
        request_id,
        body,
        ..
    }) = result
    else {
        panic!("expected InvalidResponse, got {result:?}")
    };
    assert_eq!(
        (request_id.as_deref(), body.as_str()),
        (Some("rid-200"), "<html>ok</html>")
    );
}

#[test]
fn json_schemas_describe_the_bodies() {
    let request = serde_json::to_value(eg_client::schemas::request()).expect("schema JSON");
    assert_eq!(request["required"], serde_json::json!(["operation"]));
    assert_eq!(
        request["definitions"]["Operation"]["enum"],
        serde_json::json!(["START", "PAUSE"])
    );
    let response = serde_json::to_value(eg_client::schemas::response()).expect("schema JSON");
    assert_eq!(
        response["properties"]["eventStreamingID"]["type"],
        serde_json::json!(["string", "null"])
    );
}
