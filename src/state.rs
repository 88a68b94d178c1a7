//! What every call of one client reads: the configuration `build` checked
//! and the connection pool. Shared by `Arc` between clones of a client and
//! the calls in flight.

use std::fmt;

use crate::{Credentials, RetryConfig, credentials::Source};

/// A built client's configuration and connection pool.
pub(crate) struct ClientState {
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    /// Checked against the spec's type by `build`; kept as text so that
    /// this module needs nothing of the generated code.
    pub(crate) project_id: String,
    /// `/v1/{project_id}/eventstreamings/operate/`, the project id
    /// percent-encoded: every request path starts with it.
    pub(crate) operate_prefix: String,
    pub(crate) credentials: Credentials,
    pub(crate) credentials_source: Source,
    pub(crate) retry: RetryConfig,
    /// `eg-client-rust/<version>`, then the user's suffix if any.
    pub(crate) user_agent: reqwest::header::HeaderValue,
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
