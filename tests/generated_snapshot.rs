//! The committed snapshot `generated/codegen.rs` is what this build generates:
//! compared with build.rs's output in this package's `OUT_DIR` directly.

#[test]
fn snapshot_matches_the_build() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/generated/codegen.rs");
    // A missing snapshot is as stale as an old one.
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let fresh = include_str!(concat!(env!("OUT_DIR"), "/codegen.rs"));
    if committed == fresh {
        return;
    }
    let diff = similar::TextDiff::from_lines(committed.as_str(), fresh)
        .unified_diff()
        .context_radius(2)
        .header(
            "generated/codegen.rs (committed)",
            "generated/codegen.rs (this build)",
        )
        .to_string();
    let short: Vec<&str> = diff.lines().take(40).collect();
    let more = diff.lines().count().saturating_sub(short.len());
    panic!(
        "generated/codegen.rs is stale: run `cargo xtask codegen` and commit generated/codegen.rs\n{}\n{}",
        short.join("\n"),
        if more > 0 {
            format!("... {more} more diff lines")
        } else {
            String::new()
        }
    );
}
