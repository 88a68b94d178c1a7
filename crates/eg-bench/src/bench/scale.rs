//! Part 5 of the benchmark: `eg` at 10,000 and 200,000 ids, its peak memory
//! and speed.

use std::{ffi::OsString, path::Path};

use crate::{api, procs, stats::Figure};

use super::{CLI_CONCURRENCY, Report, SCALE_IDS, Sizes, write};

/// Part 5: `eg streaming start` over 10,000 and 200,000 ids, `jsonl` and
/// `table`, whole process against an emulator holding every stream: peak
/// memory (which must not grow with the ids) and ids per second.
pub(super) fn figures(
    sizes: &Sizes,
    work: &Path,
    emulator_bin: &Path,
    eg: &Path,
    report: &mut Report,
) -> Result<(), String> {
    let [small, large] = SCALE_IDS;
    let seed = work.join("seed-scale.txt");
    write(&seed, &api::emulator_seed(large))?;
    let emulator = api::start_emulator(emulator_bin, &seed, None, None)?;
    let mut files = Vec::new();
    for n in SCALE_IDS {
        let file = work.join(format!("ids-{n}.txt"));
        let ids: String = (0..n).map(|i| api::stream_id(i) + "\n").collect();
        write(&file, &ids)?;
        files.push((n, file));
    }
    for format in ["jsonl", "table"] {
        // (rss MiB, ids/s) per round, for each id count.
        let mut samples = vec![(Vec::new(), Vec::new()); SCALE_IDS.len()];
        for _ in 0..sizes.scale_rounds {
            for ((n, file), (rss, rate)) in files.iter().zip(samples.iter_mut()) {
                let command =
                    api::eg_start_command(eg, &emulator.base_url, file, CLI_CONCURRENCY, format);
                let args: Vec<OsString> = command.get_args().map(OsString::from).collect();
                let env: Vec<(&str, String)> = command
                    .get_envs()
                    .filter_map(|(k, v)| Some((k.to_str()?, v?.to_string_lossy().into_owned())))
                    .collect();
                let run = procs::measure(&format!("eg, {n} ids, {format}"), eg, &args, &env)?;
                rss.push(run.max_rss as f64 / (1024.0 * 1024.0));
                rate.push(*n as f64 / run.wall.as_secs_f64());
            }
        }
        let ratio = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a / b).collect::<Vec<_>>();
        let [(rss_small, rate_small), (rss_large, rate_large)] = &samples[..] else {
            return Err("two id counts".into());
        };
        report.add(Figure::of(
            format!("scale.{format}.rss_mib.{small}"),
            format!("eg peak memory, {small} ids, --output {format}"),
            "MiB",
            rss_small,
            Some("< 64"),
        ));
        report.add(Figure::of(
            format!("scale.{format}.rss_mib.{large}"),
            format!("eg peak memory, {large} ids, --output {format}"),
            "MiB",
            rss_large,
            Some("< 64"),
        ));
        report.add(Figure::of(
            format!("scale.{format}.rss_ratio"),
            format!("  peak memory, {large} ids / {small} ids"),
            "ratio",
            &ratio(rss_large, rss_small),
            Some("<= 1.10"),
        ));
        report.add(Figure::of(
            format!("scale.{format}.ids_per_s.{small}"),
            format!("eg ids per second, {small} ids, --output {format}"),
            "ids/s",
            rate_small,
            None,
        ));
        report.add(Figure::of(
            format!("scale.{format}.ids_per_s.{large}"),
            format!("eg ids per second, {large} ids, --output {format}"),
            "ids/s",
            rate_large,
            None,
        ));
        report.add(Figure::of(
            format!("scale.{format}.ids_per_s_ratio"),
            format!("  ids per second, {large} ids / {small} ids"),
            "ratio",
            &ratio(rate_large, rate_small),
            None,
        ));
    }
    drop(emulator);
    Ok(())
}
