//! Issue 19: one fixture per trap of Huawei's pages (as recorded in the
//! project's notes on how the pages come out as text), each with the
//! exact model the parser must read from it.

use eg_docs_page::{Mandatory, Unread, parse};
use serde_json::json;

/// A page: the URI section, then `rest` (paragraph layout unless `rest`
/// says otherwise).
fn page(rest: &str) -> eg_docs_page::DocsPage {
    let text = format!("URI\n\nPOST /v1/{{project_id}}/items\n\n{rest}");
    parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn mandatory(p: &eg_docs_page::DocsPage) -> Vec<(&str, Mandatory)> {
    p.path_params
        .iter()
        .chain(&p.header_params)
        .chain(&p.body_fields)
        .map(|f| (f.name.as_str(), f.mandatory.value))
        .collect()
}

#[test]
fn missing_mandatory_cells_are_unknown_not_optional() {
    let p = page(
        "表1 路径参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\nproject_id\n\nString\n\n项目ID\n\n\
         请求参数\n\n表2 请求Body参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\nname\n\n否\n\nString\n\n名称",
    );
    assert_eq!(
        mandatory(&p),
        [
            ("project_id", Mandatory::NotStated),
            ("name", Mandatory::No)
        ]
    );
    assert_eq!(
        eg_docs_page::model_json("p", &p)["parameters"][0]["mandatory"],
        serde_json::Value::Null
    );
}

#[test]
fn type_before_mandatory() {
    let p = page(
        "Table 1 Path Parameters\n\nParameter\n\nType\n\nMandatory\n\nDescription\n\n\
         project_id\n\nString\n\nYes\n\nProject ID.\n\nMaximum length: 64",
    );
    let f = &p.path_params[0];
    assert_eq!((f.mandatory.value, f.mandatory.line), (Mandatory::Yes, 19));
    assert_eq!(
        (f.type_name.value.as_str(), f.type_name.line),
        ("String", 17)
    );
    assert_eq!(
        f.max_length.as_ref().map(|l| (l.value, l.line)),
        Some((64, 23))
    );
}

#[test]
fn dropped_captions_are_told_apart_by_heading_and_rows() {
    let p = page(
        "Parameter |\nMandatory |\nType |\nDescription |\n---|---|---|---|\n\
         project_id |\nYes |\nString |\nProject ID. |\n\
         Request Parameters\nParameter |\nMandatory |\nType |\nDescription |\n---|---|---|---|\n\
         X-Auth-Token |\nYes |\nString |\nToken. |\n\
         Parameter |\nMandatory |\nType |\nDescription |\n---|---|---|---|\n\
         operation |\nNo |\nString |\nOperation type. |\n",
    );
    let names = |v: &[eg_docs_page::Field]| v.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&p.path_params), ["project_id"]);
    assert_eq!(names(&p.header_params), ["X-Auth-Token"]);
    assert_eq!(names(&p.body_fields), ["operation"]);
    assert!(p.unread.is_empty());
}

#[test]
fn a_dropped_nested_table_leaves_the_type_without_members() {
    let p = page(
        "请求参数\n\n表2 请求Body参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\n\
         tags\n\n否\n\nArray of Tag objects\n\n标签\n\n响应参数\n\n状态码: 204\n\n",
    );
    assert_eq!(p.body_fields.len(), 1);
    assert_eq!(p.body_fields[0].ty.openapi(), "array of object");
    assert_eq!(p.body_fields[0].ty.table_name(), Some("Tag"));
    assert_eq!(p.responses[0].body_fields, []);
}

#[test]
fn an_enum_list_that_vanished_is_not_stated() {
    let p = page(
        "请求参数\n\nParameter |\nMandatory |\nType |\nDescription |\n---|---|---|---|\n\
         operation |\nNo |\nString |\nOperation type. |\nEnumeration values: |\n",
    );
    let v = eg_docs_page::model_json("p", &p);
    assert_eq!(v["parameters"][0]["enum"], serde_json::Value::Null);
    assert_eq!(v["parameters"][0]["description"], "Operation type.");
}

#[test]
fn enums_in_prose_are_not_a_list() {
    let p = page(
        "请求参数\n\n表2 请求Body参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\n\
         action\n\n是\n\nString\n\n操作,取值为restart、delete。\n\n\
         mode\n\nYes\n\nString\n\nThe value can be restart or delete.\n\n\
         kind\n\nYes\n\nString\n\nKind.\n\n枚举值:\n\n• a\n\n• b",
    );
    let enums: Vec<Vec<&str>> = p
        .body_fields
        .iter()
        .map(|f| f.enum_values.iter().map(|v| v.value.as_str()).collect())
        .collect();
    assert_eq!(enums, [vec![], vec![], vec!["a", "b"]]);
    assert_eq!(
        p.body_fields[0].description.value,
        "操作,取值为restart、delete。"
    );
}

