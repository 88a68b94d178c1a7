//! What one call sends: the request the generated operation describes,
//! assembled on the parts [`ClientState`] prepared once.
//!
//! The request is the one progenitor's generated method would send (the
//! conformance tests hold the two side by side on the wire), with three
//! differences that the spec cannot express:
//!
//! - path segments and query values are encoded strictly: everything but
//!   RFC 3986 unreserved characters is escaped, where progenitor leaves `\`,
//!   which URL parsers read as `/`;
//! - no `api-version` header, which progenitor adds from `info.version`;
//! - a `User-Agent`, and with an access key an SDK-HMAC-SHA256 signature
//!   over the final request, every header and query parameter included.
//!
//! Built here rather than by progenitor's method, a call parses no whole
//! URL (only the path and query set on the base URL parsed once), no
//! response twice, and no URI per attempt; that was most of what the client
//! cost beyond a bare reqwest call.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{
    Method, Url,
    header::{HeaderName, HeaderValue},
};

use crate::{Client, Credentials, Error, state::ClientState};

/// Everything but RFC 3986 unreserved characters is escaped, so no value
/// can add a segment, a query or a fragment (`/`, `\`, `?`, `#`, `%`, `&`).
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The longest URI the HTTP stack (crate `http`) can carry; a longer
/// request URL is refused before anything is sent.
pub(crate) const MAX_URL: usize = u16::MAX as usize - 1;

/// One value, escaped as [`STRICT`] says.
pub(crate) fn encode_strict(value: &str) -> String {
    utf8_percent_encode(value, STRICT).to_string()
}

/// A request being assembled by a generated operation: path, query,
/// headers and body, each checked as it is added. Sent with
/// [`Call::send_json`] or [`Call::send_empty`], or shown with
/// [`Call::dry_run`].
#[derive(Debug)]
pub struct Call<'a> {
    pub(crate) state: &'a ClientState,
    method: Method,
    path: String,
    query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<bytes::Bytes>,
    /// The argument that takes most of the URL, named when it is too long.
    longest: (&'static str, usize),
}

/// A call ready to send: every attempt is made of these.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    pub(crate) state: &'a ClientState,
    method: Method,
    url: Url,
    /// The URL as the signer reads it, parsed once per call (AK/SK only).
    uri: Option<http::Uri>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<bytes::Bytes>,
}

impl<'a> Call<'a> {
    /// A request of `method` for `client`; `capacity` is a hint for the
    /// path's length.
    pub fn new(client: &'a Client, method: Method, capacity: usize) -> Self {
        Self {
            state: &client.state,
            method,
            path: String::with_capacity(capacity + 64),
            query: String::new(),
            headers: Vec::new(),
            body: None,
            longest: ("", 0),
        }
    }

    /// Appends a literal piece of the path template.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// Appends the client's project id (escaped once, when the client was
    /// built).
    pub fn project_id(&mut self) {
        self.path.push_str(&self.state.project_segment);
    }

    /// Appends one path parameter as one segment, escaped. The dot segments
    /// `.` and `..`, which URL parsers resolve away, are refused.
    pub fn segment(&mut self, field: &'static str, value: &str) -> Result<(), Error> {
        if value == "." || value == ".." {
            return Err(Error::InvalidArgument {
                field,
                reason: format!(
                    "'{value}' is a dot segment and cannot name a resource in a URL path"
                ),
            });
        }
        let before = self.path.len();
        self.path.extend(utf8_percent_encode(value, STRICT));
        self.note_length(field, self.path.len() - before);
        Ok(())
    }

    /// Appends `name=value` to the query, both escaped.
    pub fn query(&mut self, name: &'static str, value: &str) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        let before = self.query.len();
        self.query.extend(utf8_percent_encode(name, STRICT));
        self.query.push('=');
        self.query.extend(utf8_percent_encode(value, STRICT));
        self.note_length(name, self.query.len() - before);
    }

    /// Adds a header; its value must be printable ASCII, as the signature
    /// requires of every header.
    pub fn header(
        &mut self,
        field: &'static str,
        name: HeaderName,
        value: &str,
    ) -> Result<(), Error> {
        let invalid = || Error::InvalidArgument {
            field,
            reason: "must be printable ASCII to be sent in a header".into(),
        };
        if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Err(invalid());
        }
        let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
        self.headers.push((name, value));
        Ok(())
    }

    /// Sets the JSON body.
    pub fn json<B: serde::Serialize>(&mut self, body: &B) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidArgument {
            field: "body",
            reason: e.to_string(),
        })?;
        self.body = Some(bytes.into());
        Ok(())
    }

    fn note_length(&mut self, field: &'static str, length: usize) {
        if length > self.longest.1 {
            self.longest = (field, length);
        }
    }

    /// The URL, checked against [`MAX_URL`], and with an access key the URI
    /// the signature is computed over.
    pub(crate) fn prepare(self) -> Result<Prepared<'a>, Error> {
        let query = match self.query.len() {
            0 => 0,
            n => n + 1,
        };
        let length = self.state.base_url.len() + self.path.len() + query;
        if length > MAX_URL {
            // Named by length only: echoing a 64 KiB URL helps no one.
            return Err(Error::InvalidArgument {
                field: self.longest.0,
                reason: format!(
                    "is {} bytes once escaped, which makes the request URL {length} bytes, over the {MAX_URL} an HTTP request can carry",
                    self.longest.1
                ),
            });
        }
        let mut url = self.state.base.clone();
        // Only the path and query are parsed again, and they are escaped.
        url.set_path(&self.path);
        if !self.query.is_empty() {
            url.set_query(Some(&self.query));
        }
        let uri = match &self.state.credentials {
            Credentials::AccessKey(_) => Some(
                url.as_str()
                    .parse::<http::Uri>()
                    .map_err(|e| Error::Signing(format!("request URL: {e}")))?,
            ),
            Credentials::Token(_) => None,
        };
        Ok(Prepared {
            state: self.state,
            method: self.method,
            url,
            uri,
            headers: self.headers,
            body: self.body,
        })
    }

    /// Builds and signs the request [`Call::send_json`] would send first,
    /// and sends nothing.
    pub fn dry_run(self) -> Result<crate::PreparedRequest, Error> {
        let request = self.prepare()?.attempt()?;
        Ok(crate::PreparedRequest::from_request(&request))
    }
}

impl Prepared<'_> {
    /// The request of one attempt, signed with its own `X-Sdk-Date` when
    /// the client has an access key.
    pub(crate) fn attempt(&self) -> Result<reqwest::Request, Error> {
        let state = self.state;
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        let headers = request.headers_mut();
        *headers = match self.body {
            Some(_) => state.headers.clone(),
            None => state.headers_without_body.clone(),
        };
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
        if let Some(body) = &self.body {
            *request.body_mut() = Some(body.clone().into());
        }
        let (Credentials::AccessKey(credential), Some(uri)) = (&state.credentials, &self.uri)
        else {
            return Ok(request);
        };
        let body = self.body.as_deref().unwrap_or_default();
        eg_signer::sign(
            credential,
            &self.method,
            uri,
            request.headers_mut(),
            body,
            Some(state.project_id.as_str()),
            time::OffsetDateTime::now_utc(),
        )
        .map_err(|e| Error::Signing(e.to_string()))?;
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(encode_strict("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_strict("../x"), "..%2Fx");
        assert_eq!(encode_strict("a\\b?c#d%e f"), "a%5Cb%3Fc%23d%25e%20f");
        assert_eq!(encode_strict("a&b=c+d"), "a%26b%3Dc%2Bd");
        assert_eq!(encode_strict("é"), "%C3%A9");
    }
}
