//! Connections: the accept loop with its cap, the header-read timeout, TLS,
//! graceful shutdown, and JSON bodies for the answers hyper writes itself.

use std::{
    io,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
    time::Duration,
};

use axum::{Router, http::StatusCode};
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpListener,
    sync::{Semaphore, oneshot},
};
use tokio_rustls::TlsAcceptor;

use crate::{config::Limits, gateway::GatewayError, server::new_request_id};

/// How long a shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `stop` fires (or its sender is dropped),
/// then lets connections finish their requests.
pub(crate) async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Router,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    loop {
        // Over the cap, connections wait in the listen backlog, unaccepted.
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit,
            _ = &mut stop => break,
        };
        let Ok(permit) = permit else { break };
        let stream = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        let stream = match stream {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of descriptors or an aborted handshake: not fatal.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (builder, app, watcher, tls) = (
            builder.clone(),
            app.clone(),
            graceful.watcher(),
            tls.clone(),
        );
        let handshake = limits.header_read_timeout;
        tokio::spawn(async move {
            let _permit = permit;
            let service = TowerToHyperService::new(app);
            match tls {
                None => {
                    let io = TokioIo::new(AnswerBodies::new(stream));
                    let _ = watcher
                        .watch(builder.serve_connection_with_upgrades(io, service))
                        .await;
                }
                Some(acceptor) => {
                    let Ok(Ok(stream)) =
                        tokio::time::timeout(handshake, acceptor.accept(stream)).await
                    else {
                        return;
                    };
                    let io = TokioIo::new(AnswerBodies::new(stream));
                    let _ = watcher
                        .watch(builder.serve_connection_with_upgrades(io, service))
                        .await;
                }
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// Wraps a connection so that the empty answers hyper writes by itself to a
/// request head it cannot parse (400, 414, 431) go out as the gateway's JSON
/// body with an `X-Request-Id`, like every other answer.
///
/// Every answer the router produces carries `x-request-id`; a response head
/// written without it can only be hyper's own. hyper closes the connection
/// after such an answer, so the rewrite ends the stream. Vectored writes are
/// turned off so that a response head always starts a write.
struct AnswerBodies<T> {
    inner: T,
    /// The replacement answer and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
}

impl<T> AnswerBodies<T> {
    fn new(inner: T) -> Self {
        Self {
            inner,
            pending: None,
        }
    }
}

/// The status of a response head hyper wrote itself, if `buf` is one.
fn hyper_answer(buf: &[u8]) -> Option<StatusCode> {
    let rest = buf
        .strip_prefix(b"HTTP/1.1 ")
        .or_else(|| buf.strip_prefix(b"HTTP/1.0 "))?;
    let status = StatusCode::from_bytes(rest.get(..3)?).ok()?;
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = buf[..end].to_ascii_lowercase();
    let has_id = head.windows(14).any(|w| w == b"\nx-request-id:");
    (!has_id && status.is_client_error()).then_some(status)
}

fn json_answer(status: StatusCode) -> Vec<u8> {
    let request_id = new_request_id();
    let error = GatewayError::unparsable_head(status);
    tracing::info!(
        status = status.as_u16(),
        code = error.code,
        request_id,
        "unparsable request head"
    );
    let body = serde_json::to_string(&error.body(&request_id)).unwrap_or_default();
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-request-id: {request_id}\r\nconnection: close\r\n\r\n{body}",
        body.len(),
    )
    .into_bytes()
}

impl<T: AsyncWrite + Unpin> AnswerBodies<T> {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for AnswerBodies<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for AnswerBodies<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_pending(cx))?;
        if let Some(status) = hyper_answer(buf) {
            this.pending = Some((json_answer(status), 0));
            // Written on the next flush at the latest; hyper's bytes are dropped.
            let _ = this.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_heads_without_a_request_id_are_hyper_answers() {
        let hyper =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        assert_eq!(
            hyper_answer(hyper),
            Some(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nx-request-id: r\r\n\r\n{}";
        assert_eq!(hyper_answer(ours), None);
        assert_eq!(hyper_answer(b"HTTP/1.1 200 OK\r\n\r\n"), None);
        assert_eq!(hyper_answer(b"{\"eventStreamingID\":\"x\"}"), None);
        let answer = String::from_utf8(json_answer(StatusCode::URI_TOO_LONG)).expect("UTF-8");
        assert!(
            answer.starts_with("HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\n"),
            "{answer}"
        );
        assert!(
            answer.contains(r#""error_code":"APIG.0201","error_msg":"Request URI too large""#),
            "{answer}"
        );
    }
}
