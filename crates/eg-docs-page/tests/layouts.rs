//! Issue 19: the two real pages rendered in each of the six layouts give
//! the same model through `docs-page` (line numbers and captions aside),
//! and nothing is left unread.

mod common;

use common::render::{LAYOUTS, Layout, model, render};
use eg_docs_page::parse;

const ZH: &str = include_str!("../../../openapi/OperateEventStreaming.zh-cn.txt");
const EN: &str = include_str!("../../../openapi/OperateEventStreaming.en-us.txt");

#[track_caller]
fn same_model_in_every_layout(real: &str) {
    let page = parse(real).expect("the real page parses");
    assert!(page.unread.is_empty(), "{:?}", page.unread);
    let want = model("page.txt", &page);
    for layout in LAYOUTS {
        let text = render(&page, layout);
        let got = parse(&text).unwrap_or_else(|e| panic!("{layout:?}: {e}\n{text}"));
        assert_eq!(got.unread, [], "{layout:?}\n{text}");
        let got = model("page.txt", &got);
        for key in want.as_object().expect("object").keys() {
            assert_eq!(got[key], want[key], "{layout:?}: {key}\n{text}");
        }
    }
}

#[test]
fn the_chinese_page_in_six_layouts() {
    same_model_in_every_layout(ZH);
}

#[test]
fn the_english_page_in_six_layouts() {
    same_model_in_every_layout(EN);
}

/// The layouts are what they claim to be: each has its marks.
#[test]
fn each_layout_has_its_marks() {
    let page = parse(ZH).expect("parses");
    let text = |l: Layout| render(&page, l);
    assert!(text(Layout::Paragraph).contains("\n\n参数\n\n是否必选\n\n"));
    assert!(
        text(Layout::PipedLeading)
            .contains("描述 |\n---|---|---|---|\n|\nproject_id |\n|\nString |\n")
    );
    assert!(text(Layout::Piped).contains("描述 |\n---|---|---|---|\nproject_id |\n|\nString |\n"));
    assert!(text(Layout::RowPerLine).contains("| 参数 | 是否必选 | 参数类型 | 描述 |\n|---|---|---|---|\n| project_id |  | String | 租户项目ID |\n"));
    let md = text(Layout::Markdown);
    assert!(md.contains("#### URI\n"));
    assert!(md.contains("表1 路径参数 \n"));
    assert!(md.contains("| project\\_id |  | String | 租户项目ID |"));
    assert!(md.contains("**状态码: 400**\n"));
    assert!(md.contains("```json\n{\n"));
    let legacy = text(Layout::Legacy);
    assert!(legacy.contains("• URI格式\n\nPOST /v1/"));
    assert!(
        legacy.contains("• 参数说明\n\n表1 参数说明\n\n参数\n\n参数类型\n\n是否必选\n\n描述\n\n")
    );
}

/// The seeds of the `docs_page_layouts` fuzz target are these renderings
/// (a first byte 0: "as is"). Refresh with
/// `UPDATE_SEEDS=1 cargo test -p eg-docs-page --test layouts`.
#[test]
fn fuzz_seeds_are_the_renderings() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/docs_page_layouts");
    let update = std::env::var_os("UPDATE_SEEDS").is_some();
    if update {
        std::fs::create_dir_all(&dir).expect("seed dir");
    }
    for (lang, real) in [("zh-cn", ZH), ("en-us", EN)] {
        let page = parse(real).expect("parses");
        for layout in LAYOUTS {
            let name = format!("{lang}.{layout:?}.txt");
            let mut seed = vec![0u8];
            seed.extend(render(&page, layout).into_bytes());
            if update {
                std::fs::write(dir.join(&name), &seed).expect("write seed");
            }
            let kept = std::fs::read(dir.join(&name)).expect("seed kept");
            assert!(
                kept == seed,
                "fuzz/seeds/docs_page_layouts/{name} is stale: run `UPDATE_SEEDS=1 cargo test -p eg-docs-page --test layouts`"
            );
        }
    }
}
