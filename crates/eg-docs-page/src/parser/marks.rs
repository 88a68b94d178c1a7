//! The kinds of cell: what a cell's text marks it as (a heading, a status
//! heading, a table title, a label, a bullet, the endpoint line).

use crate::words::{self, Label, Section};
use crate::{Endpoint, Language};

/// What a cell is, structurally.
pub(super) enum Mark {
    Section(Section),
    /// `状态码: 200`; `Err` carries the non-numeric code text.
    Status(std::result::Result<u16, String>),
    Table,
    /// A legacy bullet heading (`• Parameter description`): it ends a
    /// table and opens nothing.
    Aside,
    Text,
}

/// Splits `key: value` at the first ASCII or full-width colon.
pub(super) fn kv(text: &str) -> Option<(&str, &str)> {
    let i = text.find([':', '\u{ff1a}'])?;
    let (k, rest) = text.split_at(i);
    let colon = rest.chars().next()?.len_utf8();
    Some((k.trim(), rest.get(colon..)?.trim()))
}

pub(super) fn mark(text: &str) -> (Mark, Option<Language>) {
    if let Some((s, lang)) = words::section(text) {
        return (Mark::Section(s), lang);
    }
    if let Some((k, v)) = kv(text)
        && let Some(lang) = words::status_key(k)
        && !v.contains('\n')
    {
        return (
            Mark::Status(v.parse().map_err(|_| v.to_owned())),
            Some(lang),
        );
    }
    if text.starts_with('•') && words::is_aside(words::bare(text)) {
        return (Mark::Aside, None);
    }
    for &(prefix, lang) in words::TABLE_PREFIXES {
        let titled = text
            .get(..prefix.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(prefix))
            && text
                .get(prefix.len()..)
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        if titled && !text.contains('\n') {
            return (Mark::Table, Some(lang));
        }
    }
    (Mark::Text, None)
}

/// Headings, status headings and table titles end a table.
pub(super) fn ends_table(text: &str) -> bool {
    !matches!(mark(text).0, Mark::Text)
}

/// An HTTP header name as pages write them: `X-Auth-Token`, `Content-Type`.
pub(super) fn is_header_name(name: &str) -> bool {
    name.contains('-') && name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The label a description line starts with (`参数解释:`), and the rest.
pub(super) fn label(text: &str) -> Option<(Label, &str)> {
    let (k, v) = kv(text)?;
    let (_, l) = words::LABELS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(k))?;
    Some((*l, v))
}

/// A description line after the first: a known `key: value`, a label or
/// a bullet.
pub(super) fn is_detail(text: &str) -> bool {
    bullet(text).is_some()
        || kv(text).is_some_and(|(k, _)| words::key(k).is_some())
        || label(text).is_some()
}

/// The item of a bullet: `• START`, or Markdown's `- START`.
pub(super) fn bullet(text: &str) -> Option<&str> {
    text.strip_prefix('•')
        .or_else(|| text.strip_prefix("- "))
        .map(str::trim)
}

/// `METHOD /path`, with any run of spaces between them.
pub(super) fn endpoint_of(text: &str) -> Option<Endpoint> {
    const METHODS: &[&str] = &["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
    let t = text.trim_matches('`');
    let mut words = t.split_whitespace();
    let (method, path) = (words.next()?, words.next()?);
    (METHODS.contains(&method) && path.starts_with('/') && words.next().is_none()).then(|| {
        Endpoint {
            method: method.into(),
            path: path.into(),
        }
    })
}
