//! Every use the benchmark makes of the project's own interfaces: the
//! client library, the emulator's flags and seed file, and the `eg` command
//! line. When one of them changes, this is the file to adapt.

use std::{fs, path::Path, process::Command};

use eg_client::{
    Client, Credentials, Environment, RetryConfig,
    spec::{Binding, Location, OperationSpec},
};

use crate::procs::Server;

/// Project id of every benchmark request.
pub const PROJECT: &str = "0123456789abcdef0123456789abcdef";
/// The token the emulator accepts for [`PROJECT`].
pub const TOKEN: &str = "bench-token";
/// The key pair the emulator accepts in every project.
pub const ACCESS_KEY: &str = "HPUAEXAMPLEAK0000001";
/// Secret of [`ACCESS_KEY`].
pub const SECRET_KEY: &str = "ExampleSecretKey0000000000000000000000000";
/// The body the client sends for START.
pub const START_BODY: &[u8] = br#"{"operation":"START"}"#;
/// The operate operation as the spec describes it: its route and method
/// come from here, never from a copy of the path.
pub const OPERATE: &OperationSpec = eg_client::operations::ResumeEventStreaming::SPEC;

/// The `i`-th stream id: UUID-shaped, so no byte needs percent-encoding.
pub fn stream_id(i: usize) -> String {
    format!("{i:08x}-0000-4000-8000-{i:012x}")
}

/// The `i` of [`stream_id`]`(i)`; `None` for any other text.
pub fn stream_index(id: &str) -> Option<usize> {
    let (_, tail) = id.rsplit_once('-')?;
    let i = usize::from_str_radix(tail, 16).ok()?;
    (stream_id(i) == id).then_some(i)
}

/// The request URL for one stream.
/// The project fills the path parameter the client binds to it, `id` the other.
pub fn operate_url(base_url: &str, id: &str) -> String {
    let mut url = format!("{base_url}{}", OPERATE.path);
    for param in OPERATE
        .params
        .iter()
        .filter(|p| p.location == Location::Path)
    {
        let value = match param.binding {
            Some(Binding::ProjectId) => PROJECT,
            _ => id,
        };
        url = url.replace(&format!("{{{}}}", param.name), value);
    }
    url
}

/// Seed-file text: `streams` streams in [`PROJECT`], the token and the key pair.
pub fn emulator_seed(streams: usize) -> String {
    let mut seed = format!("token {TOKEN}={PROJECT}\ncredential {ACCESS_KEY}={SECRET_KEY}\n");
    for i in 0..streams {
        seed.push_str("stream ");
        seed.push_str(PROJECT);
        seed.push('/');
        seed.push_str(&stream_id(i));
        seed.push('\n');
    }
    seed
}

/// Faults the emulator injects (`--fault-rate`, `--fault-seed`,
/// `--fault-delay-ms`): 500, 503, 429, a delay, or a connection cut mid-body.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Faults {
    /// Fraction of requests answered with a fault.
    pub rate: f64,
    /// Seed of the fault choice.
    pub seed: u64,
    /// How long a delay fault holds a request, in milliseconds.
    pub delay_ms: u64,
}

/// The one launcher of the emulator, for every figure and the load run: the
/// binary serving the seed file on a free loopback port, with `faults` if
/// given. With `log`, warnings and errors go to that file (one line per
/// refusal would cost the emulator more than the requests do); without it,
/// logging is off.
pub fn start_emulator(
    binary: &Path,
    seed: &Path,
    faults: Option<Faults>,
    log: Option<&Path>,
) -> Result<Server, String> {
    let mut command = Command::new(binary);
    command
        .arg("--listen")
        .arg("127.0.0.1:0")
        .arg("--seed")
        .arg(seed)
        .env("NO_COLOR", "1");
    if let Some(faults) = faults {
        command
            .arg(format!("--fault-rate={}", faults.rate))
            .arg(format!("--fault-seed={}", faults.seed))
            .arg(format!("--fault-delay-ms={}", faults.delay_ms));
    }
    let Some(log) = log else {
        command.env("RUST_LOG", "off");
        return Server::spawn("eg-emulator", command);
    };
    command.env("RUST_LOG", "warn");
    let file =
        fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    Server::spawn_with_stderr("eg-emulator", command, file).map_err(|e| {
        let tail = fs::read_to_string(log).unwrap_or_default();
        format!("{e}; its log:\n{tail}")
    })
}

/// `eg streaming start` over the ids in `ids_file`, signing with the key
/// pair, `--output format`.
pub fn eg_start_command(
    binary: &Path,
    base_url: &str,
    ids_file: &Path,
    concurrency: impl ToString,
    format: &str,
) -> Command {
    let mut command = Command::new(binary);
    command
        .args(["streaming", "start", "--ids-from"])
        .arg(ids_file)
        .args(["--endpoint", base_url, "--project-id", PROJECT])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--output", format, "--quiet"])
        .env("HUAWEICLOUD_SDK_AK", ACCESS_KEY)
        .env("HUAWEICLOUD_SDK_SK", SECRET_KEY)
        .env_remove("EG_TOKEN")
        .env_remove("EG_ENDPOINT")
        .env_remove("EG_REGION")
        .env_remove("HUAWEICLOUD_SDK_SECURITY_TOKEN");
    command
}

/// Which credentials a client variant uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// `X-Auth-Token`.
    Token,
    /// SDK-HMAC-SHA256 with the key pair.
    AccessKey,
}

/// The library client, retries off so that every call is one request.
pub fn client(base_url: &str, auth: Auth) -> Result<Client, String> {
    let credentials = match auth {
        Auth::Token => Credentials::token(TOKEN).map_err(|e| format!("token: {e}"))?,
        Auth::AccessKey => Credentials::access_key(ACCESS_KEY, SECRET_KEY),
    };
    Client::builder()
        .endpoint(base_url)
        .project_id(PROJECT)
        .credentials(credentials)
        .environment(Environment::default())
        .retry(RetryConfig::disabled())
        .build()
        .map_err(|e| format!("cannot build the client: {e}"))
}

/// One START through the client; an error names the id, status and request id.
pub async fn client_start(client: &Client, id: &str) -> Result<(), String> {
    match client.start(id).await {
        Ok(done) if done.event_streaming_id.as_deref() == Some(id) => Ok(()),
        Ok(done) => Err(format!(
            "client START {id}: answered for {:?} (request id {:?})",
            done.event_streaming_id,
            done.request_id()
        )),
        Err(e) => Err(format!(
            "client START {id}: {e} (status {:?}, request id {:?})",
            e.status(),
            e.request_id()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operate_url_follows_the_spec() {
        assert_eq!(
            operate_url("http://127.0.0.1:1", "s-1"),
            format!("http://127.0.0.1:1/v1/{PROJECT}/eventstreamings/operate/s-1")
        );
        assert_eq!(OPERATE.method, "POST");
    }

    #[test]
    fn stream_ids_map_back_to_their_index() {
        assert_eq!(stream_id(26), "0000001a-0000-4000-8000-00000000001a");
        assert_eq!(stream_index(&stream_id(26)), Some(26));
        assert_eq!(stream_index(&stream_id(199_999)), Some(199_999));
        assert_eq!(stream_index("0000001a-0000-4000-8000-00000000001b"), None);
        assert_eq!(stream_index("load-26"), None);
        assert_eq!(stream_index("nohyphen"), None);
    }
}
