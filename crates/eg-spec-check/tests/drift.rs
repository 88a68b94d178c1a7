//! Each kind of drift between the pages and the spec gives exactly the
//! expected failure lines (the totals live in the golden report only).

mod common;

use common::*;

/// Runs both pages against `spec` and checks the failure and conflict lines.
#[track_caller]
fn drift(zh: &str, en: &str, spec: &str, expected: &[String]) {
    let r = run(zh, en, spec);
    assert_eq!(failures(&r), expected);
    assert!(!r.agrees());
}

const ERROR_MSG: &str = "openapi/eg.yaml#/components/schemas/ErrorBody/properties/error_msg";
const OPERATION: &str = "openapi/eg.yaml#/components/schemas/Operation";

/// `file:line [lang]` of the zh-cn page.
fn zh(line: usize) -> String {
    format!("{ZH}:{line} [zh-cn]")
}

/// `file:line [lang]` of the en-us page.
fn en(line: usize) -> String {
    format!("{EN}:{line} [en-us]")
}

#[test]
fn changed_length_limit_in_the_spec() {
    // The shared ErrorBody is checked against each of the five error tables.
    let lines: Vec<String> = [144, 194, 244, 294, 344]
        .iter()
        .map(|&l| format!("FAIL {ERROR_MSG} maxLength is 1024, {} says 512", zh(l)))
        .collect();
    let spec = swap(SPEC_TEXT, "maxLength: 512", "maxLength: 1024");
    drift(ZH_TEXT, EN_TEXT, &spec, &lines);
}

#[test]
fn changed_length_limit_on_the_page_is_also_not_enforced() {
    drift(
        &edit(ZH_TEXT, 144, "最大长度:500"),
        EN_TEXT,
        SPEC_TEXT,
        &[
            format!("FAIL {ERROR_MSG} maxLength is 512, {} says 500", zh(144)),
            format!(
                "FAIL {ERROR_MSG} generated types::ErrorBody accepts 501 characters, {} says maxLength 500",
                zh(144)
            ),
        ],
    );
}

#[test]
fn enum_value_added_on_the_page() {
    let page = swap(ZH_TEXT, "  • PAUSE\n", "  • PAUSE\n\n  • STOP\n");
    drift(
        &page,
        EN_TEXT,
        SPEC_TEXT,
        &[
            format!(
                "FAIL {OPERATION} enum value \"STOP\" is missing, {} documents it",
                zh(84)
            ),
            format!(
                "FAIL {OPERATION} generated types::OperateEventStreamingRequest rejects \"STOP\" (unknown variant `STOP`, expected `START` or `PAUSE`), {} says enum \"STOP\"",
                zh(84)
            ),
        ],
    );
}

#[test]
fn enum_value_removed_from_or_added_to_the_spec() {
    let spec = swap(SPEC_TEXT, "enum: [START, PAUSE]", "enum: [START]");
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[format!(
            "FAIL {OPERATION} enum value \"PAUSE\" is missing, {} documents it",
            zh(82)
        )],
    );
    // Neither page lists STOP: silence on both, so the spec needs a departure.
    let spec = swap(
        SPEC_TEXT,
        "enum: [START, PAUSE]",
        "enum: [START, PAUSE, STOP]",
    );
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!(
                "FAIL {OPERATION} enum value \"STOP\" is present, {} states nothing about it, and no page in this run states it",
                en(70)
            ),
            format!(
                "FAIL {OPERATION} enum value \"STOP\" is present, {} states nothing about it, and no page in this run states it",
                zh(72)
            ),
        ],
    );
}

