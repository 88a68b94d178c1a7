//! Prove that `openapi/eg.yaml` says what Huawei's docs page says, and that
//! the client generated from it enforces it. `cargo xtask check-spec` is a
//! thin front end to [`check_files`].
//!
//! The page is parsed with [`eg_docs_page`]; every fact it states becomes
//! one [`Finding`]:
//!
//! - method and path template of the operation;
//! - per path, query and header parameter and per request body field
//!   (`$ref`s resolved, nested tables followed): presence, `type`,
//!   `required`, `minLength`, `maxLength`, `minimum`, `maximum`, `default`,
//!   every `enum` value; spec elements the page does not list fail too;
//! - per status: presence, `description` (from the closing status-code
//!   table), response headers and body fields as above, and the example's
//!   leaves (`error_code`, `error_msg`) against `content.application/json.example`;
//! - per documented length limit and enum value, that the generated type
//!   for that field ([`probe`]) accepts strings of exactly the limit and
//!   every documented value, and rejects one character past the limit and
//!   undocumented values (the value lower-cased, or with a suffix).
//!
//! A difference the spec declares in `x-departures` (`fact`, optional
//! `field`, `spec`, `docs`, `reason`) is [`Status::Accepted`] when the
//! entry's `spec` equals the spec's value and its `docs` equals the page's
//! (`not stated…` when the page is silent); a stale or unused entry fails.
//! A fact whose cell the page leaves empty (a missing 是否必选 cell) is
//! [`Status::NotCheckable`], never passed.
//!
//! # Text output ([`Report::text`])
//!
//! One line per finding, failures first, then accepted, not checkable, ok;
//! each is `STATUS SPEC#POINTER MESSAGE`, the message naming the docs line:
//!
//! ```text
//! FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties/error_msg maxLength is 1024, docs line 144 says 512
//! ...
//! ok openapi/eg.yaml#/paths/~1v1~1{project_id}~1eventstreamings~1operate~1{eventstreaming_id}/post method is POST, docs line 16 says POST
//! ...
//! checked 138, passed 127, failed 5, accepted 4, not checkable 2
//! ```
//!
//! # JSON output ([`Report::json`])
//!
//! ```json
//! {
//!   "format": 1,
//!   "docs": "openapi/OperateEventStreaming.zh-cn.txt",
//!   "spec": "openapi/eg.yaml",
//!   "counts": { "checked": 138, "passed": 127, "failed": 5, "accepted": 4, "not_checkable": 2 },
//!   "findings": [
//!     {
//!       "status": "fail",
//!       "pointer": "/components/schemas/ErrorBody/properties/error_msg",
//!       "fact": "maxLength",
//!       "docs_line": 144,
//!       "message": "maxLength is 1024, docs line 144 says 512",
//!       "reason": null
//!     }
//!   ]
//! }
//! ```
//!
//! `status` is `fail`, `accepted`, `not_checkable` or `ok`; `pointer` is an
//! RFC 6901 pointer into the spec (`""` for the whole document); `docs_line`
//! is `null` only for findings about `x-departures` entries themselves;
//! `reason` is the departure's reason on `accepted` findings. Findings are
//! in the order of the text output; `format` changes only if this shape does.

use std::path::Path;

use serde::Serialize;

mod compare;
mod probes;

pub use probes::{Probe, Site, probe};

/// The verdict on one fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Spec (or generated type) and page disagree.
    Fail,
    /// They disagree as declared in `x-departures`.
    Accepted,
    /// The page leaves the fact open.
    NotCheckable,
    /// They agree.
    Ok,
}

impl Status {
    /// The word that starts a text line.
    pub const fn word(self) -> &'static str {
        match self {
            Self::Fail => "FAIL",
            Self::Accepted => "ACCEPTED",
            Self::NotCheckable => "NOT CHECKABLE",
            Self::Ok => "ok",
        }
    }
}

/// One checked fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The verdict.
    pub status: Status,
    /// RFC 6901 pointer into the spec: where the fact is (or would be) written.
    pub pointer: String,
    /// What was compared, e.g. `maxLength`, `enum`, `enforced maxLength`.
    pub fact: String,
    /// The page line stating the fact; `None` only for `x-departures` bookkeeping.
    pub docs_line: Option<usize>,
    /// Human-readable sentence, naming the docs line.
    pub message: String,
    /// The departure's reason, on accepted findings.
    pub reason: Option<String>,
}

/// How many findings have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// All findings.
    pub checked: usize,
    /// [`Status::Ok`].
    pub passed: usize,
    /// [`Status::Fail`].
    pub failed: usize,
    /// [`Status::Accepted`].
    pub accepted: usize,
    /// [`Status::NotCheckable`].
    pub not_checkable: usize,
}

