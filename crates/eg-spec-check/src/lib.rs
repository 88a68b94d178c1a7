//! Prove that `openapi/eg.yaml` says what Huawei's docs pages say, in every
//! language kept, and that the client generated from it enforces it.
//! `cargo xtask check-spec` is a thin front end to [`check_files`].
//!
//! Each page is parsed with [`eg_docs_page`] (any of its six layouts;
//! the language is read from the text) and walked against the spec; every
//! fact becomes one `Fact` (where in the spec, what, the spec's value, the
//! page's value, the line and the page), judged across the pages of the run:
//!
//! - method and path: a page for another operation fails at once, with one
//!   message naming both operations, and nothing else is compared;
//! - per path, query and header parameter and per request body field
//!   (`$ref`s resolved, nested tables followed): presence, `type`,
//!   `required`, `minLength`, `maxLength`, `minimum`, `maximum`, `default`,
//!   every `enum` value;
//! - per status: presence, the description in the page's language (the
//!   spec's `description` is zh-cn, `x-descriptions.<lang>` holds the
//!   others), response headers and body fields, and the example, compared
//!   as a JSON value (so are request examples);
//! - the status-code table as a fact of its own: the set of statuses it
//!   lists is the spec's (only the 2xx ones when the page delegates its
//!   errors to the shared error-code page), and a response section whose
//!   status the table omits is the page contradicting itself;
//! - per documented length limit and enum value, that the generated type
//!   for that field accepts strings of exactly the limit and every
//!   documented value, and rejects one character past the limit and
//!   undocumented values (the value lower-cased, or with a suffix).
//!
//! # Verdicts
//!
//! - A page that states the spec's value: `ok`.
//! - A page that states another value: `FAIL`, unless an `x-departures`
//!   entry on the element (`fact`, optional `field`, `page` = the page's
//!   language, `spec`, `docs`, `reason`) is pinned to exactly these values:
//!   `ACCEPTED`. A pinned entry that no longer matches fails, saying what the
//!   page now states and how to update the entry.
//! - A page that states nothing: silence, never a failure. `NOT STATED`
//!   when another page of the run states it; when no page of the run does,
//!   a value the spec holds needs an entry with `docs: not stated`.
//!   A page that delegates its errors (`请参见错误码` / `See Error Codes`)
//!   is silent on every error status.
//! - An empty cell (a missing 是否必选 cell): `NOT CHECKABLE`, never passed.
//! - Two pages stating different values: `CONFLICT`, naming both, unless an
//!   entry says which page the spec `follows` (its language).
//! - An entry that excuses nothing, for a language with a page in the run,
//!   fails.
//! - A part of a page the parser could not read: `NOT CHECKABLE`, with its
//!   line and why; the rest of the page is checked.
//! - An example at odds with the page's own tables (a field no table
//!   lists, an enum value the table does not give): `PAGE`, a defect of the
//!   page, never a failure.
//!
//! # Editions
//!
//! Pages of one operation in one language are editions of one page,
//! ordered by their date line; the newest supersedes the others. It alone
//! is compared with the spec and can fail (naming the older edition's line
//! too); a fact only an older edition states is `NOT STATED` ("stated by
//! the DATE edition, no longer printed"); editions never conflict.
//!
//! # Text output ([`Report::text`])
//!
//! A header line per page (`page FILE [LANG] edition DATE`, with
//! `, superseded by FILE (edition DATE)` on an older edition), then one
//! line per finding, failures first, then conflicts, page defects,
//! accepted, not checkable, not stated, ok; each is `STATUS SPEC#POINTER
//! MESSAGE`, the message naming each page line as `FILE:LINE [LANG]`:
//!
//! ```text
//! page openapi/OperateEventStreaming.zh-cn.txt [zh-cn] edition 2023-12-12
//! FAIL openapi/eg.yaml#/components/schemas/ErrorBody/properties/error_msg maxLength is 1024, openapi/OperateEventStreaming.zh-cn.txt:144 [zh-cn] says 512
//! ...
//! checked …, passed …, failed 5, conflicts 0, accepted …, not checkable …, not stated …, page defects 0
//! ```
//!
//! The report of the default run is kept as the golden file
//! `crates/eg-spec-check/tests/golden/check-spec.txt`.
//!
//! # JSON output ([`Report::json`])
//!
//! ```json
//! {
//!   "format": 3,
//!   "docs": [{"file": "openapi/OperateEventStreaming.zh-cn.txt", "language": "zh-cn",
//!             "edition": "2023-12-12", "current": true}],
//!   "spec": "openapi/eg.yaml",
//!   "counts": {"checked": …, "passed": …, "failed": 5, "conflicts": 0, "page_defects": 0,
//!              "accepted": …, "not_checkable": …, "not_stated": …},
//!   "findings": [
//!     {
//!       "status": "fail",
//!       "pointer": "/components/schemas/ErrorBody/properties/error_msg",
//!       "fact": "maxLength",
//!       "docs_line": 144,
//!       "page": {"file": "openapi/OperateEventStreaming.zh-cn.txt", "language": "zh-cn",
//!                "edition": "2023-12-12", "current": true},
//!       "other": null,
//!       "message": "maxLength is 1024, openapi/OperateEventStreaming.zh-cn.txt:144 [zh-cn] says 512",
//!       "reason": null
//!     }
//!   ]
//! }
//! ```
//!
//! `status` is `fail`, `conflict`, `page`, `accepted`, `not_checkable`,
//! `not_stated` or `ok`; `pointer` is an RFC 6901 pointer into the spec
//! (`""` for the whole document); `docs_line` is the line of `page`;
//! `docs_line` and `page` are `null` only for findings about `x-departures`
//! entries themselves; `other` (`file`, `language`, `line`) is the second
//! line of a conflict or of a page contradicting itself; `reason` is the
//! departure's reason on `accepted` findings. Findings are in the order of
//! the text output.
//!
//! Format 3 adds `edition` and `current` to pages, the `page` status and
//! its `page_defects` count. Format 2 differs from format 1 in one meaning: `docs` is the list of
//! pages instead of one file name. It adds `page` and `other` to findings,
//! `conflicts` and `not_stated` to `counts`, and the statuses `conflict`
//! and `not_stated`; every other field keeps its format-1 meaning.

