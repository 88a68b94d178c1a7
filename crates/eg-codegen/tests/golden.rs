//! The generator on fixture specs, each against its golden output, the way
//! progenitor tests itself. Refresh every golden file with
//! `UPDATE_GOLDEN=1 cargo test -p eg-codegen --test golden`, then review
//! the diff. `multi` is also compiled into a client by eg-client's
//! `tests/fixture_client.rs`.

use std::path::{Path, PathBuf};

use eg_codegen::{Freshness, Target};

const HERE: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> PathBuf {
    Path::new(HERE)
        .join("tests/fixtures")
        .join(format!("{name}.yaml"))
}

fn external() -> Target {
    Target::External {
        trait_name: "Operations".into(),
    }
}

fn golden(name: &str) {
    let fresh = eg_codegen::generate_for(&fixture(name), &external()).expect("generates");
    let path = Path::new(HERE)
        .join("tests/golden")
        .join(format!("{name}.rs"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &fresh).expect("write golden");
        return;
    }
    let committed = std::fs::read_to_string(&path).ok();
    match eg_codegen::freshness(
        &format!("tests/golden/{name}.rs"),
        committed.as_deref(),
        &fresh,
    ) {
        Freshness::UpToDate => {}
        Freshness::Stale { diff, .. } => panic!(
            "tests/golden/{name}.rs differs; if intended, run `UPDATE_GOLDEN=1 cargo test -p eg-codegen --test golden`\n{}",
            diff.lines().take(60).collect::<Vec<_>>().join("\n")
        ),
        Freshness::Missing { .. } => panic!(
            "tests/golden/{name}.rs is missing: run `UPDATE_GOLDEN=1 cargo test -p eg-codegen --test golden`"
        ),
    }
}

#[test]
fn multi_matches_its_golden_output() {
    golden("multi");
}

#[test]
fn required_field_matches_its_golden_output() {
    golden("required_field");
}

/// What each fixture change becomes in the operations.
#[test]
fn the_operations_follow_each_change() {
    let code = eg_codegen::generate_for(&fixture("multi"), &external()).expect("generates");
    for expected in [
        // a changed path
        r#"call.path("/v2/");"#,
        // a GET without body, its optional query parameters
        "crate::runtime::Method::GET",
        r#"call.query("limit", &v.to_string());"#,
        r#"call.query("name_prefix", v.as_str());"#,
        // an optional enum header
        r#"call.header("X-Language", ::eg_client::runtime::HeaderName::from_static("x-language"), &v.to_string(),)?;"#,
        // a 204 operation
        "call.send_empty(&[204u16]).await",
        // a new enum value
        "Restart",
        // a parameter type named by x-rust-type, others after the operation
        "pub struct EventStreamingId(",
        "pub struct ShowEventStreamingEventstreamingId(",
    ] {
        let expected = expected.replace("crate::runtime", "::eg_client::runtime");
        let flat: String = code.split_whitespace().collect();
        let wanted: String = expected.split_whitespace().collect();
        assert!(flat.contains(&wanted), "missing: {expected}");
    }
    // project_id and X-Auth-Token are the client's, never setters.
    let (_, ours) = code.split_once("pub mod operations {").expect("operations");
    assert!(!ours.contains("pub fn project_id<V>"));
    assert!(!ours.contains("pub fn x_auth_token<V>"));
    assert!(ours.contains("pub fn x_language<V>"));
}

/// `cargo xtask codegen --check` runs on eg-codegen alone: a spec that
/// breaks the client (a new required body field) still generates, and the
/// check shows the diff against the committed snapshot. Nothing here
/// builds eg-client.
#[test]
fn a_spec_that_breaks_the_client_still_shows_its_diff() {
    let snapshot = Path::new(HERE).join("../../generated/codegen.rs");
    let result = eg_codegen::check_snapshot(
        &fixture("required_field"),
        &snapshot,
        "generated/codegen.rs",
    )
    .expect("generates");
    let Freshness::Stale { diff, fresh } = result else {
        panic!("expected a stale snapshot, got {result:?}")
    };
    assert!(diff.starts_with(
        "--- generated/codegen.rs (committed)\n+++ generated/codegen.rs (from openapi/eg.yaml)\n@@ "
    ));
    assert!(fresh.contains("pub reason: ::std::string::String,"));
    assert!(
        diff.contains("+        pub reason: ::std::string::String,"),
        "{diff}"
    );
}

#[test]
fn errors_name_the_spec() {
    let missing = Path::new(HERE).join("tests/fixtures/none.yaml");
    let err = eg_codegen::generate(&missing).expect_err("no such file");
    assert_eq!(err.path, missing.display().to_string());
    assert!(err.message.starts_with("cannot read: "), "{}", err.message);
}
