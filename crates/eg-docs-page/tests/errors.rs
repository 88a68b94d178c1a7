//! A file that is no API page gives a `ParseError` naming the line; a
//! page with parts that cannot be read keeps the rest and lists each part
//! under `unread`, with its line.

use eg_docs_page::{ParseError, Unread, parse};

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

/// The page parses, and `unread` lists exactly these parts.
#[track_caller]
fn unread(page: &str, expected: &[(usize, &str)]) {
    let p = parse(page).expect("a page with unread parts still parses");
    let want: Vec<Unread> = expected
        .iter()
        .map(|&(line, reason)| Unread {
            line,
            reason: reason.to_owned(),
        })
        .collect();
    assert_eq!(p.unread, want);
}

#[test]
fn empty_page() {
    fails("", 1, "empty page");
    fails("\n  \n\t\r\n", 1, "empty page");
}

#[test]
fn binary_files_and_pages_without_a_uri_line_are_no_pages() {
    fails(
        "\u{0}\u{1}\u{2}\u{fffd}\u{7f}PK\u{3}\u{4}\n\u{fffd}\u{fffd}",
        1,
        "binary file (a NUL byte), not a docs page",
    );
    fails(
        "\u{fffd}\u{7f}PK\u{3}\u{4}\n\u{fffd}\u{fffd}",
        1,
        "no URI line ('METHOD /path') anywhere: not a Huawei API page",
    );
    // Without its heading, the URI line is still found.
    let p = parse(&edit(ZH, 14, "URL")).expect("the URI line alone is enough");
    assert_eq!(p.endpoint.line, 16);
    assert_eq!(p.path_params.len(), 2);
}

#[test]
fn a_uri_heading_without_a_uri_line_is_no_page() {
    let none = "no URI line ('METHOD /path') anywhere: not a Huawei API page";
    fails(&edit(ZH, 16, "POST"), 14, none);
    fails(&edit(ZH, 16, "FETCH /v1"), 14, none);
    fails(&head(ZH, 15), 14, none);
    // Two spaces between method and path, as some copies have.
    let p = parse(&edit(
        ZH,
        16,
        "POST  /v1/{project_id}/eventstreamings/operate/{eventstreaming_id}",
    ))
    .expect("parses");
    assert_eq!(p.endpoint.value.method, "POST");
    assert!(p.unread.is_empty());
}

#[test]
fn truncated_tables() {
    // Title and header cells, then end of file.
    unread(&head(ZH, 26), &[(18, "table '表1 路径参数' has no rows")]);
    // Title and header cells, then the next section.
    unread(
        &head(ZH, 51),
        &[(42, "table '表2 请求Header参数' has no rows")],
    );
    unread(
        &edit(&edit(ZH, 72, ""), 74, ""),
        &[(
            76,
            "expected a parameter name in 表3 请求Body参数, found '操作类型'",
        )],
    );
    // A row name at end of file.
    unread(
        &head(ZH, 28),
        &[(28, "row 'project_id' in 表1 路径参数 has no type cell")],
    );
    // A row name, then the next heading.
    unread(
        &head(ZH, 74).replace("operation\n\nString", "operation\n\n请求示例"),
        &[(72, "row 'operation' in 表3 请求Body参数 has no type cell")],
    );
}

#[test]
fn unknown_and_missing_columns() {
    unread(
        &edit(ZH, 66, "单位"),
        &[(66, "unknown column '单位' in 表3 请求Body参数")],
    );
    unread(
        &edit(EN, 66, "Unit"),
        &[(
            66,
            "unknown column 'Unit' in Table 3 Request body parameters",
        )],
    );
    unread(
        &edit(ZH, 24, ""),
        &[(18, "table '表1 路径参数' lacks the 参数类型/Type column")],
    );
}