use std::path::{Path, PathBuf};

use eg_docs_page::Language;
use serde::{Serialize, Serializer};

mod consistency;
mod departures;
mod fact;
mod judge;
mod probes;
mod report;
mod spec;
mod walk;

pub use report::{Counts, FORMAT, Report};

/// The verdict on one fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Spec (or generated type) and a page disagree.
    Fail,
    /// Two pages state different values.
    Conflict,
    /// The page contradicts itself (an example against its own tables):
    /// a defect of the page, not of the spec, so never a failure.
    Page,
    /// A difference declared in `x-departures`.
    Accepted,
    /// The page leaves the fact open (an empty cell).
    NotCheckable,
    /// The page is silent on a fact another page of the run states.
    NotStated,
    /// They agree.
    Ok,
}

impl Status {
    /// The word that starts a text line.
    pub const fn word(self) -> &'static str {
        match self {
            Self::Fail => "FAIL",
            Self::Conflict => "CONFLICT",
            Self::Page => "PAGE",
            Self::Accepted => "ACCEPTED",
            Self::NotCheckable => "NOT CHECKABLE",
            Self::NotStated => "NOT STATED",
            Self::Ok => "ok",
        }
    }
}

fn code<S: Serializer>(l: &Language, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(l.code())
}

/// A page of the run: its file, as named in messages, and the language
/// read from its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRef {
    /// The file, as named by the caller.
    pub file: String,
    /// Its language (`zh-cn`, `en-us` in JSON).
    #[serde(serialize_with = "code")]
    pub language: Language,
    /// Its edition, the ISO date of its date line; `None` when it has none.
    pub edition: Option<String>,
    /// False when the run holds a newer edition of the same page (same
    /// operation, same language), which supersedes it.
    pub current: bool,
}

impl PageRef {
    /// `file:line [lang]`, how every message names a page line.
    pub(crate) fn place(&self, line: usize) -> String {
        format!("{}:{line} [{}]", self.file, self.language.code())
    }
}

/// A second page line a finding names: the other page of a conflict, or
/// the other line of a page that contradicts itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherLine {
    /// The file.
    pub file: String,
    /// Its language.
    #[serde(serialize_with = "code")]
    pub language: Language,
    /// 1-based line.
    pub line: usize,
}

