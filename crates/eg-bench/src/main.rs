//! `eg-bench`: the project's performance figures and load runs, each against
//! the release `eg-emulator` (and `eg`) run as their own processes. Run it
//! through `cargo xtask bench` and `cargo xtask load`, which build all three
//! in release first; the binaries are found next to this one.
//!
//! - `bench [--quick] [--only PART]... [--format text|json] [--venv DIR]`:
//!   every figure as a ratio to a baseline measured in the same run (see
//!   [`mod@bench`]).
//! - `load --requests N --concurrency C [--fault-rate R] [--seed S] [--cli]`:
//!   a load run through the library, or through `eg` end to end (see
//!   [`mod@load`]).

use std::{
    ffi::OsString,
    io::{self, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, Subcommand, ValueEnum};

mod api;
mod baseline;
mod bench;
mod load;
mod procs;
mod stats;

#[derive(Parser)]
#[command(about = "Benchmark and load runs of eg-client, eg and eg-emulator")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Measure performance against baselines (build release first:
    /// `cargo xtask bench`).
    Bench(bench::BenchArgs),
    /// Load-test the emulator through the client library or `eg`.
    Load(load::LoadArgs),
    /// Run a command and print its wall time, CPU and peak memory as JSON.
    #[command(hide = true)]
    Rusage {
        /// The command and its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<OsString>,
    },
    /// Serve the bare axum baseline; print its address first.
    #[command(hide = true)]
    BareServer,
}

/// `--format` of the bench report.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Aligned text.
    Text,
    /// One JSON document.
    Json,
}

/// The workspace root: this crate lives two levels below it.
fn root() -> &'static Path {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().and_then(Path::parent).unwrap_or(here)
}

/// The directory of this binary, where cargo put `eg` and `eg-emulator` too.
fn bin_dir() -> Result<PathBuf, String> {
    std::env::current_exe()
        .map_err(|e| format!("cannot find eg-bench itself: {e}"))?
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| "eg-bench has no directory".to_owned())
}

/// A binary built beside this one, or an error saying how to build it.
fn sibling(name: &str) -> Result<PathBuf, String> {
    let path = bin_dir()?.join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: run through `cargo xtask bench` or `cargo xtask load`, which build it",
            path.display()
        ))
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not worth a panic.
fn out(text: &str) {
    let _ = io::stdout().lock().write_all(text.as_bytes());
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Bench(args) => bench::run(&args, root()),
        Task::Load(args) => Ok(load::run(&args)),
        Task::Rusage { command } => procs::rusage_helper(&command).map(|()| ExitCode::SUCCESS),
        Task::BareServer => baseline::bare_server().map(|()| ExitCode::SUCCESS),
    };
    result.unwrap_or_else(|e| {
        eprintln!("eg-bench: {e}");
        ExitCode::FAILURE
    })
}
