//! Connections: the accept loop with its cap, the idle and write timeouts,
//! TLS, graceful shutdown, and JSON bodies for the answers hyper writes
//! itself.

use std::{
    future::Future,
    io,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
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
    sync::{Notify, Semaphore, oneshot},
    time::{Instant, Sleep},
};
use tokio_rustls::TlsAcceptor;

use crate::{config::Limits, gateway::GatewayError, server::new_request_id};

/// The longest header-read or write timeout used (a day).
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
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
    // Out-of-range limits are clamped, never a panic in the semaphore or timer.
    let permits = Arc::new(Semaphore::new(
        limits.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let header_read_timeout = limits.header_read_timeout.min(MAX_TIMEOUT);
    let write_timeout = limits.write_timeout.min(MAX_TIMEOUT);
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
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
        tokio::spawn(async move {
            let _permit = permit;
            let activity = Arc::new(Activity::new());
            // Each request is in flight on the connection until its answer
            // is ready; writing it is under the write timeout.
            let service = {
                let (app, activity) = (TowerToHyperService::new(app), activity.clone());
                hyper::service::service_fn(move |request| {
                    let busy = activity.begin();
                    let answer = hyper::service::Service::call(&app, request);
                    async move {
                        let answer = answer.await;
                        drop(busy);
                        answer
                    }
                })
            };
            let stream = Guarded::new(stream, WriteDeadline::new(write_timeout));
            let serve = async move {
                match tls {
                    None => {
                        let io = TokioIo::new(Guarded::new(stream, AnswerBodies::default()));
                        let _ = watcher
                            .watch(builder.serve_connection_with_upgrades(io, service))
                            .await;
                    }
                    Some(acceptor) => {
                        let Ok(stream) = acceptor.accept(stream).await else {
                            return;
                        };
                        let io = TokioIo::new(Guarded::new(stream, AnswerBodies::default()));
                        let _ = watcher
                            .watch(builder.serve_connection_with_upgrades(io, service))
                            .await;
                    }
                }
            };
            // Whatever the protocol or its state (no byte yet, half an
            // HTTP/2 preface, a TLS handshake, an HTTP/2 connection between
            // requests), a connection with no request in flight for the
            // header timeout is closed, so that it frees its slot.
            tokio::select! {
                () = serve => {}
                () = activity.idle_for(header_read_timeout) => {
                    tracing::debug!("closed a connection idle for the header timeout");
                }
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// What a connection is doing: how many of its requests are in flight and
/// since when it has had none.
#[derive(Debug)]
struct Activity {
    state: Mutex<(usize, Instant)>,
    changed: Notify,
}

/// A request in flight on its connection, until dropped.
struct Busy(Arc<Activity>);

impl Activity {
    fn new() -> Self {
        Self {
            state: Mutex::new((0, Instant::now())),
            changed: Notify::new(),
        }
    }

    fn update(&self, change: impl FnOnce(&mut (usize, Instant))) {
        // The state is two plain numbers, consistent even after a panic.
        change(&mut self.state.lock().unwrap_or_else(PoisonError::into_inner));
        // A stored permit if the watchdog is not waiting yet: no lost wake-up.
        self.changed.notify_one();
    }

    fn begin(self: &Arc<Self>) -> Busy {
        self.update(|(in_flight, _)| *in_flight += 1);
        Busy(self.clone())
    }

    /// Resolves once no request has been in flight for `timeout`.
    async fn idle_for(&self, timeout: Duration) {
        loop {
            let idle_since = {
                let (in_flight, since) = *self.state.lock().unwrap_or_else(PoisonError::into_inner);
                (in_flight == 0).then_some(since)
            };
            match idle_since {
                None => self.changed.notified().await,
                Some(since) if since + timeout <= Instant::now() => return,
                Some(since) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(since + timeout) => {}
                        () = self.changed.notified() => {}
                    }
                }
            }
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.update(|(in_flight, since)| {
            *in_flight = in_flight.saturating_sub(1);
            if *in_flight == 0 {
                *since = Instant::now();
            }
        });
    }
}

/// A stream whose write side goes through a [`WriteGuard`]; reads pass
/// through untouched.
struct Guarded<T, G> {
    inner: T,
    guard: G,
}

impl<T, G> Guarded<T, G> {
    fn new(inner: T, guard: G) -> Self {
        Self { inner, guard }
    }
}

/// What a [`Guarded`] stream does around each write, flush and shutdown.
trait WriteGuard {
    /// Runs `op` on the stream, with the guard's work before or after it.
    fn around<T: AsyncWrite + Unpin, R>(
        &mut self,
        inner: &mut T,
        cx: &mut Context<'_>,
        op: impl FnOnce(Pin<&mut T>, &mut Context<'_>) -> Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>>;

    /// Answers a write itself instead of passing `buf` on; `None` passes it.
    fn take_write<T: AsyncWrite + Unpin>(
        &mut self,
        _inner: &mut T,
        _cx: &mut Context<'_>,
        _buf: &[u8],
    ) -> Option<Poll<io::Result<usize>>> {
        None
    }
}

impl<T: AsyncRead + Unpin, G: Unpin> AsyncRead for Guarded<T, G> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin, G: WriteGuard + Unpin> AsyncWrite for Guarded<T, G> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let Self { inner, guard } = &mut *self;
        if let Some(poll) = guard.take_write(inner, cx, buf) {
            return poll;
        }
        guard.around(inner, cx, |io, cx| io.poll_write(cx, buf))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Self { inner, guard } = &mut *self;
        guard.around(inner, cx, |io, cx| io.poll_flush(cx))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let Self { inner, guard } = &mut *self;
        guard.around(inner, cx, |io, cx| io.poll_shutdown(cx))
    }
}

/// Fails a write (or flush) that the peer has not let through for the
/// write timeout: a client that stops reading its answers is dropped
/// instead of holding its connection.
struct WriteDeadline {
    timeout: Duration,
    /// Armed while a write is pending; kept to be reset, not reallocated.
    stalled: Option<Pin<Box<Sleep>>>,
    armed: bool,
}

impl WriteDeadline {
    fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            stalled: None,
            armed: false,
        }
    }
}

impl WriteGuard for WriteDeadline {
    fn around<T: AsyncWrite + Unpin, R>(
        &mut self,
        inner: &mut T,
        cx: &mut Context<'_>,
        op: impl FnOnce(Pin<&mut T>, &mut Context<'_>) -> Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        let poll = op(Pin::new(inner), cx);
        if poll.is_ready() {
            self.armed = false;
            return poll;
        }
        let deadline = Instant::now() + self.timeout;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        if !self.armed {
            sleep.as_mut().reset(deadline);
            self.armed = true;
        }
        ready!(sleep.as_mut().poll(cx));
        self.armed = false;
        tracing::debug!(timeout = ?self.timeout, "dropped a peer that read nothing for the write timeout");
        Poll::Ready(Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "the peer read nothing for the write timeout",
        )))
    }
}

/// Rewrites the empty answers hyper writes by itself to a request head it
/// cannot parse (400, 414, 431) as the gateway's JSON body with an
/// `X-Request-Id`, like every other answer.
///
/// Every answer the router produces carries `x-request-id`; a response head
/// written without it can only be hyper's own. hyper closes the connection
/// after such an answer, so the rewrite ends the stream. Vectored writes are
/// turned off so that a response head always starts a write.
#[derive(Default)]
struct AnswerBodies {
    /// The replacement answer and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
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
        code = %error.code,
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

impl AnswerBodies {
    fn poll_pending<T: AsyncWrite + Unpin>(
        &mut self,
        inner: &mut T,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut *inner).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl WriteGuard for AnswerBodies {
    fn around<T: AsyncWrite + Unpin, R>(
        &mut self,
        inner: &mut T,
        cx: &mut Context<'_>,
        op: impl FnOnce(Pin<&mut T>, &mut Context<'_>) -> Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        ready!(self.poll_pending(inner, cx))?;
        op(Pin::new(inner), cx)
    }

    fn take_write<T: AsyncWrite + Unpin>(
        &mut self,
        inner: &mut T,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Option<Poll<io::Result<usize>>> {
        match self.poll_pending(inner, cx) {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(error)) => return Some(Poll::Ready(Err(error))),
            Poll::Pending => return Some(Poll::Pending),
        }
        let status = hyper_answer(buf)?;
        self.pending = Some((json_answer(status), 0));
        // Written on the next flush at the latest; hyper's bytes are dropped.
        if let Poll::Ready(Err(error)) = self.poll_pending(inner, cx) {
            return Some(Poll::Ready(Err(error)));
        }
        Some(Poll::Ready(Ok(buf.len())))
    }
}

#[cfg(test)]
mod tests {
    use eg_client::ErrorCode;

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
            answer.contains(&format!(
                r#""error_code":"{}","error_msg":"Request URI too large""#,
                ErrorCode::EntityTooLarge
            )),
            "{answer}"
        );
    }
}
