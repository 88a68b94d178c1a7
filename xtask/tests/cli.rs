//! The real `xtask` binary: exit codes, output and the snapshot workflow.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("workspace file")
}

fn xtask(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(args);
    cmd
}

/// Runs `check-spec` on the given files; returns (exit code, stdout, stderr).
fn check_spec(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["check-spec"];
    args.extend_from_slice(extra);
    let out = xtask(&args).output().expect("xtask runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    (
        out.status.code().unwrap_or(-1),
        text(out.stdout),
        text(out.stderr),
    )
}

/// A temp dir holding `page.txt` and `eg.yaml`.
fn inputs(page: &str, spec: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (p, s) = (dir.path().join("page.txt"), dir.path().join("eg.yaml"));
    std::fs::write(&p, page).expect("write page");
    std::fs::write(&s, spec).expect("write spec");
    let name = |p: PathBuf| p.display().to_string();
    (dir, name(p), name(s))
}

#[test]
fn real_inputs_agree() {
    let (code, out, err) = check_spec(&[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out.lines().last(),
        Some("checked 138, passed 132, failed 0, accepted 4, not checkable 2")
    );
    assert!(out.lines().next().is_some_and(|l| l.starts_with(
        "ACCEPTED openapi/eg.yaml#/paths/~1v1~1{project_id}~1eventstreamings~1operate~1{eventstreaming_id}/post/parameters/0/schema minLength is 1, docs line 28 states none; departure: "
    )));
}

#[test]
fn drift_exits_1_with_the_failure_lines() {
    let page =
        read("openapi/OperateEventStreaming.zh-cn.txt").replace("最大长度:512", "最大长度:256");
    let (_dir, p, s) = inputs(&page, &read("openapi/eg.yaml"));
    let (code, out, _) = check_spec(&["--docs", &p, "--spec", &s]);
    assert_eq!(code, 1);
    let fails: Vec<&str> = out.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fails.len(), 10, "{out}");
    let msg = format!("FAIL {s}#/components/schemas/ErrorBody/properties/error_msg");
    assert_eq!(
        fails[0],
        format!("{msg} maxLength is 512, docs line 144 says 256")
    );
    assert_eq!(
        fails[1],
        format!(
            "{msg} generated types::ErrorBody accepts 257 characters, docs line 144 says maxLength 256"
        )
    );
    assert_eq!(
        fails[9],
        format!(
            "{msg} generated types::ErrorBody accepts 257 characters, docs line 344 says maxLength 256"
        )
    );
    assert_eq!(
        out.lines().last(),
        Some("checked 138, passed 122, failed 10, accepted 4, not checkable 2")
    );

    let spec =
        read("openapi/eg.yaml").replace("            X-Request-Id:", "            X-Req-Id:");
    let (_dir, p, s) = inputs(&read("openapi/OperateEventStreaming.zh-cn.txt"), &spec);
    let (code, out, _) = check_spec(&["--docs", &p, "--spec", &s]);
    assert_eq!(code, 1);
    let op = format!(
        "{s}#/paths/~1v1~1{{project_id}}~1eventstreamings~1operate~1{{eventstreaming_id}}/post"
    );
    let fails: Vec<&str> = out.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(
        fails,
        [
            format!(
                "FAIL {op}/responses/200/headers header X-Request-Id is missing, docs line 96 documents it"
            ),
            format!(
                "FAIL {op}/responses/200/headers/X-Req-Id header X-Req-Id is not in the docs, docs line 88 (表4 响应Header参数) does not list it"
            ),
        ]
    );
}

