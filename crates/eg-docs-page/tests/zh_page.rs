//! The real zh-cn page parses to exact, line-numbered facts.

use eg_docs_page::{DocsPage, Field, Language, Located, Mandatory, parse};
use serde_json::json;

const PAGE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../openapi/OperateEventStreaming.zh-cn.txt"
));

fn page() -> DocsPage {
    parse(PAGE).expect("the real page parses")
}

fn at<T>(value: T, line: usize) -> Located<T> {
    Located::new(value, line)
}

/// (name, line, type line, description, description line) of a String row
/// without a mandatory cell.
fn check_row(f: &Field, name: &str, line: usize, description: &str, table: &str) {
    assert_eq!(f.name, name);
    assert_eq!(f.line, line);
    assert_eq!(f.mandatory, at(Mandatory::NotStated, line), "{name}");
    assert_eq!(f.type_name, at("String".to_owned(), line + 2), "{name}");
    assert_eq!(
        f.description,
        at(description.to_owned(), line + 4),
        "{name}"
    );
    assert_eq!(f.table, table);
    assert!(
        f.notes.is_empty() && f.default.is_none() && f.minimum.is_none() && f.maximum.is_none(),
        "{name}"
    );
}

#[test]
fn header_facts() {
    let p = page();
    assert_eq!(p.language, Language::Chinese);
    assert_eq!(p.title, Some(at("操作事件流".to_owned(), 4)));
    assert_eq!(p.endpoint.line, 16);
    assert_eq!(p.endpoint.value.method, "POST");
    assert_eq!(
        p.endpoint.value.path,
        "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}"
    );
    let tables: Vec<(&str, usize)> = p
        .tables
        .iter()
        .map(|t| (t.value.as_str(), t.line))
        .collect();
    assert_eq!(
        tables,
        [
            ("表1 路径参数", 18),
            ("表2 请求Header参数", 42),
            ("表3 请求Body参数", 62),
            ("表4 响应Header参数", 88),
            ("表5 响应Body参数", 102),
            ("表6 响应Body参数", 118),
            ("表7 响应Body参数", 168),
            ("表8 响应Body参数", 218),
            ("表9 响应Body参数", 268),
            ("表10 响应Body参数", 318),
        ]
    );
}

#[test]
fn request_tables() {
    let p = page();
    assert_eq!(p.path_params.len(), 2);
    check_row(
        &p.path_params[0],
        "project_id",
        28,
        "租户项目ID",
        "表1 路径参数",
    );
    check_row(
        &p.path_params[1],
        "eventstreaming_id",
        34,
        "事件流ID",
        "表1 路径参数",
    );
    assert!(
        p.path_params
            .iter()
            .all(|f| f.min_length.is_none() && f.max_length.is_none() && f.enum_values.is_empty())
    );
    assert!(p.query_params.is_empty());

    assert_eq!(p.header_params.len(), 1);
    let token = &p.header_params[0];
    check_row(
        token,
        "X-Auth-Token",
        52,
        "用户Token。通过调用IAM服务获取用户Token接口获取(响应消息头中X-Subject-Token的值)。",
        "表2 请求Header参数",
    );
    assert_eq!(token.min_length, Some(at(1, 58)));
    assert_eq!(token.max_length, Some(at(16384, 60)));
    assert!(token.enum_values.is_empty());

    assert_eq!(p.body_fields.len(), 1);
    let op = &p.body_fields[0];
    check_row(op, "operation", 72, "操作类型", "表3 请求Body参数");
    assert_eq!(
        op.enum_values,
        [at("START".to_owned(), 80), at("PAUSE".to_owned(), 82)]
    );
    assert_eq!((op.min_length.clone(), op.max_length.clone()), (None, None));
}

#[test]
fn responses() {
    let p = page();
    let statuses: Vec<_> = p.responses.iter().map(|r| r.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            at(200, 86),
            at(400, 116),
            at(401, 166),
            at(403, 216),
            at(404, 266),
            at(500, 316)
        ]
    );

    let ok = &p.responses[0];
    assert_eq!(ok.header_fields.len(), 1);
    check_row(
        &ok.header_fields[0],
        "X-Request-Id",
        96,
        "This field is the request ID number for task tracking. Format is request_uuid-timestamp-hostname.",
        "表4 响应Header参数",
    );
    assert_eq!(ok.body_fields.len(), 1);
    check_row(
        &ok.body_fields[0],
        "eventStreamingID",
        110,
        "事件流ID",
        "表5 响应Body参数",
    );

    // Every error status repeats the same four rows, 50 lines apart.
    let rows = [
        ("error_code", "错误码", 128),
        ("error_msg", "错误消息", 512),
        ("error_details", "具体错误消息", 1024),
        ("request_id", "请求处理ID", 128),
    ];
    for (k, r) in p.responses[1..].iter().enumerate() {
        let base = 126 + 50 * k;
        let table = format!("表{} 响应Body参数", 6 + k);
        assert!(r.header_fields.is_empty());
        assert_eq!(r.body_fields.len(), 4);
        for (i, (f, (name, desc, max))) in r.body_fields.iter().zip(rows).enumerate() {
            let line = base + 10 * i;
            check_row(f, name, line, desc, &table);
            assert_eq!(f.min_length, Some(at(1, line + 6)), "{name} in {table}");
            assert_eq!(f.max_length, Some(at(max, line + 8)), "{name} in {table}");
        }
    }
    let msg_400 = &p.responses[1].body_fields[1];
    assert_eq!(
        (msg_400.name.as_str(), msg_400.max_length.clone()),
        ("error_msg", Some(at(512, 144)))
    );
}

#[test]
fn examples_and_status_codes() {
    let p = page();
    assert!(p.request_examples.is_empty());
    let got: Vec<_> = p
        .response_examples
        .iter()
        .map(|e| (e.status, e.line, e.json.clone()))
        .collect();
    let ex = |code: u16, line, id: &str, msg: &str| {
        (
            Some(code),
            line,
            json!({ "error_code": id, "error_msg": msg }),
        )
    };
    assert_eq!(
        got,
        [
            ex(400, 372, "EG.00014000", "Bad request"),
            ex(
                401,
                379,
                "EG.00014010",
                "Incorrect token or token resolution failed"
            ),
            ex(
                403,
                386,
                "EG.00014030",
                "No permissions to request this method"
            ),
            ex(404, 393, "EG.00014040", "Not request resource found"),
            ex(500, 400, "EG.00015000", "Internal Server Error"),
        ]
    );
    let codes: Vec<_> = p
        .status_codes
        .iter()
        .map(|s| {
            (
                s.status.value,
                s.status.line,
                s.description.value.as_str(),
                s.description.line,
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            (200, 411, "启动或者停止事件流成功", 413),
            (400, 415, "非法请求", 417),
            (401, 419, "未授权", 421),
            (403, 423, "禁止访问", 425),
            (404, 427, "未找到资源", 429),
            (500, 431, "内部服务错误", 433),
        ]
    );
}

#[test]
fn crlf_bom_and_full_width_colons_read_the_same() {
    let variant = format!(
        "\u{feff}{}",
        PAGE.replace("状态码: 4", "状态码 : 4")
            .replace("状态码: 5", "状态码\u{ff1a}5")
            .replace("度:", "度\u{ff1a} ")
            .replace("枚举值:", "枚举值\u{ff1a}")
            .replace('\n', "\r\n")
    );
    assert_eq!(parse(&variant).expect("variant parses"), page());
}
