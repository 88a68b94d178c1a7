//! The generator's multi-operation fixture (`crates/eg-codegen/tests/
//! fixtures/multi.yaml`: a moved path, a new enum value, optional and
//! required body fields, an optional header and query parameters with
//! limits, a GET and a 204 DELETE) compiled over `eg_client::runtime` and
//! driven over loopback: for each operation, what reaches the wire, the
//! signature verifying, and the answer read. Also held against progenitor's
//! own method for the same fixture.

mod common;

use std::time::Duration;

use common::{Reply, Scripted, Seen};
use eg_client::{Client, Credentials, Error, RetryConfig};

#[allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
mod fixture {
    include!("../crates/eg-codegen/tests/golden/multi.rs");
}

use fixture::{Operations, types};

const PROJECT: &str = "p1";
const AK: &str = "AK1";
const SK: &str = "SK1";

fn client(server: &Scripted) -> Client {
    common::loopback_client(server.base_url(), PROJECT, Credentials::access_key(AK, SK))
        .retry(
            RetryConfig::default()
                .with_max_attempts(2)
                .with_base_delay(Duration::from_millis(1)),
        )
        .build()
        .expect("client")
}

fn verified(seen: &Seen) -> Vec<String> {
    eg_signer::verify(
        &seen.method,
        &seen.uri,
        &seen.headers,
        &seen.body,
        time::OffsetDateTime::now_utc(),
        Duration::from_secs(900),
        |ak| (ak == AK).then(|| eg_signer::SecretKey::new(SK)),
    )
    .expect("a valid signature")
    .signed_headers
}

#[tokio::test]
async fn post_on_the_moved_path_with_a_header_and_body_fields() {
    let server = Scripted::start(vec![Reply::new(
        200,
        r#"{"eventStreamingID":"s1","state":"RUNNING"}"#,
    )])
    .await;
    // The fixture's operations are called through their trait: an inherent
    // method of eg-client's own of the same name (today's operate, or any
    // the real spec gains) would win over method syntax.
    let client = client(&server);
    let response = Operations::resume_event_streaming(&client)
        .eventstreaming_id("s1")
        .x_language("en-us")
        .body_map(|b| b.operation(types::Operation::Restart).reason("nightly"))
        .send()
        .await
        .expect("200");
    assert_eq!((response.status(), response.attempts()), (200, 1));
    assert_eq!(response.state.as_deref(), Some("RUNNING"));
    assert_eq!(response.event_streaming_id.as_deref(), Some("s1"));
    let [seen] = <[Seen; 1]>::try_from(server.seen()).expect("one request");
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.uri.path(), "/v2/p1/eventstreamings/operate/s1");
    assert_eq!(seen.uri.query(), None);
    assert_eq!(seen.headers["x-language"], "en-us");
    // The unset optional field is absent, not null.
    assert_eq!(
        &seen.body[..],
        br#"{"operation":"RESTART","reason":"nightly"}"#
    );
    assert_eq!(
        verified(&seen),
        [
            "accept",
            "content-type",
            "host",
            "user-agent",
            "x-language",
            "x-project-id",
            "x-sdk-date"
        ]
    );
}

