//! The library's requests and answers held against progenitor's generated
//! method for the same spec, over real HTTP: what the server receives is
//! the same but for the documented differences (`request.rs`), and every
//! kind of answer is read the same way.

#[path = "../tests/common/scripted.rs"]
mod common;

use common::{Reply, Scripted, Seen};

use crate::{
    Client, Credentials, Environment, Error, RetryConfig,
    generated::{self, types},
};

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const TOKEN: &str = "a-token";

fn client(base_url: &str) -> Client {
    Client::builder()
        .endpoint(base_url)
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN).expect("token"))
        .environment(Environment::default())
        .retry(RetryConfig::disabled())
        .build()
        .expect("client")
}

/// Both calls of one id against one scripted answer: the generated method's
/// result and request, then the library's.
async fn both(
    id: &str,
    operation: types::Operation,
    answer: Reply,
) -> (
    Result<types::OperateEventStreamingResponse, progenitor_client::Error<types::ErrorBody>>,
    Seen,
    Result<crate::Response<types::OperateEventStreamingResponse>, Error>,
    Seen,
) {
    let server = Scripted::start(vec![answer]).await;
    let generated = generated::Client::new(&server.base_url());
    // Built, not a struct literal: a new optional field must not stop
    // this test from compiling.
    let body = types::OperateEventStreamingRequest::try_from(
        types::OperateEventStreamingRequest::builder().operation(operation),
    )
    .expect("a body with its operation");
    let reference = generated
        .resume_event_streaming()
        .project_id(PROJECT)
        .eventstreaming_id(id)
        .x_auth_token(TOKEN)
        .body(body.clone())
        .send()
        .await
        .map(progenitor_client::ResponseValue::into_inner);
    let ours = client(&server.base_url())
        .resume_event_streaming()
        .eventstreaming_id(id)
        .body(body)
        .send()
        .await;
    let [reference_seen, ours_seen] = <[Seen; 2]>::try_from(server.seen()).expect("two requests");
    (reference, reference_seen, ours, ours_seen)
}

/// Header names whose values differ between the two requests, sorted.
fn differing_headers(reference: &Seen, ours: &Seen) -> Vec<String> {
    let mut names: Vec<String> = reference
        .headers
        .keys()
        .chain(ours.headers.keys())
        .map(|name| name.as_str().to_owned())
        .collect();
    names.sort();
    names.dedup();
    names.retain(|name| {
        let values = |seen: &Seen| -> Vec<Vec<u8>> {
            seen.headers
                .get_all(name.as_str())
                .iter()
                .map(|v| v.as_bytes().to_vec())
                .collect()
        };
        values(reference) != values(ours)
    });
    names
}