#[test]
fn missing_status() {
    // The zh-cn page has its own error tables, so it must list exactly the
    // spec's statuses; the en-us page delegates its errors and is silent.
    let spec = swap(SPEC_TEXT, "        \"404\":", "        \"410\":");
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!(
                "FAIL {OP}/responses/410 response 410 is not in the docs, {} does not list it",
                zh(411)
            ),
            format!(
                "FAIL {OP}/responses/410/content/application~1json/example example is {{\"error_code\":\"EG.00014040\",\"error_msg\":\"Not request resource found\"}}, {} states none, and no page in this run states it",
                en(142)
            ),
            format!(
                "FAIL {OP}/responses response 404 is missing, {} documents it",
                zh(266)
            ),
            format!(
                "FAIL {OP}/responses the set of statuses in the status-code table is 200, 400, 401, 403, 410, 500, {} says 200, 400, 401, 403, 404, 500",
                zh(411)
            ),
        ],
    );
}

#[test]
fn status_code_table_stops_listing_403() {
    // The 403 response section still stands: the page contradicts itself.
    let page = swap(ZH_TEXT, "403\n\n禁止访问\n\n", "");
    drift(
        &page,
        EN_TEXT,
        SPEC_TEXT,
        &[
            format!(
                "FAIL {OP}/responses/403 description (zh-cn) is \"禁止访问\", {} states none, and no page in this run states it",
                zh(216)
            ),
            format!(
                "FAIL {OP}/responses the set of statuses in the status-code table is 200, 400, 401, 403, 404, 500, {} says 200, 400, 401, 404, 500",
                zh(411)
            ),
            format!(
                "FAIL {OP}/responses response 403: the page contradicts itself: {} documents it, its status-code table ({}) does not list it",
                zh(216),
                zh(411)
            ),
        ],
    );
    let r = run(&page, EN_TEXT, SPEC_TEXT);
    let both = r
        .findings
        .iter()
        .find(|f| f.message.contains("contradicts itself"));
    let both = both.expect("the self-contradiction");
    assert_eq!(both.docs_line, Some(216));
    assert_eq!(
        both.other.as_ref().map(|o| (o.file.as_str(), o.line)),
        Some((ZH, 411))
    );
}

#[test]
fn changed_status_description_in_either_language() {
    let spec = swap(SPEC_TEXT, "description: 未授权", "description: 未认证");
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[format!(
            "FAIL {OP}/responses/401 description (zh-cn) is \"未认证\", {} says \"未授权\"",
            zh(421)
        )],
    );
    let page = swap(
        EN_TEXT,
        "Description\n\n200\n\nOperation successful.",
        "Description\n\n200\n\nOperation succeeded.",
    );
    drift(
        ZH_TEXT,
        &page,
        SPEC_TEXT,
        &[format!(
            "FAIL {OP}/responses/200 description (en-us) is \"Operation successful.\", {} says \"Operation succeeded.\"",
            en(138)
        )],
    );
}

#[test]
fn changed_examples_are_compared_as_json_values() {
    let spec = swap(
        SPEC_TEXT,
        "error_msg: Bad request",
        "error_msg: Bad Request",
    );
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[format!(
            "FAIL {OP}/responses/400/content/application~1json/example example is {{\"error_code\":\"EG.00014000\",\"error_msg\":\"Bad Request\"}}, {} says {{\"error_code\":\"EG.00014000\",\"error_msg\":\"Bad request\"}}",
            zh(372)
        )],
    );
    let page = swap(
        EN_TEXT,
        "\"operation\" : \"PAUSE\"",
        "\"operation\" : \"START\"",
    );
    drift(
        ZH_TEXT,
        &page,
        SPEC_TEXT,
        &[format!(
            "FAIL {OP}/requestBody/content/application~1json/example example is {{\"operation\":\"PAUSE\"}}, {} says {{\"operation\":\"START\"}}",
            en(116)
        )],
    );
    // Layout and key order do not matter.
    let page = swap(
        ZH_TEXT,
        "{\n  \"error_code\" : \"EG.00014000\",\n  \"error_msg\" : \"Bad request\"\n}",
        "{\"error_msg\":\"Bad request\",   \"error_code\":\"EG.00014000\"}",
    );
    assert!(run(&page, EN_TEXT, SPEC_TEXT).agrees());
}

