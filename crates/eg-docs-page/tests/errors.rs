//! Malformed pages give a `ParseError` naming the exact line.

use eg_docs_page::{ParseError, parse};

const ZH: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../openapi/OperateEventStreaming.zh-cn.txt"
));
const EN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/OperateEventStreaming.en-us.txt"
));
const FOUR: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/four-cell.zh-cn.txt"
));

/// `page` with 1-based line `n` replaced (line numbers stay put).
fn edit(page: &str, n: usize, with: &str) -> String {
    let mut lines: Vec<&str> = page.lines().collect();
    lines[n - 1] = with;
    lines.join("\n")
}

/// The first `n` lines of `page`.
fn head(page: &str, n: usize) -> String {
    page.lines().take(n).collect::<Vec<_>>().join("\n")
}

#[track_caller]
fn fails(page: &str, line: usize, message: &str) {
    let e = parse(page).expect_err("page must be rejected");
    assert_eq!(
        e,
        ParseError {
            line,
            message: message.to_owned()
        }
    );
    assert_eq!(e.to_string(), format!("line {line}: {message}"));
}

#[test]
fn empty_page() {
    fails("", 1, "empty page");
    fails("\n  \n\t\r\n", 1, "empty page");
}

#[test]
fn binary_garbage_has_no_uri_section() {
    fails(
        "\u{0}\u{1}\u{2}\u{fffd}\u{7f}PK\u{3}\u{4}\n\u{fffd}\u{fffd}",
        1,
        "no URI section (expected a 'URI' heading)",
    );
    fails(
        &edit(ZH, 14, "URL"),
        1,
        "no URI section (expected a 'URI' heading)",
    );
}

#[test]
fn bad_endpoint() {
    fails(
        &edit(ZH, 16, "POST"),
        16,
        "expected 'METHOD /path' after URI, found 'POST'",
    );
    fails(
        &edit(ZH, 16, "FETCH /v1"),
        16,
        "expected 'METHOD /path' after URI, found 'FETCH /v1'",
    );
    fails(&head(ZH, 15), 14, "URI section has no 'METHOD /path' line");
    fails(&edit(ZH, 366, "URI"), 366, "duplicate URI section");
}

#[test]
fn truncated_tables() {
    // Title and header cells, then end of file.
    fails(&head(ZH, 26), 18, "table '表1 路径参数' has no rows");
    // Title and header cells, then the next section.
    fails(&head(ZH, 51), 42, "table '表2 请求Header参数' has no rows");
    fails(
        &edit(&edit(ZH, 72, ""), 74, ""),
        76,
        "expected a parameter name in 表3 请求Body参数, found '操作类型'",
    );
    // A row name at end of file.
    fails(
        &head(ZH, 28),
        28,
        "row 'project_id' in 表1 路径参数 has no type cell",
    );
    // A row name, then the next heading.
    fails(
        &head(ZH, 74).replace("operation\n\nString", "operation\n\n请求示例"),
        72,
        "row 'operation' in 表3 请求Body参数 has no type cell",
    );
}

#[test]
fn unknown_and_missing_columns() {
    fails(
        &edit(ZH, 66, "单位"),
        66,
        "unknown column '单位' in 表3 请求Body参数",
    );
    fails(
        &edit(EN, 66, "Unit"),
        66,
        "unknown column 'Unit' in Table 3 Request body parameters",
    );
    fails(
        &edit(ZH, 24, ""),
        18,
        "table '表1 路径参数' lacks the 参数类型/Type column",
    );
}

#[test]
fn rows_with_wrong_or_missing_cells() {
    fails(
        &edit(ZH, 32, ""),
        28,
        "row 'project_id' in 表1 路径参数 has too few cells: no description",
    );
    // The next section heading is not taken as the missing description...
    fails(
        &edit(ZH, 38, ""),
        34,
        "row 'eventstreaming_id' in 表1 路径参数 has too few cells: no description",
    );
    fails(
        &edit(ZH, 114, ""),
        110,
        "row 'eventStreamingID' in 表5 响应Body参数 has too few cells: no description",
    );
    // ...but a section word is, when the row continues after it (as `错误码` on line 130 does).
    let p = parse(&edit(ZH, 76, "请求示例")).expect("section word as a description");
    assert_eq!(
        (
            p.body_fields[0].description.value.as_str(),
            p.body_fields[0].enum_values.len()
        ),
        ("请求示例", 2)
    );
    fails(
        &edit(ZH, 30, "Strang"),
        30,
        "row 'project_id' in 表1 路径参数: expected a 是否必选/Mandatory or 参数类型/Type cell, found 'Strang'",
    );
    fails(
        &edit(ZH, 28, "project id"),
        28,
        "expected a parameter name in 表1 路径参数, found 'project id'",
    );
    // 是 followed by something that is not a type.
    fails(
        &edit(FOUR, 27, "租户"),
        27,
        "row 'project_id' in 表1 路径参数: expected a 参数类型/Type cell, found '租户'",
    );
    // A mandatory cell in a response table, which has no 是否必选 column.
    fails(
        &edit(ZH, 98, "是"),
        98,
        "row 'X-Request-Id' has a mandatory cell '是' but 表4 响应Header参数 has no 是否必选/Mandatory column",
    );
}

#[test]
fn bad_limits() {
    fails(
        &edit(ZH, 60, "最大长度:abc"),
        60,
        "最大长度 'abc' is not a number",
    );
    fails(
        &edit(ZH, 58, "最小长度:-1"),
        58,
        "最小长度 '-1' is not a number",
    );
    fails(
        &edit(EN, 134, "Maximum length: abc"),
        134,
        "Maximum length 'abc' is not a number",
    );
    fails(
        &edit(EN, 60, "Maximum: 16k"),
        60,
        "Maximum '16k' is not a number",
    );
    fails(
        &edit(FOUR, 49, "最小值:x"),
        49,
        "最小值 'x' is not a number",
    );
    fails(
        &edit(ZH, 58, "最大长度:1"),
        60,
        "duplicate '最大长度' in row 'X-Auth-Token'",
    );
}

#[test]
fn bad_json_examples() {
    fails(
        &edit(ZH, 374, r#"  "error_msg" : "#),
        375,
        "invalid JSON example: expected value (column 1)",
    );
    fails(
        &edit(ZH, 373, r#"  "error_code" : EG"#),
        373,
        "invalid JSON example: expected value (column 18)",
    );
    fails(&edit(ZH, 403, ""), 400, "unterminated JSON example");
}

#[test]
fn bad_status_headings() {
    fails(
        &edit(ZH, 116, "状态码: abc"),
        116,
        "invalid status code 'abc'",
    );
    fails(
        &edit(ZH, 370, "状态码\u{ff1a}4OO"),
        370,
        "invalid status code '4OO'",
    );
    fails(
        &edit(EN, 166, "Status code: 70000"),
        166,
        "invalid status code '70000'",
    );
    fails(
        &edit(ZH, 116, "状态码: 200"),
        116,
        "duplicate status 200 in response parameters",
    );
    fails(
        &edit(ZH, 86, ""),
        88,
        "table '表4 响应Header参数' has no preceding status heading",
    );
    fails(
        &edit(ZH, 40, "状态码: 200"),
        40,
        "status heading '状态码: 200' outside response parameters / examples",
    );
}

#[test]
fn bad_status_code_table() {
    fails(
        &edit(ZH, 415, "四百"),
        415,
        "expected a status code in table '状态码', found '四百'",
    );
    fails(
        &head(ZH, 431),
        431,
        "status code 500 in table '状态码' has no description",
    );
    fails(&head(ZH, 409), 405, "table '状态码' has no rows");
}
