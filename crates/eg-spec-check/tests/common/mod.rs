//! Shared inputs and helpers: the real pages and spec, and edits of them.
#![allow(dead_code)]

use eg_spec_check::{Report, check};

pub const ZH: &str = "openapi/OperateEventStreaming.zh-cn.txt";
pub const EN: &str = "openapi/OperateEventStreaming.en-us.txt";
pub const SPEC: &str = "openapi/eg.yaml";
pub const ZH_TEXT: &str = include_str!("../../../../openapi/OperateEventStreaming.zh-cn.txt");
pub const EN_TEXT: &str = include_str!("../../../../openapi/OperateEventStreaming.en-us.txt");
pub const SPEC_TEXT: &str = include_str!("../../../../openapi/eg.yaml");
/// The golden report of the default run: both pages, the real spec.
pub const GOLDEN: &str = "tests/golden/check-spec.txt";

/// `text` with its only occurrence of `from` replaced by `to`.
#[track_caller]
pub fn swap(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// `text` with 1-based line `n` replaced (line numbers stay put).
pub fn edit(text: &str, n: usize, with: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines[n - 1] = with;
    lines.join("\n") + "\n"
}

/// Both pages, as the default run reads them, against `spec`.
#[track_caller]
pub fn run(zh: &str, en: &str, spec: &str) -> Report {
    check(&[(EN, en), (ZH, zh)], SPEC, spec).expect("inputs parse")
}

/// The text lines of the failures and conflicts, in report order (each
/// group's come first in it; page and operation headers left out).
pub fn failures(r: &Report) -> Vec<String> {
    r.text()
        .lines()
        .filter(|l| l.starts_with("FAIL ") || l.starts_with("CONFLICT "))
        .map(str::to_owned)
        .collect()
}

pub const OP: &str =
    "openapi/eg.yaml#/paths/~1v1~1{project_id}~1eventstreamings~1operate~1{eventstreaming_id}/post";
