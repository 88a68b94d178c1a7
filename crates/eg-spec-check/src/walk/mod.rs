//! The walk over one page against the spec: every fact the page states
//! (or leaves unsaid where the spec holds one) becomes a [`Fact`]; what
//! cannot be a fact (a `$ref` that does not resolve, a table no row leads
//! to, the generated types' behaviour) becomes a [`Finding`] at once.
//! The request side is in `request`, the response side in `responses`.

use std::collections::HashMap;

use eg_docs_page::{DocsPage, Language};
use serde_json::Value;

use crate::fact::{Docs, Fact, Kind, Scope};
use crate::operations::OperationRef;
use crate::spec::{RefError, Spec, canonical, join, text};
use crate::{Finding, PageRef, Status};

mod request;
mod responses;
mod row;
mod tables;

/// How a parameter is matched: header names are case-insensitive in HTTP.
fn key_of(loc: &str, name: &str) -> String {
    match loc {
        "header" => name.to_ascii_lowercase(),
        _ => name.to_owned(),
    }
}

/// The facts and findings of one page.
pub(crate) struct Walk<'a> {
    page: &'a DocsPage,
    pref: &'a PageRef,
    idx: usize,
    spec: &'a Spec<'a>,
    pub facts: Vec<Fact>,
    pub found: Vec<Finding>,
    /// The line of each table title, first occurrence.
    table_lines: HashMap<&'a str, usize>,
    /// Rows visited while following tables; kept linear in the rows.
    pub steps: usize,
}

impl<'a> Walk<'a> {
    /// Walks page number `idx` of the run, which documents `op`, against
    /// `spec`.
    pub fn run(
        page: &'a DocsPage,
        pref: &'a PageRef,
        idx: usize,
        spec: &'a Spec<'a>,
        op: &OperationRef,
    ) -> Self {
        let mut table_lines = HashMap::new();
        for t in &page.tables {
            table_lines.entry(t.value.as_str()).or_insert(t.line);
        }
        let mut w = Walk {
            page,
            pref,
            idx,
            spec,
            facts: Vec::new(),
            found: Vec::new(),
            table_lines,
            steps: 0,
        };
        w.operation(op);
        w
    }

    fn place(&self, line: usize) -> String {
        self.pref.place(line)
    }

    fn finding(&mut self, status: Status, at: &str, fact: &str, line: usize, message: String) {
        self.found
            .push(Finding::on_page(status, at, fact, self.pref, line, message));
    }

    /// A fact of this page with nothing filled in but where and what.
    fn base(&self, at: &str, name: &str, kind: Kind) -> Fact {
        Fact {
            at: at.to_owned(),
            name: name.to_owned(),
            key: String::new(),
            subject: name.to_owned(),
            spec: None,
            docs: Docs::Silent,
            line: self.page.endpoint.line,
            page: self.idx,
            scope: Scope::new(),
            kind,
            written: None,
        }
    }

    fn add(&mut self, f: Fact) {
        self.facts.push(f);
    }

    /// Follows `$ref`s; a broken chain fails, naming the page `line` it
    /// leaves unchecked.
    fn resolve(&mut self, at: &str, line: usize) -> Option<(String, &'a Value)> {
        let spec = self.spec;
        match spec.resolve(at) {
            Ok(found) => Some(found),
            Err(RefError::Absent) => None,
            Err(RefError::Dangling { at, target }) => {
                let msg = format!(
                    "$ref {target} does not resolve, so {} cannot be checked",
                    self.place(line)
                );
                self.finding(Status::Fail, &at, "$ref", line, msg);
                None
            }
            Err(RefError::Circular { at }) => {
                let msg = format!(
                    "$ref chain is circular, so {} cannot be checked",
                    self.place(line)
                );
                self.finding(Status::Fail, &at, "$ref", line, msg);
                None
            }
        }
    }

    fn table_line(&self, title: &str) -> usize {
        let t = self.table_lines.get(title).copied();
        t.unwrap_or(self.page.endpoint.line)
    }

    /// The operation the page documents: its path and method, then the
    /// rest of the page.
    fn operation(&mut self, op: &OperationRef) {
        let ep = &self.page.endpoint;
        let path_at = op.path_at();
        let op_at = op.op_at();
        let text_kind = Kind::Text { quote: false };
        self.add(Fact {
            spec: Some(op.path.clone()),
            docs: Docs::Says(ep.value.path.clone()),
            ..self.base(&path_at, "path", text_kind)
        });
        self.add(Fact {
            spec: Some(op.method.clone()),
            docs: Docs::Says(ep.value.method.clone()),
            ..self.base(&op_at, "method", text_kind)
        });
        self.parameters(&path_at, &op_at);
        self.request_body(&op_at);
        self.responses(&op_at);
    }

    /// The spec's example at `media` against the page's, as JSON values.
    fn example(&mut self, media: &str, docs: Option<(usize, &Value)>, silent_line: usize) {
        let at = join(media, "example");
        let spec = self.spec.get(&at).map(canonical);
        if spec.is_none() && docs.is_none() {
            return;
        }
        let (docs, line) = match docs {
            Some((line, v)) => (Docs::Says(canonical(v)), line),
            None => (Docs::Silent, silent_line),
        };
        self.add(Fact {
            spec,
            docs,
            line,
            ..self.base(&at, "example", Kind::Json)
        });
    }
}

/// An element's description in `lang`: `x-descriptions.<lang>`, or for
/// zh-cn, in which the spec is written, `description`.
fn description_of(element: &Value, lang: Language) -> Option<String> {
    element
        .get("x-descriptions")
        .and_then(|d| d.get(lang.code()))
        .or_else(|| {
            element
                .get("description")
                .filter(|_| lang == Language::Chinese)
        })
        .map(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18, defect 9: a page of 80,000 one-row tables took 41 s, the
    /// orphan loop searching every table per orphan. The work is now
    /// counted, and it is linear in the tables.
    #[test]
    fn many_tables_take_linear_work() {
        const T: usize = 80_000;
        let mut page = String::from(
            "URI\n\nPOST /v1/{project_id}/eventstreamings/operate/{eventstreaming_id}\n\n请求参数\n\n",
        );
        for i in 1..=T {
            page.push_str(&format!(
                "表{i} 请求Body参数\n\n参数\n\n参数类型\n\n描述\n\nf{i}\n\nString\n\n字段\n\n"
            ));
        }
        let doc = eg_docs_page::parse(&page).expect("parses");
        assert_eq!(doc.body_fields.len(), T);
        // The crate's own minimal spec: the operate operation, a body.
        let text = "openapi: 3.0.3\ninfo: { title: t, version: \"1\" }\npaths:\n  \
            /v1/{project_id}/eventstreamings/operate/{eventstreaming_id}:\n    post:\n      \
            requestBody:\n        content:\n          application/json:\n            \
            schema: { type: object, properties: { operation: { type: string } } }\n      \
            responses:\n        \"200\": { description: ok }\n";
        let parsed = crate::parse::parse_spec("eg.yaml", text).expect("spec");
        let spec = Spec { root: &parsed.json };
        let ops = crate::operations::list(&parsed.json, &parsed.paths);
        let pref = PageRef {
            file: "page.txt".into(),
            language: doc.language,
            edition: None,
            current: true,
        };
        let w = Walk::run(&doc, &pref, 0, &spec, &ops[0]);
        let orphans = w.found.iter().filter(|f| f.fact == "table").count();
        assert_eq!(orphans, T - 1);
        // The first table's row, compared and then followed for nested
        // tables; then each table once, looking for orphans.
        assert_eq!(w.steps, 2 + T);
    }
}
