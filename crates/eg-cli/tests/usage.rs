//! `eg`'s usage, configuration and output-stream errors, its help and
//! completions: what it refuses before sending, with exit code 2.

use std::process::Command as StdCommand;

use eg_emulator::StreamStatus;
use tempfile::TempDir;

mod common;
use common::*;

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
