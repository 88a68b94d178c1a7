//! The findings: one verdict on one fact, with the page lines it names.

use eg_docs_page::Language;
use serde::{Serialize, Serializer};

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
    /// The `operationId` of the spec operation the finding belongs to: the
    /// one its page documents, or the one no page documents; `None` for a
    /// page of no spec operation and for `x-departures` entries outside
    /// any one operation.
    pub operation: Option<String>,
    /// RFC 6901 pointer into the spec: where the fact is (or would be) written.
    pub pointer: String,
    /// What was compared, e.g. `maxLength`, `enum`, `enforced maxLength`.
    pub fact: String,
    /// The line of [`Finding::page`] stating the fact; `None` only for
    /// `x-departures` bookkeeping and an operation no page documents.
    pub docs_line: Option<usize>,
    /// The page; `None` only for `x-departures` bookkeeping and an
    /// operation no page documents.
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
            operation: None,
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
        Self::of_spec(status, at, "x-departures", message)
    }

    /// A finding about the spec alone, naming no page line.
    pub(crate) fn of_spec(status: Status, at: &str, fact: &str, message: String) -> Self {
        Self {
            status,
            operation: None,
            pointer: at.to_owned(),
            fact: fact.to_owned(),
            docs_line: None,
            page: None,
            other: None,
            message,
            reason: None,
        }
    }
}
