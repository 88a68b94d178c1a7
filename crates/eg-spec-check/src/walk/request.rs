//! The request side of the walk: its parameters, its body.

use serde_json::Value;

use super::{Walk, key_of};
use crate::Status;
use crate::fact::{Docs, Fact, Kind, PRESENT};
use crate::probes::Site;
use crate::spec::join;

impl<'a> Walk<'a> {
    pub(super) fn parameters(&mut self, path_at: &str, op_at: &str) {
        // (location, key, pointer, resolved parameter); operation-level
        // parameters override path-level ones of the same name.
        let mut params: Vec<(String, String, String, &'a Value)> = Vec::new();
        for base in [path_at, op_at] {
            let list_at = join(base, "parameters");
            let n = self
                .spec
                .get(&list_at)
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            for i in 0..n {
                let line = self.page.endpoint.line;
                let Some((at, p)) = self.resolve(&join(&list_at, &i.to_string()), line) else {
                    continue;
                };
                let loc = p.get("in").and_then(Value::as_str).unwrap_or_default();
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let key = key_of(loc, name);
                params.retain(|(l, k, ..)| !(l == loc && *k == key));
                params.push((loc.to_owned(), key, at, p));
            }
        }
        let page = self.page;
        let groups = [
            ("path", &page.path_params, Site::Path),
            ("query", &page.query_params, Site::Query),
            ("header", &page.header_params, Site::Header),
        ];
        let list_at = join(op_at, "parameters");
        for (loc, fields, site) in groups {
            for f in fields {
                let key = key_of(loc, &f.name);
                let i = params.iter().position(|(l, k, ..)| l == loc && *k == key);
                let found = i.map(|i| params.remove(i));
                let at = found.as_ref().map_or(list_at.as_str(), |p| p.2.as_str());
                self.add(Fact {
                    key: format!("{loc} {key}"),
                    subject: format!("{loc} parameter {}", f.name),
                    spec: found.as_ref().map(|_| PRESENT.to_owned()),
                    docs: Docs::Says(PRESENT.to_owned()),
                    line: f.line,
                    ..self.base(at, "parameter", Kind::Presence)
                });
                match found {
                    Some((_, _, at, p)) => {
                        self.declared(f, &at, p, &format!("{loc} parameter"), site, true);
                    }
                    None => self.enforce(site, f, &list_at),
                }
            }
        }
        for (loc, key, at, p) in params {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let first = groups.iter().find(|g| g.0 == loc).and_then(|g| g.1.first());
            let line = first.map_or(page.endpoint.line, |f| self.table_line(&f.table));
            self.add(Fact {
                key: format!("{loc} {key}"),
                subject: format!("{loc} parameter {name}"),
                spec: Some(PRESENT.to_owned()),
                line,
                ..self.base(&at, "parameter", Kind::Presence)
            });
        }
    }

    pub(super) fn request_body(&mut self, op_at: &str) {
        let page = self.page;
        let first = page.body_fields.first();
        let line = first.map_or(page.endpoint.line, |f| self.table_line(&f.table));
        let body_at = join(op_at, "requestBody");
        let absent = self.spec.get(&body_at).is_none();
        let body = self.resolve(&body_at, line);
        match (first, &body) {
            (Some(first), None) if absent => {
                let msg = format!(
                    "requestBody is missing, {} documents {}",
                    self.place(line),
                    first.table
                );
                self.finding(Status::Fail, op_at, "requestBody", line, msg);
            }
            (Some(_), Some((at, _))) => {
                let schema_at = join(&join(&join(at, "content"), "application/json"), "schema");
                self.tables(&page.body_fields, schema_at, Site::RequestBody, true);
            }
            _ => {}
        }
        if let Some((at, _)) = body {
            let media = join(&join(&at, "content"), "application/json");
            let example = page.request_examples.first().map(|e| (e.line, &e.json));
            self.example(&media, example, line);
        }
    }
}