#[tokio::test]
async fn sends_what_the_generated_method_sends_but_api_version_and_user_agent() {
    let ids = ["s1", "a b", "é", "x?y#z%", "..a", &"x".repeat(64)];
    for id in ids {
        for operation in [types::Operation::Start, types::Operation::Pause] {
            let ok = Reply::new(200, format!(r#"{{"eventStreamingID":"{id}"}}"#));
            let (_, reference, _, ours) = both(id, operation, ok).await;
            assert_eq!(ours.method, reference.method, "{id}");
            assert_eq!(ours.uri, reference.uri, "{id}");
            assert_eq!(ours.body, reference.body, "{id}");
            assert_eq!(
                differing_headers(&reference, &ours),
                ["api-version", "user-agent"],
                "{id}"
            );
            assert_eq!(reference.headers["api-version"], "2023-12-12");
            assert_eq!(reference.headers.get("user-agent"), None);
            assert_eq!(ours.headers.get("api-version"), None);
            assert_eq!(ours.headers["user-agent"], crate::USER_AGENT);
        }
    }
}

#[tokio::test]
async fn escapes_the_backslash_the_generated_method_lets_turn_into_a_slash() {
    let ok = Reply::new(200, r#"{"eventStreamingID":"a\\b"}"#);
    let (_, reference, ours, ours_seen) = both("a\\b", types::Operation::Start, ok).await;
    let path = format!("/v1/{PROJECT}/eventstreamings/operate/");
    assert_eq!(reference.uri.path(), format!("{path}a/b"));
    assert_eq!(ours_seen.uri.path(), format!("{path}a%5Cb"));
    assert_eq!(
        ours.expect("200").event_streaming_id.as_deref(),
        Some("a\\b")
    );
}

/// How one side read an answer, in terms both sides share.
#[derive(Debug, PartialEq)]
enum Reading {
    Ok(Option<String>),
    /// A documented error status; the library adds code and message.
    Error(u16),
    /// A body the spec's type refused, with serde's reason.
    InvalidBody(String),
    /// A status the spec does not document.
    Undocumented(u16),
}

fn reference_reading(
    result: Result<
        types::OperateEventStreamingResponse,
        progenitor_client::Error<types::ErrorBody>,
    >,
) -> Reading {
    use progenitor_client::Error as E;
    match result {
        Ok(body) => Reading::Ok(body.event_streaming_id),
        Err(E::ErrorResponse(response)) => Reading::Error(response.status().as_u16()),
        Err(E::InvalidResponsePayload(_, reason)) => Reading::InvalidBody(reason.to_string()),
        Err(E::UnexpectedResponse(response)) => Reading::Undocumented(response.status().as_u16()),
        Err(other) => panic!("the reference failed otherwise: {other}"),
    }
}

#[tokio::test]
async fn reads_every_kind_of_answer_as_the_generated_method_does() {
    let error_body = r#"{"error_code":"EG.00014000","error_msg":"Bad request","request_id":"r"}"#;
    let cases = [
        (
            Reply::new(200, r#"{"eventStreamingID":"s1"}"#),
            Reading::Ok(Some("s1".into())),
        ),
        (Reply::new(200, "{}"), Reading::Ok(None)),
        (
            Reply::new(200, r#"{"eventStreamingID":"s1","more":[1]}"#),
            Reading::Ok(Some("s1".into())),
        ),
        (
            Reply::new(200, "<html>ok</html>"),
            Reading::InvalidBody("expected value at line 1 column 1".into()),
        ),
        (
            Reply::new(200, r#"{"eventStreamingID":7}"#),
            Reading::InvalidBody(
                "invalid type: integer `7`, expected a string at line 1 column 21".into(),
            ),
        ),
        (Reply::new(201, "{}"), Reading::Undocumented(201)),
        (Reply::new(400, error_body), Reading::Error(400)),
        (Reply::new(404, error_body), Reading::Error(404)),
        (Reply::new(500, error_body), Reading::Error(500)),
    ];
    for (answer, expected) in cases {
        let (reference, _, ours, _) = both("s1", types::Operation::Start, answer).await;
        assert_eq!(reference_reading(reference), expected);
        assert_eq!(reading(ours), expected);
    }
}

/// The one deliberate difference: an error status the spec does not list
/// is an API error with its code and message, not an opaque response.
#[tokio::test]
async fn an_undocumented_error_status_is_still_read_as_an_api_error() {
    let throttled = r#"{"error_code":"APIGW.0308","error_msg":"Bad request"}"#;
    let (reference, _, ours, _) =
        both("s1", types::Operation::Start, Reply::new(429, throttled)).await;
    assert_eq!(reference_reading(reference), Reading::Undocumented(429));
    assert_eq!(reading(ours), Reading::Error(429));
}

fn reading(result: Result<crate::Operated, Error>) -> Reading {
    match result {
        Ok(done) => Reading::Ok(done.into_inner().event_streaming_id),
        Err(Error::Api { error, attempts: 1 }) => {
            assert_eq!(error.message.as_deref(), Some("Bad request"));
            Reading::Error(error.status)
        }
        Err(Error::InvalidResponse { status, reason, .. })
            if reason == format!("status {status} is not documented") =>
        {
            Reading::Undocumented(status)
        }
        Err(Error::InvalidResponse {
            status: 200,
            reason,
            ..
        }) => Reading::InvalidBody(reason),
        Err(other) => panic!("the library failed otherwise: {other}"),
    }
}
