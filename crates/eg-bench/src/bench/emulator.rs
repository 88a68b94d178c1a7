//! Part 4 of the benchmark: the emulator against a bare axum handler, and
//! its resident memory per stream.

use std::{path::Path, process::Command};

use crate::{
    api::{self, Auth},
    baseline,
    procs::Server,
    stats::Figure,
};

use super::{CONCURRENCY, MEMORY_STREAMS, Report, SPREAD, Sizes, write};

/// Part 4a: emulator throughput against a bare axum handler.
pub(super) async fn figures(
    sizes: &Sizes,
    base_url: &str,
    report: &mut Report,
) -> Result<(), String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find eg-bench itself: {e}"))?;
    let mut bare_command = Command::new(me);
    bare_command.arg("bare-server");
    let bare = Server::spawn("the bare axum server", bare_command)?;
    let ids: Vec<String> = (0..SPREAD).map(api::stream_id).collect();
    let credential = eg_signer::Credential::new(api::ACCESS_KEY, api::SECRET_KEY);
    let (emulator_urls, bare_urls): (Vec<String>, Vec<String>) = ids
        .iter()
        .map(|id| {
            (
                api::operate_url(base_url, id),
                api::operate_url(&bare.base_url, id),
            )
        })
        .unzip();
    let pool = baseline::raw_pool()?;
    let n = sizes.emulator_requests;
    let (mut ratio, mut emulator_rps, mut bare_rps) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..=sizes.rounds {
        let count = if round == 0 { 2 * CONCURRENCY } else { n };
        let emulator_took = baseline::timed(count, CONCURRENCY, |i| {
            baseline::raw_start(&pool, &credential, Auth::Token, &emulator_urls[i % SPREAD])
        })
        .await?;
        let bare_took = baseline::timed(count, CONCURRENCY, |i| {
            baseline::raw_start(&pool, &credential, Auth::Token, &bare_urls[i % SPREAD])
        })
        .await?;
        if round > 0 {
            ratio.push(bare_took.as_secs_f64() / emulator_took.as_secs_f64());
            emulator_rps.push(count as f64 / emulator_took.as_secs_f64());
            bare_rps.push(count as f64 / bare_took.as_secs_f64());
        }
    }
    report.add(Figure::of(
        "emulator.rps_ratio",
        format!("emulator / bare axum handler, req/s, token, concurrency {CONCURRENCY}"),
        "ratio",
        &ratio,
        None,
    ));
    report.add(Figure::of(
        "emulator.rps",
        "  emulator",
        "req/s",
        &emulator_rps,
        None,
    ));
    report.add(Figure::of(
        "emulator.bare_rps",
        "  bare axum handler",
        "req/s",
        &bare_rps,
        None,
    ));
    Ok(())
}

/// Part 4b: resident memory per registered stream, from an emulator with
/// 100,000 streams against one with a single stream.
pub(super) fn memory_figures(
    sizes: &Sizes,
    work: &Path,
    emulator_bin: &Path,
    runtime: &tokio::runtime::Runtime,
    report: &mut Report,
) -> Result<(), String> {
    let small = work.join("seed-1.txt");
    let big = work.join("seed-many.txt");
    write(&small, &api::emulator_seed(1))?;
    write(&big, &api::emulator_seed(MEMORY_STREAMS))?;
    let pool = baseline::raw_pool()?;
    let credential = eg_signer::Credential::new(api::ACCESS_KEY, api::SECRET_KEY);
    let resident = |seed: &Path| -> Result<u64, String> {
        let emulator = api::start_emulator(emulator_bin, seed, None, None)?;
        // One answered request: it is serving, with its buffers in place.
        let url = api::operate_url(&emulator.base_url, &api::stream_id(0));
        runtime.block_on(baseline::raw_start(&pool, &credential, Auth::Token, &url))?;
        emulator.resident_bytes()
    };
    let id_bytes = (api::PROJECT.len() + api::stream_id(0).len()) as f64;
    let (mut per_stream, mut ratio) = (Vec::new(), Vec::new());
    for _ in 0..sizes.memory_rounds {
        let baseline = resident(&small)?;
        let loaded = resident(&big)?;
        let bytes = (loaded as f64 - baseline as f64) / (MEMORY_STREAMS - 1) as f64;
        per_stream.push(bytes);
        ratio.push(bytes / id_bytes);
    }
    report.add(Figure::of(
        "emulator.bytes_per_stream",
        format!("emulator resident memory per stream, {MEMORY_STREAMS} streams"),
        "B",
        &per_stream,
        None,
    ));
    report.add(Figure::of(
        "emulator.bytes_per_stream_over_id_bytes",
        format!("  per stream / bytes of its ids ({id_bytes})"),
        "ratio",
        &ratio,
        None,
    ));
    Ok(())
}
