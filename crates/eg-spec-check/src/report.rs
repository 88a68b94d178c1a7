//! The report: findings in order, with their counts, as text or JSON.

use serde::Serialize;

use crate::{Finding, OperationRef, PageRef, Status};

/// How many findings have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// All findings.
    pub checked: usize,
    /// [`Status::Ok`].
    pub passed: usize,
    /// [`Status::Fail`].
    pub failed: usize,
    /// [`Status::Conflict`].
    pub conflicts: usize,
    /// [`Status::Page`]: the page contradicts itself.
    pub page_defects: usize,
    /// [`Status::Accepted`].
    pub accepted: usize,
    /// [`Status::NotCheckable`].
    pub not_checkable: usize,
    /// [`Status::NotStated`].
    pub not_stated: usize,
}

/// The result of comparing the pages with a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The pages, in the order given.
    pub pages: Vec<PageRef>,
    /// The spec, as named in messages.
    pub spec: String,
    /// The spec's operations in document order, each with its pages.
    pub operations: Vec<OperationRef>,
    /// Grouped by operation, in the order of [`Report::operations`], then
    /// the findings of no operation; within a group failures first, then
    /// conflicts, page defects, accepted, not checkable, not stated and
    /// ok, walk order within each.
    pub findings: Vec<Finding>,
}

/// The version of the JSON shape; see the crate docs.
pub const FORMAT: u32 = 4;

impl Report {
    /// Findings per status.
    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            checked: self.findings.len(),
            ..Counts::default()
        };
        for f in &self.findings {
            *match f.status {
                Status::Fail => &mut c.failed,
                Status::Conflict => &mut c.conflicts,
                Status::Page => &mut c.page_defects,
                Status::Accepted => &mut c.accepted,
                Status::NotCheckable => &mut c.not_checkable,
                Status::NotStated => &mut c.not_stated,
                Status::Ok => &mut c.passed,
            } += 1;
        }
        c
    }

    /// True when nothing failed and no pages conflict.
    pub fn agrees(&self) -> bool {
        let c = self.counts();
        c.failed == 0 && c.conflicts == 0
    }

    /// The closing line of the text report.
    pub fn summary(&self) -> String {
        let c = self.counts();
        format!(
            "checked {}, passed {}, failed {}, conflicts {}, accepted {}, not checkable {}, not stated {}, page defects {}",
            c.checked,
            c.passed,
            c.failed,
            c.conflicts,
            c.accepted,
            c.not_checkable,
            c.not_stated,
            c.page_defects
        )
    }

    /// The findings by operation, in report order: each operation's (with
    /// the operation), then those of no operation (with `None`); a group
    /// without findings is left out.
    pub fn groups(&self) -> Vec<(Option<&OperationRef>, &[Finding])> {
        let mut out = Vec::new();
        let mut rest = self.findings.as_slice();
        while let Some(first) = rest.first() {
            let n = rest
                .iter()
                .position(|f| f.operation != first.operation)
                .unwrap_or(rest.len());
            let (group, tail) = rest.split_at(n);
            let op = first
                .operation
                .as_ref()
                .and_then(|id| self.operations.iter().find(|o| o.id == *id));
            out.push((op, group));
            rest = tail;
        }
        out
    }

    /// The header of the text report: one `page FILE [LANG] edition DATE`
    /// line per page, saying which edition supersedes an older one.
    pub fn header(&self) -> String {
        let mut out = String::new();
        for p in &self.pages {
            let edition = p.edition.as_deref().unwrap_or("not stated");
            // Editions are pages of one operation.
            let op = self.operations.iter().find(|o| o.pages.contains(&p.file));
            let newer = self.pages.iter().find(|q| {
                q.current
                    && q.language == p.language
                    && q.edition > p.edition
                    && !p.current
                    && op.is_some_and(|o| o.pages.contains(&q.file))
            });
            let tail = match newer {
                Some(q) => format!(
                    ", superseded by {} (edition {})",
                    q.file,
                    q.edition.as_deref().unwrap_or("not stated")
                ),
                None => String::new(),
            };
            out.push_str(&format!(
                "page {} [{}] edition {edition}{tail}\n",
                one_line(&p.file),
                p.language.code()
            ));
        }
        out
    }

    /// The text report: the header, then per group of
    /// [`Report::groups`] an `operation ID (METHOD PATH)` line (`no
    /// operation` for the last) and one line per finding, then the summary
    /// line.
    pub fn text(&self) -> String {
        let mut out = self.header();
        for (op, findings) in self.groups() {
            let title = match op {
                Some(op) => format!("operation {}\n", one_line(&op.label())),
                None => "no operation\n".to_owned(),
            };
            out.push_str(&title);
            for f in findings {
                let line = format!(
                    "{} {}#{} {}\n",
                    f.status.word(),
                    self.spec,
                    one_line(&f.pointer),
                    one_line(&f.message)
                );
                out.push_str(&line);
            }
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    /// The JSON report described in the crate docs, pretty-printed.
    pub fn json(&self) -> String {
        /// Fields in the documented order.
        #[derive(Serialize)]
        struct Doc<'a> {
            format: u32,
            docs: &'a [PageRef],
            spec: &'a str,
            operations: &'a [OperationRef],
            counts: Counts,
            findings: &'a [Finding],
        }
        let doc = Doc {
            format: FORMAT,
            docs: &self.pages,
            spec: &self.spec,
            operations: &self.operations,
            counts: self.counts(),
            findings: &self.findings,
        };
        // Plain structs of strings and numbers always serialize.
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

/// Escapes control characters (a spec value may hold a line break), so that
/// each finding stays one line of the text report.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}
