//! What `eg streaming start|pause` prints: one outcome per id, in input
//! order, as a table, one JSON document, or JSON lines.
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
//! JSON keeps the server's text as sent (escaped by JSON); the table turns
//! control characters and line breaks into one line and shortens long
//! messages, so that one id is one row and nothing reaches the terminal as
//! an escape sequence.
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
//! | `error.kind` | string | `api` (error status), `transport` (no response: connect, timeout), `invalid_argument` (refused before sending), `invalid_response` (success status, unreadable body), `response_too_large` (a body over the client's 1 MiB cap), `signing`, `config`, `not_sent` (the run stopped before sending it: after an authentication failure, or when stdout could not be written; the message names the cause and its request id), `other` |
//! | `error.code` | string or null | EG error code, e.g. `EG.00014040` |
//! | `error.message` | string | the service's `error_msg`, else a description |
//! | `error.retryable` | bool | sending again may succeed (429, 5xx but 501, connection errors; false for `not_sent`: fix the cause first) |
//! | `error.details` | string or null | the service's `error_details` |
//!
//! New keys may be added; existing keys keep their meaning and type.

use std::{error::Error as _, io, sync::Arc};

use eg_client::{Error, Operated};
use serde::Serialize;

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
    /// Records what the client returned for `id`.
    pub fn new(id: &str, result: Result<Operated, Error>) -> Self {
        match result {
            Ok(done) => Self {
                id: id.to_owned(),
                ok: true,
                // The client only returns Ok for a 2xx it could read, and
                // the operation documents 200 only.
                status: Some(200),
                request_id: done.request_id().map(str::to_owned),
                attempts: Some(done.attempts()),
                event_streaming_id: done.into_inner().event_streaming_id,
                error: None,
                not_sent: None,
            },
            Err(error) => Self {
                id: id.to_owned(),
                ok: false,
                status: error.status(),
                request_id: error.request_id().map(str::to_owned),
                event_streaming_id: None,
                attempts: attempts(&error),
                error: Some(Failure::new(&error)),
                not_sent: None,
            },
        }
    }

    /// An id the run did not send because it stopped for `reason` first.
    pub fn not_sent(id: &str, reason: Arc<str>) -> Self {
        Self {
            id: id.to_owned(),
            ok: false,
            status: None,
            request_id: None,
            event_streaming_id: None,
            attempts: Some(0),
            error: Some(Failure {
                kind: "not_sent",
                code: None,
                message: format!("not sent: the run stopped after {reason}"),
                retryable: false,
                details: None,
            }),
            not_sent: Some(reason),
        }
    }

    /// Why the run stopped before sending this id, if it did.
    pub fn not_sent_reason(&self) -> Option<&str> {
        self.not_sent.as_deref()
    }
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

/// Counts of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    total: usize,
    succeeded: usize,
    /// Every id that did not succeed, the ones not sent included.
    failed: usize,
    not_sent: usize,
    /// Why ids were not sent.
    #[serde(skip)]
    stopped: Option<Arc<str>>,
}

impl Summary {
    /// Counts the outcomes.
    pub fn of(outcomes: &[Outcome]) -> Self {
        let succeeded = outcomes.iter().filter(|o| o.ok).count();
        let mut not_sent = outcomes.iter().filter_map(|o| o.not_sent.as_ref());
        let stopped = not_sent.next().cloned();
        Self {
            total: outcomes.len(),
            succeeded,
            failed: outcomes.len() - succeeded,
            not_sent: not_sent.count() + usize::from(stopped.is_some()),
            stopped,
        }
    }

    /// Whether every id succeeded.
    pub fn all_ok(&self) -> bool {
        self.failed == 0
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} succeeded, {} failed", self.succeeded, self.failed)?;
        match &self.stopped {
            // Written to a terminal: one line, no escape sequences.
            Some(reason) => write!(
                f,
                "; {} not sent: the run stopped after {}",
                self.not_sent,
                one_line(reason, SUMMARY_REASON_CHARS)
            ),
            None => Ok(()),
        }
    }
}

