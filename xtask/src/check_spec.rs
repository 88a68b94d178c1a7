//! `cargo xtask check-spec`: runs eg-spec-check's `check-spec` binary with
//! the same arguments, stdio and exit code. xtask does not link the
//! checker, which links the client: `cargo xtask codegen` must keep working
//! while the client does not compile.

use std::{ffi::OsString, path::Path, process::ExitCode};

use clap::Args;

/// Options of `check-spec`, passed on as given (`--help` included).
#[derive(Args)]
#[command(disable_help_flag = true)]
pub struct CheckSpec {
    /// `[--docs PATH]... [--spec PATH] [--format text|json]`
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    args: Vec<OsString>,
}

/// `cargo run -q -p eg-spec-check --bin check-spec -- ARGS`, from the
/// workspace root's manifest; its exit code is ours (2 when it cannot run).
pub fn run(root: &Path, args: CheckSpec) -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .args([
            "run",
            "-q",
            "--locked",
            "-p",
            "eg-spec-check",
            "--bin",
            "check-spec",
        ])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--")
        .args(args.args)
        .status();
    match status {
        Ok(s) => s
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .map_or(ExitCode::from(2), ExitCode::from),
        Err(e) => {
            eprintln!("error: cannot run cargo for check-spec: {e}");
            ExitCode::from(2)
        }
    }
}

/// The `--format` values xtask commands share (`bench` uses it).
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}
