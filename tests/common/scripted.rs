//! A scripted HTTP server for answers the emulator never gives (HTML from a
//! gateway, bodies that break the documented limits) and for looking at
//! exactly what the client put on the wire.
// Each test binary uses a part of this server.
#![allow(dead_code)]

use std::{
    collections::VecDeque,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
};

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// One scripted reply of the server: status, headers, body and a delay.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![("x-request-id", format!("rid-{status}"))],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct Script {
    answers: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

/// A server answering from a script, the last answer repeating.
pub struct Scripted {
    pub addr: SocketAddr,
    script: Arc<Script>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Scripted {
    pub async fn start(answers: Vec<Reply>) -> Self {
        let script = Arc::new(Script {
            answers: Mutex::new(answers.into()),
            seen: Mutex::default(),
        });
        let state = script.clone();
        let app = Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let script = state.clone();
                async move {
                    script.seen.lock().expect("lock").push(Seen {
                        method,
                        uri,
                        headers,
                        body,
                    });
                    let answer = {
                        let mut answers = script.answers.lock().expect("lock");
                        if answers.len() > 1 {
                            answers.pop_front()
                        } else {
                            answers.front().cloned()
                        }
                    }
                    .expect("a scripted answer");
                    tokio::time::sleep(answer.delay).await;
                    let mut response: Response = (
                        StatusCode::from_u16(answer.status).expect("status"),
                        answer.body,
                    )
                        .into_response();
                    for (name, value) in answer.headers {
                        response
                            .headers_mut()
                            .insert(name, value.parse().expect("header value"));
                    }
                    response
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("bound address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Self {
            addr,
            script,
            _stop: stop,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.script.seen.lock().expect("lock").clone()
    }
}
