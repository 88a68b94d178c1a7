//! The spec as data (`eg_client::spec`) and the operation builders driven
//! by the spec's names (`param`, `body_json`, `OperationBuilder`): for the
//! real spec, and for the generator's multi-operation fixture, whose table
//! and builders come from the same generator.

use eg_client::runtime::OperationBuilder;
use eg_client::spec::{Binding, Kind, Location, OPERATIONS, OperationSpec};
use eg_client::{Client, Credentials, Operation, RetryConfig, operations::ResumeEventStreaming};
use eg_emulator::{EmulatorConfig, RunningEmulator};
use serde_json::json;

#[allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
mod fixture {
    include!("../crates/eg-codegen/tests/golden/multi.rs");
}

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const STREAM: &str = "6a3f0c2e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
const TOKEN: &str = "MIIE-test-token";

fn client(endpoint: &str) -> Client {
    Client::builder()
        .endpoint(endpoint)
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN).expect("valid token"))
        .retry(RetryConfig::disabled())
        .build()
        .expect("valid configuration")
}

/// The `reason` of an `InvalidArgument`, as `Display` shows it.
fn refused<B: OperationBuilder>(builder: B) -> String {
    builder
        .dry_run()
        .expect_err("refused before sending")
        .to_string()
}

#[test]
fn the_real_spec_has_one_operation_described_as_the_docs_tables_say() {
    let ids: Vec<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(ids, ["ResumeEventStreaming"]);
    let operate = ResumeEventStreaming::SPEC;
    assert_eq!(operate, &OPERATIONS[0]);
    assert_eq!(
        (operate.method, operate.path, operate.summary),
        (
            "POST",
            "/v1/{project_id}/eventstreamings/operate/{eventstreaming_id}",
            "操作事件流"
        )
    );
    let params: Vec<_> = operate
        .params
        .iter()
        .map(|p| {
            let s = &p.schema;
            (
                p.name,
                p.location,
                p.required,
                p.binding,
                s.kind,
                s.min_length,
                s.max_length,
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            (
                "project_id",
                Location::Path,
                true,
                Some(Binding::ProjectId),
                Kind::String,
                Some(1),
                None
            ),
            (
                "eventstreaming_id",
                Location::Path,
                true,
                None,
                Kind::String,
                Some(1),
                None
            ),
            (
                "X-Auth-Token",
                Location::Header,
                false,
                Some(Binding::AuthToken),
                Kind::String,
                Some(1),
                Some(16384)
            ),
        ]
    );
    let body = operate.body.expect("a JSON body");
    assert!(body.required);
    let fields: Vec<_> = body
        .fields
        .iter()
        .map(|f| (f.name, f.required, f.schema.kind, f.schema.enum_values))
        .collect();
    assert_eq!(
        fields,
        [("operation", true, Kind::String, &["START", "PAUSE"][..])]
    );
    assert_eq!(
        (operate.success, operate.errors),
        (&[200][..], &[400, 401, 403, 404, 500][..])
    );
}

#[test]
fn every_enum_lists_its_values_in_spec_order() {
    assert_eq!(Operation::ALL, [Operation::Start, Operation::Pause]);
    let names: Vec<String> = Operation::ALL.iter().map(ToString::to_string).collect();
    let body = ResumeEventStreaming::SPEC.body.expect("a body");
    assert_eq!(names, body.fields[0].schema.enum_values);
    assert_eq!(
        fixture::types::Operation::ALL,
        [
            fixture::types::Operation::Start,
            fixture::types::Operation::Pause,
            fixture::types::Operation::Restart
        ]
    );
}

#[test]
fn params_and_body_set_by_the_specs_names_reach_the_request() {
    let client = client("http://127.0.0.1:1");
    let request = client
        .resume_event_streaming()
        .param("eventstreaming_id", json!(STREAM))
        .body_json(json!({"operation": "PAUSE"}))
        .dry_run()
        .expect("a valid request");
    assert_eq!(
        request.url,
        format!("http://127.0.0.1:1/v1/{PROJECT}/eventstreamings/operate/{STREAM}")
    );
    assert_eq!(request.body, r#"{"operation":"PAUSE"}"#);
}

#[test]
fn names_and_values_the_spec_refuses_are_named() {
    let client = client("http://127.0.0.1:1");
    let operate = || {
        client
            .resume_event_streaming()
            .body_json(json!({"operation": "START"}))
    };
    assert_eq!(
        refused(operate().param("X-Foo", json!("x"))),
        "invalid parameter: `X-Foo` is not a parameter of ResumeEventStreaming"
    );
    assert_eq!(
        refused(operate().param("project_id", json!("p2"))),
        "invalid parameter: `project_id` is set by the client, not per request"
    );
    assert_eq!(
        refused(operate().param("eventstreaming_id", json!(""))),
        "invalid eventstreaming_id: shorter than 1 characters"
    );
    assert_eq!(
        refused(operate().param("eventstreaming_id", json!(7))),
        "invalid eventstreaming_id: invalid type: integer `7`, expected a string"
    );
    let restart = client
        .resume_event_streaming()
        .param("eventstreaming_id", json!(STREAM))
        .body_json(json!({"operation": "RESTART"}));
    assert_eq!(
        refused(restart),
        "invalid body: unknown variant `RESTART`, expected `START` or `PAUSE`"
    );
}

#[tokio::test]
async fn send_value_returns_the_answer_as_json() {
    let emulator = RunningEmulator::start_local(EmulatorConfig {
        streams: vec![format!("{PROJECT}/{STREAM}").parse().expect("stream seed")],
        tokens: vec![format!("{TOKEN}={PROJECT}").parse().expect("token grant")],
        ..EmulatorConfig::default()
    })
    .await
    .expect("emulator");
    let client = client(&emulator.base_url());
    let response = client
        .resume_event_streaming()
        .param("eventstreaming_id", json!(STREAM))
        .body_json(json!({"operation": "START"}))
        .send_value()
        .await
        .expect("200");
    assert_eq!((response.status(), response.attempts()), (200, 1));
    assert!(response.request_id().is_some());
    assert_eq!(response.into_inner(), json!({"eventStreamingID": STREAM}));
}

/// The fixture's operations, generic: what the CLI and the emulator see of
/// a spec they were not written for.
mod fixture_spec {
    use super::*;
    use fixture::Operations;

    #[test]
    fn the_fixture_table_follows_its_spec() {
        let rows: Vec<(&str, &str, &str)> = fixture::spec::OPERATIONS
            .iter()
            .map(|op| (op.id, op.method, op.path))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "ResumeEventStreaming",
                    "POST",
                    "/v2/{project_id}/eventstreamings/operate/{eventstreaming_id}"
                ),
                (
                    "ShowEventStreaming",
                    "GET",
                    "/v1/{project_id}/eventstreamings/{eventstreaming_id}"
                ),
                (
                    "DeleteEventStreaming",
                    "DELETE",
                    "/v1/{project_id}/eventstreamings/{eventstreaming_id}"
                ),
            ]
        );
        let operate = &fixture::spec::OPERATIONS[0];
        let language = operate.param("x-language").expect("the new header");
        assert_eq!(
            (language.name, language.binding, language.schema.enum_values),
            ("X-Language", None, &["zh-cn", "en-us"][..])
        );
        let body = operate.body.expect("a body");
        let fields: Vec<(&str, bool, Kind)> = body
            .fields
            .iter()
            .map(|f| (f.name, f.required, f.schema.kind))
            .collect();
        assert_eq!(
            fields,
            [
                ("operation", true, Kind::String),
                ("reason", true, Kind::String),
                ("note", false, Kind::String),
                ("force", false, Kind::Boolean),
            ]
        );
        let show = &fixture::spec::OPERATIONS[1];
        assert_eq!(show.body, None);
        let limit = show.param("limit").expect("a query parameter");
        assert_eq!(
            (
                limit.location,
                limit.schema.kind,
                limit.schema.minimum,
                limit.schema.maximum
            ),
            (Location::Query, Kind::Integer, Some(1.0), Some(100.0))
        );
        assert_eq!(fixture::spec::OPERATIONS[2].success, [204]);
        assert_eq!(
            OperationSpec::find("ShowEventStreaming"),
            None,
            "not in the real spec"
        );
    }

    #[test]
    fn a_new_header_value_and_field_reach_the_request_by_name() {
        let client = client("http://127.0.0.1:1");
        let request = Operations::resume_event_streaming(&client)
            .param("eventstreaming_id", json!("s1"))
            .param("x-language", json!("en-us"))
            .body_json(json!({"operation": "RESTART", "reason": "nightly", "force": true}))
            .dry_run()
            .expect("a valid request");
        assert_eq!(
            request.url,
            format!("http://127.0.0.1:1/v2/{PROJECT}/eventstreamings/operate/s1")
        );
        let language: Vec<&str> = request
            .headers
            .iter()
            .filter(|(name, _)| name == "x-language")
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(language, ["en-us"]);
        assert_eq!(
            request.body,
            r#"{"force":true,"operation":"RESTART","reason":"nightly"}"#
        );
        let french = Operations::resume_event_streaming(&client)
            .param("eventstreaming_id", json!("s1"))
            .param("X-Language", json!("fr-fr"))
            .body_json(json!({"operation": "START", "reason": "r"}));
        assert_eq!(
            refused(french),
            "invalid X-Language: unknown variant `fr-fr`, expected `zh-cn` or `en-us`"
        );
        let show = Operations::show_event_streaming(&client)
            .param("eventstreaming_id", json!("s1"))
            .body_json(json!({}));
        assert_eq!(
            refused(show),
            "invalid body: ShowEventStreaming takes no request body"
        );
    }
}
