//! The id-list reader behind `--ids-from FILE` (`-` for stdin), and how an
//! id is shown on a terminal.
//!
//! The list is read as a stream, one line at a time, so that a million ids
//! cost no more memory than ten: [`IdReader`] yields each id as it is read.

use std::io::{self, BufRead, BufReader, Read};

/// The longest line an id list may have, in bytes: far above any id a URL
/// can carry, and a bound on what one line can make the reader hold.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// The ids of a list, one per line, read as they are asked for.
///
/// A leading UTF-8 byte-order mark is skipped; lines end with `\n`, `\r\n`
/// or `\r`; each line is trimmed of whitespace; blank lines and lines
/// starting with `#` are skipped. A line that is not UTF-8, or longer than
/// [`MAX_LINE_BYTES`], is an [`io::ErrorKind::InvalidData`] error naming
/// its line number; the reader ends after the first error.
pub struct IdReader<R> {
    reader: R,
    /// The current line's bytes.
    line: Vec<u8>,
    /// Lines read so far, the current one included.
    number: u64,
    /// The last line ended with `\r`: a `\n` right after it is its ending too.
    after_cr: bool,
    done: bool,
}

impl<R: BufRead> IdReader<R> {
    /// Reads ids from `reader`.
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            line: Vec::new(),
            number: 0,
            after_cr: false,
            done: false,
        }
    }

    /// Reads the next line into `self.line`, without its ending; false at
    /// the end of the input.
    fn next_line(&mut self) -> io::Result<bool> {
        self.line.clear();
        let mut read_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                if read_any {
                    self.number += 1;
                }
                return Ok(read_any);
            }
            let start = usize::from(self.after_cr && chunk[0] == b'\n');
            self.after_cr = false;
            let rest = &chunk[start..];
            let (used, ended) = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(at) => {
                    self.line.extend_from_slice(&rest[..at]);
                    self.after_cr = rest[at] == b'\r';
                    (start + at + 1, true)
                }
                None => {
                    self.line.extend_from_slice(rest);
                    (chunk.len(), false)
                }
            };
            read_any |= used > start;
            self.reader.consume(used);
            if self.line.len() > MAX_LINE_BYTES {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "line {}: longer than {MAX_LINE_BYTES} bytes",
                        self.number + 1
                    ),
                ));
            }
            if ended {
                self.number += 1;
                return Ok(true);
            }
        }
    }
}

impl<R: BufRead> Iterator for IdReader<R> {
    type Item = io::Result<String>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.next_line() {
                Ok(true) => {}
                Ok(false) => self.done = true,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
            if self.done {
                break;
            }
            let mut bytes = self.line.as_slice();
            if self.number == 1 {
                bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            }
            let Ok(text) = std::str::from_utf8(bytes) else {
                self.done = true;
                return Some(Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("line {}: not UTF-8", self.number),
                )));
            };
            let id = text.trim();
            if !id.is_empty() && !id.starts_with('#') {
                return Some(Ok(id.to_owned()));
            }
        }
        None
    }
}

/// Reads a whole id list (see [`IdReader`]) into memory: for tests and
/// fuzzing; `eg` itself streams.
pub fn read_ids(reader: impl Read) -> io::Result<Vec<String>> {
    IdReader::new(BufReader::new(reader)).collect()
}

/// `id` as one unambiguous terminal cell: every character that would not
/// show as itself is escaped visibly, so that the cell is never an id other
/// than the one sent. A backslash is `\\`; tab, line feed and carriage
/// return are `\t`, `\n`, `\r`; any other whitespace (a space included),
/// control or invisible formatting character (a byte-order mark, a
/// zero-width space, a bidirectional override...) is `\u{hex}`.
pub fn escape_id(id: &str) -> String {
    let mut cell = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '\\' => cell.push_str("\\\\"),
            '\t' => cell.push_str("\\t"),
            '\n' => cell.push_str("\\n"),
            '\r' => cell.push_str("\\r"),
            c if c.is_whitespace() || c.is_control() || is_format(c) => {
                cell.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
            }
            c => cell.push(c),
        }
    }
    cell
}

/// Unicode's format characters (category Cf) and the other characters that
/// draw nothing or reorder the text around them (CVE-2021-42574).
pub fn is_format(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}'
        | '\u{890}'..='\u{891}' | '\u{8e2}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}' | '\u{110bd}' | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e0fff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(bytes: &[u8]) -> Vec<String> {
        read_ids(bytes).expect("readable")
    }

    #[test]
    fn ids_skip_blanks_and_comments() {
        assert_eq!(
            ids(b" a \n\n# note\n\tb\r\n  # indented\nc#d\n"),
            ["a", "b", "c#d"]
        );
    }

    #[test]
    fn every_line_ending_and_a_leading_bom() {
        assert_eq!(
            ids(b"\xef\xbb\xbfs1\rs2\r\ns3\n\rs4\r\r\ns5"),
            ["s1", "s2", "s3", "s4", "s5"]
        );
        // A CR at the end of one read and its LF at the start of the next.
        let split = io::Read::chain(&b"s1\r"[..], &b"\ns2"[..]);
        assert_eq!(
            IdReader::new(BufReader::with_capacity(1, split))
                .collect::<io::Result<Vec<_>>>()
                .expect("readable"),
            ["s1", "s2"]
        );
        // Only a leading BOM is one; elsewhere it is part of the id.
        assert_eq!(ids(b"s1\n\xef\xbb\xbfs2\n"), ["s1", "\u{feff}s2"]);
        assert_eq!(ids(b"\xef\xbb\xbf"), Vec::<String>::new());
    }

    #[test]
    fn invalid_utf8_is_an_invalid_data_error_naming_its_line() {
        let mut reader = IdReader::new(&b"a\r\n\xff\nb\n"[..]);
        assert_eq!(reader.next().map(Result::ok), Some(Some("a".to_owned())));
        let error = reader
            .next()
            .and_then(Result::err)
            .expect("an error for line 2");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert_eq!(error.to_string(), "line 2: not UTF-8");
        assert!(reader.next().is_none(), "the reader ends after an error");
    }

    #[test]
    fn a_line_over_the_limit_is_refused() {
        let mut text = vec![b'x'; MAX_LINE_BYTES + 1];
        text.push(b'\n');
        let error = read_ids(&text[..]).expect_err("too long");
        assert_eq!(
            (error.kind(), error.to_string()),
            (
                io::ErrorKind::InvalidData,
                format!("line 1: longer than {MAX_LINE_BYTES} bytes")
            )
        );
        text.truncate(MAX_LINE_BYTES);
        assert_eq!(
            ids(&text).iter().map(String::len).collect::<Vec<_>>(),
            [MAX_LINE_BYTES]
        );
    }

    #[test]
    fn escaped_ids_show_what_was_sent() {
        assert_eq!(escape_id("6a3f-0c2e_s.1"), "6a3f-0c2e_s.1");
        assert_eq!(escape_id("\u{feff}s1"), "\\u{feff}s1");
        assert_eq!(escape_id("s1\rs2"), "s1\\rs2");
        assert_eq!(
            escape_id("a b\tc\nd\\e\u{1b}[31m\u{202e}f\u{200b}\u{a0}\u{7f}"),
            "a\\u{20}b\\tc\\nd\\\\e\\u{1b}[31m\\u{202e}f\\u{200b}\\u{a0}\\u{7f}"
        );
        assert_eq!(escape_id("流-é"), "流-é");
    }
}
