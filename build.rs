//! Generates the client from `openapi/eg.yaml` with progenitor at build time.
//!
//! The output goes to `$OUT_DIR/codegen.rs`, which `src/generated.rs`
//! includes. `cargo xtask codegen` writes the same text to the reviewed
//! snapshot `generated/codegen.rs`.

use std::{env, fs, path::Path, process::ExitCode};

#[path = "src/codegen.rs"]
mod codegen;

fn main() -> ExitCode {
    let spec = Path::new(codegen::SPEC_PATH);
    println!("cargo::rerun-if-changed={}", spec.display());
    println!("cargo::rerun-if-changed=src/codegen.rs");
    match codegen::generate(spec) {
        Ok(code) => {
            let out =
                Path::new(&env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("codegen.rs");
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
