//! The gateway layer: AK lockout, throttling and signed-header rules, with a
//! clock the tests move by hand (nothing sleeps).

use std::{num::NonZeroU32, sync::Arc, time::Duration};

use eg_emulator::{EmulatorConfig, Lockout, ManualClock, RunningEmulator, StreamStatus};
use eg_signer::{Credential, SecretKey};
use reqwest::{StatusCode, header::HeaderMap};
use serde_json::{Value, json};
use time::macros::datetime;

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "ExampleSecretKey0000000000000000000000000";
const LOCKED: &str =
    "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.";
const MISMATCH: &str = "Incorrect IAM authentication information: verify aksk signature fail";

struct Gateway {
    emulator: RunningEmulator,
    clock: ManualClock,
    http: reqwest::Client,
}

async fn gateway(change: impl FnOnce(&mut EmulatorConfig)) -> Gateway {
    let clock = ManualClock::new(datetime!(2024-01-02 03:04:05 UTC));
    let mut config = EmulatorConfig {
        streams: vec![
            format!("{PROJECT}/{STREAM}").parse().expect("seed"),
            "other-project/s".parse().expect("seed"),
        ],
        tokens: vec![
            format!("tok={PROJECT},other-project")
                .parse()
                .expect("grant"),
        ],
        credentials: vec![format!("{AK}={SK}").parse().expect("credential")],
        clock: Arc::new(clock.clone()),
        ..EmulatorConfig::default()
    };
    change(&mut config);
    Gateway {
        emulator: RunningEmulator::start_local(config)
            .await
            .expect("emulator"),
        clock,
        http: reqwest::Client::new(),
    }
}

impl Gateway {
    /// POSTs START signed with `sk` at the emulator's current time.
    async fn signed(&self, sk: &str) -> (StatusCode, Value) {
        let path = format!("/v1/{PROJECT}/eventstreamings/operate/{STREAM}");
        let url = format!("{}{path}", self.emulator.base_url());
        let body = br#"{"operation":"START"}"#;
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().expect("value"));
        eg_signer::sign(
            &Credential::new(AK, SecretKey::new(sk)),
            &reqwest::Method::POST,
            &url.parse().expect("uri"),
            &mut headers,
            body,
            Some(PROJECT),
            self.clock_now(),
        )
        .expect("signable");
        answer(self.http.post(url).headers(headers).body(body.to_vec())).await
    }

    async fn with_token(&self, project: &str, id: &str) -> (StatusCode, Value) {
        let url = format!(
            "{}/v1/{project}/eventstreamings/operate/{id}",
            self.emulator.base_url()
        );
        answer(
            self.http
                .post(url)
                .header("x-auth-token", "tok")
                .body(r#"{"operation":"PAUSE"}"#),
        )
        .await
    }

    fn clock_now(&self) -> time::OffsetDateTime {
        eg_emulator::Clock::now(&self.clock)
    }
}

/// Status and body without `request_id` (checked against `X-Request-Id`).
async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("response");
    let status = response.status();
    let id = response.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let mut body: Value = response.json().await.expect("JSON body");
    if !status.is_success() {
        let object = body.as_object_mut().expect("object");
        assert_eq!(object.remove("request_id"), Some(json!(id)));
    }
    (status, body)
}

fn gateway_body(code: &str, message: &str) -> Value {
    json!({ "error_code": code, "error_msg": message })
}

/// Issue 18, defect 1: the fifth failure locked the key; Huawei's gateway
/// locks after more than five.
#[tokio::test]
async fn more_than_five_failures_lock_the_key_even_for_a_correct_signature() {
    let gw = gateway(|_| {}).await;
    let mismatch = (
        StatusCode::UNAUTHORIZED,
        gateway_body("APIGW.0301", MISMATCH),
    );
    // Five failures in a row: not locked, the right SK still gets through.
    for _ in 0..5 {
        assert_eq!(gw.signed("wrong").await, mismatch);
    }
    assert_eq!(
        gw.signed(SK).await,
        (StatusCode::OK, json!({ "eventStreamingID": STREAM }))
    );
    // Six in a row: the sixth is still answered as a mismatch, then locked.
    for _ in 0..6 {
        assert_eq!(gw.signed("wrong").await, mismatch);
    }
    // Tokens are not affected by an AK's lock.
    assert_eq!(gw.with_token(PROJECT, STREAM).await.0, StatusCode::OK);
    // Locked: the right SK is refused too, for the whole lockout.
    let locked = (StatusCode::UNAUTHORIZED, gateway_body("APIGW.0301", LOCKED));
    assert_eq!(gw.signed(SK).await, locked);
    gw.clock.advance(Duration::from_secs(299));
    assert_eq!(gw.signed(SK).await, locked);
    assert_eq!(gw.signed("wrong").await, locked);
    // The token's PAUSE stands: no locked START was applied.
    assert_eq!(
        gw.emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Stopped)
    );
    gw.clock.advance(Duration::from_secs(1));
    assert_eq!(
        gw.signed(SK).await,
        (StatusCode::OK, json!({ "eventStreamingID": STREAM }))
    );
    assert_eq!(gw.emulator.auth_failures(), 14);
}