#[tokio::test]
async fn get_with_query_parameters_and_no_body() {
    let server = Scripted::start(vec![
        Reply::new(503, "busy"),
        Reply::new(
            200,
            r#"{"id":"s1","status":"RUNNING","created_at":"today"}"#,
        ),
    ])
    .await;
    let response = Operations::show_event_streaming(&client(&server))
        .eventstreaming_id("s 1")
        .limit(5u64)
        .name_prefix("a&b")
        .send()
        .await
        .expect("200 after a retry");
    assert_eq!(response.attempts(), 2);
    let body = response.into_inner();
    assert_eq!(
        (
            body.id.as_str(),
            body.status.as_str(),
            body.created_at.as_deref()
        ),
        ("s1", "RUNNING", Some("today"))
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for seen in &seen {
        assert_eq!(seen.method, "GET");
        assert_eq!(seen.uri.path(), "/v1/p1/eventstreamings/s%201");
        assert_eq!(seen.uri.query(), Some("limit=5&name_prefix=a%26b"));
        assert_eq!(seen.headers.get("content-type"), None);
        assert!(seen.body.is_empty());
        assert_eq!(
            verified(seen),
            ["accept", "host", "user-agent", "x-project-id", "x-sdk-date"]
        );
    }
    // Unset optional parameters are absent from the wire.
    let server = Scripted::start(vec![Reply::new(200, r#"{"id":"s1","status":"x"}"#)]).await;
    let body = Operations::show_event_streaming(&client(&server))
        .eventstreaming_id("s1")
        .send()
        .await
        .expect("200");
    assert_eq!(body.created_at, None);
    assert_eq!(server.seen()[0].uri.query(), None);
}

#[tokio::test]
async fn delete_answered_204_is_a_response_of_unit() {
    let server = Scripted::start(vec![Reply::new(204, "").header("x-request-id", "rid-204")]).await;
    let response = Operations::delete_event_streaming(&client(&server))
        .eventstreaming_id("s1")
        .send()
        .await
        .expect("204");
    assert_eq!(
        (
            response.status(),
            response.request_id(),
            response.attempts()
        ),
        (204, Some("rid-204"), 1)
    );
    let () = response.into_inner();
    let [seen] = <[Seen; 1]>::try_from(server.seen()).expect("one request");
    assert_eq!(
        (seen.method.as_str(), seen.uri.path()),
        ("DELETE", "/v1/p1/eventstreamings/s1")
    );
    verified(&seen);
    // An undocumented success status stays an invalid response.
    let server = Scripted::start(vec![Reply::new(200, "{}")]).await;
    let result = Operations::delete_event_streaming(&client(&server))
        .eventstreaming_id("s1")
        .send()
        .await;
    let Err(Error::InvalidResponse {
        status: 200,
        reason,
        ..
    }) = result
    else {
        panic!("expected an invalid response, got {result:?}")
    };
    assert_eq!(reason, "status 200 is not documented");
}

#[tokio::test]
async fn bad_arguments_are_refused_before_sending() {
    let server = Scripted::start(vec![]).await;
    let client = client(&server);
    let refused = |result: Result<_, Error>| match result {
        Err(e @ Error::InvalidArgument { .. }) => {
            assert_eq!(e.attempts(), None);
            e.to_string()
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    };
    let missing_field = Operations::resume_event_streaming(&client)
        .eventstreaming_id("s1")
        .body_map(|b| b.operation(types::Operation::Start))
        .send()
        .await
        .map(|_| ());
    assert_eq!(
        refused(missing_field),
        "invalid body: no value supplied for reason"
    );
    let short_reason = Operations::resume_event_streaming(&client)
        .eventstreaming_id("s1")
        .body_map(|b| b.operation("START").reason(""))
        .send()
        .await
        .map(|_| ());
    assert_eq!(
        refused(short_reason),
        "invalid body: error converting supplied value for reason: shorter than 1 characters"
    );
    let header = Operations::resume_event_streaming(&client)
        .eventstreaming_id("s1")
        .x_language("fr-fr")
        .body_map(|b| b.operation("PAUSE").reason("r"))
        .send()
        .await
        .map(|_| ());
    assert_eq!(refused(header), "invalid X-Language: invalid value");
    let limit = Operations::show_event_streaming(&client)
        .eventstreaming_id("s1")
        .limit(0u64)
        .send()
        .await
        .map(|_| ());
    assert!(refused(limit).starts_with("invalid limit: "));
    let unset = Operations::delete_event_streaming(&client)
        .send()
        .await
        .map(|_| ());
    assert_eq!(
        refused(unset),
        "invalid eventstreaming_id: is required and was not set"
    );
    assert!(server.seen().is_empty());
}

/// Each operation against progenitor's own method for the fixture: the
/// same method, path, query and body on the wire.
#[tokio::test]
async fn every_operation_sends_what_progenitors_method_sends() {
    let server = Scripted::start(vec![
        Reply::new(200, "{}"),
        Reply::new(200, "{}"),
        Reply::new(200, r#"{"id":"a","status":"b"}"#),
        Reply::new(200, r#"{"id":"a","status":"b"}"#),
        Reply::new(204, ""),
        Reply::new(204, ""),
    ])
    .await;
    let reference = fixture::Client::new(&server.base_url());
    let ours = client(&server);
    let body = types::OperateRequest {
        operation: types::Operation::Pause,
        reason: "r".try_into().expect("reason"),
        note: Some("n".try_into().expect("note")),
        force: Some(true),
    };
    reference
        .resume_event_streaming()
        .project_id(PROJECT)
        .eventstreaming_id("s1")
        .x_language("zh-cn")
        .body(body.clone())
        .send()
        .await
        .expect("reference");
    Operations::resume_event_streaming(&ours)
        .eventstreaming_id("s1")
        .x_language("zh-cn")
        .body(body)
        .send()
        .await
        .expect("ours");
    reference
        .show_event_streaming()
        .project_id(PROJECT)
        .eventstreaming_id("s1")
        .limit(std::num::NonZeroU64::new(7).expect("7"))
        .name_prefix("ab")
        .send()
        .await
        .expect("reference");
    Operations::show_event_streaming(&ours)
        .eventstreaming_id("s1")
        .limit(7u64)
        .name_prefix("ab")
        .send()
        .await
        .expect("ours");
    reference
        .delete_event_streaming()
        .project_id(PROJECT)
        .eventstreaming_id("s1")
        .send()
        .await
        .expect("reference");
    Operations::delete_event_streaming(&ours)
        .eventstreaming_id("s1")
        .send()
        .await
        .expect("ours");
    let seen = server.seen();
    assert_eq!(seen.len(), 6);
    for pair in seen.chunks(2) {
        let (theirs, ours) = (&pair[0], &pair[1]);
        assert_eq!(ours.method, theirs.method);
        assert_eq!(ours.uri, theirs.uri);
        assert_eq!(ours.body, theirs.body);
        assert_eq!(
            ours.headers.get("x-language"),
            theirs.headers.get("x-language")
        );
        assert_eq!(
            ours.headers.get("content-type"),
            theirs.headers.get("content-type")
        );
    }
}

#[tokio::test]
async fn dry_run_builds_and_signs_any_operation_and_sends_nothing() {
    let server = Scripted::start(vec![]).await;
    let prepared = Operations::show_event_streaming(&client(&server))
        .eventstreaming_id("s1")
        .limit(3u64)
        .dry_run()
        .expect("prepared");
    assert_eq!(prepared.method, "GET");
    assert_eq!(
        prepared.url,
        format!("{}/v1/p1/eventstreamings/s1?limit=3", server.base_url())
    );
    assert_eq!(prepared.body, "");
    let authorization = prepared
        .headers
        .iter()
        .find(|(name, _)| name == "authorization")
        .map(|(_, value)| value.as_str());
    assert_eq!(
        authorization,
        Some(
            "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=accept;host;user-agent;x-project-id;x-sdk-date, Signature=***"
        )
    );
    assert!(server.seen().is_empty());
}

/// The runtime's retries, `Retry-After`, body cap and typed error codes
/// apply to a generated operation as to `start`.
#[tokio::test]
async fn retries_error_codes_and_the_body_cap_apply_to_every_operation() {
    let throttled =
        r#"{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}"#;
    let not_found = r#"{"error_code":"EG.00014040","error_msg":"Not request resource found"}"#;
    let server = Scripted::start(vec![
        Reply::new(429, throttled).header("retry-after", "0"),
        Reply::new(404, not_found).header("x-request-id", "rid-404"),
    ])
    .await;
    let error = Operations::delete_event_streaming(&client(&server))
        .eventstreaming_id("s1")
        .send()
        .await
        .expect_err("404");
    assert_eq!(error.code(), Some(&eg_client::ErrorCode::NotFound));
    assert_eq!(
        (error.attempts(), error.request_id()),
        (Some(2), Some("rid-404"))
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for seen in &seen {
        verified(seen);
    }
    let big = "x".repeat(eg_client::MAX_RESPONSE_BODY as usize + 1);
    let server = Scripted::start(vec![Reply::new(200, big)]).await;
    let error = Operations::show_event_streaming(&client(&server))
        .eventstreaming_id("s1")
        .send()
        .await
        .expect_err("too large");
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                status: 200,
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
}
