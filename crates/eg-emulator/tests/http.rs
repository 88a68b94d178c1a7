//! The emulator over real HTTP, driven by a plain HTTP client so that every
//! malformed or tampered request can be sent.

use std::time::Duration;

use eg_emulator::{EmulatorConfig, RunningEmulator, StreamStatus};
use eg_signer::{Credential, SecretKey};
use reqwest::{Method, StatusCode, header::HeaderMap};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "ExampleSecretKey0000000000000000000000000";

async fn emulator() -> RunningEmulator {
    emulator_with(|_| {}).await
}

/// The standard emulator, with `change` applied to its configuration.
async fn emulator_with(change: impl FnOnce(&mut EmulatorConfig)) -> RunningEmulator {
    let mut config = EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}=STOPPED").parse().expect("seed")],
        tokens: vec![format!("tok={PROJECT}").parse().expect("grant")],
        credentials: vec![
            format!("{AK}={SK}").parse().expect("credential"),
            "LIMITEDAK=limited-sk:other-project"
                .parse()
                .expect("credential"),
        ],
        ..EmulatorConfig::default()
    };
    change(&mut config);
    RunningEmulator::start_local(config)
        .await
        .expect("emulator")
}

fn url(emulator: &RunningEmulator, path: &str) -> String {
    format!("{}{path}", emulator.base_url())
}

fn operate_path() -> String {
    format!("/v1/{PROJECT}/eventstreamings/operate/{STREAM}")
}

/// Status, parsed body, and whether the `X-Request-Id` header equals the body's `request_id`.
async fn send(request: reqwest::RequestBuilder) -> (StatusCode, serde_json::Value) {
    send_response(request.send().await.expect("response")).await
}

async fn send_response(response: reqwest::Response) -> (StatusCode, serde_json::Value) {
    let status = response.status();
    let header_id = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body: serde_json::Value = response.json().await.expect("JSON body");
    if !status.is_success() {
        assert_eq!(
            body["request_id"],
            header_id.as_str(),
            "header and body request ids differ"
        );
    }
    assert!(header_id.ends_with("-eg-emulator"), "{header_id}");
    (status, body)
}

fn refusal(code: &str, message: &str, details: &str) -> serde_json::Value {
    serde_json::json!({ "error_code": code, "error_msg": message, "error_details": details })
}

/// The gateway's own body: no `error_details`.
fn gateway(code: &str, message: &str) -> serde_json::Value {
    serde_json::json!({ "error_code": code, "error_msg": message })
}

fn auth_failed(cause: &str) -> serde_json::Value {
    gateway(
        "APIGW.0301",
        &format!("Incorrect IAM authentication information: {cause}"),
    )
}

fn without_request_id(mut body: serde_json::Value) -> serde_json::Value {
    body.as_object_mut().expect("object").remove("request_id");
    body
}

#[tokio::test]
async fn malformed_requests_get_the_documented_400() {
    let emulator = emulator().await;
    let http = reqwest::Client::new();
    let post = |body: &'static str| {
        http.post(url(&emulator, &operate_path()))
            .header("x-auth-token", "tok")
            .body(body)
    };
    let cases = [
        (
            "",
            "request body: EOF while parsing a value at line 1 column 0",
        ),
        (
            "{\"operation\":",
            "request body: EOF while parsing a value at line 1 column 13",
        ),
        (
            "{\"operation\":\"RESTART\"}",
            "request body: `operation` must be one of START, PAUSE",
        ),
        ("{}", "request body: `operation` is required"),
        // serde alone reads an array as the struct: this was a 200.
        ("[\"START\"]", "request body must be an object"),
        ("\"START\"", "request body must be an object"),
        (
            "{\"operation\":[\"START\"]}",
            "request body: `operation` must be a string",
        ),
    ];
    for (body, details) in cases {
        let (status, answer) = send(post(body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            without_request_id(answer),
            refusal("EG.00014000", "Bad request", details),
            "{body}"
        );
    }
    // Over the limit, declared or streamed (chunked): the gateway's 413.
    let big = "x".repeat(eg_emulator::MAX_BODY_BYTES + 1);
    let chunks: Vec<Result<String, std::io::Error>> = vec![Ok(big.clone())];
    for body in [
        reqwest::Body::from(big),
        reqwest::Body::wrap_stream(futures::stream::iter(chunks)),
    ] {
        let (status, answer) = send(
            http.post(url(&emulator, &operate_path()))
                .header("x-auth-token", "tok")
                .body(body),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            without_request_id(answer),
            gateway("APIG.0201", "Request entity too large")
        );
    }
    let (status, answer) = send(
        http.post(url(&emulator, &operate_path()))
            .header("x-auth-token", "t".repeat(16385))
            .body("{}"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        without_request_id(answer),
        refusal(
            "EG.00014000",
            "Bad request",
            "X-Auth-Token is 16385 characters, at most 16384"
        )
    );
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Stopped)
    );
}