/// The result of comparing a page with a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The page, as named in messages.
    pub docs: String,
    /// The spec, as named in messages.
    pub spec: String,
    /// Failures first, then accepted, not checkable and ok; page order within each.
    pub findings: Vec<Finding>,
}

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
                Status::Accepted => &mut c.accepted,
                Status::NotCheckable => &mut c.not_checkable,
                Status::Ok => &mut c.passed,
            } += 1;
        }
        c
    }

    /// True when nothing failed.
    pub fn agrees(&self) -> bool {
        self.counts().failed == 0
    }

    /// The text report: one line per finding and a closing count line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let line = format!(
                "{} {}#{} {}\n",
                f.status.word(),
                self.spec,
                one_line(&f.pointer),
                one_line(&f.message)
            );
            out.push_str(&line);
        }
        let c = self.counts();
        out.push_str(&format!(
            "checked {}, passed {}, failed {}, accepted {}, not checkable {}\n",
            c.checked, c.passed, c.failed, c.accepted, c.not_checkable
        ));
        out
    }

    /// The JSON report described in the crate docs, pretty-printed.
    pub fn json(&self) -> String {
        /// Fields in the documented order.
        #[derive(Serialize)]
        struct Doc<'a> {
            format: u32,
            docs: &'a str,
            spec: &'a str,
            counts: Counts,
            findings: &'a [Finding],
        }
        let doc = Doc {
            format: 1,
            docs: &self.docs,
            spec: &self.spec,
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

/// An input that cannot be read or parsed; the comparison did not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The file cannot be read at all.
    #[error("{file}: cannot read: {message}")]
    Read {
        /// The file, as named by the caller.
        file: String,
        /// The I/O error.
        message: String,
    },
    /// The file is not a docs page / an OpenAPI 3.0 document.
    #[error("{file}:{line}: {message}")]
    Invalid {
        /// The file, as named by the caller.
        file: String,
        /// 1-based line at fault.
        line: usize,
        /// What is wrong there.
        message: String,
    },
}

fn invalid(file: &str, line: usize, message: impl Into<String>) -> InputError {
    InputError::Invalid {
        file: file.to_owned(),
        line,
        message: message.into(),
    }
}

/// Compares the page text `docs` with the spec text `spec`; the names are
/// used in messages.
///
/// ```
/// let read = |p: &str| {
///     std::fs::read_to_string(format!("{}/../../{p}", env!("CARGO_MANIFEST_DIR"))).expect("file")
/// };
/// let page = read("openapi/OperateEventStreaming.zh-cn.txt");
/// let spec = read("openapi/eg.yaml").replace("maxLength: 512", "maxLength: 1024");
/// let report = eg_spec_check::check("page.txt", &page, "eg.yaml", &spec)?;
/// assert!(!report.agrees());
/// assert_eq!(
///     report.text().lines().next(),
///     Some("FAIL eg.yaml#/components/schemas/ErrorBody/properties/error_msg maxLength is 1024, docs line 144 says 512")
/// );
/// # Ok::<(), eg_spec_check::InputError>(())
/// ```
pub fn check(
    docs_name: &str,
    docs: &str,
    spec_name: &str,
    spec: &str,
) -> Result<Report, InputError> {
    let page = eg_docs_page::parse(docs).map_err(|e| invalid(docs_name, e.line, e.message))?;
    let spec_value = parse_spec(spec_name, spec)?;
    let mut findings = compare::Checker::run(&page, docs, &spec_value);
    findings.sort_by_key(|f| f.status);
    Ok(Report {
        docs: docs_name.to_owned(),
        spec: spec_name.to_owned(),
        findings,
    })
}

/// Reads and compares the page at `docs` with the spec at `spec`; the
/// names are used in messages (typically the paths relative to the
/// workspace root).
pub fn check_files(
    docs: &Path,
    docs_name: &str,
    spec: &Path,
    spec_name: &str,
) -> Result<Report, InputError> {
    let docs_text = read(docs, docs_name)?;
    let spec_text = read(spec, spec_name)?;
    check(docs_name, &docs_text, spec_name, &spec_text)
}

/// Reads a text file; invalid UTF-8 is reported at its line.
fn read(path: &Path, name: &str) -> Result<String, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::Read {
        file: name.to_owned(),
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        invalid(name, line, format!("not UTF-8 text (byte {valid})"))
    })
}

/// Parses the spec as YAML, validates it as OpenAPI 3.0 with `openapiv3`,
/// and returns it as JSON, which is what JSON pointers and `$ref`s address.
fn parse_spec(name: &str, text: &str) -> Result<serde_json::Value, InputError> {
    let at = |what: &str, e: serde_yaml_ng::Error| {
        // serde_yaml_ng's message already says "at line L column C".
        let line = e.location().map_or(1, |l| l.line());
        invalid(name, line, format!("{what}: {e}"))
    };
    // serde_yaml_ng's own Value refuses a key given twice, at its line;
    // serde_json's keeps the last, and openapiv3 panics on such a document.
    serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text).map_err(|e| at("invalid YAML", e))?;
    let value = serde_yaml_ng::from_str(text).map_err(|e| at("invalid YAML", e))?;
    let api: openapiv3::OpenAPI =
        serde_yaml_ng::from_str(text).map_err(|e| at("not an OpenAPI 3.0 document", e))?;
    if !api.openapi.starts_with("3.0") {
        let line = text
            .lines()
            .position(|l| l.starts_with("openapi:"))
            .map_or(1, |i| i + 1);
        let msg = format!("not an OpenAPI 3.0 document: openapi is {:?}", api.openapi);
        return Err(invalid(name, line, msg));
    }
    Ok(value)
}
