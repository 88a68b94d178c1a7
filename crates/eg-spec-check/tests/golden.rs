//! The default run (every page kept under openapi/, the real spec) against
//! the one golden report. Refresh it after an intended change with
//! `UPDATE_GOLDEN=1 cargo test -p eg-spec-check --test golden` and review
//! the diff.

mod common;

use common::*;

#[test]
fn default_run_matches_the_golden_report() {
    let r = run(ZH_TEXT, EN_TEXT, SPEC_TEXT);
    assert!(
        r.agrees(),
        "openapi/eg.yaml disagrees with the docs pages; run `cargo xtask check-spec` for details:\n{}",
        failures(&r).join("\n")
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    let text = r.text();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).expect("write the golden report");
    }
    let golden = std::fs::read_to_string(&path).expect("the golden report");
    let differs = text
        .lines()
        .zip(golden.lines())
        .position(|(a, b)| a != b)
        .map_or(String::new(), |i| format!(" first at line {}", i + 1));
    assert!(
        text == golden,
        "the report differs from {GOLDEN}{differs}; if intended, run `UPDATE_GOLDEN=1 cargo test -p eg-spec-check --test golden` and review the diff"
    );
}
