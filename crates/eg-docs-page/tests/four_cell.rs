//! Rows that carry the mandatory cell (是/否, Yes/No), numeric limits,
//! defaults, nested tables and multi-paragraph JSON examples.

use eg_docs_page::{Example, Language, Located, Mandatory, parse};
use serde_json::json;

const FOUR: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/four-cell.zh-cn.txt"
));

fn at<T>(value: T, line: usize) -> Located<T> {
    Located::new(value, line)
}

#[test]
fn chinese_four_cell_rows() {
    let p = parse(FOUR).expect("fixture parses");
    assert_eq!(p.language, Language::Chinese);
    assert_eq!(p.title, Some(at("创建订阅".to_owned(), 3)));
    assert_eq!(
        (
            p.endpoint.value.method.as_str(),
            p.endpoint.value.path.as_str(),
            p.endpoint.line
        ),
        (
            "PUT",
            "/v1/{project_id}/subscriptions/{subscription_id}",
            11
        )
    );

    let id = &p.path_params[0];
    assert_eq!(
        (id.name.as_str(), id.line, id.mandatory.clone()),
        ("project_id", 23, at(Mandatory::Yes, 25))
    );
    assert_eq!(id.type_name, at("String".to_owned(), 27));

    let limit = &p.query_params[0];
    assert_eq!(
        (
            limit.name.as_str(),
            limit.mandatory.clone(),
            limit.type_name.clone()
        ),
        ("limit", at(Mandatory::No, 43), at("Integer".to_owned(), 45))
    );
    assert_eq!(limit.minimum, Some(at("1".to_owned(), 49)));
    assert_eq!(limit.maximum, Some(at("1000".to_owned(), 51)));
    assert_eq!(limit.default, Some(at("15".to_owned(), 53)));
    assert_eq!(
        (limit.min_length.clone(), limit.max_length.clone()),
        (None, None)
    );

    let names: Vec<_> = p
        .body_fields
        .iter()
        .map(|f| (f.name.as_str(), f.line, f.table.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("name", 67, "表3 请求Body参数"),
            ("sources", 77, "表3 请求Body参数"),
            ("provider_type", 95, "表4 SubscriptionSource")
        ]
    );
    assert_eq!(p.body_fields[0].max_length, Some(at(128, 75)));
    assert_eq!(
        p.body_fields[1].type_name,
        at("Array of SubscriptionSource objects".to_owned(), 81)
    );
    // Bullets without blank lines between them still get their own lines.
    assert_eq!(
        p.body_fields[2].enum_values,
        [at("CUSTOM".to_owned(), 105), at("OFFICIAL".to_owned(), 106)]
    );

    assert_eq!(p.responses.len(), 1);
    assert_eq!(p.responses[0].status, at(201, 110));
    assert_eq!(
        p.responses[0].body_fields[0].mandatory,
        at(Mandatory::NotStated, 120)
    );

    // The request line and the prose before the JSON are skipped; the blank line inside it is kept.
    assert_eq!(
        p.request_examples,
        [Example {
            status: None,
            line: 132,
            json: json!({"name": "sub-1", "sources": [{"provider_type": "CUSTOM"}]})
        }]
    );
    assert_eq!(
        p.response_examples,
        [Example {
            status: Some(201),
            line: 142,
            json: json!({"id": "5f8b1c"})
        }]
    );
    assert_eq!(
        (
            p.status_codes[0].status.clone(),
            p.status_codes[0].description.clone()
        ),
        (at(201, 150), at("创建成功".to_owned(), 152))
    );
}

/// One paragraph per element, so element `i` sits on line `2 * i + 1`.
const EN_FOUR: &[&str] = &[
    "URI",                              // 1
    "GET /v1/{project_id}/items",       // 3
    "Table 1 Query Parameters",         // 5
    "Parameter",                        // 7
    "Mandatory",                        // 9
    "Type",                             // 11
    "Description",                      // 13
    "limit",                            // 15
    "No",                               // 17
    "Integer",                          // 19
    "Page size.",                       // 21
    "Minimum: 1",                       // 23
    "Maximum: 500",                     // 25
    "Default: 10",                      // 27
    "name",                             // 29
    "Yes",                              // 31
    "String",                           // 33
    "Item name.",                       // 35
    "Minimum: 1",                       // 37
    "Maximum: 64",                      // 39
    "Enumeration values:",              // 41
    "• a",                              // 43
    "• b",                              // 45
    "Response Parameters",              // 47
    "Status code: 200",                 // 49
    "Table 2 Response body parameters", // 51
    "Parameter",                        // 53
    "Type",                             // 55
    "Description",                      // 57
    "items",                            // 59
    "Array of strings",                 // 61
    "Items.",                           // 63
    "Example Responses",                // 65
    "Status code: 200",                 // 67
    r#"{"items": ["a"]}"#,              // 69
    "Status Codes",                     // 71
    "Status Code",                      // 73
    "Description",                      // 75
    "200",                              // 77
    "OK",                               // 79
];

#[test]
fn english_yes_no_rows_and_numeric_minimum() {
    let p = parse(&EN_FOUR.join("\n\n")).expect("English four-cell page parses");
    assert_eq!(p.language, Language::English);
    assert_eq!(p.title, None);
    let limit = &p.query_params[0];
    assert_eq!(
        (limit.mandatory.clone(), limit.type_name.clone()),
        (at(Mandatory::No, 17), at("Integer".to_owned(), 19))
    );
    // On an Integer row `Minimum` is a value, not a length.
    assert_eq!(
        (
            limit.minimum.clone(),
            limit.maximum.clone(),
            limit.default.clone()
        ),
        (
            Some(at("1".to_owned(), 23)),
            Some(at("500".to_owned(), 25)),
            Some(at("10".to_owned(), 27))
        )
    );
    assert_eq!(
        (limit.min_length.clone(), limit.max_length.clone()),
        (None, None)
    );
    let name = &p.query_params[1];
    assert_eq!(name.mandatory, at(Mandatory::Yes, 31));
    assert_eq!(
        (name.min_length.clone(), name.max_length.clone()),
        (Some(at(1, 37)), Some(at(64, 39)))
    );
    assert_eq!(
        name.enum_values,
        [at("a".to_owned(), 43), at("b".to_owned(), 45)]
    );
    assert_eq!(
        p.responses[0].body_fields[0].type_name,
        at("Array of strings".to_owned(), 61)
    );
    assert_eq!(
        p.response_examples,
        [Example {
            status: Some(200),
            line: 69,
            json: json!({"items": ["a"]})
        }]
    );
    assert_eq!(p.status_codes[0].description, at("OK".to_owned(), 79));
}

#[test]
fn free_text_after_a_row_is_kept_as_notes() {
    let mut page: Vec<&str> = EN_FOUR.to_vec();
    page.insert(11, "Use small pages."); // line 23, pushes the limits down by 2
    let p = parse(&page.join("\n\n")).expect("parses");
    assert_eq!(
        p.query_params[0].notes,
        [at("Use small pages.".to_owned(), 23)]
    );
    assert_eq!(p.query_params[0].minimum, Some(at("1".to_owned(), 25)));
}
