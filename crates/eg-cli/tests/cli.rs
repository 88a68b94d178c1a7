//! The `eg` binary against an emulator served in-process, over real HTTP:
//! what it sends and prints.
//!
//! The emulator runs on its own multi-thread runtime that the test keeps
//! alive; the binary runs synchronously on the test thread meanwhile.

use std::{
    io::{BufRead, BufReader},
    net::SocketAddr,
    process::{Command as StdCommand, Stdio},
};

use eg_emulator::StreamStatus;
use serde_json::{Value, json};

mod common;
use common::*;

#[test]
fn starts_one_stream_and_prints_the_table() {
    let emulator = Emulator::start(&[STREAM]);
    let home = home();
    let (code, stdout, stderr) = run(emulator.eg(&home, "start").arg(STREAM));
    assert_eq!((code, stderr.as_str()), (0, "1 succeeded, 0 failed\n"));
    let rid = stdout
        .lines()
        .nth(1)
        .and_then(|row| row.split_whitespace().nth(3));
    let rid = rid.expect("request id column");
    assert!(is_request_id(rid), "{rid}");
    // Fixed widths: the emulator's request id is longer than its column,
    // so it widens its row only.
    assert!(rid.len() > 32, "{rid}");
    assert_eq!(
        stdout,
        format!(
            "ID                                    RESULT  STATUS  REQUEST ID                        ERROR\n\
             {STREAM}  ok      200     {rid}  -\n"
        )
    );
    assert_eq!(emulator.status(STREAM), Some(StreamStatus::Running));
}

#[test]
fn bulk_reports_every_id_in_input_order_and_exits_1_on_failure() {
    let emulator = Emulator::start(&["s-1", "s-2"]);
    let home = home();
    let file = home.path().join("ids.txt");
    std::fs::write(
        &file,
        "# nightly\n  s-1  \n\nmissing-a\n\t# off\ns-2\nmissing-b\n",
    )
    .expect("ids file");
    let (code, stdout, stderr) = run(emulator
        .eg(&home, "pause")
        .arg("--ids-from")
        .arg(&file)
        .args(["--retries", "1"]));
    assert_eq!((code, stderr.as_str()), (1, "2 succeeded, 2 failed\n"));
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().collect())
        .collect();
    let summary: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0], r[1], r[2])).collect();
    assert_eq!(
        summary,
        [
            ("s-1", "ok", "200"),
            ("missing-a", "failed", "404"),
            ("s-2", "ok", "200"),
            ("missing-b", "failed", "404")
        ]
    );
    assert!(rows.iter().all(|r| is_request_id(r[3])), "{stdout}");
    assert!(
        stdout.lines().nth(2).is_some_and(|l| l.ends_with(&format!(
            "EG.00014040 Not request resource found (event streaming 'missing-a' not found in project '{PROJECT}')"
        ))),
        "{stdout}"
    );
    assert_eq!(emulator.status("s-1"), Some(StreamStatus::Stopped));
    assert_eq!(emulator.status("s-2"), Some(StreamStatus::Stopped));
}

#[test]
fn json_output_has_the_documented_shape() {
    let emulator = Emulator::start(&[STREAM]);
    let home = home();
    let (code, stdout, _) = run(emulator.eg(&home, "start").args([
        STREAM,
        "nope",
        "--output",
        "json",
        "--retries",
        "1",
    ]));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(report["operation"], "START");
    assert_eq!(
        report["summary"],
        json!({"total": 2, "succeeded": 1, "failed": 1, "not_sent": 0})
    );
    let ok = &report["results"][0];
    let rid = ok["request_id"].as_str().expect("request id");
    assert!(is_request_id(rid));
    assert_eq!(
        ok,
        &json!({"id": STREAM, "ok": true, "status": 200, "request_id": rid,
                "event_streaming_id": STREAM, "attempts": 1, "error": null})
    );
    let failed = &report["results"][1];
    let rid = failed["request_id"].as_str().expect("request id");
    assert!(is_request_id(rid));
    assert_eq!(
        failed,
        &json!({"id": "nope", "ok": false, "status": 404, "request_id": rid,
                "event_streaming_id": null, "attempts": 1,
                "error": {"kind": "api", "code": "EG.00014040",
                          "message": "Not request resource found", "retryable": false,
                          "details": format!("event streaming 'nope' not found in project '{PROJECT}'")}})
    );
    assert_eq!(report["results"].as_array().map(Vec::len), Some(2));
}

