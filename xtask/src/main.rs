//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `check-spec [--docs PATH]... [--spec PATH] [--format text|json]`:
//!   compare the spec (and the generated client) with Huawei's docs pages
//!   (every page under `openapi/` by default); see `check_spec`.
//! - `codegen [--check]`: write the generated client to the committed
//!   snapshot `generated/codegen.rs`, or with `--check` exit 1 with a diff
//!   when it is stale.
//! - `fuzz [--seconds N]`: run each fuzz target for N seconds (see [`fuzz`]).
//! - `load --requests N --concurrency C [--fault-rate R] [--seed S]`: load
//!   run against the release emulator (see [`load`]).
//! - `bench [--quick] [--format text|json]`: every performance figure as a
//!   ratio to a baseline measured in the same run (see `xtask/src/bench.rs`).

use std::{
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use clap::{Parser, Subcommand};

mod bench;
mod check_spec;
mod fuzz;
mod load;

const SPEC: &str = eg_codegen::SPEC_PATH;
const SNAPSHOT: &str = eg_codegen::SNAPSHOT_PATH;

#[derive(Parser)]
#[command(about = "Project tasks for eg-client")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Check that the spec and the generated client agree with the docs pages.
    CheckSpec(check_spec::CheckSpec),
    /// Rewrite the committed snapshot of the generated client.
    Codegen {
        /// Do not write; exit 1 with a diff if the snapshot is stale.
        #[arg(long)]
        check: bool,
        /// The snapshot [default: generated/codegen.rs in the workspace]
        #[arg(long)]
        snapshot: Option<PathBuf>,
    },
    /// Run each fuzz target (cargo-fuzz, nightly); fail on any crash.
    Fuzz(fuzz::FuzzArgs),
    /// Load-test the release emulator through the client library.
    Load(load::LoadArgs),
    /// Measure performance against baselines, on a release build.
    Bench(bench::BenchArgs),
}

/// The workspace root: xtask lives one level below it.
fn root() -> &'static Path {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here)
}

/// A path given on the command line is named as given; a default one by
/// its path relative to the workspace root.
fn input(given: Option<PathBuf>, default: &str) -> (PathBuf, String) {
    match given {
        Some(p) => {
            let name = p.display().to_string();
            (p, name)
        }
        None => (root().join(default), default.to_owned()),
    }
}

/// Prints to stdout; a closed pipe (`| head`) is not worth a panic.
fn out(text: &str) {
    let _ = io::stdout().lock().write_all(text.as_bytes());
}

fn main() -> ExitCode {
    match Cli::parse().task {
        Task::CheckSpec(args) => check_spec::run(args),
        Task::Codegen { check, snapshot } => codegen(check, snapshot),
        Task::Fuzz(args) => fuzz::run(root(), &args),
        Task::Load(args) => load::run(root(), &args),
        Task::Bench(args) => bench::run(args, root()),
    }
}

/// Needs only eg-codegen: it runs while the client, the emulator or the
/// CLI do not compile against a changed spec, so the diff can be reviewed.
fn codegen(check: bool, snapshot: Option<PathBuf>) -> ExitCode {
    let (path, name) = input(snapshot, SNAPSHOT);
    // The same function and spec as eg-client's build.rs: the same text.
    let freshness =
        match eg_codegen::check_snapshot(&root().join(eg_codegen::SPEC_PATH), &path, &name) {
            Ok(freshness) => freshness,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
    let (fresh, what) = match freshness {
        eg_codegen::Freshness::UpToDate => {
            println!("{name} is up to date");
            return ExitCode::SUCCESS;
        }
        eg_codegen::Freshness::Stale { diff, fresh } => {
            if check {
                out(&diff);
            }
            (fresh, "stale")
        }
        eg_codegen::Freshness::Missing { fresh } => {
            if check {
                let diff = eg_codegen::freshness(&name, Some(""), &fresh);
                if let eg_codegen::Freshness::Stale { diff, .. } = diff {
                    out(&diff);
                }
            }
            (fresh, "missing")
        }
    };
    if check {
        eprintln!("error: {name} is {what}: run `cargo xtask codegen` and commit {name}");
        return ExitCode::FAILURE;
    }
    let written = path
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&path, &fresh));
    if let Err(e) = written {
        eprintln!("error: {name}: cannot write: {e}");
        return ExitCode::from(2);
    }
    println!("wrote {name} ({} lines)", fresh.lines().count());
    ExitCode::SUCCESS
}
