//! What `eg streaming start|pause` prints: one outcome per id, as a table,
//! one JSON document, or JSON lines; each written as soon as it can be, so
//! that memory does not grow with the number of ids.
//!
//! `table` and `json` list the ids in input order; `jsonl` writes each
//! result as it finishes (in completion order; each line names its `id`).
//!
//! # JSON shape (stable)
//!
//! `--output json` prints one document:
//!
//! ```json
//! {
//!   "operation": "START",
//!   "results": [
//!     {"id": "s1", "ok": true, "status": 200, "request_id": "…",
//!      "event_streaming_id": "s1", "attempts": 1, "error": null},
//!     {"id": "s2", "ok": false, "status": 404, "request_id": "…",
//!      "event_streaming_id": null, "attempts": 1,
//!      "error": {"kind": "api", "code": "EG.00014040",
//!                "message": "Not request resource found", "retryable": false,
//!                "details": "event streaming 's2' not found in project 'p'"}}
//!   ],
//!   "summary": {"total": 2, "succeeded": 1, "failed": 1, "not_sent": 0}
//! }
//! ```
//!
//! `--output jsonl` prints the same result objects, one per line, and no
//! summary. Every result object has every key; absent values are `null`.
//! `failed` counts every id that did not succeed, `not_sent` those of them
//! that the run never sent (it stopped first, see `not_sent` below).
//!
//! JSON keeps the server's text as sent (escaped by JSON). The table shows
//! each id escaped ([`eg_cli::ids::escape_id`]: a byte-order mark is
//! `\u{feff}`, a carriage return `\r`), so that a row never shows an id
//! other than the one sent; it turns control characters and line breaks of
//! the other cells into one line and shortens long messages, so that one id
//! is one row and nothing reaches the terminal as an escape sequence.
//!
//! | key | type | meaning |
//! |---|---|---|
//! | `id` | string | the event streaming id as given |
//! | `ok` | bool | the service accepted the operation |
//! | `status` | number or null | HTTP status; null when no response came |
//! | `request_id` | string or null | `X-Request-Id`, for Huawei support |
//! | `event_streaming_id` | string or null | the id the service echoed on success |
//! | `attempts` | number or null | requests sent (0: refused or not sent; null: unknown) |
//! | `error` | object or null | null exactly when `ok` is true |
//! | `error.kind` | string | `api` (error status), `transport` (no response: connect, timeout), `invalid_argument` (refused before sending), `invalid_response` (success status, unreadable body), `response_too_large` (a body over the client's 1 MiB cap), `signing`, `config`, `not_sent` (the run stopped before sending it: after an authentication failure, a signal, or when stdout could not be written; the message names the cause and its request id), `interrupted` (sent, but still unanswered `--timeout` after a SIGINT or SIGTERM; it may have reached the server), `other` |
//! | `error.code` | string or null | EG error code, e.g. `EG.00014040` |
//! | `error.message` | string | the service's `error_msg`, else a description |
//! | `error.retryable` | bool | sending again may succeed (429, 5xx but 501, connection errors; false for `not_sent`: fix the cause first) |
//! | `error.details` | string or null | the service's `error_details` |
//!
//! New keys may be added; existing keys keep their meaning and type.

mod outcome;
mod summary;
mod table;

use std::io;

use serde::Serialize;

pub use outcome::Outcome;
pub use summary::Summary;
pub use table::one_line;

use eg_cli::args::Format;
use table::{HEADER, table_row, write_row};

/// Writes a run's results as they come, in the chosen format.
pub struct Writer {
    format: Format,
    /// Results written so far.
    written: usize,
}

impl Writer {
    /// Writes what comes before the first result (the table's header, the
    /// start of the JSON document).
    pub fn begin(format: Format, out: &mut impl io::Write, operation: &str) -> io::Result<Self> {
        match format {
            Format::Table => write_row(out, &HEADER.map(str::to_owned))?,
            Format::Json => {
                let operation = serde_json::to_string(operation)?;
                write!(out, "{{\n  \"operation\": {operation},\n  \"results\": [")?;
            }
            Format::Jsonl => {}
        }
        Ok(Self { format, written: 0 })
    }

