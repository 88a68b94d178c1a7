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

use std::{error::Error as _, io, sync::Arc};

use eg_cli::ids::{escape_id, is_format};
use eg_client::{Error, Operated};
use serde::Serialize;

use crate::Format;

/// The outcome of one id.
#[derive(Debug, Serialize)]
pub struct Outcome {
    id: String,
    ok: bool,
    status: Option<u16>,
    request_id: Option<String>,
    event_streaming_id: Option<String>,
    attempts: Option<u32>,
    error: Option<Failure>,
    /// Why the run stopped before sending this id.
    #[serde(skip)]
    not_sent: Option<Arc<str>>,
    /// The answer came from behind the gateway's authentication.
    #[serde(skip)]
    authenticated: bool,
    /// Why the run must stop: this id's authentication failed.
    #[serde(skip)]
    auth_failure: Option<Arc<str>>,
}

/// Why an id failed.
#[derive(Debug, Serialize)]
struct Failure {
    kind: &'static str,
    code: Option<String>,
    message: String,
    retryable: bool,
    details: Option<String>,
}

impl Outcome {
    /// Records what the client returned for `id`: the one place that reads
    /// the client's result.
    pub fn new(id: String, result: Result<Operated, Error>) -> Self {
        match result {
            Ok(done) => Self {
                id,
                ok: true,
                // The client only returns Ok for a 2xx it could read, and
                // the operation documents 200 only.
                status: Some(200),
                request_id: done.request_id().map(str::to_owned),
                attempts: Some(done.attempts()),
                event_streaming_id: done.into_inner().event_streaming_id,
                error: None,
                not_sent: None,
                authenticated: true,
                auth_failure: None,
            },
            Err(error) => Self {
                auth_failure: error
                    .is_auth_failure()
                    .then(|| auth_failure(&id, &error).into()),
                id,
                ok: false,
                status: error.status(),
                request_id: error.request_id().map(str::to_owned),
                event_streaming_id: None,
                attempts: attempts(&error),
                // The gateway answers routing, size and throttling errors
                // before it authenticates: only EG's own codes prove the
                // credentials (and EG's 401 disproves them).
                authenticated: !error.is_auth_failure()
                    && error.code().is_some_and(|c| c.as_str().starts_with("EG.")),
                error: Some(Failure::new(&error)),
                not_sent: None,
            },
        }
    }

    /// An id the run did not send, for `reason` (which names the cause).
    pub fn not_sent(id: String, reason: Arc<str>) -> Self {
        Self {
            id,
            ok: false,
            status: None,
            request_id: None,
            event_streaming_id: None,
            attempts: Some(0),
            error: Some(Failure {
                kind: "not_sent",
                code: None,
                message: format!("not sent: {reason}"),
                retryable: false,
                details: None,
            }),
            not_sent: Some(reason),
            authenticated: false,
            auth_failure: None,
        }
    }

    /// An id sent but abandoned unanswered after a signal: `why` says which
    /// signal and how long the run waited.
    pub fn interrupted(id: String, why: &str) -> Self {
        Self {
            id,
            ok: false,
            status: None,
            request_id: None,
            event_streaming_id: None,
            attempts: None,
            error: Some(Failure {
                kind: "interrupted",
                code: None,
                message: format!("{why}; the request may have reached the server"),
                retryable: true,
                details: None,
            }),
            not_sent: None,
            authenticated: false,
            auth_failure: None,
        }
    }

    /// Why the run stopped before sending this id, if it did.
    pub fn not_sent_reason(&self) -> Option<&str> {
        self.not_sent.as_deref()
    }

    /// Whether the answer proves the credentials: a success, or an error
    /// EG itself answered (the gateway let the request through).
    pub fn authenticated(&self) -> bool {
        self.authenticated
    }

    /// The stop reason when this id's authentication failed (401 from the
    /// gateway or EG, or a locked key): sending more would lock the key.
    pub fn auth_failure(&self) -> Option<&Arc<str>> {
        self.auth_failure.as_ref()
    }
}

