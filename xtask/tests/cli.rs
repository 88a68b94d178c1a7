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

/// The golden report of the default run, kept by eg-spec-check's tests.
const GOLDEN: &str = "crates/eg-spec-check/tests/golden/check-spec.txt";
const ZH: &str = "openapi/OperateEventStreaming.zh-cn.txt";
const EN: &str = "openapi/OperateEventStreaming.en-us.txt";
const OP: &str = "#/paths/~1v1~1{project_id}~1eventstreamings~1operate~1{eventstreaming_id}/post";

#[test]
fn default_run_reads_every_kept_page_and_prints_the_golden_report() {
    let (code, out, err) = check_spec(&[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(
        out,
        read(GOLDEN),
        "if intended, run `UPDATE_GOLDEN=1 cargo test -p eg-spec-check --test golden`"
    );
    assert!(out.contains(&format!("{EN}:")) && out.contains(&format!("{ZH}:")));
}

#[test]
fn drift_exits_1_with_the_failure_lines() {
    let page = read(ZH).replace("最大长度:512", "最大长度:256");
    let (_dir, p, s) = inputs(&page, &read("openapi/eg.yaml"));
    let en = root().join(EN).display().to_string();
    let (code, out, _) = check_spec(&["--docs", &p, "--docs", &en, "--spec", &s]);
    assert_eq!(code, 1);
    let fails: Vec<&str> = out.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fails.len(), 10, "{out}");
    let msg = format!("FAIL {s}#/components/schemas/ErrorBody/properties/error_msg");
    assert_eq!(
        fails[0],
        format!("{msg} maxLength is 512, {p}:144 [zh-cn] says 256")
    );
    assert_eq!(
        fails[9],
        format!(
            "{msg} generated types::ErrorBody accepts 257 characters, {p}:344 [zh-cn] says maxLength 256"
        )
    );
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.contains(", failed 10, conflicts 0, "))
    );
}

#[test]
fn exit_codes_of_partial_runs_and_drifts() {
    let kept = |rel: &str| root().join(rel).display().to_string();
    let fixture =
        kept("crates/eg-docs-page/tests/fixtures/renderings/OperateEventStreaming.en-us.2.txt");
    // One page alone leaves facts only the other states to no page: exit 1,
    // and every failure says so.
    for page in [kept(ZH), kept(EN), fixture] {
        let (code, out, err) = check_spec(&["--docs", &page]);
        assert_eq!((code, err.as_str()), (1, ""), "{page}");
        let fails: Vec<&str> = out.lines().filter(|l| l.starts_with("FAIL")).collect();
        assert!(!fails.is_empty());
        assert!(
            fails
                .iter()
                .all(|l| l.ends_with("and no page in this run states it")),
            "{out}"
        );
    }
    // The status-code table stops listing 403.
    let page = read(ZH).replacen("403\n\n禁止访问\n\n", "", 1);
    let (_dir, p, s) = inputs(&page, &read("openapi/eg.yaml"));
    let (code, out, _) = check_spec(&["--docs", &p, "--docs", &kept(EN), "--spec", &s]);
    assert_eq!(code, 1);
    assert!(out.contains(&format!(
        "FAIL {s}{OP}/responses response 403: the page contradicts itself: {p}:216 [zh-cn] documents it, its status-code table ({p}:411 [zh-cn]) does not list it\n"
    )), "{out}");
    // A page for another operation: it fails and so does the spec's
    // operation, which no page of the run documents now; exit 1.
    let page = read(ZH).replace("POST /v1/{project_id}", "GET /v1/{project_id}");
    let (_dir, p, s) = inputs(&page, &read("openapi/eg.yaml"));
    let (code, out, _) = check_spec(&["--docs", &p, "--spec", &s]);
    assert_eq!(code, 1);
    let fails: Vec<&str> = out.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(
        fails,
        [
            format!(
                "FAIL {s}{OP} ResumeEventStreaming (POST /v1/{{project_id}}/eventstreamings/operate/{{eventstreaming_id}}): no page in this run documents it"
            ),
            format!(
                "FAIL {s}#/paths {p}:16 [zh-cn] documents GET /v1/{{project_id}}/eventstreamings/operate/{{eventstreaming_id}}, another operation than the spec's POST /v1/{{project_id}}/eventstreamings/operate/{{eventstreaming_id}}; this page was not compared"
            ),
        ],
        "{out}"
    );
}

#[test]
fn json_format() {
    let (code, out, _) = check_spec(&["--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["format"], 4);
    assert_eq!(
        v["docs"],
        serde_json::json!([
            {"file": EN, "language": "en-us", "edition": "2025-05-06", "current": true},
            {"file": ZH, "language": "zh-cn", "edition": "2023-12-12", "current": true}
        ])
    );
    assert_eq!(v["spec"], "openapi/eg.yaml");
    assert_eq!(
        v["operations"],
        serde_json::json!([{
            "id": "ResumeEventStreaming",
            "method": "POST",
            "path": "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}",
            "pages": [EN, ZH]
        }])
    );
    let golden = read(GOLDEN);
    let findings = v["findings"].as_array().expect("findings");
    // The golden report: a header line per page, the operation's line, the
    // findings, the summary.
    assert_eq!(findings.len(), golden.lines().count() - 4);
    assert_eq!(v["counts"]["checked"], findings.len());
    assert_eq!(v["counts"]["failed"], 0);
    assert_eq!(v["counts"]["conflicts"], 0);
    // Findings in text order, each naming its page.
    for (f, line) in findings.iter().zip(golden.lines().skip(3)) {
        assert_eq!(f["operation"], "ResumeEventStreaming");
        let message = f["message"].as_str().expect("message");
        assert!(line.ends_with(message), "{line}");
        let page = f["page"]["file"].as_str().expect("page");
        assert!(
            message.contains(&format!("{page}:{}", f["docs_line"])),
            "{message}"
        );
    }
}

#[test]
fn unreadable_inputs_exit_2_naming_file_and_line() {
    let spec = read("openapi/eg.yaml");
    let cases: [(&[u8], &str, &str); 5] = [
        (b"", "eg.yaml", ":1: empty page"),
        (b"\x00\x01PK\x03\x04\nURI\n\n\xff\xfe", "eg.yaml", ":4: not UTF-8 text (byte 12)"),
        // A cut-off table is checked (NOT CHECKABLE); a file with no URI line is no page.
        (b"URI\n\n\xe8\xa1\xa81 \xe8\xb7\xaf\xe5\xbe\x84\xe5\x8f\x82\xe6\x95\xb0\n\n\xe5\x8f\x82\xe6\x95\xb0\n", "eg.yaml", ":1: no URI line ('METHOD /path') anywhere: not a Huawei API page"),
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
