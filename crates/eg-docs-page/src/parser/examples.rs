//! JSON examples, each read up to the bracket that closes it.

use super::marks::ends_table;
use super::{Parser, Result, err};
use crate::Example;
use crate::cells::Para;

/// The first line of a cell that starts an example, and the byte offset
/// in it: a line opening with `{` or `[`, the bare word `null`, or a
/// request line with its body on it (`POST https://… {"a":1}`).
pub(super) fn example_start(q: &Para) -> Option<(usize, usize)> {
    q.lines.iter().enumerate().find_map(|(k, (_, l))| {
        if l.starts_with(['{', '[']) || l == "null" {
            return Some((k, 0));
        }
        json_after_request(l).map(|at| (k, at))
    })
}

/// A request line with its body on the same line: the byte offset of the
/// body in the line.
pub(super) fn json_after_request(first: &str) -> Option<usize> {
    let (method, rest) = first.split_once(' ')?;
    if !method.chars().all(|c| c.is_ascii_uppercase()) || method.is_empty() {
        return None;
    }
    let lead = rest.len() - rest.trim_start().len();
    let url_len = rest.trim_start().find(char::is_whitespace)?;
    let body_at = method.len() + 1 + lead + url_len;
    let body = first.get(body_at..)?;
    let offset = body.len() - body.trim_start().len();
    body.trim_start()
        .starts_with(['{', '['])
        .then_some(body_at + offset)
}

impl Parser {
    /// The index of the cell holding 1-based line `line`.
    pub(super) fn para_at(&self, line: usize) -> usize {
        self.paras.partition_point(|p| p.end() < line)
    }

    /// A JSON example starting at line `k` of the current cell, byte
    /// `skip`: the text up to the bracket that closes it, parsed with
    /// serde_json. The cell is split there, so text after the example
    /// (another bullet, another example) is read on. A heading inside an
    /// open example means the copy was cut off.
    pub(super) fn json(&mut self, status: Option<u16>, k: usize, skip: usize) -> Result<Example> {
        let Some((start, first)) = self
            .paras
            .get(self.pos)
            .and_then(|p| p.lines.get(k))
            .cloned()
        else {
            return Err(err(1, "no example here"));
        };
        let cut_off = |s: &mut Self, line: usize| {
            s.pos = s.para_at(line);
            err(start, format!("unterminated JSON example at line {start}"))
        };
        if first == "null" {
            self.split_after(start);
            return Ok(Example {
                status,
                line: start,
                json: serde_json::Value::Null,
            });
        }
        let lead = self
            .norm
            .get(start - 1)
            .map_or(0, |l| l.len() - l.trim_start().len());
        let (mut depth, mut in_str, mut escaped) = (0i64, false, false);
        let mut text = String::new();
        let mut n = start;
        let end = 'lines: loop {
            let Some(raw) = self.norm.get(n - 1) else {
                return Err(cut_off(self, n));
            };
            let from = if n == start { lead + skip } else { 0 };
            let line = raw.get(from..).unwrap_or_default();
            if n > start && !in_str && ends_table(line.trim()) && !line.trim().is_empty() {
                return Err(cut_off(self, n));
            }
            for (i, c) in line.char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' if in_str => escaped = true,
                    '"' => in_str = !in_str,
                    '{' | '[' if !in_str => depth += 1,
                    '}' | ']' if !in_str => {
                        depth -= 1;
                        if depth <= 0 {
                            text.push_str(line.get(..i + 1).unwrap_or_default());
                            break 'lines n;
                        }
                    }
                    _ => {}
                }
            }
            text.push_str(line);
            text.push('\n');
            n += 1;
        };
        self.split_after(end);
        serde_json::from_str(&text)
            .map(|json| Example {
                status,
                line: start,
                json,
            })
            .map_err(|e| {
                let msg = e.to_string();
                let msg = msg
                    .rsplit_once(" at line ")
                    .map_or(msg.as_str(), |(m, _)| m);
                err(
                    start + e.line().max(1) - 1,
                    format!("invalid JSON example: {msg} (column {})", e.column()),
                )
            })
    }

    /// Moves past line `end`; the rest of the cell holding it, if any,
    /// becomes the current cell.
    pub(super) fn split_after(&mut self, end: usize) {
        let i = self.para_at(end);
        let rest: Vec<(usize, String)> = self
            .paras
            .get(i)
            .map(|p| p.lines.iter().filter(|l| l.0 > end).cloned().collect())
            .unwrap_or_default();
        if rest.is_empty() {
            self.pos = i + 1;
        } else if let Some(p) = self.paras.get_mut(i) {
            *p = Para::new(rest);
            self.pos = i;
        }
    }
}
