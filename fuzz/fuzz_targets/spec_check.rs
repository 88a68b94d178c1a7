//! The spec loader and checker on any YAML text, against the real docs
//! page: never panics; an unreadable spec is an input error naming a line
//! of it; a report's counts add up.
#![no_main]

use eg_spec_check::InputError;
use libfuzzer_sys::fuzz_target;

const DOCS: &str = include_str!("../../openapi/OperateEventStreaming.zh-cn.txt");

fuzz_target!(|data: &[u8]| {
    let spec = String::from_utf8_lossy(data);
    match eg_spec_check::check("docs.txt", DOCS, "eg.yaml", &spec) {
        Ok(report) => {
            let c = report.counts();
            assert_eq!(
                c.checked,
                c.passed + c.failed + c.accepted + c.not_checkable,
                "counts do not add up: {c:?}"
            );
            assert_eq!(report.agrees(), c.failed == 0);
            let text = report.text();
            assert_eq!(
                text.lines().count(),
                c.checked + 1,
                "one line per finding plus the total"
            );
        }
        Err(InputError::Invalid {
            file,
            line,
            message,
        }) => {
            assert_eq!(
                file, "eg.yaml",
                "the real docs page was blamed: {line}: {message}"
            );
            let lines = spec.lines().count().max(1);
            assert!(
                (1..=lines + 1).contains(&line),
                "error line {line} outside 1..={} of the spec: {message}",
                lines + 1
            );
        }
        Err(e @ InputError::Read { .. }) => panic!("check() read a file: {e}"),
    }
});
