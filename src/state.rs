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
    /// `project_id` escaped as a path segment, once.
    pub(crate) project_segment: String,
    /// The endpoint, parsed once: every request URL is a copy of it with
    /// the operation's path (and query) set.
    pub(crate) base: Url,
    /// The headers of every request with a body, in sending order:
    /// `Accept`, `Content-Type`, `X-Auth-Token` with a token, `User-Agent`.
    pub(crate) headers: HeaderMap,
    /// The same without `Content-Type`, for requests without a body.
    pub(crate) headers_without_body: HeaderMap,
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
