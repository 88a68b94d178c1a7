//! The emulator follows the spec it is given: its routes, checks and 501s
//! come from a spec table. Served here with the real spec and with the
//! codegen fixture `multi.yaml` (the operate path moved to `/v2`, a new
//! value `RESTART`, a required `reason`, `force: boolean`, an `X-Language`
//! header, a GET with query limits and a DELETE).

use eg_client::ErrorCode;
use eg_emulator::{EmulatorConfig, RunningEmulator, StreamStatus};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
// The fixture's generated code derives with them.
use {progenitor_client as _, schemars as _, serde as _};

#[allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
mod fixture {
    include!("../../eg-codegen/tests/golden/multi.rs");
}

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STREAM: &str = "s1";
const TOKEN: &str = "tok";

async fn emulator(operations: &'static [eg_client::spec::OperationSpec]) -> RunningEmulator {
    RunningEmulator::start_local(EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}").parse().expect("seed")],
        tokens: vec![format!("{TOKEN}={PROJECT}").parse().expect("grant")],
        operations,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator")
}

/// Status, body without `request_id`, after checking that the body's
/// `request_id` is the `X-Request-Id` header.
async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("response");
    let status = response.status();
    let header = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let mut body: Value = response.json().await.expect("JSON body");
    if let Some(object) = body.as_object_mut()
        && let Some(id) = object.remove("request_id")
    {
        assert_eq!(id, header.as_str(), "header and body request ids differ");
    }
    (status, body)
}

fn refusal(code: &ErrorCode, details: &str) -> Value {
    json!({
        "error_code": code.as_str(),
        "error_msg": code.message().expect("a typed code"),
        "error_details": details,
    })
}

fn not_found() -> Value {
    let code = ErrorCode::ApiNotFound;
    json!({ "error_code": code.as_str(), "error_msg": code.message().expect("typed") })
}

fn operate_url(emulator: &RunningEmulator, version: &str) -> String {
    format!(
        "{}/{version}/{PROJECT}/eventstreamings/operate/{STREAM}",
        emulator.base_url()
    )
}

fn show_url(emulator: &RunningEmulator) -> String {
    format!(
        "{}/v1/{PROJECT}/eventstreamings/{STREAM}",
        emulator.base_url()
    )
}

#[tokio::test]
async fn the_fixture_moves_the_route_to_v2() {
    let emulator = emulator(fixture::spec::OPERATIONS).await;
    let http = reqwest::Client::new();
    let body = json!({"operation": "START", "reason": "test"});
    let (status, answer) = send(
        http.post(operate_url(&emulator, "v2"))
            .header("x-auth-token", TOKEN)
            .json(&body),
    )
    .await;
    assert_eq!(
        (status, answer),
        (StatusCode::OK, json!({"eventStreamingID": STREAM}))
    );
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Running)
    );
    let (status, answer) = send(
        http.post(operate_url(&emulator, "v1"))
            .header("x-auth-token", TOKEN)
            .json(&body),
    )
    .await;
    assert_eq!((status, answer), (StatusCode::NOT_FOUND, not_found()));
}

