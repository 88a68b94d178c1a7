//! The load run through the client library, signing with AK/SK, many
//! requests in flight, with the latency of each.

use std::{
    process::ExitCode,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use eg_client::{Client, Credentials, Error, Operation, RetryConfig};
use futures::StreamExt;

use super::{
    Emulator, LoadArgs, Memory, RSS_SAMPLE_EVERY, STREAMS, WARM_UP_FRACTION, mib, note, outcomes,
    stream_id, verdict,
};
use crate::{api, procs::rss_of};

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
        .project_id(api::PROJECT)
        .credentials(Credentials::access_key(api::ACCESS_KEY, api::SECRET_KEY))
        .timeout(Duration::from_secs(10))
        .retry(
            RetryConfig::default()
                .with_max_attempts(20)
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(100)),
        )
        .build()
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
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

/// Runs the load through the library, prints the figures, checks the criteria.
pub(super) fn drive_and_report(emulator: &Emulator, args: &LoadArgs) -> ExitCode {
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
    let start_rss = emulator.rss();
    let (tally, mut memory) = runtime.block_on(drive(emulator, client, args));
    let elapsed = started.elapsed();
    let end_rss = emulator.rss();
    memory.sample(end_rss, true);
    drop(runtime);

    let (reported, lost, duplicated) = outcomes(&tally.reports);
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
    println!(
        "emulator RSS: start {:.1} MiB, {}, end {:.1} MiB",
        mib(start_rss.unwrap_or(0)),
        memory.show(),
        mib(end_rss.unwrap_or(0))
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
    if start_rss.is_none() || end_rss.is_none() {
        problems.push("the emulator's RSS could not be read from /proc".to_owned());
    }
    problems.extend(memory.check("the emulator", args.flat_mib));
    let pass = format!(
        "every request reported once, 0 lost, 100% succeeded, RSS within {} MiB of warm-up ({:.1} MiB)",
        args.flat_mib,
        mib(memory.growth().unwrap_or(0))
    );
    verdict(&problems, &pass, emulator)
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
        let mut memory = Memory::default();
        async move {
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(RSS_SAMPLE_EVERY).await;
                memory.sample(rss_of(pid), done.load(Ordering::Relaxed) >= warm_at);
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
}
