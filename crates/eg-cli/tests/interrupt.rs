//! SIGINT and SIGTERM in the middle of a run, sent to the real binary: every
//! id is reported (done, or not sent), the summary is printed, and eg exits
//! 130; a second signal exits at once.

use std::{
    io::{BufRead, BufReader, Read},
    net::TcpListener,
    process::{Child, ChildStderr, ChildStdout, Command, Stdio},
    sync::mpsc,
    thread,
};

use eg_emulator::{EmulatorConfig, StreamStatus};
use nix::{
    sys::signal::{Signal, kill},
    unistd::Pid,
};
use serde_json::{Value, json};
use tempfile::TempDir;

mod common;
use common::*;

/// `eg streaming start IDS...` against `endpoint` with token auth, stdout
/// and stderr piped.
fn spawn(home: &TempDir, endpoint: &str, args: &[&str]) -> (Child, ChildStdout, ChildStderr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eg"))
        .env_clear()
        .env("HOME", home.path())
        .env("EG_TOKEN", TOKEN)
        .args(["streaming", "start", "--project-id", PROJECT])
        .args(["--endpoint", endpoint])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("eg starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let stderr = child.stderr.take().expect("piped stderr");
    (child, stdout, stderr)
}

fn signal(child: &Child, signal: Signal) {
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("a pid"));
    kill(pid, signal).expect("signal sent");
}

fn read_line(reader: &mut impl BufRead) -> String {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a line");
    line
}

fn read_rest(mut reader: impl Read) -> String {
    let mut text = String::new();
    reader.read_to_string(&mut text).expect("UTF-8 output");
    text
}

/// A server that accepts every connection and never answers; says when it
/// has accepted the first.
fn stalled_server() -> (String, mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let (accepted, first) = mpsc::channel();
    thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
            let _ = accepted.send(());
        }
    });
    (url, first)
}

#[test]
fn sigint_mid_run_reports_every_id_in_order_and_exits_130() {
    let ids: Vec<String> = (1..=20).map(|i| format!("s-{i:02}")).collect();
    let emulator = Emulator::with_config(&ids, EmulatorConfig::default());
    let home = tempfile::tempdir().expect("temp dir");
    let mut args: Vec<&str> = ids.iter().map(String::as_str).collect();
    // Five a second: the run lasts four seconds unless interrupted.
    args.extend(["--rate", "5"]);
    let (mut child, stdout, stderr) = spawn(&home, &emulator.url(), &args);
    let mut stdout = BufReader::new(stdout);
    let header = read_line(&mut stdout);
    let first = read_line(&mut stdout);
    // The table streams: the first row is out while the run goes on.
    assert!(first.starts_with("s-01    "), "{first}");
    signal(&child, Signal::SIGINT);
    let rows: Vec<String> = std::iter::once(first.trim_end().to_owned())
        .chain(read_rest(stdout).lines().map(str::to_owned))
        .collect();
    let stderr = read_rest(stderr);
    let status = child.wait().expect("eg exits");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert_eq!(
        header,
        "ID                                    RESULT  STATUS  REQUEST ID                        ERROR\n"
    );

    let got: Vec<&str> = rows
        .iter()
        .map(|r| r.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(got, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let done = rows.iter().filter(|r| r.contains("  ok  ")).count();
    assert!((1..20).contains(&done), "{rows:?}");
    for (i, (id, row)) in ids.iter().zip(&rows).enumerate() {
        if i < done {
            assert!(
                row.starts_with(&format!("{id:<36}  ok      200     ")),
                "{row}"
            );
            assert_eq!(emulator.status(id), Some(StreamStatus::Running), "{id}");
        } else {
            assert_eq!(
                row,
                &format!(
                    "{id:<36}  failed  -       -                                 \
                     not sent: interrupted (SIGINT)"
                )
            );
            assert_eq!(emulator.status(id), Some(StreamStatus::Created), "{id}");
        }
    }
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("eg: SIGINT: sending nothing more; waiting up to 60 s for ")
            && lines[0].ends_with(" request(s) in flight (SIGINT again to exit at once)"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        format!(
            "{done} succeeded, {} failed; {} not sent: interrupted (SIGINT)",
            20 - done,
            20 - done
        )
    );
}

#[test]
fn sigterm_waits_for_the_request_in_flight_at_most_the_timeout() {
    let (url, accepted) = stalled_server();
    let home = tempfile::tempdir().expect("temp dir");
    // Each attempt may take 1 s, and a timed-out attempt is retried: the
    // request is still unanswered 1 s after the signal.
    let (mut child, stdout, stderr) = spawn(
        &home,
        &url,
        &["a", "b", "c", "--timeout", "1", "-o", "json"],
    );
    accepted.recv().expect("eg connects");
    signal(&child, Signal::SIGTERM);
    let stdout = read_rest(stdout);
    let stderr = read_rest(stderr);
    let status = child.wait().expect("eg exits");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert_eq!(
        stderr,
        "eg: SIGTERM: sending nothing more; waiting up to 1 s for 1 request(s) in flight \
         (SIGTERM again to exit at once)\n\
         0 succeeded, 3 failed; 2 not sent: interrupted (SIGTERM)\n"
    );
    let report: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let not_sent = |id: &str| {
        json!({"id": id, "ok": false, "status": null, "request_id": null,
               "event_streaming_id": null, "attempts": 0,
               "error": {"kind": "not_sent", "code": null,
                         "message": "not sent: interrupted (SIGTERM)",
                         "retryable": false, "details": null}})
    };
    assert_eq!(
        report,
        json!({
            "operation": "START",
            "results": [
                {"id": "a", "ok": false, "status": null, "request_id": null,
                 "event_streaming_id": null, "attempts": null,
                 "error": {"kind": "interrupted", "code": null,
                           "message": "interrupted (SIGTERM): no answer 1 s after the signal; \
                                       the request may have reached the server",
                           "retryable": true, "details": null}},
                not_sent("b"),
                not_sent("c"),
            ],
            "summary": {"total": 3, "succeeded": 0, "failed": 3, "not_sent": 2}
        })
    );
}

#[test]
fn a_second_signal_exits_at_once() {
    let (url, accepted) = stalled_server();
    let home = tempfile::tempdir().expect("temp dir");
    let (mut child, stdout, stderr) = spawn(&home, &url, &["a", "b"]);
    accepted.recv().expect("eg connects");
    signal(&child, Signal::SIGINT);
    let mut stderr = BufReader::new(stderr);
    // Only once the first signal is handled: two at once may arrive as one.
    assert_eq!(
        read_line(&mut stderr),
        "eg: SIGINT: sending nothing more; waiting up to 60 s for 1 request(s) in flight \
         (SIGINT again to exit at once)\n"
    );
    signal(&child, Signal::SIGINT);
    let status = child.wait().expect("eg exits");
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        read_rest(stderr),
        "eg: SIGINT again: exiting at once; 1 request(s) in flight are not reported\n"
    );
    assert_eq!(
        read_rest(stdout),
        "ID                                    RESULT  STATUS  REQUEST ID                        ERROR\n"
    );
}