#[test]
fn piped_ids_come_back_as_jsonl_each_once() {
    let ids: Vec<String> = (0..40).map(|i| format!("stream-{i:02}")).collect();
    let known: Vec<&str> = ids.iter().step_by(2).map(String::as_str).collect();
    let emulator = Emulator::start(&known);
    let home = home();
    let (code, stdout, stderr) = run(emulator
        .eg(&home, "start")
        .args(["--ids-from", "-", "--output", "jsonl", "--concurrency", "5"])
        .args(["--retries", "1"])
        .write_stdin(format!("# piped\n{}\n", ids.join("\n"))));
    assert_eq!((code, stderr.as_str()), (1, "20 succeeded, 20 failed\n"));
    let lines: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect();
    // In completion order: each id once, with its own result.
    let mut got: Vec<(&str, bool)> = lines
        .iter()
        .map(|o| (o["id"].as_str().unwrap_or_default(), o["ok"] == true))
        .collect();
    got.sort_unstable();
    let expected: Vec<(&str, bool)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i % 2 == 0))
        .collect();
    assert_eq!(got, expected);
    assert!(
        lines
            .iter()
            .all(|o| o.get("summary").is_none() && o["error"].is_null() == (o["ok"] == true))
    );
    assert!(
        known
            .iter()
            .all(|id| emulator.status(id) == Some(StreamStatus::Running))
    );
}

