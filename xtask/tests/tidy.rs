//! Tidy: the rules that keep the tree readable, checked on every hand-written
//! source file of the workspace, in the manner of rust-analyzer's tidy test.
//! Each rule fails with `path:line: what is wrong; what to do`, and each is
//! proven by a test on a small in-memory tree that breaks it.
//!
//! The rules:
//! - every hand-written source file opens with a module comment (`//!`);
//! - no hand-written file is over [`MAX_LINES`] lines;
//! - no route of the spec (`/v1/...`, `/v2/...`) is written by hand outside
//!   tests, fixtures, `openapi/`, `generated/` and `docs/`;
//! - no crate keeps its own copy of the EG or gateway error-code table: the
//!   literals `"APIG.dddd"`, `"APIGW.dddd"` and `"EG.dddd"` appear in non-test
//!   code only in [`ERROR_CODE_MODULE`];
//! - no `allow` of clippy's too-many-arguments lint: a function that wants it
//!   wants a struct.
//!
//! Generated files (`generated/`, the codegen goldens, anything under a
//! `target/`) are not hand-written and not checked.

use std::{
    fs,
    path::{Path, PathBuf},
};

/// No hand-written file is longer than this.
const MAX_LINES: usize = 600;

/// The one module allowed to spell out error codes.
const ERROR_CODE_MODULE: &str = "src/error_code.rs";

/// Known breaks of a rule, as `(rule, path)`, that may only shrink: where a
/// new rule lands before the tree meets it. Empty: the tree meets every
/// rule. An entry that no longer breaks its rule fails the test too, so the
/// list cannot go stale.
const RATCHET: &[(Rule, &str)] = &[];

/// Directories whose files are generated, or not part of the source tree.
const GENERATED: &[&str] = &["generated/", "crates/eg-codegen/tests/golden/"];

/// Where routes of the spec may be written out: the spec itself, what is
/// generated from it, its docs, and tests with their fixtures.
const ROUTES_ALLOWED: &[&str] = &["openapi/", "generated/", "docs/"];

/// The rules, named in messages and in [`RATCHET`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    ModuleComment,
    FileLength,
    HandWrittenRoute,
    ErrorCodeTable,
    TooManyArguments,
}

impl Rule {
    fn name(self) -> &'static str {
        match self {
            Rule::ModuleComment => "module-comment",
            Rule::FileLength => "file-length",
            Rule::HandWrittenRoute => "hand-written-route",
            Rule::ErrorCodeTable => "error-code-table",
            Rule::TooManyArguments => "too-many-arguments",
        }
    }
}

/// One break of a rule.
#[derive(Debug, PartialEq, Eq)]
struct Finding {
    rule: Rule,
    path: String,
    line: usize,
    message: String,
}

impl Finding {
    fn text(&self) -> String {
        format!(
            "{}:{}: [{}] {}",
            self.path,
            self.line,
            self.rule.name(),
            self.message
        )
    }
}

/// Every finding in `files` (`(path relative to the root, text)`), in order.
fn check(files: &[(String, String)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, text) in files {
        if !path.ends_with(".rs") || is_generated(path) {
            continue;
        }
        check_file(path, text, &mut findings);
    }
    findings
}

fn is_generated(path: &str) -> bool {
    GENERATED.iter().any(|dir| path.starts_with(dir))
        || path.split('/').any(|part| part == "target")
}

/// Test code: a file under `tests/`, `fixtures/` or `benches/`, or a
/// `*tests.rs` module of the library's own tests.
fn is_test_file(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    parts
        .iter()
        .any(|part| matches!(*part, "tests" | "fixtures" | "benches"))
        || file.ends_with("tests.rs")
}

