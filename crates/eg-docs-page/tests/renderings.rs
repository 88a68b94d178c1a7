//! The three renderings of a page (paragraphs; one cell per line ending in
//! ` |`; tab-separated rows, untitled tables, the request body on the
//! request line) parse to the same facts, line numbers aside.

use eg_docs_page::{DocsPage, Language, parse};
use serde_json::Value;

const EN: &str = include_str!("../../../openapi/OperateEventStreaming.en-us.txt");
const EN_2: &str = include_str!("fixtures/renderings/OperateEventStreaming.en-us.2.txt");
const EN_3: &str = include_str!("fixtures/renderings/OperateEventStreaming.en-us.3.txt");
const ZH: &str = include_str!("../../../openapi/OperateEventStreaming.zh-cn.txt");
const ZH_2: &str = include_str!("fixtures/renderings/OperateEventStreaming.zh-cn.2.txt");

/// The page as JSON without line numbers and table titles (rendering 3 has
/// no titles; where a row goes is kept, by the field it lands in).
fn facts(p: &DocsPage) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("line");
                m.remove("table");
                m.remove("tables");
                m.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(p).expect("serializes");
    strip(&mut v);
    v
}

#[track_caller]
fn same_facts(a: &str, b: &str) {
    let (a, b) = (parse(a).expect("parses"), parse(b).expect("parses"));
    let (fa, fb) = (facts(&a), facts(&b));
    for key in fa.as_object().expect("object").keys() {
        assert_eq!(fa[key], fb[key], "{key}");
    }
    assert_eq!(fa, fb);
}

#[test]
fn english_page_in_three_renderings() {
    same_facts(EN, EN_2);
    same_facts(EN, EN_3);
    let p = parse(EN_3).expect("parses");
    assert_eq!(p.language, Language::English);
    assert_eq!(p.tables[0].value, "(untitled table, line 14)");
    assert_eq!(p.header_params[0].name, "X-Auth-Token");
    assert_eq!(p.request_examples[0].line, 40);
    assert_eq!(
        p.request_examples[0].json,
        serde_json::json!({"operation": "PAUSE"})
    );
    assert!(p.delegates_errors());
}

#[test]
fn chinese_page_in_two_renderings() {
    same_facts(ZH, ZH_2);
    let p = parse(ZH_2).expect("parses");
    assert_eq!(p.language, Language::Chinese);
    assert!(!p.delegates_errors());
    assert_eq!(
        p.errors_see_also.clone().map(|s| (s.value, s.line)),
        Some(("请参见错误码".to_owned(), 242))
    );
}

#[test]
fn the_real_english_page() {
    let p = parse(EN).expect("parses");
    assert_eq!(p.language, Language::English);
    assert_eq!(
        p.title.clone().map(|t| (t.value, t.line)),
        Some(("Starting/Stopping an Event Stream".to_owned(), 4))
    );
    let mandatory: Vec<_> = p
        .path_params
        .iter()
        .chain(&p.header_params)
        .chain(&p.body_fields)
        .map(|f| (f.name.as_str(), f.mandatory.value, f.mandatory.line))
        .collect();
    use eg_docs_page::Mandatory::{No, Yes};
    assert_eq!(
        mandatory,
        [
            ("project_id", Yes, 26),
            ("eventstreaming_id", Yes, 34),
            ("X-Auth-Token", Yes, 54),
            ("operation", No, 72)
        ]
    );
    assert!(p.header_params[0].max_length.is_none() && p.body_fields[0].enum_values.is_empty());
    let statuses: Vec<u16> = p.responses.iter().map(|r| r.status.value).collect();
    assert_eq!(statuses, [200]);
    assert_eq!(p.status_codes.len(), 1);
    assert_eq!(
        p.errors_see_also.clone().map(|s| (s.value, s.line)),
        Some(("See Error Codes.".to_owned(), 142))
    );
    assert!(p.delegates_errors());
    assert_eq!(
        (p.request_examples[0].line, p.response_examples[0].line),
        (116, 126)
    );
}