#[test]
fn aksk_from_the_environment_and_the_profile_file() {
    let emulator = Emulator::start(&[STREAM]);
    let home = home();
    let (code, stdout, _) = run(eg(&home)
        .args(["streaming", "start", STREAM, "--quiet", "-o", "jsonl"])
        .args(["--endpoint", &emulator.url()])
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains(r#""ok":true"#), "{stdout}");
    assert_eq!(emulator.status(STREAM), Some(StreamStatus::Running));

    // ~/.huaweicloud/credentials, project id included.
    let dir = home.path().join(".huaweicloud");
    std::fs::create_dir(&dir).expect("profile dir");
    std::fs::write(
        dir.join("credentials"),
        format!("[basic]\nak = {AK}\nsk = {SK}\nproject_id = {PROJECT}\n"),
    )
    .expect("profile file");
    let (code, _, stderr) = run(eg(&home)
        .args(["streaming", "pause", STREAM])
        .env("EG_ENDPOINT", emulator.url()));
    assert_eq!((code, stderr.as_str()), (0, "1 succeeded, 0 failed\n"));
    assert_eq!(emulator.status(STREAM), Some(StreamStatus::Stopped));
}

#[test]
fn failures_name_the_cause_without_the_secret() {
    let emulator = Emulator::start(&[STREAM]);
    let home = home();
    // A token the emulator does not know: 401.
    let (code, stdout, _) = run(emulator
        .eg(&home, "start")
        .args([STREAM, "-o", "jsonl", "--retries", "1"])
        .env("EG_TOKEN", format!("{TOKEN}-revoked")));
    assert_eq!(code, 1);
    let outcome: Value = serde_json::from_str(&stdout).expect("jsonl");
    assert_eq!(
        (outcome["status"].as_u64(), &outcome["error"]["code"]),
        (Some(401), &json!("APIGW.0301"))
    );
    // Nothing listens on port 1: a transport error, no status.
    let (code, stdout, _) = run(eg(&home)
        .args(["streaming", "start", STREAM, "-o", "json", "--retries", "1"])
        .args(["--endpoint", "http://127.0.0.1:1", "--project-id", PROJECT])
        .env("EG_TOKEN", TOKEN));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let result = &report["results"][0];
    assert_eq!(
        (&result["status"], &result["attempts"]),
        (&Value::Null, &json!(1))
    );
    assert_eq!(
        (&result["error"]["kind"], &result["error"]["retryable"]),
        (&json!("transport"), &json!(true))
    );
}

#[test]
fn dry_run_prints_the_request_and_sends_nothing() {
    let emulator = Emulator::start(&[STREAM]);
    let home = home();
    let url = emulator.url();
    let (code, stdout, stderr) = run(emulator.eg(&home, "start").args([STREAM, "--dry-run"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        format!(
            "POST {url}/v1/{PROJECT}/eventstreamings/operate/{STREAM}\n\
             accept: application/json\n\
             content-type: application/json\n\
             x-auth-token: ***\n\
             user-agent: eg-client-rust/{version} eg/{version}\n\
             \n\
             {{\"operation\":\"START\"}}\n",
            version = env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(emulator.status(STREAM), Some(StreamStatus::Created));

    let (code, stdout, _) = run(eg(&home)
        .args([
            "streaming",
            "pause",
            "a",
            "b",
            "--dry-run",
            "--region",
            "cn-north-4",
        ])
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .env("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN)
        .env("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT));
    assert_eq!(code, 0);
    let requests: Vec<&str> = stdout.split("\n\nPOST ").collect();
    assert_eq!(requests.len(), 2, "{stdout}");
    assert!(stdout.starts_with(&format!(
        "POST https://eg.cn-north-4.myhuaweicloud.com/v1/{PROJECT}/eventstreamings/operate/a\n"
    )));
    assert!(requests[1].contains("/operate/b\n"), "{stdout}");
    let auth: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("authorization: "))
        .collect();
    assert_eq!(auth.len(), 2, "{stdout}");
    assert!(
        auth.iter().all(|l| l.starts_with(&format!(
            "authorization: SDK-HMAC-SHA256 Access={AK}, SignedHeaders="
        )) && l.ends_with(", Signature=***")),
        "{stdout}"
    );
    assert!(stdout.contains("x-security-token: ***\n"), "{stdout}");
    assert!(stdout.contains("{\"operation\":\"PAUSE\"}\n"), "{stdout}");
}

#[test]
fn emulator_prints_its_address_first() {
    let home = home();
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_eg"))
        .args([
            "emulator",
            "--listen",
            "127.0.0.1:0",
            "--stream",
            &format!("{PROJECT}/{STREAM}"),
        ])
        .args(["--token", &format!("{TOKEN}={PROJECT}")])
        .env_clear()
        .env("HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("eg emulator starts");
    let mut line = String::new();
    let read = child
        .stdout
        .take()
        .map(|out| BufReader::new(out).read_line(&mut line));
    let addr = line.trim().parse::<SocketAddr>();
    // The emulator it started answers the CLI.
    let answered = addr.as_ref().ok().map(|addr| {
        run(eg(&home)
            .args(["streaming", "start", STREAM, "--project-id", PROJECT, "-q"])
            .args(["--endpoint", &format!("http://{addr}")])
            .env("EG_TOKEN", TOKEN))
        .0
    });
    child.kill().expect("kill the emulator");
    child.wait().expect("reap the emulator");
    assert!(matches!(read, Some(Ok(n)) if n > 0), "{line:?}");
    let addr = addr.expect("first line is the bound address");
    assert!(addr.ip().is_loopback() && addr.port() != 0, "{addr}");
    assert_eq!(answered, Some(0));
}

#[test]
fn id_lists_with_a_bom_and_any_line_ending_send_the_ids_they_show() {
    let emulator = Emulator::start(&["s1", "s2", "s3", "s4"]);
    let home = home();
    let file = home.path().join("ids.txt");
    // Notepad's BOM, then old Mac, Windows and Unix line endings.
    std::fs::write(&file, "\u{feff}s1\rs2\r\ns3\ns4").expect("ids file");
    let (code, stdout, stderr) = run(emulator
        .eg(&home, "start")
        .arg("--ids-from")
        .arg(&file)
        .args(["-o", "jsonl", "--concurrency", "1"]));
    assert_eq!((code, stderr.as_str()), (0, "4 succeeded, 0 failed\n"));
    let sent: Vec<(String, String)> = stdout
        .lines()
        .map(|line| {
            let o: Value = serde_json::from_str(line).expect("jsonl");
            (o["id"].to_string(), o["event_streaming_id"].to_string())
        })
        .collect();
    let quoted = |id: &str| (format!("\"{id}\""), format!("\"{id}\""));
    assert_eq!(sent, ["s1", "s2", "s3", "s4"].map(quoted));
    for id in ["s1", "s2", "s3", "s4"] {
        assert_eq!(emulator.status(id), Some(StreamStatus::Running), "{id}");
    }
}

#[test]
fn the_table_escapes_what_would_not_show_as_itself() {
    let emulator = Emulator::start(&[STREAM]);
    let home = home();
    // A BOM inside an id, a CR, an escape sequence: 404s, each shown as sent.
    let (code, stdout, _) = run(emulator.eg(&home, "start").args([
        "\u{feff}s1",
        "s1\rs2",
        "a\u{1b}[2Jb",
        "--retries",
        "1",
        "--concurrency",
        "1",
    ]));
    assert_eq!(code, 1);
    let ids: Vec<&str> = stdout
        .lines()
        .skip(1)
        .map(|row| row.split("  ").next().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["\\u{feff}s1", "s1\\rs2", "a\\u{1b}[2Jb"]);
    assert!(!stdout.contains(['\u{feff}', '\r', '\u{1b}']), "{stdout:?}");
}
