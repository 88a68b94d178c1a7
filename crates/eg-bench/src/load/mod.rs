//! `cargo xtask load`: drive the release `eg-emulator`, as its own process on
//! loopback, through the client library with AK/SK signing (`library`) or,
//! with `--cli`, through `eg` end to end (`cli`); print throughput, outcomes
//! and memory, and fail unless every request was reported exactly once,
//! none was lost, all succeeded (after retries) and memory stayed flat
//! after warm-up. This module holds what both runs share.

use std::{fmt::Write as _, fs, path::PathBuf, process::ExitCode, time::Duration};

use crate::{
    api::{self, Faults},
    procs::{Server, rss_of},
};

mod cli;
mod library;

/// Requests of the library run go round-robin over this many streams,
/// START then PAUSE.
const STREAMS: usize = 1000;
/// How long an injected delay fault holds a request.
const FAULT_DELAY_MS: u64 = 50;
/// Memory counts as warmed up once this fraction of the requests is done.
const WARM_UP_FRACTION: f64 = 0.1;
const RSS_SAMPLE_EVERY: Duration = Duration::from_millis(50);

/// `cargo xtask load` options.
#[derive(clap::Args)]
pub struct LoadArgs {
    /// How many requests to send.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    requests: u64,
    /// How many requests are in flight at once.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    concurrency: u64,
    /// Fraction of requests the emulator answers with an injected fault
    /// (500, 503, 429, a 50 ms delay, or a connection cut mid-body).
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    fault_rate: f64,
    /// Seed of the emulator's fault choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The run stops after this many seconds; unfinished requests count as lost.
    #[arg(long, default_value_t = 600, value_name = "SECONDS")]
    deadline: u64,
    /// "Flat": no RSS sample after warm-up (10% of the requests done) is more
    /// than this many MiB above the RSS at warm-up.
    #[arg(long, default_value_t = 8)]
    flat_mib: u64,
    /// Send through `eg streaming start --ids-from FILE --output jsonl`, one
    /// distinct stream per request, instead of the library; `eg`'s memory
    /// must stay flat too (--concurrency at most 256, eg's limit).
    #[arg(long)]
    cli: bool,
}

fn rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(format!("`{value}` is not a fraction between 0 and 1")),
    }
}

/// Starts the emulator, runs the load, prints the figures; exit 1 when a
/// criterion fails, 2 when the run cannot start.
pub fn run(args: &LoadArgs) -> ExitCode {
    if args.cli && args.concurrency > 256 {
        eprintln!("error: --cli: eg sends at most 256 requests at once (--concurrency)");
        return ExitCode::from(2);
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "note: a debug build: the criteria hold as in release, the throughput and latency do not"
        );
    }
    match start_emulator(args) {
        Ok(emulator) if args.cli => cli::drive_and_report(&emulator, args),
        Ok(emulator) => library::drive_and_report(&emulator, args),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The emulator under load, killed however the run ends, and its log.
struct Emulator {
    server: Server,
    log: PathBuf,
}

impl Emulator {
    fn rss(&self) -> Option<u64> {
        rss_of(self.server.pid())
    }

    fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().rev().take(20).collect();
        lines.into_iter().rev().fold(String::new(), |mut s, l| {
            let _ = writeln!(s, "  | {l}");
            s
        })
    }
}