#[tokio::test]
async fn missing_token_is_401_and_unknown_route_is_404() {
    let emulator = emulator().await;
    let http = reqwest::Client::new();
    let (status, answer) = send(
        http.post(url(&emulator, &operate_path()))
            .body(r#"{"operation":"START"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        without_request_id(answer),
        auth_failed("neither X-Auth-Token nor Authorization was sent")
    );
    let (status, answer) = send(
        http.post(url(&emulator, &operate_path()))
            .header("x-auth-token", "not-a-token")
            .body(r#"{"operation":"START"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        without_request_id(answer),
        auth_failed("decrypt token fail")
    );
    assert_eq!(emulator.auth_failures(), 2);
    let not_found = gateway(
        "APIG.0101",
        "The API does not exist or has not been published in the environment",
    );
    for path in [
        "/v1/x",
        "/",
        "/v1/p/eventstreamings/operate/",
        "/v1/p/eventstreamings/operate/s/x",
    ] {
        let (status, answer) = send(http.get(url(&emulator, path))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(without_request_id(answer), not_found, "{path}");
    }
}

#[tokio::test]
async fn other_methods_get_405_with_a_body() {
    let emulator = emulator().await;
    let http = reqwest::Client::new();
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
        let response = http
            .request(method.clone(), url(&emulator, &operate_path()))
            .header("x-auth-token", "tok")
            .send()
            .await
            .expect("response");
        assert_eq!(response.headers()["allow"], "POST", "{method}");
        let (status, answer) = send_response(response).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(
            without_request_id(answer),
            gateway(
                "APIG.0101",
                "The API does not exist or has not been published in the environment"
            ),
            "{method}"
        );
    }
}

/// A request signed for the emulator, before any tampering.
struct Signed {
    method: Method,
    path_and_query: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn signed(emulator: &RunningEmulator, sk: &str, body: &[u8], at: time::OffsetDateTime) -> Signed {
    let path_and_query = format!("{}?lang=en", operate_path());
    let uri: http::Uri = url(emulator, &path_and_query).parse().expect("uri");
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "application/json".parse().expect("value"));
    let credential = Credential::new(AK, SecretKey::new(sk));
    eg_signer::sign(
        &credential,
        &Method::POST,
        &uri,
        &mut headers,
        body,
        Some(PROJECT),
        at,
    )
    .expect("signable");
    Signed {
        method: Method::POST,
        path_and_query,
        headers,
        body: body.to_vec(),
    }
}

async fn send_signed(
    emulator: &RunningEmulator,
    request: Signed,
) -> (StatusCode, serde_json::Value) {
    let http = reqwest::Client::new();
    send(
        http.request(request.method, url(emulator, &request.path_and_query))
            .headers(request.headers)
            .body(request.body),
    )
    .await
}

#[tokio::test]
async fn signed_requests_are_verified_like_the_gateway() {
    // Each case below is a failure of the same AK: no lockout here.
    let emulator = emulator_with(|config| config.lockout = None).await;
    let now = time::OffsetDateTime::now_utc();
    let body = br#"{"operation":"START"}"#;
    let (status, answer) = send_signed(&emulator, signed(&emulator, SK, body, now)).await;
    assert_eq!(
        (status, answer),
        (
            StatusCode::OK,
            serde_json::json!({ "eventStreamingID": STREAM })
        )
    );
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Running)
    );

    let mismatch = || "verify aksk signature fail".to_owned();
    let rejected = |cause: &str| auth_failed(cause);
    let mut cases: Vec<(&str, Signed, String)> = Vec::new();
    cases.push((
        "wrong SK",
        signed(&emulator, "wrong", body, now),
        mismatch(),
    ));
    let mut changed_body = signed(&emulator, SK, body, now);
    changed_body.body = br#"{"operation":"PAUSE"}"#.to_vec();
    cases.push(("changed body", changed_body, mismatch()));
    let mut changed_path = signed(&emulator, SK, body, now);
    changed_path.path_and_query = changed_path.path_and_query.replace(STREAM, "other");
    cases.push(("changed path", changed_path, mismatch()));
    let mut changed_query = signed(&emulator, SK, body, now);
    changed_query.path_and_query = changed_query.path_and_query.replace("lang=en", "lang=zh");
    cases.push(("changed query", changed_query, mismatch()));
    let mut changed_header = signed(&emulator, SK, body, now);
    changed_header
        .headers
        .insert("content-type", "text/plain".parse().expect("value"));
    cases.push(("changed signed header", changed_header, mismatch()));
    let mut no_date = signed(&emulator, SK, body, now);
    no_date.headers.remove("x-sdk-date");
    cases.push((
        "missing X-Sdk-Date",
        no_date,
        eg_signer::VerifyError::MissingDate.to_string(),
    ));
    let mut unknown_ak = signed(&emulator, SK, body, now);
    let authorization = unknown_ak.headers["authorization"]
        .to_str()
        .expect("ascii")
        .replace(AK, "UNKNOWNAK");
    unknown_ak
        .headers
        .insert("authorization", authorization.parse().expect("value"));
    cases.push((
        "unknown AK",
        unknown_ak,
        "Get secretKey failed,ak:UNKNOWNAK,err:ak not exist".to_owned(),
    ));
    for (what, request, details) in cases {
        let (status, answer) = send_signed(&emulator, request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(without_request_id(answer), rejected(&details), "{what}");
    }
    // The skew is measured when the request arrives from a date cut to whole
    // seconds, so it is 960 s less up to two seconds of truncation and travel.
    for minutes in [16, -16] {
        let signed_at = time::OffsetDateTime::now_utc() + time::Duration::minutes(minutes);
        let stale = signed(&emulator, SK, body, signed_at);
        let date = stale.headers["x-sdk-date"]
            .to_str()
            .expect("ascii")
            .to_owned();
        let (status, answer) = send_signed(&emulator, stale).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let details = answer["error_msg"].as_str().expect("message").to_owned();
        let expected = |skew: i64| {
            format!(
                "Incorrect IAM authentication information: {}",
                eg_signer::VerifyError::DateOutOfRange {
                    date: date.clone(),
                    skew_seconds: skew
                }
            )
        };
        let exact = minutes * 60;
        assert!(
            [exact - 2, exact - 1, exact, exact + 1]
                .map(expected)
                .contains(&details),
            "{details}"
        );
    }
}

#[tokio::test]
async fn key_pair_limited_to_other_projects_is_403() {
    let emulator = emulator().await;
    let uri: http::Uri = url(&emulator, &operate_path()).parse().expect("uri");
    let mut headers = HeaderMap::new();
    let credential = Credential::new("LIMITEDAK", SecretKey::new("limited-sk"));
    let body = br#"{"operation":"START"}"#;
    let now = time::OffsetDateTime::now_utc();
    eg_signer::sign(
        &credential,
        &Method::POST,
        &uri,
        &mut headers,
        body,
        Some(PROJECT),
        now,
    )
    .expect("signable");
    let request = Signed {
        method: Method::POST,
        path_and_query: operate_path(),
        headers,
        body: body.to_vec(),
    };
    let (status, answer) = send_signed(&emulator, request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        without_request_id(answer),
        refusal(
            "EG.00014030",
            "No permissions to request this method",
            &format!("not allowed to operate in project '{PROJECT}'")
        )
    );
}

#[tokio::test]
async fn faults_are_injected_at_the_configured_rate() {
    let config = EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}").parse().expect("seed")],
        tokens: vec![format!("tok={PROJECT}").parse().expect("grant")],
        faults: Some(eg_emulator::Faults {
            rate: 0.3,
            seed: 7,
            delay: Duration::from_millis(50),
        }),
        ..EmulatorConfig::default()
    };
    let emulator = RunningEmulator::start_local(config)
        .await
        .expect("emulator");
    let http = reqwest::Client::new();
    let mut failed = 0;
    for _ in 0..200 {
        let sent = http
            .post(url(&emulator, &operate_path()))
            .header("x-auth-token", "tok")
            .body(r#"{"operation":"START"}"#)
            .send()
            .await;
        let ok = match sent {
            Ok(response) if response.status().is_success() => response.bytes().await.is_ok(),
            _ => false,
        };
        failed += u64::from(!ok);
    }
    let injected = emulator.faults_injected();
    // A delayed answer still succeeds; every other fault fails its request.
    assert_eq!(failed, injected.total() - injected.delayed, "{injected:?}");
    for (kind, count) in [
        ("500", injected.status_500),
        ("503", injected.status_503),
        ("429", injected.status_429),
        ("delay", injected.delayed),
        ("cut", injected.cut),
    ] {
        assert!(count > 0, "no {kind} fault among {injected:?}");
    }
    // 30% of 200 requests: 60 expected; this seed is not an outlier.
    assert!((40..=80).contains(&injected.total()), "{injected:?}");
}