/// One checked fact of one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The verdict.
    pub status: Status,
    /// RFC 6901 pointer into the spec: where the fact is (or would be) written.
    pub pointer: String,
    /// What was compared, e.g. `maxLength`, `enum`, `enforced maxLength`.
    pub fact: String,
    /// The line of [`Finding::page`] stating the fact; `None` only for
    /// `x-departures` bookkeeping.
    pub docs_line: Option<usize>,
    /// The page; `None` only for `x-departures` bookkeeping.
    pub page: Option<PageRef>,
    /// The second line of a conflict or of a page contradicting itself.
    pub other: Option<OtherLine>,
    /// Human-readable sentence, naming the page lines as `file:line [lang]`.
    pub message: String,
    /// The departure's reason, on accepted findings.
    pub reason: Option<String>,
}

impl Finding {
    /// A finding about line `line` of `page`.
    pub(crate) fn on_page(
        status: Status,
        at: &str,
        fact: &str,
        page: &PageRef,
        line: usize,
        message: String,
    ) -> Self {
        Self {
            status,
            pointer: at.to_owned(),
            fact: fact.to_owned(),
            docs_line: Some(line),
            page: Some(page.clone()),
            other: None,
            message,
            reason: None,
        }
    }

    /// A finding about an `x-departures` entry itself.
    pub(crate) fn bookkeeping(status: Status, at: &str, message: String) -> Self {
        Self {
            status,
            pointer: at.to_owned(),
            fact: "x-departures".to_owned(),
            docs_line: None,
            page: None,
            other: None,
            message,
            reason: None,
        }
    }
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
    /// No docs page was given.
    #[error("no docs page to check")]
    NoPages,
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

/// Compares the pages `(name, text)` with the spec text `spec`; the names
/// are used in messages. Every page must be one (a part it cannot read is
/// `NOT CHECKABLE`), and there must be one.
///
/// ```
/// let read = |p: &str| {
///     std::fs::read_to_string(format!("{}/../../{p}", env!("CARGO_MANIFEST_DIR"))).expect("file")
/// };
/// let zh = read("openapi/OperateEventStreaming.zh-cn.txt");
/// let en = read("openapi/OperateEventStreaming.en-us.txt");
/// let spec = read("openapi/eg.yaml").replace("maxLength: 512", "maxLength: 1024");
/// let report = eg_spec_check::check(&[("en.txt", &en), ("zh.txt", &zh)], "eg.yaml", &spec)?;
/// assert!(!report.agrees());
/// assert_eq!(
///     report.text().lines().nth(2),
///     Some("FAIL eg.yaml#/components/schemas/ErrorBody/properties/error_msg maxLength is 1024, zh.txt:144 [zh-cn] says 512")
/// );
/// # Ok::<(), eg_spec_check::InputError>(())
/// ```
pub fn check(pages: &[(&str, &str)], spec_name: &str, spec: &str) -> Result<Report, InputError> {
    if pages.is_empty() {
        return Err(InputError::NoPages);
    }
    let mut parsed = Vec::new();
    for (name, text) in pages {
        let page = eg_docs_page::parse(text).map_err(|e| invalid(name, e.line, e.message))?;
        let pref = PageRef {
            file: (*name).to_owned(),
            language: page.language,
            edition: page.edition.as_ref().map(|e| e.value.clone()),
            current: true,
        };
        parsed.push((page, pref));
    }
    let newest = editions(&parsed);
    for (i, &n) in newest.iter().enumerate() {
        if n != i
            && let Some((_, pref)) = parsed.get_mut(i)
        {
            pref.current = false;
        }
    }
    let spec_value = parse_spec(spec_name, spec)?;
    let spec = spec::Spec { root: &spec_value };
    let (mut ledger, mut direct) = departures::collect(&spec_value);
    let mut facts = Vec::new();
    let mut strangers = Vec::new();
    for (i, (page, pref)) in parsed.iter().enumerate() {
        let w = walk::Walk::run(page, pref, i, &spec);
        if w.other_operation {
            strangers.extend(w.found);
            continue;
        }
        facts.extend(w.facts);
        // A superseded edition's own checks (generated types against its
        // limits) are its newest edition's business.
        if pref.current {
            direct.extend(w.found);
            direct.extend(consistency::check(page, pref));
        }
        direct.extend(unread(page, pref));
    }
    let prefs: Vec<PageRef> = parsed.into_iter().map(|(_, p)| p).collect();
    // A page of another operation stops the check: comparing the rest
    // would only list what that page was expected to state.
    if !strangers.is_empty() {
        return Ok(Report {
            pages: prefs,
            spec: spec_name.to_owned(),
            findings: strangers,
        });
    }
    let mut findings = judge::judge(&prefs, &newest, facts, &mut ledger);
    findings.extend(direct);
    for d in ledger.iter().filter(|d| !d.used) {
        // An entry for a language with no page in the run has nothing to excuse here.
        if d.page
            .is_some_and(|l| !prefs.iter().any(|p| p.language == l))
        {
            continue;
        }
        let msg = format!(
            "x-departures entry for {} excuses no difference from the pages of this run; remove or correct it",
            d.fact
        );
        findings.push(Finding::bookkeeping(Status::Fail, &d.at, msg));
    }
    findings.sort_by_key(|f| f.status);
    Ok(Report {
        pages: prefs,
        spec: spec_name.to_owned(),
        findings,
    })
}

/// For each page, the index of its newest edition in the run: pages of
/// one operation and language are editions of one page, ordered by date
/// (a page without a date is the oldest); equal dates order nothing.
fn editions(parsed: &[(eg_docs_page::DocsPage, PageRef)]) -> Vec<usize> {
    let key = |p: &eg_docs_page::DocsPage| {
        let ep = &p.endpoint.value;
        (ep.method.clone(), ep.path.clone(), p.language)
    };
    let mut newest_of: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for (i, (page, pref)) in parsed.iter().enumerate() {
        let n = newest_of.entry(key(page)).or_insert(i);
        if parsed
            .get(*n)
            .is_some_and(|(_, best)| pref.edition > best.edition)
        {
            *n = i;
        }
    }
    parsed
        .iter()
        .enumerate()
        .map(|(i, (page, pref))| {
            let n = newest_of.get(&key(page)).copied().unwrap_or(i);
            let newer = parsed
                .get(n)
                .is_some_and(|(_, best)| best.edition > pref.edition);
            if newer { n } else { i }
        })
        .collect()
}

/// A `NOT CHECKABLE` finding per part of the page the parser could not
/// read: whatever it states is not compared, and the run goes on.
fn unread<'p>(
    page: &'p eg_docs_page::DocsPage,
    pref: &'p PageRef,
) -> impl Iterator<Item = Finding> + 'p {
    page.unread.iter().map(move |u| {
        let msg = format!(
            "{} could not be read ({}), so what it states was not compared",
            pref.place(u.line),
            u.reason
        );
        Finding::on_page(Status::NotCheckable, "", "unread", pref, u.line, msg)
    })
}

