//! `eg`, the command line of the EventGrid operate API: bulk runs of `eg
//! streaming` from a terminal, a cron job or a deployment script; the local
//! emulator; shell completions.
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
    process::ExitCode,
};

use eg_cli::{
    args::OperateArgs,
    cli::{Cli, Parsed},
    ids::IdReader,
    spec_flags::Request,
};
use eg_client::{
    Client, ConfigError, Credentials, Error, RetryConfig, credentials,
    operations::ResumeEventStreaming,
};
use run::{Ended, Ids};

/// A usage or configuration failure that ends the run: exit status 2.
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

fn main() -> ExitCode {
    let cli = match Cli::for_builder::<ResumeEventStreaming<'_>>() {
        Ok(cli) => cli,
        Err(error) => {
            eprintln!("eg: {error}");
            return ExitCode::from(2);
        }
    };
    let parsed = cli.parse();
    if matches!(parsed, Parsed::Streaming { .. } | Parsed::Completions(_)) && stdout_is_closed() {
        eprintln!(
            "eg: stdout is closed, so the results would be lost: give eg a stdout \
             (to discard the results, redirect it to /dev/null)"
        );
        return ExitCode::from(2);
    }
    let result = match parsed {
        // One thread drives every request: the run is one task polling its
        // requests and their connections, so a second worker would only add
        // wake-ups between threads, and leave the CPU to the server.
        Parsed::Streaming { args, request } => {
            runtime(Flavor::CurrentThread).and_then(|rt| rt.block_on(operate(*args, request)))
        }
        // The emulator serves many connections at once: every core.
        Parsed::Emulator(args) => runtime(Flavor::MultiThread)
            .and_then(|rt| rt.block_on(run_emulator(&args)))
            .map(|()| Ended::AllOk),
        Parsed::Completions(shell) => {
            clap_complete::generate(shell, &mut cli.command(), "eg", &mut io::stdout());
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

/// Sends `request` for every id.
async fn operate(args: OperateArgs, request: Request) -> Result<Ended, Fatal> {
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
        return dry_run(&client, first, ids, &request).await;
    }
    let signals = run::Signals::catch()
        .map_err(|e| Fatal(format!("cannot catch SIGINT and SIGTERM: {e}")))?;
    let settings = run::Settings {
        request,
        format: args.output,
        concurrency: args.concurrency.into(),
        rate: args.rate,
        quiet: args.quiet,
        timeout: args.timeout,
    };
    Ok(run::run(
        &client,
        ResumeEventStreaming::new,
        first,
        ids,
        signals,
        &settings,
    )
    .await)
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
    request: &Request,
) -> Result<Ended, Fatal> {
    let mut stdout = io::stdout().lock();
    let mut all_ok = true;
    let mut next = Some(Ok(first));
    let mut index = 0;
    while let Some(id) = next.take() {
        let id = id.map_err(Fatal)?;
        let prepared = request
            .apply(ResumeEventStreaming::new(client), &id)
            .dry_run();
        let written = match prepared {
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
        let cli = Cli::for_builder::<ResumeEventStreaming<'_>>().expect("the spec drives eg");
        cli.command().debug_assert();
    }
}