#[test]
fn renamed_field() {
    // On the page: the spec lacks the new name, and no generated type is
    // mapped to it; the other error tables still list error_msg.
    drift(
        &edit(ZH_TEXT, 136, "error_message"),
        EN_TEXT,
        SPEC_TEXT,
        &[
            format!(
                "FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties property error_message is missing, {} documents it",
                zh(136)
            ),
            format!(
                "FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties no generated type enforces error_message, {} says minLength 1",
                zh(142)
            ),
            format!(
                "FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties no generated type enforces error_message, {} says maxLength 512",
                zh(144)
            ),
        ],
    );
    // In the spec: both pages document the old name.
    let spec = swap(
        SPEC_TEXT,
        "\n        eventStreamingID:\n",
        "\n        eventStreamingId:\n",
    );
    let props = "openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties";
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!(
                "FAIL {props} property eventStreamingID is missing, {} documents it",
                en(104)
            ),
            format!(
                "FAIL {props} property eventStreamingID is missing, {} documents it",
                zh(110)
            ),
            format!(
                "FAIL {props}/eventStreamingId property eventStreamingId is present, {} states nothing about it, and no page in this run states it",
                en(96)
            ),
            format!(
                "FAIL {props}/eventStreamingId property eventStreamingId is present, {} states nothing about it, and no page in this run states it",
                zh(102)
            ),
        ],
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
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!(
                "FAIL {OP}/responses/200/headers header X-Request-Id is missing, {} documents it",
                en(90)
            ),
            format!(
                "FAIL {OP}/responses/200/headers header X-Request-Id is missing, {} documents it",
                zh(96)
            ),
            format!(
                "FAIL {OP}/responses/200/headers/X-Trace-Id header X-Trace-Id is present, {} states nothing about it, and no page in this run states it",
                en(82)
            ),
            format!(
                "FAIL {OP}/responses/200/headers/X-Trace-Id header X-Trace-Id is present, {} states nothing about it, and no page in this run states it",
                zh(88)
            ),
        ],
    );
}

#[test]
fn changed_type() {
    let spec = swap(
        SPEC_TEXT,
        "line: 110 }\n          type: string",
        "line: 110 }\n          type: integer",
    );
    let id = "openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties/eventStreamingID";
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!("FAIL {id} type is integer, {} says String", en(106)),
            format!("FAIL {id} type is integer, {} says String", zh(112)),
        ],
    );
}

#[test]
fn pages_that_disagree_conflict_until_a_departure_names_the_page_followed() {
    let page = edit(ZH_TEXT, 30, "Integer");
    drift(
        &page,
        EN_TEXT,
        SPEC_TEXT,
        &[
            format!(
                "FAIL {OP}/parameters/0/schema type is string, {} says Integer",
                zh(30)
            ),
            format!(
                "CONFLICT {OP}/parameters/0/schema type: the pages conflict: {} says String, {} says Integer; the spec has string; declare the page the spec follows in x-departures (`follows: zh-cn` or `en-us`)",
                en(28),
                zh(30)
            ),
        ],
    );
    let r = run(&page, EN_TEXT, SPEC_TEXT);
    let conflict = r
        .findings
        .iter()
        .find(|f| f.status == eg_spec_check::Status::Conflict);
    let other = conflict
        .and_then(|c| c.other.as_ref())
        .expect("the other page");
    assert_eq!(
        (other.file.as_str(), other.language.code(), other.line),
        (ZH, "zh-cn", 30)
    );

    let spec = swap(
        SPEC_TEXT,
        "      x-departures:\n            - fact: minLength\n              spec: 1\n              docs: not stated\n              reason: >-\n                An empty id would produce an empty path segment and so a\n                different request path; the client refuses it before sending.\n          schema:\n            type: string\n            minLength: 1\n        - name: eventstreaming_id",
        "      x-departures:\n            - fact: minLength\n              spec: 1\n              docs: not stated\n              reason: >-\n                An empty id would produce an empty path segment and so a\n                different request path; the client refuses it before sending.\n            - { fact: type, page: zh-cn, follows: en-us, spec: string, docs: Integer, reason: the zh-cn page is wrong here }\n          schema:\n            type: string\n            minLength: 1\n        - name: eventstreaming_id",
    );
    let r = run(&page, EN_TEXT, &spec);
    assert!(r.agrees(), "{}", failures(&r).join("\n"));
    let text = r.text();
    let accepted: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("the zh-cn page is wrong here"))
        .collect();
    assert_eq!(
        accepted,
        [
            format!(
                "ACCEPTED {OP}/parameters/0/schema type: the pages conflict: {} says String, {} says Integer; the spec has string; the spec follows en-us: the zh-cn page is wrong here",
                en(28),
                zh(30)
            ),
            format!(
                "ACCEPTED {OP}/parameters/0/schema type is string, {} says Integer; departure: the zh-cn page is wrong here",
                zh(30)
            ),
        ]
    );
}

