//! `eg`: start and pause Huawei Cloud EventGrid event streams from a
//! terminal, a cron job or a deployment script, and run the local emulator.
//!
//! Exit codes: 0 when every id succeeded, 1 when any failed, 2 for usage and
//! configuration errors (nothing was sent). The output formats are
//! documented in [`output`].

mod output;

use std::{
    io::{self, IsTerminal, Write},
    path::PathBuf,
    process::ExitCode,
    time::Duration,
};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use eg_cli::ids::read_ids;
use eg_client::{Client, Credentials, Environment, Operation, RetryConfig, credentials};
use futures::StreamExt;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use output::{Outcome, Summary};

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

Output: one row per id in input order; the summary goes to stderr.
Exit status: 0 all succeeded, 1 any failed, 2 usage or configuration error.

Examples:
  eg streaming start ID1 ID2 --region cn-north-4 --project-id PROJECT
  eg streaming start --ids-from streams.txt --concurrency 16 --output jsonl
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
    /// Read ids from FILE, or stdin with `-`: one per line, blank lines and
    /// `#` comments ignored.
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
    /// Time allowed for each attempt, in seconds.
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
    /// Aligned columns: ID, RESULT, STATUS, REQUEST ID, ERROR.
    Table,
    /// One JSON document with every result and a summary.
    Json,
    /// One JSON result object per line, written as results come in.
    Jsonl,
}

fn seconds(value: &str) -> Result<Duration, String> {
    match value.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err("expected a number of seconds between 0 and 86400".into()),
    }
}

/// A usage, configuration or output failure that ends the run: exit status 2.
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Streaming(Streaming::Start(args)) => operate(args, Operation::Start).await,
        Command::Streaming(Streaming::Pause(args)) => operate(args, Operation::Pause).await,
        Command::Emulator(args) => eg_emulator::run_until_ctrl_c(&args)
            .await
            .map(|()| true)
            .map_err(Fatal),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "eg", &mut io::stdout());
            Ok(true)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(Fatal(message)) => {
            eprintln!("eg: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs `operation` on every id; `Ok(false)` when any failed.
async fn operate(args: OperateArgs, operation: Operation) -> Result<bool, Fatal> {
    let ids = collect_ids(&args)?;
    let client = build_client(&args)?;
    if args.dry_run {
        return dry_run(&client, &ids, operation).await;
    }

    let progress = if args.quiet || ids.len() < 2 || !io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar =
            ProgressBar::with_draw_target(Some(ids.len() as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {elapsed}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    };
    let mut stdout = io::stdout();
    // Results arrive in completion order; `slots` puts them back in input
    // order, and jsonl streams each one as soon as all before it are done.
    let mut slots: Vec<Option<Outcome>> = ids.iter().map(|_| None).collect();
    let mut next = 0;
    let mut results = futures::stream::iter(ids.iter().enumerate())
        .map(|(index, id)| {
            let client = &client;
            async move { (index, Outcome::new(id, client.operate(id, operation).await)) }
        })
        .buffer_unordered(args.concurrency.into());
    while let Some((index, outcome)) = results.next().await {
        progress.inc(1);
        slots[index] = Some(outcome);
        if args.output != Format::Jsonl {
            continue;
        }
        while let Some(Some(outcome)) = slots.get(next) {
            progress.suspend(|| output::write_jsonl(&mut stdout, outcome))?;
            next += 1;
        }
    }
    progress.finish_and_clear();
    let outcomes: Vec<Outcome> = slots.into_iter().flatten().collect();
    match args.output {
        Format::Table => output::write_table(&mut stdout, &outcomes)?,
        Format::Json => output::write_json(&mut stdout, &operation.to_string(), &outcomes)?,
        Format::Jsonl => {}
    }
    stdout.flush()?;
    let summary = Summary::of(&outcomes);
    if !args.quiet {
        eprintln!("{summary}");
    }
    Ok(summary.all_ok())
}

/// The ids of the arguments, then those of `--ids-from`.
fn collect_ids(args: &OperateArgs) -> Result<Vec<String>, Fatal> {
    let mut ids = args.ids.clone();
    if let Some(path) = &args.ids_from {
        let read = if path.as_os_str() == "-" {
            read_ids(io::stdin()).map_err(|e| format!("cannot read ids from stdin: {e}"))?
        } else {
            std::fs::File::open(path)
                .and_then(read_ids)
                .map_err(|e| format!("cannot read ids from {}: {e}", path.display()))?
        };
        ids.extend(read);
    }
    if ids.is_empty() {
        return Err(Fatal(
            "no event streaming ids given (pass IDs or --ids-from FILE)".into(),
        ));
    }
    Ok(ids)
}

/// The client, with the library's credential chain resolved here so that
/// missing pieces are reported in terms of this tool's flags.
fn build_client(args: &OperateArgs) -> Result<Client, Fatal> {
    let env = Environment::from_process();
    let (credentials, chain_project) = match &args.token {
        Some(token) => (Credentials::token(token.as_str())?, None),
        None => match credentials::from_chain(&env)? {
            Some(found) => (found.credentials, found.project_id),
            None => {
                return Err(Fatal(format!(
                    "no credentials: pass --token or set EG_TOKEN, set {} and {}, \
                     or write ak and sk under [basic] in ~/.huaweicloud/credentials",
                    credentials::vars::AK,
                    credentials::vars::SK
                )));
            }
        },
    };
    let project_id = args
        .project_id
        .clone()
        .or(chain_project)
        .or_else(|| env.get(credentials::vars::PROJECT_ID).map(str::to_owned))
        .ok_or_else(|| {
            Fatal(format!(
                "no project id: pass --project-id or set {}",
                credentials::vars::PROJECT_ID
            ))
        })?;
    let mut builder = Client::builder()
        .environment(env)
        .credentials(credentials)
        .project_id(project_id)
        .timeout(args.timeout)
        .retry(RetryConfig {
            max_attempts: args.retries,
            ..RetryConfig::default()
        });
    builder = match (&args.endpoint, &args.region) {
        (Some(endpoint), _) => builder.endpoint(endpoint),
        (None, Some(region)) => builder.region(region),
        (None, None) => {
            return Err(Fatal(
                "no endpoint: pass --region (e.g. cn-north-4) or --endpoint URL".into(),
            ));
        }
    };
    Ok(builder.build()?)
}

/// Prints each request as HTTP text, a blank line between them.
async fn dry_run(client: &Client, ids: &[String], operation: Operation) -> Result<bool, Fatal> {
    let mut stdout = io::stdout().lock();
    let mut all_ok = true;
    for (index, id) in ids.iter().enumerate() {
        match client.dry_run(id, operation).await {
            Ok(request) => {
                if index > 0 {
                    writeln!(stdout)?;
                }
                write!(stdout, "{request}")?;
            }
            Err(error) => {
                all_ok = false;
                eprintln!("eg: {id}: {error}");
            }
        }
    }
    stdout.flush()?;
    Ok(all_ok)
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
        assert!(seconds("0").is_err());
        assert!(seconds("NaN").is_err());
    }
}
