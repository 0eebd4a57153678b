//! `lsu-lint serve`: the HTTP validation service of `interfaces.md` (« HTTP service »).
//!
//! Everything happens in memory: uploads are read into byte buffers, checked or fixed by the
//! same engine as the command line, and dropped with the request. Nothing uploaded is written to
//! disk or logged: the log line of a request is its method, path, status and duration only.
//! Checking is CPU-bound and synchronous (rayon inside), so it runs on the blocking pool, at most
//! `--max-jobs` at a time. Memory is bounded by the limits of `limits.rs`: a request is admitted
//! only if its declared size fits in the budget of bytes in flight, which it holds until its
//! answer has been sent; answers are streamed as they are written.

mod conn;
mod form;
mod jobs;
pub mod limits;
pub mod metrics;
mod problem;
mod routes;
mod stream;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::{oneshot, Semaphore};

use crate::error::Error;

mod inspect;

use form::{client_name, multipart_problem};
use jobs::{check, fix_handler};
use problem::{method_not_allowed, not_found, Problem};
use routes::{healthz, index, json_response, metrics_route, readyz, rule, rules};

use limits::{Budget, Gauge};
pub use limits::{Limits, DEFAULT_MAX_UPLOAD};
use metrics::{Limit, Metrics};

#[derive(Debug, Clone)]
pub struct Options {
    pub limits: Limits,
    /// One line per request on stderr (method, path, status, duration).
    pub log: bool,
    /// Stop gracefully on SIGTERM and SIGINT (the command does; tests stop with `Handle`).
    pub stop_on_signals: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            log: true,
            stop_on_signals: false,
        }
    }
}

/// What every request of one server shares.
pub(crate) struct Shared {
    limits: Limits,
    log: bool,
    budget: Arc<Budget>,
    /// One permit per concurrent check or fix job.
    jobs: Arc<Semaphore>,
    jobs_waiting: Arc<Gauge>,
    connections: Arc<Gauge>,
    metrics: Metrics,
    /// Every built-in schema compiled (checked once at start).
    schemas_ready: AtomicBool,
    /// Stopping: no new connection, requests in flight finish.
    stopping: AtomicBool,
}

type AppState = Arc<Shared>;

impl Shared {
    fn new(options: Options) -> Arc<Self> {
        let limits = options.limits;
        Arc::new(Shared {
            budget: Budget::new(limits.max_inflight_bytes),
            jobs: Arc::new(Semaphore::new(limits.max_jobs.max(1))),
            jobs_waiting: Arc::new(Gauge::default()),
            connections: Arc::new(Gauge::default()),
            metrics: Metrics::new(limits.max_inflight_bytes),
            schemas_ready: AtomicBool::new(false),
            stopping: AtomicBool::new(false),
            log: options.log,
            limits,
        })
    }

    fn jobs_running(&self) -> usize {
        self.limits
            .max_jobs
            .max(1)
            .saturating_sub(self.jobs.available_permits())
    }

    /// Why the service should not be sent more work now (French), if it should not.
    fn saturation(&self) -> Vec<String> {
        let mut why = Vec::new();
        if !self.schemas_ready.load(Ordering::Acquire) {
            why.push("schémas en cours de compilation".to_string());
        }
        if self.stopping.load(Ordering::Acquire) {
            why.push("arrêt en cours".to_string());
        }
        let free = self.budget.limit().saturating_sub(self.budget.used());
        let needed = (self.limits.max_upload as u64).min(self.budget.limit() / 4);
        if free < needed {
            why.push(format!(
                "mémoire réservée aux requêtes presque épuisée ({} octets libres sur {})",
                free,
                self.budget.limit()
            ));
        }
        if self.connections.get() * 10 >= self.limits.max_connections * 9 {
            why.push(format!(
                "{} connexions ouvertes sur {} admises",
                self.connections.get(),
                self.limits.max_connections
            ));
        }
        why
    }
}

/// A running server; dropping it asks the server to stop.
pub struct Handle {
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Handle {
    /// Stops the server (requests in flight finish) and waits for it.
    pub fn stop(mut self) -> Result<(), Error> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.join()
    }

    /// Waits until the server stops (on SIGTERM or SIGINT when it listens to them).
    pub fn wait(mut self) -> Result<(), Error> {
        self.join()
    }

