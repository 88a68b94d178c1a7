//! `eg`: start and pause Huawei Cloud EventGrid event streams from a
//! terminal, a cron job or a deployment script, and run the local emulator.
//!
//! Exit codes: 0 when every id succeeded, 1 when any failed or was not
//! sent, 2 for usage and configuration errors (nothing was sent; a closed
//! stdout is one), 3 when the results could not be written to stdout
//! (requests may have been sent; the summary is on stderr), 130 after a
//! SIGINT or SIGTERM (every id reported). The output formats are documented
//! in [`output`].

mod output;
mod run;

use std::{
    io::{self, BufRead, BufReader, Write},
    os::unix::fs::{FileTypeExt, MetadataExt},
    path::PathBuf,
    process::ExitCode,
    time::Duration,
};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use eg_cli::ids::IdReader;
use eg_client::{Client, ConfigError, Credentials, Error, Operation, RetryConfig, credentials};
use run::{Ended, Ids};

const EXAMPLES: &str = "\
Examples:
  eg streaming start 6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b --region cn-north-4 --project-id PROJECT
  eg streaming pause --ids-from streams.txt --output json > result.json
  grep nightly streams.txt | eg streaming pause --ids-from - --quiet
  eg streaming start ID --dry-run
  eg emulator --listen 127.0.0.1:8080 --token secret=PROJECT --stream PROJECT/ID
  eg completions bash > /etc/bash_completion.d/eg";

const OPERATE_EXAMPLES: &str = "\
Credentials: --token (or EG_TOKEN), else AK/SK from HUAWEICLOUD_SDK_AK and
HUAWEICLOUD_SDK_SK (with HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys),
else ak/sk under [basic] in HUAWEICLOUD_SDK_CREDENTIALS_FILE or
~/.huaweicloud/credentials. The project id falls back to the same source,
then HUAWEICLOUD_SDK_PROJECT_ID.

Output: one row per id (table and json in input order, jsonl as each
finishes), written as results come; the summary goes to stderr.
One request is sent alone until an answer proves the credentials, and after
the first authentication failure (HTTP 401) nothing new is sent, so a wrong
key is not locked: the ids left are reported as not_sent.
On SIGINT or SIGTERM nothing new is sent, the requests in flight get up to
--timeout, every id is reported and eg exits 130; a second signal exits at once.
Exit status: 0 all succeeded, 1 any failed or not sent, 2 usage or
configuration error (nothing sent; a closed stdout is one), 3 the results
could not be written, 130 interrupted.

Examples:
  eg streaming start ID1 ID2 --region cn-north-4 --project-id PROJECT
  eg streaming start --ids-from streams.txt --concurrency 16 --output jsonl
  eg streaming pause --ids-from streams.txt --rate 20
  printf 'ID1\\nID2\\n' | eg streaming start --ids-from - --quiet
  EG_TOKEN=... eg streaming start ID --endpoint http://127.0.0.1:8080 --dry-run";

/// Start and pause Huawei Cloud EventGrid event streams.
#[derive(Parser, Debug)]
#[command(
    name = "eg",
    version,
    about = "Start and pause Huawei Cloud EventGrid event streams",
    long_about = "Start and pause Huawei Cloud EventGrid event streams \
                  (the ResumeEventStreaming API: POST /v1/{project_id}/eventstreamings/operate/{id}), \
                  one or thousands at a time, and run a local emulator of that API.",
    after_help = EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Start or pause event streams.
    #[command(subcommand)]
    Streaming(Streaming),
    /// Run a local emulator of the operate API (same flags as eg-emulator).
    ///
    /// Prints the bound address as the first line of stdout, logs to stderr,
    /// and serves until Ctrl-C.
    Emulator(eg_emulator::EmulatorArgs),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  eg completions zsh > ~/.zfunc/_eg")]
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand, Debug)]
enum Streaming {
    /// Start event streams (operation START).
    #[command(after_help = OPERATE_EXAMPLES)]
    Start(OperateArgs),
    /// Pause event streams (operation PAUSE).
    #[command(after_help = OPERATE_EXAMPLES)]
    Pause(OperateArgs),
}