#[test]
fn a_page_for_another_operation_fails_and_is_not_compared() {
    let page = edit(
        ZH_TEXT,
        16,
        "PUT /v2/{project_id}/eventstreamings/operate/{eventstreaming_id}",
    );
    let r = run(&page, EN_TEXT, SPEC_TEXT);
    let stranger = format!(
        "FAIL openapi/eg.yaml#/paths {} documents PUT /v2/{{project_id}}/eventstreamings/operate/{{eventstreaming_id}}, another operation than the spec's POST /v1/{{project_id}}/eventstreamings/operate/{{eventstreaming_id}}; this page was not compared",
        zh(16)
    );
    let text = r.text();
    let lines: Vec<&str> = text.lines().collect();
    // The page belongs to no operation of the spec: the last group.
    assert_eq!(
        lines[lines.len() - 3..lines.len() - 1],
        ["no operation", stranger.as_str()]
    );
    assert_eq!(
        r.findings
            .iter()
            .filter(|f| f.page.as_ref().is_some_and(|p| p.file == ZH))
            .count(),
        1,
        "nothing else of the page is compared"
    );
    // The English page is compared alone: the facts only the zh-cn page
    // states are stated by no page of the run.
    assert_eq!(r.operations[0].pages, [EN]);
    let fails = failures(&r);
    assert_eq!(fails.len(), 15, "{fails:#?}");
    assert!(
        fails[..14]
            .iter()
            .all(|l| l.ends_with("and no page in this run states it")),
        "{fails:#?}"
    );
    assert_eq!(fails[14], stranger);
}