/// `--output json`.
pub fn write_json(
    out: &mut impl io::Write,
    operation: &str,
    outcomes: &[Outcome],
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Report<'a> {
        operation: &'a str,
        results: &'a [Outcome],
        summary: Summary,
    }
    let report = Report {
        operation,
        results: outcomes,
        summary: Summary::of(outcomes),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

/// One line of `--output jsonl`.
pub fn write_jsonl(out: &mut impl io::Write, outcome: &Outcome) -> io::Result<()> {
    serde_json::to_writer(&mut *out, outcome)?;
    writeln!(out)
}

/// The longest ERROR cell of the table, in characters.
pub const ERROR_CELL_CHARS: usize = 200;
/// The longest stop reason in the summary line, in characters.
const SUMMARY_REASON_CHARS: usize = 300;

/// `text` as one line for a terminal, at most `max` characters: each run of
/// whitespace (newlines included) becomes one space, every other control
/// or bidirectional-formatting character `?`, and a longer text is cut with
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
        } else if c.is_control() || is_bidi_control(c) {
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

/// Characters that reorder the text around them (CVE-2021-42574).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `--output table`: aligned columns, `-` for an empty cell, one row per id,
/// so that `awk '{print $1, $2}'` works. Cells are made single-line by
/// [`one_line`]; the ERROR cell is cut at [`ERROR_CELL_CHARS`], ids never.
pub fn write_table(out: &mut impl io::Write, outcomes: &[Outcome]) -> io::Result<()> {
    let header = ["ID", "RESULT", "STATUS", "REQUEST ID", "ERROR"].map(str::to_owned);
    let dash = || "-".to_owned();
    let cell = |text: &str, max| match one_line(text, max) {
        line if line.is_empty() => dash(),
        line => line,
    };
    let rows: Vec<[String; 5]> = outcomes
        .iter()
        .map(|o| {
            [
                cell(&o.id, usize::MAX),
                if o.ok { "ok" } else { "failed" }.to_owned(),
                o.status.map_or_else(dash, |s| s.to_string()),
                o.request_id
                    .as_deref()
                    .map_or_else(dash, |r| cell(r, usize::MAX)),
                o.error
                    .as_ref()
                    .map_or_else(dash, |e| cell(&e.line(), ERROR_CELL_CHARS)),
            ]
        })
        .collect();
    let mut widths = [0; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
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
        }
    }

    #[test]
    fn table_is_aligned_and_has_no_trailing_spaces() {
        let mut out = Vec::new();
        write_table(&mut out, &[outcome("a-long-id", true), outcome("b", false)])
            .expect("write to a Vec");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "ID         RESULT  STATUS  REQUEST ID  ERROR\n\
             a-long-id  ok      200     r-1         -\n\
             b          failed  -       -           connect error\n"
        );
    }

    #[test]
    fn one_line_flattens_escapes_and_cuts() {
        assert_eq!(
            one_line(
                "  a\r\n\tb \u{1b}[31mc\u{7f}\u{9b}d\u{202e}e\u{2028}f  ",
                40
            ),
            "a b ?[31mc??d?e f"
        );
        assert_eq!(one_line("abcdef", 6), "abcdef");
        assert_eq!(one_line("abcdefg", 6), "abcde…");
        assert_eq!(one_line("abcd efgh", 6), "abcd…");
        assert_eq!(one_line("\n\n", 6), "");
    }

    #[test]
    fn summary_names_what_was_not_sent() {
        let reason: Arc<str> = "authentication failed for 'a'\u{1b}[0m".into();
        let outcomes = [
            outcome("a", false),
            Outcome::not_sent("b", reason.clone()),
            Outcome::not_sent("c", reason),
        ];
        let summary = Summary::of(&outcomes);
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
        let outcomes = [outcome("a", true), outcome("b", false), outcome("c", true)];
        let summary = Summary::of(&outcomes);
        assert_eq!(summary.to_string(), "2 succeeded, 1 failed");
        assert!(!summary.all_ok());
    }
}
