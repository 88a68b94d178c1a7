//! The bulk run of `eg streaming start|pause`: what reaches the terminal
//! from a hostile server, output failures after sending, the stop after an
//! authentication failure, and `--rate`.

use std::{
    io::{Read, Write},
    net::TcpListener,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use std::num::NonZeroU32;

use eg_emulator::{EmulatorConfig, Lockout, StreamStatus};
use serde_json::{Value, json};
use tempfile::TempDir;

mod common;
use common::*;

/// `eg streaming OPERATION` against `endpoint` in a clean environment (HOME
/// an empty directory), token auth.
fn eg(home: &TempDir, operation: &str, endpoint: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eg"));
    cmd.env_clear()
        .env("HOME", home.path())
        .env("EG_TOKEN", TOKEN)
        .args(["streaming", operation, "--project-id", PROJECT])
        .args(["--endpoint", endpoint])
        .stdin(Stdio::null());
    cmd
}

/// `eg` with AK/SK `sk` instead of the token.
fn eg_aksk(home: &TempDir, operation: &str, endpoint: &str, sk: &str) -> Command {
    let mut cmd = eg(home, operation, endpoint);
    cmd.env_remove("EG_TOKEN")
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", sk);
    cmd
}

fn home() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Exit code, stdout and stderr.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().expect("eg runs");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A server on loopback that answers each of `connections` connections
/// with `response` once, then stops.
fn fake_server(connections: usize, response: String) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let server = thread::spawn(move || {
        for _ in 0..connections {
            let (mut stream, _) = listener.accept().expect("accept");
            read_request(&mut stream);
            stream.write_all(response.as_bytes()).expect("answer");
        }
    });
    (url, server)
}

/// Reads one request: headers, then `Content-Length` bytes of body.
fn read_request(stream: &mut impl Read) {
    let mut request = Vec::new();
    let mut byte = [0; 1];
    while !request.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("request headers");
        request.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&request).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(0, |value| value.trim().parse().expect("content length"));
    let mut body = vec![0; length];
    stream.read_exact(&mut body).expect("request body");
}

