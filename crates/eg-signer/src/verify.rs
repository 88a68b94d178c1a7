//! The gateway side: parsing an `Authorization` header and verifying a
//! request's signature against the secret of the access key it names.

use http::{HeaderMap, Method, Uri, header};
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::SecretKey;
use crate::canonical::{
    canonical_request, header_value, mac, parse_date, string_to_sign, uri_host,
};
use crate::{ALGORITHM, DATE_HEADER, SECURITY_TOKEN_HEADER};

/// Why an incoming request failed verification. Messages never contain a secret
/// or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No `Authorization` header.
    #[error("missing Authorization header")]
    MissingAuthorization,
    /// The `Authorization` header does not have the expected shape.
    #[error("malformed Authorization header: {0}")]
    MalformedAuthorization(String),
    /// The `Authorization` header names another algorithm.
    #[error("unsupported Authorization algorithm `{0}` (expected {ALGORITHM})")]
    UnsupportedAlgorithm(String),
    /// No `X-Sdk-Date` header.
    #[error("missing X-Sdk-Date header")]
    MissingDate,
    /// `X-Sdk-Date` is not `YYYYMMDDTHHMMSSZ`.
    #[error("malformed X-Sdk-Date `{0}` (expected YYYYMMDDTHHMMSSZ)")]
    MalformedDate(String),
    /// `X-Sdk-Date` is too far from the verifier's clock.
    #[error(
        "X-Sdk-Date {date} is {skew_seconds} s away from the server clock, beyond the allowed skew"
    )]
    DateOutOfRange {
        /// The date as received.
        date: String,
        /// Request date minus server time, in seconds (positive: in the future).
        skew_seconds: i64,
    },
    /// The access key is not known to the verifier.
    #[error("unknown access key `{0}`")]
    UnknownAccessKey(String),
    /// A header listed in `SignedHeaders` is absent from the request.
    #[error("header `{0}` is listed in SignedHeaders but absent from the request")]
    MissingSignedHeader(String),
    /// `SignedHeaders` leaves out `host` or `x-sdk-date`, so the request
    /// could be replayed against another host or at another time.
    #[error("SignedHeaders must include `{0}`")]
    UnsignedHeader(&'static str),
    /// The signature does not match the request.
    #[error("signature mismatch: the request was altered or signed with another secret key")]
    SignatureMismatch,
}

/// A successfully verified request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The access key that signed the request.
    pub access_key: String,
    /// `X-Security-Token`, when it is among the signed headers.
    pub security_token: Option<String>,
    /// The signed header names, as listed in the request.
    pub signed_headers: Vec<String>,
}

/// The parts of an `Authorization: SDK-HMAC-SHA256 ...` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The `Access` key id.
    pub access_key: String,
    /// The `SignedHeaders` names, lower-cased, in the order given.
    pub signed_headers: Vec<String>,
    signature: Vec<u8>,
}

/// Parses an `Authorization` value, as [`verify`] does first; lets a gateway
/// see which access key a request claims before verifying it.
pub fn parse_authorization(value: &str) -> Result<Authorization, VerifyError> {
    let malformed = |why: &str| VerifyError::MalformedAuthorization(why.to_owned());
    let Some((algorithm, params)) = value.trim().split_once(' ') else {
        return Err(malformed(
            "expected `SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`",
        ));
    };
    if algorithm != ALGORITHM {
        return Err(VerifyError::UnsupportedAlgorithm(algorithm.to_owned()));
    }
    let (mut access_key, mut signed_headers, mut signature) = (None, None, None);
    for param in params.split(',') {
        let (key, val) = param
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed("parameter without `=`"))?;
        match key {
            "Access" => access_key = Some(val),
            "SignedHeaders" => signed_headers = Some(val),
            "Signature" => signature = Some(val),
            _ => {}
        }
    }
    let access_key = access_key
        .filter(|ak| !ak.is_empty())
        .ok_or_else(|| malformed("missing Access"))?;
    let signed_headers: Vec<String> = signed_headers
        .ok_or_else(|| malformed("missing SignedHeaders"))?
        .split(';')
        .map(str::to_ascii_lowercase)
        .collect();
    if signed_headers.iter().any(String::is_empty) {
        return Err(malformed("empty name in SignedHeaders"));
    }
    let signature = signature.ok_or_else(|| malformed("missing Signature"))?;
    let signature = hex::decode(signature)
        .ok()
        .filter(|s| s.len() == 32)
        .ok_or_else(|| malformed("Signature is not 64 hex digits"))?;
    Ok(Authorization {
        access_key: access_key.to_owned(),
        signed_headers,
        signature,
    })
}

