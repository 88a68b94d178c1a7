//! `cargo xtask load --cli`: the same load through the release `eg` end to
//! end, `eg streaming start --ids-from FILE --output jsonl`, one distinct
//! stream per id. Its output is read as it comes; its memory and the
//! emulator's are sampled while it runs.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Stdio},
    sync::Mutex,
    thread,
};

use serde_json::Value;

use std::{
    fs,
    process::ExitCode,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use super::{
    Emulator, LoadArgs, Memory, RSS_SAMPLE_EVERY, WARM_UP_FRACTION, mib, note, outcomes, stream_id,
    verdict, work_dir,
};
use crate::{api, procs::rss_of};

/// `eg --retries`: its most. An attempt fails with probability at most the
/// fault rate R, so an id fails all of them with probability R^10.
const RETRIES: u32 = 10;

/// What eg reported.
#[derive(Default)]
struct Tally {
    /// How many times each id's result was reported.
    reports: Vec<u8>,
    succeeded: u64,
    failed: u64,
    /// Failures that were not a retryable error after every attempt.
    unexpected: u64,
    attempts: u64,
    /// Lines that are not a result of one of the ids.
    garbage: u64,
    failures: Vec<String>,
}

impl Tally {
    fn line(&mut self, line: &str) {
        let Ok(result) = serde_json::from_str::<Value>(line) else {
            self.garbage += 1;
            note(&mut self.failures, format!("not a JSON result: {line}"));
            return;
        };
        let index = result["id"]
            .as_str()
            .and_then(api::stream_index)
            .filter(|&i| i < self.reports.len());
        let Some(index) = index else {
            self.garbage += 1;
            note(&mut self.failures, format!("not one of the ids: {line}"));
            return;
        };
        self.reports[index] = self.reports[index].saturating_add(1);
        let attempts = result["attempts"].as_u64();
        self.attempts += attempts.unwrap_or(1);
        if result["ok"] == true && result["event_streaming_id"] == result["id"] {
            self.succeeded += 1;
            return;
        }
        self.failed += 1;
        let exhausted =
            result["error"]["retryable"] == true && attempts == Some(u64::from(RETRIES));
        if !exhausted {
            self.unexpected += 1;
        }
        note(&mut self.failures, line.to_owned());
    }
}

fn spawn_eg(emulator: &Emulator, args: &LoadArgs) -> Result<Child, String> {
    let n = args.requests as usize;
    let dir = work_dir()?;
    let file = dir.join("ids.txt");
    let mut ids = String::with_capacity(n * 12);
    for i in 0..n {
        ids.push_str(&stream_id(args, i));
        ids.push('\n');
    }
    fs::write(&file, ids).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let mut command = api::eg_start_command(
        &crate::sibling("eg")?,
        &emulator.server.base_url,
        &file,
        args.concurrency,
        "jsonl",
    );
    command
        .args(["--retries", &RETRIES.to_string(), "--timeout", "10"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start eg: {e}"))
}

/// Runs eg over `--requests` ids, prints the figures, checks the criteria.
pub(super) fn drive_and_report(emulator: &Emulator, args: &LoadArgs) -> ExitCode {
    let n = args.requests as usize;
    let started = Instant::now();
    let mut child = match spawn_eg(emulator, args) {
        Ok(child) => child,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let done = Arc::new(AtomicU64::new(0));
    let tally = Arc::new(Mutex::new(Tally {
        reports: vec![0; n],
        ..Tally::default()
    }));
    let reader = child.stdout.take().map(|stdout| {
        let (done, tally) = (done.clone(), tally.clone());
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Ok(mut tally) = tally.lock() {
                    tally.line(&line);
                }
                done.fetch_add(1, Ordering::Relaxed);
            }
        })
    });
    let warm_at = ((n as f64 * WARM_UP_FRACTION).ceil() as u64).max(1);
    let deadline = started + Duration::from_secs(args.deadline);
    let (mut eg_memory, mut emulator_memory) = (Memory::default(), Memory::default());
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(e) => {
                eprintln!("error: cannot wait for eg: {e}");
                break None;
            }
        }
        if Instant::now() >= deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        let warmed_up = done.load(Ordering::Relaxed) >= warm_at;
        eg_memory.sample(rss_of(child.id()), warmed_up);
        emulator_memory.sample(emulator.rss(), warmed_up);
        thread::sleep(RSS_SAMPLE_EVERY);
    };
    let elapsed = started.elapsed();
    if let Some(reader) = reader {
        let _ = reader.join();
    }
    let emulator_end = emulator.rss().unwrap_or(0);
    emulator_memory.sample(Some(emulator_end), true);
    let tally = match Arc::try_unwrap(tally).map(Mutex::into_inner) {
        Ok(Ok(tally)) => tally,
        _ => {
            eprintln!("error: the output reader still holds the tally");
            return ExitCode::from(2);
        }
    };

    let (reported, lost, duplicated) = outcomes(&tally.reports);
    let expected_failures = args.fault_rate.powi(RETRIES as i32) * n as f64;
    println!(
        "load --cli: eg over {n} ids, concurrency {}, retries {RETRIES}, fault rate {}, seed {}",
        args.concurrency, args.fault_rate, args.seed
    );
    println!(
        "elapsed {:.1} s, {:.0} ids/s (eg's whole run, reading the list included)",
        elapsed.as_secs_f64(),
        reported as f64 / elapsed.as_secs_f64()
    );
    println!("outcomes: reported {reported}, lost {lost}, reported more than once {duplicated}");
    println!(
        "succeeded {} ({:.3}%), failed {} (expected about {expected_failures:.2}: R^{RETRIES} x {n}); \
         {} attempts ({} retries)",
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
    println!("eg RSS: {}", eg_memory.show());
    println!(
        "emulator RSS: {}, end {:.1} MiB",
        emulator_memory.show(),
        mib(emulator_end)
    );

    let mut problems = Vec::new();
    if timed_out {
        problems.push(format!("the run hit its {} s deadline", args.deadline));
    }
    if lost > 0 || duplicated > 0 || tally.garbage > 0 {
        problems.push(format!(
            "not every id reported exactly once ({lost} lost, {duplicated} duplicated, \
             {} other lines)",
            tally.garbage
        ));
    }
    if tally.unexpected > 0 {
        problems.push(format!(
            "{} ids failed other than by a retryable error on all {RETRIES} attempts",
            tally.unexpected
        ));
    }
    let code = status.and_then(|s| s.code());
    let want = if tally.failed == 0 { 0 } else { 1 };
    if !timed_out && code != Some(want) {
        problems.push(format!("eg exited {code:?}, not {want}"));
    }
    problems.extend(eg_memory.check("eg", args.flat_mib));
    problems.extend(emulator_memory.check("the emulator", args.flat_mib));
    let pass = format!(
        "every id reported once, 0 lost, {} failed as expected, eg and emulator RSS within {} MiB of warm-up",
        tally.failed, args.flat_mib
    );
    verdict(&problems, &pass, emulator)
}
