//! The en-us layout of the same page parses to the same facts, line for line.

use eg_docs_page::{DocsPage, Field, Language, Located, parse};

const ZH: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../openapi/OperateEventStreaming.zh-cn.txt"
));
const EN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/OperateEventStreaming.en-us.txt"
));

/// Blanks what legitimately differs between languages: the language, title
/// text, descriptions and table titles. Line numbers are kept.
fn normalise(mut p: DocsPage) -> DocsPage {
    fn fields(fs: &mut [Field]) {
        for f in fs {
            f.description.value.clear();
            f.table.clear();
        }
    }
    p.language = Language::Chinese;
    if let Some(t) = &mut p.title {
        t.value.clear();
    }
    p.tables.iter_mut().for_each(|t| t.value.clear());
    for fs in [
        &mut p.path_params,
        &mut p.query_params,
        &mut p.header_params,
        &mut p.body_fields,
    ] {
        fields(fs);
    }
    for r in &mut p.responses {
        fields(&mut r.header_fields);
        fields(&mut r.body_fields);
    }
    p.status_codes
        .iter_mut()
        .for_each(|s| s.description.value.clear());
    if let Some(s) = &mut p.errors_see_also {
        s.value.clear();
    }
    p
}

#[test]
fn english_layout_specifics() {
    let p = parse(EN).expect("the English page parses");
    assert_eq!(p.language, Language::English);
    assert_eq!(
        p.title,
        Some(Located::new("Operating an Event Stream".to_owned(), 4))
    );
    assert_eq!(
        p.tables[0],
        Located::new("Table 1 Path Parameters".to_owned(), 18)
    );
    assert_eq!(
        p.tables[9],
        Located::new("Table 10 Response body parameters".to_owned(), 318)
    );
    // `Minimum: 1` / `Maximum: 16384` on a String row are length limits.
    let token = &p.header_params[0];
    assert_eq!(
        (token.min_length.clone(), token.max_length.clone()),
        (Some(Located::new(1, 58)), Some(Located::new(16384, 60)))
    );
    assert_eq!((token.minimum.clone(), token.maximum.clone()), (None, None));
    // `Minimum length: 1` / `Maximum length: 128` too.
    let code = &p.responses[1].body_fields[0];
    assert_eq!(
        (code.min_length.clone(), code.max_length.clone()),
        (Some(Located::new(1, 132)), Some(Located::new(128, 134)))
    );
    assert_eq!(
        p.responses[1].body_fields[0].table,
        "Table 6 Response body parameters"
    );
    assert_eq!(
        p.status_codes[0].description,
        Located::new("The event stream is started or paused.".to_owned(), 413)
    );
}

#[test]
fn pages_are_line_aligned() {
    assert_eq!(ZH.lines().count(), EN.lines().count());
}

#[test]
fn english_and_chinese_pages_state_the_same_facts() {
    let zh = normalise(parse(ZH).expect("zh parses"));
    let en = normalise(parse(EN).expect("en parses"));
    // Field by field first, so a failure names the fact.
    assert_eq!(zh.endpoint, en.endpoint);
    assert_eq!(zh.title, en.title);
    assert_eq!(zh.tables, en.tables);
    assert_eq!(zh.path_params, en.path_params);
    assert_eq!(zh.query_params, en.query_params);
    assert_eq!(zh.header_params, en.header_params);
    assert_eq!(zh.body_fields, en.body_fields);
    assert_eq!(zh.responses.len(), en.responses.len());
    for (a, b) in zh.responses.iter().zip(&en.responses) {
        assert_eq!(a, b, "response {}", a.status.value);
    }
    assert_eq!(zh.request_examples, en.request_examples);
    assert_eq!(zh.response_examples, en.response_examples);
    assert_eq!(zh.status_codes, en.status_codes);
    assert_eq!(zh, en);
}
