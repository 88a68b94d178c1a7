//! `eg-emulator`: serve the operate endpoint on loopback.

use std::{io::Write, process::ExitCode};

use clap::Parser;
use eg_emulator::EmulatorArgs;

/// A local emulator of Huawei Cloud EventGrid's operate-event-streaming API,
/// with the API gateway in front of it.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    emulator: EmulatorArgs,
}

/// Logs to stderr, prints the bound address as the first line of stdout,
/// serves until Ctrl-C.
async fn run(args: &EmulatorArgs) -> Result<(), String> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let emulator = eg_emulator::start_from_args(args)
        .await
        .map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{}", emulator.local_addr())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write the bound address: {e}"))?;
    tracing::info!(addr = %emulator.local_addr(), "serving");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    tracing::info!("Ctrl-C: shutting down");
    emulator
        .shutdown()
        .await
        .map_err(|e| format!("shutdown: {e}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli.emulator).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("eg-emulator: {message}");
            ExitCode::from(2)
        }
    }
}