#[test]
fn labelled_descriptions_of_2026_pages() {
    // Paragraph layout: one part per paragraph.
    let p = page(
        "表1 路径参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\nproject_id\n\n是\n\nString\n\n\
         参数解释:\n\n项目ID。\n\n约束限制:\n\n不涉及。\n\n取值范围:\n\n[1-64]\n\n默认取值:\n\n不涉及。\n\n\
         limit\n\n否\n\nInteger\n\n参数解释:每页条数。\n\n取值范围:[1-100]\n\n默认取值:10",
    );
    let id = &p.path_params[0];
    assert_eq!(
        (id.description.value.as_str(), id.description.line),
        ("项目ID。", 23)
    );
    assert_eq!(
        id.min_length.as_ref().map(|l| (l.value, l.line)),
        Some((1, 31))
    );
    assert_eq!(id.max_length.as_ref().map(|l| l.value), Some(64));
    assert_eq!(id.default, None);
    assert_eq!(
        id.notes
            .iter()
            .map(|n| n.value.as_str())
            .collect::<Vec<_>>(),
        ["不涉及。"]
    );
    let q = &p.path_params[1];
    assert_eq!(q.description.value, "每页条数。");
    assert_eq!(
        (
            q.minimum.clone().map(|l| l.value),
            q.maximum.clone().map(|l| l.value)
        ),
        (Some("1".into()), Some("100".into()))
    );
    assert_eq!(q.default.clone().map(|l| l.value), Some("10".into()));
    // Piped: the parts squeezed into one cell.
    let p = page(
        "表1 路径参数\n参数 |\n是否必选 |\n参数类型 |\n描述 |\n---|---|---|---|\nproject_id |\n是 |\nString |\n\
         参数解释:项目ID。 约束限制:不涉及。 取值范围:[1-64] 默认取值:不涉及。 |\n",
    );
    let id = &p.path_params[0];
    assert_eq!(id.description.value, "项目ID。");
    assert_eq!(
        (
            id.min_length.clone().map(|l| (l.value, l.line)),
            id.max_length.clone().map(|l| l.value)
        ),
        (Some((1, 14)), Some(64))
    );
    assert_eq!(
        id.notes
            .iter()
            .map(|n| n.value.as_str())
            .collect::<Vec<_>>(),
        ["约束限制:不涉及。"]
    );
}

#[test]
fn status_headings_with_and_without_a_space() {
    let p = page(
        "响应参数\n\n状态码:200\n\n表1 响应Body参数\n\n参数\n\n参数类型\n\n描述\n\nid\n\nString\n\nID\n\n\
         状态码: 400\n\n表2 响应Body参数\n\n参数\n\n参数类型\n\n描述\n\nerror_code\n\nString\n\n错误码\n\n\
         error_msg\n\nString\n\n错误消息\n\n\
         响应示例\n\nStatus code: 200\n\n{\"id\": \"a\"}\n\n\
         状态码\n\n状态码\n\n描述\n\n200\n\nOK\n\n400\n\n错误\n\n错误码\n\n请参见错误码",
    );
    let statuses: Vec<u16> = p.responses.iter().map(|r| r.status.value).collect();
    assert_eq!(statuses, [200, 400]);
    assert_eq!(p.responses[1].body_fields[0].description.value, "错误码");
    assert_eq!(p.response_examples[0].status, Some(200));
    let codes: Vec<(u16, &str)> = p
        .status_codes
        .iter()
        .map(|s| (s.status.value, s.description.value.as_str()))
        .collect();
    assert_eq!(codes, [(200, "OK"), (400, "错误")]);
    assert!(p.errors_see_also.is_some() && p.unread.is_empty());
    // 2025 editions drop the limits: 错误码 is then followed by the next status.
    let dropped = page(
        "响应参数\n\n状态码: 400\n\n表1 响应Body参数\n\n参数\n\n参数类型\n\n描述\n\n\
         error_code\n\nString\n\n错误码\n\n状态码: 401\n\n表2 响应Body参数\n\n参数\n\n参数类型\n\n描述\n\n\
         error_code\n\nString\n\n错误代码\n\n错误码\n\n请参见错误码",
    );
    let descriptions: Vec<&str> = dropped
        .responses
        .iter()
        .flat_map(|r| &r.body_fields)
        .map(|f| f.description.value.as_str())
        .collect();
    assert_eq!(descriptions, ["错误码", "错误代码"]);
    assert!(
        dropped.errors_see_also.is_some() && dropped.unread.is_empty(),
        "{:?}",
        dropped.unread
    );
}

