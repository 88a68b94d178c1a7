//! `cargo xtask bench [--quick] [--only PART]... [--format text|json] [--venv DIR]`: every
//! performance figure of the project, each as a ratio to a baseline measured
//! in the same run, on a release build with the emulator as its own process.
//!
//! The variants of a figure take turns (A B A B ...) over several rounds (the
//! client figures also in slices within a round, A B then B A) and
//! each figure is the median of its rounds, with min and max. Absolute
//! figures are printed too, but only the ratios carry over to another
//! machine.
//!
//! `--format json` prints one document (shape `version: 1`):
//!
//! ```json
//! {"version": 1, "quick": false,
//!  "machine": {"cpus": 2, "os": "linux", "arch": "x86_64"},
//!  "figures": [{"key": "client.token.c64.ratio", "what": "...", "unit": "ratio",
//!               "median": 0.93, "min": 0.9, "max": 0.95, "rounds": 5,
//!               "target": ">= 0.95"}],
//!  "skipped": [{"part": "cli", "reason": "..."}]}
//! ```
//!
//! Units: `ratio`, `us` (microseconds), `s`, `MiB`, `B` (bytes), `req/s`,
//! `ids/s`.
//! `target` is the issue's target or `null`. New keys may be added.
//!
//! One module per figure family (`client`, `signer`, `cli`, `emulator`,
//! `scale`) and the report (`report`); this one holds the options, the
//! sizes and the order of the parts.

use std::{
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    time::Duration,
};

use clap::Args;

use crate::{Format, api};

mod cli;
mod client;
mod emulator;
mod report;
mod scale;
mod signer;

use report::Report;

/// `cargo xtask bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// Fewer rounds and smaller runs: a quick look, noisier figures.
    #[arg(long)]
    quick: bool,
    /// Measure only these parts (repeatable) [default: all five].
    #[arg(long, value_enum, value_name = "PART")]
    only: Vec<Part>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Python venv with huaweicloudsdkcore and huaweicloudsdkeg [default:
    /// target/python-sdk-venv, which CI's interop step creates].
    #[arg(long, value_name = "DIR")]
    venv: Option<PathBuf>,
}

/// The five parts of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// The client against raw reqwest.
    Client,
    /// `eg_signer::sign` and `verify`, and the official Python signer.
    Signer,
    /// `eg` against the official Python SDK.
    Cli,
    /// The emulator against a bare axum handler, and its memory per stream.
    Emulator,
    /// `eg`'s peak memory and speed at 10,000 and 200,000 ids.
    Scale,
}

/// How much to measure.
struct Sizes {
    rounds: usize,
    sequential: usize,
    concurrent: usize,
    signatures: usize,
    python_signatures: usize,
    cli_ids: usize,
    cli_rounds: usize,
    emulator_requests: usize,
    memory_rounds: usize,
    scale_rounds: usize,
}

impl Sizes {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                rounds: 3,
                sequential: 500,
                concurrent: 2_000,
                signatures: 5_000,
                python_signatures: 1_000,
                cli_ids: 2_000,
                cli_rounds: 2,
                emulator_requests: 5_000,
                memory_rounds: 1,
                scale_rounds: 1,
            }
        } else {
            Self {
                rounds: 5,
                sequential: 2_000,
                concurrent: 10_000,
                signatures: 20_000,
                python_signatures: 5_000,
                cli_ids: 10_000,
                cli_rounds: 3,
                emulator_requests: 20_000,
                memory_rounds: 3,
                scale_rounds: 3,
            }
        }
    }
}

/// Streams the client figures spread their requests over.
const SPREAD: usize = 1_000;
/// Turns each variant of a client or signer figure takes within one round.
const SLICES: usize = 10;
/// Concurrency of the "many in flight" figures.
const CONCURRENCY: usize = 64;
/// Threads of the official SDK in the CLI comparison (and `eg --concurrency`).
const CLI_CONCURRENCY: u32 = 16;
/// Streams registered for the memory figure.
const MEMORY_STREAMS: usize = 100_000;
/// The two id counts of the scale figures: memory must not grow between them.
const SCALE_IDS: [usize; 2] = [10_000, 200_000];