/// Reads and compares the pages `(path, name)` with the spec at `spec`;
/// the names are used in messages (typically the paths relative to the
/// workspace root). Only regular files of at most
/// [`eg_docs_page::MAX_TEXT_BYTES`] (1 MiB) are read.
pub fn check_files(
    pages: &[(PathBuf, String)],
    spec: &Path,
    spec_name: &str,
) -> Result<Report, InputError> {
    let mut texts = Vec::new();
    for (path, name) in pages {
        texts.push((name.as_str(), read(path, name)?));
    }
    let spec_text = read(spec, spec_name)?;
    let pages: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    check(&pages, spec_name, &spec_text)
}

/// The docs pages kept in `dir`: its regular `.txt` files that have a
/// `URI` line, sorted by name. Other text files (a requirements list) are
/// not pages; a FIFO or device is never opened.
pub fn pages_in(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| InputError::Read {
        file: name.clone(),
        message: e.to_string(),
    })?;
    let mut pages = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt")
            && eg_docs_page::read_text(&path, eg_docs_page::MAX_TEXT_BYTES)
                .is_ok_and(|t| t.lines().any(is_uri_line))
        {
            pages.push(path);
        }
    }
    pages.sort();
    Ok(pages)
}

/// A `URI` heading in any layout (`URI`, `#### URI`, `URI format`, `URI格式`).
fn is_uri_line(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches(['#', '•', '-', '*', ' '])
        .trim();
    t == "URI" || t.eq_ignore_ascii_case("URI format") || t == "URI格式"
}

/// Reads a text file; invalid UTF-8 is reported at its line.
fn read(path: &Path, name: &str) -> Result<String, InputError> {
    use eg_docs_page::ReadError;
    eg_docs_page::read_text(path, eg_docs_page::MAX_TEXT_BYTES).map_err(|e| match e {
        ReadError::NotUtf8 { line, byte } => {
            invalid(name, line, format!("not UTF-8 text (byte {byte})"))
        }
        e => InputError::Read {
            file: name.to_owned(),
            message: e.to_string(),
        },
    })
}

