//! The docs-page parser on any bytes: never panics, and an error names a
//! line of the page (invalid UTF-8 is read lossily, as a page saved in
//! another encoding would be by a lenient reader).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = eg_docs_page::parse(&text) {
        let lines = text.lines().count().max(1);
        assert!(
            (1..=lines + 1).contains(&e.line),
            "error line {} outside 1..={} for a {lines}-line page: {e}",
            e.line,
            lines + 1
        );
        assert!(
            !e.message.is_empty(),
            "error without a message at line {}",
            e.line
        );
    }
});
