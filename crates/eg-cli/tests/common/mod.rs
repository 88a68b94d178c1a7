//! The emulator the `eg` tests run against: served in-process over real
//! HTTP, on its own multi-thread runtime that the test keeps alive while the
//! binary runs synchronously on the test thread.
#![allow(dead_code)]

use eg_emulator::{EmulatorConfig, RunningEmulator, StreamStatus};

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
