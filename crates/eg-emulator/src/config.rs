//! What an emulator starts from: [`EmulatorConfig`], the streams, grants,
//! faults and limits it is made of.

use std::{fmt, num::NonZeroU32, sync::Arc, time::Duration};

use eg_client::spec::OperationSpec;
use eg_signer::SecretKey;

use crate::{
    clock::{Clock, SystemClock},
    registry::StreamStatus,
};

/// A stream the emulator starts with: `PROJECT/ID[=STATUS]` (default CREATED).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamSeed {
    /// Project id.
    pub project_id: String,
    /// Event streaming id.
    pub id: String,
    /// Initial status.
    pub status: StreamStatus,
}

/// A token and the projects it may operate in: `TOKEN=PROJECT[,PROJECT...]`.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenGrant {
    /// The `X-Auth-Token` value.
    pub token: String,
    /// Projects the token is allowed for.
    pub projects: Vec<String>,
}

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("token", &"***")
            .field("projects", &self.projects)
            .finish()
    }
}

/// An access key pair: `AK=SK[:PROJECT,...]`; without projects it may
/// operate in every project.
#[derive(Clone, Debug)]
pub struct CredentialGrant {
    /// Access key id.
    pub access_key: String,
    /// Secret key, never shown by `Debug`.
    pub secret_key: SecretKey,
    /// Projects the key pair is allowed for; empty means all.
    pub projects: Vec<String>,
}

/// Seeded fault injection: a fraction of requests fail the way a real
/// gateway sometimes does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Faults {
    /// Fraction of requests that get a fault, 0.0 to 1.0.
    pub rate: f64,
    /// Seed of the random choice, so a run can be repeated.
    pub seed: u64,
    /// How long a delayed request waits before it is answered.
    pub delay: Duration,
}

/// The gateway's AK lockout: after more than `after` failed authentications
/// in a row, an access key is refused for `duration`, even when correctly
/// signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lockout {
    /// Consecutive failures allowed: one more locks the key.
    pub after: NonZeroU32,
    /// How long the key stays locked.
    pub duration: Duration,
}

impl Default for Lockout {
    /// Huawei's gateway: more than five failures, five minutes.
    fn default() -> Self {
        Self {
            after: NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN),
            duration: Duration::from_secs(300),
        }
    }
}

/// Connection limits, so that a slow or hostile client cannot hold the
/// emulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Time allowed for a request's headers (and a TLS handshake) to arrive;
    /// then the connection is closed. It holds for every connection with no
    /// request in flight, whatever its protocol or state: one that sent
    /// nothing, half an HTTP/2 preface, or an idle HTTP/1 keep-alive or
    /// HTTP/2 connection is closed after the same time.
    pub header_read_timeout: Duration,
    /// Time allowed for a whole request, body and answer included; then it
    /// is answered 408.
    pub request_timeout: Duration,
    /// Connections served at once (at least 1); further ones wait in the
    /// listen backlog.
    pub max_connections: usize,
    /// Time a write may wait for the peer to read; then the connection is
    /// dropped, so that a client that stops reading frees its slot.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// Everything an emulator starts from. `Default` is an empty emulator with
/// the gateway's lockout on, no throttling, default limits and the system
/// clock.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// Streams present at start.
    pub streams: Vec<StreamSeed>,
    /// Accepted tokens.
    pub tokens: Vec<TokenGrant>,
    /// Accepted AK/SK pairs.
    pub credentials: Vec<CredentialGrant>,
    /// Fault injection, off when `None`.
    pub faults: Option<Faults>,
    /// AK lockout, off when `None`.
    pub lockout: Option<Lockout>,
    /// Requests per second per project (token bucket, burst of the same
    /// size); no throttling when `None`.
    pub rate_limit: Option<NonZeroU32>,
    /// Connection limits.
    pub limits: Limits,
    /// The clock of the signing window, lockouts and throttling.
    pub clock: Arc<dyn Clock>,
    /// The operations served: their routes and checks.
    /// [`eg_client::spec::OPERATIONS`] by default; a test may serve another
    /// spec's table.
    pub operations: &'static [OperationSpec],
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            streams: Vec::new(),
            tokens: Vec::new(),
            credentials: Vec::new(),
            faults: None,
            lockout: Some(Lockout::default()),
            rate_limit: None,
            limits: Limits::default(),
            clock: Arc::new(SystemClock),
            operations: eg_client::spec::OPERATIONS,
        }
    }
}