#[derive(Args, Debug)]
struct OperateArgs {
    /// Event streaming ids.
    #[arg(value_name = "ID", required_unless_present = "ids_from")]
    ids: Vec<String>,
    /// Read ids from FILE, or stdin with `-`: one per line (`\n`, `\r\n` or
    /// `\r`), a leading byte-order mark, blank lines and `#` comments ignored.
    #[arg(long, value_name = "FILE")]
    ids_from: Option<PathBuf>,
    /// Project id [default: from the credentials or HUAWEICLOUD_SDK_PROJECT_ID].
    #[arg(long, value_name = "ID")]
    project_id: Option<String>,
    /// Region, e.g. cn-north-4; `HUAWEICLOUD_SDK_REGION_EG_<REGION>` overrides
    /// its endpoint.
    #[arg(long, env = "EG_REGION", hide_env_values = true)]
    region: Option<String>,
    /// Endpoint URL, e.g. http://127.0.0.1:8080; wins over --region.
    #[arg(long, env = "EG_ENDPOINT", value_name = "URL", hide_env_values = true)]
    endpoint: Option<String>,
    /// IAM token sent as X-Auth-Token instead of AK/SK signing. Prefer
    /// EG_TOKEN: arguments are visible to other users in `ps`.
    #[arg(long, env = "EG_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    output: Format,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    concurrency: u16,
    /// Start at most N requests per second across the run (e.g. 20, or 0.5
    /// for one every 2 s; 0.001 to 100000), to stay under the gateway's
    /// throttle. Retries are not counted [default: no limit].
    #[arg(long, value_name = "N", value_parser = rate)]
    rate: Option<f64>,
    /// Time allowed for each attempt, in seconds (0.001 to 86400).
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = seconds)]
    timeout: Duration,
    /// Times each request is sent at most, the first included (1: no retry).
    /// Only connection errors, timeouts, 429 and 5xx are retried.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..=10))]
    retries: u32,
    /// Print the signed HTTP request(s), secrets redacted, and send nothing
    /// (--output does not apply).
    #[arg(long)]
    dry_run: bool,
    /// No progress bar and no summary on stderr.
    #[arg(long, short)]
    quiet: bool,
}

/// `--output`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Columns ID, RESULT, STATUS, REQUEST ID, ERROR, of fixed widths, in
    /// input order.
    Table,
    /// One JSON document with every result, in input order, and a summary.
    Json,
    /// One JSON result object per line, written as each id finishes.
    Jsonl,
}

/// `--timeout`: from 1 ms, below which no answer can come, to a day.
fn seconds(value: &str) -> Result<Duration, String> {
    match value.parse::<f64>() {
        Ok(s) if (0.001..=86_400.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        _ => Err("expected a number of seconds from 0.001 to 86400".into()),
    }
}

/// `--rate`: from one request every 1000 s to 100,000 a second; the pacer's
/// period, 1/rate, must be a duration.
fn rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(r) if (0.001..=100_000.0).contains(&r) => Ok(r),
        _ => Err("expected a number of requests per second from 0.001 to 100000".into()),
    }
}

/// A usage or configuration failure that ends the run: exit status 2.
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::Streaming(_) | Command::Completions { .. }
    ) && stdout_is_closed()
    {
        eprintln!(
            "eg: stdout is closed, so the results would be lost: give eg a stdout \
             (to discard the results, redirect it to /dev/null)"
        );
        return ExitCode::from(2);
    }
    let result = match cli.command {
        // One thread drives every request: the run is one task polling its
        // requests and their connections, so a second worker would only add
        // wake-ups between threads, and leave the CPU to the server.
        Command::Streaming(Streaming::Start(args)) => runtime(Flavor::CurrentThread)
            .and_then(|rt| rt.block_on(operate(args, Operation::Start))),
        Command::Streaming(Streaming::Pause(args)) => runtime(Flavor::CurrentThread)
            .and_then(|rt| rt.block_on(operate(args, Operation::Pause))),
        // The emulator serves many connections at once: every core.
        Command::Emulator(args) => runtime(Flavor::MultiThread)
            .and_then(|rt| rt.block_on(run_emulator(&args)))
            .map(|()| Ended::AllOk),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "eg", &mut io::stdout());
            Ok(Ended::AllOk)
        }
    };
    match result {
        Ok(Ended::AllOk) => ExitCode::SUCCESS,
        Ok(Ended::SomeFailed) => ExitCode::FAILURE,
        Ok(Ended::OutputFailed) => ExitCode::from(3),
        Ok(Ended::Interrupted) => ExitCode::from(130),
        Err(Fatal(message)) => {
            eprintln!("eg: {message}");
            ExitCode::from(2)
        }
    }
}

