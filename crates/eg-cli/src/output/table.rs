//! The cells of `--output table`: fixed-width columns, each cell one line
//! fit for a terminal.

use std::io;

use eg_cli::ids::{escape_id, is_format};

use super::Outcome;

/// The longest ERROR cell of the table, in characters.
pub const ERROR_CELL_CHARS: usize = 200;
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

pub(super) const HEADER: [&str; 5] = ["ID", "RESULT", "STATUS", "REQUEST ID", "ERROR"];

/// The table's column widths, fixed so that each row can be written as soon
/// as its id is done: a UUID, `failed`, `STATUS`, a 32-character request id.
/// A longer cell widens its own row only; two spaces always separate cells.
pub const COLUMN_WIDTHS: [usize; 4] = [36, 6, 6, 32];

/// One table row: the id escaped ([`escape_id`]), `-` for an empty cell,
/// the other cells made single-line by [`one_line`], the ERROR cell cut at
/// [`ERROR_CELL_CHARS`].
pub(super) fn table_row(o: &Outcome) -> [String; 5] {
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
pub(super) fn write_row(out: &mut impl io::Write, row: &[String; 5]) -> io::Result<()> {
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
}