#[test]
fn json_format() {
    let (code, out, _) = check_spec(&["--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["format"], 1);
    assert_eq!(v["docs"], "openapi/OperateEventStreaming.zh-cn.txt");
    assert_eq!(v["spec"], "openapi/eg.yaml");
    assert_eq!(v["counts"]["checked"], 138);
    assert_eq!(v["counts"]["passed"], 132);
    assert_eq!(v["counts"]["failed"], 0);
    assert_eq!(v["counts"]["accepted"], 4);
    assert_eq!(v["counts"]["not_checkable"], 2);
    let findings = v["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 138);
    let open = &findings[4];
    assert_eq!(open["status"], "not_checkable");
    assert_eq!(open["fact"], "required");
    assert_eq!(open["docs_line"], 28);
    assert_eq!(
        open["pointer"],
        "/paths/~1v1~1{project_id}~1eventstreamings~1operate~1{eventstreaming_id}/post/parameters/0"
    );
    assert_eq!(
        open["message"],
        "required is true, docs line 28 leaves it open (no 是否必选 cell)"
    );
    assert!(open["reason"].is_null());
}

#[test]
fn unreadable_inputs_exit_2_naming_file_and_line() {
    let spec = read("openapi/eg.yaml");
    let cases: [(&[u8], &str, &str); 5] = [
        (b"", "eg.yaml", ":1: empty page"),
        (b"\x00\x01PK\x03\x04\nURI\n\n\xff\xfe", "eg.yaml", ":4: not UTF-8 text (byte 12)"),
        (b"URI\n\nPOST /v1\n\n\xe8\xa1\xa81 \xe8\xb7\xaf\xe5\xbe\x84\xe5\x8f\x82\xe6\x95\xb0\n\n\xe5\x8f\x82\xe6\x95\xb0\n", "eg.yaml", ":5: table '表1 路径参数' has no rows"),
        (b"URI\n\nPOST /v1\n\nxyz", "bad.yaml", ""),
        (b"URI\n\nPOST /v1\n\nxyz", "list.yaml", ""),
    ];
    for (page, spec_file, expected) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("page.txt");
        std::fs::write(&p, page).expect("write");
        std::fs::write(dir.path().join("eg.yaml"), &spec).expect("write");
        std::fs::write(dir.path().join("bad.yaml"), "openapi: 3.0.3\ninfo: [\n").expect("write");
        std::fs::write(dir.path().join("list.yaml"), "- 1\n").expect("write");
        let s = dir.path().join(spec_file);
        let (p, s) = (p.display().to_string(), s.display().to_string());
        let (code, out, err) = check_spec(&["--docs", &p, "--spec", &s]);
        assert_eq!((code, out.as_str()), (2, ""), "{err}");
        let want = match spec_file {
            "bad.yaml" => format!(
                "error: {s}:3: invalid YAML: did not find expected node content at line 3 column 1, while parsing a flow node\n"
            ),
            "list.yaml" => format!(
                "error: {s}:1: not an OpenAPI 3.0 document: invalid type: sequence, expected struct OpenAPI\n"
            ),
            _ => format!("error: {p}{expected}\n"),
        };
        assert_eq!(err, want);
    }
    let (code, _, err) = check_spec(&["--docs", "/nonexistent/page.txt"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: /nonexistent/page.txt: cannot read: "),
        "{err}"
    );
}

#[test]
fn codegen_check_and_write() {
    // The committed snapshot is current.
    xtask(&["codegen", "--check"])
        .assert()
        .code(0)
        .stdout("generated/codegen.rs is up to date\n");

    let dir = tempfile::tempdir().expect("temp dir");
    let snap = dir.path().join("gen").join("codegen.rs");
    let name = snap.display().to_string();
    let fresh = read("generated/codegen.rs");
    std::fs::create_dir_all(snap.parent().expect("parent")).expect("mkdir");
    std::fs::write(
        &snap,
        fresh.replace("pub struct ErrorBody {", "pub struct ErrBody {"),
    )
    .expect("write");

    let out = xtask(&["codegen", "--check", "--snapshot", &name])
        .assert()
        .code(1);
    let out = out.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.starts_with(&format!(
            "--- {name} (committed)\n+++ {name} (from openapi/eg.yaml)\n@@ "
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n-    pub struct ErrBody {\n+    pub struct ErrorBody {\n"),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        format!("error: {name} is stale: run `cargo xtask codegen` and commit {name}\n")
    );

    xtask(&["codegen", "--snapshot", &name])
        .assert()
        .code(0)
        .stdout(format!("wrote {name} ({} lines)\n", fresh.lines().count()));
    assert_eq!(std::fs::read_to_string(&snap).expect("written"), fresh);
    xtask(&["codegen", "--check", "--snapshot", &name])
        .assert()
        .code(0);
}
