//! The seed's text form: a stream, token or credential as a flag or a
//! seed-file line writes it.

use std::{path::PathBuf, str::FromStr};

use eg_signer::SecretKey;

use crate::{
    config::{CredentialGrant, EmulatorConfig, StreamSeed, TokenGrant},
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
