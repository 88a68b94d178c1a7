//! Pages as maintainers get them: three renderings with the same facts,
//! the language read from the text, a page judged on what it states, and
//! the JSON report carrying the page on every finding.

mod common;

use common::*;
use eg_spec_check::{Report, Status, check};

const EN_2: &str =
    include_str!("../../eg-docs-page/tests/fixtures/renderings/OperateEventStreaming.en-us.2.txt");
const EN_3: &str =
    include_str!("../../eg-docs-page/tests/fixtures/renderings/OperateEventStreaming.en-us.3.txt");
const ZH_2: &str =
    include_str!("../../eg-docs-page/tests/fixtures/renderings/OperateEventStreaming.zh-cn.2.txt");

fn alone(page: &str) -> Report {
    check(&[("page.txt", page)], SPEC, SPEC_TEXT).expect("inputs parse")
}

/// Each finding as `STATUS pointer fact: message`, with every page line
/// number blanked.
fn facts(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| {
            let mut msg = String::new();
            let mut rest = f.message.as_str();
            while let Some(i) = rest.find("page.txt:") {
                let (head, tail) = rest.split_at(i + "page.txt:".len());
                msg.push_str(head);
                msg.push('_');
                rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            msg.push_str(rest);
            format!("{} {} {}: {msg}", f.status.word(), f.pointer, f.fact)
        })
        .collect()
}

#[test]
fn three_renderings_of_the_english_page_state_the_same_facts() {
    let one = facts(&alone(EN_TEXT));
    assert_eq!(facts(&alone(EN_2)), one);
    assert_eq!(facts(&alone(EN_3)), one);
}

#[test]
fn two_renderings_of_the_chinese_page_state_the_same_facts() {
    let one = facts(&alone(ZH_TEXT));
    assert_eq!(facts(&alone(ZH_2)), one);
}

#[test]
fn the_language_is_read_from_the_text() {
    let r = check(&[("misnamed.en-us.txt", ZH_TEXT)], SPEC, SPEC_TEXT).expect("parses");
    assert_eq!(r.pages[0].language.code(), "zh-cn");
    assert!(r.findings.iter().all(|f| {
        f.page.as_ref().is_none_or(|p| p.language.code() == "zh-cn")
            && f.message.contains("misnamed.en-us.txt:")
            && f.message.contains("[zh-cn]")
    }));
}

#[test]
fn the_english_page_alone_contradicts_nothing() {
    // It is silent on limits, enum values and (delegated) errors, which the
    // zh-cn page states: alone, those facts are stated by no page of the
    // run, and only that fails.
    let r = alone(EN_TEXT);
    let fails = failures(&r);
    assert_eq!(fails.len(), 14);
    assert!(
        fails
            .iter()
            .all(|l| l.ends_with("and no page in this run states it")),
        "{fails:#?}"
    );
    let text = r.text();
    for line in [
        format!(
            "ok {OP}/responses/200 description (en-us) is \"Operation successful.\", page.txt:138 [en-us] says \"Operation successful.\""
        ),
        format!(
            "ok {OP}/responses the set of success statuses in the status-code table is 200, page.txt:136 [en-us] says 200"
        ),
        format!(
            "ok {OP}/requestBody/content/application~1json/example example is {{\"operation\":\"PAUSE\"}}, page.txt:116 [en-us] says {{\"operation\":\"PAUSE\"}}"
        ),
    ] {
        assert!(text.lines().any(|l| l == line), "missing: {line}");
    }
}

#[test]
fn json_report() {
    let r = run(&edit(ZH_TEXT, 144, "最大长度:500"), EN_TEXT, SPEC_TEXT);
    let json = r.json();
    // Serialized in the documented order (a parsed Value sorts its keys).
    assert!(
        json.starts_with("{\n  \"format\": 4,\n  \"docs\": ["),
        "{json}"
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let keys: Vec<&String> = v.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        ["counts", "docs", "findings", "format", "operations", "spec"]
    );
    assert_eq!(
        v["docs"],
        serde_json::json!([
            {"file": EN, "language": "en-us", "edition": "2025-05-06", "current": true},
            {"file": ZH, "language": "zh-cn", "edition": "2023-12-12", "current": true}
        ])
    );
    assert_eq!(v["spec"], SPEC);
    assert_eq!(
        v["operations"],
        serde_json::json!([{
            "id": "ResumeEventStreaming",
            "method": "POST",
            "path": "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}",
            "pages": [EN, ZH]
        }])
    );
    let counts = r.counts();
    assert_eq!(v["counts"], serde_json::to_value(counts).expect("counts"));
    assert_eq!((counts.failed, counts.conflicts), (2, 0));
    let findings = v["findings"].as_array().expect("array");
    assert_eq!(findings.len(), counts.checked);
    assert_eq!(
        findings[0],
        serde_json::json!({
            "status": "fail",
            "operation": "ResumeEventStreaming",
            "pointer": "/components/schemas/ErrorBody/properties/error_msg",
            "fact": "maxLength",
            "docs_line": 144,
            "page": {"file": ZH, "language": "zh-cn", "edition": "2023-12-12", "current": true},
            "other": null,
            "message": format!("maxLength is 512, {ZH}:144 [zh-cn] says 500"),
            "reason": null
        })
    );
    assert_eq!(findings[1]["fact"], "enforced maxLength");
    let accepted = &findings[2];
    assert_eq!(accepted["status"], "accepted");
    assert!(
        accepted["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("An empty id"))
    );
    // Every finding has exactly the documented fields, and a page unless it
    // is about an x-departures entry.
    for f in findings {
        let keys: Vec<&String> = f.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "docs_line",
                "fact",
                "message",
                "operation",
                "other",
                "page",
                "pointer",
                "reason",
                "status"
            ]
        );
        assert!(f["page"]["file"].is_string() && f["page"]["language"].is_string());
        assert_eq!(f["operation"], "ResumeEventStreaming");
    }
    let statuses: Vec<Status> = r.findings.iter().map(|f| f.status).collect();
    assert!(statuses.is_sorted());
}
