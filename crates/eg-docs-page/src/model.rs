//! The parsed model as `cargo xtask docs-page` prints it: what the parser
//! read from a page, not a verdict. JSON shape `format: 1` (see the
//! README), or text for a reader.

use serde_json::{Value, json};

use crate::{DocsPage, Field, Mandatory};

/// The version of the JSON shape of [`model_json`].
pub const MODEL_FORMAT: u32 = 1;

fn field(f: &Field, place: &str) -> Value {
    let mandatory = match f.mandatory.value {
        Mandatory::Yes => Value::Bool(true),
        Mandatory::No => Value::Bool(false),
        Mandatory::NotStated => Value::Null,
    };
    // An empty list is "not stated", never "no values".
    let enum_values = (!f.enum_values.is_empty()).then(|| {
        f.enum_values
            .iter()
            .map(|v| v.value.clone())
            .collect::<Vec<_>>()
    });
    json!({
        "name": f.name,
        "in": place,
        "mandatory": mandatory,
        "type": f.type_name.value,
        "min_length": f.min_length.as_ref().map(|l| l.value),
        "max_length": f.max_length.as_ref().map(|l| l.value),
        "minimum": f.minimum.as_ref().map(|l| l.value.clone()),
        "maximum": f.maximum.as_ref().map(|l| l.value.clone()),
        "default": f.default.as_ref().map(|l| l.value.clone()),
        "enum": enum_values,
        "description": f.description.value,
        "notes": f.notes.iter().map(|n| n.value.clone()).collect::<Vec<_>>(),
        "table": f.table,
        "line": f.line,
    })
}

/// Every status the page names (response sections, examples, the
/// status-code table), in numeric order.
fn statuses(page: &DocsPage) -> Vec<u16> {
    let mut all: Vec<u16> = page
        .responses
        .iter()
        .map(|r| r.status.value)
        .chain(page.response_examples.iter().filter_map(|e| e.status))
        .chain(page.status_codes.iter().map(|s| s.status.value))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// One page as a JSON object of the `format: 1` shape:
///
/// ```
/// let page = eg_docs_page::parse("URI\n\nGET /v1/items\n\n更新时间:2025-12-18 GMT+08:00")?;
/// let v = eg_docs_page::model_json("page.txt", &page);
/// assert_eq!(v["operation"], serde_json::json!({"method": "GET", "path": "/v1/items", "line": 3}));
/// assert_eq!(v["edition"], serde_json::Value::Null);
/// # Ok::<(), eg_docs_page::ParseError>(())
/// ```
pub fn model_json(file: &str, page: &DocsPage) -> Value {
    let mut parameters = Vec::new();
    for (place, fields) in [
        ("path", &page.path_params),
        ("query", &page.query_params),
        ("header", &page.header_params),
        ("body", &page.body_fields),
    ] {
        parameters.extend(fields.iter().map(|f| field(f, place)));
    }
    let responses: Vec<Value> = statuses(page)
        .into_iter()
        .map(|s| {
            let doc = page.responses.iter().find(|r| r.status.value == s);
            let row = page.status_codes.iter().find(|r| r.status.value == s);
            let fields = |f: fn(&crate::ResponseDoc) -> &Vec<Field>, place| {
                doc.map(|d| f(d).iter().map(|x| field(x, place)).collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            json!({
                "status": s,
                "description": row.map(|r| r.description.value.clone()),
                "headers": fields(|d| &d.header_fields, "header"),
                "body": fields(|d| &d.body_fields, "body"),
                "examples": page.response_examples.iter().filter(|e| e.status == Some(s))
                    .map(|e| json!({"json": e.json, "line": e.line})).collect::<Vec<_>>(),
                "line": doc.map(|d| d.status.line).or(row.map(|r| r.status.line)),
            })
        })
        .collect();
    json!({
        "file": file,
        "language": page.language.code(),
        "edition": page.edition.as_ref().map(|e| e.value.clone()),
        "title": page.title.as_ref().map(|t| t.value.clone()),
        "operation": {
            "method": page.endpoint.value.method,
            "path": page.endpoint.value.path,
            "line": page.endpoint.line,
        },
        "parameters": parameters,
        "responses": responses,
        "request_examples": page.request_examples.iter()
            .map(|e| json!({"json": e.json, "line": e.line})).collect::<Vec<_>>(),
        "errors_delegated": page.delegates_errors(),
        "unread": page.unread,
    })
}

fn field_text(out: &mut String, indent: &str, place: &str, f: &Field) {
    let mut facts = vec![f.type_name.value.clone()];
    facts.push(
        match f.mandatory.value {
            Mandatory::Yes => "mandatory",
            Mandatory::No => "optional",
            Mandatory::NotStated => "mandatory not stated",
        }
        .to_owned(),
    );
    let min = f.min_length.as_ref().map(|l| l.value.to_string());
    let max = f.max_length.as_ref().map(|l| l.value.to_string());
    if min.is_some() || max.is_some() {
        let show = |v: Option<String>| v.unwrap_or_else(|| "?".into());
        facts.push(format!("length {}..{}", show(min), show(max)));
    }
    if let Some(d) = &f.default {
        facts.push(format!("default {}", d.value));
    }
    if !f.enum_values.is_empty() {
        let values: Vec<&str> = f.enum_values.iter().map(|v| v.value.as_str()).collect();
        facts.push(format!("enum {}", values.join("|")));
    }
    out.push_str(&format!(
        "{indent}{place} {}: {}, {:?} (line {})\n",
        f.name,
        facts.join(", "),
        f.description.value,
        f.line
    ));
}

/// One page as text, one fact per line, for a reader.
pub fn model_text(file: &str, page: &DocsPage) -> String {
    let mut out = format!(
        "{file} [{}] edition {}\n",
        page.language.code(),
        page.edition
            .as_ref()
            .map_or("not stated", |e| e.value.as_str())
    );
    let ep = &page.endpoint;
    out.push_str(&format!(
        "operation {} {} (line {})\n",
        ep.value.method, ep.value.path, ep.line
    ));
    for (place, fields) in [
        ("path", &page.path_params),
        ("query", &page.query_params),
        ("header", &page.header_params),
        ("body", &page.body_fields),
    ] {
        for f in fields {
            field_text(&mut out, "", place, f);
        }
    }
    for e in &page.request_examples {
        out.push_str(&format!("request example (line {}): {}\n", e.line, e.json));
    }
    for s in statuses(page) {
        let row = page.status_codes.iter().find(|r| r.status.value == s);
        let desc = row.map_or(String::new(), |r| format!(" {:?}", r.description.value));
        out.push_str(&format!("response {s}{desc}\n"));
        if let Some(d) = page.responses.iter().find(|r| r.status.value == s) {
            d.header_fields
                .iter()
                .for_each(|f| field_text(&mut out, "  ", "header", f));
            d.body_fields
                .iter()
                .for_each(|f| field_text(&mut out, "  ", "body", f));
        }
        for e in page
            .response_examples
            .iter()
            .filter(|e| e.status == Some(s))
        {
            out.push_str(&format!("  example (line {}): {}\n", e.line, e.json));
        }
    }
    if page.delegates_errors() {
        out.push_str("errors: see the shared error-code page\n");
    }
    for u in &page.unread {
        out.push_str(&format!("unread line {}: {}\n", u.line, u.reason));
    }
    out
}