#[test]
fn rows_with_wrong_or_missing_cells() {
    unread(
        &edit(ZH, 32, ""),
        &[(
            28,
            "row 'project_id' in 表1 路径参数 has too few cells: no description",
        )],
    );
    // The next section heading is not taken as the missing description...
    unread(
        &edit(ZH, 38, ""),
        &[(
            34,
            "row 'eventstreaming_id' in 表1 路径参数 has too few cells: no description",
        )],
    );
    unread(
        &edit(ZH, 114, ""),
        &[(
            110,
            "row 'eventStreamingID' in 表5 响应Body参数 has too few cells: no description",
        )],
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
    unread(
        &edit(ZH, 30, "Strang"),
        &[(
            30,
            "row 'project_id' in 表1 路径参数: expected a 参数类型/Type cell, found 'Strang'",
        )],
    );
    unread(
        &edit(ZH, 28, "project id"),
        &[(
            28,
            "expected a parameter name in 表1 路径参数, found 'project id'",
        )],
    );
    // 是 followed by something that is not a type.
    unread(
        &edit(FOUR, 27, "租户"),
        &[(
            27,
            "row 'project_id' in 表1 路径参数: expected a 参数类型/Type cell, found '租户'",
        )],
    );
    // A mandatory cell in a response table, which has no 是否必选 column.
    unread(
        &edit(ZH, 98, "是"),
        &[(
            98,
            "row 'X-Request-Id' has a mandatory cell '是' but 表4 响应Header参数 has no 是否必选/Mandatory column",
        )],
    );
}

#[test]
fn bad_limits() {
    unread(
        &edit(ZH, 60, "最大长度:abc"),
        &[(60, "最大长度 'abc' is not a number")],
    );
    unread(
        &edit(ZH, 58, "最小长度:-1"),
        &[(58, "最小长度 '-1' is not a number")],
    );
    unread(
        &edit(EN, 134, "Maximum length: abc"),
        &[(134, "Maximum length 'abc' is not a number")],
    );
    unread(
        &edit(EN, 60, "Maximum: 16k"),
        &[(60, "Maximum '16k' is not a number")],
    );
    unread(
        &edit(FOUR, 49, "最小值:x"),
        &[(49, "最小值 'x' is not a number")],
    );
    unread(
        &edit(ZH, 58, "最大长度:1"),
        &[(60, "duplicate '最大长度' in row 'X-Auth-Token'")],
    );
}

#[test]
fn bad_json_examples() {
    unread(
        &edit(ZH, 374, r#"  "error_msg" : "#),
        &[(375, "invalid JSON example: expected value (column 1)")],
    );
    unread(
        &edit(ZH, 373, r#"  "error_code" : EG"#),
        &[(373, "invalid JSON example: expected value (column 18)")],
    );
    unread(
        &edit(ZH, 403, ""),
        &[(400, "unterminated JSON example at line 400")],
    );
}

#[test]
fn bad_status_headings() {
    unread(
        &edit(ZH, 116, "状态码: abc"),
        &[(116, "invalid status code 'abc'")],
    );
    unread(
        &edit(ZH, 370, "状态码\u{ff1a}4OO"),
        &[(370, "invalid status code '4OO'")],
    );
    unread(
        &edit(EN, 166, "Status code: 70000"),
        &[(166, "invalid status code '70000'")],
    );
    unread(
        &edit(ZH, 116, "状态码: 200"),
        &[(116, "duplicate status 200 in response parameters")],
    );
    // Both tables of the status are skipped, the rest is read.
    unread(
        &edit(ZH, 86, ""),
        &[
            (
                88,
                "table '表4 响应Header参数' has no preceding status heading",
            ),
            (
                102,
                "table '表5 响应Body参数' has no preceding status heading",
            ),
        ],
    );
    unread(
        &edit(ZH, 40, "状态码: 200"),
        &[(
            40,
            "status heading '状态码: 200' outside response parameters / examples",
        )],
    );
}

#[test]
fn bad_status_code_table() {
    unread(
        &edit(ZH, 415, "四百"),
        &[(
            415,
            "expected a status code in table '状态码', found '四百'",
        )],
    );
    unread(
        &head(ZH, 431),
        &[(431, "status code 500 in table '状态码' has no description")],
    );
    unread(&head(ZH, 409), &[(405, "table '状态码' has no rows")]);
}
