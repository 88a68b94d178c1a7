//! Reading the run's inputs from disk.

use std::path::{Path, PathBuf};

use crate::error::invalid;
use crate::{InputError, Report, check};

/// Reads and compares the pages `(path, name)` with the spec at `spec`;
/// the names are used in messages (typically the paths relative to the
/// workspace root). Only regular files of at most
/// [`eg_docs_page::MAX_TEXT_BYTES`] (1 MiB) are read.
pub fn check_files(
    pages: &[(PathBuf, String)],
    spec: &Path,
    spec_name: &str,
) -> Result<Report, InputError> {
    let mut texts = Vec::new();
    for (path, name) in pages {
        texts.push((name.as_str(), read(path, name)?));
    }
    let spec_text = read(spec, spec_name)?;
    let pages: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (*n, t.as_str())).collect();
    check(&pages, spec_name, &spec_text)
}

/// The docs pages kept in `dir`: its regular `.txt` files that have a
/// `URI` line, sorted by name. Other text files (a requirements list) are
/// not pages; a FIFO or device is never opened.
pub fn pages_in(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| InputError::Read {
        file: name.clone(),
        message: e.to_string(),
    })?;
    let mut pages = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt")
            && eg_docs_page::read_text(&path, eg_docs_page::MAX_TEXT_BYTES)
                .is_ok_and(|t| t.lines().any(is_uri_line))
        {
            pages.push(path);
        }
    }
    pages.sort();
    Ok(pages)
}

/// A `URI` heading in any layout (`URI`, `#### URI`, `URI format`, `URI格式`).
fn is_uri_line(line: &str) -> bool {
    let t = line
        .trim()
        .trim_start_matches(['#', '•', '-', '*', ' '])
        .trim();
    t == "URI" || t.eq_ignore_ascii_case("URI format") || t == "URI格式"
}

/// Reads a text file; invalid UTF-8 is reported at its line.
fn read(path: &Path, name: &str) -> Result<String, InputError> {
    use eg_docs_page::ReadError;
    eg_docs_page::read_text(path, eg_docs_page::MAX_TEXT_BYTES).map_err(|e| match e {
        ReadError::NotUtf8 { line, byte } => {
            invalid(name, line, format!("not UTF-8 text (byte {byte})"))
        }
        e => InputError::Read {
            file: name.to_owned(),
            message: e.to_string(),
        },
    })
}
