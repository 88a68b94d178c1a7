//! The three renderings of a page, reduced to one sequence of cells.
//!
//! 1. "Save as text": one cell per paragraph, paragraphs separated by blank
//!    lines (a paragraph may span lines, e.g. a JSON example).
//! 2. Text extractors: one cell per line, no blank lines, each table cell
//!    ending in ` |`, and a `---|---|` row after each header row.
//! 3. Browser copy-paste: one table row per line, cells separated by tabs,
//!    an empty cell where the page leaves one empty.
//!
//! Renderings 2 and 3 are recognised by their marks (a ` |` cell end, a
//! `---|` row, a tab) and read line by line: every non-blank line, or every
//! tab-separated part of one, is a cell. Empty cells are dropped, which is
//! what rendering 1 shows for them (nothing), so the parser sees the same
//! cells in every rendering.

/// A cell: one or more lines of the page, trimmed.
pub(crate) struct Para<'a> {
    /// 1-based line of the first line.
    pub line: usize,
    /// The lines, trimmed.
    pub lines: Vec<&'a str>,
    /// The lines joined with `\n`.
    pub text: String,
}

impl Para<'_> {
    /// The 1-based line of the last line.
    pub fn end(&self) -> usize {
        self.line + self.lines.len().saturating_sub(1)
    }
}

/// `---|---|---|---|`, with optional colons and spaces.
fn is_separator_row(t: &str) -> bool {
    t.contains("---") && t.contains('|') && t.chars().all(|c| "-|: ".contains(c))
}

/// A cell of rendering 2 without its ` |` end; `|` alone is an empty cell.
fn strip_bar(t: &str) -> &str {
    match t.strip_suffix('|') {
        Some(rest) if rest.is_empty() || rest.ends_with(' ') => rest.trim_end(),
        _ => t,
    }
}

/// Splits `raw` into cells, whatever its rendering.
pub(crate) fn cells<'a>(raw: &[&'a str]) -> Vec<Para<'a>> {
    let line_mode = raw.iter().any(|l| {
        let t = l.trim();
        l.contains('\t') || t.ends_with(" |") || is_separator_row(t)
    });
    if !line_mode {
        return paragraphs(raw);
    }
    let mut out = Vec::new();
    for (i, l) in raw.iter().enumerate() {
        let t = l.trim();
        if is_separator_row(t) {
            continue;
        }
        for part in t.split('\t') {
            let part = strip_bar(part.trim());
            if !part.is_empty() {
                out.push(Para {
                    line: i + 1,
                    lines: vec![part],
                    text: part.to_owned(),
                });
            }
        }
    }
    out
}

/// Rendering 1: runs of consecutive non-blank lines.
fn paragraphs<'a>(raw: &[&'a str]) -> Vec<Para<'a>> {
    let mut out = Vec::new();
    let mut cur: Option<Para<'a>> = None;
    for (i, l) in raw.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            out.extend(cur.take());
        } else {
            cur.get_or_insert_with(|| Para {
                line: i + 1,
                lines: Vec::new(),
                text: String::new(),
            })
            .lines
            .push(t);
        }
    }
    out.extend(cur);
    for p in &mut out {
        p.text = p.lines.join("\n");
    }
    out
}
