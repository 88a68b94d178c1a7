//! `eg streaming` made from the codegen fixture `multi.yaml` (a path moved
//! to `/v2`, a new enum value `RESTART`, a boolean body field `force`, a
//! header `X-Language` with an enum), driven through the library over a
//! real loopback server that records what reaches it.

use std::sync::{Arc, Mutex};

use eg_cli::cli::{Cli, Parsed};
use eg_client::{Client, Credentials, Environment, RetryConfig, runtime::OperationBuilder};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

#[allow(missing_docs, unused, clippy::all, clippy::unwrap_used)]
mod fixture {
    include!("../../eg-codegen/tests/golden/multi.rs");
}

use fixture::operations::ResumeEventStreaming;

const PROJECT: &str = "p1";
const TOKEN: &str = "fixture-token";

/// One request as the server read it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    /// Header names in lower case.
    headers: Vec<(String, String)>,
    body: Value,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A loopback HTTP/1.1 server that records every request and answers each
/// with 200 and the body the operate operation documents.
struct Recorder {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Recorder {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let request = read_request(&mut stream).await;
                let answer = r#"{"eventStreamingID":"s1","state":"RUNNING"}"#;
                record.lock().expect("not poisoned").push(request);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     x-request-id: r-1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                stream.write_all(response.as_bytes()).await.expect("answer");
            }
        });
        Self { url, seen, task }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Seen {
    let mut data = Vec::new();
    let mut byte = [0; 1];
    while !data.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).await.expect("request head");
        data.push(byte[0]);
    }
    let head = String::from_utf8(data).expect("UTF-8 head");
    let mut lines = head.split("\r\n");
    let start: Vec<&str> = lines.next().unwrap_or_default().split(' ').collect();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().expect("content-length"));
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.expect("request body");
    Seen {
        method: start.first().copied().unwrap_or_default().to_owned(),
        path: start.get(1).copied().unwrap_or_default().to_owned(),
        headers,
        body: if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body).expect("JSON body")
        },
    }
}

fn client(url: &str) -> Client {
    Client::builder()
        .endpoint(url)
        .project_id(PROJECT)
        .credentials(Credentials::token(TOKEN).expect("token"))
        .environment(Environment::default())
        .retry(RetryConfig::default().with_max_attempts(1))
        .build()
        .expect("client")
}

fn cli() -> Cli {
    Cli::for_builder::<ResumeEventStreaming<'_>>().expect("the fixture drives eg")
}

/// Parses `eg streaming ARGS` for the fixture.
fn parse(args: &[&str]) -> Result<Parsed, clap::Error> {
    cli().try_parse_from(["eg", "streaming"].iter().chain(args))
}

/// Parses `eg streaming ARGS`, sends for each id, returns what the server saw.
async fn sent(args: &[&str]) -> Vec<Seen> {
    let server = Recorder::start().await;
    let client = client(&server.url);
    let Parsed::Streaming { args, request } = parse(args).expect("valid arguments") else {
        panic!("not eg streaming")
    };
    for id in &args.ids {
        let response = request
            .apply(ResumeEventStreaming::new(&client), id)
            .send_value()
            .await
            .expect("200");
        assert_eq!(response.status(), 200);
    }
    server.seen()
}

#[tokio::test]
async fn restart_is_a_subcommand_and_goes_to_the_moved_path() {
    let seen = sent(&["restart", "s1", "--reason", "nightly"]).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(
        (seen[0].method.as_str(), seen[0].path.as_str()),
        ("POST", "/v2/p1/eventstreamings/operate/s1")
    );
    assert_eq!(
        seen[0].body,
        json!({"operation": "RESTART", "reason": "nightly"})
    );
    assert_eq!(seen[0].header("x-auth-token"), Some(TOKEN));
    assert_eq!(seen[0].header("x-language"), None);
}

