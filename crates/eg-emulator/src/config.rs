//! What the emulator knows: streams, tokens, key pairs, faults and the
//! gateway's limits, from command-line flags and a seed file.

use std::{
    fmt, net::SocketAddr, num::NonZeroU32, path::PathBuf, str::FromStr, sync::Arc, time::Duration,
};

use eg_signer::SecretKey;

use crate::{
    clock::{Clock, SystemClock},
    registry::StreamStatus,
};

/// A flag value or seed-file entry that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// A stream is not `PROJECT/ID[=STATUS]`.
    #[error("'{0}' is not PROJECT/ID[=STATUS]")]
    Stream(String),
    /// A status other than CREATED, RUNNING, ERROR or STOPPED.
    #[error("unknown status '{0}' (expected CREATED, RUNNING, ERROR or STOPPED)")]
    Status(String),
    /// A token grant is not `TOKEN=PROJECT[,PROJECT...]`; says what is
    /// missing, never the value (it holds the token).
    #[error("a token grant is TOKEN=PROJECT[,PROJECT...]: {0}")]
    Token(&'static str),
    /// A credential is not `AK=SK[:PROJECT,...]`; says what is missing,
    /// never the value (it holds the SK).
    #[error("a credential is AK=SK[:PROJECT,...]: {0}")]
    Credential(&'static str),
    /// A seed-file line starts with an unknown word.
    #[error("unknown entry '{0}' (expected stream, token or credential)")]
    Entry(String),
    /// A fault rate outside 0..=1.
    #[error("'{0}' is not a fraction between 0 and 1")]
    Rate(String),
    /// A duration that is not a positive number of seconds.
    #[error("'{0}' is not a number of seconds between 0.001 and 86400")]
    Seconds(String),
}

/// A status as flags and seed files spell it.
impl FromStr for StreamStatus {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<Self, ParseError> {
        match s {
            "CREATED" => Ok(Self::Created),
            "RUNNING" => Ok(Self::Running),
            "ERROR" => Ok(Self::Error),
            "STOPPED" => Ok(Self::Stopped),
            other => Err(ParseError::Status(other.to_owned())),
        }
    }
}

/// Why the emulator's configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A seed-file line is wrong.
    #[error("{file}:{line}: {error}")]
    Seed {
        /// The seed file as given.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        #[source]
        error: ParseError,
    },
    /// A file (seed, certificate or key) cannot be read.
    #[error("{}: {source}", path.display())]
    Read {
        /// The file as given.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

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

impl FromStr for StreamSeed {
    type Err = ParseError;

    fn from_str(spec: &str) -> Result<Self, ParseError> {
        let (stream, status) = match spec.rsplit_once('=') {
            Some((stream, status)) => (stream, status.parse()?),
            None => (spec, StreamStatus::Created),
        };
        match stream.split_once('/') {
            Some((project, id)) if !project.is_empty() && !id.is_empty() => Ok(Self {
                project_id: project.to_owned(),
                id: id.to_owned(),
                status,
            }),
            _ => Err(ParseError::Stream(spec.to_owned())),
        }
    }
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

impl FromStr for TokenGrant {
    type Err = ParseError;

    fn from_str(spec: &str) -> Result<Self, ParseError> {
        let (token, projects) = spec.rsplit_once('=').ok_or(ParseError::Token(
            "no '=' between the token and its projects",
        ))?;
        if token.is_empty() {
            return Err(ParseError::Token("the token is empty"));
        }
        let projects = split_projects(projects);
        if projects.is_empty() {
            return Err(ParseError::Token("no project after '='"));
        }
        Ok(Self {
            token: token.to_owned(),
            projects,
        })
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

impl FromStr for CredentialGrant {
    type Err = ParseError;

    fn from_str(spec: &str) -> Result<Self, ParseError> {
        let (access_key, rest) = spec
            .split_once('=')
            .ok_or(ParseError::Credential("no '=' between the AK and the SK"))?;
        let (secret, projects) = match rest.split_once(':') {
            Some((secret, projects)) => (secret, split_projects(projects)),
            None => (rest, Vec::new()),
        };
        if access_key.is_empty() {
            return Err(ParseError::Credential("the AK is empty"));
        }
        if secret.is_empty() {
            return Err(ParseError::Credential("the SK is empty"));
        }
        Ok(Self {
            access_key: access_key.to_owned(),
            secret_key: SecretKey::new(secret),
            projects,
        })
    }
}

fn split_projects(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
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
        }
    }
}

impl EmulatorConfig {
    /// Adds the lines of a seed file: `stream PROJECT/ID[=STATUS]`,
    /// `token TOKEN=PROJECT[,...]`, `credential AK=SK[:PROJECT,...]`; blank
    /// lines and `#` comments are ignored. Errors name the file and line.
    pub fn add_seed(&mut self, name: &str, text: &str) -> Result<(), ConfigError> {
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |error: ParseError| ConfigError::Seed {
                file: name.to_owned(),
                line: index + 1,
                error,
            };
            let (kind, value) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let value = value.trim();
            match kind {
                "stream" => self.streams.push(value.parse().map_err(at)?),
                "token" => self.tokens.push(value.parse().map_err(at)?),
                "credential" => self.credentials.push(value.parse().map_err(at)?),
                other => return Err(at(ParseError::Entry(other.to_owned()))),
            }
        }
        Ok(())
    }
}

/// The emulator's command-line flags, shared by `eg-emulator` and `eg emulator`.
#[derive(clap::Args, Clone, Debug)]
pub struct EmulatorArgs {
    /// Address to listen on; port 0 picks a free port. The first line
    /// printed is the bound address.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
    /// An event stream to serve (repeatable); STATUS is CREATED (default),
    /// RUNNING, ERROR or STOPPED.
    #[arg(long = "stream", value_name = "PROJECT/ID[=STATUS]")]
    pub streams: Vec<StreamSeed>,
    /// A token accepted as X-Auth-Token for the listed projects (repeatable).
    #[arg(long = "token", value_name = "TOKEN=PROJECT[,PROJECT...]",
          value_parser = Secret::<TokenGrant>::parser())]
    pub tokens: Vec<TokenGrant>,
    /// An AK/SK pair accepted for signed requests (repeatable); without
    /// projects it is allowed in every project.
    #[arg(long = "credential", value_name = "AK=SK[:PROJECT,...]",
          value_parser = Secret::<CredentialGrant>::parser())]
    pub credentials: Vec<CredentialGrant>,
    /// A seed file with `stream`, `token` and `credential` lines.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Lock an access key after more than this many failed authentications
    /// in a row, as Huawei's gateway does; 0 turns the lockout off.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub lockout_after: u32,
    /// How long a locked access key is refused, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub lockout_secs: u64,
    /// Throttle each project to N requests per second (token bucket, burst
    /// N), answering 429 APIGW.0308 beyond; off by default.
    #[arg(long, value_name = "N")]
    pub rate_limit: Option<NonZeroU32>,
    /// Seconds allowed for a request's headers (and TLS handshake) to
    /// arrive before the connection is closed; also how long any connection
    /// with no request in flight is kept (HTTP/1 keep-alive, HTTP/2, or one
    /// that sent nothing).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub header_timeout: Duration,
    /// Seconds allowed for a whole request, body included, before it is
    /// answered 408.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub request_timeout: Duration,
    /// Seconds a write may wait for the client to read before the
    /// connection is dropped.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub write_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    #[arg(long, value_name = "N", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Fraction of requests answered with an injected fault (500, 503, 429,
    /// a delay, or a connection cut mid-response).
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_rate: f64,
    /// Seed for the fault choice, so that a run can be repeated.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_seed: u64,
    /// How long a delayed request waits, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub fault_delay_ms: u64,
    /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

