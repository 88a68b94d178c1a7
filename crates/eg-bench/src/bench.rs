//! `cargo xtask bench [--quick] [--only PART]... [--format text|json] [--venv DIR]`: every
//! performance figure of the project, each as a ratio to a baseline measured
//! in the same run, on a release build with the emulator as its own process.
//!
//! The variants of a figure take turns (A B A B ...) over several rounds (the
//! client figures also in slices within a round, A B then B A) and
//! each figure is the median of its rounds, with min and max. Absolute
//! figures are printed too, but only the ratios carry over to another
//! machine.
//!
//! `--format json` prints one document (shape `version: 1`):
//!
//! ```json
//! {"version": 1, "quick": false,
//!  "machine": {"cpus": 2, "os": "linux", "arch": "x86_64"},
//!  "figures": [{"key": "client.token.c64.ratio", "what": "...", "unit": "ratio",
//!               "median": 0.93, "min": 0.9, "max": 0.95, "rounds": 5,
//!               "target": ">= 0.95"}],
//!  "skipped": [{"part": "cli", "reason": "..."}]}
//! ```
//!
//! Units: `ratio`, `us` (microseconds), `s`, `MiB`, `B` (bytes), `req/s`,
//! `ids/s`.
//! `target` is the issue's target or `null`. New keys may be added.

use std::{
    ffi::OsString,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    sync::Arc,
    time::{Duration, Instant},
};

use clap::Args;
use serde_json::json;

use crate::{
    Format,
    api::{self, Auth},
    baseline as load, procs,
    procs::Server,
    stats::Figure,
};

/// `cargo xtask bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// Fewer rounds and smaller runs: a quick look, noisier figures.
    #[arg(long)]
    quick: bool,
    /// Measure only these parts (repeatable) [default: all five].
    #[arg(long, value_enum, value_name = "PART")]
    only: Vec<Part>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Python venv with huaweicloudsdkcore and huaweicloudsdkeg [default:
    /// target/python-sdk-venv, which CI's interop step creates].
    #[arg(long, value_name = "DIR")]
    venv: Option<PathBuf>,
}

/// The five parts of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// The client against raw reqwest.
    Client,
    /// `eg_signer::sign` and `verify`, and the official Python signer.
    Signer,
    /// `eg` against the official Python SDK.
    Cli,
    /// The emulator against a bare axum handler, and its memory per stream.
    Emulator,
    /// `eg`'s peak memory and speed at 10,000 and 200,000 ids.
    Scale,
}

/// How much to measure.
struct Sizes {
    rounds: usize,
    sequential: usize,
    concurrent: usize,
    signatures: usize,
    python_signatures: usize,
    cli_ids: usize,
    cli_rounds: usize,
    emulator_requests: usize,
    memory_rounds: usize,
    scale_rounds: usize,
}

impl Sizes {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                rounds: 3,
                sequential: 500,
                concurrent: 2_000,
                signatures: 5_000,
                python_signatures: 1_000,
                cli_ids: 2_000,
                cli_rounds: 2,
                emulator_requests: 5_000,
                memory_rounds: 1,
                scale_rounds: 1,
            }
        } else {
            Self {
                rounds: 5,
                sequential: 2_000,
                concurrent: 10_000,
                signatures: 20_000,
                python_signatures: 5_000,
                cli_ids: 10_000,
                cli_rounds: 3,
                emulator_requests: 20_000,
                memory_rounds: 3,
                scale_rounds: 3,
            }
        }
    }
}

/// Streams the client figures spread their requests over.
const SPREAD: usize = 1_000;
/// Turns each variant of a client or signer figure takes within one round.
const SLICES: usize = 10;
/// Concurrency of the "many in flight" figures.
const CONCURRENCY: usize = 64;
/// Threads of the official SDK in the CLI comparison (and `eg --concurrency`).
const CLI_CONCURRENCY: u32 = 16;
/// Streams registered for the memory figure.
const MEMORY_STREAMS: usize = 100_000;
/// The two id counts of the scale figures: memory must not grow between them.
const SCALE_IDS: [usize; 2] = [10_000, 200_000];

/// Runs the benchmark.
pub fn run(args: &BenchArgs, root: &Path) -> Result<ExitCode, String> {
    if cfg!(debug_assertions) {
        // Figures of a debug build mean nothing.
        return Err(
            "this is a debug build: run `cargo xtask bench`, which builds and runs \
                    the release one"
                .into(),
        );
    }
    bench(args, root).map(|()| ExitCode::SUCCESS)
}

