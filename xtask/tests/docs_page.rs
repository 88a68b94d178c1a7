//! `cargo xtask docs-page`: the model of each page, JSON `format: 1`, and
//! exit 2 for a file that is no API page.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn json_model_of_the_real_page() {
    let page = root().join("openapi/OperateEventStreaming.en-us.txt");
    let page = page.display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["docs-page", &page, "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["format"], 1);
    let p = &v["pages"][0];
    assert_eq!(p["file"], page.as_str());
    assert_eq!(
        (p["language"].as_str(), p["edition"].as_str()),
        (Some("en-us"), Some("2025-05-06"))
    );
    assert_eq!(p["operation"]["method"], "POST");
    assert_eq!(
        p["parameters"][3],
        serde_json::json!({"name": "operation", "in": "body", "mandatory": false, "type": "String",
            "min_length": null, "max_length": null, "minimum": null, "maximum": null,
            "default": null, "enum": null, "description": "Operation type.", "notes": [],
            "table": "Table 3 Request body parameters", "line": 70})
    );
    assert_eq!(
        p["request_examples"][0]["json"],
        serde_json::json!({"operation": "PAUSE"})
    );
    assert_eq!(p["unread"], serde_json::json!([]));
}

#[test]
fn a_file_that_is_no_page_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join("notes.txt");
    std::fs::write(&p, "just some notes\n").expect("write");
    let p = p.display().to_string();
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["docs-page", &p])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: {p}:1: no URI line ('METHOD /path') anywhere: not a Huawei API page\n"
        ));
}
