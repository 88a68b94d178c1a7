//! Reading a page (or a spec) from disk without trusting the path: only a
//! regular file is opened, so a FIFO cannot block the reader and a link to
//! `/dev/zero` cannot fill memory, and no more than a set number of bytes
//! is read.

use std::io::Read;
use std::path::Path;

/// The largest file [`read_text`] accepts by default: 1 MiB. Real pages are
/// under 100 KiB and the spec under 20 KiB.
pub const MAX_TEXT_BYTES: u64 = 1 << 20;

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused (missing file, no permission).
    #[error("{0}")]
    Io(String),
    /// The path names a directory, FIFO, socket or device.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// The file holds more than the limit.
    #[error("larger than {limit} bytes, the limit for a page or spec")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The bytes are not UTF-8.
    #[error("not UTF-8 text (byte {byte})")]
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Offset of the first invalid byte.
        byte: usize,
    },
}

fn kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a file"
    }
}

/// Reads the regular file at `path` (links followed) as UTF-8 text of at
/// most `limit` bytes.
///
/// ```
/// use eg_docs_page::{ReadError, read_text};
/// let e = read_text(std::path::Path::new("/dev/zero"), 1 << 20).unwrap_err();
/// assert_eq!(e, ReadError::NotRegular("a device"));
/// ```
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    // stat before open: opening a FIFO would block until a writer comes.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The file may have been swapped or grown since the stat.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(ReadError::NotRegular("not a file"));
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    String::from_utf8(bytes).map_err(|e| {
        let byte = e.utf8_error().valid_up_to();
        let line = 1 + e
            .as_bytes()
            .get(..byte)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        ReadError::NotUtf8 { line, byte }
    })
}
