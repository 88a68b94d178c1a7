//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `check-spec [--docs PATH]... [--spec PATH] [--format text|json]`:
//!   compare the spec (and the generated client) with Huawei's docs pages
//!   (every page under `openapi/` by default), by running eg-spec-check's
//!   `check-spec` binary; see `check_spec`.
//! - `docs-page FILE... [--format text|json]`: what the parser reads from
//!   each page, with the parts it could not read (see `docs_page`).
//! - `codegen [--check]`: write the generated client to the committed
//!   snapshot `generated/codegen.rs`, or with `--check` exit 1 with a diff
//!   when it is stale.
//! - `fuzz [--seconds N]`: run each fuzz target for N seconds (see [`fuzz`]).
//! - `load [--debug] --requests N --concurrency C [--fault-rate R] [--seed S] [--cli]`:
//!   load run against the release emulator, through the library or `eg`;
//!   `--debug` runs the debug builds instead, which `cargo test` has just
//!   built: its criteria (each request reported once, all succeeded, flat
//!   memory) hold the same, only its throughput figures mean nothing.
//! - `bench [--quick] [--format text|json]`: every performance figure as a
//!   ratio to a baseline measured in the same run.
//!
//! `load` and `bench` live in `crates/eg-bench`, which needs the client and
//! the emulator: xtask builds it (and `eg`, `eg-emulator`) in release and
//! runs it, so that xtask itself builds without them (`codegen` must work
//! while the client does not compile).

use std::{
    ffi::OsString,
    fs,
    io::{self, Write},
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use clap::{Parser, Subcommand};

mod check_spec;
mod docs_page;
mod fuzz;

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
    /// Print what the parser reads from docs pages (the model, not a verdict).
    DocsPage(docs_page::DocsPage),
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
    /// Load-test the release emulator through the client library or `eg`
    /// (`cargo xtask load --help` for the flags; a first `--debug` uses the
    /// debug builds).
    #[command(disable_help_flag = true)]
    Load {
        /// Passed to `eg-bench load`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
    /// Measure performance against baselines, on a release build
    /// (`cargo xtask bench --help` for the flags).
    #[command(disable_help_flag = true)]
    Bench {
        /// Passed to `eg-bench bench`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
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
        Task::CheckSpec(args) => check_spec::run(root(), args),
        Task::DocsPage(args) => docs_page::run(args),
        Task::Codegen { check, snapshot } => codegen(check, snapshot),
        Task::Fuzz(args) => fuzz::run(root(), &args),
        Task::Load { args } => match args.split_first() {
            Some((first, rest)) if first == "--debug" => eg_bench("load", rest, Profile::Debug),
            _ => eg_bench("load", &args, Profile::Release),
        },
        Task::Bench { args } => eg_bench("bench", &args, Profile::Release),
    }
}

/// Which build of `eg-bench`, `eg` and `eg-emulator` to run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    /// Figures of a debug build mean nothing: the bench always runs this.
    Release,
    /// For a load run whose criteria, not its figures, are wanted (CI's).
    Debug,
}

/// Builds `eg-bench`, `eg` and `eg-emulator` in `profile`, then runs
/// `eg-bench TASK ARGS...` with this process's stdio; its exit code is ours.
fn eg_bench(task: &str, args: &[OsString], profile: Profile) -> ExitCode {
    let release: &[&str] = match profile {
        Profile::Release => &["--release"],
        Profile::Debug => &[],
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let cargo = || {
        let mut command = Command::new(&cargo);
        command.current_dir(root());
        command
    };
    let name = match profile {
        Profile::Release => "release",
        Profile::Debug => "debug",
    };
    eprintln!("xtask: building {name} eg-bench, eg and eg-emulator");
    let built = cargo()
        .arg("build")
        .args(release)
        .arg("--locked")
        .args(["-p", "eg-bench", "-p", "eg-cli", "-p", "eg-emulator"])
        .status();
    match built {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!("error: cargo build ({name}) failed ({status})");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            return ExitCode::from(2);
        }
    }
    let ran = cargo()
        .arg("run")
        .args(release)
        .args(["--locked", "--quiet", "-p", "eg-bench", "--"])
        .arg(task)
        .args(args)
        .status();
    match ran {
        Ok(status) => ExitCode::from(status.code().map_or(1, |c| c.clamp(0, 255) as u8)),
        Err(e) => {
            eprintln!("error: cannot run cargo: {e}");
            ExitCode::from(2)
        }
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
