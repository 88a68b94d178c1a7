//! The real page against the real spec: everything agrees, with exact counts.

mod common;

use common::*;
use eg_spec_check::{Counts, Site, Status, probe};

#[test]
fn real_page_agrees_with_real_spec() {
    let r = run(PAGE_TEXT, SPEC_TEXT);
    assert!(
        r.agrees(),
        "openapi/eg.yaml disagrees with the docs page; run `cargo xtask check-spec` for details:\n{}",
        failures(&r).join("\n")
    );
    let expected = Counts {
        checked: 138,
        passed: 132,
        failed: 0,
        accepted: 4,
        not_checkable: 2,
    };
    assert_eq!(r.counts(), expected);
    let text = r.text();
    assert_eq!(
        text.lines().last(),
        Some("checked 138, passed 132, failed 0, accepted 4, not checkable 2")
    );
    assert_eq!(text.lines().count(), 139);
}

#[test]
fn departures_are_accepted_and_open_cells_not_checkable() {
    let r = run(PAGE_TEXT, SPEC_TEXT);
    let text = r.text();
    let lines: Vec<&str> = text.lines().take(6).collect();
    let empty_id = "An empty id would produce an empty path segment and so a different request path; the client refuses it before sending.";
    assert_eq!(
        lines,
        [
            format!("ACCEPTED {OP}/parameters/0/schema minLength is 1, docs line 28 states none; departure: {empty_id}"),
            format!("ACCEPTED {OP}/parameters/1/schema minLength is 1, docs line 34 states none; departure: {empty_id}"),
            format!("ACCEPTED {OP}/parameters/2 required is false, docs line 52 leaves it open (no 是否必选 cell); departure: AK/SK signing (SDK-HMAC-SHA256) is the other way to authenticate, and Huawei's own SDKs never send X-Auth-Token."),
            "ACCEPTED openapi/eg.yaml#/components/schemas/OperateEventStreamingRequest/required required is true for operation, docs line 72 leaves it open (no 是否必选 cell); departure: The request has no meaning without an operation; the SDKs always send it and the client makes it the one mandatory argument.".to_owned(),
            format!("NOT CHECKABLE {OP}/parameters/0 required is true, docs line 28 leaves it open (no 是否必选 cell)"),
            format!("NOT CHECKABLE {OP}/parameters/1 required is true, docs line 34 leaves it open (no 是否必选 cell)"),
        ]
    );
    let reasons = r.findings.iter().filter(|f| f.reason.is_some()).count();
    assert_eq!(reasons, 4);
}

#[test]
fn every_documented_limit_and_enum_value_is_probed() {
    let r = run(PAGE_TEXT, SPEC_TEXT);
    let probed: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.fact.starts_with("enforced "))
        .collect();
    // X-Auth-Token 2, operation 2, and 4 fields x 2 limits in each of 5 error tables.
    assert_eq!(probed.len(), 2 + 2 + 5 * 8);
    assert!(probed.iter().all(|f| f.status == Status::Ok));
    let text = r.text();
    for line in [
        format!("ok {OP}/parameters/2/schema generated types::ResumeEventStreamingXAuthToken accepts 16384 characters and rejects 16385 characters, docs line 60 says maxLength 16384"),
        "ok openapi/eg.yaml#/components/schemas/Operation generated types::OperateEventStreamingRequest accepts \"PAUSE\" and rejects \"pause\" and \"PAUSEX\", docs line 82 says enum \"PAUSE\"".into(),
        "ok openapi/eg.yaml#/components/schemas/ErrorBody/properties/error_msg generated types::ErrorBody accepts 1 character and rejects 0 characters, docs line 142 says minLength 1".into(),
        "ok openapi/eg.yaml#/components/schemas/ErrorBody/properties/error_msg generated types::ErrorBody accepts 512 characters and rejects 513 characters, docs line 344 says maxLength 512".into(),
    ] {
        assert!(text.lines().any(|l| l == line), "missing: {line}");
    }
}

#[test]
fn probe_table() {
    let (ty, p) = probe(Site::Header, "x-auth-token").expect("headers match case-insensitively");
    assert_eq!(ty, "types::ResumeEventStreamingXAuthToken");
    assert!(p("t").is_ok() && p("").is_err());
    let (_, p) = probe(Site::ErrorBody, "error_code").expect("mapped");
    assert!(p(&"c".repeat(128)).is_ok());
    assert_eq!(
        p(&"c".repeat(129)).map_err(|e| e.contains("longer than 128")),
        Err(true)
    );
    let (_, p) = probe(Site::RequestBody, "operation").expect("mapped");
    assert!(p("START").is_ok() && p("start").is_err());
    assert!(probe(Site::ErrorBody, "eventStreamingID").is_none());
    assert!(probe(Site::RequestBody, "Operation").is_none());
}

#[test]
fn json_report() {
    let r = run(&edit(PAGE_TEXT, 144, "最大长度:500"), SPEC_TEXT);
    let json = r.json();
    // Serialized in the documented order (a parsed Value sorts its keys).
    assert!(
        json.starts_with("{\n  \"format\": 1,\n  \"docs\": "),
        "{json}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["counts", "docs", "findings", "format", "spec"]);
    assert_eq!(v["format"], 1);
    assert_eq!(v["docs"], DOCS);
    assert_eq!(v["spec"], SPEC);
    assert_eq!(
        v["counts"],
        serde_json::json!({"checked": 138, "passed": 130, "failed": 2, "accepted": 4, "not_checkable": 2})
    );
    let findings = v["findings"].as_array().expect("array");
    assert_eq!(findings.len(), 138);
    let first = &findings[0];
    assert_eq!(first["status"], "fail");
    assert_eq!(
        first["pointer"],
        "/components/schemas/ErrorBody/properties/error_msg"
    );
    assert_eq!(first["fact"], "maxLength");
    assert_eq!(first["docs_line"], 144);
    assert_eq!(first["message"], "maxLength is 512, docs line 144 says 500");
    assert_eq!(first["reason"], serde_json::Value::Null);
    assert_eq!(findings[1]["fact"], "enforced maxLength");
    assert_eq!(findings[1]["status"], "fail");
    let accepted = &findings[2];
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["fact"], "minLength");
    assert!(
        accepted["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("An empty id"))
    );
    let statuses: Vec<&str> = findings
        .iter()
        .filter_map(|f| f["status"].as_str())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "not_checkable").count(),
        2
    );
    assert_eq!(statuses.last(), Some(&"ok"));
    // Each finding has exactly the documented fields.
    for f in findings {
        let keys: Vec<&String> = f.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "docs_line",
                "fact",
                "message",
                "pointer",
                "reason",
                "status"
            ]
        );
    }
}