/// Parses a flag whose value holds a secret. clap's own "invalid value"
/// error quotes the value; this one says what is wrong without it, so a
/// mistyped token or SK does not end up in a terminal or a CI log.
struct Secret<T>(std::marker::PhantomData<fn() -> T>);

impl<T> Clone for Secret<T> {
    fn clone(&self) -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T> Secret<T> {
    fn parser() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T> clap::builder::TypedValueParser for Secret<T>
where
    T: FromStr<Err = ParseError> + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let flag = arg.map_or_else(|| "the value".to_owned(), |arg| format!("'{arg}'"));
        let invalid = |why: &dyn fmt::Display| {
            clap::Error::raw(
                clap::error::ErrorKind::InvalidValue,
                format!("invalid value for {flag} (not shown: it holds a secret): {why}\n"),
            )
            .with_cmd(cmd)
        };
        value
            .to_str()
            .ok_or_else(|| invalid(&"not UTF-8"))?
            .parse()
            .map_err(|error: ParseError| invalid(&error))
    }
}

fn parse_rate(value: &str) -> Result<f64, ParseError> {
    match value.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(ParseError::Rate(value.to_owned())),
    }
}

fn parse_seconds(value: &str) -> Result<Duration, ParseError> {
    match value.parse::<f64>() {
        Ok(s) if (0.001..=86_400.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        _ => Err(ParseError::Seconds(value.to_owned())),
    }
}

fn read(path: &PathBuf) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|source| ConfigError::Read {
        path: path.clone(),
        source,
    })
}

