//! The `eg-emulator` binary: first line, real requests, Ctrl-C, bad flags.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_eg-emulator");

#[tokio::test]
async fn prints_the_bound_address_serves_and_stops_on_ctrl_c() {
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--stream",
            "p1/s1=STOPPED",
            "--token",
            "tok=p1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn eg-emulator");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first_line)
        .expect("first line");
    let addr: std::net::SocketAddr = first_line
        .trim()
        .parse()
        .expect("the first line is the bound address");
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0);

    let response = reqwest::Client::new()
        .post(format!("http://{addr}/v1/p1/eventstreamings/operate/s1"))
        .header("x-auth-token", "tok")
        .body(r#"{"operation":"START"}"#)
        .send()
        .await
        .expect("response");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.text().await.expect("body"),
        r#"{"eventStreamingID":"s1"}"#
    );

    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "eg-emulator did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn bad_flags_and_seed_files_exit_2_with_the_reason() {
    let output = Command::new(BIN)
        .args(["--stream", "nope"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid value 'nope' for '--stream <PROJECT/ID[=STATUS]>': 'nope' is not PROJECT/ID[=STATUS]"), "{stderr}");

    let dir = tempfile::tempdir().expect("temp dir");
    let seed = dir.path().join("seed.txt");
    std::fs::write(&seed, "stream p/s\nstream p/t=BROKEN\n").expect("write");
    let output = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--seed"])
        .arg(&seed)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "eg-emulator: {}:2: unknown status 'BROKEN' (expected CREATED, RUNNING, ERROR or STOPPED)\n",
            seed.display()
        )
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn help_states_every_limit_and_its_default() {
    let output = Command::new(BIN).arg("--help").output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    // clap wraps lines: compare with whitespace collapsed.
    let help = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "--lockout-after <N> Lock an access key after more than this many failed authentications in a row, as Huawei's gateway does; 0 turns the lockout off [default: 5]",
        "--lockout-secs <SECS> How long a locked access key is refused, in seconds [default: 300]",
        "--rate-limit <N> Throttle each project to N requests per second (token bucket, burst N), answering 429 APIGW.0308 beyond; off by default",
        "--header-timeout <SECS> Seconds allowed for a request's headers (and TLS handshake) to arrive before the connection is closed; also how long any connection with no request in flight is kept (HTTP/1 keep-alive, HTTP/2, or one that sent nothing) [default: 30]",
        "--write-timeout <SECS> Seconds a write may wait for the client to read before the connection is dropped [default: 30]",
        "--request-timeout <SECS> Seconds allowed for a whole request, body included, before it is answered 408 [default: 30]",
        "--max-connections <N> Connections served at once; more wait in the listen backlog [default: 1024]",
    ] {
        assert!(help.contains(expected), "missing {expected:?} in {help}");
    }
    let output = Command::new(BIN)
        .args(["--header-timeout", "0"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(
            "invalid value '0' for '--header-timeout <SECS>': '0' is not a number of seconds between 0.001 and 86400"
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Issue 18, defect 10: clap's "invalid value" error quoted the value, and
/// with it the token or the SK.
#[test]
fn malformed_grants_are_refused_without_echoing_the_secret() {
    let token = "'--token <TOKEN=PROJECT[,PROJECT...]>'";
    let credential = "'--credential <AK=SK[:PROJECT,...]>'";
    for (args, flag, why) in [
        (
            &["--token", "MYSECRET"][..],
            token,
            "a token grant is TOKEN=PROJECT[,PROJECT...]: no '=' between the token and its projects",
        ),
        (
            &["--token=MYSECRET="][..],
            token,
            "a token grant is TOKEN=PROJECT[,PROJECT...]: no project after '='",
        ),
        (
            &["--credential", "=MYSECRET"][..],
            credential,
            "a credential is AK=SK[:PROJECT,...]: the AK is empty",
        ),
        (
            &["--credential", "MYSECRET"][..],
            credential,
            "a credential is AK=SK[:PROJECT,...]: no '=' between the AK and the SK",
        ),
    ] {
        let output = Command::new(BIN).args(args).output().expect("run");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("MYSECRET"), "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().next(),
            Some(
                format!("error: invalid value for {flag} (not shown: it holds a secret): {why}")
                    .as_str()
            ),
            "{args:?}: {stderr}"
        );
    }
}
