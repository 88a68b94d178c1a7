//! The layouts of a page, reduced to one sequence of cells.
//!
//! 1. Paragraph ("save as text"): one cell per paragraph, paragraphs
//!    separated by blank lines (a paragraph may span lines, e.g. JSON).
//! 2. Piped, with a lone `|` line before each row, and 3. piped without it:
//!    one cell per line, each table cell ending in ` |`, a `---|---|` rule
//!    after each header row.
//! 4. Row per line: `| a | b | c |`, a `|---|---|` rule under the header.
//! 5. Markdown source: `####` headings, row-per-line tables with `:---`
//!    rules, fenced JSON, `\*` escapes and `**bold**` captions.
//! 6. Legacy bulleted pages use layout 1 with `•` bullets (read by the
//!    parser). Browser copies with tab-separated rows are read too.
//!
//! [`normalize`] removes the Markdown marks first (line numbers stay put).
//! Then layouts 2 to 5 are recognised by their marks (a ` |` cell end, a
//! rule row, a `| a | b |` row, a tab) and read line by line: every
//! non-blank line, or every cell of a row, is a cell, and `<br>` splits a
//! cell into lines. Empty cells are dropped, which is what layout 1 shows
//! for them (nothing), so the parser sees the same cells in every layout.

/// A cell: one or more lines of the page, trimmed.
#[derive(Debug, Clone)]
pub(crate) struct Para {
    /// 1-based line of the first line.
    pub line: usize,
    /// The lines, trimmed, each with its 1-based line (cells of one row
    /// share their line).
    pub lines: Vec<(usize, String)>,
    /// The lines joined with `\n`.
    pub text: String,
}

impl Para {
    pub(crate) fn new(lines: Vec<(usize, String)>) -> Self {
        let line = lines.first().map_or(1, |l| l.0);
        let text = lines
            .iter()
            .map(|l| l.1.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        Self { line, lines, text }
    }

    /// The 1-based line of the last line.
    pub fn end(&self) -> usize {
        self.lines.last().map_or(self.line, |l| l.0)
    }
}

/// `---|---|---|---|` or `|:---|:---|`, with optional colons and spaces.
fn is_separator_row(t: &str) -> bool {
    t.contains("---") && t.contains('|') && t.chars().all(|c| "-|: ".contains(c))
}

/// `| a | b |`: a whole table row on one line.
fn is_pipe_row(t: &str) -> bool {
    t.len() > 2 && t.starts_with('|') && t.ends_with('|') && t[1..t.len() - 1].contains('|')
}

/// A cell of layout 2 without its ` |` end; `|` alone is an empty cell.
fn strip_bar(t: &str) -> &str {
    match t.strip_suffix('|') {
        Some(rest) if rest.is_empty() || rest.ends_with(' ') => rest.trim_end(),
        _ => t,
    }
}

/// Markdown marks removed, one output line per input line: `#` heading
/// marks, fence lines (blank, so a fenced example is a paragraph of its
/// own), `**`, and backslash escapes outside fences.
pub(crate) fn normalize(raw: &[&str]) -> Vec<String> {
    let mut fenced = false;
    raw.iter()
        .map(|l| {
            let t = l.trim();
            if t.starts_with("```") {
                fenced = !fenced;
                return String::new();
            }
            if fenced {
                return (*l).to_owned();
            }
            let t = match t.trim_start_matches('#') {
                rest if rest.len() < t.len() && (rest.starts_with(' ') || rest.is_empty()) => {
                    rest.trim()
                }
                _ => t,
            };
            // Indentation is kept: JSON error columns count from the line start.
            let mut out = l
                .get(..l.len() - l.trim_start().len())
                .unwrap_or_default()
                .to_owned();
            let mut chars = t.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    // `\|` stays escaped (not a cell border); `\"` is JSON's.
                    '\\' if chars.peek().is_some_and(|n| "*<>_#[]`~".contains(*n)) => {
                        out.extend(chars.next());
                    }
                    '*' if chars.peek() == Some(&'*') => {
                        chars.next();
                    }
                    c => out.push(c),
                }
            }
            out
        })
        .collect()
}

/// A cell's text split at `<br>` into lines, all at line `n`.
fn cell_lines(n: usize, text: &str) -> Vec<(usize, String)> {
    text.split("<br>")
        .flat_map(|p| p.split("<br/>"))
        .flat_map(|p| p.split("<br />"))
        .map(|p| (n, p.trim().replace("\\|", "|")))
        .filter(|(_, p)| !p.is_empty())
        .collect()
}

/// Splits a `| a | b |` row at its unescaped bars.
fn row_cells(t: &str) -> Vec<&str> {
    let inner = &t[1..t.len() - 1];
    let mut out = Vec::new();
    let (mut start, mut prev) = (0, ' ');
    for (i, c) in inner.char_indices() {
        if c == '|' && prev != '\\' {
            out.push(&inner[start..i]);
            start = i + 1;
        }
        prev = c;
    }
    out.push(&inner[start..]);
    out
}

/// Splits the normalized `lines` into cells, whatever the layout.
pub(crate) fn cells(lines: &[String]) -> Vec<Para> {
    let line_mode = lines.iter().any(|l| {
        let t = l.trim();
        l.contains('\t') || t.ends_with(" |") || is_separator_row(t) || is_pipe_row(t)
    });
    if !line_mode {
        return paragraphs(lines);
    }
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() || is_separator_row(t) {
            continue;
        }
        let parts: Vec<&str> = if is_pipe_row(t) {
            row_cells(t)
        } else {
            t.split('\t').map(|p| strip_bar(p.trim())).collect()
        };
        for part in parts {
            let lines = cell_lines(i + 1, part);
            if !lines.is_empty() {
                out.push(Para::new(lines));
            }
        }
    }
    out
}

/// Layout 1: runs of consecutive non-blank lines.
fn paragraphs(lines: &[String]) -> Vec<Para> {
    let mut out = Vec::new();
    let mut cur: Vec<(usize, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            if !cur.is_empty() {
                out.push(Para::new(std::mem::take(&mut cur)));
            }
        } else {
            cur.push((i + 1, t.to_owned()));
        }
    }
    if !cur.is_empty() {
        out.push(Para::new(cur));
    }
    out
}
