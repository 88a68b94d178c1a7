//! `eg-emulator`: serve the operate endpoint on loopback.

use std::process::ExitCode;

use clap::Parser;
use eg_emulator::EmulatorArgs;

/// A local emulator of Huawei Cloud EventGrid's operate-event-streaming API.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    emulator: EmulatorArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match eg_emulator::run_until_ctrl_c(&cli.emulator).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("eg-emulator: {message}");
            ExitCode::from(2)
        }
    }
}