/// The deepest nesting a spec may have (`eg.yaml` nests 12 deep). YAML's
/// parser slows quadratically with flow nesting (40,000 `[` took 19 s), so
/// deeper documents are refused before it runs.
pub const MAX_SPEC_DEPTH: usize = 64;

/// The line at which `text` nests deeper than [`MAX_SPEC_DEPTH`]: flow
/// brackets outside quotes and comments, plus block indentation levels and
/// `- ` entries opened on one line. One pass over the text.
fn too_deep(text: &str) -> Option<usize> {
    let mut flow = 0usize;
    let mut quote: Option<char> = None;
    let mut indents: Vec<usize> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut block = indents.len();
        if flow == 0 && quote.is_none() {
            let t = line.trim_start_matches(' ');
            if !t.is_empty() && !t.starts_with('#') {
                let ind = line.len() - t.len();
                while indents.last().is_some_and(|&l| l >= ind) {
                    indents.pop();
                }
                indents.push(ind);
                let mut rest = t;
                let mut dashes = 0;
                while let Some(r) = rest.strip_prefix("- ") {
                    dashes += 1;
                    rest = r.trim_start_matches(' ');
                }
                block = indents.len() + dashes;
            }
        }
        if block > MAX_SPEC_DEPTH {
            return Some(i + 1);
        }
        let (mut prev, mut escaped) = (' ', false);
        for c in line.chars() {
            match quote {
                Some('"') if escaped => escaped = false,
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if prev == ' ' || prev == '\t' => break,
                    '"' | '\'' if " \t,[{:-".contains(prev) => quote = Some(c),
                    '[' | '{' => {
                        flow += 1;
                        if flow + block > MAX_SPEC_DEPTH {
                            return Some(i + 1);
                        }
                    }
                    ']' | '}' => flow = flow.saturating_sub(1),
                    _ => {}
                },
            }
            prev = c;
        }
    }
    None
}

/// Parses the spec once as YAML (which refuses a key given twice, at its
/// line), validates that value as OpenAPI 3.0 with `openapiv3`, and returns
/// it as JSON, which is what JSON pointers and `$ref`s address.
pub(crate) fn parse_spec(name: &str, text: &str) -> Result<serde_json::Value, InputError> {
    let at = |what: &str, e: serde_yaml_ng::Error| {
        // serde_yaml_ng's message already says "at line L column C".
        let line = e.location().map_or(1, |l| l.line());
        invalid(name, line, format!("{what}: {e}"))
    };
    if let Some(line) = too_deep(text) {
        let msg = format!("nested more than {MAX_SPEC_DEPTH} levels deep");
        return Err(invalid(name, line, msg));
    }
    let yaml: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(text).map_err(|e| at("invalid YAML", e))?;
    let api: openapiv3::OpenAPI = match serde_yaml_ng::from_value(yaml.clone()) {
        Ok(api) => api,
        // Only the text knows its lines (and reads `200:` keys as strings):
        // read it again, on this path only, to accept or locate the error.
        Err(e) => match serde_yaml_ng::from_str::<openapiv3::OpenAPI>(text) {
            Ok(api) => api,
            Err(located) => {
                let e = if located.location().is_some() {
                    located
                } else {
                    e
                };
                return Err(at("not an OpenAPI 3.0 document", e));
            }
        },
    };
    if !api.openapi.starts_with("3.0") {
        let line = text
            .lines()
            .position(|l| l.starts_with("openapi:"))
            .map_or(1, |i| i + 1);
        let msg = format!("not an OpenAPI 3.0 document: openapi is {:?}", api.openapi);
        return Err(invalid(name, line, msg));
    }
    to_json(&yaml).map_err(|m| invalid(name, 1, format!("invalid YAML: {m}")))
}

/// The YAML value as JSON: scalar keys become strings (`200:` is `"200"`),
/// tags are dropped. Its depth is bounded by [`too_deep`].
fn to_json(v: &serde_yaml_ng::Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    use serde_yaml_ng::Value as Y;
    Ok(match v {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(J::Number)
                    .ok_or_else(|| format!("{f} is not a JSON number"))?
            }
        }
        Y::String(s) => J::String(s.clone()),
        Y::Sequence(items) => J::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Y::Mapping(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                let key = match to_json(k)? {
                    J::String(s) => s,
                    J::Array(_) | J::Object(_) => return Err("a key is not a scalar".into()),
                    k => k.to_string(),
                };
                out.insert(key, to_json(v)?);
            }
            J::Object(out)
        }
        Y::Tagged(t) => to_json(&t.value)?,
    })
}