/// What a misconfigured proxy answers: HTML over several lines with a
/// terminal escape sequence.
fn html_502() -> (String, String) {
    let body = format!(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
         <body>\u{1b}[31mBad Gateway\u{1b}[0m\r\n<p>{}</p>\r\n</body>\r\n</html>\r\n",
        "upstream timed out ".repeat(10)
    );
    let response = format!(
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nX-Request-Id: rid-502\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    (body, response)
}

#[test]
fn table_shows_an_html_502_on_one_clean_row() {
    let (_, response) = html_502();
    let (url, server) = fake_server(1, response);
    let home = home();
    let (code, stdout, stderr) = run(eg(&home, "start", &url).args(["s-1", "--retries", "1"]));
    server.join().expect("fake server");
    assert_eq!((code, stderr.as_str()), (1, "0 succeeded, 1 failed\n"));
    assert_eq!(
        stdout,
        "ID                                    RESULT  STATUS  REQUEST ID                        ERROR\n\
         s-1                                   failed  502     rid-502                           <html> <head><title>502 Bad Gateway</title></head> \
         <body>?[31mBad Gateway?[0m <p>upstream timed out upstream timed out upstream timed out \
         upstream timed out upstream timed out upstream timed out upst…\n"
    );
}

#[test]
fn json_keeps_the_html_502_text_escaped() {
    let (body, response) = html_502();
    let (url, server) = fake_server(1, response);
    let home = home();
    let (code, stdout, _) =
        run(eg(&home, "start", &url).args(["s-1", "--retries", "1", "-o", "json"]));
    server.join().expect("fake server");
    assert_eq!(code, 1);
    assert!(!stdout.contains('\u{1b}'), "{stdout}");
    assert!(
        stdout.contains(r"<body>\u001b[31mBad Gateway\u001b[0m\r\n<p>"),
        "{stdout}"
    );
    let report: Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(
        report["results"],
        json!([{"id": "s-1", "ok": false, "status": 502, "request_id": "rid-502",
                "event_streaming_id": null, "attempts": 1,
                "error": {"kind": "api", "code": null, "message": body.trim(),
                          "retryable": true, "details": null}}])
    );
}

/// A pipe whose reading end is already closed: what `| head -c0` leaves.
fn closed_stdout() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer.into()
}

#[test]
fn closed_stdout_after_a_successful_pause_exits_3_with_the_summary() {
    let emulator = Emulator::start(&["s-1"]);
    let home = home();
    let (code, stdout, stderr) = run(eg(&home, "pause", &emulator.url())
        .args(["s-1", "--output", "json"])
        .stdout(closed_stdout()));
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (
            3,
            "",
            "eg: cannot write the results to stdout: Broken pipe (os error 32)\n\
             1 succeeded, 0 failed\n"
        )
    );
    assert_eq!(emulator.status("s-1"), Some(StreamStatus::Stopped));
}

#[test]
fn closed_stdout_in_jsonl_stops_sending() {
    let ids: Vec<String> = (1..=5).map(|i| format!("s-{i}")).collect();
    let emulator = Emulator::with_config(&ids, EmulatorConfig::default());
    let home = home();
    // --quiet does not hide the summary when the results are lost.
    let (code, _, stderr) = run(eg(&home, "pause", &emulator.url())
        .args(&ids)
        .args(["-o", "jsonl", "--concurrency", "1", "--quiet"])
        .stdout(closed_stdout()));
    assert_eq!(
        (code, stderr.as_str()),
        (
            3,
            "eg: cannot write the results to stdout: Broken pipe (os error 32)\n\
             1 succeeded, 4 failed; 4 not sent: the run stopped after stdout could not be \
             written (Broken pipe (os error 32))\n"
        )
    );
    let statuses: Vec<Option<StreamStatus>> = ids.iter().map(|id| emulator.status(id)).collect();
    assert_eq!(
        statuses,
        [
            Some(StreamStatus::Stopped),
            Some(StreamStatus::Created),
            Some(StreamStatus::Created),
            Some(StreamStatus::Created),
            Some(StreamStatus::Created)
        ]
    );
}

#[test]
fn a_wrong_sk_at_the_default_concurrency_is_sent_once_and_never_locks_the_key() {
    let ids: Vec<String> = (0..100).map(|i| format!("stream-{i:02}")).collect();
    // Huawei's gateway locks a key for 5 minutes after more than 5 failures
    // in a row (the emulator's lockout, on the 5th or the 6th: either way).
    let lockout = EmulatorConfig {
        lockout: Some(Lockout::default()),
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::with_config(&ids, lockout);
    let url = emulator.url();
    let home = home();
    let (code, stdout, stderr) = run(eg_aksk(&home, "start", &url, "wrong-sk")
        .arg("--ids-from")
        .arg(write_ids(&home, &ids))
        .args(["-o", "json"]));
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let results = report["results"].as_array().expect("results");
    let got: Vec<&str> = results
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    // Unproven credentials go out alone: one failure, whatever --concurrency.
    let sent: Vec<&Value> = results.iter().filter(|r| r["attempts"] == 1).collect();
    assert_eq!(sent.len(), 1, "{stdout}");
    assert_eq!(results[0]["attempts"], 1, "{stdout}");
    assert_eq!(emulator.emulator.auth_failures(), 1);
    let reasons: Vec<String> = sent
        .iter()
        .map(|r| {
            assert_eq!(
                (&r["status"], &r["error"]["kind"], &r["error"]["code"]),
                (&json!(401), &json!("api"), &json!("APIGW.0301"))
            );
            format!(
                "not sent: the run stopped after authentication failed for '{}': HTTP 401 {}: {} (request id {})",
                r["id"].as_str().unwrap_or("?"),
                r["error"]["code"].as_str().unwrap_or("?"),
                r["error"]["message"].as_str().unwrap_or("?"),
                r["request_id"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    let not_sent: Vec<&Value> = results.iter().filter(|r| r["attempts"] == 0).collect();
    assert_eq!(not_sent.len(), 99);
    let message = not_sent[0]["error"]["message"].as_str().unwrap_or("?");
    assert!(reasons.iter().any(|r| r == message), "{message}");
    for r in &not_sent {
        assert_eq!(
            (
                &r["ok"],
                &r["status"],
                &r["request_id"],
                &r["event_streaming_id"]
            ),
            (&json!(false), &Value::Null, &Value::Null, &Value::Null)
        );
        assert_eq!(
            r["error"],
            json!({"kind": "not_sent", "code": null, "message": message,
                   "retryable": false, "details": null})
        );
    }
    assert_eq!(
        report["summary"],
        json!({"total": 100, "succeeded": 0, "failed": 100, "not_sent": 99})
    );
    assert_eq!(
        stderr,
        format!(
            "0 succeeded, 100 failed; 99 not sent: {}\n",
            message.trim_start_matches("not sent: ")
        )
    );
    assert!(
        ids.iter()
            .all(|id| emulator.status(id) == Some(StreamStatus::Created))
    );

    // The key was not locked: the right SK works at once, for every id.
    let (code, _, stderr) = run(eg_aksk(&home, "start", &url, SK)
        .arg("--ids-from")
        .arg(write_ids(&home, &ids)));
    assert_eq!((code, stderr.as_str()), (0, "100 succeeded, 0 failed\n"));
    assert!(
        ids.iter()
            .all(|id| emulator.status(id) == Some(StreamStatus::Running))
    );
    assert_eq!(emulator.emulator.auth_failures(), 1);
}

fn write_ids(home: &TempDir, ids: &[String]) -> std::path::PathBuf {
    let path = home.path().join("ids.txt");
    std::fs::write(&path, ids.join("\n")).expect("ids file");
    path
}

#[test]
fn rate_spaces_the_requests() {
    let ids: Vec<String> = (1..=6).map(|i| format!("s-{i}")).collect();
    let emulator = Emulator::with_config(&ids, EmulatorConfig::default());
    let home = home();
    let started = Instant::now();
    let (code, _, stderr) = run(eg(&home, "start", &emulator.url()).args(&ids).args([
        "--rate",
        "10",
        "--concurrency",
        "6",
    ]));
    // The first request goes at once, each next one 100 ms later.
    let elapsed = started.elapsed();
    assert_eq!((code, stderr.as_str()), (0, "6 succeeded, 0 failed\n"));
    assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
}

#[test]
fn a_stopped_run_does_not_wait_for_its_rate() {
    let ids: Vec<String> = (1..=10).map(|i| format!("s-{i}")).collect();
    let emulator = Emulator::with_config(&ids, EmulatorConfig::default());
    let home = home();
    let started = Instant::now();
    let (code, stdout, _) = run(eg_aksk(&home, "start", &emulator.url(), "wrong")
        .args(&ids)
        .args(["--rate", "1", "--concurrency", "4", "-o", "jsonl"]));
    // Sending all ten at one a second would take 9 s; the ids queued for
    // the pacer when the run stopped do not wait for a tick each.
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(code, 1);
    let attempts: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("jsonl")["attempts"].clone())
        .collect();
    let expected: Vec<Value> = std::iter::once(json!(1))
        .chain(std::iter::repeat_n(json!(0), 9))
        .collect();
    assert_eq!(attempts, expected);
}

#[test]
fn rate_below_the_gateway_throttle_sees_no_429_and_retries_cure_it_without() {
    let ids: Vec<String> = (0..300).map(|i| format!("stream-{i:03}")).collect();
    let throttled = EmulatorConfig {
        rate_limit: NonZeroU32::new(50),
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::with_config(&ids, throttled);
    let url = emulator.url();
    let home = home();
    let file = write_ids(&home, &ids);
    let attempts = |stdout: &str| -> Vec<u64> {
        stdout
            .lines()
            .map(|line| {
                let result: Value = serde_json::from_str(line).expect("jsonl");
                assert_eq!(result["ok"], true, "{line}");
                result["attempts"].as_u64().unwrap_or(0)
            })
            .collect()
    };

    // 40 a second under a limit of 50: each id is sent once, so no 429.
    let (code, stdout, stderr) = run(eg(&home, "start", &url).arg("--ids-from").arg(&file).args([
        "--rate",
        "40",
        "--concurrency",
        "16",
        "-o",
        "jsonl",
    ]));
    assert_eq!((code, stderr.as_str()), (0, "300 succeeded, 0 failed\n"));
    assert_eq!(attempts(&stdout), vec![1; 300]);

    // As fast as it goes: throttled, and every id still succeeds on a retry.
    let (code, stdout, stderr) = run(eg(&home, "pause", &url).arg("--ids-from").arg(&file).args([
        "--concurrency",
        "16",
        "--retries",
        "10",
        "-o",
        "jsonl",
    ]));
    assert_eq!((code, stderr.as_str()), (0, "300 succeeded, 0 failed\n"));
    let attempts = attempts(&stdout);
    assert_eq!(attempts.len(), 300);
    assert!(attempts.iter().any(|&n| n > 1), "{attempts:?}");
    assert!(
        ids.iter()
            .all(|id| emulator.status(id) == Some(StreamStatus::Stopped))
    );
}

/// The one `results` entry of a JSON run against a server that answers
/// `response` once.
fn json_result_for(response: String) -> Value {
    let (url, server) = fake_server(1, response);
    let home = home();
    let (code, stdout, _) =
        run(eg(&home, "start", &url).args(["s-1", "--retries", "1", "-o", "json"]));
    server.join().expect("fake server");
    assert_eq!(code, 1, "{stdout}");
    let report: Value = serde_json::from_str(&stdout).expect("one JSON document");
    report["results"][0].clone()
}

#[test]
fn an_unreadable_200_reports_its_attempt_count() {
    let result = json_result_for(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: rid-bad\r\n\
         Content-Length: 7\r\nConnection: close\r\n\r\n[1,2,3]"
            .to_owned(),
    );
    assert_eq!(
        (
            &result["status"],
            &result["request_id"],
            &result["attempts"],
            &result["error"]["kind"]
        ),
        (
            &json!(200),
            &json!("rid-bad"),
            &json!(1),
            &json!("invalid_response")
        )
    );
}

#[test]
fn an_oversized_body_is_its_own_kind_with_its_attempt_count() {
    let result = json_result_for(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Request-Id: rid-big\r\n\
         Content-Length: 2097152\r\nConnection: close\r\n\r\n"
            .to_owned(),
    );
    assert_eq!(
        (
            &result["status"],
            &result["request_id"],
            &result["attempts"],
            &result["error"]["kind"],
            &result["error"]["retryable"]
        ),
        (
            &json!(200),
            &json!("rid-big"),
            &json!(1),
            &json!("response_too_large"),
            &json!(false)
        )
    );
}
