//! Connection-level behaviour over raw TCP: timeouts, the connection cap,
//! and a JSON body with `X-Request-Id` on answers hyper would send empty.

use std::time::{Duration, Instant};

use eg_emulator::{EmulatorConfig, Limits, RunningEmulator};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

const PROJECT: &str = "p1";
const STREAM: &str = "s1";

async fn emulator(limits: Limits) -> RunningEmulator {
    RunningEmulator::start_local(EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}").parse().expect("seed")],
        tokens: vec![format!("tok={PROJECT}").parse().expect("grant")],
        limits,
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator")
}

fn short(header_read_timeout: Duration, request_timeout: Duration) -> Limits {
    Limits {
        header_read_timeout,
        request_timeout,
        ..Limits::default()
    }
}

/// Everything the server sends until it closes the connection, or `None`
/// when it is still open after `within`.
async fn read_to_close(stream: &mut TcpStream, within: Duration) -> Option<String> {
    read_bytes_to_close(stream, within)
        .await
        .map(|answer| String::from_utf8_lossy(&answer).into_owned())
}

async fn read_bytes_to_close(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut answer)).await;
    match read {
        // A reset also closes it.
        Ok(Ok(_) | Err(_)) => Some(answer),
        Err(_) => None,
    }
}

const REQUEST: &[u8] = b"POST /v1/p1/eventstreamings/operate/s1 HTTP/1.1\r\nhost: x\r\nx-auth-token: tok\r\ncontent-length: 21\r\nconnection: close\r\n\r\n{\"operation\":\"START\"}";

/// Sends [`REQUEST`] on a new connection and returns the whole answer, or
/// `None` when none came within `within`.
async fn request(emulator: &RunningEmulator, within: Duration) -> Option<String> {
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("the kernel queues it");
    stream.write_all(REQUEST).await.expect("write");
    read_to_close(&mut stream, within).await
}

fn assert_ok(answer: Option<String>) {
    let answer = answer.expect("answered");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with(r#"{"eventStreamingID":"s1"}"#), "{answer}");
}

/// Status line, `x-request-id` and JSON body of a raw HTTP/1.1 answer.
fn parse(answer: &str) -> (String, String, Value) {
    let (head, body) = answer.split_once("\r\n\r\n").expect("head and body");
    let status = head.lines().next().expect("status line").to_owned();
    let request_id = head
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .expect("x-request-id")
        .to_owned();
    assert!(
        head.lines().any(|l| l == "content-type: application/json"),
        "{head}"
    );
    let body: Value = serde_json::from_str(body).expect("JSON body");
    assert_eq!(body["request_id"], request_id.as_str());
    assert!(request_id.ends_with("-eg-emulator"), "{request_id}");
    (status, request_id, body)
}

fn gateway(code: &str, message: &str, request_id: &str) -> Value {
    json!({ "error_code": code, "error_msg": message, "request_id": request_id })
}

/// Issue 8, defect 4: half the headers, then silence, held the connection
/// open indefinitely.
#[tokio::test]
async fn half_sent_headers_are_cut_off_after_the_header_timeout() {
    let emulator = emulator(short(Duration::from_millis(300), Duration::from_secs(30))).await;
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(b"POST /v1/p1/eventstreamings/operate/s1 HTTP/1.1\r\nhost: x\r\nx-auth-")
        .await
        .expect("write");
    let started = Instant::now();
    let closed = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert_eq!(closed.as_deref(), Some(""), "closed without an answer");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
}

#[tokio::test]
async fn a_request_that_outlives_the_request_timeout_is_408() {
    let emulator = emulator(short(Duration::from_secs(5), Duration::from_millis(300))).await;
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    // 21 bytes announced, 5 sent.
    stream
        .write_all(
            b"POST /v1/p1/eventstreamings/operate/s1 HTTP/1.1\r\nhost: x\r\nx-auth-token: tok\r\ncontent-length: 21\r\n\r\n{\"ope",
        )
        .await
        .expect("write");
    let answer = read_to_close(&mut stream, Duration::from_secs(5))
        .await
        .expect("answered and closed");
    let (status, id, body) = parse(&answer);
    assert_eq!(status, "HTTP/1.1 408 Request Timeout");
    assert_eq!(body, gateway("APIG.0201", "Request timeout", &id));
}

#[tokio::test]
async fn a_declared_oversized_body_is_413_before_any_of_it_is_read() {
    let emulator = emulator(Limits::default()).await;
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(
            b"POST /v1/p1/eventstreamings/operate/s1 HTTP/1.1\r\nhost: x\r\nx-auth-token: tok\r\ncontent-length: 10000000\r\n\r\n",
        )
        .await
        .expect("write");
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer[..n]).into_owned();
    let (status, id, body) = parse(&answer);
    assert_eq!(status, "HTTP/1.1 413 Payload Too Large");
    assert_eq!(body, gateway("APIG.0201", "Request entity too large", &id));
}

