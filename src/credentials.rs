//! How requests prove who sends them, and where credentials come from.
//!
//! The chain follows Huawei's SDKs: what the program passes, then the
//! environment (`HUAWEICLOUD_SDK_AK`, `_SK`, `_PROJECT_ID`,
//! `_SECURITY_TOKEN`), then the profile file (`HUAWEICLOUD_SDK_CREDENTIALS_FILE`,
//! else `~/.huaweicloud/credentials`, section `[basic]`).

use std::{collections::HashMap, fmt, path::PathBuf};

pub use eg_signer::{Credential as AccessKeyCredential, SecretKey};

use crate::{ConfigError, Error, generated::types::AuthToken};

/// Environment variable names Huawei's SDKs read.
pub mod vars {
    /// Access key id.
    pub const AK: &str = "HUAWEICLOUD_SDK_AK";
    /// Secret access key.
    pub const SK: &str = "HUAWEICLOUD_SDK_SK";
    /// Project id.
    pub const PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
    /// Security token of temporary credentials.
    pub const SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
    /// Path of the profile file.
    pub const CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
}

/// An IAM user token, sent as `X-Auth-Token`. Checked against the spec's
/// length limits (1..=16384) when created; never shown by `Debug`.
#[derive(Clone)]
pub struct Token(pub(crate) AuthToken);

impl Token {
    /// Wraps a token, refusing one the spec does not allow.
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        AuthToken::try_from(token.into())
            .map(Self)
            .map_err(|e| Error::InvalidArgument {
                field: "X-Auth-Token",
                reason: e.to_string(),
            })
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The credentials a client authenticates with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credentials {
    /// An IAM user token (`X-Auth-Token`).
    Token(Token),
    /// An access key pair; requests are signed with SDK-HMAC-SHA256.
    AccessKey(AccessKeyCredential),
}

impl Credentials {
    /// Token credentials, checked against the spec.
    pub fn token(token: impl Into<String>) -> Result<Self, Error> {
        Token::new(token).map(Self::Token)
    }

    /// Permanent AK/SK credentials.
    pub fn access_key(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        Self::AccessKey(AccessKeyCredential::new(ak, SecretKey::new(sk)))
    }

    /// Temporary AK/SK credentials with their security token.
    pub fn temporary(
        ak: impl Into<String>,
        sk: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Self {
        Self::AccessKey(
            AccessKeyCredential::new(ak, SecretKey::new(sk)).with_security_token(security_token),
        )
    }
}

/// Where credentials were found.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// Passed by the program.
    Explicit,
    /// The `HUAWEICLOUD_SDK_*` environment variables.
    Environment,
    /// A profile file.
    ProfileFile(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Explicit => f.write_str("the program"),
            Source::Environment => f.write_str("the environment"),
            Source::ProfileFile(path) => write!(f, "profile file {}", path.display()),
        }
    }
}

/// A snapshot of environment variables, so that the chain can be tested
/// without touching the process environment.
#[derive(Clone, Default)]
pub struct Environment {
    vars: HashMap<String, String>,
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets: only names are shown.
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort();
        f.debug_struct("Environment")
            .field("names", &names)
            .finish()
    }
}

impl Environment {
    /// The variables of this process that the chain reads.
    pub fn from_process() -> Self {
        Self::from_pairs(std::env::vars().filter(|(name, _)| {
            name.starts_with("HUAWEICLOUD_SDK_") || name == "HOME" || name == "USERPROFILE"
        }))
    }

    /// Given variables, for tests and embedding.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value; empty counts as unset, as in Huawei's SDKs.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    fn profile_path(&self) -> Option<PathBuf> {
        if let Some(path) = self.get(vars::CREDENTIALS_FILE) {
            return Some(PathBuf::from(path));
        }
        let home = self.get("HOME").or_else(|| self.get("USERPROFILE"))?;
        Some(PathBuf::from(home).join(".huaweicloud").join("credentials"))
    }
}

/// Credentials and project id found by the chain.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Resolved {
    /// The credentials.
    pub credentials: Credentials,
    /// A project id from the same source, if it had one.
    pub project_id: Option<String>,
    /// Where they were found.
    pub source: Source,
}

/// Looks for AK/SK credentials in the environment, then in the profile file.
/// `Ok(None)` when neither has any; an error when a source is incomplete
/// (an AK without SK, say) or the profile file cannot be read.
pub fn from_chain(env: &Environment) -> Result<Option<Resolved>, ConfigError> {
    if let Some(resolved) = from_environment(env)? {
        return Ok(Some(resolved));
    }
    let Some(path) = env.profile_path() else {
        return Ok(None);
    };
    let explicit = env.get(vars::CREDENTIALS_FILE).is_some();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        // The default file is optional; a file named explicitly is not.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => return Ok(None),
        Err(source) => return Err(ConfigError::UnreadableProfile { path, source }),
    };
    from_profile(&path, &text)
}

fn from_environment(env: &Environment) -> Result<Option<Resolved>, ConfigError> {
    let (ak, sk) = (env.get(vars::AK), env.get(vars::SK));
    let (ak, sk) = match (ak, sk) {
        (None, None) => return Ok(None),
        (Some(ak), Some(sk)) => (ak, sk),
        (Some(_), None) => return Err(incomplete("the environment", vars::AK, vars::SK)),
        (None, Some(_)) => return Err(incomplete("the environment", vars::SK, vars::AK)),
    };
    Ok(Some(Resolved {
        credentials: access_key(ak, sk, env.get(vars::SECURITY_TOKEN)),
        project_id: env.get(vars::PROJECT_ID).map(str::to_owned),
        source: Source::Environment,
    }))
}

/// Reads the `[basic]` section of a profile file (`ak`, `sk`, `project_id`,
/// optional `security_token`).
fn from_profile(path: &std::path::Path, text: &str) -> Result<Option<Resolved>, ConfigError> {
    let where_ = format!("{} [basic]", path.display());
    let ini = ini::Ini::load_from_str(text).map_err(|e| ConfigError::InvalidProfile {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let Some(basic) = ini.section(Some("basic")) else {
        return Ok(None);
    };
    let get = |key: &str| basic.get(key).map(str::trim).filter(|v| !v.is_empty());
    let (ak, sk) = match (get("ak"), get("sk")) {
        (None, None) => return Ok(None),
        (Some(ak), Some(sk)) => (ak, sk),
        (Some(_), None) => return Err(incomplete(&where_, "ak", "sk")),
        (None, Some(_)) => return Err(incomplete(&where_, "sk", "ak")),
    };
    Ok(Some(Resolved {
        credentials: access_key(ak, sk, get("security_token")),
        project_id: get("project_id").map(str::to_owned),
        source: Source::ProfileFile(path.to_owned()),
    }))
}

fn access_key(ak: &str, sk: &str, security_token: Option<&str>) -> Credentials {
    match security_token {
        Some(token) => Credentials::temporary(ak, sk, token),
        None => Credentials::access_key(ak, sk),
    }
}

fn incomplete(source: &str, present: &str, missing: &str) -> ConfigError {
    ConfigError::IncompleteCredentials {
        source_name: source.to_owned(),
        present: present.to_owned(),
        missing: missing.to_owned(),
    }
}
