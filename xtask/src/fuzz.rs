//! `cargo xtask fuzz`: run each cargo-fuzz target of `fuzz/` for a while and
//! fail on any crash, with the reproducing input saved under
//! `fuzz/artifacts/TARGET/` and its path printed.
//!
//! Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz
//! --locked`). The targets are built without a sanitizer: every crate of
//! ours forbids `unsafe`, so what fuzzing finds here is panics, hangs and
//! memory blow-ups, which libFuzzer catches on its own (`-timeout`,
//! `-rss_limit_mb`), and the build is several times faster.

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
    process::{Command, ExitCode, Stdio},
};

/// The targets, as named in `fuzz/Cargo.toml`.
pub const TARGETS: [&str; 6] = [
    "docs_page",
    "docs_page_layouts",
    "spec_check",
    "verify",
    "api_error",
    "ids",
];

/// Flags that `cargo fuzz build` and `cargo fuzz run` must share, or `run`
/// rebuilds everything with other settings.
const BUILD_FLAGS: [&str; 2] = ["--sanitizer", "none"];

/// One input may take this long before libFuzzer calls it a hang.
const INPUT_TIMEOUT_SECONDS: u64 = 10;

/// `cargo xtask fuzz` options.
#[derive(clap::Args)]
pub struct FuzzArgs {
    /// How long each target runs, in seconds.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    seconds: u64,
    /// Run only this target (repeatable) [default: all].
    #[arg(long = "target", value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(TARGETS))]
    targets: Vec<String>,
}

/// Builds the targets, runs each for `--seconds`; exit 1 on any crash or
/// failed run, 2 when the tools are missing or the build fails.
pub fn run(root: &Path, args: &FuzzArgs) -> ExitCode {
    let targets: Vec<&str> = if args.targets.is_empty() {
        TARGETS.to_vec()
    } else {
        TARGETS
            .into_iter()
            .filter(|t| args.targets.iter().any(|a| a == t))
            .collect()
    };
    if !cargo_fuzz(root)
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!(
            "error: `cargo +nightly fuzz` is not available: install the nightly toolchain \
             (`rustup toolchain install nightly`) and cargo-fuzz (`cargo install cargo-fuzz --locked`)"
        );
        return ExitCode::from(2);
    }
    // cargo-fuzz has no --locked: check fuzz/Cargo.lock is current first.
    let locked = Command::new("cargo")
        .args(["+nightly", "metadata", "--locked", "--format-version=1"])
        .args(["--manifest-path", "fuzz/Cargo.toml"])
        .current_dir(root)
        .env_remove("RUSTUP_TOOLCHAIN")
        .stdout(Stdio::null())
        .status();
    if !locked.is_ok_and(|s| s.success()) {
        eprintln!(
            "error: fuzz/Cargo.lock is stale (a workspace dependency changed): \
             run `cargo +nightly fuzz build` and commit fuzz/Cargo.lock"
        );
        return ExitCode::from(2);
    }
    eprintln!("== building the fuzz targets (nightly, no sanitizer)");
    let built = cargo_fuzz(root).arg("build").args(BUILD_FLAGS).status();
    if !built.is_ok_and(|s| s.success()) {
        eprintln!("error: `cargo +nightly fuzz build` failed");
        return ExitCode::from(2);
    }
    let mut failed = Vec::new();
    for target in targets {
        match run_target(root, target, args.seconds) {
            Ok(done) => println!("{target}: no crash in {} s ({done})", args.seconds),
            Err(message) => {
                println!("{target}: FAILED: {message}");
                failed.push(target);
            }
        }
    }
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: fuzzing failed for {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// `cargo +nightly fuzz` run from the workspace root, without the variables
/// that `cargo xtask` (a stable cargo) set and that would pin the toolchain.
fn cargo_fuzz(root: &Path) -> Command {
    let mut command = Command::new("cargo");
    command
        .args(["+nightly", "fuzz"])
        .current_dir(root)
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC");
    command
}

/// Runs one target with the committed seeds (read only) and a working corpus
/// (`fuzz/corpus/TARGET`, not committed); returns libFuzzer's final
/// `Done ... runs` line, or why it failed with the saved inputs' paths.
fn run_target(root: &Path, target: &str, seconds: u64) -> Result<String, String> {
    let fuzz = root.join("fuzz");
    let corpus = fuzz.join("corpus").join(target);
    let artifacts = fuzz.join("artifacts").join(target);
    let logs = fuzz.join("logs");
    for dir in [&corpus, &artifacts, &logs] {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let log_path = logs.join(format!("{target}.log"));
    let log = fs::File::create(&log_path)
        .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let before = files(&artifacts);
    eprintln!("== fuzzing {target} for {seconds} s (log: fuzz/logs/{target}.log)");
    let status = cargo_fuzz(root)
        .arg("run")
        .args(BUILD_FLAGS)
        .arg(target)
        .arg(format!("fuzz/corpus/{target}"))
        .arg(format!("fuzz/seeds/{target}"))
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECONDS}"))
        .arg("-rss_limit_mb=2048")
        .stdout(Stdio::null())
        .stderr(log)
        .status()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
    let text = fs::read_to_string(&log_path).unwrap_or_default();
    let new: Vec<PathBuf> = files(&artifacts).difference(&before).cloned().collect();
    if status.success() && new.is_empty() {
        return Ok(done_line(&text)
            .unwrap_or("no libFuzzer summary")
            .to_owned());
    }
    for line in cause(&text) {
        eprintln!("  | {line}");
    }
    if new.is_empty() {
        return Err(format!(
            "{status}, no input saved; see {}",
            log_path.display()
        ));
    }
    let saved: Vec<String> = new
        .iter()
        .map(|p| {
            let shown = p.strip_prefix(root).unwrap_or(p).display().to_string();
            format!(
                "{shown} (reproduce: cargo +nightly fuzz run --sanitizer none {target} {shown})"
            )
        })
        .collect();
    Err(format!("{status}; input saved: {}", saved.join(", ")))
}

/// What libFuzzer said went wrong: the panic and its message, or its
/// `ERROR`/`SUMMARY` lines; long lines (the input's bytes) are cut.
fn cause(log: &str) -> Vec<String> {
    let lines: Vec<&str> = log.lines().collect();
    let mut picked = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains("panicked at") {
            picked.extend(lines[i..(i + 2).min(lines.len())].iter().copied());
        } else if line.contains("ERROR: libFuzzer") || line.starts_with("SUMMARY:") {
            picked.push(line);
        }
    }
    if picked.is_empty() {
        picked = lines.iter().rev().take(10).rev().copied().collect();
    }
    picked
        .into_iter()
        .map(|l| l.chars().take(300).collect())
        .collect()
}