#[test]
fn departures_are_pinned_to_the_page_and_its_values() {
    // The zh-cn page now states the mandatory cell; the departure covers en-us only.
    let page = swap(
        ZH_TEXT,
        "X-Auth-Token\n\nString",
        "X-Auth-Token\n\n是\n\nString",
    );
    drift(
        &page,
        EN_TEXT,
        SPEC_TEXT,
        &[format!(
            "FAIL {OP}/parameters/2 required is optional, {} says mandatory; the departure at {}/parameters/2/x-departures/0 covers the en-us page only: if the difference is meant for zh-cn too, add an entry with `page: zh-cn`",
            zh(54),
            OP.trim_start_matches("openapi/eg.yaml#")
        )],
    );
    // The en-us page now agrees: the departure excuses nothing.
    let page = swap(EN_TEXT, "X-Auth-Token\n\nYes", "X-Auth-Token\n\nNo");
    drift(
        ZH_TEXT,
        &page,
        SPEC_TEXT,
        &[format!(
            "FAIL {OP}/parameters/2/x-departures/0 x-departures entry for required excuses no difference from the pages of this run; remove or correct it"
        )],
    );
    // The spec changed under a departure: the message says how to update it.
    let spec = swap(
        SPEC_TEXT,
        "          schema:\n            type: string\n            minLength: 1\n        - name: eventstreaming_id",
        "          schema:\n            type: string\n            minLength: 2\n        - name: eventstreaming_id",
    );
    let at = format!(
        "{}/parameters/0/x-departures/0",
        OP.trim_start_matches("openapi/eg.yaml#")
    );
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!(
                "FAIL {OP}/parameters/0/schema minLength is 2, {} states none, and no page in this run states it; the departure at {at} expects spec 1, docs not stated: if it still holds, re-confirm its reason and set `spec: 2`, `docs: not stated`",
                en(24)
            ),
            format!(
                "FAIL {OP}/parameters/0/schema minLength is 2, {} states none, and no page in this run states it; the departure at {at} expects spec 1, docs not stated: if it still holds, re-confirm its reason and set `spec: 2`, `docs: not stated`",
                zh(28)
            ),
        ],
    );
    // A departure for a fact on which spec and pages agree, and a malformed one.
    let spec = swap(
        SPEC_TEXT,
        "line: 110 }\n",
        "line: 110 }\n          x-departures:\n            - { fact: type, spec: string, docs: String, reason: none needed }\n            - { fact: type }\n            - { fact: type, page: fr-fr, spec: string, docs: String, reason: r }\n",
    );
    let holder = "openapi/eg.yaml#/components/schemas/OperateEventStreamingResponse/properties/eventStreamingID/x-departures";
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!("FAIL {holder}/1 malformed x-departures entry: missing field `spec`"),
            format!(
                "FAIL {holder}/2 malformed x-departures entry: page is \"fr-fr\", expected zh-cn or en-us"
            ),
            format!(
                "FAIL {holder}/0 x-departures entry for type excuses no difference from the pages of this run; remove or correct it"
            ),
        ],
    );
}

#[test]
fn dangling_ref() {
    let spec = swap(
        SPEC_TEXT,
        "$ref: \"#/components/schemas/Operation\"",
        "$ref: \"#/components/schemas/Operations\"",
    );
    let at = "openapi/eg.yaml#/components/schemas/OperateEventStreamingRequest/properties/operation/$ref";
    drift(
        ZH_TEXT,
        EN_TEXT,
        &spec,
        &[
            format!(
                "FAIL {at} $ref #/components/schemas/Operations does not resolve, so {} cannot be checked",
                en(70)
            ),
            format!(
                "FAIL {at} $ref #/components/schemas/Operations does not resolve, so {} cannot be checked",
                zh(72)
            ),
        ],
    );
}

/// Found by `cargo xtask fuzz` (target spec_check): a line break inside a
/// spec value split its finding over several lines of the text report.
#[test]
fn a_line_break_in_the_spec_stays_in_its_finding_line() {
    let spec = swap(
        SPEC_TEXT,
        "$ref: \"#/components/schemas/Operation\"",
        "$ref: \"#/components/\\r\\nschemas/Operation\"",
    );
    let report = run(ZH_TEXT, EN_TEXT, &spec);
    assert_eq!(
        report.text().lines().count(),
        report.pages.len() + report.groups().len() + report.counts().checked + 1,
        "the header, a line per operation, one line per finding and the summary"
    );
    let at = "openapi/eg.yaml#/components/schemas/OperateEventStreamingRequest/properties/operation/$ref";
    assert_eq!(
        failures(&report),
        [
            format!(
                "FAIL {at} $ref #/components/\\r\\nschemas/Operation does not resolve, so {} cannot be checked",
                en(70)
            ),
            format!(
                "FAIL {at} $ref #/components/\\r\\nschemas/Operation does not resolve, so {} cannot be checked",
                zh(72)
            ),
        ]
    );
}
