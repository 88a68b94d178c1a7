//! The bulk run of `eg streaming <operation>`: ids read as a stream, sent in
//! parallel, paced by `--rate`, stopped at the first authentication failure
//! or signal, each result written as soon as it can be.
//!
//! Memory does not grow with the number of ids: ids wait in a bounded
//! channel from the reader thread; `table` and `json` put results back in
//! input order through a window of at most [`WINDOW_PER_REQUEST`] ×
//! `--concurrency` ids, started ones included; `jsonl` writes each result as
//! it finishes.
//!
//! Credentials are unproven until an answer comes from behind the gateway's
//! authentication (a success, or one of EG's own errors): until then one
//! request is in flight at a time, so a wrong key is refused once, not once
//! per request in flight, and is never locked (the gateway locks a key
//! after more than five failures in a row).

use std::{
    collections::VecDeque,
    io::{self, IsTerminal, Write},
    sync::Arc,
    time::Duration,
};

use eg_cli::{args::Format, spec_flags::Request};
use eg_client::{Client, runtime::OperationBuilder};
use futures::{FutureExt, StreamExt, stream::FuturesUnordered};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::{
    signal::unix::{Signal, SignalKind, signal},
    sync::{mpsc, watch},
    time::{Instant, Interval, MissedTickBehavior},
};

use crate::output::{self, Outcome, Summary, Writer};

/// How to run.
pub struct Settings {
    /// The operation, parameters and body fields sent for every id.
    pub request: Request,
    /// What stdout gets.
    pub format: Format,
    /// Requests in flight at once, once the credentials are proven.
    pub concurrency: usize,
    /// Requests started per second at most, across the run.
    pub rate: Option<f64>,
    /// No progress bar and no summary, unless the output failed.
    pub quiet: bool,
    /// How long, after a signal, the requests in flight may still take.
    pub timeout: Duration,
}

/// How the run ended.
pub enum Ended {
    /// Every id succeeded and every result was written.
    AllOk,
    /// Some id failed or was not sent; every result was written.
    SomeFailed,
    /// Writing the results to stdout failed after requests were sent.
    OutputFailed,
    /// A SIGINT or SIGTERM stopped the run; every id was reported.
    Interrupted,
}

/// The ids still to come, in input order, from the reader thread; an `Err`
/// (why the list could not be read further) is the last item.
pub type Ids = mpsc::Receiver<Result<String, String>>;

/// `table` and `json` hold at most this many ids per request allowed in
/// flight between the first one not yet written and the last one started.
pub const WINDOW_PER_REQUEST: usize = 4;

/// How long a written result may wait in the buffer before it reaches stdout.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// SIGINT and SIGTERM.
pub struct Signals {
    interrupt: Signal,
    terminate: Signal,
}

impl Signals {
    /// Catches both signals from now on.
    pub fn catch() -> io::Result<Self> {
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// The name of the next signal.
    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}

/// Sends one id with `builder`, its request set: the one place that sends.
/// Resolves early, as [`Outcome::interrupted`], once `abandon` holds a
/// reason.
async fn send<B: OperationBuilder>(
    builder: B,
    index: u64,
    id: String,
    mut abandon: watch::Receiver<Option<Arc<str>>>,
) -> (u64, Outcome) {
    tokio::select! {
        result = builder.send_value() => (index, Outcome::new(id, result)),
        why = abandon.wait_for(Option::is_some) => match why {
            Ok(why) => {
                let why = why.as_deref().unwrap_or("interrupted").to_owned();
                (index, Outcome::interrupted(id, &why))
            }
            // The run keeps the sender until every request is done.
            Err(_) => std::future::pending().await,
        },
    }
}

/// What the run has written and counted so far.
struct Results {
    format: Format,
    stdout: io::BufWriter<io::Stdout>,
    writer: Option<Writer>,
    /// Written since the last flush.
    dirty: bool,
    /// The last flush since the first result was written.
    last_flush: Option<Instant>,
    wrote_result: bool,
    output_error: Option<io::Error>,
    /// In input order from `next_write` on; `None` while in flight.
    window: VecDeque<Option<Outcome>>,
    next_write: u64,
    summary: Summary,
    progress: ProgressBar,
    /// Why nothing more is sent: the first cause wins.
    stop: Option<Arc<str>>,
}

impl Results {
    fn stop(&mut self, reason: impl Into<Arc<str>>) {
        if self.stop.is_none() {
            self.stop = Some(reason.into());
        }
    }

    /// A slot in input order for the id at `index` (ordered formats).
    fn reserve(&mut self) {
        if self.format != Format::Jsonl {
            self.window.push_back(None);
        }
    }

    /// Room for one more id in the reorder window.
    fn has_room(&self, window: usize) -> bool {
        self.format == Format::Jsonl || self.window.len() < window
    }

