//! The `x-departures` ledger: where the spec deliberately differs from a
//! page, pinned to the values both held when the maintainer confirmed it.

use eg_docs_page::Language;
use serde::Deserialize;
use serde_json::Value;

use crate::spec::{join, text};
use crate::{Finding, Status};

/// One `x-departures` entry as the spec writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fact: String,
    #[serde(default)]
    field: Option<String>,
    /// The language of the page whose statement `docs` records; absent
    /// when any page (or none) may state it.
    #[serde(default)]
    page: Option<String>,
    /// Where pages conflict: the language of the page the spec follows.
    #[serde(default)]
    follows: Option<String>,
    spec: Value,
    docs: Value,
    reason: String,
}

/// A parsed entry.
pub(crate) struct Departure {
    /// Pointer of the entry itself.
    pub at: String,
    /// Pointer of the element carrying `x-departures`.
    holder: String,
    pub fact: String,
    field: Option<String>,
    pub page: Option<Language>,
    pub follows: Option<Language>,
    pub spec: String,
    pub docs: String,
    pub reason: String,
    pub used: bool,
}

impl Departure {
    /// Whether the entry is about fact `name` of an element in `scope`.
    pub fn covers(&self, name: &str, scope: &[(String, Option<String>)]) -> bool {
        self.fact == name
            && scope
                .iter()
                .any(|(h, f)| *h == self.holder && *f == self.field)
    }

    /// Whether the entry may excuse a statement of a page in `lang`.
    pub fn for_page(&self, lang: Language) -> bool {
        self.page.is_none_or(|p| p == lang)
    }

    /// Whether `spec` is the value the entry was pinned to (`not set` or
    /// null for a value the spec does not set).
    pub fn spec_matches(&self, spec: Option<&str>) -> bool {
        match spec {
            Some(s) => self.spec == s,
            None => self.spec == "null" || self.spec == "not set",
        }
    }

    /// Whether the page's statement is the one the entry was pinned to:
    /// the value itself, optionally followed by a parenthesised note, or
    /// `not stated…` for silence.
    pub fn docs_matches(&self, docs: Option<&str>) -> bool {
        match docs {
            Some(v) => self.docs == v || self.docs.starts_with(&format!("{v} (")),
            None => self.docs.starts_with("not stated"),
        }
    }
}

/// Every entry of the spec; malformed ones become failures.
pub(crate) fn collect(spec: &Value) -> (Vec<Departure>, Vec<Finding>) {
    let mut out = (Vec::new(), Vec::new());
    walk(spec, String::new(), &mut out);
    out
}

fn malformed(at: &str, message: String) -> Finding {
    Finding::bookkeeping(Status::Fail, at, message)
}

fn walk(v: &Value, at: String, out: &mut (Vec<Departure>, Vec<Finding>)) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let here = join(&at, k);
                if k != "x-departures" {
                    walk(child, here, out);
                    continue;
                }
                let Some(list) = child.as_array() else {
                    out.1
                        .push(malformed(&here, "x-departures is not a list".into()));
                    continue;
                };
                for (i, e) in list.iter().enumerate() {
                    let entry_at = join(&here, &i.to_string());
                    match parse(e, &entry_at, &at) {
                        Ok(d) => out.0.push(d),
                        Err(msg) => out.1.push(malformed(&entry_at, msg)),
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, join(&at, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn parse(e: &Value, at: &str, holder: &str) -> Result<Departure, String> {
    let entry = Entry::deserialize(e).map_err(|e| format!("malformed x-departures entry: {e}"))?;
    let lang = |what: &str, code: &Option<String>| match code {
        None => Ok(None),
        Some(c) => Language::from_code(c).map(Some).ok_or_else(|| {
            format!("malformed x-departures entry: {what} is {c:?}, expected zh-cn or en-us")
        }),
    };
    Ok(Departure {
        at: at.to_owned(),
        holder: holder.to_owned(),
        page: lang("page", &entry.page)?,
        follows: lang("follows", &entry.follows)?,
        fact: entry.fact,
        field: entry.field,
        spec: text(&entry.spec),
        docs: text(&entry.docs),
        reason: entry.reason.trim().to_owned(),
        used: false,
    })
}
