//! The baselines the figures are measured against: raw reqwest calls beside
//! the client's, timed at a given concurrency, and the bare axum server the
//! emulator is compared with.

use std::{
    future::Future,
    time::{Duration, Instant},
};

use futures::StreamExt;
use http::{HeaderMap, HeaderValue, Method, Uri, header};

use super::api::{self, Auth};

/// The raw baseline: one reqwest pool configured like the client's.
pub fn raw_pool() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the raw reqwest client: {e}"))
}

/// One START as a hand-written caller would send it: the same headers as the
/// client, signed with `eg_signer::sign` for AK/SK.
pub async fn raw_start(
    pool: &reqwest::Client,
    credential: &eg_signer::Credential,
    auth: Auth,
    url: &str,
) -> Result<(), String> {
    let mut headers = HeaderMap::with_capacity(8);
    headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // The client identifies itself (and signs this header): so does the baseline.
    headers.insert(
        header::USER_AGENT,
        HeaderValue::from_static(eg_client::USER_AGENT),
    );
    match auth {
        Auth::Token => {
            headers.insert("x-auth-token", HeaderValue::from_static(api::TOKEN));
        }
        Auth::AccessKey => {
            let uri: Uri = url.parse().map_err(|e| format!("{url}: {e}"))?;
            eg_signer::sign(
                credential,
                &Method::POST,
                &uri,
                &mut headers,
                api::START_BODY,
                Some(api::PROJECT),
                time::OffsetDateTime::now_utc(),
            )
            .map_err(|e| format!("raw START {url}: {e}"))?;
        }
    }
    let response = pool
        .post(url)
        .headers(headers)
        .body(api::START_BODY)
        .send()
        .await
        .map_err(|e| format!("raw START {url}: {e}"))?;
    let status = response.status();
    let request_id = response.headers().get("x-request-id").cloned();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("raw START {url}: body: {e}"))?;
    if status != reqwest::StatusCode::OK {
        return Err(format!(
            "raw START {url}: HTTP {status} (request id {request_id:?}): {}",
            String::from_utf8_lossy(&body)
        ));
    }
    Ok(())
}

/// Wall time of `count` calls of `call(i)`, at most `concurrency` in flight;
/// the first failure ends the measurement.
pub async fn timed<F, Fut>(count: usize, concurrency: usize, call: F) -> Result<Duration, String>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let started = Instant::now();
    let mut calls = futures::stream::iter(0..count)
        .map(&call)
        .buffer_unordered(concurrency);
    while let Some(result) = calls.next().await {
        result?;
    }
    Ok(started.elapsed())
}

/// The bare server: the emulator's route on the same runtime (tokio's
/// multi-threaded default, as `#[tokio::main]` gives the emulator), answering
/// 200 with the same body and nothing else. Prints its address, then serves
/// until killed.
pub fn bare_server() -> Result<(), String> {
    use axum::{Json, Router, extract::Path, routing::on};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("bare server: runtime: {e}"))?;
    runtime.block_on(async {
        let method = axum::routing::MethodFilter::try_from(
            http::Method::from_bytes(api::OPERATE.method.as_bytes())
                .map_err(|e| format!("bare server: method {}: {e}", api::OPERATE.method))?,
        )
        .map_err(|e| format!("bare server: method {}: {e}", api::OPERATE.method))?;
        let app = Router::new().route(
            api::OPERATE.path,
            on(method, |Path((_, id)): Path<(String, String)>| async move {
                Json(serde_json::json!({ "eventStreamingID": id }))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("bare server: bind: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("bare server: {e}"))?;
        println!("{addr}");
        axum::serve(listener, app)
            .await
            .map_err(|e| format!("bare server: {e}"))
    })
}