/// Runs the benchmark.
pub fn run(args: &BenchArgs, root: &Path) -> Result<ExitCode, String> {
    if cfg!(debug_assertions) {
        // Figures of a debug build mean nothing.
        return Err(
            "this is a debug build: run `cargo xtask bench`, which builds and runs \
                    the release one"
                .into(),
        );
    }
    bench(args, root).map(|()| ExitCode::SUCCESS)
}

fn bench(args: &BenchArgs, root: &Path) -> Result<(), String> {
    let sizes = Sizes::new(args.quick);
    let emulator_bin = crate::sibling("eg-emulator")?;
    let eg_bin = crate::sibling("eg")?;
    let venv = args
        .venv
        .clone()
        .unwrap_or_else(|| root.join("target/python-sdk-venv"));
    let python = python_with_sdk(&venv);
    let work = tempfile::tempdir().map_err(|e| format!("cannot make a temporary dir: {e}"))?;
    let seed = work.path().join("seed.txt");
    write(&seed, &api::emulator_seed(SPREAD.max(sizes.cli_ids)))?;
    let emulator = api::start_emulator(&emulator_bin, &seed, None, None)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;

    let mut report = Report::default();
    let wanted = |part: Part| args.only.is_empty() || args.only.contains(&part);
    if wanted(Part::Client) {
        eprintln!("bench: 1/5 client against raw reqwest");
        runtime.block_on(client::figures(&sizes, &emulator.base_url, &mut report))?;
    }
    if wanted(Part::Signer) {
        eprintln!("bench: 2/5 signer");
        signer::figures(&sizes, root, python.as_ref(), &mut report)?;
    }
    if wanted(Part::Cli) {
        eprintln!("bench: 3/5 eg against the official Python SDK");
        match &python {
            Ok(python) => cli::figures(
                &sizes,
                root,
                work.path(),
                &eg_bin,
                python,
                &emulator.base_url,
                &mut report,
            )?,
            Err(why) => report.skipped.push(("cli", why.clone())),
        }
    }
    if wanted(Part::Emulator) {
        eprintln!("bench: 4/5 emulator");
        runtime.block_on(emulator::figures(&sizes, &emulator.base_url, &mut report))?;
        emulator::memory_figures(&sizes, work.path(), &emulator_bin, &runtime, &mut report)?;
    }
    drop(emulator);
    if wanted(Part::Scale) {
        eprintln!("bench: 5/5 eg at 10,000 and 200,000 ids");
        scale::figures(&sizes, work.path(), &emulator_bin, &eg_bin, &mut report)?;
    }

    let text = match args.format {
        Format::Text => report::text(&sizes, args.quick, &report),
        Format::Json => format!("{}\n", report::json(args.quick, &report)),
    };
    crate::out(&text);
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The venv's python when it can import the official SDK; else why not.
fn python_with_sdk(venv: &Path) -> Result<PathBuf, String> {
    let python = venv.join("bin/python");
    let hint = "make it with `python3 -m venv target/python-sdk-venv && \
                target/python-sdk-venv/bin/pip install -r interop/python-sdk/requirements.txt`";
    if !python.is_file() {
        return Err(format!("no Python venv at {}; {hint}", venv.display()));
    }
    let imports = Command::new(&python)
        .args(["-c", "import huaweicloudsdkcore, huaweicloudsdkeg"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !imports.status.success() {
        return Err(format!(
            "{} cannot import huaweicloudsdkcore and huaweicloudsdkeg; {hint}",
            python.display()
        ));
    }
    Ok(python)
}

fn micros(took: Duration, count: usize) -> f64 {
    took.as_secs_f64() * 1e6 / count as f64
}
