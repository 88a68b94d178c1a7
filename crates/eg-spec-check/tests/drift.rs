//! Each kind of drift between page and spec gives exactly the expected
//! failure lines.

mod common;

use common::*;
use eg_spec_check::Counts;

/// Runs `page` against `spec` and checks the failure lines and counts.
#[track_caller]
fn drift(page: &str, spec: &str, expected: &[&str], counts: [usize; 5]) {
    let r = run(page, spec);
    assert_eq!(failures(&r), expected);
    let [checked, passed, failed, accepted, not_checkable] = counts;
    let want = Counts {
        checked,
        passed,
        failed,
        accepted,
        not_checkable,
    };
    assert_eq!(r.counts(), want);
    assert!(!r.agrees());
}

const ERROR_MSG: &str = "openapi/eg.yaml#/components/schemas/ErrorBody/properties/error_msg";
const OPERATION: &str = "openapi/eg.yaml#/components/schemas/Operation";

#[test]
fn changed_length_limit_in_the_spec() {
    // The shared ErrorBody is checked against each of the five error tables.
    let lines: Vec<String> = [144, 194, 244, 294, 344]
        .iter()
        .map(|l| format!("FAIL {ERROR_MSG} maxLength is 1024, docs line {l} says 512"))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let spec = swap(SPEC_TEXT, "maxLength: 512", "maxLength: 1024");
    drift(PAGE_TEXT, &spec, &lines, [138, 127, 5, 4, 2]);
}

#[test]
fn changed_length_limit_on_the_page_is_also_not_enforced() {
    drift(
        &edit(PAGE_TEXT, 144, "最大长度:500"),
        SPEC_TEXT,
        &[
            &format!("FAIL {ERROR_MSG} maxLength is 512, docs line 144 says 500"),
            &format!(
                "FAIL {ERROR_MSG} generated types::ErrorBody accepts 501 characters, docs line 144 says maxLength 500"
            ),
        ],
        [138, 130, 2, 4, 2],
    );
    drift(
        &edit(PAGE_TEXT, 142, "最小长度:2"),
        SPEC_TEXT,
        &[
            &format!("FAIL {ERROR_MSG} minLength is 1, docs line 142 says 2"),
            &format!(
                "FAIL {ERROR_MSG} generated types::ErrorBody accepts 1 character, docs line 142 says minLength 2"
            ),
        ],
        [138, 130, 2, 4, 2],
    );
}

#[test]
fn enum_value_added_on_the_page() {
    let page = swap(PAGE_TEXT, "  • PAUSE\n", "  • PAUSE\n\n  • STOP\n");
    drift(
        &page,
        SPEC_TEXT,
        &[
            &format!("FAIL {OPERATION} enum lacks \"STOP\", docs line 84 lists it"),
            &format!(
                "FAIL {OPERATION} generated types::OperateEventStreamingRequest rejects \"STOP\" (unknown variant `STOP`, expected `START` or `PAUSE`), docs line 84 says enum \"STOP\""
            ),
        ],
        [140, 132, 2, 4, 2],
    );
}

#[test]
fn enum_value_removed_from_or_added_to_the_spec() {
    let spec = swap(SPEC_TEXT, "enum: [START, PAUSE]", "enum: [START]");
    drift(
        PAGE_TEXT,
        &spec,
        &[&format!(
            "FAIL {OPERATION} enum lacks \"PAUSE\", docs line 82 lists it"
        )],
        [138, 131, 1, 4, 2],
    );
    let spec = swap(
        SPEC_TEXT,
        "enum: [START, PAUSE]",
        "enum: [START, PAUSE, STOP]",
    );
    drift(
        PAGE_TEXT,
        &spec,
        &[&format!(
            "FAIL {OPERATION} enum has \"STOP\", docs line 72 does not list it"
        )],
        [139, 132, 1, 4, 2],
    );
}

#[test]
fn missing_status() {
    let spec = swap(SPEC_TEXT, "        \"404\":", "        \"410\":");
    drift(
        PAGE_TEXT,
        &spec,
        &[
            &format!("FAIL {OP}/responses response 404 is missing, docs line 266 documents it"),
            &format!(
                "FAIL {OP}/responses/410 response 410 is not in the docs, docs line 411 (status codes) does not list it"
            ),
        ],
        [125, 117, 2, 4, 2],
    );
}

