//! The CLI's id-list reader on any bytes: only invalid UTF-8 (or a line over
//! the reader's limit) is an error, and every id read is a trimmed,
//! non-empty, single-line (no `\n`, no `\r`), non-comment line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match eg_cli::ids::read_ids(data) {
        Ok(ids) => {
            assert!(
                std::str::from_utf8(data).is_ok(),
                "invalid UTF-8 was accepted"
            );
            for id in &ids {
                assert!(!id.is_empty());
                assert_eq!(id.trim(), id);
                assert!(!id.starts_with('#'), "comment read as an id: {id:?}");
                assert!(!id.contains(['\n', '\r']), "id spans lines: {id:?}");
            }
            // `\n`, `\r\n` and `\r` each end a line.
            let lines = std::str::from_utf8(data).map_or(0, |t| t.split(['\n', '\r']).count());
            assert!(ids.len() <= lines);
        }
        Err(e) => {
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
            assert!(
                std::str::from_utf8(data).is_err() || data.len() > eg_cli::ids::MAX_LINE_BYTES,
                "valid UTF-8 refused: {e}"
            );
        }
    }
});
