//! The emulator's command-line flags, as both of its binaries take them.

use std::{
    fmt, net::SocketAddr, num::NonZeroU32, path::PathBuf, str::FromStr, sync::Arc, time::Duration,
};

use crate::{
    clock::SystemClock,
    config::{CredentialGrant, EmulatorConfig, Faults, Limits, Lockout, StreamSeed, TokenGrant},
    seed::{ConfigError, ParseError},
};

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
            operations: eg_client::spec::OPERATIONS,
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
}