/// The stop reason for an authentication failure of `id`.
fn auth_failure(id: &str, error: &Error) -> String {
    let mut text = format!("the run stopped after authentication failed for '{id}':");
    if let Some(status) = error.status() {
        text.push_str(&format!(" HTTP {status}"));
    }
    if let Some(code) = error.code() {
        text.push_str(&format!(" {code}"));
    }
    if let Some(message) = error.message() {
        text.push_str(&format!(": {message}"));
    }
    match error.request_id() {
        Some(request_id) => text.push_str(&format!(" (request id {request_id})")),
        None => text.push_str(" (no request id)"),
    }
    text
}

/// Requests sent: the library's count after a send, 0 for what it refused
/// before sending.
fn attempts(error: &Error) -> Option<u32> {
    error.attempts().or(match error {
        Error::InvalidArgument { .. } | Error::Config(_) | Error::Signing(_) => Some(0),
        _ => None,
    })
}

impl Failure {
    fn new(error: &Error) -> Self {
        let (kind, details) = match error {
            Error::Api { error, .. } => ("api", error.details.clone()),
            Error::Transport { .. } => ("transport", None),
            Error::InvalidArgument { .. } => ("invalid_argument", None),
            Error::InvalidResponse { .. } => ("invalid_response", None),
            Error::ResponseTooLarge { .. } => ("response_too_large", None),
            Error::Signing(_) => ("signing", None),
            Error::Config(_) => ("config", None),
            _ => ("other", None),
        };
        Self {
            kind,
            code: error.code().map(ToString::to_string),
            message: error
                .message()
                .map_or_else(|| with_causes(error), str::to_owned),
            retryable: error.is_retryable(),
            details,
        }
    }

    /// One line for the table: code, message, details.
    fn line(&self) -> String {
        let mut line = self
            .code
            .as_ref()
            .map(|c| format!("{c} "))
            .unwrap_or_default();
        line.push_str(&self.message);
        if let Some(details) = &self.details {
            line.push_str(&format!(" ({details})"));
        }
        line
    }
}

/// The error and its causes: reqwest keeps "connection refused" in a source.
fn with_causes(error: &Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}

/// Counts of a run, kept as the outcomes go by.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    total: usize,
    succeeded: usize,
    /// Every id that did not succeed, the ones not sent included.
    failed: usize,
    not_sent: usize,
    /// Why ids were not sent: the first reason.
    #[serde(skip)]
    stopped: Option<Arc<str>>,
}

impl Summary {
    /// Counts one more outcome.
    pub fn add(&mut self, outcome: &Outcome) {
        self.total += 1;
        if outcome.ok {
            self.succeeded += 1;
        } else {
            self.failed += 1;
        }
        if let Some(reason) = &outcome.not_sent {
            self.not_sent += 1;
            self.stopped.get_or_insert_with(|| reason.clone());
        }
    }

    /// Whether every id succeeded.
    pub fn all_ok(&self) -> bool {
        self.failed == 0
    }

    /// Ids not sent so far.
    pub fn not_sent(&self) -> usize {
        self.not_sent
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} succeeded, {} failed", self.succeeded, self.failed)?;
        match &self.stopped {
            // Written to a terminal: one line, no escape sequences.
            Some(reason) => write!(
                f,
                "; {} not sent: {}",
                self.not_sent,
                one_line(reason, SUMMARY_REASON_CHARS)
            ),
            None => Ok(()),
        }
    }
}

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

/// The longest ERROR cell of the table, in characters.
pub const ERROR_CELL_CHARS: usize = 200;
/// The longest stop reason in the summary line, in characters.
const SUMMARY_REASON_CHARS: usize = 300;

/// `text` as one line for a terminal, at most `max` characters: each run of
/// whitespace (newlines included) becomes one space, every other control
/// or invisible formatting character `?`, and a longer text is cut with
/// `…` as its last character.
pub fn one_line(text: &str, max: usize) -> String {
    let mut line = String::with_capacity(text.len().min(max.saturating_mul(4)));
    let mut chars = 0;
    let mut space = false;
    for c in text.trim().chars() {
        let c = if c.is_whitespace() {
            if space {
                continue;
            }
            ' '
        } else if c.is_control() || is_format(c) {
            '?'
        } else {
            c
        };
        space = c == ' ';
        if chars == max {
            line.pop();
            line.truncate(line.trim_end().len());
            line.push('…');
            return line;
        }
        line.push(c);
        chars += 1;
    }
    line
}

