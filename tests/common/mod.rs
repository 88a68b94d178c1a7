//! What the client's integration tests share (each test file does
//! `mod common;`): the one setup of a client on a loopback server, and the
//! scripted server in [`scripted`].
// Each test binary uses a part of this module.
#![allow(dead_code)]

mod scripted;

#[allow(unused_imports)]
pub use scripted::{Reply, Scripted, Seen};

use eg_client::{Client, ClientBuilder, Credentials, Environment};

/// A client of the server at `base_url` (a loopback emulator or
/// [`Scripted`]) in `project`, with these credentials and no environment
/// read, so no variable of the machine running the tests changes a result.
/// Tests add retries, timeouts or roots with the builder's own setters.
pub fn loopback_client(
    base_url: impl Into<String>,
    project: &str,
    credentials: Credentials,
) -> ClientBuilder {
    Client::builder()
        .endpoint(base_url)
        .project_id(project)
        .credentials(credentials)
        .environment(Environment::default())
}