fn check_file(path: &str, text: &str, findings: &mut Vec<Finding>) {
    let mut add = |rule: Rule, line: usize, message: String| {
        findings.push(Finding {
            rule,
            path: path.to_owned(),
            line,
            message,
        });
    };

    let first = text.lines().position(|line| !line.trim().is_empty());
    let opens_with_doc = first
        .and_then(|i| text.lines().nth(i))
        // `#![doc = include_str!("../README.md")]` is a module comment too.
        .is_some_and(|line| line.starts_with("//!") || line.starts_with("#![doc"));
    if !opens_with_doc {
        add(
            Rule::ModuleComment,
            first.map_or(1, |i| i + 1),
            "the file does not open with a module comment: start it with `//!` lines saying \
             what it holds"
                .to_owned(),
        );
    }

    let lines = text.lines().count();
    if lines > MAX_LINES {
        add(
            Rule::FileLength,
            MAX_LINES + 1,
            format!("{lines} lines, over {MAX_LINES}: split the file by concern, one module each"),
        );
    }

    let test_file = is_test_file(path);
    let routes_allowed = test_file || ROUTES_ALLOWED.iter().any(|dir| path.starts_with(dir));
    let codes_allowed = test_file || path == ERROR_CODE_MODULE;
    let lint = ["clippy::", "too_many_arguments"].concat();
    // Inline tests come last in a file: from `#[cfg(test)]` on, it is test code.
    let mut in_tests = false;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            in_tests = true;
        }
        if code.contains(&lint) && (code.contains("allow(") || code.contains("expect(")) {
            add(
                Rule::TooManyArguments,
                number,
                format!("`{lint}` is silenced: group the arguments in a struct"),
            );
        }
        if code.starts_with("//") || in_tests {
            continue;
        }
        if !routes_allowed && let Some(route) = route_in(code) {
            add(
                Rule::HandWrittenRoute,
                number,
                format!(
                    "the route `{route}` is written by hand: take it from the generated \
                     operation (`SPEC.path`) or `eg_client::spec::OPERATIONS`"
                ),
            );
        }
        if !codes_allowed && let Some(error_code) = error_code_in(code) {
            add(
                Rule::ErrorCodeTable,
                number,
                format!(
                    "the error code `{error_code}` is written outside {ERROR_CODE_MODULE}: \
                     use the client's one error-code table"
                ),
            );
        }
    }
}

