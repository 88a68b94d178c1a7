//! What the client costs on top of a bare HTTP POST, measured against the
//! emulator on loopback in the same run (the machines are shared and noisy,
//! so only ratios to the baseline mean anything).
//!
//! `cargo bench --bench overhead` prints, for N sequential requests each:
//! the raw reqwest baseline, the client with a token, and the client signing
//! with AK/SK.

use std::time::{Duration, Instant};

use eg_client::{Client, Credentials, Environment, RetryConfig};
use eg_emulator::{EmulatorConfig, RunningEmulator};

const PROJECT: &str = "p1";
const STREAM: &str = "s1";
const REQUESTS: u32 = 2000;

#[tokio::main]
async fn main() {
    let emulator = RunningEmulator::start_local(EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}").parse().expect("seed")],
        tokens: vec![format!("tok={PROJECT}").parse().expect("grant")],
        credentials: vec!["AK=SK".parse().expect("credential")],
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let url = format!(
        "{}/v1/{PROJECT}/eventstreamings/operate/{STREAM}",
        emulator.base_url()
    );
    let raw = reqwest::Client::new();
    let client = |credentials| {
        Client::builder()
            .endpoint(emulator.base_url())
            .project_id(PROJECT)
            .credentials(credentials)
            .environment(Environment::default())
            .retry(RetryConfig::disabled())
            .build()
            .expect("client")
    };
    let token = client(Credentials::token("tok").expect("token"));
    let signed = client(Credentials::access_key("AK", "SK"));

    // Warm the pools and the emulator first.
    for _ in 0..100 {
        token.start(STREAM).await.expect("warm-up");
    }
    let baseline = measure(|| async {
        let response = raw
            .post(&url)
            .header("x-auth-token", "tok")
            .header("content-type", "application/json")
            .body(r#"{"operation":"START"}"#)
            .send()
            .await
            .expect("raw POST");
        assert!(response.status().is_success());
        response.bytes().await.expect("body");
    })
    .await;
    let with_token = measure(|| async {
        token.start(STREAM).await.expect("token START");
    })
    .await;
    let with_signing = measure(|| async {
        signed.start(STREAM).await.expect("signed START");
    })
    .await;

    println!("{REQUESTS} sequential START requests each, loopback emulator:");
    for (name, took) in [
        ("raw reqwest POST (baseline)", baseline),
        ("client, token", with_token),
        ("client, AK/SK signing", with_signing),
    ] {
        println!(
            "  {name:<28} {:>8.1} µs/request  {:>5.2}x baseline",
            took.as_secs_f64() * 1e6 / f64::from(REQUESTS),
            took.as_secs_f64() / baseline.as_secs_f64()
        );
    }
    emulator.shutdown().await.expect("shutdown");
}

async fn measure<F, Fut>(mut request: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let started = Instant::now();
    for _ in 0..REQUESTS {
        request().await;
    }
    started.elapsed()
}