/// Issue 8, defect 6: hyper answered these itself, with no body and no
/// `X-Request-Id`.
#[tokio::test]
async fn heads_hyper_refuses_still_get_a_json_body_and_a_request_id() {
    let emulator = emulator(Limits::default()).await;
    let too_many_headers = {
        let mut head =
            String::from("POST /v1/p1/eventstreamings/operate/s1 HTTP/1.1\r\nhost: x\r\n");
        for i in 0..200 {
            head.push_str(&format!("x-h{i}: v\r\n"));
        }
        head + "\r\n"
    };
    let long_uri = format!("GET /v1/{} HTTP/1.1\r\nhost: x\r\n\r\n", "a".repeat(70_000));
    let cases = [
        (
            too_many_headers,
            "HTTP/1.1 431 Request Header Fields Too Large",
            "Request headers too large",
        ),
        (
            long_uri,
            "HTTP/1.1 414 URI Too Long",
            "Request URI too large",
        ),
        (
            "BROKEN\r\n\r\n".to_owned(),
            "HTTP/1.1 400 Bad Request",
            "Bad request",
        ),
    ];
    for (request, expected_status, message) in cases {
        let mut stream = TcpStream::connect(emulator.local_addr())
            .await
            .expect("connect");
        stream.write_all(request.as_bytes()).await.expect("write");
        let answer = read_to_close(&mut stream, Duration::from_secs(5))
            .await
            .expect("answered and closed");
        let (status, id, body) = parse(&answer);
        assert_eq!(status, expected_status);
        assert_eq!(body, gateway("APIG.0201", message, &id));
    }
}