/// What one run found.
struct Report {
    figures: Vec<Figure>,
    skipped: Vec<(&'static str, String)>,
}

impl Report {
    fn add(&mut self, figure: Option<Figure>) {
        self.figures.extend(figure);
    }
}

fn bench(args: &BenchArgs, root: &Path) -> Result<(), String> {
    let sizes = Sizes::new(args.quick);
    let emulator_bin = crate::sibling("eg-emulator")?;
    let eg_bin = crate::sibling("eg")?;
    let venv = args
        .venv
        .clone()
        .unwrap_or_else(|| root.join("target/python-sdk-venv"));
    let python = python_with_sdk(&venv);
    let work = tempfile::tempdir().map_err(|e| format!("cannot make a temporary dir: {e}"))?;
    let seed = work.path().join("seed.txt");
    write(&seed, &api::emulator_seed(SPREAD.max(sizes.cli_ids)))?;
    let emulator = Server::spawn("eg-emulator", api::emulator_command(&emulator_bin, &seed))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;

    let mut report = Report {
        figures: Vec::new(),
        skipped: Vec::new(),
    };
    let wanted = |part: Part| args.only.is_empty() || args.only.contains(&part);
    if wanted(Part::Client) {
        eprintln!("bench: 1/5 client against raw reqwest");
        runtime.block_on(client_figures(&sizes, &emulator.base_url, &mut report))?;
    }
    if wanted(Part::Signer) {
        eprintln!("bench: 2/5 signer");
        signer_figures(&sizes, root, python.as_ref(), &mut report)?;
    }
    if wanted(Part::Cli) {
        eprintln!("bench: 3/5 eg against the official Python SDK");
        match &python {
            Ok(python) => cli_figures(
                &sizes,
                root,
                work.path(),
                &eg_bin,
                python,
                &emulator.base_url,
                &mut report,
            )?,
            Err(why) => report.skipped.push(("cli", why.clone())),
        }
    }
    if wanted(Part::Emulator) {
        eprintln!("bench: 4/5 emulator");
        runtime.block_on(emulator_figures(&sizes, &emulator.base_url, &mut report))?;
        memory_figures(&sizes, work.path(), &emulator_bin, &runtime, &mut report)?;
    }
    drop(emulator);
    if wanted(Part::Scale) {
        eprintln!("bench: 5/5 eg at 10,000 and 200,000 ids");
        scale_figures(&sizes, work.path(), &emulator_bin, &eg_bin, &mut report)?;
    }

    let text = match args.format {
        Format::Text => text_report(&sizes, args.quick, &report),
        Format::Json => format!("{}\n", json_report(args.quick, &report)),
    };
    crate::out(&text);
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The venv's python when it can import the official SDK; else why not.
fn python_with_sdk(venv: &Path) -> Result<PathBuf, String> {
    let python = venv.join("bin/python");
    let hint = "make it with `python3 -m venv target/python-sdk-venv && \
                target/python-sdk-venv/bin/pip install -r interop/python-sdk/requirements.txt`";
    if !python.is_file() {
        return Err(format!("no Python venv at {}; {hint}", venv.display()));
    }
    let imports = Command::new(&python)
        .args(["-c", "import huaweicloudsdkcore, huaweicloudsdkeg"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !imports.status.success() {
        return Err(format!(
            "{} cannot import huaweicloudsdkcore and huaweicloudsdkeg; {hint}",
            python.display()
        ));
    }
    Ok(python)
}

fn micros(took: Duration, count: usize) -> f64 {
    took.as_secs_f64() * 1e6 / count as f64
}

/// Part 1: the client against raw reqwest, same pool kind, same headers.
async fn client_figures(sizes: &Sizes, base_url: &str, report: &mut Report) -> Result<(), String> {
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
            load::raw_pool()?,
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
                let raw_run = load::timed(size, *concurrency, |i| {
                    load::raw_start(raw, &credential, *auth, &urls[(start + i) % SPREAD])
                });
                let client_run = load::timed(size, *concurrency, |i| {
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

/// Part 2: the signer against the cryptographic floor (the two SHA-256 and
/// the HMAC any signature needs) and against the official Python signer.
fn signer_figures(
    sizes: &Sizes,
    root: &Path,
    python: Result<&PathBuf, &String>,
    report: &mut Report,
) -> Result<(), String> {
    use std::hint::black_box;

    use http::{HeaderMap, HeaderValue, Method, Uri, header};
    let credential = eg_signer::Credential::new(api::ACCESS_KEY, api::SECRET_KEY);
    let url = api::operate_url("http://127.0.0.1:8080", &api::stream_id(7));
    let uri: Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
    let now = time::OffsetDateTime::now_utc();
    let fresh = || {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers
    };
    let sign = |headers: &mut HeaderMap| {
        eg_signer::sign(
            &credential,
            &Method::POST,
            &uri,
            headers,
            api::START_BODY,
            Some(api::PROJECT),
            now,
        )
        .map_err(|e| format!("eg_signer::sign: {e}"))
    };
    let mut signed = fresh();
    sign(&mut signed)?;
    let secret = eg_signer::SecretKey::new(api::SECRET_KEY);
    let verify = || {
        eg_signer::verify(
            &Method::POST,
            &uri,
            &signed,
            api::START_BODY,
            now,
            Duration::from_secs(900),
            |_| Some(secret.clone()),
        )
        .map_err(|e| format!("eg_signer::verify: {e}"))
    };
    verify()?;
    // The floor hashes inputs as long as the real ones.
    let canonical = eg_signer::canonical_request(
        "POST",
        uri.path(),
        None,
        &[
            ("accept", "application/json"),
            ("content-type", "application/json"),
            ("host", "127.0.0.1:8080"),
            ("x-project-id", api::PROJECT),
            ("x-sdk-date", "20240102T030405Z"),
        ]
        .map(|(n, v)| (n.to_owned(), v.to_owned())),
        api::START_BODY,
    );
    let to_sign = eg_signer::string_to_sign("20240102T030405Z", &canonical);
    // Just the hashing: no hex, no allocation.
    let floor = || {
        use hmac::{Hmac, Mac};
        use sha2::{Digest, Sha256};
        black_box(Sha256::digest(black_box(api::START_BODY)));
        black_box(Sha256::digest(black_box(canonical.as_bytes())));
        let mut mac = Hmac::<Sha256>::new_from_slice(api::SECRET_KEY.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(black_box(to_sign.as_bytes()));
        black_box(mac.finalize());
    };

    let n = sizes.signatures;
    let (mut floor_us, mut sign_us, mut verify_us, mut python_us) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..=sizes.rounds {
        // The three take turns in slices, so a pause of the machine falls
        // on all of them rather than on one figure.
        let (mut floor_took, mut sign_took, mut verify_took) =
            (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        // One map, re-signed: each call replaces what the last one added.
        let mut headers = fresh();
        for _ in 0..SLICES {
            let started = Instant::now();
            for _ in 0..n / SLICES {
                floor();
            }
            floor_took += started.elapsed();
            let started = Instant::now();
            for _ in 0..n / SLICES {
                sign(black_box(&mut headers))?;
            }
            sign_took += started.elapsed();
            let started = Instant::now();
            for _ in 0..n / SLICES {
                black_box(verify()?);
            }
            verify_took += started.elapsed();
        }
        let n = n / SLICES * SLICES;
        if round == 0 {
            continue; // warm-up
        }
        floor_us.push(micros(floor_took, n));
        sign_us.push(micros(sign_took, n));
        verify_us.push(micros(verify_took, n));
        if let Ok(python) = python {
            python_us.push(python_signer(root, python, sizes.python_signatures)?);
        }
    }
    let ratio = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(a, b)| a / b).collect::<Vec<_>>();
    report.add(Figure::of(
        "signer.sign_us",
        "eg_signer::sign, per signature",
        "us",
        &sign_us,
        Some("<= 1.5"),
    ));
    report.add(Figure::of(
        "signer.verify_us",
        "eg_signer::verify, per request",
        "us",
        &verify_us,
        None,
    ));
    report.add(Figure::of(
        "signer.floor_us",
        "  floor: SHA-256 of body and canonical request, HMAC; no hex, no allocation",
        "us",
        &floor_us,
        None,
    ));
    report.add(Figure::of(
        "signer.sign_over_floor",
        "sign / floor",
        "ratio",
        &ratio(&sign_us, &floor_us),
        None,
    ));
    report.add(Figure::of(
        "signer.verify_over_floor",
        "verify / floor",
        "ratio",
        &ratio(&verify_us, &floor_us),
        None,
    ));
    match python {
        Ok(_) => {
            report.add(Figure::of(
                "signer.python_us",
                "  official Python signer, per signature",
                "us",
                &python_us,
                None,
            ));
            report.add(Figure::of(
                "signer.python_over_sign",
                "official Python signer / eg_signer::sign (times faster)",
                "ratio",
                &ratio(&python_us, &sign_us),
                None,
            ));
        }
        Err(why) => report.skipped.push(("signer.python", why.clone())),
    }
    Ok(())
}

/// One round of the official Python signer: µs per signature.
fn python_signer(root: &Path, python: &Path, iterations: usize) -> Result<f64, String> {
    let script = root.join("crates/eg-bench/python/python_signer.py");
    let output = Command::new(python)
        .arg(&script)
        .args([iterations.to_string(), "1".to_owned()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    text.trim()
        .parse()
        .map_err(|e| format!("{} printed `{}`: {e}", script.display(), text.trim()))
}

/// Part 3: `eg streaming start` over many ids against the official SDK with
/// 16 threads, both whole processes against the same emulator.
fn cli_figures(
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

/// Part 5: `eg streaming start` over 10,000 and 200,000 ids, `jsonl` and
/// `table`, whole process against an emulator holding every stream: peak
/// memory (which must not grow with the ids) and ids per second.
fn scale_figures(
    sizes: &Sizes,
    work: &Path,
    emulator_bin: &Path,
    eg: &Path,
    report: &mut Report,
) -> Result<(), String> {
    let [small, large] = SCALE_IDS;
    let seed = work.join("seed-scale.txt");
    write(&seed, &api::emulator_seed(large))?;
    let emulator = Server::spawn("eg-emulator", api::emulator_command(emulator_bin, &seed))?;
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

/// Part 4a: emulator throughput against a bare axum handler.
async fn emulator_figures(
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
    let pool = load::raw_pool()?;
    let n = sizes.emulator_requests;
    let (mut ratio, mut emulator_rps, mut bare_rps) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..=sizes.rounds {
        let count = if round == 0 { 2 * CONCURRENCY } else { n };
        let emulator_took = load::timed(count, CONCURRENCY, |i| {
            load::raw_start(&pool, &credential, Auth::Token, &emulator_urls[i % SPREAD])
        })
        .await?;
        let bare_took = load::timed(count, CONCURRENCY, |i| {
            load::raw_start(&pool, &credential, Auth::Token, &bare_urls[i % SPREAD])
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
fn memory_figures(
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
    let pool = load::raw_pool()?;
    let credential = eg_signer::Credential::new(api::ACCESS_KEY, api::SECRET_KEY);
    let resident = |seed: &Path| -> Result<u64, String> {
        let emulator = Server::spawn("eg-emulator", api::emulator_command(emulator_bin, seed))?;
        // One answered request: it is serving, with its buffers in place.
        let url = api::operate_url(&emulator.base_url, &api::stream_id(0));
        runtime.block_on(load::raw_start(&pool, &credential, Auth::Token, &url))?;
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

fn number(x: f64) -> String {
    match x.abs() {
        a if a >= 100.0 => format!("{x:.0}"),
        a if a >= 10.0 => format!("{x:.1}"),
        a if a >= 1.0 => format!("{x:.2}"),
        _ => format!("{x:.3}"),
    }
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn text_report(sizes: &Sizes, quick: bool, report: &Report) -> String {
    let mut out = format!(
        "eg benchmark: release build, {} CPUs{}; median [min .. max] of {} rounds \
         ({} for eg vs the SDK and eg at scale); only ratios carry over to other machines\n\n",
        cpus(),
        if quick { ", --quick" } else { "" },
        sizes.rounds,
        sizes.cli_rounds,
    );
    for f in &report.figures {
        let range = format!("[{} .. {}]", number(f.min), number(f.max));
        let target = f.target.map(|t| format!("target {t}")).unwrap_or_default();
        out.push_str(&format!(
            "{:<76} {:>8} {:<18} {:<6} {target}\n",
            f.what,
            number(f.median),
            range,
            f.unit
        ));
    }
    for (part, why) in &report.skipped {
        out.push_str(&format!("skipped {part}: {why}\n"));
    }
    out
}

fn json_report(quick: bool, report: &Report) -> serde_json::Value {
    json!({
        "version": 1,
        "quick": quick,
        "machine": {
            "cpus": cpus(),
            "os": std::env::consts::OS,
            "arch": std::env::consts::ARCH,
        },
        "figures": report.figures.iter().map(Figure::json).collect::<Vec<_>>(),
        "skipped": report
            .skipped
            .iter()
            .map(|(part, reason)| json!({"part": part, "reason": reason}))
            .collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_document_shape() {
        let report = Report {
            figures: Figure::of(
                "signer.sign_us",
                "sign",
                "us",
                &[1.0, 3.0, 2.0],
                Some("<= 1.5"),
            )
            .into_iter()
            .collect(),
            skipped: vec![("cli", "no venv".to_owned())],
        };
        let cpus = cpus();
        assert_eq!(
            json_report(true, &report),
            json!({
                "version": 1,
                "quick": true,
                "machine": {"cpus": cpus, "os": std::env::consts::OS, "arch": std::env::consts::ARCH},
                "figures": [{"key": "signer.sign_us", "what": "sign", "unit": "us",
                             "median": 2.0, "min": 1.0, "max": 3.0, "rounds": 3,
                             "target": "<= 1.5"}],
                "skipped": [{"part": "cli", "reason": "no venv"}],
            })
        );
    }

    #[test]
    fn numbers_keep_three_significant_digits() {
        assert_eq!(
            [0.8123, 1.234, 12.34, 1234.5].map(number),
            ["0.812", "1.23", "12.3", "1234"]
        );
    }
}