    fn join(&mut self) -> Result<(), Error> {
        match self.thread.take().map(std::thread::JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(Error::Usage(format!("le service s'est arrêté : {e}"))),
            Some(Err(_)) => Err(Error::Usage(
                "le service s'est arrêté sur une erreur interne".into(),
            )),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Resolves on SIGTERM or SIGINT (never, when they cannot be listened to).
async fn signals() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => std::future::pending::<()>().await,
    }
}

/// Binds `listen` (port 0: any free port) and serves on a background thread with its own
/// multi-thread runtime. Returns the bound address.
pub fn spawn(listen: &str, options: Options) -> Result<(SocketAddr, Handle), Error> {
    let cant = |e: std::io::Error| {
        Error::Usage(format!(
            "impossible d'écouter sur « {listen} » : {}",
            crate::files::io_message(&e)
        ))
    };
    let std_listener = std::net::TcpListener::bind(listen).map_err(cant)?;
    std_listener.set_nonblocking(true).map_err(cant)?;
    let addr = std_listener.local_addr().map_err(cant)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .thread_name("lsu-lint-serve")
        .build()
        .map_err(|e| {
            Error::Usage(format!(
                "démarrage du service impossible : {}",
                crate::files::io_message(&e)
            ))
        })?;
    let on_signals = options.stop_on_signals;
    let shared = Shared::new(options);
    let app = router_with(Arc::clone(&shared));
    let (tx, rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("lsu-lint-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener)
                    .map_err(|e| crate::files::io_message(&e))?;
                // Readiness waits for the schemas: compiling them once proves the build sound.
                let ready = Arc::clone(&shared);
                tokio::task::spawn_blocking(move || {
                    if crate::schema::compile_builtin().is_ok() {
                        ready.schemas_ready.store(true, Ordering::Release);
                    }
                });
                tokio::spawn(release_memory_when_idle(Arc::clone(&shared)));
                let stop = async move {
                    if on_signals {
                        tokio::select! {
                            _ = rx => {}
                            () = signals() => {}
                        }
                    } else {
                        let _ = rx.await;
                    }
                };
                conn::serve(listener, app, shared, stop).await;
                Ok(())
            })
        })
        .map_err(|e| {
            Error::Usage(format!(
                "démarrage du service impossible : {}",
                crate::files::io_message(&e)
            ))
        })?;
    Ok((
        addr,
        Handle {
            shutdown: Some(tx),
            thread: Some(thread),
        },
    ))
}

/// Once idle, the memory of the last burst goes back to the system: a moment after the last
/// answer (when the connection has freed its buffers), and again once the idle worker threads
/// have ended (tokio's keep-alive is 10 s), which frees their copies of the compiled schemas.
async fn release_memory_when_idle(state: AppState) {
    const SECOND_PASS: std::time::Duration = std::time::Duration::from_secs(12);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
    let mut second_pass_at: Option<Instant> = None;
    loop {
        tick.tick().await;
        if state.jobs_running() > 0 || state.budget.used() > 0 {
            second_pass_at = None;
            continue;
        }
        let now = Instant::now();
        let due = if state.budget.take_emptied() {
            second_pass_at = Some(now + SECOND_PASS);
            true
        } else {
            second_pass_at.take_if(|t| now >= *t).is_some()
        };
        if due {
            let _ = tokio::task::spawn_blocking(crate::util::release_freed_memory).await;
            state.metrics.memory_releases.inc();
        }
    }
}

/// `lsu-lint serve`: serves until SIGTERM or SIGINT, then stops gracefully.
pub fn run(listen: &str, mut options: Options) -> Result<i32, Error> {
    options.stop_on_signals = true;
    let l = options.limits.clone();
    let (addr, handle) = spawn(listen, options)?;
    eprintln!(
        "lsu-lint serve : http://{addr}/ (requêtes limitées à {} octets, {} à la fois en mémoire \
         au plus {} octets, {} vérifications simultanées ; Ctrl-C pour arrêter)",
        l.max_upload, l.max_connections, l.max_inflight_bytes, l.max_jobs
    );
    if !addr.ip().is_loopback() {
        eprintln!(
            "attention : le service est accessible depuis le réseau, sans chiffrement ; \
             placez-le derrière un serveur HTTPS (les fichiers LSU contiennent des données d'élèves)"
        );
    }
    handle.wait()?;
    eprintln!("lsu-lint serve : arrêté (requêtes en cours terminées)");
    Ok(0)
}

/// The routes of the service, with their own state (tests and embedders).
pub fn router(options: Options) -> Router {
    router_with(Shared::new(options))
}

fn router_with(state: AppState) -> Router {
    let limit = state.limits.max_upload;
    let admit = || axum::middleware::from_fn_with_state(state.clone(), admit);
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_route))
        .route("/api/v1/check", post(check).route_layer(admit()))
        .route("/api/v1/fix", post(fix_handler).route_layer(admit()))
        .route(
            "/api/v1/inspect",
            post(inspect::inspect).route_layer(admit()),
        )
        .route("/api/v1/rules", get(rules))
        .route("/api/v1/rules/{code}", get(rule))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// The only log of a request (never its body, its query or its files' names), and its metrics.
async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let route = metrics::route_label(&path);
    let start = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status();
    state
        .metrics
        .requests
        .with_label_values(&[route, status.as_str()])
        .inc();
    state
        .metrics
        .duration
        .with_label_values(&[route])
        .observe(start.elapsed().as_secs_f64());
    if state.log {
        eprintln!(
            "{method} {route} {} {} ms",
            status.as_u16(),
            start.elapsed().as_millis()
        );
    }
    resp
}

/// Admission of a check or fix: its declared size must be within `--max-upload` and fit in
/// the budget of bytes in flight (a body of unknown length counts as `--max-upload`). The bytes
/// stay reserved until the answer has been sent.
async fn admit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.limits.max_upload;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        state.metrics.reject(Limit::Upload);
        return Problem::too_large(limit).into_response();
    }
    let want = declared.unwrap_or(limit as u64);
    let Some(reservation) = state.budget.try_reserve(want) else {
        state.metrics.reject(Limit::InflightBytes);
        return Problem::busy(
            "le service traite déjà autant de données qu'il le peut ; réessayez dans quelques \
             secondes",
        )
        .into_response();
    };
    state.metrics.upload_bytes.observe(want as f64);
    let resp = next.run(req).await;
    resp.map(|body| axum::body::Body::new(stream::Guarded::new(body, reservation)))
}