    /// Takes the outcome of the id at `index` and writes whatever is now
    /// next in order.
    fn done(&mut self, index: u64, outcome: Outcome) {
        self.progress.inc(1);
        self.summary.add(&outcome);
        if let Some(reason) = outcome.not_sent_reason() {
            self.progress.set_message(format!(
                "{} not sent: {}",
                self.summary.not_sent(),
                output::one_line(reason, 60)
            ));
        }
        if self.format == Format::Jsonl {
            self.write(&outcome);
            return;
        }
        let slot = usize::try_from(index - self.next_write).unwrap_or(usize::MAX);
        if let Some(entry) = self.window.get_mut(slot) {
            *entry = Some(outcome);
        }
        while let Some(Some(_)) = self.window.front() {
            if let Some(Some(outcome)) = self.window.pop_front() {
                self.write(&outcome);
            }
            self.next_write += 1;
        }
    }

    fn write(&mut self, outcome: &Outcome) {
        if self.output_error.is_some() {
            return;
        }
        let written = match &mut self.writer {
            Some(writer) => writer.result(&mut self.stdout, outcome),
            None => Ok(()),
        };
        self.dirty = true;
        if !self.wrote_result {
            self.wrote_result = true;
            self.last_flush = None;
        }
        if let Err(error) = written {
            self.output_failed(error);
        }
    }

    /// When what was written must reach stdout: at once the first time (a
    /// closed stdout stops the run after one result), then at most
    /// [`FLUSH_EVERY`] after the last flush, so that a fast run does not
    /// make one system call per result.
    fn flush_at(&self) -> Option<Instant> {
        if !self.dirty || self.output_error.is_some() {
            return None;
        }
        Some(
            self.last_flush
                .map_or_else(Instant::now, |at| at + FLUSH_EVERY),
        )
    }

    /// Flushes if [`Results::flush_at`] has come.
    fn flush_if_due(&mut self) {
        if self.flush_at().is_some_and(|at| at <= Instant::now()) {
            self.flush();
        }
    }

    /// Every result written so far reaches stdout now.
    fn flush(&mut self) {
        if self.dirty && self.output_error.is_none() {
            self.dirty = false;
            self.last_flush = Some(Instant::now());
            let (progress, stdout) = (&self.progress, &mut self.stdout);
            if let Err(error) = progress.suspend(|| stdout.flush()) {
                self.output_failed(error);
            }
        }
    }

