//! What the emulator knows: streams, tokens, key pairs and faults, from
//! command-line flags and a seed file.

use std::{fmt, net::SocketAddr, path::PathBuf, str::FromStr, time::Duration};

use eg_signer::SecretKey;

use crate::registry::StreamStatus;

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
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
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
            _ => Err(format!("'{spec}' is not PROJECT/ID[=STATUS]")),
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
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let shape = || "a token grant is TOKEN=PROJECT[,PROJECT...]".to_owned();
        let (token, projects) = spec.rsplit_once('=').ok_or_else(shape)?;
        let projects = split_projects(projects);
        if token.is_empty() || projects.is_empty() {
            return Err(shape());
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
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let shape = || "a credential is AK=SK[:PROJECT,...]".to_owned();
        let (access_key, rest) = spec.split_once('=').ok_or_else(shape)?;
        let (secret, projects) = match rest.split_once(':') {
            Some((secret, projects)) => (secret, split_projects(projects)),
            None => (rest, Vec::new()),
        };
        if access_key.is_empty() || secret.is_empty() {
            return Err(shape());
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

/// Everything an emulator starts from.
#[derive(Clone, Debug, Default)]
pub struct EmulatorConfig {
    /// Streams present at start.
    pub streams: Vec<StreamSeed>,
    /// Accepted tokens.
    pub tokens: Vec<TokenGrant>,
    /// Accepted AK/SK pairs.
    pub credentials: Vec<CredentialGrant>,
    /// Fault injection, off when `None`.
    pub faults: Option<Faults>,
}

impl EmulatorConfig {
    /// Adds the lines of a seed file: `stream PROJECT/ID[=STATUS]`,
    /// `token TOKEN=PROJECT[,...]`, `credential AK=SK[:PROJECT,...]`; blank
    /// lines and `#` comments are ignored. Errors name the file and line.
    pub fn add_seed(&mut self, name: &str, text: &str) -> Result<(), String> {
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = |e: String| format!("{name}:{}: {e}", index + 1);
            let (kind, value) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let value = value.trim();
            match kind {
                "stream" => self.streams.push(value.parse().map_err(at)?),
                "token" => self.tokens.push(value.parse().map_err(at)?),
                "credential" => self.credentials.push(value.parse().map_err(at)?),
                other => {
                    return Err(at(format!(
                        "unknown entry '{other}' (expected stream, token or credential)"
                    )));
                }
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
    #[arg(long = "token", value_name = "TOKEN=PROJECT[,PROJECT...]")]
    pub tokens: Vec<TokenGrant>,
    /// An AK/SK pair accepted for signed requests (repeatable); without
    /// projects it is allowed in every project.
    #[arg(long = "credential", value_name = "AK=SK[:PROJECT,...]")]
    pub credentials: Vec<CredentialGrant>,
    /// A seed file with `stream`, `token` and `credential` lines.
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
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

fn parse_rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("'{value}' is not a fraction between 0 and 1")),
    }
}

impl EmulatorArgs {
    /// Reads the TLS files, if HTTPS was asked for.
    pub fn tls_files(&self) -> Result<Option<crate::TlsFiles>, String> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        let read =
            |path: &PathBuf| std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()));
        Ok(Some(crate::TlsFiles {
            cert_pem: read(cert)?,
            key_pem: read(key)?,
        }))
    }

    /// Builds the configuration, reading the seed file if one was given.
    pub fn to_config(&self) -> Result<EmulatorConfig, String> {
        let mut config = EmulatorConfig {
            streams: self.streams.clone(),
            tokens: self.tokens.clone(),
            credentials: self.credentials.clone(),
            faults: (self.fault_rate > 0.0).then_some(Faults {
                rate: self.fault_rate,
                seed: self.fault_seed,
                delay: Duration::from_millis(self.fault_delay_ms),
            }),
        };
        if let Some(path) = &self.seed {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
            config.add_seed(&name, &text)?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Err("unknown status 'PAUSED' (expected CREATED, RUNNING, ERROR or STOPPED)".to_owned())
        );
        assert_eq!(
            "p1".parse::<StreamSeed>(),
            Err("'p1' is not PROJECT/ID[=STATUS]".to_owned())
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
            Err("a token grant is TOKEN=PROJECT[,PROJECT...]".to_owned())
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
        assert_eq!(
            config.add_seed("seed.txt", text),
            Err(
                "seed.txt:5: unknown entry 'bogus' (expected stream, token or credential)"
                    .to_owned()
            )
        );
        assert_eq!(config.streams.len(), 1);
        assert_eq!(config.tokens.len(), 1);
        assert_eq!(
            EmulatorConfig::default().add_seed("s", "stream nope"),
            Err("s:1: 'nope' is not PROJECT/ID[=STATUS]".to_owned())
        );
    }
}
