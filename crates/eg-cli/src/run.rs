//! The bulk run of `eg streaming start|pause`: ids sent in parallel, paced
//! by `--rate`, stopped at the first authentication failure so that a wrong
//! key is not locked by the gateway, and reported in input order.

use std::{
    io::{self, IsTerminal, Write},
    sync::{Arc, OnceLock},
    time::Duration,
};

use eg_client::{Client, Error, Operation};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::{
    sync::Mutex,
    time::{Interval, MissedTickBehavior},
};

use crate::{
    Format,
    output::{self, Outcome, Summary},
};

/// How to run.
pub struct Settings {
    /// START or PAUSE.
    pub operation: Operation,
    /// What stdout gets.
    pub format: Format,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests started per second at most, across the run.
    pub rate: Option<f64>,
    /// No progress bar and no summary, unless the output failed.
    pub quiet: bool,
}

/// How the run ended.
pub enum Ended {
    /// Every id succeeded and every result was written.
    AllOk,
    /// Some id failed or was not sent; every result was written.
    SomeFailed,
    /// Writing the results to stdout failed after requests were sent.
    OutputFailed,
}

/// Runs the operation on every id and writes the results and the summary.
pub async fn run(client: &Client, ids: &[String], settings: &Settings) -> Ended {
    let progress = progress_bar(ids.len(), settings.quiet);
    // Set once, by the first cause; every id that has not been sent by then
    // is reported `not_sent` with it.
    let stop: OnceLock<Arc<str>> = OnceLock::new();
    let pacer = settings.rate.map(|rate| {
        let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
        // After a pause, no burst to catch up: the gateway counts bursts.
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Mutex::new(interval)
    });
    // Stdout alone writes each line with its own system call: results are
    // buffered and flushed once per batch instead (jsonl) or at the end.
    let mut stdout = io::BufWriter::with_capacity(64 * 1024, io::stdout());
    let mut output_error: Option<io::Error> = None;
    // Results arrive in completion order; `slots` puts them back in input
    // order, and jsonl streams each one as soon as all before it are done.
    let mut slots: Vec<Option<Outcome>> = ids.iter().map(|_| None).collect();
    let mut next = 0;
    let mut not_sent = 0;
    let mut results = futures::stream::iter(ids.iter().enumerate())
        .map(|(index, id)| {
            let (stop, pacer) = (&stop, &pacer);
            async move {
                let outcome = match wait_turn(pacer.as_ref(), stop).await {
                    Err(reason) => Outcome::not_sent(id, reason),
                    Ok(()) => {
                        let result = client.operate(id, settings.operation).await;
                        if let Err(error) = &result
                            && error.is_auth_failure()
                        {
                            // Only the first cause is kept; later ones are
                            // already in flight and reported as they are.
                            let _ = stop.set(auth_failure(id, error).into());
                        }
                        Outcome::new(id, result)
                    }
                };
                (index, outcome)
            }
        })
        .buffer_unordered(settings.concurrency);
    while let Some((index, outcome)) = results.next().await {
        progress.inc(1);
        if let Some(reason) = outcome.not_sent_reason() {
            not_sent += 1;
            progress.set_message(format!(
                "{not_sent} not sent: {}",
                output::one_line(reason, 60)
            ));
        }
        slots[index] = Some(outcome);
        if settings.format != Format::Jsonl || output_error.is_some() {
            continue;
        }
        let first = next;
        let mut written = Ok(());
        while let Some(Some(outcome)) = slots.get(next) {
            written = output::write_jsonl(&mut stdout, outcome);
            if written.is_err() {
                break;
            }
            next += 1;
        }
        // Every result whose earlier ids are done reaches stdout now.
        if next > first && written.is_ok() {
            written = progress.suspend(|| stdout.flush());
        }
        if let Err(error) = written {
            // Nobody can read the results any more: send nothing new.
            let _ = stop.set(format!("stdout could not be written ({error})").into());
            output_error = Some(error);
        }
    }
    drop(results);
    progress.finish_and_clear();
    let outcomes: Vec<Outcome> = slots.into_iter().flatten().collect();
    if output_error.is_none() {
        let written = match settings.format {
            Format::Table => output::write_table(&mut stdout, &outcomes),
            Format::Json => {
                output::write_json(&mut stdout, &settings.operation.to_string(), &outcomes)
            }
            Format::Jsonl => Ok(()),
        };
        output_error = written.and_then(|()| stdout.flush()).err();
    }
    let summary = Summary::of(&outcomes);
    match output_error {
        Some(error) => {
            // The results are lost: the summary is all that is left, so it
            // is written even with --quiet.
            eprintln!("eg: cannot write the results to stdout: {error}");
            eprintln!("{summary}");
            Ended::OutputFailed
        }
        None => {
            if !settings.quiet {
                eprintln!("{summary}");
            }
            if summary.all_ok() {
                Ended::AllOk
            } else {
                Ended::SomeFailed
            }
        }
    }
}

/// Waits for the pacer, if any; `Err` with the reason once the run stopped.
async fn wait_turn(
    pacer: Option<&Mutex<Interval>>,
    stop: &OnceLock<Arc<str>>,
) -> Result<(), Arc<str>> {
    let stopped = || stop.get().map_or(Ok(()), |reason| Err(reason.clone()));
    stopped()?;
    if let Some(pacer) = pacer {
        let mut pacer = pacer.lock().await;
        // Checked again after the queue: ids waiting when the run stopped
        // must not wait for a tick each.
        stopped()?;
        pacer.tick().await;
    }
    stopped()
}

/// The stop reason for an authentication failure of `id` (401 from the
/// gateway or EG, or a locked key): sending more would lock the key.
fn auth_failure(id: &str, error: &Error) -> String {
    let mut text = format!("authentication failed for '{id}':");
    if let Some(status) = error.status() {
        text.push_str(&format!(" HTTP {status}"));
    }
    if let Some(code) = error.code() {
        text.push_str(&format!(" {code}"));
    }
    if let Some(message) = error.message() {
        text.push_str(&format!(": {message}"));
    }
    match error.request_id() {
        Some(request_id) => text.push_str(&format!(" (request id {request_id})")),
        None => text.push_str(" (no request id)"),
    }
    text
}

/// A bar on stderr when it is a terminal and there is more than one id.
fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || len < 2 || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {elapsed} {msg}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
