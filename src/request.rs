//! What one call sends: the request of the spec's operation, built from the
//! spec's generated types and the parts [`ClientState`] prepared once.
//!
//! The request is the one progenitor's generated method would send (a test
//! holds the two side by side on the wire), with three differences that the
//! spec cannot express:
//!
//! - the stream id is encoded strictly: everything but RFC 3986 unreserved
//!   characters is escaped, where progenitor leaves `\`, which URL parsers
//!   read as `/`;
//! - no `api-version` header, which progenitor adds from `info.version`;
//! - a `User-Agent`, and with an access key an SDK-HMAC-SHA256 signature
//!   over the final request.
//!
//! Built here rather than by the generated method, a call parses no whole
//! URL (only the path appended to a parsed one) and no response twice; that
//! was most of what the client cost beyond a bare reqwest call.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, Url};

use crate::{Credentials, Error, generated::types, state::ClientState};

/// Everything but RFC 3986 unreserved characters is escaped, so no id can
/// add a segment, a query or a fragment (`/`, `\`, `?`, `#`, `%`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment, escaped as [`SEGMENT`] says.
pub(crate) fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// The URL and body of one call; every attempt sends a fresh, freshly
/// signed request made of them.
#[derive(Debug)]
pub(crate) struct CallRequest {
    url: Url,
    body: bytes::Bytes,
}

impl CallRequest {
    pub(crate) fn new(
        state: &ClientState,
        eventstreaming_id: &types::ResumeEventStreamingEventstreamingId,
        operation: types::Operation,
    ) -> Result<Self, Error> {
        let mut url = state.operate_url.clone();
        let prefix = url.path();
        let mut path = String::with_capacity(prefix.len() + 3 * eventstreaming_id.len());
        path.push_str(prefix);
        path.extend(utf8_percent_encode(eventstreaming_id, SEGMENT));
        // Only the path is parsed again, and it is already escaped.
        url.set_path(&path);
        let body = serde_json::to_vec(&types::OperateEventStreamingRequest { operation }).map_err(
            |e| Error::InvalidArgument {
                field: "operation",
                reason: e.to_string(),
            },
        )?;
        Ok(Self {
            url,
            body: body.into(),
        })
    }

    /// The request of one attempt, signed with its own `X-Sdk-Date` when
    /// the client has an access key.
    pub(crate) fn attempt(&self, state: &ClientState) -> Result<reqwest::Request, Error> {
        let mut request = reqwest::Request::new(Method::POST, self.url.clone());
        *request.headers_mut() = state.headers.clone();
        *request.body_mut() = Some(self.body.clone().into());
        let Credentials::AccessKey(credential) = &state.credentials else {
            return Ok(request);
        };
        let uri: http::Uri = self
            .url
            .as_str()
            .parse()
            .map_err(|e| Error::Signing(format!("request URL: {e}")))?;
        eg_signer::sign(
            credential,
            &Method::POST,
            &uri,
            request.headers_mut(),
            &self.body,
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
        assert_eq!(encode_segment("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_segment("../x"), "..%2Fx");
        assert_eq!(encode_segment("a\\b?c#d%e f"), "a%5Cb%3Fc%23d%25e%20f");
        assert_eq!(encode_segment("é"), "%C3%A9");
    }
}