#[test]
fn changed_status_description() {
    let spec = swap(SPEC_TEXT, "description: 未授权", "description: 未认证");
    drift(
        PAGE_TEXT,
        &spec,
        &[&format!(
            "FAIL {OP}/responses/401 description is \"未认证\", docs line 421 says \"未授权\""
        )],
        [138, 131, 1, 4, 2],
    );
}

#[test]
fn changed_error_example() {
    let spec = swap(
        SPEC_TEXT,
        "error_msg: Bad request",
        "error_msg: Bad Request",
    );
    drift(
        PAGE_TEXT,
        &spec,
        &[&format!(
            "FAIL {OP}/responses/400/content/application~1json/example/error_msg example.error_msg is \"Bad Request\", docs line 374 says \"Bad request\""
        )],
        [138, 131, 1, 4, 2],
    );
    let page = swap(PAGE_TEXT, "EG.00014040", "EG.00014041");
    drift(
        &page,
        SPEC_TEXT,
        &[&format!(
            "FAIL {OP}/responses/404/content/application~1json/example/error_code example.error_code is \"EG.00014040\", docs line 394 says \"EG.00014041\""
        )],
        [138, 131, 1, 4, 2],
    );
}

#[test]
fn renamed_field() {
    // On the page: the spec lacks the new name, has the old one, and no
    // generated type is mapped to the new name.
    drift(
        &edit(PAGE_TEXT, 136, "error_message"),
        SPEC_TEXT,
        &[
            "FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties property error_message is missing, docs line 136 documents it",
            "FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties no generated type enforces error_message, docs line 142 says minLength 1",
            "FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties no generated type enforces error_message, docs line 144 says maxLength 512",
            &format!(
                "FAIL {ERROR_MSG} property error_msg is not in the docs, docs line 118 (表6 响应Body参数) does not list it"
            ),
        ],
        [137, 127, 4, 4, 2],
    );
    // In the spec.
    let spec = swap(
        SPEC_TEXT,
        "        eventStreamingID:",
        "        eventStreamingId:",
    );
    drift(
        PAGE_TEXT,
        &spec,
        &[
            "FAIL openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties property eventStreamingID is missing, docs line 110 documents it",
            "FAIL openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties/eventStreamingId property eventStreamingId is not in the docs, docs line 102 (表5 响应Body参数) does not list it",
        ],
        [139, 131, 2, 4, 2],
    );
}

#[test]
fn missing_header() {
    let spec = swap(
        SPEC_TEXT,
        "            X-Request-Id:",
        "            X-Trace-Id:",
    );
    drift(
        PAGE_TEXT,
        &spec,
        &[
            &format!(
                "FAIL {OP}/responses/200/headers header X-Request-Id is missing, docs line 96 documents it"
            ),
            &format!(
                "FAIL {OP}/responses/200/headers/X-Trace-Id header X-Trace-Id is not in the docs, docs line 88 (表4 响应Header参数) does not list it"
            ),
        ],
        [139, 131, 2, 4, 2],
    );
    // A request header, with its departure: the limits are still probed.
    let start = SPEC_TEXT
        .find("        - name: X-Auth-Token")
        .expect("token parameter");
    let end = SPEC_TEXT.find("      requestBody:").expect("request body");
    let spec = format!("{}{}", &SPEC_TEXT[..start], &SPEC_TEXT[end..]);
    drift(
        PAGE_TEXT,
        &spec,
        &[&format!(
            "FAIL {OP}/parameters header parameter X-Auth-Token is missing, docs line 52 documents it"
        )],
        [135, 129, 1, 3, 2],
    );
}

#[test]
fn changed_type() {
    let spec = swap(
        SPEC_TEXT,
        "line: 110 }\n          type: string",
        "line: 110 }\n          type: integer",
    );
    drift(
        PAGE_TEXT,
        &spec,
        &[
            "FAIL openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties/eventStreamingID type is integer, docs line 112 says String",
        ],
        [138, 131, 1, 4, 2],
    );
    drift(
        &edit(PAGE_TEXT, 30, "Integer"),
        SPEC_TEXT,
        &[&format!(
            "FAIL {OP}/parameters/0/schema type is string, docs line 30 says Integer"
        )],
        [138, 131, 1, 4, 2],
    );
}

