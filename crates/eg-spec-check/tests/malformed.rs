//! Inputs that cannot be read or parsed give an `InputError` naming the file
//! and line; no input makes the check panic.

mod common;

use common::*;
use eg_spec_check::{InputError, check};

#[track_caller]
fn rejected(page: &str, spec: &str, expected: &str) {
    let e = check(&[(ZH, page)], SPEC, spec).expect_err("input must be rejected");
    assert!(matches!(e, InputError::Invalid { .. }));
    assert_eq!(e.to_string(), expected);
}

fn head(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

/// The `NOT CHECKABLE` lines of a run of the zh-cn page alone.
fn not_checkable(page: &str) -> Vec<String> {
    let r = check(&[(ZH, page)], SPEC, SPEC_TEXT).expect("a partly unreadable page is checked");
    r.text()
        .lines()
        .filter(|l| l.starts_with("NOT CHECKABLE") && l.contains("could not be read"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn files_that_are_no_pages_are_rejected() {
    let bad = |page: &str, expected: &str| rejected(page, SPEC_TEXT, &format!("{ZH}:{expected}"));
    bad("", "1: empty page");
    bad(
        "\u{0}\u{1}PK\u{3}\u{4}\u{fffd}\n\u{7f}\u{fffd}",
        "1: binary file (a NUL byte), not a docs page",
    );
    bad(
        "\u{1}PK\u{3}\u{4}\u{fffd}\n\u{7f}\u{fffd}",
        "1: no URI line ('METHOD /path') anywhere: not a Huawei API page",
    );
}

/// Issue 19: a cut-off or partly unreadable page is checked; each part
/// that could not be read is one `NOT CHECKABLE` finding with its line.
#[test]
fn unreadable_parts_are_not_checkable() {
    let line = |l: usize, why: &str| {
        format!(
            "NOT CHECKABLE {SPEC}# {ZH}:{l} [zh-cn] could not be read ({why}), so what it states was not compared"
        )
    };
    assert_eq!(
        not_checkable(&head(ZH_TEXT, 26)),
        [line(18, "table '表1 路径参数' has no rows")]
    );
    assert_eq!(
        not_checkable(&edit(ZH_TEXT, 66, "单位")),
        [line(66, "unknown column '单位' in 表3 请求Body参数")]
    );
    assert_eq!(
        not_checkable(&edit(ZH_TEXT, 32, "")),
        [line(
            28,
            "row 'project_id' in 表1 路径参数 has too few cells: no description"
        )]
    );
    assert_eq!(
        not_checkable(&edit(ZH_TEXT, 144, "最大长度:lots")),
        [line(144, "最大长度 'lots' is not a number")]
    );
    // Cut off inside the last example.
    assert_eq!(
        not_checkable(&head(ZH_TEXT, 401)),
        [line(400, "unterminated JSON example at line 400")]
    );
    // What was read before the cut is still compared.
    let r = check(&[(ZH, &head(ZH_TEXT, 401))], SPEC, SPEC_TEXT).expect("checked");
    assert!(r.text().contains(&format!("ok {SPEC}#/components/schemas/ErrorBody/properties/error_msg maxLength is 512, {ZH}:144 [zh-cn] says 512\n")));
}

#[test]
fn malformed_specs() {
    let bad = |spec: &str, expected: &str| rejected(ZH_TEXT, spec, &format!("{SPEC}:{expected}"));
    bad(
        &swap(SPEC_TEXT, "    post:\n", "    post: [\n"),
        "25: invalid YAML: did not find expected ',' or ']' at line 25 column 14, while parsing a flow sequence at line 23 column 11",
    );
    bad(
        &edit(SPEC_TEXT, 33, "\tx-docs: 1"),
        "33: invalid YAML: found a tab character that violates indentation at line 33 column 1, while scanning a plain scalar at line 32 column 24",
    );
    bad(
        "- not\n- openapi\n",
        "1: not an OpenAPI 3.0 document: invalid type: sequence, expected struct OpenAPI",
    );
    bad(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "1: not an OpenAPI 3.0 document: missing field `openapi`",
    );
    bad(
        &swap(SPEC_TEXT, "openapi: 3.0.3", "openapi: 3.1.0"),
        "10: not an OpenAPI 3.0 document: openapi is \"3.1.0\"",
    );
    bad(
        &swap(SPEC_TEXT, "          in: header", "          in: body"),
        // serde_yaml_ng locates errors inside `paths` at the path item.
        "22: not an OpenAPI 3.0 document: paths: unknown variant `body`, expected one of `query`, `header`, `path`, `cookie` at line 22 column 3",
    );
}

#[test]
fn no_page() {
    assert_eq!(check(&[], SPEC, SPEC_TEXT), Err(InputError::NoPages));
}

#[test]
fn unreadable_and_non_utf8_files() {
    let dir = std::env::temp_dir().join(format!("eg-spec-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (docs, spec) = (dir.join("page.txt"), dir.join("eg.yaml"));
    std::fs::write(&docs, b"URI\n\nPOST /v1\n\n\xff\xfe garbage\n").expect("write");
    std::fs::write(&spec, SPEC_TEXT).expect("write");
    let e = eg_spec_check::check_files(&[(docs, "page.txt".into())], &spec, "eg.yaml")
        .expect_err("not UTF-8");
    assert_eq!(e.to_string(), "page.txt:5: not UTF-8 text (byte 15)");
    let e = eg_spec_check::check_files(
        &[(dir.join("nope.txt"), "nope.txt".into())],
        &spec,
        "eg.yaml",
    )
    .expect_err("missing file");
    assert!(
        matches!(&e, InputError::Read { file, .. } if file == "nope.txt"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// Every prefix of the page and of the spec (cut at line ends) is either
/// rejected or checked, never a panic.
#[test]
fn truncated_inputs_never_panic() {
    for n in 0..ZH_TEXT.lines().count() {
        let _ = check(&[(ZH, &head(ZH_TEXT, n)), (EN, EN_TEXT)], SPEC, SPEC_TEXT);
    }
    for n in 0..EN_TEXT.lines().count() {
        let _ = check(&[(ZH, ZH_TEXT), (EN, &head(EN_TEXT, n))], SPEC, SPEC_TEXT);
    }
    for n in 0..SPEC_TEXT.lines().count() {
        let _ = check(&[(ZH, ZH_TEXT), (EN, EN_TEXT)], SPEC, &head(SPEC_TEXT, n));
    }
}

/// Found by `cargo xtask fuzz` (target spec_check): a key given twice made
/// the `openapiv3` parser panic ("somehow this parsed successfully the
/// second time") instead of refusing the document.
#[test]
fn duplicate_keys_are_refused_not_a_panic() {
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      responses: {}\n      responses: {}\n";
    rejected(
        ZH_TEXT,
        spec,
        &format!(
            "{SPEC}:6: invalid YAML: paths./a.post: duplicate entry with key \"responses\" at line 6 column 7"
        ),
    );
}

/// Issue 18, defect 9: a FIFO under openapi/ hung the run, a link to
/// /dev/zero ate memory. Only regular files of at most 1 MiB are read, and
/// `pages_in` never opens anything else.
#[test]
fn only_regular_files_of_bounded_size_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let at = |n: &str| dir.path().join(n);
    std::fs::write(at("page.txt"), ZH_TEXT).expect("write");
    std::fs::write(at("eg.yaml"), SPEC_TEXT).expect("write");
    let made = std::process::Command::new("mkfifo")
        .arg(at("fifo.txt"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", at("zero.txt")).expect("symlink");
    std::fs::create_dir(at("dir.txt")).expect("mkdir");
    let big = format!("URI\n{}", "x".repeat(1 << 20));
    std::fs::write(at("big.txt"), big).expect("write");
    assert_eq!(
        eg_spec_check::pages_in(dir.path()).expect("lists"),
        [at("page.txt")]
    );
    let cases = [
        (
            "fifo.txt",
            "fifo.txt: cannot read: not a regular file (a FIFO)",
        ),
        (
            "zero.txt",
            "zero.txt: cannot read: not a regular file (a device)",
        ),
        (
            "dir.txt",
            "dir.txt: cannot read: not a regular file (a directory)",
        ),
        (
            "big.txt",
            "big.txt: cannot read: larger than 1048576 bytes, the limit for a page or spec",
        ),
    ];
    for (name, expected) in cases {
        let e = eg_spec_check::check_files(&[(at(name), name.into())], &at("eg.yaml"), "eg.yaml")
            .expect_err("refused");
        assert_eq!(e.to_string(), expected);
        // The same for a spec.
        let e = eg_spec_check::check_files(&[(at("page.txt"), "page.txt".into())], &at(name), name)
            .expect_err("refused");
        assert_eq!(e.to_string(), expected);
    }
}

/// Issue 18, defect 9: YAML nested 40,000 deep took 19 s in the YAML
/// parser (three times over). It is refused before the parser runs.
#[test]
fn deeply_nested_specs_are_refused_at_their_line() {
    let deep = format!(
        "openapi: 3.0.3\nx: {}{}\n",
        "[".repeat(40_000),
        "]".repeat(40_000)
    );
    rejected(
        ZH_TEXT,
        &deep,
        &format!("{SPEC}:2: nested more than 64 levels deep"),
    );
    let mut block = String::from("openapi: 3.0.3\n");
    for i in 0..100 {
        block.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
    }
    rejected(
        ZH_TEXT,
        &block,
        &format!("{SPEC}:66: nested more than 64 levels deep"),
    );
    let dashes = format!("openapi: 3.0.3\nx: 1\ny:\n{}1\n", "- ".repeat(40_000));
    rejected(
        ZH_TEXT,
        &dashes,
        &format!("{SPEC}:4: nested more than 64 levels deep"),
    );
    // The real spec is well within the limit.
    assert!(check(&[(ZH, ZH_TEXT)], SPEC, SPEC_TEXT).is_ok());
}