#[tokio::test]
async fn the_real_spec_serves_v1_only() {
    let emulator = emulator(eg_client::spec::OPERATIONS).await;
    let http = reqwest::Client::new();
    let (status, _) = send(
        http.post(operate_url(&emulator, "v1"))
            .header("x-auth-token", TOKEN)
            .json(&json!({"operation": "PAUSE"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Stopped)
    );
    for (method, url) in [
        (Method::POST, operate_url(&emulator, "v2")),
        (Method::GET, show_url(&emulator)),
    ] {
        let (status, answer) = send(
            http.request(method.clone(), url)
                .header("x-auth-token", TOKEN)
                .json(&json!({"operation": "PAUSE"})),
        )
        .await;
        assert_eq!(
            (status, answer),
            (StatusCode::NOT_FOUND, not_found()),
            "{method}"
        );
    }
}

#[tokio::test]
async fn headers_and_body_fields_are_checked_against_the_fixture() {
    let emulator = emulator(fixture::spec::OPERATIONS).await;
    let http = reqwest::Client::new();
    let post = |language: Option<&str>, body: Value| {
        let request = http
            .post(operate_url(&emulator, "v2"))
            .header("x-auth-token", TOKEN)
            .json(&body);
        match language {
            Some(language) => request.header("X-Language", language),
            None => request,
        }
    };
    let start = json!({"operation": "START", "reason": "r"});
    let bad = ErrorCode::BadRequest;
    let cases = [
        (
            Some("fr-fr"),
            start.clone(),
            "X-Language must be one of zh-cn, en-us",
        ),
        (
            None,
            json!({"operation": "START"}),
            "request body: `reason` is required",
        ),
        (
            None,
            json!({"operation": "START", "reason": "r", "force": "yes"}),
            "request body: `force` must be a boolean",
        ),
        (
            None,
            json!({"operation": "START", "reason": "r", "note": "eleven char"}),
            "request body: `note` is 11 characters, at most 10",
        ),
        (
            None,
            json!({"operation": "STOP", "reason": "r"}),
            "request body: `operation` must be one of START, PAUSE, RESTART",
        ),
    ];
    for (language, body, details) in cases {
        let (status, answer) = send(post(language, body.clone())).await;
        assert_eq!(
            (status, answer),
            (StatusCode::BAD_REQUEST, refusal(&bad, details)),
            "{body}"
        );
    }
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Created)
    );
    let (status, _) = send(post(
        Some("en-us"),
        json!({"operation": "PAUSE", "reason": "r", "force": true, "note": "short"}),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Stopped)
    );
}

#[tokio::test]
async fn an_operation_or_value_not_modelled_is_501_after_the_gateway() {
    let emulator = emulator(fixture::spec::OPERATIONS).await;
    let http = reqwest::Client::new();
    let not_implemented = ErrorCode::NotImplemented;
    // No credentials: the gateway answers first.
    let (status, answer) = send(http.get(show_url(&emulator))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        answer["error_code"],
        ErrorCode::GatewayAuthFailed.as_str(),
        "{answer}"
    );
    let (status, answer) = send(http.get(show_url(&emulator)).header("x-auth-token", TOKEN)).await;
    assert_eq!(
        (status, answer),
        (
            StatusCode::NOT_IMPLEMENTED,
            refusal(
                &not_implemented,
                "ShowEventStreaming (GET /v1/{project_id}/eventstreamings/{eventstreaming_id}) is in the spec, but the emulator does not model it"
            )
        )
    );
    let (status, answer) = send(
        http.delete(show_url(&emulator))
            .header("x-auth-token", TOKEN),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            StatusCode::NOT_IMPLEMENTED,
            refusal(
                &not_implemented,
                "DeleteEventStreaming (DELETE /v1/{project_id}/eventstreamings/{eventstreaming_id}) is in the spec, but the emulator does not model it"
            )
        )
    );
    // The query is checked before the 501.
    let (status, answer) = send(
        http.get(format!("{}?limit=101", show_url(&emulator)))
            .header("x-auth-token", TOKEN),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            StatusCode::BAD_REQUEST,
            refusal(&ErrorCode::BadRequest, "limit is 101, at most 100")
        )
    );
    // Other methods on the path: the gateway's 405, naming the spec's.
    let response = http
        .put(show_url(&emulator))
        .header("x-auth-token", TOKEN)
        .send()
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()["allow"], "GET, DELETE");
    // A value of the spec's enum that the state machine does not model.
    let (status, answer) = send(
        http.post(operate_url(&emulator, "v2"))
            .header("x-auth-token", TOKEN)
            .json(&json!({"operation": "RESTART", "reason": "r"})),
    )
    .await;
    assert_eq!(
        (status, answer),
        (
            StatusCode::NOT_IMPLEMENTED,
            refusal(
                &not_implemented,
                "operation `RESTART` is in the spec, but the emulator does not model what it does to a stream"
            )
        )
    );
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Created)
    );
}

/// The fixture's enum has a value the emulator does not model; the same
/// walk over the real spec's values is the registry's own test.
#[test]
fn the_fixture_names_its_one_value_not_modelled() {
    let missing: Vec<String> = fixture::types::Operation::ALL
        .iter()
        .map(ToString::to_string)
        .filter(|value| StreamStatus::after(value).is_none())
        .collect();
    assert_eq!(missing, ["RESTART"]);
}
