//! The id-list reader behind `--ids-from FILE` (`-` for stdin).

use std::io::{self, Read};

/// Reads an id list: the whole input must be UTF-8 (else an
/// [`io::ErrorKind::InvalidData`] error); then see [`parse_ids`].
pub fn read_ids(reader: impl Read) -> io::Result<Vec<String>> {
    let text = io::read_to_string(reader)?;
    Ok(parse_ids(&text).collect())
}

/// One id per line; whitespace trimmed, blank lines and `#` comments skipped.
pub fn parse_ids(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_skip_blanks_and_comments() {
        let ids: Vec<String> = parse_ids(" a \n\n# note\n\tb\r\n  # indented\nc#d\n").collect();
        assert_eq!(ids, ["a", "b", "c#d"]);
    }

    #[test]
    fn invalid_utf8_is_an_invalid_data_error() {
        let error = read_ids(&b"a\n\xff\n"[..]).expect_err("not UTF-8");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert_eq!(error.to_string(), "stream did not contain valid UTF-8");
    }
}
