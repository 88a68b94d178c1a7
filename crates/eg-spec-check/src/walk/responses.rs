//! The response side of the walk: statuses, the status-code table,
//! response headers.

use eg_docs_page::Field;
use serde_json::Value;

use super::{Walk, description_of};
use crate::fact::{ABSENT, Docs, Fact, Kind, PRESENT};
use crate::probes::Site;
use crate::spec::join;
use crate::{Finding, Status};

impl Walk<'_> {
    /// Every status the page or the spec names: presence, description in
    /// the page's language, headers, body tables and example.
    pub(super) fn responses(&mut self, op_at: &str) {
        let page = self.page;
        let resp_at = join(op_at, "responses");
        let delegates = page.delegates_errors();
        let silent_on = |s: u16| delegates && !(200..300).contains(&s);
        let see_also = page
            .errors_see_also
            .as_ref()
            .map_or(page.endpoint.line, |l| l.line);
        let table_line = page
            .status_codes
            .first()
            .map_or(page.endpoint.line, |s| s.status.line);
        // Every status the page mentions, with the line that first does.
        let mut statuses: Vec<(u16, Option<usize>)> = Vec::new();
        let mentions = page
            .status_codes
            .iter()
            .map(|s| (s.status.value, s.status.line))
            .chain(
                page.responses
                    .iter()
                    .map(|r| (r.status.value, r.status.line)),
            )
            .chain(
                page.response_examples
                    .iter()
                    .filter_map(|e| e.status.map(|s| (s, e.line))),
            );
        for (s, line) in mentions {
            match statuses.iter_mut().find(|(t, _)| *t == s) {
                Some((_, Some(first))) => *first = line.min(*first),
                _ => statuses.push((s, Some(line))),
            }
        }
        let spec_statuses = self.spec.keys(&resp_at);
        for k in &spec_statuses {
            if let Ok(s) = k.parse::<u16>()
                && !statuses.iter().any(|(t, _)| *t == s)
            {
                statuses.push((s, None));
            }
        }
        for (status, first_line) in statuses {
            let key = status.to_string();
            let in_spec = spec_statuses.iter().any(|k| **k == key);
            let (docs, line) = match first_line {
                Some(l) => (Docs::Says(PRESENT.to_owned()), l),
                None if silent_on(status) => (Docs::Silent, see_also),
                None => (Docs::Says(ABSENT.to_owned()), table_line),
            };
            let r_at = join(&resp_at, &key);
            self.add(Fact {
                key: key.clone(),
                subject: format!("response {status}"),
                spec: in_spec.then(|| PRESENT.to_owned()),
                docs,
                line,
                ..self.base(
                    if in_spec { &r_at } else { &resp_at },
                    "response",
                    Kind::Presence,
                )
            });
            let site = if (200..300).contains(&status) {
                Site::SuccessBody
            } else {
                Site::ErrorBody
            };
            let doc = page.responses.iter().find(|r| r.status.value == status);
            if !in_spec {
                for f in doc.iter().flat_map(|d| &d.body_fields) {
                    self.enforce(site, f, &resp_at);
                }
                continue;
            }
            if first_line.is_none() && !silent_on(status) {
                continue;
            }
            let here = first_line.unwrap_or(see_also);
            let Some((r_at, r)) = self.resolve(&r_at, here) else {
                continue;
            };
            let lang = page.language;
            let spec_desc = description_of(r, lang);
            let (docs, line) = match page.status_codes.iter().find(|s| s.status.value == status) {
                Some(row) => (
                    Docs::Says(row.description.value.clone()),
                    row.description.line,
                ),
                None => (Docs::Silent, here),
            };
            self.add(Fact {
                key: lang.code().to_owned(),
                subject: format!("description ({})", lang.code()),
                spec: spec_desc,
                docs,
                line,
                ..self.base(&r_at, "description", Kind::Text { quote: true })
            });
            let media_at = join(&join(&r_at, "content"), "application/json");
            if let Some(doc) = doc {
                self.headers(&r_at, r, &doc.header_fields, doc.status.line);
                if !doc.body_fields.is_empty() {
                    self.tables(&doc.body_fields, join(&media_at, "schema"), site, false);
                }
            }
            let example = page
                .response_examples
                .iter()
                .find(|e| e.status == Some(status))
                .map(|e| (e.line, &e.json));
            self.example(&media_at, example, here);
        }
        self.status_table(&resp_at, &spec_statuses, delegates);
    }

    /// The status-code table as a fact of its own (only its success
    /// statuses when the page delegates its errors), and the page against
    /// itself: every status with a response section must be in its table.
    fn status_table(&mut self, resp_at: &str, spec_statuses: &[&String], delegates: bool) {
        let page = self.page;
        let keep = |s: &u16| !delegates || (200..300).contains(s);
        let list = |mut v: Vec<u16>| {
            v.sort_unstable();
            v.dedup();
            v.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
        };
        let spec: Vec<u16> = spec_statuses
            .iter()
            .filter_map(|k| k.parse().ok())
            .filter(keep)
            .collect();
        let table: Vec<u16> = page
            .status_codes
            .iter()
            .map(|s| s.status.value)
            .filter(keep)
            .collect();
        let line = page
            .status_codes
            .first()
            .map_or(page.endpoint.line, |s| s.status.line);
        let (name, subject) = if delegates {
            (
                "success status codes",
                "the set of success statuses in the status-code table",
            )
        } else {
            (
                "status codes",
                "the set of statuses in the status-code table",
            )
        };
        self.add(Fact {
            subject: subject.to_owned(),
            spec: (!spec.is_empty()).then(|| list(spec)),
            docs: if page.status_codes.is_empty() {
                Docs::Silent
            } else {
                Docs::Says(list(table))
            },
            line,
            ..self.base(resp_at, name, Kind::Text { quote: false })
        });
        if page.status_codes.is_empty() {
            return;
        }
        for r in &page.responses {
            let s = r.status.value;
            if page.status_codes.iter().any(|c| c.status.value == s) {
                continue;
            }
            let msg = format!(
                "response {s}: the page contradicts itself: {} documents it, its status-code table ({}) does not list it",
                self.place(r.status.line),
                self.place(line)
            );
            let mut f = Finding::on_page(
                Status::Fail,
                resp_at,
                "status codes",
                self.pref,
                r.status.line,
                msg,
            );
            f.other = Some(crate::OtherLine {
                file: self.pref.file.clone(),
                language: self.pref.language,
                line,
            });
            self.found.push(f);
        }
    }

    fn headers(&mut self, r_at: &str, r: &Value, fields: &[Field], heading: usize) {
        let headers_at = join(r_at, "headers");
        let mut names: Vec<&String> = r
            .get("headers")
            .and_then(Value::as_object)
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        for f in fields {
            let found = names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(&f.name))
                .map(|i| names.remove(i));
            let h_at = found.map(|n| join(&headers_at, n));
            self.add(Fact {
                key: f.name.to_ascii_lowercase(),
                subject: format!("header {}", f.name),
                spec: found.map(|_| PRESENT.to_owned()),
                docs: Docs::Says(PRESENT.to_owned()),
                line: f.line,
                ..self.base(
                    h_at.as_deref().unwrap_or(&headers_at),
                    "header",
                    Kind::Presence,
                )
            });
            let Some(h_at) = h_at else {
                self.enforce(Site::ResponseHeader, f, &headers_at);
                continue;
            };
            let Some((h_at, h)) = self.resolve(&h_at, f.line) else {
                continue;
            };
            self.declared(f, &h_at, h, "header", Site::ResponseHeader, false);
        }
        let line = fields
            .first()
            .map_or(heading, |f| self.table_line(&f.table));
        for n in names {
            self.add(Fact {
                key: n.to_ascii_lowercase(),
                subject: format!("header {n}"),
                spec: Some(PRESENT.to_owned()),
                line,
                ..self.base(&join(&headers_at, n), "header", Kind::Presence)
            });
        }
    }
}
