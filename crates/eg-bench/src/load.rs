//! `cargo xtask load`: drive the release `eg-emulator`, as its own process on
//! loopback, through the client library with AK/SK signing (or, with
//! `--cli`, through `eg` end to end); print throughput, latency, outcomes
//! and memory, and fail unless every request was reported exactly once,
//! none was lost, all succeeded (after retries) and memory stayed flat
//! after warm-up.

use std::{
    fmt::Write as _,
    fs,
    path::PathBuf,
    process::{Command, ExitCode},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use eg_client::{Client, Credentials, Error, Operation, RetryConfig};
use futures::StreamExt;

use crate::procs::{Server, rss_of};

mod cli;

/// The key pair the emulator accepts and the client signs with.
const ACCESS_KEY: &str = "LOADAK";
const SECRET_KEY: &str = "LOADSK";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";
/// Requests go round-robin over this many streams, START then PAUSE.
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

/// The client under load; the only place this task uses the library's
/// builder, so that API changes touch one function.
///
/// Retries: an attempt fails with probability at most the fault rate R
/// (a delay fault still succeeds), so a request fails all k attempts with
/// probability R^k. At R = 0.3 and k = 20 that is 3.5e-11, or 3.5e-6
/// expected failures in 100,000 requests. Backoff starts at 5 ms and is
/// capped at 100 ms so that 19 retries cost at most ~2 s.
fn client(base_url: &str) -> Result<Client, Error> {
    Client::builder()
        .endpoint(base_url)
        .project_id(PROJECT)
        .credentials(Credentials::access_key(ACCESS_KEY, SECRET_KEY))
        .timeout(Duration::from_secs(10))
        .retry(
            RetryConfig::default()
                .with_max_attempts(20)
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(100)),
        )
        .build()
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

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Starts the emulator, runs the load, prints the figures; exit 1 when a
/// criterion fails, 2 when the run cannot start.
pub fn run(args: &LoadArgs) -> ExitCode {
    if args.cli && args.concurrency > 256 {
        eprintln!("error: --cli: eg sends at most 256 requests at once (--concurrency)");
        return ExitCode::from(2);
    }
    match start_emulator(args) {
        Ok(emulator) if args.cli => cli::drive_and_report(&emulator, args),
        Ok(emulator) => drive_and_report(&emulator, args),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Where the seed and the emulator's log go: a `load` directory beside the
/// binaries, in the target directory.
fn work_dir() -> Result<PathBuf, String> {
    let dir = crate::bin_dir()?.join("load");
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// The stream the `i`-th request operates on.
fn stream_id(args: &LoadArgs, i: usize) -> String {
    // The library goes round the same streams; eg's run gives each id its own.
    let i = if args.cli { i } else { i % STREAMS };
    format!("load-{i}")
}

fn start_emulator(args: &LoadArgs) -> Result<Emulator, String> {
    let dir = work_dir()?;
    let streams = if args.cli {
        args.requests as usize
    } else {
        STREAMS
    };
    let mut seed = format!("credential {ACCESS_KEY}={SECRET_KEY}\n");
    for i in 0..streams {
        let _ = writeln!(seed, "stream {PROJECT}/load-{i}");
    }
    let seed_path = dir.join("seed.txt");
    fs::write(&seed_path, seed)
        .map_err(|e| format!("cannot write {}: {e}", seed_path.display()))?;
    let log = dir.join("emulator.log");
    let log_file =
        fs::File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let mut command = Command::new(crate::sibling("eg-emulator")?);
    command
        .arg("--listen=127.0.0.1:0")
        .arg("--seed")
        .arg(&seed_path)
        .arg(format!("--fault-rate={}", args.fault_rate))
        .arg(format!("--fault-seed={}", args.seed))
        .arg(format!("--fault-delay-ms={FAULT_DELAY_MS}"))
        // One log line per refusal would cost the emulator more than the
        // requests do; warnings and errors still reach the log.
        .env("RUST_LOG", "warn");
    let server = Server::spawn_with_stderr("eg-emulator", command, log_file).map_err(|e| {
        let tail = fs::read_to_string(&log).unwrap_or_default();
        format!("{e}; its log:\n{tail}")
    })?;
    eprintln!(
        "== eg-emulator (pid {}) on {}",
        server.pid(),
        server.base_url
    );
    Ok(Emulator { server, log })
}

/// What the load loop observed.
#[derive(Default)]
struct Tally {
    /// How many times each request's outcome was reported.
    reports: Vec<u8>,
    latencies: Vec<Duration>,
    succeeded: u64,
    failed: u64,
    attempts: u64,
    /// The first few failures, as printed.
    failures: Vec<String>,
    timed_out: bool,
}

/// Memory samples of the emulator during the run.
#[derive(Clone, Copy, Debug, Default)]
struct Memory {
    start: u64,
    warm: Option<u64>,
    peak_after_warm: u64,
    end: u64,
}

fn drive_and_report(emulator: &Emulator, args: &LoadArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let client = match client(&emulator.server.base_url) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot build the client: {e}");
            return ExitCode::from(2);
        }
    };
    let n = args.requests as usize;
    let started = Instant::now();
    let (tally, mut memory) = runtime.block_on(drive(emulator, client, args));
    let elapsed = started.elapsed();
    memory.end = emulator.rss().unwrap_or(0);
    drop(runtime);

    let reported = tally.reports.iter().filter(|&&r| r > 0).count();
    let duplicated = tally.reports.iter().filter(|&&r| r > 1).count();
    let lost = n - reported;
    let mut latencies = tally.latencies;
    latencies.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "load: {n} requests, concurrency {}, fault rate {}, seed {}",
        args.concurrency, args.fault_rate, args.seed
    );
    println!(
        "elapsed {:.1} s, {:.0} requests/s",
        elapsed.as_secs_f64(),
        reported as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency (retries included) p50 {:.1} ms, p99 {:.1} ms",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99))
    );
    println!("outcomes: reported {reported}, lost {lost}, reported more than once {duplicated}");
    println!(
        "succeeded {} ({:.3}%), failed {}; {} attempts ({} retries)",
        tally.succeeded,
        100.0 * tally.succeeded as f64 / n as f64,
        tally.failed,
        tally.attempts,
        tally
            .attempts
            .saturating_sub(tally.succeeded + tally.failed)
    );
    for failure in &tally.failures {
        println!("  failure: {failure}");
    }
    let warm = memory.warm.unwrap_or(memory.start);
    let growth = memory.peak_after_warm.max(memory.end).saturating_sub(warm);
    println!(
        "emulator RSS: start {:.1} MiB, after warm-up {:.1} MiB, peak after warm-up {:.1} MiB, end {:.1} MiB",
        mib(memory.start),
        mib(warm),
        mib(memory.peak_after_warm.max(memory.end)),
        mib(memory.end)
    );

    let mut problems = Vec::new();
    if tally.timed_out {
        problems.push(format!("the run hit its {} s deadline", args.deadline));
    }
    if lost > 0 || duplicated > 0 {
        problems.push(format!(
            "not every request reported exactly once ({lost} lost, {duplicated} duplicated)"
        ));
    }
    if tally.succeeded != n as u64 {
        problems.push(format!(
            "{} of {n} requests did not succeed",
            n as u64 - tally.succeeded
        ));
    }
    if memory.start == 0 || memory.warm.is_none() || memory.end == 0 {
        problems.push("the emulator's RSS could not be read from /proc".to_owned());
    } else if growth > args.flat_mib * 1024 * 1024 {
        problems.push(format!(
            "memory not flat: {:.1} MiB above the warm-up RSS (limit {} MiB)",
            mib(growth),
            args.flat_mib
        ));
    }
    if problems.is_empty() {
        println!(
            "PASS: every request reported once, 0 lost, 100% succeeded, RSS within {} MiB of warm-up ({:.1} MiB)",
            args.flat_mib,
            mib(growth)
        );
        ExitCode::SUCCESS
    } else {
        for p in &problems {
            println!("FAIL: {p}");
        }
        if !emulator.log_tail().is_empty() {
            eprintln!("emulator log (last lines):\n{}", emulator.log_tail());
        }
        ExitCode::FAILURE
    }
}

/// Sends the requests, at most `concurrency` at a time, until all are
/// reported or the deadline passes; samples the emulator's RSS meanwhile.
async fn drive(emulator: &Emulator, client: Client, args: &LoadArgs) -> (Tally, Memory) {
    let n = args.requests as usize;
    let pid = emulator.server.pid();
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let warm_at = ((n as f64 * WARM_UP_FRACTION).ceil() as u64).max(1);
    let sampler = tokio::spawn({
        let (done, stop) = (done.clone(), stop.clone());
        let mut memory = Memory {
            start: rss_of(pid).unwrap_or(0),
            ..Memory::default()
        };
        async move {
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(RSS_SAMPLE_EVERY).await;
                let Some(rss) = rss_of(pid) else { continue };
                if memory.warm.is_none() && done.load(Ordering::Relaxed) >= warm_at {
                    memory.warm = Some(rss);
                }
                if memory.warm.is_some() {
                    memory.peak_after_warm = memory.peak_after_warm.max(rss);
                }
            }
            memory
        }
    });

    let mut tally = Tally {
        reports: vec![0; n],
        latencies: Vec::with_capacity(n),
        ..Tally::default()
    };
    let mut results = futures::stream::iter(0..n)
        .map(|i| {
            let client = client.clone();
            async move {
                let id = stream_id(args, i);
                // START a whole round of streams, then PAUSE them, and so on.
                let operation = if (i / STREAMS).is_multiple_of(2) {
                    Operation::Start
                } else {
                    Operation::Pause
                };
                let sent = Instant::now();
                let result = client.operate(&id, operation).await;
                (i, id, sent.elapsed(), result)
            }
        })
        .buffer_unordered(args.concurrency as usize);
    let deadline = tokio::time::sleep(Duration::from_secs(args.deadline));
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            next = results.next() => {
                let Some((i, id, latency, result)) = next else { break };
                tally.reports[i] = tally.reports[i].saturating_add(1);
                tally.latencies.push(latency);
                match result {
                    Ok(operated) if operated.event_streaming_id.as_deref() == Some(id.as_str()) => {
                        tally.succeeded += 1;
                        tally.attempts += u64::from(operated.attempts());
                    }
                    Ok(operated) => {
                        tally.failed += 1;
                        tally.attempts += u64::from(operated.attempts());
                        note(&mut tally.failures, format!("{id}: answered for {:?}", operated.event_streaming_id));
                    }
                    Err(e) => {
                        tally.failed += 1;
                        // Unknown attempts count as one, the least there was.
                        tally.attempts += 1;
                        note(&mut tally.failures, format!("{id}: {e}"));
                    }
                }
                done.fetch_add(1, Ordering::Relaxed);
            }
            () = &mut deadline => {
                tally.timed_out = true;
                break;
            }
        }
    }
    drop(results);
    stop.store(true, Ordering::Relaxed);
    let memory = sampler.await.unwrap_or_default();
    (tally, memory)
}

/// Keeps the first few failures for the report.
fn note(failures: &mut Vec<String>, failure: String) {
    if failures.len() < 5 {
        failures.push(failure);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&values, 0.50), Duration::from_millis(50));
        assert_eq!(percentile(&values, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&values, 1.0), Duration::from_millis(100));
        assert_eq!(percentile(&values[..1], 0.99), Duration::from_millis(1));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }

    #[test]
    fn fault_rate_is_a_fraction() {
        assert_eq!(rate("0.3"), Ok(0.3));
        assert_eq!(
            rate("1.5"),
            Err("`1.5` is not a fraction between 0 and 1".to_owned())
        );
    }
}
