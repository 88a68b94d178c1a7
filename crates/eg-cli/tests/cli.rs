//! The `eg` binary against an emulator served in-process, over real HTTP.
//!
//! The emulator runs on its own multi-thread runtime that the test keeps
//! alive; the binary runs synchronously on the test thread meanwhile.

use std::{
    io::{BufRead, BufReader},
    net::SocketAddr,
    process::{Command as StdCommand, Stdio},
};

use assert_cmd::Command;
use eg_emulator::StreamStatus;
use serde_json::{Value, json};
use tempfile::TempDir;

mod common;
use common::*;

const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const SECURITY_TOKEN: &str = "security-secret-2b4f";
const SECRETS: [&str; 3] = [TOKEN, SK, SECURITY_TOKEN];

impl Emulator {
    /// `eg streaming OPERATION` with token auth against this emulator.
    fn eg(&self, home: &TempDir, operation: &str) -> Command {
        let mut cmd = eg(home);
        cmd.args(["streaming", operation, "--project-id", PROJECT])
            .args(["--endpoint", &self.url()])
            .env("EG_TOKEN", TOKEN);
        cmd
    }
}

/// `eg` in a clean environment: no HUAWEICLOUD_SDK_* or EG_* variables,
/// HOME an empty directory, so no profile file is found.
fn eg(home: &TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eg"));
    cmd.env_clear().env("HOME", home.path());
    cmd
}

fn home() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Runs the command; returns exit code, stdout and stderr after checking
/// that no secret appears in either.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().expect("eg runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    for secret in SECRETS {
        assert!(!stdout.contains(secret), "secret in stdout:\n{stdout}");
        assert!(!stderr.contains(secret), "secret in stderr:\n{stderr}");
    }
    (output.status.code().expect("exit code"), stdout, stderr)
}

