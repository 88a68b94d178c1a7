//! The hand-written face of the generated client: configuration in one
//! place, then `operate`, `start` and `pause`.

use std::{fmt, sync::Arc, time::Duration};

use reqwest::header::{self, HeaderMap, HeaderValue};

use crate::{
    ConfigError, Credentials, Environment, Error, Response, RetryConfig,
    credentials::{self, Source},
    generated::types,
    region,
    request::encode_strict,
    state::ClientState,
};

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole request, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The `User-Agent` every request carries, before any suffix set with
/// [`ClientBuilder::user_agent_suffix`].
pub const USER_AGENT: &str = concat!("eg-client-rust/", env!("CARGO_PKG_VERSION"));

/// What the service answered to a successful START or PAUSE: the body
/// (`eventStreamingID`), the request id and the attempts.
pub type Operated = Response<types::OperateEventStreamingResponse>;

/// A client for one project. Cheap to clone: clones share one connection pool
/// and one configuration, and can be used from many tasks at once.
#[derive(Clone)]
pub struct Client {
    pub(crate) state: Arc<ClientState>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.state.base_url)
            .field("project_id", &self.state.project_id.as_str())
            .field("credentials", &self.state.credentials)
            .field("retry", &self.state.retry)
            .finish()
    }
}

/// Builds a [`Client`]: an endpoint (or a region), a project id and
/// credentials are required; timeouts and retries have defaults.
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    project_id: Option<String>,
    credentials: Option<Credentials>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    root_certificates: Vec<Vec<u8>>,
    environment: Option<Environment>,
    user_agent_suffix: Option<String>,
}

impl ClientBuilder {
    /// Uses the EG endpoint of a region from [`region::REGIONS`].
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Uses an explicit endpoint such as `https://eg.cn-north-4.myhuaweicloud.com`
    /// or `http://127.0.0.1:8080`; it wins over [`ClientBuilder::region`].
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The project (tenant) the event streams belong to.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// The environment the credential chain and endpoint overrides read
    /// (default: this process's). Useful for tests and for embedding.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }

    /// How requests authenticate. Without it, `build` looks for AK/SK in the
    /// environment, then in the profile file (see [`credentials`]).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Time allowed to open a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Time allowed for one attempt, response body included (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy (default: [`RetryConfig::default`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Trusts one more root certificate (PEM), for a private endpoint or a
    /// local emulator served over TLS.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// Appends `suffix` to the `User-Agent` header, after a space:
    /// `eg-client-rust/<version> <suffix>`, e.g. `my-tool/1.2`. Like every
    /// header, it is covered by the AK/SK signature.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let env = self.environment.unwrap_or_else(Environment::from_process);
        let base_url = match (self.endpoint, self.region) {
            (Some(endpoint), _) => parse_endpoint(&endpoint)?,
            (None, Some(id)) => region_endpoint(&env, &id)?,
            (None, None) => return Err(ConfigError::NoEndpoint.into()),
        };
        let (credentials, chain_project, credentials_source) = match self.credentials {
            Some(credentials) => (credentials, None, Source::Explicit),
            None => match credentials::from_chain(&env)? {
                Some(found) => (found.credentials, found.project_id, found.source),
                None => return Err(ConfigError::NoCredentials.into()),
            },
        };
        let project_id: types::ProjectId = self
            .project_id
            .or(chain_project)
            .or_else(|| env.get(credentials::vars::PROJECT_ID).map(str::to_owned))
            .ok_or(Error::Config(ConfigError::NoProjectId))
            .and_then(|id| validated_id("project_id", id))?;
        check_header_values(&credentials, &project_id)?;
        let user_agent = match self.user_agent_suffix {
            None => HeaderValue::from_static(USER_AGENT),
            Some(suffix) => format!("{USER_AGENT} {suffix}")
                .parse()
                .ok()
                .filter(|_| suffix.bytes().all(|b| (0x20..0x7f).contains(&b)))
                .ok_or(ConfigError::InvalidUserAgent(suffix))?,
        };
        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .redirect(reqwest::redirect::Policy::none());
        for (index, pem) in self.root_certificates.iter().enumerate() {
            // reqwest accepts text without any certificate silently: count them.
            let invalid = |reason: String| ConfigError::InvalidRootCertificate {
                index: index + 1,
                reason,
            };
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| invalid(format!("not valid PEM: {e}")))?;
            if certificates.is_empty() {
                return Err(invalid("no PEM certificate found".into()).into());
            }
            for certificate in certificates {
                http = http.add_root_certificate(certificate);
            }
        }
        let http = http.build().map_err(ConfigError::HttpClient)?;
        let base = reqwest::Url::parse(&base_url).map_err(|e| ConfigError::InvalidEndpoint {
            endpoint: base_url.clone(),
            reason: format!("cannot make request URLs: {e}"),
        })?;
        let headers = fixed_headers(&credentials, user_agent)?;
        let mut headers_without_body = headers.clone();
        headers_without_body.remove(header::CONTENT_TYPE);
        Ok(Client {
            state: Arc::new(ClientState {
                headers,
                headers_without_body,
                base_url,
                http,
                project_segment: encode_strict(&project_id),
                project_id: project_id.to_string(),
                base,
                credentials,
                credentials_source,
                retry: self.retry.unwrap_or_default(),
            }),
        })
    }
}

