//! Canonical URI, query and header rules.

use eg_signer::{Credential, SignError, canonical_query, canonical_uri, sign};
use http::{HeaderMap, HeaderValue, Method, Uri, header};
use time::macros::datetime;

#[test]
fn uri_encoding() {
    assert_eq!(canonical_uri("/v1/a b"), "/v1/a%20b/");
    assert_eq!(canonical_uri("/v1/a%20b"), "/v1/a%20b/");
    assert_eq!(canonical_uri("/v1/é"), "/v1/%C3%A9/");
    assert_eq!(canonical_uri("/v1/%C3%A9"), "/v1/%C3%A9/");
    assert_eq!(canonical_uri("/v1/a+b"), "/v1/a%2Bb/");
    assert_eq!(canonical_uri("/v1/a~b-c_d.e"), "/v1/a~b-c_d.e/");
    assert_eq!(canonical_uri("/v1/%7E"), "/v1/~/");
    assert_eq!(canonical_uri("/v1/a:b@c!"), "/v1/a%3Ab%40c%21/");
}

#[test]
fn encoded_slash_splits_like_the_official_signer() {
    // Python unquotes the whole path, then splits on '/': `a%2Fb` becomes two segments.
    assert_eq!(canonical_uri("/v1/a%2Fb"), "/v1/a/b/");
    assert_eq!(canonical_uri("/v1/a%2fb"), canonical_uri("/v1/a/b"));
}

#[test]
fn percent_encoded_input_is_decoded_once() {
    // `%2520` is an encoded "%20": decoded once to "%20", whose '%' is re-encoded.
    assert_eq!(canonical_uri("/v1/a%2520b"), "/v1/a%2520b/");
    assert_eq!(canonical_uri("/v1/100%25"), "/v1/100%25/");
    // Invalid escapes and invalid UTF-8 behave like Python's unquote.
    assert_eq!(canonical_uri("/v1/%zz"), "/v1/%25zz/");
    assert_eq!(canonical_uri("/v1/%FF"), "/v1/%EF%BF%BD/");
}

#[test]
fn trailing_slash_and_root() {
    assert_eq!(canonical_uri(""), "/");
    assert_eq!(canonical_uri("/"), "/");
    assert_eq!(canonical_uri("/v1/x/"), "/v1/x/");
    assert_eq!(canonical_uri("//v1//x"), "//v1//x/");
}

#[test]
fn query_encoding_and_order() {
    assert_eq!(canonical_query(None), "");
    assert_eq!(canonical_query(Some("")), "");
    assert_eq!(canonical_query(Some("b=2&a=1")), "a=1&b=2");
    assert_eq!(canonical_query(Some("k=3&a=x&k=1&k=2")), "a=x&k=1&k=2&k=3");
    assert_eq!(canonical_query(Some("q=a%20b&r=a+b")), "q=a%20b&r=a%20b");
    assert_eq!(canonical_query(Some("plus=a%2Bb")), "plus=a%2Bb");
    assert_eq!(canonical_query(Some("n=%C3%A9&t=~")), "n=%C3%A9&t=~");
    assert_eq!(canonical_query(Some("flag&e=&&x=1")), "e=&flag=&x=1");
    assert_eq!(canonical_query(Some("s=a%2Fb%3D")), "s=a%2Fb%3D");
    // Sorted on decoded text, like the official signer ("%41" is "A" < "B").
    assert_eq!(canonical_query(Some("B=1&%41=2")), "A=2&B=1");
}

fn signed(headers: &mut HeaderMap, credential: &Credential, project: Option<&str>) -> String {
    sign(
        credential,
        &Method::GET,
        &"http://127.0.0.1:8080/v1/x".parse::<Uri>().expect("URI"),
        headers,
        b"",
        project,
        datetime!(2024-01-02 03:04:05 UTC),
    )
    .expect("signable");
    let auth = headers[header::AUTHORIZATION].to_str().expect("ASCII");
    let start = auth.find("SignedHeaders=").expect("listed") + "SignedHeaders=".len();
    auth[start..auth[start..].find(',').expect("comma") + start].to_owned()
}

#[test]
fn underscore_headers_are_not_signed() {
    let mut headers = HeaderMap::new();
    headers.insert("x_custom", HeaderValue::from_static("skip"));
    headers.insert("X-Custom", HeaderValue::from_static("keep"));
    assert_eq!(
        signed(&mut headers, &Credential::new("AK", "SK"), None),
        "host;x-custom;x-sdk-date"
    );
}

#[test]
fn token_and_project_id_are_sent_and_signed() {
    let mut headers = HeaderMap::new();
    let credential = Credential::new("AK", "SK").with_security_token("TOKEN");
    assert_eq!(
        signed(&mut headers, &credential, Some("proj")),
        "host;x-project-id;x-sdk-date;x-security-token"
    );
    assert_eq!(headers["x-security-token"], "TOKEN");
    assert_eq!(headers["x-project-id"], "proj");
}

#[test]
fn values_are_trimmed_and_explicit_host_wins() {
    let credential = Credential::new("AK", "SK");
    let mut padded = HeaderMap::new();
    padded.insert("x-a", HeaderValue::from_static("  v  "));
    let mut plain = HeaderMap::new();
    plain.insert("x-a", HeaderValue::from_static("v"));
    plain.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
    assert_eq!(
        signed(&mut padded, &credential, None),
        "host;x-a;x-sdk-date"
    );
    assert_eq!(signed(&mut plain, &credential, None), "host;x-a;x-sdk-date");
    assert_eq!(padded[header::AUTHORIZATION], plain[header::AUTHORIZATION]);
}

#[test]
fn sign_errors() {
    let credential = Credential::new("AK", "SK");
    let now = datetime!(2024-01-02 03:04:05 UTC);
    let no_host: Uri = "/v1/x".parse().expect("URI");
    assert_eq!(
        sign(
            &credential,
            &Method::GET,
            &no_host,
            &mut HeaderMap::new(),
            b"",
            None,
            now
        ),
        Err(SignError::MissingHost)
    );
    let uri: Uri = "https://h/v1".parse().expect("URI");
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-bin",
        HeaderValue::from_bytes(b"caf\xc3\xa9").expect("opaque bytes"),
    );
    assert_eq!(
        sign(
            &credential,
            &Method::GET,
            &uri,
            &mut headers,
            b"",
            None,
            now
        ),
        Err(SignError::InvalidHeaderValue("x-bin".into()))
    );
    assert_eq!(
        sign(
            &credential,
            &Method::GET,
            &uri,
            &mut HeaderMap::new(),
            b"",
            Some("a\nb"),
            now
        ),
        Err(SignError::InvalidHeaderValue("x-project-id".into()))
    );
}
