//! The client against the emulator, over real HTTP on loopback.

mod common;

use eg_client::{Client, Credentials, Error, ErrorCode, Operation, RetryConfig};
use eg_emulator::{EmulatorConfig, RunningEmulator, StreamStatus};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const TOKEN: &str = "MIIE-test-token";

fn config(streams: &[&str]) -> EmulatorConfig {
    EmulatorConfig {
        streams: streams
            .iter()
            .map(|s| s.parse().expect("stream seed"))
            .collect(),
        tokens: vec![
            format!("{TOKEN}={PROJECT}").parse().expect("token grant"),
            "other-token=another-project".parse().expect("token grant"),
        ],
        ..EmulatorConfig::default()
    }
}

fn client(emulator: &RunningEmulator, token: &str) -> Client {
    common::loopback_client(
        emulator.base_url(),
        PROJECT,
        Credentials::token(token).expect("valid token"),
    )
    .retry(RetryConfig::disabled())
    .build()
    .expect("valid configuration")
}

/// `request_uuid-timestamp-hostname`, as the docs page describes it.
fn assert_request_id_format(id: &str) {
    let parts: Vec<&str> = id.splitn(3, '-').collect();
    assert_eq!(parts.len(), 3, "{id}");
    assert_eq!(parts[0].len(), 32, "{id}");
    assert!(parts[0].chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert!(parts[1].parse::<u64>().is_ok(), "{id}");
    assert_eq!(parts[2], "eg-emulator");
}

#[tokio::test]
async fn start_then_pause_changes_the_stream_status() {
    let emulator = RunningEmulator::start_local(config(&[&format!("{PROJECT}/{STREAM}")]))
        .await
        .expect("emulator");
    let client = client(&emulator, TOKEN);
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Created)
    );

    let started = client.start(STREAM).await.expect("START succeeds");
    assert_eq!(started.event_streaming_id.as_deref(), Some(STREAM));
    assert_eq!(started.attempts(), 1);
    assert_request_id_format(started.request_id().expect("request id"));
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Running)
    );

    let paused = client
        .operate(STREAM, Operation::Pause)
        .await
        .expect("PAUSE succeeds");
    assert_eq!(paused.event_streaming_id.as_deref(), Some(STREAM));
    assert_ne!(paused.request_id(), started.request_id());
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Stopped)
    );

    // Setting a state twice is fine: the operation is idempotent.
    client.pause(STREAM).await.expect("second PAUSE succeeds");
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Stopped)
    );
    emulator.shutdown().await.expect("clean shutdown");
}

fn api_error(result: Result<eg_client::Operated, Error>) -> eg_client::ApiError {
    match result {
        Err(Error::Api { error, attempts: 1 }) => *error,
        other => panic!("expected one API error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_token_is_401_with_the_documented_body() {
    let emulator = RunningEmulator::start_local(config(&[&format!("{PROJECT}/{STREAM}")]))
        .await
        .expect("emulator");
    let error = api_error(client(&emulator, "not-a-known-token").start(STREAM).await);
    assert_eq!(error.status, 401);
    // The gateway in front of EG refuses it, with its own code.
    assert_eq!(error.code, Some(ErrorCode::parse("APIGW.0301")));
    assert_eq!(
        error.message.as_deref(),
        Some("Incorrect IAM authentication information: decrypt token fail")
    );
    assert_eq!(error.details.as_deref(), None);
    let request_id = error.request_id.clone().expect("request id");
    assert_request_id_format(&request_id);
    let body: serde_json::Value = serde_json::from_str(&error.body).expect("JSON body");
    assert_eq!(body["request_id"], request_id.as_str());
    assert!(!error.is_retryable());
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Created)
    );
}

#[tokio::test]
async fn token_of_another_project_is_403() {
    let emulator = RunningEmulator::start_local(config(&[&format!("{PROJECT}/{STREAM}")]))
        .await
        .expect("emulator");
    let error = api_error(client(&emulator, "other-token").start(STREAM).await);
    assert_eq!(
        (error.status, error.code.clone()),
        (403, Some(ErrorCode::Forbidden))
    );
    assert_eq!(
        error.message.as_deref(),
        Some("No permissions to request this method")
    );
    assert_eq!(
        error.details,
        Some(format!("not allowed to operate in project '{PROJECT}'"))
    );
}

#[tokio::test]
async fn unknown_stream_is_404_and_the_error_names_everything() {
    let emulator = RunningEmulator::start_local(config(&[]))
        .await
        .expect("emulator");
    let result = client(&emulator, TOKEN).pause("missing-stream").await;
    let rendered = result
        .as_ref()
        .err()
        .map(ToString::to_string)
        .expect("an error");
    let error = result.expect_err("404");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.code(), Some(&ErrorCode::NotFound));
    assert_eq!(error.message(), Some("Not request resource found"));
    assert!(!error.is_retryable());
    let request_id = error.request_id().expect("request id").to_owned();
    assert_eq!(
        rendered,
        format!(
            "HTTP 404 EG.00014040: Not request resource found (event streaming 'missing-stream' not found in project '{PROJECT}') [request id {request_id}] after 1 attempt(s)"
        )
    );
}

#[tokio::test]
async fn hostile_ids_reach_the_server_unchanged() {
    let ids = [
        "../x",
        "a/b",
        "a\\b",
        "x?y#z",
        "%2e%2e",
        "sp ace+plus",
        "é~",
    ];
    let seeds: Vec<String> = ids.iter().map(|id| format!("{PROJECT}/{id}")).collect();
    let seeds: Vec<&str> = seeds.iter().map(String::as_str).collect();
    let emulator = RunningEmulator::start_local(config(&seeds))
        .await
        .expect("emulator");
    let client = client(&emulator, TOKEN);
    for id in ids {
        let started = client
            .start(id)
            .await
            .unwrap_or_else(|e| panic!("START {id:?}: {e}"));
        assert_eq!(started.event_streaming_id.as_deref(), Some(id));
        assert_eq!(
            emulator.status(PROJECT, id),
            Some(StreamStatus::Running),
            "{id:?}"
        );
    }
}