/// The regular files of a directory; empty when it cannot be read.
fn files(dir: &Path) -> BTreeSet<PathBuf> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default()
}

/// libFuzzer's last line on success: `Done 123456 runs in 60 second(s)`.
fn done_line(log: &str) -> Option<&str> {
    log.lines()
        .rev()
        .find(|l| l.starts_with("Done "))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_libfuzzer_summary() {
        let log = "#2\tINITED cov: 10\n#1024\tpulse\nDone 52311 runs in 31 second(s)\n";
        assert_eq!(done_line(log), Some("Done 52311 runs in 31 second(s)"));
        assert_eq!(done_line("==1== ERROR: libFuzzer: deadly signal\n"), None);
    }

    #[test]
    fn shows_the_panic_not_the_input() {
        let log = format!(
            "#5251\tREDUCE cov: 4933\n\nthread '<unnamed>' panicked at src/x.rs:56:18:\nsomehow\nstack backtrace:\n==1== ERROR: libFuzzer: deadly signal\n\t[{}]\nSUMMARY: libFuzzer: deadly signal\n",
            "35, ".repeat(200)
        );
        assert_eq!(
            cause(&log),
            [
                "thread '<unnamed>' panicked at src/x.rs:56:18:",
                "somehow",
                "==1== ERROR: libFuzzer: deadly signal",
                "SUMMARY: libFuzzer: deadly signal"
            ]
        );
    }

    #[test]
    fn every_target_has_seeds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for target in TARGETS {
            let seeds = files(&root.join("fuzz/seeds").join(target));
            assert!(!seeds.is_empty(), "fuzz/seeds/{target} is empty");
            let manifest = fs::read_to_string(root.join("fuzz/Cargo.toml")).expect("manifest");
            assert!(
                manifest.contains(&format!("path = \"fuzz_targets/{target}.rs\"")),
                "{target} is not a [[bin]] of fuzz/Cargo.toml"
            );
        }
    }
}
