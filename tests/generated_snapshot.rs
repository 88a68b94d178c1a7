//! The committed snapshot `generated/codegen.rs` is what the spec generates
//! (through eg-codegen's one freshness check, the one `cargo xtask codegen
//! --check` runs), and what this build compiled from build.rs.

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn snapshot_matches_the_spec() {
    let root = Path::new(ROOT);
    let freshness = eg_codegen::check_snapshot(
        &root.join(eg_codegen::SPEC_PATH),
        &root.join(eg_codegen::SNAPSHOT_PATH),
        eg_codegen::SNAPSHOT_PATH,
    )
    .expect("the spec generates");
    match freshness {
        eg_codegen::Freshness::UpToDate => {}
        eg_codegen::Freshness::Stale { diff, .. } => {
            let short: Vec<&str> = diff.lines().take(40).collect();
            let more = diff.lines().count().saturating_sub(short.len());
            panic!(
                "generated/codegen.rs is stale: run `cargo xtask codegen` and commit generated/codegen.rs\n{}\n... {more} more diff lines",
                short.join("\n"),
            );
        }
        eg_codegen::Freshness::Missing { .. } => {
            panic!("generated/codegen.rs is missing: run `cargo xtask codegen`")
        }
    }
}

#[test]
fn the_build_compiled_the_snapshot() {
    let committed = std::fs::read_to_string(Path::new(ROOT).join(eg_codegen::SNAPSHOT_PATH))
        .unwrap_or_default();
    let built = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));
    assert!(
        committed == built,
        "build.rs generated other code than generated/codegen.rs: run `cargo xtask codegen`"
    );
}
