//! One fact: where the spec holds it, what one page states of it.

use serde_json::Value;

use crate::spec::canonical;

/// What a page says about a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Docs {
    /// The page states this value.
    Says(String),
    /// The page has room for the fact and states nothing: silence.
    Silent,
    /// The page has a cell for it and leaves it empty; the reason names it.
    Open(&'static str),
}

/// How values are compared and worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Plain text, compared exactly; `"quoted"` in messages when `quote`.
    Text { quote: bool },
    /// A number, compared as one (`1` equals `1.0`).
    Number,
    /// A type in OpenAPI spelling (the page's cell read by
    /// [`eg_docs_page::DocsType`]); a bare `array` matches any array.
    Type,
    /// A JSON example, compared as a JSON value.
    Json,
    /// Whether an element exists: values are [`PRESENT`] / [`ABSENT`].
    Presence,
}

/// [`Kind::Presence`] values.
pub(crate) const PRESENT: &str = "present";
/// See [`PRESENT`].
pub(crate) const ABSENT: &str = "absent";

/// Elements whose `x-departures` may excuse a fact: `(holder, field)`.
pub(crate) type Scope = Vec<(String, Option<String>)>;

/// One fact: where it is in the spec, what it is, the spec's value, the
/// page's value, the line and the page.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    /// RFC 6901 pointer into the spec, where the fact is (or would be) written.
    pub at: String,
    /// What is compared: `type`, `maxLength`, `required`, `enum`, `example`, ...
    pub name: String,
    /// Tells facts of one name at one place apart (an enum value, a
    /// property of a `required` list, a description's language).
    pub key: String,
    /// How the fact reads in messages, e.g. `maxLength`, `enum value "PAUSE"`.
    pub subject: String,
    /// The spec's value; `None` when the spec does not set it.
    pub spec: Option<String>,
    /// The page's value.
    pub docs: Docs,
    /// The page line stating the fact (or, for silence, the row or table).
    pub line: usize,
    /// Index of the page in the run.
    pub page: usize,
    /// Elements whose `x-departures` may excuse it.
    pub scope: Scope,
    /// How values compare.
    pub kind: Kind,
    /// How the page wrote its value, when that is not the value compared
    /// (a type cell `Array of strings`, compared as `array of string`).
    pub written: Option<String>,
}

impl Fact {
    /// The value as compared: numbers parsed, JSON with sorted keys.
    pub fn norm(&self, v: &str) -> String {
        match self.kind {
            Kind::Text { .. } | Kind::Presence | Kind::Type => v.to_owned(),
            Kind::Number => v
                .parse::<f64>()
                .map_or_else(|_| v.to_owned(), |n| n.to_string()),
            Kind::Json => {
                serde_json::from_str::<Value>(v).map_or_else(|_| v.to_owned(), |j| canonical(&j))
            }
        }
    }

    /// Whether the spec's value agrees with the page value `v`.
    pub fn agrees(&self, v: &str) -> bool {
        let Some(spec) = &self.spec else {
            return false;
        };
        let (s, d) = (self.norm(spec), self.norm(v));
        match self.kind {
            // A bare `Array` / `Object` cell says no more than that.
            Kind::Type => s == d || (d == "array" && s.starts_with("array")),
            _ => s == d,
        }
    }

    /// The page's value as the page wrote it.
    pub fn docs_shown(&self, v: &str) -> String {
        self.written.clone().unwrap_or_else(|| self.show(v))
    }

    /// A value as messages show it.
    pub fn show(&self, v: &str) -> String {
        match self.kind {
            Kind::Text { quote: true } => format!("{v:?}"),
            _ => v.to_owned(),
        }
    }

    /// `{subject} is {spec}, {place} {what the page says}`.
    pub fn sentence(&self, place: &str) -> String {
        let subject = &self.subject;
        if self.kind == Kind::Presence {
            let spec = if self.spec.is_some() {
                "present"
            } else {
                "missing"
            };
            return match &self.docs {
                Docs::Says(v) if v == PRESENT => {
                    format!("{subject} is {spec}, {place} documents it")
                }
                Docs::Says(_) => format!("{subject} is not in the docs, {place} does not list it"),
                Docs::Silent => format!("{subject} is {spec}, {place} states nothing about it"),
                Docs::Open(why) => format!("{subject} is {spec}, {place} leaves it open ({why})"),
            };
        }
        let spec = self
            .spec
            .as_deref()
            .map_or_else(|| "not set".to_owned(), |s| self.show(s));
        let said = match &self.docs {
            Docs::Says(v) => format!("says {}", self.docs_shown(v)),
            Docs::Silent => "states none".to_owned(),
            Docs::Open(why) => format!("leaves it open ({why})"),
        };
        format!("{subject} is {spec}, {place} {said}")
    }
}
