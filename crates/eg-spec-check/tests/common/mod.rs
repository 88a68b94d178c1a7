//! Shared inputs and helpers: the real page and spec, and edits of them.
#![allow(dead_code)]

use eg_spec_check::{Report, Status, check};

pub const DOCS: &str = "openapi/OperateEventStreaming.zh-cn.txt";
pub const SPEC: &str = "openapi/eg.yaml";
pub const PAGE_TEXT: &str = include_str!("../../../../openapi/OperateEventStreaming.zh-cn.txt");
pub const SPEC_TEXT: &str = include_str!("../../../../openapi/eg.yaml");

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

#[track_caller]
pub fn run(page: &str, spec: &str) -> Report {
    check(DOCS, page, SPEC, spec).expect("inputs parse")
}

/// The text lines of the failures, in report order.
pub fn failures(r: &Report) -> Vec<String> {
    let text = r.text();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .count();
    lines[..n].to_vec()
}

pub const OP: &str =
    "openapi/eg.yaml#/paths/~1v1~1{project_id}~1eventstreamings~1operate~1{eventstreaming_id}/post";
