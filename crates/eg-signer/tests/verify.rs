//! sign() then verify(), and every tampering rejected with the exact error.

use std::time::Duration;

use eg_signer::{Credential, SecretKey, Verified, VerifyError, sign, verify};
use http::{HeaderMap, HeaderValue, Method, Uri, header};
use time::OffsetDateTime;
use time::macros::datetime;

const NOW: OffsetDateTime = datetime!(2024-01-02 03:04:05 UTC);
const SKEW: Duration = Duration::from_secs(15 * 60);
const URL: &str = "http://127.0.0.1:8080/v1/proj/eventstreamings/operate/es-1?x=1&y=2";
const BODY: &[u8] = br#"{"operation":"START"}"#;

/// A request as the emulator receives it: origin-form target plus headers.
struct Request {
    method: Method,
    target: Uri,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn signed_at(credential: &Credential, at: OffsetDateTime) -> Request {
    let uri: Uri = URL.parse().expect("URI");
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        header::USER_AGENT,
        HeaderValue::from_static("eg-client/0.1"),
    );
    sign(
        credential,
        &Method::POST,
        &uri,
        &mut headers,
        BODY,
        Some("proj"),
        at,
    )
    .expect("signable");
    // What the HTTP stack adds on the wire, unsigned.
    headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
    headers.insert(header::ACCEPT, HeaderValue::from_static("*/*"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(BODY.len()));
    let target = uri
        .path_and_query()
        .expect("path")
        .as_str()
        .parse()
        .expect("target");
    Request {
        method: Method::POST,
        target,
        headers,
        body: BODY.to_vec(),
    }
}

fn signed() -> Request {
    signed_at(&Credential::new("AK1", "SK1"), NOW)
}

fn check(r: &Request) -> Result<Verified, VerifyError> {
    verify(&r.method, &r.target, &r.headers, &r.body, NOW, SKEW, |ak| {
        (ak == "AK1").then(|| SecretKey::new("SK1"))
    })
}

#[test]
fn round_trip_with_unsigned_extra_headers() {
    assert_eq!(
        check(&signed()),
        Ok(Verified {
            access_key: "AK1".into(),
            security_token: None,
            signed_headers: [
                "content-type",
                "host",
                "user-agent",
                "x-project-id",
                "x-sdk-date"
            ]
            .map(String::from)
            .to_vec(),
        })
    );
}

#[test]
fn round_trip_with_security_token() {
    let credential = Credential::new("AK1", "SK1").with_security_token("TOKEN");
    let verified = check(&signed_at(&credential, NOW)).expect("valid");
    assert_eq!(verified.security_token.as_deref(), Some("TOKEN"));
    assert!(
        verified
            .signed_headers
            .contains(&"x-security-token".to_owned())
    );
}

#[test]
fn host_from_absolute_uri_when_no_host_header() {
    // HTTP/2: no Host header, the authority is in the URI.
    let mut r = signed();
    r.headers.remove(header::HOST);
    r.target = URL.parse().expect("URI");
    assert!(check(&r).is_ok());
    r.target = "/v1/proj/eventstreamings/operate/es-1?x=1&y=2"
        .parse()
        .expect("target");
    assert_eq!(
        check(&r),
        Err(VerifyError::MissingSignedHeader("host".into()))
    );
}

#[test]
fn date_within_skew_is_accepted() {
    let credential = Credential::new("AK1", "SK1");
    assert!(check(&signed_at(&credential, NOW + SKEW)).is_ok());
    assert!(check(&signed_at(&credential, NOW - SKEW)).is_ok());
}

#[test]
fn wrong_secret_key() {
    assert_eq!(
        check(&signed_at(&Credential::new("AK1", "other"), NOW)),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn unknown_access_key() {
    assert_eq!(
        check(&signed_at(&Credential::new("AK2", "SK1"), NOW)),
        Err(VerifyError::UnknownAccessKey("AK2".into()))
    );
}

#[test]
fn changed_body() {
    let mut r = signed();
    r.body = br#"{"operation":"PAUSE"}"#.to_vec();
    assert_eq!(check(&r), Err(VerifyError::SignatureMismatch));
}

#[test]
fn changed_path() {
    let mut r = signed();
    r.target = "/v1/proj/eventstreamings/operate/es-2?x=1&y=2"
        .parse()
        .expect("target");
    assert_eq!(check(&r), Err(VerifyError::SignatureMismatch));
}

#[test]
fn changed_query() {
    let mut r = signed();
    r.target = "/v1/proj/eventstreamings/operate/es-1?x=1&y=3"
        .parse()
        .expect("target");
    assert_eq!(check(&r), Err(VerifyError::SignatureMismatch));
    r.target = "/v1/proj/eventstreamings/operate/es-1?x=1"
        .parse()
        .expect("target");
    assert_eq!(check(&r), Err(VerifyError::SignatureMismatch));
}

#[test]
fn reordered_query_still_verifies() {
    let mut r = signed();
    r.target = "/v1/proj/eventstreamings/operate/es-1?y=2&x=1"
        .parse()
        .expect("target");
    assert!(check(&r).is_ok());
}

#[test]
fn changed_signed_header() {
    let mut r = signed();
    r.headers
        .insert("x-project-id", HeaderValue::from_static("other"));
    assert_eq!(check(&r), Err(VerifyError::SignatureMismatch));
    let mut r = signed();
    r.headers
        .insert(header::HOST, HeaderValue::from_static("127.0.0.1:9090"));
    assert_eq!(check(&r), Err(VerifyError::SignatureMismatch));
}

#[test]
fn removed_signed_header() {
    let mut r = signed();
    r.headers.remove(header::USER_AGENT);
    assert_eq!(
        check(&r),
        Err(VerifyError::MissingSignedHeader("user-agent".into()))
    );
    // A name that cannot even be a header is simply absent.
    let mut r = signed();
    let auth = r.headers[header::AUTHORIZATION].to_str().expect("ASCII");
    let auth = auth.replace("SignedHeaders=", "SignedHeaders=bad name;");
    r.headers
        .insert(header::AUTHORIZATION, auth.parse().expect("ASCII"));
    assert_eq!(
        check(&r),
        Err(VerifyError::MissingSignedHeader("bad name".into()))
    );
}

#[test]
fn removed_date() {
    let mut r = signed();
    r.headers.remove("x-sdk-date");
    assert_eq!(check(&r), Err(VerifyError::MissingDate));
}

#[test]
fn malformed_date() {
    let mut r = signed();
    r.headers.insert(
        "x-sdk-date",
        HeaderValue::from_static("2024-01-02T03:04:05Z"),
    );
    assert_eq!(
        check(&r),
        Err(VerifyError::MalformedDate("2024-01-02T03:04:05Z".into()))
    );
}

#[test]
fn date_sixteen_minutes_off() {
    let credential = Credential::new("AK1", "SK1");
    let off = Duration::from_secs(16 * 60);
    assert_eq!(
        check(&signed_at(&credential, NOW + off)),
        Err(VerifyError::DateOutOfRange {
            date: "20240102T032005Z".into(),
            skew_seconds: 960
        })
    );
    assert_eq!(
        check(&signed_at(&credential, NOW - off)),
        Err(VerifyError::DateOutOfRange {
            date: "20240102T024805Z".into(),
            skew_seconds: -960
        })
    );
}

#[test]
fn missing_or_malformed_authorization() {
    let mut r = signed();
    let auth = r.headers[header::AUTHORIZATION]
        .to_str()
        .expect("ASCII")
        .to_owned();

    r.headers
        .insert(header::AUTHORIZATION, HeaderValue::from_static("garbage"));
    assert!(matches!(
        check(&r),
        Err(VerifyError::MalformedAuthorization(_))
    ));

    let no_sig = auth
        .split(", Signature=")
        .next()
        .expect("prefix")
        .to_owned();
    r.headers
        .insert(header::AUTHORIZATION, no_sig.parse().expect("ASCII"));
    assert_eq!(
        check(&r),
        Err(VerifyError::MalformedAuthorization(
            "missing Signature".into()
        ))
    );

    let other = auth.replacen("SDK-HMAC-SHA256", "SDK-HMAC-SHA1", 1);
    r.headers
        .insert(header::AUTHORIZATION, other.parse().expect("ASCII"));
    assert_eq!(
        check(&r),
        Err(VerifyError::UnsupportedAlgorithm("SDK-HMAC-SHA1".into()))
    );

    r.headers.remove(header::AUTHORIZATION);
    assert_eq!(check(&r), Err(VerifyError::MissingAuthorization));
}

#[test]
fn error_messages_never_leak_secrets() {
    let err = check(&signed_at(&Credential::new("AK1", "other"), NOW)).expect_err("mismatch");
    assert_eq!(
        err.to_string(),
        "signature mismatch: the request was altered or signed with another secret key"
    );
    let err = VerifyError::DateOutOfRange {
        date: "20240102T032005Z".into(),
        skew_seconds: 960,
    };
    assert_eq!(
        err.to_string(),
        "X-Sdk-Date 20240102T032005Z is 960 s away from the server clock, beyond the allowed skew"
    );
}

#[test]
fn debug_redacts_secrets() {
    let sk = SecretKey::new("SK-SECRET");
    assert_eq!(format!("{sk:?}"), "***");
    assert_eq!(sk.to_string(), "***");
    assert_eq!(sk.expose(), "SK-SECRET");
    let credential = Credential::new("AK1", sk.clone());
    assert_eq!(
        format!("{credential:?}"),
        r#"Credential { access_key: "AK1", secret_key: ***, security_token: None }"#
    );
    let credential = credential.with_security_token("TOKEN-SECRET");
    assert_eq!(
        format!("{credential:?}"),
        r#"Credential { access_key: "AK1", secret_key: ***, security_token: Some(***) }"#
    );
    assert!(
        !format!("{credential:#?}").contains("SECRET"),
        "pretty Debug leaks"
    );
}

/// Signs `POST /v1/proj/...` by hand over exactly `names`, as an attacker
/// who controls the signer would, and sends it with `Host: evil.example.com`.
fn signed_over(names: &[&str]) -> Request {
    let target: Uri = "/v1/proj/eventstreamings/operate/es-1"
        .parse()
        .expect("target");
    let mut headers = HeaderMap::new();
    headers.insert(header::HOST, HeaderValue::from_static("evil.example.com"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let date = eg_signer::format_date(NOW);
    headers.insert("x-sdk-date", HeaderValue::from_str(&date).expect("date"));
    let signed: Vec<(String, String)> = names
        .iter()
        .map(|&name| {
            let value = headers[name].to_str().expect("ascii").to_owned();
            (name.to_owned(), value)
        })
        .collect();
    let canonical =
        eg_signer::canonical_request("POST", target.path(), target.query(), &signed, BODY);
    let signature = eg_signer::signature(
        &SecretKey::new("SK1"),
        &eg_signer::string_to_sign(&date, &canonical),
    );
    let authorization = format!(
        "SDK-HMAC-SHA256 Access=AK1, SignedHeaders={}, Signature={signature}",
        names.join(";")
    );
    headers.insert(
        header::AUTHORIZATION,
        HeaderValue::from_str(&authorization).expect("ascii"),
    );
    Request {
        method: Method::POST,
        target,
        headers,
        body: BODY.to_vec(),
    }
}

#[test]
fn host_must_be_signed() {
    // Signed over x-sdk-date only: replayable against any host.
    assert_eq!(
        check(&signed_over(&["x-sdk-date"])),
        Err(VerifyError::UnsignedHeader("host"))
    );
    assert_eq!(
        VerifyError::UnsignedHeader("host").to_string(),
        "SignedHeaders must include `host`"
    );
    // The same request signed over host too is fine.
    assert_eq!(
        check(&signed_over(&["host", "x-sdk-date"])).map(|v| v.signed_headers),
        Ok(vec!["host".to_owned(), "x-sdk-date".to_owned()])
    );
}

#[test]
fn date_must_be_signed() {
    // Signed over content-type only: neither the date nor the host is bound.
    assert_eq!(
        check(&signed_over(&["content-type"])),
        Err(VerifyError::UnsignedHeader("host"))
    );
    assert_eq!(
        check(&signed_over(&["content-type", "host"])),
        Err(VerifyError::UnsignedHeader("x-sdk-date"))
    );
}
