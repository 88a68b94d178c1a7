//! Issue 19: editions of one page, the page against itself, and the same
//! findings from every layout of the real pages.

mod common;
#[path = "../../eg-docs-page/tests/common/render.rs"]
mod render;

use common::*;
use eg_docs_page::{Located, Mandatory, parse};
use eg_spec_check::{Report, Status, check};
use render::{LAYOUTS, Layout};

const NEW: &str = "openapi/OperateEventStreaming.zh-cn.2025-12-18.txt";

/// The 2025-12-18 edition of the zh-cn page as the reference describes
/// it, in the piped layout: `project_id` is 租户资源空间ID, X-Auth-Token is
/// 是 and `operation` 否, and the token limits, the enum and the
/// per-status error tables are no longer printed.
fn edition_2025() -> String {
    let mut p = parse(ZH_TEXT).expect("parses");
    p.edition = Some(Located::new("2025-12-18".into(), 1));
    p.path_params[0].description.value = "租户资源空间ID".into();
    let token = &mut p.header_params[0];
    token.mandatory.value = Mandatory::Yes;
    (token.min_length, token.max_length) = (None, None);
    p.body_fields[0].mandatory.value = Mandatory::No;
    p.body_fields[0].enum_values.clear();
    p.responses.retain(|r| r.status.value < 400);
    render::render(&p, Layout::Piped)
}

fn run3(new: &str) -> Report {
    check(&[(EN, EN_TEXT), (ZH, ZH_TEXT), (NEW, new)], SPEC, SPEC_TEXT).expect("inputs parse")
}

#[test]
fn the_newest_edition_supersedes_the_older() {
    let new = edition_2025();
    let r = run3(&new);
    let text = r.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..3],
        [
            format!("page {EN} [en-us] edition 2025-05-06"),
            format!(
                "page {ZH} [zh-cn] edition 2023-12-12, superseded by {NEW} (edition 2025-12-18)"
            ),
            format!("page {NEW} [zh-cn] edition 2025-12-18"),
        ]
    );
    // Never a conflict between editions.
    assert_eq!(r.counts().conflicts, 0, "{text}");
    // What only the older edition states: NOT STATED, never a failure.
    let token = format!("{OP}/parameters/2/schema maxLength is 16384, ");
    let token_lines: Vec<&&str> = lines.iter().filter(|l| l.contains(&token)).collect();
    assert!(!token_lines.is_empty());
    for l in token_lines {
        assert!(l.starts_with("NOT STATED ") || l.starts_with("ok "), "{l}");
    }
    assert!(
        lines.iter().any(|l| l.starts_with("NOT STATED ")
            && l.contains(&token)
            && l.ends_with(&format!(
                "stated by the 2023-12-12 edition ({ZH}:60 [zh-cn]), no longer printed"
            ))),
        "{text}"
    );
    // What the newest states differently fails, naming both editions' lines.
    let desc = lines
        .iter()
        .find(|l| l.starts_with(&format!("FAIL {OP}/parameters/0 description (zh-cn)")))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        desc.contains(&format!("{NEW}:")) && desc.contains("says \"租户资源空间ID\""),
        "{desc}"
    );
    assert!(
        desc.contains(&format!(
            "(the 2023-12-12 edition, {ZH}:32 [zh-cn], said \"租户项目ID\")"
        )),
        "{desc}"
    );
    // Only the newest edition's facts are failures.
    for l in lines.iter().filter(|l| l.starts_with("FAIL ")) {
        assert!(
            !l.contains(&format!("{ZH}:")) || l.contains(&format!("{NEW}:")),
            "{l}"
        );
    }
}

#[test]
fn the_older_edition_alone_is_current() {
    let r = check(&[(EN, EN_TEXT), (ZH, ZH_TEXT)], SPEC, SPEC_TEXT).expect("parses");
    assert!(r.pages.iter().all(|p| p.current));
}

/// An example against the page's own tables: a field no table lists, an
/// enum value the table does not give. `PAGE`, not a spec failure.
#[test]
fn a_page_that_contradicts_itself() {
    let page = swap(
        ZH_TEXT,
        "请求示例\n\n",
        "请求示例\n\n{\"operation\": \"RESUME\", \"force\": true}\n\n",
    );
    let page = swap(
        &page,
        "\"error_msg\" : \"Bad request\"",
        "\"error_mesage\" : \"Bad request\"",
    );
    let r = check(&[(ZH, &page)], SPEC, SPEC_TEXT).expect("parses");
    let text = r.text();
    let defects: Vec<&str> = text.lines().filter(|l| l.starts_with("PAGE ")).collect();
    assert_eq!(
        defects,
        [
            // Keys in the order serde_json keeps them: sorted.
            format!(
                "PAGE {SPEC}# the page contradicts itself: its example at {ZH}:368 [zh-cn] uses field \"force\", which 表3 请求Body参数 ({ZH}:72 [zh-cn]) does not list"
            ),
            format!(
                "PAGE {SPEC}# the page contradicts itself: its example at {ZH}:368 [zh-cn] gives operation \"RESUME\", {ZH}:72 [zh-cn] lists only START, PAUSE"
            ),
            format!(
                "PAGE {SPEC}# the page contradicts itself: its example at {ZH}:374 [zh-cn] uses field \"error_mesage\", which 表6 响应Body参数 ({ZH}:126 [zh-cn]) does not list"
            ),
        ]
    );
    assert_eq!(r.counts().page_defects, 3);
    assert!(
        r.findings
            .iter()
            .filter(|f| f.status == Status::Page)
            .all(|f| f.other.is_some())
    );
}

/// Each finding with page line numbers blanked.
fn blanked(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .map(|f| {
            let mut msg = String::new();
            let mut rest = f.message.as_str();
            while let Some(i) = rest.find(".txt:") {
                let (head, tail) = rest.split_at(i + ".txt:".len());
                msg.push_str(head);
                msg.push('_');
                rest = tail.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            msg.push_str(rest);
            format!("{} {} {}: {msg}", f.status.word(), f.pointer, f.fact)
        })
        .collect()
}

/// Issue 19: the real pages in every layout give the same findings.
#[test]
fn every_layout_gives_the_same_findings() {
    let want = blanked(&run(ZH_TEXT, EN_TEXT, SPEC_TEXT));
    let (zh, en) = (parse(ZH_TEXT).expect("zh"), parse(EN_TEXT).expect("en"));
    for layout in LAYOUTS {
        let r = run(
            &render::render(&zh, layout),
            &render::render(&en, layout),
            SPEC_TEXT,
        );
        assert_eq!(blanked(&r), want, "{layout:?}");
    }
}