    fn output_failed(&mut self, error: io::Error) {
        // Nobody can read the results any more: send nothing new.
        self.stop(format!(
            "the run stopped after stdout could not be written ({error})"
        ));
        self.output_error = Some(error);
    }
}

/// Sends the request, with a builder `make` gives for `client`, for `first`
/// and every id of `ids`; writes the results and the summary.
pub async fn run<'a, B: OperationBuilder + 'a>(
    client: &'a Client,
    make: impl Fn(&'a Client) -> B,
    first: String,
    mut ids: Ids,
    mut signals: Signals,
    settings: &Settings,
) -> Ended {
    let progress = progress_bar(settings.quiet);
    let mut stdout = io::BufWriter::with_capacity(64 * 1024, io::stdout());
    let operation = settings.request.operation();
    let (writer, output_error) = match Writer::begin(settings.format, &mut stdout, operation) {
        Ok(writer) => (Some(writer), None),
        Err(error) => (None, Some(error)),
    };
    let mut results = Results {
        format: settings.format,
        stdout,
        writer,
        dirty: true,
        last_flush: None,
        wrote_result: false,
        output_error: None,
        window: VecDeque::new(),
        next_write: 0,
        summary: Summary::default(),
        progress,
        stop: None,
    };
    if let Some(error) = output_error {
        results.output_failed(error);
    }
    let window = WINDOW_PER_REQUEST * settings.concurrency;
    let mut pacer = settings.rate.map(|rate| {
        let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
        // After a pause, no burst to catch up: the gateway counts bursts.
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        interval
    });
    let (abandon, abandoned) = watch::channel(None);
    let mut in_flight = FuturesUnordered::new();
    let mut pending = Some(first);
    let mut next_index: u64 = 0;
    let mut exhausted = false;
    let mut read_error = None;
    let mut proven = false;
    let mut interrupted: Option<(&'static str, Instant)> = None;

    loop {
        // Everything that can be done without waiting, before waiting.
        let mut busy = true;
        while busy {
            busy = false;
            let mut finished = false;
            while let Some(Some((index, outcome))) = in_flight.next().now_or_never() {
                completed(&mut results, &mut proven, index, outcome);
                finished = true;
            }
            if finished {
                // Before anything new is sent: if stdout is gone, nothing
                // more is.
                results.flush_if_due();
                busy = true;
            }
            if pending.is_none() && !exhausted {
                match ids.try_recv() {
                    Ok(item) => {
                        receive(
                            item,
                            &mut pending,
                            &mut exhausted,
                            &mut read_error,
                            &mut results,
                        );
                        busy = true;
                    }
                    Err(mpsc::error::TryRecvError::Empty) => {}
                    Err(mpsc::error::TryRecvError::Disconnected) => exhausted = true,
                }
            }
            if pending.is_some() && results.has_room(window) {
                let limit = if proven { settings.concurrency } else { 1 };
                if let Some(reason) = results.stop.clone() {
                    let id = pending.take().unwrap_or_default();
                    results.reserve();
                    results.done(next_index, Outcome::not_sent(id, reason));
                    next_index += 1;
                    busy = true;
                } else if pacer.is_none() && in_flight.len() < limit {
                    let id = pending.take().unwrap_or_default();
                    results.reserve();
                    let builder = settings.request.apply(make(client), &id);
                    in_flight.push(send(builder, next_index, id, abandoned.clone()));
                    next_index += 1;
                    busy = true;
                }
            }
        }
        if pending.is_none() && exhausted && in_flight.is_empty() {
            break;
        }
        results.flush_if_due();
        let flush_at = results.flush_at();
        let limit = if proven { settings.concurrency } else { 1 };
        let can_start = pending.is_some()
            && results.stop.is_none()
            && results.has_room(window)
            && in_flight.len() < limit;
        tokio::select! {
            biased;
            name = signals.next() => match interrupted {
                Some(_) => {
                    eprintln!(
                        "eg: {name} again: exiting at once; {} request(s) in flight are not reported",
                        in_flight.len()
                    );
                    std::process::exit(130);
                }
                None => {
                    interrupted = Some((name, Instant::now() + settings.timeout));
                    results.stop(format!("interrupted ({name})"));
                    if !settings.quiet {
                        results.progress.suspend(|| eprintln!(
                            "eg: {name}: sending nothing more; waiting up to {} s for {} request(s) \
                             in flight ({name} again to exit at once)",
                            settings.timeout.as_secs_f64(),
                            in_flight.len()
                        ));
                    }
                }
            },
            () = deadline(interrupted), if abandon.borrow().is_none() => {
                if let Some((name, _)) = interrupted {
                    let _ = abandon.send(Some(format!(
                        "interrupted ({name}): no answer {} s after the signal",
                        settings.timeout.as_secs_f64()
                    ).into()));
                }
            },
            Some((index, outcome)) = in_flight.next(), if !in_flight.is_empty() => {
                completed(&mut results, &mut proven, index, outcome);
                results.flush_if_due();
            },
            () = tokio::time::sleep_until(flush_at.unwrap_or_else(Instant::now)), if flush_at.is_some() => {
                results.flush();
            },
            item = ids.recv(), if pending.is_none() && !exhausted => match item {
                Some(item) => receive(item, &mut pending, &mut exhausted, &mut read_error, &mut results),
                None => exhausted = true,
            },
            () = turn(pacer.as_mut()), if can_start && pacer.is_some() => {
                let id = pending.take().unwrap_or_default();
                results.reserve();
                let builder = settings.request.apply(make(client), &id);
                in_flight.push(send(builder, next_index, id, abandoned.clone()));
                next_index += 1;
            },
        }
    }
    drop(in_flight);
    results.progress.finish_and_clear();
    if results.output_error.is_none()
        && let Some(writer) = results.writer.take()
    {
        let written = writer
            .end(&mut results.stdout, &results.summary)
            .and_then(|()| results.stdout.flush());
        if let Err(error) = written {
            results.output_error = Some(error);
        }
    }
    if let Some(error) = &read_error {
        eprintln!("eg: {error}; the ids after it were not read");
    }
    let summary = &results.summary;
    match &results.output_error {
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
            if interrupted.is_some() {
                Ended::Interrupted
            } else if summary.all_ok() && read_error.is_none() {
                Ended::AllOk
            } else {
                Ended::SomeFailed
            }
        }
    }
}

/// One finished request: proves the credentials, or stops the run.
fn completed(results: &mut Results, proven: &mut bool, index: u64, outcome: Outcome) {
    *proven |= outcome.authenticated();
    if let Some(reason) = outcome.auth_failure() {
        // Only the first cause is kept; requests already in flight are
        // reported as they end.
        results.stop(reason.clone());
    }
    results.done(index, outcome);
}

/// One item from the reader thread.
fn receive(
    item: Result<String, String>,
    pending: &mut Option<String>,
    exhausted: &mut bool,
    read_error: &mut Option<String>,
    results: &mut Results,
) {
    match item {
        Ok(id) => *pending = Some(id),
        Err(error) => {
            *exhausted = true;
            results.stop(format!(
                "the run stopped at an unreadable id list ({error})"
            ));
            *read_error = Some(error);
        }
    }
}

/// Resolves at the deadline of an interrupted run; never otherwise.
async fn deadline(interrupted: Option<(&'static str, Instant)>) {
    match interrupted {
        Some((_, at)) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Waits for the pacer's next tick.
async fn turn(pacer: Option<&mut Interval>) {
    if let Some(pacer) = pacer {
        pacer.tick().await;
    }
}

/// A spinner on stderr when it is a terminal: the length is not known
/// before the list has been read.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {pos} done {elapsed} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar
}
