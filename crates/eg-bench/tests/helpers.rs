//! The processes `eg-bench` starts of itself, run for real.

use assert_cmd::Command;
use serde_json::Value;

/// `eg-bench rusage -- ARGS`: its one JSON line.
fn rusage(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_eg-bench"))
        .args(["rusage", "--"])
        .args(args)
        .output()
        .expect("eg-bench runs");
    assert!(out.status.success(), "helper failed: {out:?}");
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn rusage_reports_exit_code_and_usage_of_its_child() {
    let report = rusage(&["sh", "-c", "echo hidden; exit 3"]);
    assert_eq!(report["exit_code"], 3);
    let mut keys: Vec<&str> = report
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["exit_code", "max_rss_kib", "sys_s", "user_s", "wall_s"]
    );
    // A shell holds at least a few hundred KiB resident.
    assert!(report["max_rss_kib"].as_u64().expect("KiB") > 100);

    assert_eq!(rusage(&["true"])["exit_code"], 0);
}

#[test]
fn rusage_names_a_command_that_cannot_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_eg-bench"))
        .args(["rusage", "--", "/nonexistent/program"])
        .output()
        .expect("eg-bench runs");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "eg-bench: rusage: cannot run /nonexistent/program: No such file or directory (os error 2)\n"
    );
    assert!(out.stdout.is_empty());
}