/// Whether fd 1 was closed when eg started. The Rust runtime reopens a
/// closed standard stream on /dev/null before `main`, read-write; a shell's
/// `>/dev/null` opens it write-only. So a stdout that is /dev/null opened
/// read-write counts as closed (a parent that sets up its children's
/// stdout that way, as daemon(3) does, gets the same answer).
fn stdout_is_closed() -> bool {
    use std::os::fd::AsFd;
    let stdout = io::stdout();
    let fd = stdout.as_fd();
    let Ok(null) = std::fs::metadata("/dev/null") else {
        return false;
    };
    let is_null = fd
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|file| file.metadata())
        .is_ok_and(|m| m.file_type().is_char_device() && m.rdev() == null.rdev());
    let read_write = nix::fcntl::fcntl(fd, nix::fcntl::FcntlArg::F_GETFL).is_ok_and(|flags| {
        nix::fcntl::OFlag::from_bits_truncate(flags) & nix::fcntl::OFlag::O_ACCMODE
            == nix::fcntl::OFlag::O_RDWR
    });
    is_null && read_write
}

/// Which tokio runtime a command runs on.
enum Flavor {
    CurrentThread,
    MultiThread,
}

fn runtime(flavor: Flavor) -> Result<tokio::runtime::Runtime, Fatal> {
    let mut builder = match flavor {
        Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        Flavor::MultiThread => tokio::runtime::Builder::new_multi_thread(),
    };
    builder
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start the async runtime: {e}")))
}

/// `eg emulator`: log to stderr, print the bound address as the first line
/// of stdout, serve until Ctrl-C.
async fn run_emulator(args: &eg_emulator::EmulatorArgs) -> Result<(), Fatal> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(io::stderr)
        .init();
    let emulator = eg_emulator::start_from_args(args).await?;
    let mut stdout = io::stdout();
    writeln!(stdout, "{}", emulator.local_addr())
        .and_then(|()| stdout.flush())
        .map_err(|e| Fatal(format!("cannot write the bound address: {e}")))?;
    tracing::info!(addr = %emulator.local_addr(), "serving");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| Fatal(format!("cannot wait for Ctrl-C: {e}")))?;
    tracing::info!("Ctrl-C: shutting down");
    emulator
        .shutdown()
        .await
        .map_err(|e| Fatal(format!("shutdown: {e}")))
}

/// Runs `operation` on every id.
async fn operate(args: OperateArgs, operation: Operation) -> Result<Ended, Fatal> {
    let mut ids = read_ids(&args)?;
    let client = build_client(&args)?;
    // Nothing is sent before the first id is known to be readable.
    let first = match ids.recv().await {
        Some(Ok(id)) => id,
        Some(Err(error)) => return Err(Fatal(error)),
        None => {
            return Err(Fatal(
                "no event streaming ids given (pass IDs or --ids-from FILE)".into(),
            ));
        }
    };
    if args.dry_run {
        return dry_run(&client, first, ids, operation).await;
    }
    let signals = run::Signals::catch()
        .map_err(|e| Fatal(format!("cannot catch SIGINT and SIGTERM: {e}")))?;
    let settings = run::Settings {
        operation,
        format: args.output,
        concurrency: args.concurrency.into(),
        rate: args.rate,
        quiet: args.quiet,
        timeout: args.timeout,
    };
    Ok(run::run(&client, first, ids, signals, &settings).await)
}

/// Ids waiting for the run at most: the reader stays this far ahead.
const IDS_AHEAD: usize = 1024;

/// Starts the thread that reads the ids, those of the arguments first, then
/// those of `--ids-from` (opened here: a missing file is a usage error). A
/// thread, so that a slow stdin never holds up the requests in flight or
/// the signals.
fn read_ids(args: &OperateArgs) -> Result<Ids, Fatal> {
    let list: Option<(Box<dyn BufRead + Send>, String)> = match &args.ids_from {
        Some(path) if path.as_os_str() == "-" => Some((
            Box::new(BufReader::with_capacity(64 * 1024, io::stdin())),
            "stdin".to_owned(),
        )),
        Some(path) => {
            let file = std::fs::File::open(path)
                .map_err(|e| format!("cannot read ids from {}: {e}", path.display()))?;
            Some((
                Box::new(BufReader::with_capacity(64 * 1024, file)),
                path.display().to_string(),
            ))
        }
        None => None,
    };
    let given = args.ids.clone();
    let (ids, receiver) = tokio::sync::mpsc::channel(IDS_AHEAD);
    std::thread::Builder::new()
        .name("ids".into())
        .spawn(move || {
            // A send fails only once the run no longer wants ids.
            for id in given {
                if ids.blocking_send(Ok(id)).is_err() {
                    return;
                }
            }
            if let Some((list, name)) = list {
                for id in IdReader::new(list) {
                    let id = id.map_err(|e| format!("cannot read ids from {name}: {e}"));
                    if ids.blocking_send(id).is_err() {
                        return;
                    }
                }
            }
        })
        .map_err(|e| Fatal(format!("cannot start the thread reading the ids: {e}")))?;
    Ok(receiver)
}

