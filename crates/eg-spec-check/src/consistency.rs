//! The page against itself: each example (request, success, errors) held
//! to the fields its tables list, with the enum values they give.
//! A mismatch is a defect of the page (`PAGE`), not of the spec: a Kafka
//! page's example says `allFailure` where its table says `all_failure`.

use std::collections::HashMap;

use eg_docs_page::{DocsPage, Example, Field};
use serde_json::Value;

use crate::{Finding, OtherLine, PageRef, Status};

/// Nested objects followed into an example, at most.
const MAX_DEPTH: usize = 32;

/// The rows of one side of the page, by table, with the table an object
/// type names (`Tag object` → `表5 Tag`).
struct Rows<'f> {
    first: Option<&'f str>,
    by_table: HashMap<&'f str, Vec<&'f Field>>,
    by_name: HashMap<&'f str, &'f str>,
}

impl<'f> Rows<'f> {
    fn new(fields: &'f [Field]) -> Self {
        let mut r = Rows {
            first: fields.first().map(|f| f.table.as_str()),
            by_table: HashMap::new(),
            by_name: HashMap::new(),
        };
        for f in fields {
            r.by_table.entry(f.table.as_str()).or_default().push(f);
            if let Some(name) = f.table.split_whitespace().nth(1) {
                r.by_name.entry(name).or_insert(f.table.as_str());
            }
        }
        r
    }
}

struct Check<'a> {
    page: &'a PageRef,
    found: Vec<Finding>,
}

impl Check<'_> {
    fn defect(&mut self, line: usize, other: usize, message: String) {
        let mut f = Finding::on_page(Status::Page, "", "example", self.page, line, message);
        f.other = Some(OtherLine {
            file: self.page.file.clone(),
            language: self.page.language,
            line: other,
        });
        self.found.push(f);
    }

    /// The object `v` of example `ex` against the rows of `table`.
    fn object(&mut self, ex: &Example, rows: &Rows<'_>, table: &str, v: &Value, depth: usize) {
        let (Some(map), Some(fields)) = (v.as_object(), rows.by_table.get(table)) else {
            return;
        };
        let table_line = fields.first().map_or(ex.line, |f| f.line);
        for (key, value) in map {
            let place = self.page.place(ex.line);
            let Some(f) = fields.iter().find(|f| f.name == *key) else {
                let msg = format!(
                    "the page contradicts itself: its example at {place} uses field {key:?}, which {table} ({}) does not list",
                    self.page.place(table_line)
                );
                self.defect(ex.line, table_line, msg);
                continue;
            };
            let values: Vec<&str> = f.enum_values.iter().map(|e| e.value.as_str()).collect();
            if let Some(s) = value.as_str()
                && !values.is_empty()
                && !values.contains(&s)
            {
                let msg = format!(
                    "the page contradicts itself: its example at {place} gives {key} {s:?}, {} lists only {}",
                    self.page.place(f.line),
                    values.join(", ")
                );
                self.defect(ex.line, f.line, msg);
            }
            let child = f.ty.table_name().and_then(|n| rows.by_name.get(n));
            if let Some(&child) = child.filter(|_| depth < MAX_DEPTH) {
                let items = value
                    .as_array()
                    .map_or_else(|| vec![value], |a| a.iter().collect());
                for item in items {
                    self.object(ex, rows, child, item, depth + 1);
                }
            }
        }
    }

    fn example(&mut self, ex: &Example, fields: &[Field]) {
        let rows = Rows::new(fields);
        if let Some(first) = rows.first {
            self.object(ex, &rows, first, &ex.json, 0);
        }
    }
}

/// The `PAGE` findings of one page.
pub(crate) fn check(page: &DocsPage, pref: &PageRef) -> Vec<Finding> {
    let mut c = Check {
        page: pref,
        found: Vec::new(),
    };
    for ex in &page.request_examples {
        c.example(ex, &page.body_fields);
    }
    for ex in &page.response_examples {
        let doc = page
            .responses
            .iter()
            .find(|r| Some(r.status.value) == ex.status);
        if let Some(doc) = doc {
            c.example(ex, &doc.body_fields);
        }
    }
    c.found
}