impl EmulatorArgs {
    /// Reads the TLS files, if HTTPS was asked for.
    pub fn tls_files(&self) -> Result<Option<crate::TlsFiles>, ConfigError> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        Ok(Some(crate::TlsFiles {
            cert_pem: read(cert)?,
            key_pem: read(key)?,
        }))
    }

    /// Builds the configuration, reading the seed file if one was given.
    pub fn to_config(&self) -> Result<EmulatorConfig, ConfigError> {
        let mut config = EmulatorConfig {
            streams: self.streams.clone(),
            tokens: self.tokens.clone(),
            credentials: self.credentials.clone(),
            faults: (self.fault_rate > 0.0).then_some(Faults {
                rate: self.fault_rate,
                seed: self.fault_seed,
                delay: Duration::from_millis(self.fault_delay_ms),
            }),
            lockout: NonZeroU32::new(self.lockout_after).map(|after| Lockout {
                after,
                duration: Duration::from_secs(self.lockout_secs),
            }),
            rate_limit: self.rate_limit,
            limits: Limits {
                header_read_timeout: self.header_timeout,
                request_timeout: self.request_timeout,
                max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
                write_timeout: self.write_timeout,
            },
            clock: Arc::new(SystemClock),
        };
        if let Some(path) = &self.seed {
            let name = path.display().to_string();
            let text = read(path)?;
            let text = String::from_utf8_lossy(&text);
            config.add_seed(&name, &text)?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(clap::Parser)]
    struct Flags {
        #[command(flatten)]
        args: EmulatorArgs,
    }

    fn config(flags: &[&str]) -> EmulatorConfig {
        use clap::Parser;
        let flags =
            Flags::try_parse_from(std::iter::once("eg-emulator").chain(flags.iter().copied()))
                .expect("valid flags");
        flags.args.to_config().expect("configuration")
    }

    #[test]
    fn gateway_flags_map_to_the_configuration() {
        let defaults = config(&[]);
        assert_eq!(
            defaults.lockout,
            Some(Lockout {
                after: NonZeroU32::new(5).expect("non-zero"),
                duration: Duration::from_secs(300)
            })
        );
        assert_eq!(defaults.rate_limit, None);
        assert_eq!(defaults.limits, Limits::default());
        assert_eq!(
            defaults.limits,
            Limits {
                header_read_timeout: Duration::from_secs(30),
                request_timeout: Duration::from_secs(30),
                max_connections: 1024,
                write_timeout: Duration::from_secs(30)
            }
        );
        let set = config(&[
            "--lockout-after",
            "2",
            "--lockout-secs",
            "7",
            "--rate-limit",
            "50",
            "--header-timeout",
            "0.25",
            "--request-timeout",
            "3",
            "--max-connections",
            "9",
            "--write-timeout",
            "0.5",
        ]);
        assert_eq!(
            set.lockout,
            Some(Lockout {
                after: NonZeroU32::new(2).expect("non-zero"),
                duration: Duration::from_secs(7)
            })
        );
        assert_eq!(set.rate_limit, NonZeroU32::new(50));
        assert_eq!(
            set.limits,
            Limits {
                header_read_timeout: Duration::from_millis(250),
                request_timeout: Duration::from_secs(3),
                max_connections: 9,
                write_timeout: Duration::from_millis(500)
            }
        );
        assert_eq!(config(&["--lockout-after", "0"]).lockout, None);
    }

    #[test]
    fn parses_stream_seeds() {
        assert_eq!(
            "p1/s1=RUNNING".parse::<StreamSeed>(),
            Ok(StreamSeed {
                project_id: "p1".into(),
                id: "s1".into(),
                status: StreamStatus::Running
            })
        );
        assert_eq!(
            "p1/a/b".parse::<StreamSeed>().map(|s| s.id),
            Ok("a/b".to_owned())
        );
        assert_eq!(
            "p1/s1".parse::<StreamSeed>().map(|s| s.status),
            Ok(StreamStatus::Created)
        );
        assert_eq!(
            "p1/s1=PAUSED".parse::<StreamSeed>(),
            Err(ParseError::Status("PAUSED".to_owned()))
        );
        assert_eq!(
            "p1".parse::<StreamSeed>(),
            Err(ParseError::Stream("p1".to_owned()))
        );
    }

    #[test]
    fn parses_grants_and_hides_secrets() {
        let grant: TokenGrant = "tok=en=p1, p2".parse().expect("valid grant");
        assert_eq!(grant.token, "tok=en");
        assert_eq!(grant.projects, ["p1", "p2"]);
        assert_eq!(
            format!("{grant:?}"),
            r#"TokenGrant { token: "***", projects: ["p1", "p2"] }"#
        );
        assert_eq!(
            "tok=".parse::<TokenGrant>(),
            Err(ParseError::Token("no project after '='"))
        );
        assert_eq!(
            "=p1".parse::<TokenGrant>(),
            Err(ParseError::Token("the token is empty"))
        );
        assert_eq!(
            "MYSECRET".parse::<TokenGrant>(),
            Err(ParseError::Token(
                "no '=' between the token and its projects"
            ))
        );
        assert_eq!(
            "=SK".parse::<CredentialGrant>().map(|c| c.access_key),
            Err(ParseError::Credential("the AK is empty"))
        );
        assert_eq!(
            "AK=:p1".parse::<CredentialGrant>().map(|c| c.access_key),
            Err(ParseError::Credential("the SK is empty"))
        );
        assert_eq!(
            "AKSK".parse::<CredentialGrant>().map(|c| c.access_key),
            Err(ParseError::Credential("no '=' between the AK and the SK"))
        );
        let cred: CredentialGrant = "AK1=SECRET:p1".parse().expect("valid credential");
        assert_eq!(
            (
                cred.access_key.as_str(),
                cred.secret_key.expose(),
                cred.projects.clone()
            ),
            ("AK1", "SECRET", vec!["p1".to_owned()])
        );
        assert!(!format!("{cred:?}").contains("SECRET"));
        assert_eq!(
            "AK1=SECRET".parse::<CredentialGrant>().map(|c| c.projects),
            Ok(vec![])
        );
    }

    #[test]
    fn seed_file_errors_name_file_and_line() {
        let mut config = EmulatorConfig::default();
        let text = "# streams\nstream p/s=RUNNING\n\ntoken t=p\nbogus x\n";
        let error = config.add_seed("seed.txt", text).expect_err("bogus line");
        assert_eq!(
            error.to_string(),
            "seed.txt:5: unknown entry 'bogus' (expected stream, token or credential)"
        );
        assert!(matches!(
            error,
            ConfigError::Seed { line: 5, error: ParseError::Entry(ref word), .. } if word == "bogus"
        ));
        assert_eq!(config.streams.len(), 1);
        assert_eq!(config.tokens.len(), 1);
        assert_eq!(
            EmulatorConfig::default()
                .add_seed("s", "stream nope")
                .map_err(|e| e.to_string()),
            Err("s:1: 'nope' is not PROJECT/ID[=STATUS]".to_owned())
        );
    }
}
