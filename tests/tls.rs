//! HTTPS with rustls: the client trusts a private CA, and only that.

mod common;

use eg_client::{Client, Credentials, Error, RetryConfig, TransportErrorKind};
use eg_emulator::{EmulatorConfig, RunningEmulator, StreamStatus, TlsFiles};

const PROJECT: &str = "p1";

async fn tls_emulator() -> (RunningEmulator, String) {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
    let cert_pem = certified.cert.pem();
    let tls = TlsFiles {
        cert_pem: cert_pem.clone().into_bytes(),
        key_pem: certified.signing_key.serialize_pem().into_bytes(),
    };
    let config = EmulatorConfig {
        streams: vec![format!("{PROJECT}/s1").parse().expect("seed")],
        tokens: vec![format!("tok={PROJECT}").parse().expect("grant")],
        ..EmulatorConfig::default()
    };
    let emulator = RunningEmulator::start_tls("127.0.0.1:0".parse().expect("addr"), config, tls)
        .await
        .expect("TLS emulator");
    (emulator, cert_pem)
}

fn client(endpoint: String, root: Option<&str>) -> Client {
    let mut builder =
        common::loopback_client(endpoint, PROJECT, Credentials::token("tok").expect("token"))
            .retry(RetryConfig::disabled());
    if let Some(pem) = root {
        builder = builder.add_root_certificate_pem(pem);
    }
    builder.build().expect("client")
}

#[tokio::test]
async fn https_with_a_trusted_private_ca() {
    let (emulator, cert_pem) = tls_emulator().await;
    assert!(emulator.base_url().starts_with("https://"));
    let endpoint = format!("https://localhost:{}", emulator.local_addr().port());
    let started = client(endpoint, Some(&cert_pem))
        .start("s1")
        .await
        .expect("START over TLS");
    assert_eq!(started.event_streaming_id.as_deref(), Some("s1"));
    assert_eq!(emulator.status(PROJECT, "s1"), Some(StreamStatus::Running));
}

#[tokio::test]
async fn untrusted_certificate_is_refused() {
    let (emulator, _) = tls_emulator().await;
    let endpoint = format!("https://localhost:{}", emulator.local_addr().port());
    let result = client(endpoint, None).start("s1").await;
    let Err(Error::Transport {
        kind: TransportErrorKind::Connect,
        attempts: 1,
        source,
        ..
    }) = result
    else {
        panic!("expected a TLS connect error, got {result:?}")
    };
    let chain = std::iter::successors(Some(&source as &dyn std::error::Error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ");
    assert!(chain.contains("certificate"), "{chain}");
    assert_eq!(emulator.status(PROJECT, "s1"), Some(StreamStatus::Created));
}

#[test]
fn invalid_root_certificate_is_a_configuration_error() {
    let error = common::loopback_client(
        "https://localhost:1",
        PROJECT,
        Credentials::token("tok").expect("token"),
    )
    .add_root_certificate_pem("not a certificate")
    .build()
    .expect_err("not PEM");
    assert_eq!(
        error.to_string(),
        "configuration: root certificate 1: no PEM certificate found"
    );
}

/// Issue 8, defect 8: a certificate the client does not trust is not a
/// passing network fault; it is reported at once and never retried.
#[tokio::test]
async fn certificate_failure_is_never_retried() {
    let (emulator, _) = tls_emulator().await;
    let endpoint = format!("https://localhost:{}", emulator.local_addr().port());
    let error =
        common::loopback_client(endpoint, PROJECT, Credentials::token("tok").expect("token"))
            .retry(
                RetryConfig::default()
                    .with_max_attempts(3)
                    .with_base_delay(std::time::Duration::from_millis(5)),
            )
            .build()
            .expect("client")
            .start("s1")
            .await
            .expect_err("untrusted certificate");
    assert_eq!(error.attempts(), Some(1));
    assert!(!error.is_retryable());
    assert_eq!(emulator.status(PROJECT, "s1"), Some(StreamStatus::Created));
}