/// The client: the flags go to the library's builder, whose credential
/// chain is the only one; what it cannot find is reported in terms of this
/// tool's flags.
fn build_client(args: &OperateArgs) -> Result<Client, Fatal> {
    let mut builder = Client::builder()
        .timeout(args.timeout)
        .retry(RetryConfig::default().with_max_attempts(args.retries))
        .user_agent_suffix(concat!("eg/", env!("CARGO_PKG_VERSION")));
    if let Some(token) = &args.token {
        builder = builder.credentials(Credentials::token(token.as_str())?);
    }
    if let Some(project_id) = &args.project_id {
        builder = builder.project_id(project_id);
    }
    if let Some(endpoint) = &args.endpoint {
        builder = builder.endpoint(endpoint);
    }
    if let Some(region) = &args.region {
        builder = builder.region(region);
    }
    builder.build().map_err(|error| match error {
        Error::Config(ConfigError::NoCredentials) => Fatal(format!(
            "no credentials: pass --token or set EG_TOKEN, set {} and {}, \
             or write ak and sk under [basic] in ~/.huaweicloud/credentials",
            credentials::vars::AK,
            credentials::vars::SK
        )),
        Error::Config(ConfigError::NoProjectId) => Fatal(format!(
            "no project id: pass --project-id or set {}",
            credentials::vars::PROJECT_ID
        )),
        Error::Config(ConfigError::NoEndpoint) => {
            Fatal("no endpoint: pass --region (e.g. cn-north-4) or --endpoint URL".into())
        }
        other => Fatal(other.to_string()),
    })
}

/// Prints each request as HTTP text, a blank line between them.
async fn dry_run(
    client: &Client,
    first: String,
    mut ids: Ids,
    operation: Operation,
) -> Result<Ended, Fatal> {
    let mut stdout = io::stdout().lock();
    let mut all_ok = true;
    let mut next = Some(Ok(first));
    let mut index = 0;
    while let Some(id) = next.take() {
        let id = id.map_err(Fatal)?;
        let written = match client.dry_run(&id, operation).await {
            Ok(request) if index > 0 => write!(stdout, "\n{request}"),
            Ok(request) => write!(stdout, "{request}"),
            Err(error) => {
                all_ok = false;
                eprintln!("eg: {id}: {error}");
                Ok(())
            }
        };
        if let Err(error) = written.and_then(|()| stdout.flush()) {
            eprintln!("eg: cannot write the requests to stdout: {error}");
            return Ok(Ended::OutputFailed);
        }
        index += 1;
        next = ids.recv().await;
    }
    Ok(if all_ok {
        Ended::AllOk
    } else {
        Ended::SomeFailed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeouts() {
        assert_eq!(seconds("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(seconds("0.001"), Ok(Duration::from_millis(1)));
        assert_eq!(seconds("86400"), Ok(Duration::from_secs(86_400)));
        for bad in ["0", "1e-300", "0.0009", "86400.5", "inf", "NaN", "soon"] {
            assert_eq!(
                seconds(bad),
                Err("expected a number of seconds from 0.001 to 86400".to_owned()),
                "{bad}"
            );
        }
    }

    #[test]
    fn rates() {
        assert_eq!(rate("0.5"), Ok(0.5));
        assert_eq!(rate("20"), Ok(20.0));
        assert_eq!(rate("0.001"), Ok(0.001));
        for bad in ["0", "1e-20", "-1", "100001", "inf", "NaN", "fast"] {
            assert_eq!(
                rate(bad),
                Err("expected a number of requests per second from 0.001 to 100000".to_owned()),
                "{bad}"
            );
        }
    }
}