#[tokio::test]
async fn connections_over_the_cap_wait_until_one_closes() {
    let emulator = emulator(Limits {
        max_connections: 1,
        ..Limits::default()
    })
    .await;
    let request = b"POST /v1/p1/eventstreamings/operate/s1 HTTP/1.1\r\nhost: x\r\nx-auth-token: tok\r\ncontent-length: 21\r\nconnection: close\r\n\r\n{\"operation\":\"START\"}";
    let mut first = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    // The first connection is being served (its answer proves it), and held open.
    first
        .write_all(&request[..request.len() - 1])
        .await
        .expect("write");
    let mut second = TcpStream::connect(emulator.local_addr())
        .await
        .expect("the kernel queues it");
    second.write_all(request).await.expect("write");
    assert_eq!(
        read_to_close(&mut second, Duration::from_millis(500)).await,
        None,
        "served beyond the cap"
    );
    drop(first);
    let answer = read_to_close(&mut second, Duration::from_secs(5))
        .await
        .expect("served once the first closed");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.ends_with(r#"{"eventStreamingID":"s1"}"#), "{answer}");
}

/// Issue 18, defect 2: the header timeout held for HTTP/1 heads only; a
/// connection that sent nothing was never closed, and two of them starved
/// `--max-connections 2`.
#[tokio::test]
async fn silent_connections_are_closed_after_the_header_timeout_and_free_their_slots() {
    let emulator = emulator(Limits {
        max_connections: 2,
        ..short(Duration::from_millis(300), Duration::from_secs(30))
    })
    .await;
    let mut silent = Vec::new();
    for _ in 0..2 {
        silent.push(
            TcpStream::connect(emulator.local_addr())
                .await
                .expect("connect"),
        );
    }
    // Queued behind the two silent ones until they are closed.
    let served = tokio::spawn({
        let addr = emulator.local_addr();
        async move {
            let mut stream = TcpStream::connect(addr).await.expect("connect");
            stream.write_all(REQUEST).await.expect("write");
            read_to_close(&mut stream, Duration::from_secs(5)).await
        }
    });
    for stream in &mut silent {
        assert_eq!(
            read_to_close(stream, Duration::from_secs(5))
                .await
                .as_deref(),
            Some(""),
            "closed without an answer"
        );
    }
    assert_ok(served.await.expect("task"));
}

/// Issue 18, defect 2: half an HTTP/2 preface kept the connection open.
#[tokio::test]
async fn a_partial_http2_preface_is_closed_after_the_header_timeout() {
    let emulator = emulator(short(Duration::from_millis(300), Duration::from_secs(30))).await;
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(b"PRI * HTTP/2.0\r\n")
        .await
        .expect("write");
    assert_eq!(
        read_to_close(&mut stream, Duration::from_secs(5))
            .await
            .as_deref(),
        Some(""),
        "closed without an answer"
    );
}

/// Issue 18, defect 2: an HTTP/2 connection that sent its preface and
/// SETTINGS, then nothing, was kept for as long as the client liked.
#[tokio::test]
async fn an_idle_http2_connection_is_closed_after_the_header_timeout() {
    let emulator = emulator(short(Duration::from_millis(300), Duration::from_secs(30))).await;
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    // The preface, then an empty SETTINGS frame (length 0, type 4, stream 0).
    stream
        .write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0")
        .await
        .expect("write");
    let answer = read_bytes_to_close(&mut stream, Duration::from_secs(5))
        .await
        .expect("closed");
    // The server spoke HTTP/2 (its SETTINGS first), then closed.
    assert_eq!(
        answer.get(3..9),
        Some(&[4, 0, 0, 0, 0, 0][..]),
        "{answer:?}"
    );
}

/// The idle timeout counts only time with no request in flight: a request
/// whose body takes longer than the header timeout is still served.
#[tokio::test]
async fn a_request_in_flight_outlasts_the_header_timeout() {
    let emulator = emulator(short(Duration::from_millis(200), Duration::from_secs(30))).await;
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    let (head, body) = REQUEST.split_at(REQUEST.len() - 21);
    stream.write_all(head).await.expect("write");
    tokio::time::sleep(Duration::from_millis(500)).await;
    stream.write_all(body).await.expect("write");
    assert_ok(read_to_close(&mut stream, Duration::from_secs(5)).await);
}

/// Issue 18, defect 3: clients that pipeline requests and never read the
/// answers held their connections forever.
#[tokio::test]
async fn peers_that_read_nothing_are_dropped_after_the_write_timeout() {
    const STALLED: usize = 2;
    // Large answers (the 200 body echoes the id) fill the socket buffers in
    // a few hundred requests.
    let long_id = "s".repeat(32 * 1024);
    // The header timeout is long: only the write timeout can free the slots.
    let emulator = RunningEmulator::start_local(EmulatorConfig {
        streams: vec![
            format!("{PROJECT}/{STREAM}").parse().expect("seed"),
            format!("{PROJECT}/{long_id}").parse().expect("seed"),
        ],
        tokens: vec![format!("tok={PROJECT}").parse().expect("grant")],
        limits: Limits {
            max_connections: STALLED,
            write_timeout: Duration::from_millis(300),
            ..short(Duration::from_secs(60), Duration::from_secs(60))
        },
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let pipelined = format!(
        "POST /v1/{PROJECT}/eventstreamings/operate/{long_id} HTTP/1.1\r\nhost: x\r\nx-auth-token: tok\r\ncontent-length: 21\r\n\r\n{{\"operation\":\"START\"}}"
    )
    .repeat(32)
    .into_bytes();
    let mut writers = Vec::new();
    for _ in 0..STALLED {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .set_recv_buffer_size(1024)
            .expect("small receive buffer");
        let mut stream = socket
            .connect(emulator.local_addr())
            .await
            .expect("connect");
        let pipelined = pipelined.clone();
        // Writes until the emulator stops reading, then until it drops us.
        writers.push(tokio::spawn(async move {
            for _ in 0..1000 {
                stream.write_all(&pipelined).await?;
            }
            Ok::<_, std::io::Error>(())
        }));
    }
    assert_ok(request(&emulator, Duration::from_secs(10)).await);
    for writer in writers {
        let written = tokio::time::timeout(Duration::from_secs(10), writer)
            .await
            .expect("the writer finished")
            .expect("task");
        // Reset (unread data on close), or a broken pipe once reset.
        let kind = written.map_err(|e| e.kind());
        assert!(
            matches!(
                kind,
                Err(std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe)
            ),
            "the emulator read 1 GiB without dropping the peer: {kind:?}"
        );
    }
}
