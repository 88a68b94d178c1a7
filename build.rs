//! Generates the client from `openapi/eg.yaml` with progenitor at build time
//! (crate `eg-codegen`).
//!
//! The output goes to `$OUT_DIR/codegen.rs`, which `src/generated.rs`
//! includes. `cargo xtask codegen` writes the same text to the reviewed
//! snapshot `generated/codegen.rs`. The spec is found next to this file, so
//! a packaged crate (which includes it) builds the same way.

use std::{env, fs, path::Path, process::ExitCode};

fn main() -> ExitCode {
    let Some(out_dir) = env::var_os("OUT_DIR") else {
        println!("cargo::error=OUT_DIR is not set; run through cargo");
        return ExitCode::FAILURE;
    };
    // Cargo runs build scripts in the package root, packaged or not.
    let spec = Path::new(eg_codegen::SPEC_PATH);
    println!("cargo::rerun-if-changed={}", spec.display());
    match eg_codegen::generate(spec) {
        Ok(code) => {
            let out = Path::new(&out_dir).join("codegen.rs");
            if let Err(err) = fs::write(&out, code) {
                println!("cargo::error=cannot write {}: {err}", out.display());
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            // One `cargo::error` per line so cargo shows the whole message.
            for line in err.to_string().lines() {
                println!("cargo::error={line}");
            }
            ExitCode::FAILURE
        }
    }
}