/// Verifies an incoming request as Huawei's gateway would.
///
/// `uri` is the request target as received (path and query; an absolute URI is
/// fine). `host` is read from the `Host` header, falling back to the URI authority
/// (HTTP/2). The signed headers are those listed in the request's `SignedHeaders`,
/// so headers added after signing are ignored; the list must include `host` and
/// `x-sdk-date`. The date must be within `max_skew`
/// of `now` in either direction.
pub fn verify(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    now: OffsetDateTime,
    max_skew: std::time::Duration,
    secret_for: impl Fn(&str) -> Option<SecretKey>,
) -> Result<Verified, VerifyError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .ok_or(VerifyError::MissingAuthorization)?
        .to_str()
        .map_err(|_| VerifyError::MalformedAuthorization("not visible ASCII".to_owned()))?;
    let auth = parse_authorization(authorization)?;
    // Unsigned, the host or date could be changed and the request replayed.
    for required in ["host", DATE_HEADER] {
        if !auth.signed_headers.iter().any(|name| name == required) {
            return Err(VerifyError::UnsignedHeader(required));
        }
    }

    let date = header_value(headers, DATE_HEADER).ok_or(VerifyError::MissingDate)?;
    let at = parse_date(&date).ok_or_else(|| VerifyError::MalformedDate(date.clone()))?;
    let skew = at - now;
    if skew.unsigned_abs() > max_skew {
        return Err(VerifyError::DateOutOfRange {
            date,
            skew_seconds: skew.whole_seconds(),
        });
    }

    let secret_key = secret_for(&auth.access_key)
        .ok_or_else(|| VerifyError::UnknownAccessKey(auth.access_key.clone()))?;

    let signed = auth
        .signed_headers
        .iter()
        .map(|name| {
            let value = match header_value(headers, name) {
                None if name == "host" => uri_host(uri),
                value => value,
            };
            value
                .map(|v| (name.clone(), v))
                .ok_or_else(|| VerifyError::MissingSignedHeader(name.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;

    let request = canonical_request(method.as_str(), uri.path(), uri.query(), &signed, body);
    let expected = mac(&secret_key, &string_to_sign(&date, &request));
    if !bool::from(expected.ct_eq(&auth.signature)) {
        return Err(VerifyError::SignatureMismatch);
    }
    let security_token = signed
        .into_iter()
        .find(|(name, _)| name == SECURITY_TOKEN_HEADER)
        .map(|(_, value)| value);
    Ok(Verified {
        access_key: auth.access_key,
        security_token,
        signed_headers: auth.signed_headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_parsing() {
        let sig = "ab".repeat(32);
        let ok = parse_authorization(&format!(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature={sig}"
        ))
        .expect("well-formed");
        assert_eq!(ok.access_key, "AK");
        assert_eq!(ok.signed_headers, ["host", "x-sdk-date"]);
        assert_eq!(ok.signature, vec![0xab; 32]);

        let err = |v: &str| parse_authorization(v).err().map(|e| e.to_string());
        assert_eq!(
            err("Bearer abc").as_deref(),
            Some("unsupported Authorization algorithm `Bearer` (expected SDK-HMAC-SHA256)")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256 SignedHeaders=host, Signature=00").as_deref(),
            Some("malformed Authorization header: missing Access")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=zz").as_deref(),
            Some("malformed Authorization header: Signature is not 64 hex digits")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=00").as_deref(),
            Some("malformed Authorization header: empty name in SignedHeaders")
        );
        assert_eq!(
            err("SDK-HMAC-SHA256").as_deref(),
            Some(
                "malformed Authorization header: expected `SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`"
            )
        );
    }
}
