//! `parse` returns (Ok or Err) on any input; it never panics.

use eg_docs_page::parse;
use proptest::prelude::*;

const ZH: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../openapi/OperateEventStreaming.zh-cn.txt"
));
const EN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/OperateEventStreaming.en-us.txt"
));
const FOUR: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/four-cell.zh-cn.txt"
));

const REAL_EN: &str = include_str!("../../../openapi/OperateEventStreaming.en-us.txt");
const EN_2: &str = include_str!("fixtures/renderings/OperateEventStreaming.en-us.2.txt");
const EN_3: &str = include_str!("fixtures/renderings/OperateEventStreaming.en-us.3.txt");
const ZH_2: &str = include_str!("fixtures/renderings/OperateEventStreaming.zh-cn.2.txt");

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
}

fn apply(page: &str, edits: &[Edit], cut: usize) -> String {
    let mut lines: Vec<&str> = page.lines().collect();
    for e in edits {
        let n = lines.len().max(1);
        match *e {
            Edit::Delete(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Edit::Duplicate(i) if !lines.is_empty() => lines.insert(i % n, lines[i % n]),
            Edit::Swap(i, j) if !lines.is_empty() => lines.swap(i % n, j % n),
            _ => {}
        }
    }
    let mut text = lines.join("\n");
    // Truncate at any byte, moved back to a char boundary.
    let mut cut = cut % (text.len() + 1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Edit::Swap(i, j)),
    ]
}

/// Paragraphs drawn from the page vocabulary, so the state machine is
/// exercised far more than by random text.
fn vocabulary_page() -> impl Strategy<Value = String> {
    let words: Vec<&'static str> = ZH
        .lines()
        .chain(EN.lines())
        .chain(FOUR.lines())
        .chain(["是", "Yes", "{", "}", "[", "\"", "状态码:", "Table 9", "表"])
        .collect();
    prop::collection::vec(prop::sample::select(words), 0..80).prop_map(|ws| ws.join("\n\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        let _ = parse(&s);
    }

    #[test]
    fn printable_strings(s in "\\PC{0,400}") {
        let _ = parse(&s);
    }

    #[test]
    fn vocabulary_pages(s in vocabulary_page()) {
        let _ = parse(&s);
    }

    #[test]
    fn mutated_real_pages(page in prop::sample::select(vec![ZH, EN, FOUR, REAL_EN, EN_2, EN_3, ZH_2]), edits in prop::collection::vec(edit(), 0..6), cut in any::<usize>()) {
        let _ = parse(&apply(page, &edits, cut));
    }
}

#[test]
fn every_truncation_of_the_real_page() {
    for page in [ZH, EN, FOUR] {
        for cut in (0..=page.len()).filter(|&c| page.is_char_boundary(c)) {
            let _ = parse(&page[..cut]);
        }
    }
}

#[test]
fn every_single_line_deletion_and_duplication() {
    for page in [ZH, EN, FOUR, REAL_EN, EN_2, EN_3, ZH_2] {
        for i in 0..page.lines().count() {
            let _ = parse(&apply(page, &[Edit::Delete(i)], usize::MAX));
            let _ = parse(&apply(page, &[Edit::Duplicate(i)], usize::MAX));
        }
    }
}
