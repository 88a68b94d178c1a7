//! Issue 17: check-spec covers every operation of the spec. Pages are
//! matched to operations by method and path template; an operation no page
//! documents fails, naming it; the report groups its findings by
//! operation. The fixture spec is eg-codegen's `multi.yaml` (operate moved
//! to /v2, ShowEventStreaming, DeleteEventStreaming), read by path.

mod common;

use common::*;
use eg_spec_check::{Report, check};

const MULTI: &str = "multi.yaml";
const OPERATE_V1: &str = "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}";
const OPERATE_V2: &str = "/v2/{project_id}/eventstreamings/operate/{eventstreaming_id}";
const ONE: &str = "/v1/{project_id}/eventstreamings/{eventstreaming_id}";

fn multi() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../eg-codegen/tests/fixtures/multi.yaml"
    );
    std::fs::read_to_string(path).expect("eg-codegen's multi.yaml fixture")
}

fn against_multi(pages: &[(&str, &str)]) -> Report {
    check(pages, MULTI, &multi()).expect("inputs parse")
}

/// The fixture's three operations, as messages name them.
fn uncovered(id: &str, method: &str, path: &str) -> String {
    let pointer = format!(
        "/paths/{}/{}",
        path.replace('/', "~1"),
        method.to_lowercase()
    );
    format!("FAIL {MULTI}#{pointer} {id} ({method} {path}): no page in this run documents it")
}

fn stranger(place: &str) -> String {
    format!(
        "FAIL {MULTI}#/paths {place} documents POST {OPERATE_V1}, another operation than the spec's POST {OPERATE_V2}, GET {ONE}, DELETE {ONE}; this page was not compared"
    )
}

#[test]
fn operations_no_page_documents_fail_by_name() {
    let r = against_multi(&[(EN, EN_TEXT), (ZH, ZH_TEXT)]);
    assert!(!r.agrees());
    // The real pages document the operate path at /v1, which the spec
    // moved to /v2: they document no operation of it.
    assert_eq!(
        r.text(),
        [
            format!("page {EN} [en-us] edition 2025-05-06"),
            format!("page {ZH} [zh-cn] edition 2023-12-12"),
            format!("operation ResumeEventStreaming (POST {OPERATE_V2})"),
            uncovered("ResumeEventStreaming", "POST", OPERATE_V2),
            format!("operation ShowEventStreaming (GET {ONE})"),
            uncovered("ShowEventStreaming", "GET", ONE),
            format!("operation DeleteEventStreaming (DELETE {ONE})"),
            uncovered("DeleteEventStreaming", "DELETE", ONE),
            "no operation".to_owned(),
            stranger(&format!("{EN}:12 [en-us]")),
            stranger(&format!("{ZH}:16 [zh-cn]")),
            "checked 5, passed 0, failed 5, conflicts 0, accepted 0, not checkable 0, not stated 0, page defects 0".to_owned(),
            String::new(),
        ]
        .join("\n")
    );
}

#[test]
fn json_names_the_operation_of_every_finding() {
    let r = against_multi(&[(EN, EN_TEXT), (ZH, ZH_TEXT)]);
    let v: serde_json::Value = serde_json::from_str(&r.json()).expect("valid JSON");
    assert_eq!(v["format"], 4);
    assert_eq!(
        v["operations"],
        serde_json::json!([
            {"id": "ResumeEventStreaming", "method": "POST", "path": OPERATE_V2, "pages": []},
            {"id": "ShowEventStreaming", "method": "GET", "path": ONE, "pages": []},
            {"id": "DeleteEventStreaming", "method": "DELETE", "path": ONE, "pages": []}
        ])
    );
    let findings = v["findings"].as_array().expect("array");
    let ops: Vec<Option<&str>> = findings.iter().map(|f| f["operation"].as_str()).collect();
    assert_eq!(
        ops,
        [
            Some("ResumeEventStreaming"),
            Some("ShowEventStreaming"),
            Some("DeleteEventStreaming"),
            // The pages of no spec operation: `null`.
            None,
            None,
        ]
    );
    assert!(findings[3]["operation"].is_null());
    assert_eq!(
        findings[1],
        serde_json::json!({
            "status": "fail",
            "operation": "ShowEventStreaming",
            "pointer": "/paths/~1v1~1{project_id}~1eventstreamings~1{eventstreaming_id}/get",
            "fact": "operation",
            "docs_line": null,
            "page": null,
            "other": null,
            "message": format!("ShowEventStreaming (GET {ONE}): no page in this run documents it"),
            "reason": null
        })
    );
    assert_eq!(findings[4]["page"]["file"], ZH);
    assert_eq!(findings[4]["docs_line"], 16);
}