const HEADER: [&str; 5] = ["ID", "RESULT", "STATUS", "REQUEST ID", "ERROR"];

/// The table's column widths, fixed so that each row can be written as soon
/// as its id is done: a UUID, `failed`, `STATUS`, a 32-character request id.
/// A longer cell widens its own row only; two spaces always separate cells.
pub const COLUMN_WIDTHS: [usize; 4] = [36, 6, 6, 32];

/// One table row: the id escaped ([`escape_id`]), `-` for an empty cell,
/// the other cells made single-line by [`one_line`], the ERROR cell cut at
/// [`ERROR_CELL_CHARS`].
fn table_row(o: &Outcome) -> [String; 5] {
    let dash = || "-".to_owned();
    let cell = |text: &str, max| match one_line(text, max) {
        line if line.is_empty() => dash(),
        line => line,
    };
    [
        match escape_id(&o.id) {
            id if id.is_empty() => dash(),
            id => id,
        },
        if o.ok { "ok" } else { "failed" }.to_owned(),
        o.status.map_or_else(dash, |s| s.to_string()),
        o.request_id
            .as_deref()
            .map_or_else(dash, |r| cell(r, usize::MAX)),
        o.error
            .as_ref()
            .map_or_else(dash, |e| cell(&e.line(), ERROR_CELL_CHARS)),
    ]
}

/// `--output table`: one row, padded to [`COLUMN_WIDTHS`], so that
/// `awk '{print $1, $2}'` works; no trailing spaces.
fn write_row(out: &mut impl io::Write, row: &[String; 5]) -> io::Result<()> {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        let width = COLUMN_WIDTHS.get(i).copied().unwrap_or(0);
        line.push_str(&format!("{cell:<width$}  "));
    }
    writeln!(out, "{}", line.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: &str, ok: bool) -> Outcome {
        Outcome {
            id: id.into(),
            ok,
            status: ok.then_some(200),
            request_id: ok.then(|| "r-1".into()),
            event_streaming_id: ok.then(|| id.into()),
            attempts: Some(1),
            error: (!ok).then(|| Failure {
                kind: "transport",
                code: None,
                message: "connect error".into(),
                retryable: true,
                details: None,
            }),
            not_sent: None,
            authenticated: ok,
            auth_failure: None,
        }
    }

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

    #[test]
    fn one_line_flattens_escapes_and_cuts() {
        assert_eq!(
            one_line(
                "  a\r\n\tb \u{1b}[31mc\u{7f}\u{9b}d\u{202e}e\u{2028}f\u{feff}g  ",
                40
            ),
            "a b ?[31mc??d?e f?g"
        );
        assert_eq!(one_line("abcdef", 6), "abcdef");
        assert_eq!(one_line("abcdefg", 6), "abcde…");
        assert_eq!(one_line("abcd efgh", 6), "abcd…");
        assert_eq!(one_line("\n\n", 6), "");
    }

    #[test]
    fn summary_names_what_was_not_sent() {
        let reason: Arc<str> =
            "the run stopped after authentication failed for 'a'\u{1b}[0m".into();
        let mut summary = Summary::default();
        for o in [
            outcome("a", false),
            Outcome::not_sent("b".into(), reason.clone()),
            Outcome::not_sent("c".into(), reason),
        ] {
            summary.add(&o);
        }
        assert_eq!(
            summary.to_string(),
            "0 succeeded, 3 failed; 2 not sent: the run stopped after \
             authentication failed for 'a'?[0m"
        );
        assert_eq!(
            serde_json::to_value(&summary).ok(),
            Some(serde_json::json!({"total": 3, "succeeded": 0, "failed": 3, "not_sent": 2}))
        );
    }

    #[test]
    fn summary_counts() {
        let mut summary = Summary::default();
        for o in [outcome("a", true), outcome("b", false), outcome("c", true)] {
            summary.add(&o);
        }
        assert_eq!(summary.to_string(), "2 succeeded, 1 failed");
        assert!(!summary.all_ok());
    }
}