/// The headers every request carries, in the order the generated method
/// sends them, then `User-Agent`.
fn fixed_headers(credentials: &Credentials, user_agent: HeaderValue) -> Result<HeaderMap, Error> {
    const JSON: HeaderValue = HeaderValue::from_static("application/json");
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(header::ACCEPT, JSON);
    headers.insert(header::CONTENT_TYPE, JSON);
    if let Credentials::Token(token) = credentials {
        let mut value = HeaderValue::from_str(&token.0).map_err(|e| Error::InvalidArgument {
            field: "X-Auth-Token",
            reason: e.to_string(),
        })?;
        value.set_sensitive(true);
        headers.insert("x-auth-token", value);
    }
    headers.insert(header::USER_AGENT, user_agent);
    Ok(headers)
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The endpoint requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.state.base_url
    }

    /// The project this client operates in.
    pub fn project_id(&self) -> &str {
        self.state.project_id.as_str()
    }

    /// Where the client's credentials came from.
    pub fn credentials_source(&self) -> &Source {
        &self.state.credentials_source
    }

    /// Starts an event stream (`{"operation":"START"}`).
    pub async fn start(&self, eventstreaming_id: &str) -> Result<Operated, Error> {
        self.operate(eventstreaming_id, types::Operation::Start)
            .await
    }

    /// Pauses an event stream (`{"operation":"PAUSE"}`).
    pub async fn pause(&self, eventstreaming_id: &str) -> Result<Operated, Error> {
        self.operate(eventstreaming_id, types::Operation::Pause)
            .await
    }

    /// Sends `operation` for one event stream: the generated
    /// [`Client::resume_event_streaming`] with its two arguments.
    pub async fn operate(
        &self,
        eventstreaming_id: &str,
        operation: types::Operation,
    ) -> Result<Operated, Error> {
        self.resume_event_streaming()
            .eventstreaming_id(eventstreaming_id)
            .body_map(|b| b.operation(operation))
            .send()
            .await
    }

    /// Builds and signs the request `operate` would send, without sending it.
    pub async fn dry_run(
        &self,
        eventstreaming_id: &str,
        operation: types::Operation,
    ) -> Result<PreparedRequest, Error> {
        self.resume_event_streaming()
            .eventstreaming_id(eventstreaming_id)
            .body_map(|b| b.operation(operation))
            .dry_run()
    }
}

/// A request as it would go on the wire. `Display` prints it as HTTP text
/// with secrets (token, signature, security token) replaced by `***`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedRequest {
    /// `POST`.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Headers in sending order, secrets redacted. `Host` and
    /// `Content-Length` are added by the HTTP stack when sending.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl PreparedRequest {
    pub(crate) fn from_request(request: &reqwest::Request) -> Self {
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                (name.as_str().to_owned(), redact(name.as_str(), &value))
            })
            .collect();
        let body = request
            .body()
            .and_then(reqwest::Body::as_bytes)
            .unwrap_or_default();
        Self {
            method: request.method().to_string(),
            url: request.url().to_string(),
            headers,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }
}

fn redact(name: &str, value: &str) -> String {
    match name {
        "x-auth-token" | "x-security-token" => "***".to_owned(),
        "authorization" => match value.find("Signature=") {
            Some(at) => format!("{}Signature=***", &value[..at]),
            None => "***".to_owned(),
        },
        _ => value.to_owned(),
    }
}

impl fmt::Display for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method, self.url)?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        writeln!(f)?;
        writeln!(f, "{}", self.body)
    }
}