#[test]
fn bodies_that_are_none() {
    let p = page(
        "请求参数\n\n无\n\n响应参数\n\n状态码: 204\n\nNone\n\n响应示例\n\n状态码: 204\n\nnull\n\n\
         状态码\n\n状态码\n\n描述\n\n204\n\nNo Content",
    );
    assert_eq!(p.body_fields, []);
    assert_eq!(p.responses.len(), 1);
    assert_eq!(p.responses[0].body_fields, []);
    assert_eq!(p.response_examples[0].json, serde_json::Value::Null);
    assert_eq!(p.response_examples[0].status, Some(204));
    assert!(p.unread.is_empty());
}

#[test]
fn several_examples_and_examples_on_the_request_line() {
    let p = page(
        "请求示例\n\n• 启动事件流\nPOST https://{endpoint}/v1/{project_id}/items\n{\n  \"operation\" : \"START\"\n}\n\
         • 停止事件流\nPOST https://{endpoint}/v1/{project_id}/items\n{\n  \"operation\" : \"PAUSE\"\n}\n\n\
         POST  https://{endpoint}/v1/{project_id}/items {\"operation\":\"RESTART\"}\n\n响应示例\n\n无",
    );
    let got: Vec<(usize, serde_json::Value)> = p
        .request_examples
        .iter()
        .map(|e| (e.line, e.json.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (9, json!({"operation": "START"})),
            (14, json!({"operation": "PAUSE"})),
            (18, json!({"operation": "RESTART"})),
        ]
    );
    assert!(p.unread.is_empty(), "{:?}", p.unread);
}

#[test]
fn noise_before_the_content() {
    let text = "Diese Seite ist in Ihrer Sprache nicht verfügbar.\nUpdated on 2025-05-06 GMT+08:00\n\n\
                Starting an Event Stream\n\nURI\n\nPOST  /v1/{project_id}/items\n";
    let p = parse(text).expect("parses");
    assert_eq!(
        p.title.map(|t| (t.value, t.line)),
        Some(("Starting an Event Stream".into(), 4))
    );
    assert_eq!(
        p.edition.map(|e| (e.value, e.line)),
        Some(("2025-05-06".into(), 2))
    );
    assert_eq!(p.endpoint.value.path, "/v1/{project_id}/items");
    let p = parse("更新时间:2025-12-18 GMT+08:00\n\nURI\n\nPOST /v1/x\n").expect("parses");
    assert_eq!(p.edition.map(|e| e.value), Some("2025-12-18".into()));
}

#[test]
fn cut_off_copies_keep_what_was_read() {
    // Cut in the middle of a table: the rows before the cut are kept.
    let p = page(
        "表1 路径参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\nproject_id\n\nString\n\n项目ID\n\nstream_id\n\nString",
    );
    assert_eq!(p.path_params.len(), 1);
    assert_eq!(
        p.unread,
        [Unread {
            line: 21,
            reason: "row 'stream_id' in 表1 路径参数 has too few cells: no description".into()
        }]
    );
    // Cut in the middle of an example.
    let p = page("请求示例\n\n{\n  \"operation\" : \"ST");
    assert_eq!(p.request_examples, []);
    assert_eq!(
        p.unread,
        [Unread {
            line: 7,
            reason: "unterminated JSON example at line 7".into()
        }]
    );
}

#[test]
fn a_page_inconsistent_with_itself_is_read_as_written() {
    // The checker, not the parser, finds that `allFailure` is not `all_failure`.
    let p = page(
        "请求参数\n\n表2 请求Body参数\n\n参数\n\n是否必选\n\n参数类型\n\n描述\n\n\
         policy\n\n是\n\nString\n\n策略\n\n枚举值:\n\n• all_failure\n\n\
         请求示例\n\n{\"policy\": \"allFailure\"}",
    );
    assert_eq!(p.body_fields[0].enum_values[0].value, "all_failure");
    assert_eq!(p.request_examples[0].json, json!({"policy": "allFailure"}));
}