/// The first `/v1/...` or `/v2/...` path inside a string literal of `line`.
fn route_in(line: &str) -> Option<&str> {
    let mut in_string = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if in_string => {
                let rest = &line[i..];
                let version = rest
                    .strip_prefix("/v")
                    .and_then(|r| r.split_once('/'))
                    .is_some_and(|(digits, _)| {
                        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
                    });
                if version {
                    let end = rest.find(['"', ' ']).unwrap_or(rest.len());
                    return Some(&rest[..end]);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first `"APIG.dddd"`, `"APIGW.dddd"` or `"EG.dddd"` literal of `line`.
fn error_code_in(line: &str) -> Option<&str> {
    line.match_indices('"').find_map(|(start, _)| {
        let rest = &line[start + 1..];
        let end = rest.find('"')?;
        let literal = &rest[..end];
        let (prefix, digits) = literal.split_once('.')?;
        let code = matches!(prefix, "APIG" | "APIGW" | "EG")
            && digits.len() == 4
            && digits.bytes().all(|b| b.is_ascii_digit());
        code.then_some(literal)
    })
}

/// The findings not excused by [`RATCHET`], and the ratchet entries that
/// excuse nothing (both are failures).
fn verdict(findings: &[Finding], ratchet: &[(Rule, &str)]) -> Vec<String> {
    let mut failures: Vec<String> = findings
        .iter()
        .filter(|f| !ratchet.contains(&(f.rule, f.path.as_str())))
        .map(Finding::text)
        .collect();
    for (rule, path) in ratchet {
        if !findings.iter().any(|f| f.rule == *rule && f.path == *path) {
            failures.push(format!(
                "{path}: no longer breaks [{}]: remove it from RATCHET in xtask/tests/tidy.rs",
                rule.name()
            ));
        }
    }
    failures
}

/// The workspace root: xtask lives one level below it.
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Every `.rs` file under `dir`, as `(path relative to root, text)`, sorted;
/// build output, hidden directories and the fuzzers' corpora are left out.
fn read_tree(root: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') || matches!(name, "target" | "corpus" | "artifacts") {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else if name.ends_with(".rs") {
                let relative = path
                    .strip_prefix(root)
                    .expect("under the root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text =
                    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                files.push((relative, text));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_tree_is_tidy() {
    let files = read_tree(&root());
    assert!(
        files.iter().any(|(path, _)| path == "src/lib.rs"),
        "the walk found the client's sources"
    );
    let failures = verdict(&check(&files), RATCHET);
    assert!(
        failures.is_empty(),
        "tidy found {} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// An in-memory tree.
fn tree(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
        .collect()
}

fn texts(files: &[(&str, &str)]) -> Vec<String> {
    check(&tree(files)).iter().map(Finding::text).collect()
}

#[test]
fn a_file_without_a_module_comment_fails() {
    assert_eq!(
        texts(&[
            ("src/good.rs", "//! Holds one thing.\n\nfn f() {}\n"),
            ("src/lib.rs", "#![doc = include_str!(\"../README.md\")]\n"),
            ("src/bad.rs", "\n// a plain comment\nfn f() {}\n"),
            (
                "build.rs",
                "/// An item doc is not a module comment.\nfn main() {}\n"
            ),
        ]),
        [
            "src/bad.rs:2: [module-comment] the file does not open with a module comment: \
             start it with `//!` lines saying what it holds",
            "build.rs:1: [module-comment] the file does not open with a module comment: \
             start it with `//!` lines saying what it holds",
        ]
    );
}

#[test]
fn a_file_over_the_limit_fails_but_not_a_generated_one() {
    let long = format!("//! Long.\n{}", "fn f() {}\n".repeat(MAX_LINES));
    let just = format!("//! Just.\n{}", "fn f() {}\n".repeat(MAX_LINES - 1));
    assert_eq!(
        texts(&[
            ("crates/x/src/long.rs", &long),
            ("crates/x/src/just.rs", &just),
            ("generated/codegen.rs", &long),
            ("crates/eg-codegen/tests/golden/multi.rs", &long),
            ("target/debug/build/x/out/codegen.rs", &long),
        ]),
        [
            "crates/x/src/long.rs:601: [file-length] 601 lines, over 600: split the file by \
          concern, one module each"
        ]
    );
}

#[test]
fn a_route_written_by_hand_fails_outside_tests_and_the_spec() {
    let code = "//! Routes.\n\
                // A comment may name /v1/{project_id}.\n\
                const R: &str = \"/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}\";\n\
                fn url(b: &str) -> String { format!(\"{b}/v2/{p}/x\") }\n\
                const NOT: &str = \"/v1x/y\";\n\
                #[cfg(test)]\n\
                mod tests { const T: &str = \"/v1/p/x\"; }\n";
    assert_eq!(
        texts(&[
            ("crates/eg-cli/src/run.rs", code),
            ("tests/wire.rs", code),
            ("crates/eg-emulator/tests/http.rs", code),
            ("crates/eg-codegen/tests/fixtures/multi.rs", code),
            ("src/conformance_tests.rs", code),
            ("docs/example.rs", code),
        ]),
        [
            "crates/eg-cli/src/run.rs:3: [hand-written-route] the route \
             `/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}` is written by hand: \
             take it from the generated operation (`SPEC.path`) or `eg_client::spec::OPERATIONS`",
            "crates/eg-cli/src/run.rs:4: [hand-written-route] the route `/v2/{p}/x` is written \
             by hand: take it from the generated operation (`SPEC.path`) or \
             `eg_client::spec::OPERATIONS`",
        ]
    );
}

#[test]
fn an_error_code_outside_the_one_module_fails() {
    let code = "//! Codes.\n\
                const A: &str = \"APIG.0101\";\n\
                const B: &str = \"APIGW.0308\";\n\
                fn c() -> &'static str { \"EG.0010\" }\n\
                const NOT: [&str; 3] = [\"EG.10\", \"APIX.0101\", \"EG.00100\"];\n\
                #[cfg(test)]\n\
                mod tests { const T: &str = \"EG.0010\"; }\n";
    let message = |line: usize, code: &str| {
        format!(
            "crates/eg-emulator/src/gateway.rs:{line}: [error-code-table] the error code \
             `{code}` is written outside {ERROR_CODE_MODULE}: use the client's one error-code table"
        )
    };
    assert_eq!(
        texts(&[
            ("crates/eg-emulator/src/gateway.rs", code),
            (ERROR_CODE_MODULE, code),
            ("tests/gateway.rs", code),
        ]),
        [
            message(2, "APIG.0101"),
            message(3, "APIGW.0308"),
            message(4, "EG.0010"),
        ]
    );
}

#[test]
fn silencing_too_many_arguments_fails_everywhere() {
    let lint = ["clippy::", "too_many_arguments"].concat();
    let code = format!(
        "//! Arguments.\n#[allow({lint})]\nfn f() {{}}\n#[cfg_attr(test, expect({lint}))]\nfn g() {{}}\n\
         // mentioning {lint} in a comment is fine\n"
    );
    let message = |line: usize| {
        format!(
            "tests/x.rs:{line}: [too-many-arguments] `{lint}` is silenced: group the arguments \
             in a struct"
        )
    };
    assert_eq!(texts(&[("tests/x.rs", &code)]), [message(2), message(4)]);
}

#[test]
fn the_ratchet_only_shrinks() {
    let findings = check(&tree(&[
        ("src/a.rs", "fn f() {}\n"),
        ("src/b.rs", "fn f() {}\n"),
    ]));
    assert_eq!(
        verdict(
            &findings,
            &[
                (Rule::ModuleComment, "src/a.rs"),
                (Rule::FileLength, "src/c.rs")
            ]
        ),
        [
            "src/b.rs:1: [module-comment] the file does not open with a module comment: start \
             it with `//!` lines saying what it holds",
            "src/c.rs: no longer breaks [file-length]: remove it from RATCHET in \
             xtask/tests/tidy.rs",
        ]
    );
}
