//! The main job, end to end on this machine: start the built-in emulator,
//! then start and pause an event stream through the client, over real HTTP.
//!
//! Run it with `cargo run --example quickstart`.

use std::process::ExitCode;

use eg_client::{Client, Credentials, Environment, Operation};
use eg_emulator::{EmulatorConfig, RunningEmulator};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "ExampleSecretKey0000000000000000000000000";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = RunningEmulator::start_local(EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}").parse()?],
        credentials: vec![format!("{AK}={SK}").parse()?],
        ..EmulatorConfig::default()
    })
    .await?;
    println!("emulator listening on {}", emulator.base_url());
    println!("stream {STREAM} is {}", status(&emulator));

    // Signed with AK/SK, exactly as against a real region endpoint.
    let client = Client::builder()
        .endpoint(emulator.base_url())
        .project_id(PROJECT)
        .credentials(Credentials::access_key(AK, SK))
        .environment(Environment::default())
        .build()?;

    for operation in [Operation::Start, Operation::Pause] {
        let done = client.operate(STREAM, operation).await?;
        println!(
            "{operation}: eventStreamingID={} request id={} attempts={} -> stream is {}",
            done.event_streaming_id.as_deref().unwrap_or("-"),
            done.request_id().unwrap_or("-"),
            done.attempts(),
            status(&emulator),
        );
    }

    match client.start("no-such-stream").await {
        Ok(_) => return Err("the emulator accepted an unknown stream".into()),
        Err(error) => println!("START on an unknown stream fails as documented: {error}"),
    }
    emulator.shutdown().await?;
    Ok(())
}

fn status(emulator: &RunningEmulator) -> String {
    emulator
        .status(PROJECT, STREAM)
        .map_or("absent".into(), |s| s.to_string())
}
