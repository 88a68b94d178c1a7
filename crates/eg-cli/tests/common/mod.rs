//! The emulator the `eg` tests run against: served in-process over real
//! HTTP, on its own multi-thread runtime that the test keeps alive while the
//! binary runs synchronously on the test thread.
#![allow(dead_code)]

use assert_cmd::Command;
use eg_emulator::{EmulatorConfig, RunningEmulator, StreamStatus};
use tempfile::TempDir;

pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";
pub const TOKEN: &str = "MIIE-secret-token-71c3";
pub const AK: &str = "AKTEST0123456789";
pub const SK: &str = "sk-secret-5e8d9a";

pub struct Emulator {
    pub emulator: RunningEmulator,
    _runtime: tokio::runtime::Runtime,
}

impl Emulator {
    /// Serves `streams` of [`PROJECT`], granting [`TOKEN`] and [`AK`]/[`SK`].
    pub fn start(streams: &[&str]) -> Self {
        Self::with_config(streams, EmulatorConfig::default())
    }

    /// As [`Emulator::start`], with the rest of `config` (lockout, rate limit...).
    pub fn with_config(streams: &[impl AsRef<str>], config: EmulatorConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let config = EmulatorConfig {
            streams: streams
                .iter()
                .map(|id| {
                    format!("{PROJECT}/{}", id.as_ref())
                        .parse()
                        .expect("stream seed")
                })
                .collect(),
            tokens: vec![format!("{TOKEN}={PROJECT}").parse().expect("token grant")],
            credentials: vec![format!("{AK}={SK}").parse().expect("credential grant")],
            ..config
        };
        let emulator = runtime
            .block_on(RunningEmulator::start_local(config))
            .expect("emulator");
        Self {
            emulator,
            _runtime: runtime,
        }
    }

    pub fn url(&self) -> String {
        self.emulator.base_url()
    }

    pub fn status(&self, id: &str) -> Option<StreamStatus> {
        self.emulator.status(PROJECT, id)
    }
}

pub const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
pub const SECURITY_TOKEN: &str = "security-secret-2b4f";
pub const SECRETS: [&str; 3] = [TOKEN, SK, SECURITY_TOKEN];

impl Emulator {
    /// `eg streaming OPERATION` with token auth against this emulator.
    pub fn eg(&self, home: &TempDir, operation: &str) -> Command {
        let mut cmd = eg(home);
        cmd.args(["streaming", operation, "--project-id", PROJECT])
            .args(["--endpoint", &self.url()])
            .env("EG_TOKEN", TOKEN);
        cmd
    }
}

/// `eg` in a clean environment: no HUAWEICLOUD_SDK_* or EG_* variables,
/// HOME an empty directory, so no profile file is found.
pub fn eg(home: &TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_eg"));
    cmd.env_clear().env("HOME", home.path());
    cmd
}

pub fn home() -> TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Runs the command; returns exit code, stdout and stderr after checking
/// that no secret appears in either.
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().expect("eg runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    for secret in SECRETS {
        assert!(!stdout.contains(secret), "secret in stdout:\n{stdout}");
        assert!(!stderr.contains(secret), "secret in stderr:\n{stderr}");
    }
    (output.status.code().expect("exit code"), stdout, stderr)
}

pub fn is_request_id(id: &str) -> bool {
    let parts: Vec<&str> = id.splitn(3, '-').collect();
    parts.len() == 3 && parts[0].len() == 32 && parts[2] == "eg-emulator"
}