#[test]
fn a_page_is_checked_against_the_operation_it_documents() {
    // The zh-cn page turned into a page of ShowEventStreaming, with other
    // names for the path parameters: the same template, so the same
    // operation, and the path itself fails as a fact of it.
    let show = edit(ZH_TEXT, 16, "GET /v1/{projectId}/eventstreamings/{id}");
    let r = against_multi(&[(EN, EN_TEXT), (ZH, &show)]);
    let pages: Vec<&[String]> = r.operations.iter().map(|o| o.pages.as_slice()).collect();
    assert_eq!(pages, [&[][..], &[ZH.to_owned()][..], &[][..]]);
    let groups: Vec<(Option<&str>, usize)> = r
        .groups()
        .iter()
        .map(|(op, found)| (op.map(|o| o.id.as_str()), found.len()))
        .collect();
    let show_findings = groups[1].1;
    assert_eq!(
        groups,
        [
            (Some("ResumeEventStreaming"), 1),
            (Some("ShowEventStreaming"), show_findings),
            (Some("DeleteEventStreaming"), 1),
            (None, 1),
        ]
    );
    let (_, found) = r.groups()[1];
    assert!(
        found
            .iter()
            .all(|f| f.operation.as_deref() == Some("ShowEventStreaming")
                && f.page.as_ref().is_some_and(|p| p.file == ZH)),
        "{found:#?}"
    );
    let text = r.text();
    let at = format!("{MULTI}#/paths/~1v1~1{{project_id}}~1eventstreamings~1{{eventstreaming_id}}");
    for line in [
        format!(
            "FAIL {at} path is {ONE}, {ZH}:16 [zh-cn] says /v1/{{projectId}}/eventstreamings/{{id}}"
        ),
        format!("ok {at}/get method is GET, {ZH}:16 [zh-cn] says GET"),
        format!("FAIL {at}/get requestBody is missing, {ZH}:62 [zh-cn] documents 表3 请求Body参数"),
    ] {
        assert!(text.lines().any(|l| l == line), "missing: {line}\n{text}");
    }
    // The operations no page documents still fail, and the English page
    // still documents none of the spec's.
    let fails = failures(&r);
    assert_eq!(
        fails.first(),
        Some(&uncovered("ResumeEventStreaming", "POST", OPERATE_V2))
    );
    assert_eq!(
        fails[fails.len() - 2..],
        [
            uncovered("DeleteEventStreaming", "DELETE", ONE),
            stranger(&format!("{EN}:12 [en-us]")),
        ]
    );
}

#[test]
fn findings_are_grouped_by_operation_in_spec_order() {
    // The real spec with a second operation before the operate one.
    let spec = swap(
        SPEC_TEXT,
        "paths:\n",
        &format!(
            "paths:\n  {ONE}:\n    get:\n      operationId: ShowEventStreaming\n      responses:\n        \"200\": {{ description: ok }}\n"
        ),
    );
    let r = run(ZH_TEXT, EN_TEXT, &spec);
    let alone = run(ZH_TEXT, EN_TEXT, SPEC_TEXT);
    let groups = r.groups();
    assert_eq!(groups.len(), 2);
    assert_eq!(
        groups[0].0.map(|o| o.label()),
        Some(format!("ShowEventStreaming (GET {ONE})"))
    );
    let show = format!(
        "FAIL {SPEC}#/paths/~1v1~1{{project_id}}~1eventstreamings~1{{eventstreaming_id}}/get ShowEventStreaming (GET {ONE}): no page in this run documents it"
    );
    assert_eq!(failures(&r), std::slice::from_ref(&show));
    // The operate pages are judged exactly as when the spec had only
    // their operation.
    assert_eq!(
        groups[1].0.map(|o| o.id.as_str()),
        Some("ResumeEventStreaming")
    );
    assert_eq!(groups[1].1, alone.findings.as_slice());
    let text = r.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[2..5],
        [
            format!("operation ShowEventStreaming (GET {ONE})").as_str(),
            show.as_str(),
            format!("operation ResumeEventStreaming (POST {OPERATE_V1})").as_str(),
        ]
    );
}

#[test]
fn the_checker_reads_the_operations_the_client_is_generated_with() {
    let r = run(ZH_TEXT, EN_TEXT, SPEC_TEXT);
    let read: Vec<(&str, &str, &str)> = r
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o.method.as_str(), o.path.as_str()))
        .collect();
    let generated: Vec<(&str, &str, &str)> = eg_client::spec::OPERATIONS
        .iter()
        .map(|o| (o.id, o.method, o.path))
        .collect();
    assert_eq!(read, generated);
    assert_eq!(r.operations[0].pages, [EN, ZH]);
}

#[test]
fn departures_are_reported_with_the_operation_they_lie_in() {
    // An entry on the operate operation's parameter that excuses nothing
    // now, and a malformed one on a shared schema.
    let en = swap(EN_TEXT, "X-Auth-Token\n\nYes", "X-Auth-Token\n\nNo");
    let spec = swap(
        SPEC_TEXT,
        "line: 110 }\n",
        "line: 110 }\n          x-departures:\n            - { fact: type }\n",
    );
    let r = run(ZH_TEXT, &en, &spec);
    let fails: Vec<(Option<&str>, &str)> = r
        .findings
        .iter()
        .filter(|f| f.fact == "x-departures")
        .map(|f| (f.operation.as_deref(), f.pointer.as_str()))
        .collect();
    let op = OP.trim_start_matches("openapi/eg.yaml#");
    assert_eq!(
        fails,
        [
            (
                Some("ResumeEventStreaming"),
                format!("{op}/parameters/2/x-departures/0").as_str()
            ),
            (
                None,
                "/components/schemas/OperateEventStreamingResponse/properties/eventStreamingID/x-departures/0"
            ),
        ]
    );
    let text = r.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[lines.len() - 3..lines.len() - 1],
        [
            "no operation",
            "FAIL openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties/eventStreamingID/x-departures/0 malformed x-departures entry: missing field `spec`",
        ]
    );
}
