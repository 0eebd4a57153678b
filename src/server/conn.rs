//! The transport: accepting connections under a cap, HTTP/1 with a header timeout, an idle
//! watchdog per connection, and a graceful stop (no new connection; requests in flight finish,
//! then each connection closes).

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use super::limits::{GaugeGuard, RETRY_AFTER_SECS};
use super::metrics::Limit;
use super::Shared;

/// What a connection's requests tell its watchdog: the last byte seen, and whether a request
/// is being worked on (a check may run for a while without a byte on the wire).
#[derive(Debug)]
pub(super) struct Activity {
    start: Instant,
    last_ms: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Arc<Self> {
        Arc::new(Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        })
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(now.saturating_sub(self.last_ms.load(Ordering::Relaxed)))
    }

    /// Marks the connection busy until the guard is dropped.
    pub(super) fn busy(self: &Arc<Self>) -> BusyGuard {
        self.busy.fetch_add(1, Ordering::AcqRel);
        BusyGuard(Arc::clone(self))
    }
}

pub(super) struct BusyGuard(Arc<Activity>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.touch();
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The connection's activity, given to each of its requests (an extension).
#[derive(Clone)]
pub(super) struct ConnActivity(pub Arc<Activity>);

/// A TCP stream that notes when bytes move.
struct Tracked {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Serves `app` on `listener` until `stop` resolves; then refuses new connections, lets every
/// request in flight finish, and returns when the last connection has closed.
pub(super) async fn serve(
    listener: TcpListener,
    app: Router,
    shared: Arc<Shared>,
    stop: impl std::future::Future<Output = ()>,
) {
    let (closing_tx, closing_rx) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => {
                // Reap the connections that ended.
                while tasks.try_join_next().is_some() {}
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a little rather than spin.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                if shared.connections.get() >= shared.limits.max_connections {
                    shared.metrics.reject(Limit::Connections);
                    refuse(stream);
                    continue;
                }
                let guard = shared.connections.enter();
                shared.metrics.connections.set(gauge_value(shared.connections.get()));
                tasks.spawn(connection(
                    stream,
                    app.clone(),
                    Arc::clone(&shared),
                    closing_rx.clone(),
                    guard,
                ));
            }
        }
    }
    // No new connection from here: the port is closed, so clients are refused at once.
    drop(listener);
    shared.stopping.store(true, Ordering::Release);
    let _ = closing_tx.send(true);
    while tasks.join_next().await.is_some() {}
}

fn gauge_value(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A connection over the cap: a short 503 if the socket takes it at once, then closed. Never
/// waits on the client.
fn refuse(stream: TcpStream) {
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: {RETRY_AFTER_SECS}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.try_write(answer.as_bytes());
}

async fn connection(
    stream: TcpStream,
    app: Router,
    shared: Arc<Shared>,
    mut closing: watch::Receiver<bool>,
    guard: GaugeGuard,
) {
    let _ = stream.set_nodelay(true);
    let activity = Activity::new();
    let io = TokioIo::new(Tracked {
        inner: stream,
        activity: Arc::clone(&activity),
    });
    let for_requests = Arc::clone(&activity);
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut()
            .insert(ConnActivity(Arc::clone(&for_requests)));
        app.clone().oneshot(req.map(axum::body::Body::new))
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(shared.limits.header_timeout)
        .keep_alive(true);
    let conn = builder.serve_connection(io, svc);
    tokio::pin!(conn);
    let idle = shared.limits.idle_timeout;
    let tick = (idle / 4).clamp(Duration::from_millis(50), Duration::from_secs(1));
    let mut stopping = *closing.borrow();
    if stopping {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    if e.is_timeout() {
                        shared.metrics.reject(Limit::HeaderTimeout);
                    }
                }
                break;
            }
            changed = closing.changed(), if !stopping => {
                if changed.is_err() || *closing.borrow() {
                    stopping = true;
                    // Finishes the request in flight, if any, then closes.
                    conn.as_mut().graceful_shutdown();
                }
            }
            () = tokio::time::sleep(tick) => {
                if activity.busy.load(Ordering::Acquire) == 0 && activity.idle_for() >= idle {
                    shared.metrics.reject(Limit::IdleTimeout);
                    // Dropping the connection closes the socket and frees its buffers.
                    break;
                }
            }
        }
    }
    drop(guard);
    shared
        .metrics
        .connections
        .set(gauge_value(shared.connections.get()));
}