    /// Writes one result.
    pub fn result(&mut self, out: &mut impl io::Write, outcome: &Outcome) -> io::Result<()> {
        match self.format {
            Format::Table => write_row(out, &table_row(outcome))?,
            Format::Json => {
                out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
                write_indented(out, outcome, "    ")?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut *out, outcome)?;
                writeln!(out)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Writes what comes after the last result (the JSON summary).
    pub fn end(self, out: &mut impl io::Write, summary: &Summary) -> io::Result<()> {
        if self.format == Format::Json {
            out.write_all(if self.written == 0 { b"]" } else { b"\n  ]" })?;
            out.write_all(b",\n  \"summary\": ")?;
            let mut text = Vec::new();
            write_indented(&mut text, summary, "  ")?;
            out.write_all(text.trim_ascii_start())?;
            out.write_all(b"\n}\n")?;
        }
        Ok(())
    }
}

/// `value` as pretty JSON, each line indented by `indent`.
fn write_indented(
    out: &mut impl io::Write,
    value: &impl Serialize,
    indent: &str,
) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(indent.as_bytes())?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use outcome::sample as outcome;

    fn written(format: Format, outcomes: &[Outcome]) -> String {
        let mut out = Vec::new();
        let mut writer = Writer::begin(format, &mut out, "START").expect("to a Vec");
        let mut summary = Summary::default();
        for o in outcomes {
            writer.result(&mut out, o).expect("to a Vec");
            summary.add(o);
        }
        writer.end(&mut out, &summary).expect("to a Vec");
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn table_has_fixed_columns_and_no_trailing_spaces() {
        let long = "x".repeat(40);
        assert_eq!(
            written(
                Format::Table,
                &[
                    outcome("a", true),
                    outcome(&long, false),
                    outcome("\u{feff}s1\rs2", true)
                ]
            ),
            format!(
                "ID                                    RESULT  STATUS  REQUEST ID                        ERROR\n\
                 a                                     ok      200     r-1                               -\n\
                 {long}  failed  -       -                                 connect error\n\
                 \\u{{feff}}s1\\rs2                        ok      200     r-1                               -\n"
            )
        );
    }

    #[test]
    fn json_is_one_document_in_the_documented_shape() {
        let text = written(Format::Json, &[outcome("a", true), outcome("b", false)]);
        let report: serde_json::Value = serde_json::from_str(&text).expect("one JSON document");
        assert_eq!(
            report,
            serde_json::json!({
                "operation": "START",
                "results": [
                    {"id": "a", "ok": true, "status": 200, "request_id": "r-1",
                     "event_streaming_id": "a", "attempts": 1, "error": null},
                    {"id": "b", "ok": false, "status": null, "request_id": null,
                     "event_streaming_id": null, "attempts": 1,
                     "error": {"kind": "transport", "code": null, "message": "connect error",
                               "retryable": true, "details": null}}
                ],
                "summary": {"total": 2, "succeeded": 1, "failed": 1, "not_sent": 0}
            })
        );
        assert!(
            text.starts_with(
                "{\n  \"operation\": \"START\",\n  \"results\": [\n    {\n      \"id\": \"a\",\n"
            ),
            "{text}"
        );
        assert!(text.ends_with("\n  ],\n  \"summary\": {\n    \"total\": 2,\n    \"succeeded\": 1,\n    \"failed\": 1,\n    \"not_sent\": 0\n  }\n}\n"), "{text}");
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        assert_eq!(
            written(Format::Jsonl, &[outcome("a", true)]),
            "{\"id\":\"a\",\"ok\":true,\"status\":200,\"request_id\":\"r-1\",\
             \"event_streaming_id\":\"a\",\"attempts\":1,\"error\":null}\n"
        );
    }
}