/// A region's endpoint: `HUAWEICLOUD_SDK_REGION_EG_<REGION>` if set, as in
/// Huawei's SDKs, else the built-in table.
fn region_endpoint(env: &Environment, id: &str) -> Result<String, Error> {
    if let Some(endpoint) = env.get(&region::endpoint_override_var(id)) {
        return parse_endpoint(endpoint);
    }
    match region::find(id) {
        Some(region) => Ok(region.endpoint.to_owned()),
        None => Err(ConfigError::UnknownRegion {
            region: id.to_owned(),
            known: region::REGIONS.iter().map(|r| r.id).collect(),
            override_var: region::endpoint_override_var(id),
        }
        .into()),
    }
}

/// Values that become headers must be visible ASCII; refusing them here
/// keeps signing infallible later.
fn check_header_values(credentials: &Credentials, project_id: &str) -> Result<(), Error> {
    let visible = |s: &str| !s.is_empty() && s.bytes().all(|b| (0x21..0x7f).contains(&b));
    let mut values = vec![("project_id", project_id)];
    match credentials {
        Credentials::Token(token) => values.push(("X-Auth-Token", token.0.as_str())),
        Credentials::AccessKey(key) => {
            values.push(("access key", key.access_key()));
            values.extend(key.security_token().map(|t| ("security token", t)));
        }
    }
    match values.into_iter().find(|(_, value)| !visible(value)) {
        Some((field, _)) => Err(Error::InvalidArgument {
            field,
            reason: "must be printable ASCII without spaces".into(),
        }),
        None => Ok(()),
    }
}

/// Validates an id against the spec's path parameter type and refuses the
/// dot segments that URL parsers resolve away (`.`, `..`, even encoded).
fn validated_id<T>(field: &'static str, id: String) -> Result<T, Error>
where
    T: TryFrom<String, Error = types::error::ConversionError>,
{
    if id == "." || id == ".." {
        return Err(Error::InvalidArgument {
            field,
            reason: format!("'{id}' is a dot segment and cannot name a resource in a URL path"),
        });
    }
    T::try_from(id).map_err(|e| Error::InvalidArgument {
        field,
        reason: e.to_string(),
    })
}

/// Accepts `http(s)://host[:port][/]`; anything after the authority would be
/// silently dropped when the client sets the request path, so it is refused.
fn parse_endpoint(endpoint: &str) -> Result<String, Error> {
    let bad = |why: &str| {
        Error::Config(ConfigError::InvalidEndpoint {
            endpoint: endpoint.to_owned(),
            reason: why.to_owned(),
        })
    };
    let url = reqwest::Url::parse(endpoint).map_err(|e| bad(&format!("is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must use http or https"));
    }
    if url.host_str().is_none() {
        return Err(bad("has no host"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a path, query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry user information"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_errors_are_typed() {
        let empty = || Client::builder().environment(Environment::default());
        assert!(matches!(
            empty().build(),
            Err(Error::Config(ConfigError::NoEndpoint))
        ));
        assert!(matches!(
            empty().region("cn-north-4").build(),
            Err(Error::Config(ConfigError::NoCredentials))
        ));
        let token = Credentials::token("t").expect("token");
        assert!(matches!(
            empty().region("cn-north-4").credentials(token).build(),
            Err(Error::Config(ConfigError::NoProjectId))
        ));
        let half = Client::builder()
            .environment(Environment::from_pairs([(credentials::vars::SK, "sk")]))
            .region("cn-north-4")
            .build();
        let Err(Error::Config(ConfigError::IncompleteCredentials {
            source_name,
            present,
            missing,
        })) = half
        else {
            panic!("expected incomplete credentials, got {half:?}")
        };
        assert_eq!(
            (source_name.as_str(), present.as_str(), missing.as_str()),
            (
                "the environment",
                credentials::vars::SK,
                credentials::vars::AK
            )
        );
    }

    #[test]
    fn endpoints() {
        assert_eq!(
            parse_endpoint("http://127.0.0.1:8080/").ok(),
            Some("http://127.0.0.1:8080".to_owned())
        );
        assert_eq!(
            parse_endpoint("https://eg.cn-north-4.myhuaweicloud.com").ok(),
            Some("https://eg.cn-north-4.myhuaweicloud.com".to_owned())
        );
        let err = |e: &str| parse_endpoint(e).err().map(|e| e.to_string());
        assert_eq!(
            err("ftp://x"),
            Some("configuration: endpoint 'ftp://x' must use http or https".to_owned())
        );
        assert_eq!(
            err("http://x/v1"),
            Some(
                "configuration: endpoint 'http://x/v1' must not have a path, query or fragment"
                    .to_owned()
            )
        );
        assert_eq!(
            err("nope"),
            Some(
                "configuration: endpoint 'nope' is not a URL: relative URL without a base"
                    .to_owned()
            )
        );
    }
}