fn is_request_id(id: &str) -> bool {
    let parts: Vec<&str> = id.splitn(3, '-').collect();
    parts.len() == 3 && parts[0].len() == 32 && parts[2] == "eg-emulator"
}

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
fn usage_errors_exit_2() {
    let home = home();
    for args in [
        &["streaming", "start"][..],
        &["streaming", "restart", "x"],
        &["stream", "start", "x"],
        &["streaming", "start", "x", "--output", "xml"],
        &["streaming", "start", "x", "--concurrency", "0"],
        &["streaming", "start", "x", "--retries", "0"],
        &["completions", "tcsh"],
    ] {
        let (code, stdout, stderr) = run(eg(&home).args(args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "", "{args:?}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}

#[test]
fn configuration_errors_exit_2_with_a_message() {
    let home = home();
    let empty = home.path().join("empty.txt");
    std::fs::write(&empty, "# nothing today\n\n").expect("ids file");
    let missing = home.path().join("missing.txt");
    let token = ["--token", TOKEN, "--project-id", PROJECT];
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec!["x".into(), "--region".into(), "cn-north-4".into(), "--project-id".into(), PROJECT.into()],
            "eg: no credentials: pass --token or set EG_TOKEN, set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or write ak and sk under [basic] in ~/.huaweicloud/credentials\n".into(),
        ),
        (
            vec!["x".into(), "--token".into(), TOKEN.into(), "--region".into(), "cn-north-4".into()],
            "eg: no project id: pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID\n".into(),
        ),
        (
            [&["x"][..], &token].concat().iter().map(|s| s.to_string()).collect(),
            "eg: no endpoint: pass --region (e.g. cn-north-4) or --endpoint URL\n".into(),
        ),
        (
            [&["--ids-from", empty.to_str().unwrap_or_default(), "--region", "cn-north-4"][..], &token]
                .concat().iter().map(|s| s.to_string()).collect(),
            "eg: no event streaming ids given (pass IDs or --ids-from FILE)\n".into(),
        ),
        (
            [&["--ids-from", missing.to_str().unwrap_or_default(), "--region", "cn-north-4"][..], &token]
                .concat().iter().map(|s| s.to_string()).collect(),
            format!("eg: cannot read ids from {}: No such file or directory (os error 2)\n", missing.display()),
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = run(eg(&home).args(["streaming", "start"]).args(&args));
        assert_eq!(
            (code, stdout.as_str(), stderr.as_str()),
            (2, "", message.as_str()),
            "{args:?}"
        );
    }
    // The library's message, which lists the known regions.
    let (code, stdout, stderr) = run(eg(&home)
        .args(["streaming", "start", "x", "--region", "mars-1"])
        .args(token));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.starts_with("eg: configuration: unknown region 'mars-1' (known: cn-north-4, "),
        "{stderr}"
    );
    // An incomplete AK/SK pair is refused, not half used.
    let (code, _, stderr) = run(eg(&home)
        .args(["streaming", "start", "x", "--region", "cn-north-4"])
        .env("HUAWEICLOUD_SDK_SK", SK));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "eg: configuration: HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is missing in the environment\n"
    );
}

#[test]
fn help_never_shows_the_token() {
    let home = home();
    let (code, stdout, _) = run(eg(&home)
        .args(["streaming", "start", "--help"])
        .env("EG_TOKEN", TOKEN));
    assert_eq!(code, 0);
    assert!(stdout.contains("[env: EG_TOKEN]"), "{stdout}");
    assert!(stdout.contains("Examples:"), "{stdout}");
}

#[test]
fn completions_cover_every_shell() {
    let home = home();
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, _) = run(eg(&home).args(["completions", shell]));
        assert_eq!(code, 0, "{shell}");
        assert!(
            stdout.contains("streaming") && stdout.contains("ids-from"),
            "{shell}"
        );
    }
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
fn out_of_range_rates_and_timeouts_are_usage_errors_naming_the_range() {
    let home = home();
    for (flag, value, range) in [
        (
            "--rate",
            "1e-20",
            "requests per second from 0.001 to 100000",
        ),
        ("--rate", "0", "requests per second from 0.001 to 100000"),
        (
            "--rate",
            "1e300",
            "requests per second from 0.001 to 100000",
        ),
        ("--timeout", "1e-300", "seconds from 0.001 to 86400"),
        ("--timeout", "1e20", "seconds from 0.001 to 86400"),
    ] {
        let (code, stdout, stderr) = run(eg(&home)
            .args(["streaming", "start", "x", "--region", "cn-north-4"])
            .args(["--token", TOKEN, "--project-id", PROJECT, flag, value]));
        let name = if flag == "--rate" { "N" } else { "SECONDS" };
        assert_eq!(
            (code, stdout.as_str(), stderr.as_str()),
            (
                2,
                "",
                format!(
                    "error: invalid value '{value}' for '{flag} <{name}>': expected a number of {range}\n\n\
                     For more information, try '--help'.\n"
                )
                .as_str()
            )
        );
    }
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

/// `eg ARGS` run by `sh` with stdout redirected by `redirect` (`>&-`, ...).
fn eg_with_stdout(home: &TempDir, redirect: &str, args: &[&str]) -> (i32, String) {
    let output = StdCommand::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" \"$@\" {redirect}"))
        .arg(env!("CARGO_BIN_EXE_eg"))
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("EG_TOKEN", TOKEN)
        .output()
        .expect("sh runs");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_is_refused_before_anything_is_sent() {
    let emulator = Emulator::start(&[STREAM]);
    let home = home();
    let url = emulator.url();
    let args = [
        "streaming",
        "start",
        STREAM,
        "--project-id",
        PROJECT,
        "--endpoint",
        &url,
    ];
    let (code, stderr) = eg_with_stdout(&home, ">&-", &args);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "eg: stdout is closed, so the results would be lost: give eg a stdout \
             (to discard the results, redirect it to /dev/null)\n"
        )
    );
    assert_eq!(emulator.status(STREAM), Some(StreamStatus::Created));
    let (code, _) = eg_with_stdout(&home, ">&-", &["completions", "bash"]);
    assert_eq!(code, 2);

    // Discarding the results on purpose is not a closed stdout.
    let (code, stderr) = eg_with_stdout(&home, ">/dev/null", &args);
    assert_eq!((code, stderr.as_str()), (0, "1 succeeded, 0 failed\n"));
    assert_eq!(emulator.status(STREAM), Some(StreamStatus::Running));
}

#[test]
fn help_takes_the_route_and_the_operations_from_the_spec() {
    let spec = eg_client::operations::ResumeEventStreaming::SPEC;
    let home = home();
    let (code, stdout, _) = run(eg(&home).arg("--help"));
    assert_eq!(code, 0);
    let route = format!("(the {} API: {} {})", spec.id, spec.method, spec.path);
    // Help text wraps at spaces: compare with the whitespace folded.
    let folded = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(folded.contains(&route), "{route} not in:\n{stdout}");
    let (code, stdout, _) = run(eg(&home).args(["streaming", "--help"]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "Commands:\n  start  Start event streams (operation START)\n  \
             pause  Pause event streams (operation PAUSE)\n"
        ),
        "{stdout}"
    );
}
