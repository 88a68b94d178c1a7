//! Part 1 of the benchmark: the client against raw reqwest.

use std::{sync::Arc, time::Duration};

use crate::{
    api::{self, Auth},
    baseline,
    stats::Figure,
};

use super::{CONCURRENCY, Report, SLICES, SPREAD, Sizes, micros};

/// Part 1: the client against raw reqwest, same pool kind, same headers.
pub(super) async fn figures(
    sizes: &Sizes,
    base_url: &str,
    report: &mut Report,
) -> Result<(), String> {
    let ids: Arc<Vec<String>> = Arc::new((0..SPREAD).map(api::stream_id).collect());
    let urls: Vec<String> = ids
        .iter()
        .map(|id| api::operate_url(base_url, id))
        .collect();
    let credential = eg_signer::Credential::new(api::ACCESS_KEY, api::SECRET_KEY);
    let variants = [
        (Auth::Token, 1, "token"),
        (Auth::Token, CONCURRENCY, "token"),
        (Auth::AccessKey, 1, "aksk"),
        (Auth::AccessKey, CONCURRENCY, "aksk"),
    ];
    let mut setups = Vec::new();
    for (auth, concurrency, name) in variants {
        setups.push((
            auth,
            concurrency,
            name,
            baseline::raw_pool()?,
            api::client(base_url, auth)?,
        ));
    }
    let mut samples = vec![(Vec::new(), Vec::new(), Vec::new()); setups.len()];
    // A first untimed round opens the connections.
    for round in 0..=sizes.rounds {
        for (index, (auth, concurrency, _, raw, client)) in setups.iter().enumerate() {
            let count = match (round, *concurrency) {
                (0, _) => 2 * CONCURRENCY,
                (_, 1) => sizes.sequential,
                _ => sizes.concurrent,
            };
            // Within a round the two take turns in slices, the first of each
            // pair alternating (A B, B A, ...), so that neither is always
            // measured on a machine the other has just warmed or loaded.
            let per_slice = count.div_ceil(SLICES);
            let (mut raw_took, mut client_took) = (Duration::ZERO, Duration::ZERO);
            for slice in 0..SLICES {
                let start = slice * per_slice;
                let size = per_slice.min(count.saturating_sub(start));
                let raw_run = baseline::timed(size, *concurrency, |i| {
                    baseline::raw_start(raw, &credential, *auth, &urls[(start + i) % SPREAD])
                });
                let client_run = baseline::timed(size, *concurrency, |i| {
                    api::client_start(client, &ids[(start + i) % SPREAD])
                });
                if slice % 2 == 0 {
                    raw_took += raw_run.await?;
                    client_took += client_run.await?;
                } else {
                    client_took += client_run.await?;
                    raw_took += raw_run.await?;
                }
            }
            if round > 0 {
                let (ratios, raw_us, client_us) = &mut samples[index];
                ratios.push(raw_took.as_secs_f64() / client_took.as_secs_f64());
                raw_us.push(micros(raw_took, count));
                client_us.push(micros(client_took, count));
            }
        }
    }
    for ((auth, concurrency, name, _, _), (ratios, raw_us, client_us)) in
        setups.iter().zip(&samples)
    {
        let (what, baseline) = match auth {
            Auth::Token => ("token", "raw reqwest POST"),
            Auth::AccessKey => ("AK/SK", "raw reqwest + eg_signer::sign"),
        };
        let key = format!("client.{name}.c{concurrency}");
        report.add(Figure::of(
            format!("{key}.ratio"),
            format!("client {what} / {baseline}, throughput, concurrency {concurrency}"),
            "ratio",
            ratios,
            Some(">= 0.95"),
        ));
        report.add(Figure::of(
            format!("{key}.raw_us"),
            format!("  {baseline}, wall per request"),
            "us",
            raw_us,
            None,
        ));
        report.add(Figure::of(
            format!("{key}.client_us"),
            format!("  client {what}, wall per request"),
            "us",
            client_us,
            None,
        ));
    }
    Ok(())
}
