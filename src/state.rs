//! What every call of one client reads: the configuration `build` checked,
//! the parts every request shares, and the connection pool. Shared by `Arc`
//! between clones of a client and the calls in flight.

use std::fmt;

use reqwest::{Url, header::HeaderMap};

use crate::{Credentials, RetryConfig, credentials::Source};

/// A built client's configuration and connection pool.
pub(crate) struct ClientState {
    pub(crate) base_url: String,
    pub(crate) http: reqwest::Client,
    /// Checked against the spec's type by `build`.
    pub(crate) project_id: String,
    /// The endpoint with the path `/v1/{project_id}/eventstreamings/operate/`,
    /// the project id percent-encoded: parsed once, every request URL is a
    /// copy of it with the stream id appended.
    pub(crate) operate_url: Url,
    /// The headers of every request, in sending order: `Accept`,
    /// `Content-Type`, `X-Auth-Token` with a token, `User-Agent`.
    pub(crate) headers: HeaderMap,
    pub(crate) credentials: Credentials,
    pub(crate) credentials_source: Source,
    pub(crate) retry: RetryConfig,
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