#[tokio::test]
async fn force_is_a_switch_sent_as_true() {
    let seen = sent(&["start", "s1", "s2", "--reason", "r", "--force"]).await;
    let bodies: Vec<(&str, &Value)> = seen.iter().map(|s| (s.path.as_str(), &s.body)).collect();
    let body = json!({"operation": "START", "reason": "r", "force": true});
    assert_eq!(
        bodies,
        [
            ("/v2/p1/eventstreamings/operate/s1", &body),
            ("/v2/p1/eventstreamings/operate/s2", &body)
        ]
    );
}

#[tokio::test]
async fn x_language_is_sent_as_the_header() {
    let seen = sent(&["pause", "s1", "--reason", "r", "--x-language", "en-us"]).await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].header("x-language"), Some("en-us"));
    assert_eq!(seen[0].body, json!({"operation": "PAUSE", "reason": "r"}));
}

#[tokio::test]
async fn a_value_outside_the_enum_is_a_usage_error_and_nothing_is_sent() {
    let server = Recorder::start().await;
    let error = parse(&["start", "s1", "--reason", "r", "--x-language", "fr-fr"])
        .expect_err("fr-fr is not in the enum");
    assert_eq!(
        (error.kind(), error.exit_code()),
        (clap::error::ErrorKind::InvalidValue, 2)
    );
    assert!(
        error
            .to_string()
            .starts_with("error: invalid value 'fr-fr' for '--x-language <VALUE>'\n  [possible values: zh-cn, en-us]\n"),
        "{error}"
    );
    assert_eq!(server.seen().len(), 0);
}

#[tokio::test]
async fn a_missing_required_field_is_a_usage_error_and_nothing_is_sent() {
    let server = Recorder::start().await;
    let error = parse(&["start", "s1"]).expect_err("--reason is required");
    assert_eq!(
        (error.kind(), error.exit_code()),
        (clap::error::ErrorKind::MissingRequiredArgument, 2)
    );
    assert!(
        error.to_string().starts_with(
            "error: the following required arguments were not provided:\n  --reason <VALUE>\n"
        ),
        "{error}"
    );
    assert_eq!(server.seen().len(), 0);
}

#[test]
fn the_help_lists_every_operation_and_the_header_values() {
    let mut command = cli().command().term_width(200);
    let streaming = command
        .find_subcommand_mut("streaming")
        .expect("eg streaming");
    let names: Vec<&str> = streaming.get_subcommands().map(|c| c.get_name()).collect();
    assert_eq!(names, ["start", "pause", "restart"]);
    let help = streaming
        .find_subcommand_mut("restart")
        .map(|c| c.clone().term_width(200).render_help().to_string())
        .expect("eg streaming restart");
    assert!(
        help.starts_with("Restart event streams (operation RESTART)\n"),
        "{help}"
    );
    for line in [
        "--x-language <VALUE>",
        "[possible values: zh-cn, en-us]",
        "--force ",
        "--reason <VALUE>",
    ] {
        assert!(help.contains(line), "{line:?} not in:\n{help}");
    }
    let about = command.render_long_help().to_string();
    assert!(
        about.contains("(the ResumeEventStreaming API: POST /v2/{project_id}/eventstreamings/operate/{eventstreaming_id})"),
        "{about}"
    );
}

#[tokio::test]
async fn dry_run_shows_the_header_and_the_body_fields() {
    let client = client("http://127.0.0.1:1");
    let Parsed::Streaming { request, .. } = parse(&[
        "restart",
        "s1",
        "--reason",
        "r",
        "--force",
        "--x-language",
        "zh-cn",
        "--dry-run",
    ])
    .expect("valid arguments") else {
        panic!("not eg streaming")
    };
    let text = request
        .apply(ResumeEventStreaming::new(&client), "s1")
        .dry_run()
        .expect("a request")
        .to_string();
    assert_eq!(
        text,
        format!(
            "POST http://127.0.0.1:1/v2/p1/eventstreamings/operate/s1\n\
             accept: application/json\n\
             content-type: application/json\n\
             x-auth-token: ***\n\
             user-agent: eg-client-rust/{}\n\
             x-language: zh-cn\n\
             \n\
             {{\"force\":true,\"operation\":\"RESTART\",\"reason\":\"r\"}}\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}
