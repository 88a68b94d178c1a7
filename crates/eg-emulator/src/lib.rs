//! A local emulator of Huawei Cloud EventGrid's operate-event-streaming
//! endpoint: real HTTP on loopback, the documented error bodies, token and
//! AK/SK authentication, and seeded fault injection.
//!
//! Requests are checked with the types progenitor generates from the same
//! spec as the client, so the spec drives both sides.

pub mod config;
pub mod registry;
mod server;

use std::{io, net::SocketAddr, sync::Arc};

pub use config::{CredentialGrant, EmulatorArgs, EmulatorConfig, Faults, StreamSeed, TokenGrant};
pub use registry::StreamStatus;
pub use server::{FaultCounts, MAX_BODY_BYTES, MAX_CLOCK_SKEW};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

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
    task: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for server::AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl RunningEmulator {
    /// Binds `addr` (port 0 picks a free port) and starts serving.
    pub async fn start(addr: SocketAddr, config: EmulatorConfig) -> io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        Self::serve(listener, config)
    }

    /// Starts on 127.0.0.1 with a free port: what tests want.
    pub async fn start_local(config: EmulatorConfig) -> io::Result<Self> {
        Self::start(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Serves on an already bound listener.
    pub fn serve(listener: TcpListener, config: EmulatorConfig) -> io::Result<Self> {
        let addr = listener.local_addr()?;
        let state = Arc::new(server::AppState::new(config));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let app = server::router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender means the handle is gone: stop too.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Self {
            addr,
            scheme: "http",
            state,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// Binds `addr` and serves HTTPS with a PEM certificate chain and key.
    pub async fn start_tls(
        addr: SocketAddr,
        config: EmulatorConfig,
        tls: TlsFiles,
    ) -> io::Result<Self> {
        let rustls =
            axum_server::tls_rustls::RustlsConfig::from_pem(tls.cert_pem, tls.key_pem).await?;
        let listener = std::net::TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(server::AppState::new(config));
        let (shutdown, stopped) = oneshot::channel::<()>();
        let handle = axum_server::Handle::new();
        let server = axum_server::from_tcp_rustls(listener, rustls)?
            .handle(handle.clone())
            .serve(server::router(state.clone()).into_make_service());
        tokio::spawn(async move {
            let _ = stopped.await;
            handle.graceful_shutdown(Some(std::time::Duration::from_secs(5)));
        });
        Ok(Self {
            addr,
            scheme: "https",
            state,
            shutdown: Some(shutdown),
            task: Some(tokio::spawn(server)),
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
        self.state.fault_counts()
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
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

/// What `eg-emulator` and `eg emulator` do: log to stderr, print the bound
/// address as the first line of stdout, serve until Ctrl-C.
pub async fn run_until_ctrl_c(args: &EmulatorArgs) -> Result<(), String> {
    use std::io::Write;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let config = args.to_config()?;
    let emulator = match args.tls_files()? {
        Some(tls) => RunningEmulator::start_tls(args.listen, config, tls).await,
        None => RunningEmulator::start(args.listen, config).await,
    }
    .map_err(|e| format!("cannot serve on {}: {e}", args.listen))?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "{}", emulator.local_addr())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write the bound address: {e}"))?;
    tracing::info!(addr = %emulator.local_addr(), "serving");
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    tracing::info!("Ctrl-C: shutting down");
    emulator
        .shutdown()
        .await
        .map_err(|e| format!("shutdown: {e}"))
}
