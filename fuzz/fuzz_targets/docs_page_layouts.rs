//! The docs-page parser on pages in every layout: the first byte picks a
//! layout the rest of the input is dressed in (as is, row per line,
//! ` |` cell ends, Markdown headings and fences, `<br>` cells), seeds are
//! the two real pages rendered in the six layouts. Never panics; the
//! model and the unread parts name lines of the page; the model prints.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// `text` dressed in layout `k`.
fn dress(k: u8, text: &str) -> String {
    let lines = text.lines();
    match k % 5 {
        0 => text.to_owned(),
        1 => lines
            .map(|l| format!("| {} |", l.replace('\t', " | ")))
            .collect::<Vec<_>>()
            .join("\n"),
        2 => lines
            .map(|l| format!("{l} |"))
            .collect::<Vec<_>>()
            .join("\n"),
        3 => lines
            .map(|l| match l.chars().next() {
                Some('{') => format!("```json\n{l}"),
                Some('}') => format!("{l}\n```"),
                Some(c) if c.is_uppercase() => format!("#### {l}"),
                _ => l.replace('_', "\\_"),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => text.replace("\n\n", "<br>"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let text = dress(k, &String::from_utf8_lossy(rest));
    let lines = text.lines().count().max(1) + 1;
    match eg_docs_page::parse(&text) {
        Ok(page) => {
            for u in &page.unread {
                assert!(
                    (1..=lines).contains(&u.line),
                    "unread line {} of {lines}",
                    u.line
                );
                assert!(!u.reason.is_empty());
            }
            let fields = page
                .path_params
                .iter()
                .chain(&page.query_params)
                .chain(&page.header_params)
                .chain(&page.body_fields)
                .chain(
                    page.responses
                        .iter()
                        .flat_map(|r| r.header_fields.iter().chain(&r.body_fields)),
                );
            for f in fields {
                assert!(
                    (1..=lines).contains(&f.line),
                    "row line {} of {lines}",
                    f.line
                );
            }
            let v = eg_docs_page::model_json("page.txt", &page);
            assert_eq!(v["file"], "page.txt");
            let _ = eg_docs_page::model_text("page.txt", &page);
        }
        Err(e) => assert!(
            (1..=lines).contains(&e.line),
            "error line {} of {lines}",
            e.line
        ),
    }
});
