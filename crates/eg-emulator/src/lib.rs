//! A local emulator of Huawei Cloud EventGrid's operate-event-streaming
//! endpoint: real HTTP on loopback, with the API gateway in front of EG
//! (authentication, AK lockout, throttling, size and route checks, with the
//! gateway's own codes) and EG behind it (the documented error bodies),
//! plus seeded fault injection.
//!
//! The spec drives it, through `eg_client::spec::OPERATIONS` (or any table
//! given as [`EmulatorConfig::operations`]):
//! - every operation's path template and method is a route; a path in no
//!   operation is the gateway's 404 `APIG.0101`, another method its 405;
//! - after the gateway's checks, every path, query and header parameter
//!   and the JSON body are checked against the operation's schema; a
//!   violation is EG's 400 `EG.00014000` naming the parameter or field;
//! - an operation the emulator does not model (only `ResumeEventStreaming`
//!   is) is a 501 `EG.00015010` naming it, and so is a value of the
//!   operation enum its state machine does not know ([`StreamStatus::after`]);
//! - answers are built with the spec's generated types, and the error
//!   bodies' limits are those of the generated `ErrorBody` fields.
//!
//! Error codes, statuses and messages come from [`eg_client::ErrorCode`].

mod args;
mod clock;
mod config;
mod error_body;
mod faults;
mod gateway;
mod registry;
mod seed;
mod server;
mod service;
mod transport;
mod validate;

use std::{net::SocketAddr, sync::Arc};

pub use args::EmulatorArgs;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{
    CredentialGrant, EmulatorConfig, Faults, Limits, Lockout, StreamSeed, TokenGrant,
};
pub use faults::{FaultCounts, FaultKind};
pub use gateway::{MAX_BODY_BYTES, MAX_CLOCK_SKEW};
pub use registry::StreamStatus;
pub use seed::{ConfigError, ParseError};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

/// Why an emulator could not start or stop cleanly.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The address cannot be bound.
    #[error("cannot serve on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The listener's address cannot be read.
    #[error("cannot read the bound address: {0}")]
    LocalAddr(#[source] std::io::Error),
    /// The TLS certificate or key cannot be used.
    #[error("TLS certificate or key: {0}")]
    Tls(#[source] std::io::Error),
    /// The serving task panicked or was cancelled.
    #[error("the server task failed: {0}")]
    Task(#[source] tokio::task::JoinError),
}

/// A PEM certificate chain and private key for serving HTTPS.
#[derive(Clone)]
pub struct TlsFiles {
    /// Certificate chain, PEM.
    pub cert_pem: Vec<u8>,
    /// Private key, PEM; never shown by `Debug`.
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsFiles")
            .field("cert_pem", &self.cert_pem.len())
            .field("key_pem", &"***")
            .finish()
    }
}

/// An emulator serving on a bound address until shut down (or dropped).
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    scheme: &'static str,
    state: Arc<server::AppState>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// Binds `addr` (port 0 picks a free port) and starts serving.
    pub async fn start(addr: SocketAddr, config: EmulatorConfig) -> Result<Self, EmulatorError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        Self::serve(listener, config)
    }

    /// Starts on 127.0.0.1 with a free port: what tests want.
    pub async fn start_local(config: EmulatorConfig) -> Result<Self, EmulatorError> {
        Self::start(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Serves on an already bound listener.
    pub fn serve(listener: TcpListener, config: EmulatorConfig) -> Result<Self, EmulatorError> {
        Self::spawn(listener, config, None)
    }

    /// Binds `addr` and serves HTTPS with a PEM certificate chain and key.
    pub async fn start_tls(
        addr: SocketAddr,
        config: EmulatorConfig,
        tls: TlsFiles,
    ) -> Result<Self, EmulatorError> {
        let rustls = axum_server::tls_rustls::RustlsConfig::from_pem(tls.cert_pem, tls.key_pem)
            .await
            .map_err(EmulatorError::Tls)?;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        Self::spawn(
            listener,
            config,
            Some(tokio_rustls::TlsAcceptor::from(rustls.get_inner())),
        )
    }

    fn spawn(
        listener: TcpListener,
        config: EmulatorConfig,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> Result<Self, EmulatorError> {
        let addr = listener.local_addr().map_err(EmulatorError::LocalAddr)?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let state = Arc::new(server::AppState::new(&config));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let app = server::router(state.clone());
        let task = tokio::spawn(transport::serve(listener, tls, app, config.limits, stopped));
        Ok(Self {
            addr,
            scheme,
            state,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` (or `https://` with TLS), ready for a client's endpoint.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    /// A stream's current status.
    pub fn status(&self, project_id: &str, id: &str) -> Option<StreamStatus> {
        self.state.registry.status(project_id, id)
    }

    /// How many requests got an injected fault so far, by kind.
    pub fn faults_injected(&self) -> FaultCounts {
        self.state
            .faults
            .as_ref()
            .map(faults::FaultInjector::counts)
            .unwrap_or_default()
    }

    /// How many requests the gateway answered 401 so far (bad signature,
    /// unknown AK or token, locked AK, no credentials...).
    pub fn auth_failures(&self) -> u64 {
        self.state.gateway.auth_failures()
    }

    /// How many projects have a throttling bucket (0 without a rate limit).
    /// Only authenticated requests create one, and the count stays within
    /// a fixed bound (10,000, fewer for long project ids).
    pub fn throttled_projects(&self) -> usize {
        self.state.gateway.throttled_projects()
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn shutdown(mut self) -> Result<(), EmulatorError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(EmulatorError::Task),
            None => Ok(()),
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts what `eg-emulator` and `eg emulator` serve from their flags:
/// HTTPS when `--tls-cert`/`--tls-key` are given, else HTTP on `--listen`.
pub async fn start_from_args(args: &EmulatorArgs) -> Result<RunningEmulator, StartError> {
    let config = args.to_config()?;
    Ok(match args.tls_files()? {
        Some(tls) => RunningEmulator::start_tls(args.listen, config, tls).await?,
        None => RunningEmulator::start(args.listen, config).await?,
    })
}

/// Why [`start_from_args`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// A flag or seed file is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The emulator cannot serve.
    #[error(transparent)]
    Emulator(#[from] EmulatorError),
}
