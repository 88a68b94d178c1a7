//! The reference vector produced by the official Python signer, byte for byte.

use eg_signer::{
    Credential, SecretKey, body_sha256, canonical_request, sign, signature, string_to_sign,
};
use http::{HeaderMap, HeaderValue, Method, Uri, header};
use time::macros::datetime;

const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "ExampleSecretKey0000000000000000000000000";
const URL: &str = "https://eg.cn-north-4.myhuaweicloud.com/v1/0123456789abcdef0123456789abcdef/eventstreamings/operate/6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const BODY: &[u8] = br#"{"operation":"START"}"#;
const CANONICAL: &str = "POST
/v1/0123456789abcdef0123456789abcdef/eventstreamings/operate/6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b/

content-type:application/json
host:eg.cn-north-4.myhuaweicloud.com
x-sdk-date:20240102T030405Z

content-type;host;x-sdk-date
e1b8e7faf72bdc47b4fcdfe90f79c795ac84b3f26715b9e7f31153dd5c70e2be";
const STRING_TO_SIGN: &str = "SDK-HMAC-SHA256\n20240102T030405Z\n40ab431e17f82b8d6753602928ff075764f91b9b9c34834a53b7bb8f9a981f69";
const AUTHORIZATION: &str = "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;x-sdk-date, Signature=df0cfc842f8aac51b4c08225c578ef9bf595b12a0b18dcdb2922f1d4f0601b14";

#[test]
fn body_hash() {
    assert_eq!(
        body_sha256(BODY),
        "e1b8e7faf72bdc47b4fcdfe90f79c795ac84b3f26715b9e7f31153dd5c70e2be"
    );
    assert_eq!(
        body_sha256(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn pieces_match_reference() {
    let uri: Uri = URL.parse().expect("reference URL");
    let headers = [
        ("content-type", "application/json"),
        ("host", "eg.cn-north-4.myhuaweicloud.com"),
        ("x-sdk-date", "20240102T030405Z"),
    ]
    .map(|(n, v)| (n.to_owned(), v.to_owned()));
    let request = canonical_request("POST", uri.path(), uri.query(), &headers, BODY);
    assert_eq!(request, CANONICAL);
    let sts = string_to_sign("20240102T030405Z", &request);
    assert_eq!(sts, STRING_TO_SIGN);
    assert_eq!(
        signature(&SecretKey::new(SK), &sts),
        "df0cfc842f8aac51b4c08225c578ef9bf595b12a0b18dcdb2922f1d4f0601b14"
    );
}

#[test]
fn sign_produces_reference_authorization() {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let uri: Uri = URL.parse().expect("reference URL");
    sign(
        &Credential::new(AK, SK),
        &Method::POST,
        &uri,
        &mut headers,
        BODY,
        None,
        datetime!(2024-01-02 03:04:05 UTC),
    )
    .expect("signable");
    assert_eq!(headers["x-sdk-date"], "20240102T030405Z");
    assert_eq!(headers[header::AUTHORIZATION], AUTHORIZATION);
    assert_eq!(
        headers.len(),
        3,
        "no Host or other header added: {headers:?}"
    );
}

#[test]
fn sign_is_independent_of_caller_offset() {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // A stale Authorization from an earlier attempt must be replaced, not signed.
    headers.insert(header::AUTHORIZATION, HeaderValue::from_static("stale"));
    sign(
        &Credential::new(AK, SK),
        &Method::POST,
        &URL.parse().expect("reference URL"),
        &mut headers,
        BODY,
        None,
        datetime!(2024-01-02 11:04:05 +08:00),
    )
    .expect("signable");
    assert_eq!(headers[header::AUTHORIZATION], AUTHORIZATION);
}