#[tokio::test]
async fn a_success_before_the_limit_resets_the_count() {
    let gw = gateway(|config| {
        config.lockout = Some(Lockout {
            after: NonZeroU32::new(3).expect("non-zero"),
            duration: Duration::from_secs(60),
        });
    })
    .await;
    for _ in 0..3 {
        assert_eq!(gw.signed("wrong").await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(gw.signed(SK).await.0, StatusCode::OK);
    for _ in 0..3 {
        assert_eq!(gw.signed("wrong").await.1["error_msg"], MISMATCH);
    }
    assert_eq!(gw.signed(SK).await.0, StatusCode::OK);
    // Four in a row (more than three) lock it, for 60 s.
    for _ in 0..4 {
        assert_eq!(gw.signed("wrong").await.1["error_msg"], MISMATCH);
    }
    assert_eq!(gw.signed(SK).await.1["error_msg"], LOCKED);
    gw.clock.advance(Duration::from_secs(59));
    assert_eq!(gw.signed(SK).await.1["error_msg"], LOCKED);
    gw.clock.advance(Duration::from_secs(1));
    assert_eq!(gw.signed(SK).await.0, StatusCode::OK);
    assert_eq!(gw.emulator.auth_failures(), 12);
}

#[tokio::test]
async fn lockout_off_never_locks() {
    let gw = gateway(|config| config.lockout = None).await;
    for _ in 0..20 {
        assert_eq!(gw.signed("wrong").await.1["error_msg"], MISMATCH);
    }
    assert_eq!(gw.signed(SK).await.0, StatusCode::OK);
    assert_eq!(gw.emulator.auth_failures(), 20);
}

#[tokio::test]
async fn each_project_is_throttled_to_its_rate() {
    let gw = gateway(|config| config.rate_limit = NonZeroU32::new(3)).await;
    let throttled = (
        StatusCode::TOO_MANY_REQUESTS,
        gateway_body("APIGW.0308", "The throttling threshold has been reached"),
    );
    // A burst of 3, then 429; another project has its own bucket.
    for _ in 0..3 {
        assert_eq!(gw.with_token(PROJECT, STREAM).await.0, StatusCode::OK);
    }
    assert_eq!(gw.with_token(PROJECT, STREAM).await, throttled);
    assert_eq!(gw.with_token("other-project", "s").await.0, StatusCode::OK);
    // 3 per second: one token back after a third of a second.
    gw.clock.advance(Duration::from_millis(340));
    assert_eq!(gw.with_token(PROJECT, STREAM).await.0, StatusCode::OK);
    assert_eq!(gw.with_token(PROJECT, STREAM).await, throttled);
    // Never more than the burst, however long it waited.
    gw.clock.advance(Duration::from_secs(60));
    for _ in 0..3 {
        assert_eq!(gw.with_token(PROJECT, STREAM).await.0, StatusCode::OK);
    }
    assert_eq!(gw.with_token(PROJECT, STREAM).await, throttled);
    assert_eq!(gw.emulator.auth_failures(), 0);
}

/// Issue 8, defect 3: SignedHeaders without `host` or `x-sdk-date` was 200.
#[tokio::test]
async fn requests_not_signed_over_host_and_date_are_401() {
    let gw = gateway(|config| config.lockout = None).await;
    let path = format!("/v1/{PROJECT}/eventstreamings/operate/{STREAM}");
    let body = br#"{"operation":"START"}"#;
    let date = eg_signer::format_date(gw.clock_now());
    for (names, unsigned) in [
        (&["x-sdk-date"][..], "host"),
        (&["content-type"][..], "host"),
        (&["content-type", "host"][..], "x-sdk-date"),
    ] {
        let values = |name: &str| match name {
            "host" => "evil.example.com".to_owned(),
            "x-sdk-date" => date.clone(),
            _ => "application/json".to_owned(),
        };
        let signed: Vec<(String, String)> =
            names.iter().map(|&n| (n.to_owned(), values(n))).collect();
        let canonical = eg_signer::canonical_request("POST", &path, None, &signed, body);
        let signature = eg_signer::signature(
            &SecretKey::new(SK),
            &eg_signer::string_to_sign(&date, &canonical),
        );
        let result = answer(
            gw.http
                .post(format!("{}{path}", gw.emulator.base_url()))
                .header("host", "evil.example.com")
                .header("content-type", "application/json")
                .header("x-sdk-date", &date)
                .header(
                    "authorization",
                    format!(
                        "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={}, Signature={signature}",
                        names.join(";")
                    ),
                )
                .body(body.to_vec()),
        )
        .await;
        assert_eq!(
            result,
            (
                StatusCode::UNAUTHORIZED,
                gateway_body(
                    "APIGW.0301",
                    &format!(
                        "Incorrect IAM authentication information: SignedHeaders must include `{unsigned}`"
                    )
                )
            ),
            "{names:?}"
        );
    }
    assert_eq!(
        gw.emulator.status(PROJECT, STREAM),
        Some(StreamStatus::Created)
    );
}

#[tokio::test]
async fn out_of_range_limits_are_clamped_not_a_panic() {
    let gw = gateway(|config| {
        config.lockout = Some(Lockout {
            after: NonZeroU32::MIN,
            duration: Duration::MAX,
        });
        config.limits.max_connections = 0;
        config.limits.header_read_timeout = Duration::MAX;
    })
    .await;
    // A limit of one: the first failure passes, the second locks.
    assert_eq!(gw.signed("wrong").await.1["error_msg"], MISMATCH);
    assert_eq!(gw.signed("wrong").await.1["error_msg"], MISMATCH);
    gw.clock.advance(Duration::from_secs(10 * 365 * 86_400));
    assert_eq!(gw.signed(SK).await.1["error_msg"], LOCKED);
    assert_eq!(gw.with_token(PROJECT, STREAM).await.0, StatusCode::OK);
}

/// Issue 18, defect 4: the gateway throttled before authenticating, so
/// strangers spent a project's quota and each new project id they sent grew
/// the throttling map.
#[tokio::test]
async fn only_authenticated_requests_are_throttled_or_tracked() {
    let gw = gateway(|config| config.rate_limit = NonZeroU32::new(1)).await;
    let base = gw.emulator.base_url();
    let start = r#"{"operation":"START"}"#;
    for i in 0..50 {
        let url = format!("{base}/v1/project-{i}/eventstreamings/operate/s");
        assert_eq!(
            answer(gw.http.post(url).body(start)).await,
            (
                StatusCode::UNAUTHORIZED,
                gateway_body(
                    "APIGW.0301",
                    "Incorrect IAM authentication information: neither X-Auth-Token nor Authorization was sent"
                )
            )
        );
    }
    // Over the rate, in the tenant's own project: 401, never 429.
    let url = format!("{base}/v1/{PROJECT}/eventstreamings/operate/{STREAM}");
    for _ in 0..3 {
        let request = gw
            .http
            .post(&url)
            .header("x-auth-token", "forged")
            .body(start);
        assert_eq!(
            answer(request).await.1["error_msg"],
            "Incorrect IAM authentication information: decrypt token fail"
        );
        assert_eq!(gw.signed("wrong").await.1["error_msg"], MISMATCH);
    }
    assert_eq!(gw.emulator.throttled_projects(), 0);
    // The tenant's quota is whole: one request a second, then 429.
    assert_eq!(gw.with_token(PROJECT, STREAM).await.0, StatusCode::OK);
    assert_eq!(
        gw.with_token(PROJECT, STREAM).await,
        (
            StatusCode::TOO_MANY_REQUESTS,
            gateway_body("APIGW.0308", "The throttling threshold has been reached")
        )
    );
    assert_eq!(gw.emulator.throttled_projects(), 1);
    assert_eq!(gw.emulator.auth_failures(), 56);
}

/// Issue 18, defect 4: distinct 60 KB project ids grew the map to 10,000
/// entries (600 MB); it is bounded by memory as well as by count.
#[tokio::test]
async fn long_project_ids_keep_the_throttling_map_within_its_memory_bound() {
    let gw = gateway(|config| config.rate_limit = NonZeroU32::new(1)).await;
    for i in 0..100 {
        // Authenticated, so throttled (then refused by EG: not its project).
        let project = format!("{i:03}{}", "p".repeat(59_997));
        assert_eq!(gw.with_token(&project, "s").await.0, StatusCode::FORBIDDEN);
    }
    // 4 MiB for the buckets, 60,000 bytes of id and 128 of overhead each.
    assert_eq!(gw.emulator.throttled_projects(), 69);
}
