//! Part 3 of the benchmark: `eg` against the official Python SDK, whole
//! processes.

use std::{ffi::OsString, path::Path};

use crate::{api, procs, stats::Figure};

use super::{CLI_CONCURRENCY, Report, Sizes, micros, write};

/// Part 3: `eg streaming start` over many ids against the official SDK with
/// 16 threads, both whole processes against the same emulator.
pub(super) fn figures(
    sizes: &Sizes,
    root: &Path,
    work: &Path,
    eg: &Path,
    python: &Path,
    base_url: &str,
    report: &mut Report,
) -> Result<(), String> {
    let n = sizes.cli_ids;
    let ids_file = work.join("ids.txt");
    let ids: String = (0..n).map(|i| api::stream_id(i) + "\n").collect();
    write(&ids_file, &ids)?;
    let eg_command = api::eg_start_command(eg, base_url, &ids_file, CLI_CONCURRENCY, "json");
    let eg_args: Vec<OsString> = eg_command.get_args().map(OsString::from).collect();
    let eg_env: Vec<(&str, String)> = eg_command
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_str()?, v?.to_string_lossy().into_owned())))
        .collect();
    let script = root.join("crates/eg-bench/python/python_bulk_start.py");
    let python_args = [
        script.into_os_string(),
        ids_file.into_os_string(),
        base_url.into(),
    ];
    let python_env = [
        ("HUAWEICLOUD_SDK_AK", api::ACCESS_KEY.to_owned()),
        ("HUAWEICLOUD_SDK_SK", api::SECRET_KEY.to_owned()),
        ("HUAWEICLOUD_SDK_PROJECT_ID", api::PROJECT.to_owned()),
    ];
    let (mut ratio, mut eg_wall, mut py_wall, mut eg_cpu, mut py_cpu, mut eg_rss) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for _ in 0..sizes.cli_rounds {
        let eg_run = procs::measure("eg streaming start", eg, &eg_args, &eg_env)?;
        let py_run = procs::measure("the official SDK", python, &python_args, &python_env)?;
        ratio.push(py_run.wall.as_secs_f64() / eg_run.wall.as_secs_f64());
        eg_wall.push(eg_run.wall.as_secs_f64());
        py_wall.push(py_run.wall.as_secs_f64());
        eg_cpu.push(micros(eg_run.cpu, n));
        py_cpu.push(micros(py_run.cpu, n));
        eg_rss.push(eg_run.max_rss as f64 / (1024.0 * 1024.0));
    }
    report.add(Figure::of(
        "cli.wall_ratio",
        format!("official SDK ({CLI_CONCURRENCY} threads) wall / eg wall, {n} ids AK/SK"),
        "ratio",
        &ratio,
        Some(">= 30"),
    ));
    report.add(Figure::of(
        "cli.eg_wall_s",
        "  eg, whole process",
        "s",
        &eg_wall,
        None,
    ));
    report.add(Figure::of(
        "cli.python_wall_s",
        "  official SDK, whole process",
        "s",
        &py_wall,
        None,
    ));
    report.add(Figure::of(
        "cli.eg_cpu_us_per_id",
        "eg CPU per id",
        "us",
        &eg_cpu,
        None,
    ));
    report.add(Figure::of(
        "cli.python_cpu_us_per_id",
        "  official SDK CPU per id",
        "us",
        &py_cpu,
        None,
    ));
    report.add(Figure::of(
        "cli.eg_peak_rss_mib",
        "eg peak memory",
        "MiB",
        &eg_rss,
        None,
    ));
    Ok(())
}
