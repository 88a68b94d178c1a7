//! The CLI's id-list reader on any bytes: only invalid UTF-8 is an error,
//! and every id read is a trimmed, non-empty, single-line, non-comment line.
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
                assert!(!id.contains('\n'), "id spans lines: {id:?}");
            }
            let lines = std::str::from_utf8(data).map_or(0, |t| t.lines().count());
            assert!(ids.len() <= lines);
        }
        Err(e) => {
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
            assert!(
                std::str::from_utf8(data).is_err(),
                "valid UTF-8 refused: {e}"
            );
        }
    }
});