#[tokio::test]
async fn invalid_arguments_are_refused_before_sending() {
    let emulator = RunningEmulator::start_local(config(&[]))
        .await
        .expect("emulator");
    let client = client(&emulator, TOKEN);
    let refused = |result: Result<eg_client::Operated, Error>| match result {
        Err(e @ Error::InvalidArgument { .. }) => e.to_string(),
        other => panic!("expected InvalidArgument, got {other:?}"),
    };
    assert_eq!(
        refused(client.start("").await),
        "invalid eventstreaming_id: shorter than 1 characters"
    );
    assert_eq!(
        refused(client.start("..").await),
        "invalid eventstreaming_id: '..' is a dot segment and cannot name a resource in a URL path"
    );
    assert_eq!(
        refused(client.pause(".").await),
        "invalid eventstreaming_id: '.' is a dot segment and cannot name a resource in a URL path"
    );
    let too_long = Credentials::token("t".repeat(16385)).expect_err("over the limit");
    assert_eq!(
        too_long.to_string(),
        "invalid X-Auth-Token: longer than 16384 characters"
    );
    let empty = Credentials::token("").expect_err("under the limit");
    assert_eq!(
        empty.to_string(),
        "invalid X-Auth-Token: shorter than 1 characters"
    );
    let no_project = common::loopback_client(
        emulator.base_url(),
        "",
        Credentials::token(TOKEN).expect("token"),
    )
    .build()
    .expect_err("empty project");
    assert_eq!(
        no_project.to_string(),
        "invalid project_id: shorter than 1 characters"
    );
    let operation = "RESTART".parse::<Operation>().expect_err("not in the enum");
    assert_eq!(operation.to_string(), "invalid value");
}

#[tokio::test]
async fn longest_documented_token_is_accepted() {
    let token = "t".repeat(16384);
    let mut config = config(&[&format!("{PROJECT}/{STREAM}")]);
    config
        .tokens
        .push(format!("{token}={PROJECT}").parse().expect("grant"));
    let emulator = RunningEmulator::start_local(config)
        .await
        .expect("emulator");
    client(&emulator, &token)
        .start(STREAM)
        .await
        .expect("16384-character token works");
}

#[tokio::test]
async fn one_client_serves_many_tasks() {
    let ids: Vec<String> = (0..32).map(|i| format!("stream-{i}")).collect();
    let seeds: Vec<String> = ids.iter().map(|id| format!("{PROJECT}/{id}")).collect();
    let seeds: Vec<&str> = seeds.iter().map(String::as_str).collect();
    let emulator = RunningEmulator::start_local(config(&seeds))
        .await
        .expect("emulator");
    let client = client(&emulator, TOKEN);
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (client, id) = (client.clone(), id.clone());
            tokio::spawn(async move { client.start(&id).await })
        })
        .collect();
    for (task, id) in tasks.into_iter().zip(&ids) {
        let started = task.await.expect("task").expect("START");
        assert_eq!(started.event_streaming_id.as_deref(), Some(id.as_str()));
        assert_eq!(emulator.status(PROJECT, id), Some(StreamStatus::Running));
    }
}

#[tokio::test]
async fn debug_output_never_shows_the_token() {
    let token = "super-secret-token-value";
    let credentials = Credentials::token(token).expect("token");
    assert_eq!(format!("{credentials:?}"), "Token(Token(***))");
    let client = Client::builder()
        .region("cn-north-4")
        .project_id(PROJECT)
        .credentials(credentials)
        .environment(eg_client::Environment::default())
        .build()
        .expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains(token), "{debug}");
    assert_eq!(
        debug,
        format!(
            "Client {{ base_url: \"https://eg.cn-north-4.myhuaweicloud.com\", project_id: \"{PROJECT}\", credentials: Token(Token(***)), retry: RetryConfig {{ max_attempts: 3, base_delay: 200ms, max_delay: 20s }} }}"
        )
    );
}

#[tokio::test]
async fn configuration_errors_name_what_is_missing() {
    let token = || Credentials::token(TOKEN).expect("token");
    let error =
        |builder: eg_client::ClientBuilder| builder.build().expect_err("invalid").to_string();
    assert_eq!(
        error(Client::builder().project_id(PROJECT).credentials(token())),
        "configuration: no endpoint and no region given"
    );
    assert_eq!(
        error(
            Client::builder()
                .region("mars-1")
                .project_id(PROJECT)
                .credentials(token())
        ),
        "configuration: unknown region 'mars-1' (known: cn-north-4, cn-east-2, cn-east-3, sa-brazil-1, ap-southeast-3, cn-south-1, cn-north-11, cn-north-9, na-mexico-1, eu-west-101; or set HUAWEICLOUD_SDK_REGION_EG_MARS_1)"
    );
    assert_eq!(
        error(Client::builder().region("cn-north-4").credentials(token())),
        "configuration: no project id given (nor HUAWEICLOUD_SDK_PROJECT_ID)"
    );
    assert_eq!(
        error(Client::builder().region("cn-north-4").project_id(PROJECT)),
        "configuration: no credentials given: pass them, set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or write ak and sk under [basic] in ~/.huaweicloud/credentials"
    );
}
