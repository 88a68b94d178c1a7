//! Regression tests for issue 8's client defects, each against a small fake
//! server on loopback: the final error describes the last attempt only, a
//! response body is capped, and a certificate failure is never retried.

mod common;

use std::{sync::Arc, time::Duration};

use eg_client::{Client, Credentials, RetryConfig};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::Mutex,
};

/// What the raw server does with one connection.
#[derive(Clone, Copy, Debug)]
enum Script {
    /// A complete 503 with `X-Request-Id: R1`.
    Busy,
    /// A 200 with `X-Request-Id: R2` announcing 100 bytes, then 10 and a hang-up.
    CutMidBody,
    /// Reads the request and never answers.
    Silent,
    /// A chunked 200 whose body never ends.
    Endless,
    /// A 200 that announces a 2 MiB body.
    HugeLength,
}

/// A raw HTTP/1.1 server: connection N gets `scripts[N]` (the last repeats).
struct Raw {
    base_url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Raw {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Raw {
    async fn start(scripts: Vec<Script>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let scripts = Arc::new(Mutex::new(scripts));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let script = {
                    let mut scripts = scripts.lock().await;
                    if scripts.len() > 1 {
                        scripts.remove(0)
                    } else {
                        scripts[0]
                    }
                };
                tokio::spawn(serve(stream, script));
            }
        });
        Self { base_url, task }
    }
}

async fn serve(mut stream: TcpStream, script: Script) {
    // The client's request is small: its head and body come in one read.
    let mut request = [0u8; 4096];
    let _ = stream.read(&mut request).await;
    let head = |status: &str, id: &str, length: &str| {
        format!(
            "HTTP/1.1 {status}\r\nx-request-id: {id}\r\ncontent-type: application/json\r\n{length}\r\n"
        )
    };
    let _ = match script {
        Script::Busy => {
            let body = r#"{"error_code":"EG.00015000","error_msg":"busy"}"#;
            let text = head(
                "503 Service Unavailable",
                "R1",
                &format!("content-length: {}\r\n", body.len()),
            );
            stream.write_all(format!("{text}{body}").as_bytes()).await
        }
        Script::CutMidBody => {
            let text = head("200 OK", "R2", "content-length: 100\r\n");
            stream
                .write_all(format!("{text}{{\"eventStr").as_bytes())
                .await
        }
        Script::Silent => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(())
        }
        Script::Endless => {
            let text = head("200 OK", "R3", "transfer-encoding: chunked\r\n");
            if stream.write_all(text.as_bytes()).await.is_ok() {
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, " ".repeat(64 * 1024));
                // Until the client hangs up.
                while stream.write_all(chunk.as_bytes()).await.is_ok() {}
            }
            Ok(())
        }
        Script::HugeLength => {
            let text = head("200 OK", "R4", "content-length: 2097152\r\n");
            stream.write_all(text.as_bytes()).await
        }
    };
    let _ = stream.shutdown().await;
}

fn client(base_url: &str, attempts: u32, timeout: Duration) -> Client {
    common::loopback_client(base_url, "p1", Credentials::token("tok").expect("token"))
        .retry(
            RetryConfig::default()
                .with_max_attempts(attempts)
                .with_base_delay(Duration::from_millis(5)),
        )
        .timeout(timeout)
        .build()
        .expect("client")
}

/// Issue 8, defect 1: a 503 (R1), then a 200 (R2) cut mid-body. The server
/// probably applied the second request: the error is the transport error of
/// attempt 2 with R2, not the 503 of attempt 1.
#[tokio::test]
async fn error_after_503_then_a_cut_body_describes_the_last_attempt() {
    let server = Raw::start(vec![Script::Busy, Script::CutMidBody]).await;
    let error = client(&server.base_url, 2, Duration::from_secs(10))
        .start("s1")
        .await
        .expect_err("cut body");
    assert_eq!(error.attempts(), Some(2));
    assert_eq!(error.request_id(), Some("R2"));
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.code(), None);
    assert!(
        error
            .to_string()
            .starts_with("request error after 2 attempt(s): "),
        "{error}"
    );
}

/// Issue 8, defect 1: a 503 (R1), then no answer in time: a timeout with
/// neither status nor request id.
#[tokio::test]
async fn error_after_503_then_a_timeout_describes_the_last_attempt() {
    let server = Raw::start(vec![Script::Busy, Script::Silent]).await;
    let error = client(&server.base_url, 2, Duration::from_millis(300))
        .start("s1")
        .await
        .expect_err("timeout");
    assert_eq!(error.attempts(), Some(2));
    assert_eq!((error.status(), error.request_id()), (None, None));
    assert!(error.is_retryable());
    assert!(
        error
            .to_string()
            .starts_with("timeout error after 2 attempt(s): "),
        "{error}"
    );
}

