//! The spec loader and checker on any YAML text, against both real docs
//! pages: never panics; an unreadable spec is an input error naming a line
//! of it; a report's counts add up.
#![no_main]

use eg_spec_check::InputError;
use libfuzzer_sys::fuzz_target;

const ZH: &str = include_str!("../../openapi/OperateEventStreaming.zh-cn.txt");
const EN: &str = include_str!("../../openapi/OperateEventStreaming.en-us.txt");

fuzz_target!(|data: &[u8]| {
    let spec = String::from_utf8_lossy(data);
    match eg_spec_check::check(&[("zh.txt", ZH), ("en.txt", EN)], "eg.yaml", &spec) {
        Ok(report) => {
            let c = report.counts();
            assert_eq!(
                c.checked,
                c.passed
                    + c.failed
                    + c.conflicts
                    + c.page_defects
                    + c.accepted
                    + c.not_checkable
                    + c.not_stated,
                "counts do not add up: {c:?}"
            );
            assert_eq!(report.agrees(), c.failed == 0 && c.conflicts == 0);
            let text = report.text();
            assert_eq!(
                text.lines().count(),
                report.pages.len() + report.groups().len() + c.checked + 1,
                "a header line per page, one per operation, one per finding, the total"
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
            // YAML counts a lone `\r` as a line break too, as editors do.
            let lines = yaml_lines(&spec);
            assert!(
                (1..=lines + 1).contains(&line),
                "error line {line} outside 1..={} of the spec: {message}",
                lines + 1
            );
        }
        Err(e @ (InputError::Read { .. } | InputError::NoPages)) => {
            panic!("check() read a file or lost its pages: {e}")
        }
    }
});

/// Lines as YAML counts them: `\n`, `\r\n` and a lone `\r` end one.
fn yaml_lines(text: &str) -> usize {
    let lone_cr = text
        .as_bytes()
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(text.ends_with('\r'));
    text.matches('\n').count() + lone_cr + 1
}