#[test]
fn changed_path_and_method() {
    let page = edit(
        PAGE_TEXT,
        16,
        "PUT /v2/{project_id}/eventstreamings/operate/{eventstreaming_id}",
    );
    drift(
        &page,
        SPEC_TEXT,
        &[
            &format!(
                "FAIL {} path is /v1/{{project_id}}/eventstreamings/operate/{{eventstreaming_id}}, docs line 16 says /v2/{{project_id}}/eventstreamings/operate/{{eventstreaming_id}}",
                OP.trim_end_matches("/post")
            ),
            &format!("FAIL {OP} method is POST, docs line 16 says PUT"),
        ],
        [138, 130, 2, 4, 2],
    );
}

#[test]
fn stale_departures_fail() {
    // The page now states the mandatory cell the departure says it omits.
    let page = swap(
        PAGE_TEXT,
        "X-Auth-Token\n\nString",
        "X-Auth-Token\n\n是\n\nString",
    );
    drift(
        &page,
        SPEC_TEXT,
        &[&format!(
            "FAIL {OP}/parameters/2 required is false, docs line 54 says mandatory; the departure at {}/parameters/2/x-departures/0 expects spec false, docs not stated (Huawei's English page says mandatory)",
            OP.trim_start_matches("openapi/eg.yaml#")
        )],
        [138, 132, 1, 3, 2],
    );
    // A departure for a fact on which spec and page agree, and a malformed one.
    let spec = swap(
        SPEC_TEXT,
        "line: 110 }\n",
        "line: 110 }\n          x-departures:\n            - { fact: type, spec: string, docs: String, reason: none needed }\n            - { fact: type }\n",
    );
    let holder = "openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties/eventStreamingID/x-departures";
    drift(
        PAGE_TEXT,
        &spec,
        &[
            &format!("FAIL {holder}/1 malformed x-departures entry: missing field `spec`"),
            &format!(
                "FAIL {holder}/0 x-departures entry for type excuses no difference from the docs; remove or correct it"
            ),
        ],
        [140, 132, 2, 4, 2],
    );
}

#[test]
fn dangling_ref() {
    let spec = swap(
        SPEC_TEXT,
        "$ref: \"#/components/schemas/Operation\"",
        "$ref: \"#/components/schemas/Operations\"",
    );
    drift(
        PAGE_TEXT,
        &spec,
        &[
            "FAIL openapi/eg.yaml#/components/schemas/OperateEventStreamingRequest/properties/operation/$ref $ref #/components/schemas/Operations does not resolve, so docs line 72 cannot be checked",
        ],
        [136, 129, 1, 4, 2],
    );
}

#[test]
fn english_page_differs_only_in_the_translated_descriptions() {
    let en = include_str!("../../eg-docs-page/tests/fixtures/OperateEventStreaming.en-us.txt");
    let r = run(en, SPEC_TEXT);
    let fails = failures(&r);
    assert_eq!(fails.len(), 6);
    assert_eq!(
        fails[1],
        format!(
            "FAIL {OP}/responses/400 description is \"非法请求\", docs line 417 says \"Bad request\""
        )
    );
    assert!(r.text().contains(&format!(
        "NOT CHECKABLE {OP}/parameters/0 required is true, docs line 28 leaves it open (no Mandatory cell)\n"
    )));
    assert_eq!(r.counts().checked, 138);
}

/// Found by `cargo xtask fuzz` (target spec_check): a line break inside a
/// spec value split its finding over several lines of the text report.
#[test]
fn a_line_break_in_the_spec_stays_in_its_finding_line() {
    let spec = swap(
        SPEC_TEXT,
        "$ref: \"#/components/schemas/OperateEventStreamingResponse\"",
        "$ref: \"#/components/\\r\\nschemas/OperateEventStreamingResponse\"",
    );
    let report = run(PAGE_TEXT, &spec);
    let text = report.text();
    assert_eq!(text.lines().count(), report.counts().checked + 1);
    let schema = format!("{OP}/responses/200/content/application~1json/schema");
    assert_eq!(
        failures(&report),
        [
            format!(
                "FAIL {schema}/$ref $ref #/components/\\r\\nschemas/OperateEventStreamingResponse does not resolve, so docs line 102 cannot be checked"
            ),
            format!("FAIL {schema} no schema for 表5 响应Body参数, docs line 102 documents it"),
        ]
    );
}