/// Issue 8, defect 2: an endless chunked 200 ends the call with the cap's
/// error well before the 60 s timeout, and it is not retried.
#[tokio::test]
async fn endless_body_stops_at_the_cap() {
    let server = Raw::start(vec![Script::Endless]).await;
    let started = std::time::Instant::now();
    let error = client(&server.base_url, 3, Duration::from_secs(60))
        .start("s1")
        .await
        .expect_err("endless body");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(
        error.to_string(),
        "HTTP 200: response body exceeds the limit of 1048576 bytes [request id R3] after 1 attempt(s)"
    );
    assert_eq!(
        (error.status(), error.request_id(), error.attempts()),
        (Some(200), Some("R3"), Some(1))
    );
    assert!(!error.is_retryable());
}

/// Issue 8, defect 2: a declared length over the cap is refused before any
/// of the body is read.
#[tokio::test]
async fn declared_length_over_the_cap_is_refused_at_once() {
    let server = Raw::start(vec![Script::HugeLength]).await;
    let error = client(&server.base_url, 3, Duration::from_secs(60))
        .start("s1")
        .await
        .expect_err("huge length");
    assert_eq!(
        error.to_string(),
        "HTTP 200: response body exceeds the limit of 1048576 bytes [request id R4] after 1 attempt(s)"
    );
}

fn unreachable_client(credentials: Credentials) -> (Client, String) {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let client = common::loopback_client(&endpoint, "p", credentials)
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    (client, endpoint)
}

/// Issue 18, defect 8: an id too long for any URL is an invalid argument,
/// refused before sending, in a message of bounded length (it was a
/// transport error after 1 attempt with 140 KB of message, or a signing
/// error).
#[tokio::test]
async fn an_id_too_long_for_a_url_is_an_invalid_argument_with_a_short_message() {
    let id = "x".repeat(65_500);
    for credentials in [
        Credentials::token("tok").expect("token"),
        Credentials::access_key("AK", "SK"),
    ] {
        // Nothing listens there: any send would be a transport error.
        let (client, endpoint) = unreachable_client(credentials);
        let url = format!("{endpoint}/v1/p/eventstreamings/operate/").len() + id.len();
        let result = client.start(&id).await;
        let Err(error @ eg_client::Error::InvalidArgument { .. }) = result else {
            panic!("expected an invalid argument, got {result:?}")
        };
        assert_eq!(error.attempts(), None);
        assert_eq!(
            error.to_string(),
            format!(
                "invalid eventstreaming_id: is 65500 bytes once escaped, which makes the request URL {url} bytes, over the 65534 an HTTP request can carry"
            )
        );
        let dry = client
            .dry_run(&id, eg_client::Operation::Start)
            .await
            .expect_err("too long");
        assert_eq!(dry.to_string(), error.to_string());
    }
    // The longest id that fits is sent (and fails to connect).
    let (client, endpoint) = unreachable_client(Credentials::token("tok").expect("token"));
    let prefix = format!("{endpoint}/v1/p/eventstreamings/operate/").len();
    let fits = "x".repeat(65_534 - prefix);
    let result = client.start(&fits).await;
    assert!(
        matches!(result, Err(eg_client::Error::Transport { attempts: 1, .. })),
        "{result:?}"
    );
}

/// Issue 18, defect 8: a failed connect names the URL once, and each cause
/// once, whether printed alone or with its source chain.
#[tokio::test]
async fn a_connect_error_names_each_cause_once() {
    let (client, endpoint) = unreachable_client(Credentials::token("tok").expect("token"));
    let error = client.start("s1").await.expect_err("nothing listens");
    let text = error.to_string();
    assert_eq!(text.matches(&endpoint).count(), 1, "{text}");
    assert_eq!(text.matches("error sending request").count(), 1, "{text}");
    assert_eq!(text.matches("Connection refused").count(), 1, "{text}");
    assert!(
        text.starts_with(&format!(
            "connect error after 1 attempt(s): error sending request for url ({endpoint}/v1/p/eventstreamings/operate/s1): "
        )),
        "{text}"
    );
    // Display holds the whole chain: a printer walking `source()` adds nothing.
    assert!(std::error::Error::source(&error).is_none());
}
