//! AK/SK signing, the credential chain and retries under injected faults.

mod common;

use std::time::Duration;

use common::{Reply, Scripted, Seen};
use eg_client::{
    Client, Credentials, Environment, Error, ErrorCode, Operation, RetryConfig,
    credentials::{SecretKey, Source},
};
use eg_emulator::{EmulatorConfig, Faults, RunningEmulator, StreamStatus};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "ExampleSecretKey0000000000000000000000000";

fn emulator_config() -> EmulatorConfig {
    EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}").parse().expect("seed")],
        credentials: vec![format!("{AK}={SK}").parse().expect("credential")],
        ..EmulatorConfig::default()
    }
}

fn signed_client(endpoint: String, credentials: Credentials, retry: RetryConfig) -> Client {
    common::loopback_client(endpoint, PROJECT, credentials)
        .retry(retry)
        .build()
        .expect("client")
}

/// Verifies a request the scripted server saw, as the gateway would.
fn verify(seen: &Seen, sk: &str) -> Result<eg_signer::Verified, eg_signer::VerifyError> {
    eg_signer::verify(
        &seen.method,
        &seen.uri,
        &seen.headers,
        &seen.body,
        time::OffsetDateTime::now_utc(),
        Duration::from_secs(900),
        |ak| (ak == AK).then(|| SecretKey::new(sk)),
    )
}

#[tokio::test]
async fn access_key_requests_are_accepted_by_the_emulator() {
    let emulator = RunningEmulator::start_local(emulator_config())
        .await
        .expect("emulator");
    let client = signed_client(
        emulator.base_url(),
        Credentials::access_key(AK, SK),
        RetryConfig::disabled(),
    );
    let started = client.start(STREAM).await.expect("signed START");
    assert_eq!(started.event_streaming_id.as_deref(), Some(STREAM));
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Running)
    );
    client.pause(STREAM).await.expect("signed PAUSE");
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Stopped)
    );
}

#[tokio::test]
async fn wrong_secret_key_is_401_and_never_shown() {
    let emulator = RunningEmulator::start_local(emulator_config())
        .await
        .expect("emulator");
    let wrong = "WrongSecretKey-do-not-print";
    let client = signed_client(
        emulator.base_url(),
        Credentials::access_key(AK, wrong),
        RetryConfig::default(),
    );
    let error = client.start(STREAM).await.expect_err("bad signature");
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.code(), Some(&ErrorCode::parse("APIGW.0301")));
    let Error::Api {
        error: api,
        attempts: 1,
    } = &error
    else {
        panic!("one API error expected, got {error:?}")
    };
    assert_eq!(
        api.message.as_deref(),
        Some("Incorrect IAM authentication information: verify aksk signature fail")
    );
    assert_eq!(api.details.as_deref(), None);
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shown.contains(wrong), "{shown}");
    }
    assert_eq!(
        emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Created)
    );
}