/// Where the seed, the id list and the emulator's log go: a `load`
/// directory beside the binaries, in the target directory.
fn work_dir() -> Result<PathBuf, String> {
    let dir = crate::bin_dir()?.join("load");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// The stream the `i`-th request operates on.
fn stream_id(args: &LoadArgs, i: usize) -> String {
    // The library goes round the same streams; eg's run gives each id its own.
    api::stream_id(if args.cli { i } else { i % STREAMS })
}

fn start_emulator(args: &LoadArgs) -> Result<Emulator, String> {
    let dir = work_dir()?;
    let streams = if args.cli {
        args.requests as usize
    } else {
        STREAMS
    };
    let seed = dir.join("seed.txt");
    fs::write(&seed, api::emulator_seed(streams))
        .map_err(|e| format!("cannot write {}: {e}", seed.display()))?;
    let log = dir.join("emulator.log");
    let faults = Faults {
        rate: args.fault_rate,
        seed: args.seed,
        delay_ms: FAULT_DELAY_MS,
    };
    let server = api::start_emulator(
        &crate::sibling("eg-emulator")?,
        &seed,
        Some(faults),
        Some(&log),
    )?;
    eprintln!(
        "== eg-emulator (pid {}) on {}",
        server.pid(),
        server.base_url
    );
    Ok(Emulator { server, log })
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Keeps the first few failures for the report.
fn note(failures: &mut Vec<String>, failure: String) {
    if failures.len() < 5 {
        failures.push(failure);
    }
}

/// How often each request was reported: `(reported, lost, duplicated)`.
fn outcomes(reports: &[u8]) -> (usize, usize, usize) {
    let reported = reports.iter().filter(|&&r| r > 0).count();
    let duplicated = reports.iter().filter(|&&r| r > 1).count();
    (reported, reports.len() - reported, duplicated)
}

/// Peak memory of one process during the run.
#[derive(Clone, Copy, Debug, Default)]
struct Memory {
    warm: Option<u64>,
    peak_after_warm: u64,
}

impl Memory {
    fn sample(&mut self, rss: Option<u64>, warmed_up: bool) {
        let Some(rss) = rss else { return };
        if self.warm.is_none() && warmed_up {
            self.warm = Some(rss);
        }
        if self.warm.is_some() {
            self.peak_after_warm = self.peak_after_warm.max(rss);
        }
    }

    /// Peak after warm-up above the warm-up RSS; `None` before warm-up.
    fn growth(&self) -> Option<u64> {
        Some(self.peak_after_warm.saturating_sub(self.warm?))
    }

    /// "{name}'s RSS after warm-up ..., peak after warm-up ...".
    fn show(&self) -> String {
        format!(
            "after warm-up {:.1} MiB, peak after warm-up {:.1} MiB",
            mib(self.warm.unwrap_or(0)),
            mib(self.peak_after_warm)
        )
    }

    /// The flatness criterion: a problem when `name`'s memory grew more
    /// than `flat_mib` after warm-up, or was never sampled after it.
    fn check(&self, name: &str, flat_mib: u64) -> Option<String> {
        match self.growth() {
            None => Some(format!(
                "{name}'s RSS could not be sampled after warm-up (a run too short?)"
            )),
            Some(growth) if growth > flat_mib * 1024 * 1024 => Some(format!(
                "{name}'s memory not flat: {:.1} MiB above the warm-up RSS (limit {flat_mib} MiB)",
                mib(growth)
            )),
            Some(_) => None,
        }
    }
}

/// Prints the verdict: `PASS: {pass}` when there is no problem, else each
/// problem and the emulator's last log lines.
fn verdict(problems: &[String], pass: &str, emulator: &Emulator) -> ExitCode {
    if problems.is_empty() {
        println!("PASS: {pass}");
        return ExitCode::SUCCESS;
    }
    for p in problems {
        println!("FAIL: {p}");
    }
    let tail = emulator.log_tail();
    if !tail.is_empty() {
        eprintln!("emulator log (last lines):\n{tail}");
    }
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_rate_is_a_fraction() {
        assert_eq!(rate("0.3"), Ok(0.3));
        assert_eq!(
            rate("1.5"),
            Err("`1.5` is not a fraction between 0 and 1".to_owned())
        );
    }

    #[test]
    fn outcomes_count_lost_and_duplicated() {
        assert_eq!(outcomes(&[1, 0, 2, 1, 0]), (3, 2, 1));
        assert_eq!(outcomes(&[]), (0, 0, 0));
    }

    #[test]
    fn memory_is_flat_within_the_limit() {
        let mut memory = Memory::default();
        memory.sample(Some(100 << 20), false);
        assert_eq!(memory.growth(), None);
        assert_eq!(
            memory.check("eg", 8).as_deref(),
            Some("eg's RSS could not be sampled after warm-up (a run too short?)")
        );
        memory.sample(Some(10 << 20), true);
        memory.sample(None, true);
        memory.sample(Some(18 << 20), true);
        assert_eq!(memory.growth(), Some(8 << 20));
        assert_eq!(memory.check("eg", 8), None);
        memory.sample(Some(19 << 20), true);
        assert_eq!(
            memory.check("eg", 8).as_deref(),
            Some("eg's memory not flat: 9.0 MiB above the warm-up RSS (limit 8 MiB)")
        );
    }
}