#[tokio::test]
async fn temporary_credentials_sign_security_token_and_project_id() {
    let server = Scripted::start(vec![Reply::new(200, r#"{"eventStreamingID":"s1"}"#)]).await;
    let client = signed_client(
        server.base_url(),
        Credentials::temporary(AK, SK, "sts-token"),
        RetryConfig::disabled(),
    );
    client.start("s1").await.expect("200");
    let seen = &server.seen()[0];
    assert_eq!(seen.headers["x-security-token"], "sts-token");
    assert_eq!(seen.headers["x-project-id"], PROJECT);
    assert_eq!(seen.headers.get("x-auth-token"), None);
    assert_eq!(seen.headers.get("api-version"), None);
    let verified = verify(seen, SK).expect("a valid signature");
    assert_eq!(verified.access_key, AK);
    assert_eq!(verified.security_token.as_deref(), Some("sts-token"));
    assert_eq!(
        verified.signed_headers,
        [
            "accept",
            "content-type",
            "host",
            "user-agent",
            "x-project-id",
            "x-sdk-date",
            "x-security-token"
        ]
    );
}

#[tokio::test]
async fn every_retry_is_signed_afresh() {
    let server = Scripted::start(vec![
        Reply::new(503, "busy").header("retry-after", "1"),
        Reply::new(200, r#"{"eventStreamingID":"s1"}"#),
    ])
    .await;
    let client = signed_client(
        server.base_url(),
        Credentials::access_key(AK, SK),
        RetryConfig::default(),
    );
    assert_eq!(
        client.start("s1").await.expect("second attempt").attempts(),
        2
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let dates: Vec<&str> = seen
        .iter()
        .map(|s| s.headers["x-sdk-date"].to_str().expect("ascii"))
        .collect();
    assert_ne!(
        dates[0], dates[1],
        "Retry-After: 1 puts the attempts in different seconds"
    );
    for request in &seen {
        verify(request, SK).expect("each attempt carries its own valid signature");
    }
}

#[tokio::test]
async fn dry_run_shows_the_signed_request_without_secrets_and_sends_nothing() {
    let server = Scripted::start(vec![Reply::new(200, "{}")]).await;
    let client = signed_client(
        server.base_url(),
        Credentials::temporary(AK, SK, "sts-token"),
        RetryConfig::disabled(),
    );
    let prepared = client
        .dry_run("a b", Operation::Pause)
        .await
        .expect("dry run");
    assert!(server.seen().is_empty());
    assert_eq!(
        prepared.url,
        format!(
            "{}/v1/{PROJECT}/eventstreamings/operate/a%20b",
            server.base_url()
        )
    );
    assert_eq!(prepared.body, r#"{"operation":"PAUSE"}"#);
    let header = |name: &str| {
        prepared
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("x-security-token"), Some("***"));
    assert_eq!(
        header("authorization"),
        Some(format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=accept;content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token, Signature=***").as_str())
    );
    let text = prepared.to_string();
    assert!(
        text.starts_with(&format!("POST {}/v1/", server.base_url())),
        "{text}"
    );
    assert!(!text.contains(SK) && !text.contains("sts-token"), "{text}");
}

fn build_from(env: &[(&str, &str)]) -> Result<Client, Error> {
    Client::builder()
        .region("cn-north-4")
        .environment(Environment::from_pairs(env.iter().copied()))
        .build()
}

#[test]
fn environment_credentials_and_project() {
    let client = build_from(&[
        ("HUAWEICLOUD_SDK_AK", AK),
        ("HUAWEICLOUD_SDK_SK", SK),
        ("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "sts"),
    ])
    .expect("client");
    assert_eq!(client.credentials_source(), &Source::Environment);
    assert_eq!(client.project_id(), PROJECT);
    let debug = format!("{client:?}");
    assert!(!debug.contains(SK) && !debug.contains("sts"), "{debug}");
}

#[test]
fn incomplete_environment_is_named() {
    let error = build_from(&[("HUAWEICLOUD_SDK_AK", AK)]).expect_err("no SK");
    assert_eq!(
        error.to_string(),
        "configuration: HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is missing in the environment"
    );
    let error = build_from(&[("HUAWEICLOUD_SDK_SK", SK)]).expect_err("no AK");
    assert_eq!(
        error.to_string(),
        "configuration: HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is missing in the environment"
    );
    assert!(!error.to_string().contains(SK));
}

#[test]
fn profile_file_from_variable_and_from_home() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("creds");
    std::fs::write(
        &file,
        format!("[basic]\nak = {AK}\nsk = {SK}\nproject_id = {PROJECT}\n"),
    )
    .expect("write");
    let file_str = file.to_str().expect("utf-8 path");
    let client = build_from(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file_str)]).expect("client");
    assert_eq!(
        client.credentials_source(),
        &Source::ProfileFile(file.clone())
    );
    assert_eq!(client.project_id(), PROJECT);

    std::fs::create_dir(dir.path().join(".huaweicloud")).expect("mkdir");
    let default_file = dir.path().join(".huaweicloud").join("credentials");
    std::fs::write(&default_file, format!("[basic]\nak={AK}\nsk={SK}\n")).expect("write");
    let home = dir.path().to_str().expect("utf-8 path");
    let client =
        build_from(&[("HOME", home), ("HUAWEICLOUD_SDK_PROJECT_ID", "p-env")]).expect("client");
    assert_eq!(
        client.credentials_source(),
        &Source::ProfileFile(default_file)
    );
    assert_eq!(client.project_id(), "p-env");

    // The environment comes before the file.
    let client = build_from(&[
        ("HOME", home),
        ("HUAWEICLOUD_SDK_AK", "A2"),
        ("HUAWEICLOUD_SDK_SK", "S2"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "p"),
    ])
    .expect("client");
    assert_eq!(client.credentials_source(), &Source::Environment);
}

#[test]
fn broken_profile_files_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("creds");
    std::fs::write(&file, "[basic]\nak = AK1\n").expect("write");
    let path = file.to_str().expect("utf-8 path");
    let error = build_from(&[
        ("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "p"),
    ])
    .expect_err("no sk");
    assert_eq!(
        error.to_string(),
        format!("configuration: ak is set but sk is missing in {path} [basic]")
    );
    let missing = dir.path().join("absent");
    let missing = missing.to_str().expect("utf-8 path");
    let error =
        build_from(&[("HUAWEICLOUD_SDK_CREDENTIALS_FILE", missing)]).expect_err("missing file");
    assert_eq!(
        error.to_string(),
        format!("configuration: cannot read {missing}: No such file or directory (os error 2)")
    );
    let error = build_from(&[("HOME", dir.path().to_str().expect("utf-8 path"))])
        .expect_err("no credentials");
    assert_eq!(
        error.to_string(),
        "configuration: no credentials given: pass them, set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or write ak and sk under [basic] in ~/.huaweicloud/credentials"
    );
}

#[test]
fn explicit_credentials_win_and_region_endpoints_can_be_overridden() {
    let client = Client::builder()
        .region("cn-north-4")
        .project_id("p")
        .credentials(Credentials::token("tok").expect("token"))
        .environment(Environment::from_pairs([
            ("HUAWEICLOUD_SDK_AK", AK),
            ("HUAWEICLOUD_SDK_SK", SK),
            (
                "HUAWEICLOUD_SDK_REGION_EG_CN_NORTH_4",
                "http://127.0.0.1:9/",
            ),
        ]))
        .build()
        .expect("client");
    assert_eq!(client.credentials_source(), &Source::Explicit);
    assert_eq!(client.base_url(), "http://127.0.0.1:9");
    let unknown = Client::builder()
        .region("xx-test-1")
        .project_id("p")
        .credentials(Credentials::token("tok").expect("token"))
        .environment(Environment::from_pairs([(
            "HUAWEICLOUD_SDK_REGION_EG_XX_TEST_1",
            "http://127.0.0.1:10",
        )]))
        .build()
        .expect("an override makes any region usable");
    assert_eq!(unknown.base_url(), "http://127.0.0.1:10");
}

fn faulty_emulator_config(seed: u64) -> EmulatorConfig {
    // START-only and PAUSE-only streams: a timed-out request that the
    // emulator still applies later repeats the same state, so the end state
    // is certain, as it is for real callers of this idempotent operation.
    let streams = (0..20)
        .flat_map(|i| {
            [
                format!("{PROJECT}/start-{i}=CREATED"),
                format!("{PROJECT}/pause-{i}=RUNNING"),
            ]
        })
        .map(|seed| seed.parse().expect("seed"))
        .collect();
    EmulatorConfig {
        streams,
        faults: Some(Faults {
            rate: 0.3,
            seed,
            delay: Duration::from_millis(800),
        }),
        ..emulator_config()
    }
}

fn faulty_client(emulator: &RunningEmulator, retry: RetryConfig) -> Client {
    common::loopback_client(
        emulator.base_url(),
        PROJECT,
        Credentials::access_key(AK, SK),
    )
    .timeout(Duration::from_millis(300))
    .retry(retry)
    .build()
    .expect("client")
}

#[tokio::test]
async fn every_operation_succeeds_at_30_percent_faults_with_retries() {
    let emulator = RunningEmulator::start_local(faulty_emulator_config(11))
        .await
        .expect("emulator");
    let retry = RetryConfig::default()
        .with_max_attempts(10)
        .with_base_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(50));
    let client = faulty_client(&emulator, retry);
    let mut retried = 0;
    for i in 0..20 {
        for (id, operation, after) in [
            (
                format!("start-{i}"),
                Operation::Start,
                StreamStatus::Running,
            ),
            (
                format!("pause-{i}"),
                Operation::Pause,
                StreamStatus::Stopped,
            ),
        ] {
            let done = client
                .operate(&id, operation)
                .await
                .unwrap_or_else(|e| panic!("{id} {operation}: {e}"));
            retried += done.attempts() - 1;
            assert_eq!(emulator.status(PROJECT, &id), Some(after));
        }
    }
    assert_eq!(
        u64::from(retried),
        emulator.faults_injected().total(),
        "every fault cost exactly one retry"
    );
    assert!(retried > 0);
}

#[tokio::test]
async fn without_retries_each_fault_is_a_clear_error() {
    let emulator = RunningEmulator::start_local(faulty_emulator_config(5))
        .await
        .expect("emulator");
    let client = faulty_client(&emulator, RetryConfig::disabled());
    let mut failures = 0;
    for i in 0..20 {
        let Err(error) = client.start(&format!("start-{i}")).await else {
            continue;
        };
        failures += 1;
        assert!(error.is_retryable(), "{error}");
        match &error {
            Error::Api {
                error: api,
                attempts: 1,
            } => {
                assert!([429, 500, 503].contains(&api.status), "{error}");
                assert!(
                    api.request_id
                        .as_deref()
                        .is_some_and(|id| id.ends_with("-eg-emulator")),
                    "{error}"
                );
                // An injected 429 is the gateway's throttling body, which has no details.
                let details = (api.status != 429).then_some("injected fault");
                assert_eq!(api.details.as_deref(), details, "{error}");
            }
            Error::Transport { attempts: 1, .. } => {}
            other => panic!("unexpected error {other:?}"),
        }
    }
    // The client's timeout is shorter than the injected delay, so delays fail too.
    assert_eq!(failures, emulator.faults_injected().total());
    assert!(failures > 0);
}

#[tokio::test]
async fn hostile_ids_are_signed_and_verified_as_sent() {
    let ids = [
        "a b", "é", "x+y", "t~", "a/b", "%2F", "../x", "a\\b", "q?r#s",
    ];
    let mut config = emulator_config();
    config.streams.extend(
        ids.iter()
            .map(|id| format!("{PROJECT}/{id}").parse().expect("seed")),
    );
    let emulator = RunningEmulator::start_local(config)
        .await
        .expect("emulator");
    let client = signed_client(
        emulator.base_url(),
        Credentials::access_key(AK, SK),
        RetryConfig::disabled(),
    );
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
