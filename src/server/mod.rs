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
pub mod limits;
pub mod metrics;
mod stream;

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use rayon::prelude::*;
use serde_json::{json, Value};
use tokio::sync::{oneshot, Semaphore};

use crate::engine::{parse_today, Engine, FileReport};
use crate::error::Error;
use crate::fix::{self, FixOptions, FixOutcome};
use crate::output;
use crate::refdata::{Kind, Source};
use crate::source::SourceFile;
use crate::split::{self, SplitBy};

mod inspect;

use limits::{Budget, Gauge, RETRY_AFTER_SECS};
pub use limits::{Limits, DEFAULT_MAX_UPLOAD};
use metrics::{Limit, Metrics};

/// The French page served at `/`.
const PAGE: &str = include_str!("page.html");

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

// ---------------------------------------------------------------------------------------------
// Problems (RFC 9457 `application/problem+json`, in French)

#[derive(Debug)]
struct Problem {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: String,
}

impl Problem {
    fn new(status: StatusCode, slug: &'static str, title: &'static str, detail: String) -> Self {
        Problem {
            status,
            slug,
            title,
            detail,
        }
    }

    fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "requete-invalide",
            "Requête invalide",
            detail.into(),
        )
    }

    fn too_large(limit: usize) -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requete-trop-volumineuse",
            "Requête trop volumineuse",
            format!("la requête dépasse la limite de {limit} octets fixée par ce service"),
        )
    }

    fn too_many(detail: String) -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "trop-de-fichiers",
            "Trop de fichiers",
            detail,
        )
    }

    /// 503 with `Retry-After`: the service is full for now, the request was not read.
    fn busy(detail: &str) -> Self {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service-sature",
            "Service momentanément saturé",
            detail.into(),
        )
    }

    fn internal(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "erreur-interne",
            "Erreur interne",
            detail.into(),
        )
    }

    /// Errors of the engine's setup: all come from what the user sent, except the internal ones.
    fn from_error(e: Error) -> Self {
        match e {
            Error::Schema(..) | Error::Write(..) | Error::Read(..) => {
                Problem::internal(e.to_string())
            }
            Error::RefData { .. } | Error::WrongKind { .. } => Problem::new(
                StatusCode::BAD_REQUEST,
                "donnees-de-reference",
                "Fichier de référence inutilisable",
                e.to_string(),
            ),
            Error::Settings { .. } => Problem::new(
                StatusCode::BAD_REQUEST,
                "parametres",
                "Paramètres LSU invalides",
                e.to_string(),
            ),
            Error::Config { .. } | Error::UnknownRule(..) => Problem::new(
                StatusCode::BAD_REQUEST,
                "configuration",
                "Configuration invalide",
                e.to_string(),
            ),
            Error::BadDate(..) => Problem::new(
                StatusCode::BAD_REQUEST,
                "date",
                "Date invalide",
                e.to_string(),
            ),
            _ => Problem::bad_request(e.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = json!({
            "type": format!("urn:lsu-lint:probleme:{}", self.slug),
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        let mut resp = (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            format!("{body}\n"),
        )
            .into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        }
        resp
    }
}

async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "introuvable",
        "Ressource introuvable",
        "adresses disponibles : GET /, GET /healthz, GET /readyz, GET /metrics, \
         POST /api/v1/check, POST /api/v1/fix, POST /api/v1/inspect, GET /api/v1/rules, \
         GET /api/v1/rules/{code}"
            .into(),
    )
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "methode",
        "Méthode non autorisée",
        "cette adresse n'accepte pas cette méthode (les vérifications se font en POST)".into(),
    )
}

// ---------------------------------------------------------------------------------------------
// Simple routes

async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Self-contained page: nothing may load from elsewhere.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                 connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        PAGE,
    )
        .into_response()
}

fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn healthz() -> Response {
    json_response(
        StatusCode::OK,
        format!(
            "{}\n",
            json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
        ),
    )
}

/// Readiness: the schemas are compiled and the service is not saturated (a load balancer
/// sends new work elsewhere meanwhile; liveness is `/healthz`).
async fn readyz(State(state): State<AppState>) -> Response {
    let why = state.saturation();
    if why.is_empty() {
        return json_response(StatusCode::OK, format!("{}\n", json!({"status": "pret"})));
    }
    let mut resp = json_response(
        StatusCode::SERVICE_UNAVAILABLE,
        format!("{}\n", json!({"status": "indisponible", "raisons": why})),
    );
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    resp
}

/// Prometheus text exposition; the gauges are read from the live counts at each scrape.
async fn metrics_route(State(state): State<AppState>) -> Response {
    let m = &state.metrics;
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    m.inflight_bytes.set(as_i64(state.budget.used()));
    m.jobs_running.set(as_i64(state.jobs_running() as u64));
    m.jobs_waiting.set(as_i64(state.jobs_waiting.get() as u64));
    m.connections.set(as_i64(state.connections.get() as u64));
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        m.render(),
    )
        .into_response()
}

async fn rules() -> Response {
    json_response(StatusCode::OK, crate::catalogue::listing_json())
}

async fn rule(axum::extract::Path(code): axum::extract::Path<String>) -> Response {
    let Some(meta) = crate::catalogue::lookup(&code) else {
        let cands: Vec<&str> = crate::catalogue::CATALOGUE
            .iter()
            .flat_map(|m| [m.code.as_str(), m.name])
            .collect();
        let hint = crate::util::did_you_mean(&code, &cands)
            .map(|c| format!(" (vouliez-vous dire « {c} » ?)"))
            .unwrap_or_default();
        return Problem::new(
            StatusCode::NOT_FOUND,
            "regle-inconnue",
            "Règle inconnue",
            format!("règle inconnue « {code} »{hint} ; GET /api/v1/rules les liste toutes"),
        )
        .into_response();
    };
    let mut v = meta.to_json();
    if let Value::Object(m) = &mut v {
        m.insert("page".into(), json!(meta.page()));
    }
    json_response(
        StatusCode::OK,
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
    )
}

// ---------------------------------------------------------------------------------------------
// The form shared by check and fix

struct Upload {
    /// The client's file name (base name only), or a stand-in; shown in reports, never logged.
    name: String,
    bytes: Vec<u8>,
}

#[derive(Default)]
struct Form {
    lsu: Vec<Upload>,
    refs: Vec<(Kind, Upload)>,
    settings: Option<Upload>,
    config: Option<Upload>,
    today: Option<String>,
    select: Vec<String>,
    ignore: Vec<String>,
    unsafe_fixes: bool,
    split: Option<SplitBy>,
    /// `format=html`: answer the HTML report instead of JSON.
    html: bool,
}

const FIELDS: &str = "lsu, siecle, nomenclature, sts, onde, communs, settings, config, today, \
                      select, ignore, unsafe, split, format";

fn ref_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "siecle" => Kind::Siecle,
        "nomenclature" => Kind::Nomenclature,
        "sts" => Kind::Sts,
        "onde" => Kind::Onde,
        "communs" => Kind::Communs,
        _ => return None,
    })
}

/// A client file name reduced to its base name, without control characters, bounded.
fn client_name(raw: Option<&str>, fallback: String) -> String {
    let base = raw
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>();
    if base.trim().is_empty() {
        fallback
    } else {
        base
    }
}

fn parse_bool(field: &str, v: &str) -> Result<bool, Problem> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "on" | "oui" | "yes" => Ok(true),
        "false" | "0" | "off" | "non" | "no" | "" => Ok(false),
        _ => Err(Problem::bad_request(format!(
            "champ « {field} » : « {v} » n'est pas un booléen (true ou false attendu)"
        ))),
    }
}

fn parse_split(v: &str) -> Result<Option<SplitBy>, Problem> {
    Ok(match v.trim().to_ascii_lowercase().as_str() {
        "" => None,
        "division" => Some(SplitBy::Division),
        "niveau" => Some(SplitBy::Niveau),
        "periode" | "période" => Some(SplitBy::Periode),
        _ => {
            return Err(Problem::bad_request(format!(
                "champ « split » : « {v} » inconnu (division, niveau ou periode attendu)"
            )))
        }
    })
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn multipart_problem(e: &MultipartError, limit: usize) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Problem::too_large(limit);
    }
    // The multipart library's text is English: each of its messages is said in French here.
    let text = e.body_text();
    let what = if text.starts_with("incomplete multipart stream") {
        "le corps de la requête s'arrête avant la fin du formulaire (envoi interrompu, ou \
         délimiteur final absent)"
    } else if text.contains("incomplete data") {
        "un champ du formulaire est incomplet (envoi interrompu)"
    } else if text.starts_with("failed to read field complete headers")
        || text.starts_with("failed to read headers")
    {
        "les en-têtes d'une partie du formulaire sont incomplets ou illisibles"
    } else if text.starts_with("failed to decode field's raw header") {
        "un en-tête d'une partie du formulaire est illisible"
    } else if text.starts_with("failed to read stream") {
        "la lecture du corps de la requête a échoué (connexion interrompue ?)"
    } else if text.starts_with("Content-Type is not multipart") {
        "le type de contenu n'est pas multipart/form-data"
    } else if text.starts_with("multipart boundary not found") {
        "l'en-tête Content-Type ne donne pas de délimiteur (boundary)"
    } else if text.starts_with("failed to decode Content-Type") {
        "l'en-tête Content-Type est illisible"
    } else {
        "le formulaire multipart est illisible"
    };
    Problem::bad_request(format!("corps multipart illisible : {what}"))
}

/// Text fields (dates, code lists, switches) are short; more than this is not a form of ours.
const MAX_TEXT_FIELD: usize = 64 << 10;

/// Reads the whole multipart form into memory (its size was admitted by `admit`), counting
/// parts and LSU files against their caps as they come.
async fn read_form(
    state: &Shared,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Form, Problem> {
    let limit = state.limits.max_upload;
    let mut parts = 0usize;
    let mut multipart = multipart.map_err(|e| {
        Problem::new(
            e.status(),
            "multipart",
            "Requête multipart attendue",
            "envoyez les fichiers en multipart/form-data (champ « lsu » pour le ou les fichiers \
             LSU)"
                .into(),
        )
    })?;
    let mut form = Form::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_problem(&e, limit))?
    {
        parts += 1;
        if parts > state.limits.max_parts {
            state.metrics.reject(Limit::Parts);
            return Err(Problem::too_many(format!(
                "la requête compte plus de {} parties (fichiers et champs) : envoyez les fichiers \
                 en plusieurs fois",
                state.limits.max_parts
            )));
        }
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_problem(&e, limit))?;
        let is_text = matches!(
            name.as_str(),
            "today" | "select" | "ignore" | "unsafe" | "split" | "groups"
        );
        if is_text && bytes.len() > MAX_TEXT_FIELD {
            return Err(Problem::bad_request(format!(
                "champ « {name} » : texte de plus de {MAX_TEXT_FIELD} octets"
            )));
        }
        // A browser sends an empty, nameless part for a file input left empty.
        let empty_file = file_name.as_deref().is_some_and(str::is_empty) && bytes.is_empty();
        let text = || {
            String::from_utf8(bytes.to_vec()).map_err(|_| {
                Problem::bad_request(format!("champ « {name} » : texte UTF-8 attendu"))
            })
        };
        match name.as_str() {
            "lsu" => {
                if empty_file {
                    continue;
                }
                let n = form.lsu.len() + 1;
                if n > state.limits.max_files {
                    state.metrics.reject(Limit::Files);
                    return Err(Problem::too_many(format!(
                        "la requête compte plus de {} fichiers LSU : envoyez-les en plusieurs fois",
                        state.limits.max_files
                    )));
                }
                form.lsu.push(Upload {
                    name: client_name(file_name.as_deref(), format!("lsu-{n}.xml")),
                    bytes: Vec::from(bytes),
                });
            }
            "settings" | "config" => {
                if empty_file {
                    continue;
                }
                let up = Upload {
                    name: client_name(file_name.as_deref(), format!("{name}.toml")),
                    bytes: Vec::from(bytes),
                };
                let slot = if name == "settings" {
                    &mut form.settings
                } else {
                    &mut form.config
                };
                if slot.replace(up).is_some() {
                    return Err(Problem::bad_request(format!(
                        "champ « {name} » donné deux fois"
                    )));
                }
            }
            "today" => {
                let t = text()?;
                if !t.trim().is_empty() {
                    form.today = Some(t);
                }
            }
            "select" => form.select.extend(list(&text()?)),
            "ignore" => form.ignore.extend(list(&text()?)),
            "unsafe" => form.unsafe_fixes = parse_bool("unsafe", &text()?)?,
            "split" => form.split = parse_split(&text()?)?,
            "format" => {
                form.html = match text()?.trim() {
                    "html" => true,
                    "json" | "" => false,
                    other => {
                        return Err(Problem::bad_request(format!(
                            "format « {other} » inconnu : « json » (par défaut) ou « html »"
                        )))
                    }
                }
            }
            other => {
                let Some(kind) = ref_kind(other) else {
                    return Err(Problem::bad_request(format!(
                        "champ inconnu « {other} » (champs acceptés : {FIELDS})"
                    )));
                };
                if empty_file {
                    continue;
                }
                if form.refs.iter().any(|(k, _)| *k == kind) {
                    return Err(Problem::bad_request(format!(
                        "champ « {other} » donné deux fois : un seul fichier {} par requête",
                        kind.label_fr()
                    )));
                }
                let ext = if kind == Kind::Onde { "csv" } else { "xml" };
                form.refs.push((
                    kind,
                    Upload {
                        name: client_name(file_name.as_deref(), format!("{other}.{ext}")),
                        bytes: Vec::from(bytes),
                    },
                ));
            }
        }
    }
    if form.lsu.is_empty() {
        return Err(Problem::bad_request(
            "aucun fichier LSU : envoyez au moins un fichier dans le champ « lsu »",
        ));
    }
    Ok(form)
}

/// Builds the engine from the uploaded bytes, as the command line does from paths. The
/// configuration's `[inputs]` paths are ignored: the service reads no file of its host.
fn build_engine(form: &mut Form) -> Result<Engine, Problem> {
    let mut b = Engine::builder()
        .select(form.select.clone())
        .ignore(form.ignore.clone());
    if let Some(up) = form.config.take() {
        b = b.config_bytes(up.name, up.bytes);
    }
    if let Some(t) = &form.today {
        b = b.today(parse_today(t).map_err(Problem::from_error)?);
    }
    for (kind, up) in std::mem::take(&mut form.refs) {
        b = b.reference(
            kind,
            Source::Bytes {
                name: up.name,
                bytes: up.bytes,
            },
        );
    }
    if let Some(up) = form.settings.take() {
        b = b.settings(Source::Bytes {
            name: up.name,
            bytes: up.bytes,
        });
    }
    b.build().map_err(Problem::from_error)
}

/// Writes an answer's body on the job's thread.
type BodyWriter = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + Send>;

/// What a job answers: a whole response, or a head now and a body written as it goes.
enum Answer {
    Full(Response),
    Stream { head: Response, write: BodyWriter },
}

type Job = fn(Form, &Shared) -> Result<Answer, Problem>;

/// Reads the form (within `--body-timeout`), waits for a job slot, then runs `job` on the
/// blocking pool. The slot is held until the answer has been written.
async fn run_job(
    state: AppState,
    activity: Option<Extension<conn::ConnActivity>>,
    multipart: Result<Multipart, MultipartRejection>,
    job: Job,
) -> Response {
    let timeout = state.limits.body_timeout;
    let form = match tokio::time::timeout(timeout, read_form(&state, multipart)).await {
        Ok(Ok(form)) => form,
        Ok(Err(p)) => return p.into_response(),
        Err(_) => {
            state.metrics.reject(Limit::BodyTimeout);
            return Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                "delai",
                "Envoi trop lent",
                format!(
                    "la requête n'a pas été reçue en entier en {} secondes",
                    timeout.as_secs()
                ),
            )
            .into_response();
        }
    };
    // From here the connection is quiet while the job waits and runs: not idle.
    let busy = activity.map(|Extension(a)| a.0.busy());
    let waiting = state.jobs_waiting.enter();
    let Ok(permit) = Arc::clone(&state.jobs).acquire_owned().await else {
        state.metrics.reject(Limit::ShuttingDown);
        return Problem::busy("le service s'arrête ; réessayez dans quelques secondes")
            .into_response();
    };
    drop(waiting);
    let (tx, rx) = oneshot::channel::<Response>();
    let st = Arc::clone(&state);
    let blocking = tokio::task::spawn_blocking(move || {
        match job(form, &st) {
            Err(p) => {
                let _ = tx.send(p.into_response());
            }
            Ok(Answer::Full(resp)) => {
                let _ = tx.send(resp);
            }
            Ok(Answer::Stream { head, write }) => {
                let (mut w, body) = stream::channel();
                let (parts, _) = head.into_parts();
                let resp = Response::from_parts(parts, axum::body::Body::new(body));
                if tx.send(resp).is_ok() {
                    drop(busy);
                    // A client gone away ends the writing (broken pipe): nothing to report.
                    let _ = write(&mut w).and_then(|()| w.flush());
                }
            }
        }
        drop(permit);
        release_memory(&st);
    });
    match rx.await {
        Ok(resp) => resp,
        Err(_) => {
            // The job ended without an answer: a panic in the engine is a bug; answer 500 and
            // keep serving.
            let _ = blocking.await;
            Problem::internal(
                "la vérification a échoué sur une erreur interne de lsu-lint ; merci de la signaler",
            )
            .into_response()
        }
    }
}

/// Gives freed memory back to the system when no job runs: without it, the allocator keeps
/// the peak of the last burst for good.
fn release_memory(state: &Shared) {
    if state.jobs_running() == 0 {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only walks the allocator's own free lists.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

/// Counts what a job checked, for `/metrics`.
fn count_checked(state: &Shared, files: &[FileReport]) {
    let m = &state.metrics;
    m.files.inc_by(files.len() as u64);
    m.bilans.inc_by(
        files
            .iter()
            .map(|f| (f.bilans_periodiques + f.bilans_cycle) as u64)
            .sum(),
    );
    let mut by_code: std::collections::BTreeMap<&str, u64> = Default::default();
    for d in files.iter().flat_map(|f| &f.diagnostics) {
        *by_code.entry(d.code.as_str()).or_insert(0) += 1;
    }
    for (code, n) in by_code {
        m.findings.with_label_values(&[code]).inc_by(n);
    }
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/check

async fn check(
    State(state): State<AppState>,
    activity: Option<Extension<conn::ConnActivity>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    run_job(state, activity, multipart, check_job).await
}

fn check_job(mut form: Form, state: &Shared) -> Result<Answer, Problem> {
    let engine = build_engine(&mut form)?;
    let lsu = std::mem::take(&mut form.lsu);
    let report = engine.check_bytes(lsu.into_iter().map(|u| (u.name, u.bytes)).collect());
    drop(engine);
    count_checked(state, &report.files);
    if form.html {
        let mut resp = output::html::render(&report).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return Ok(Answer::Full(resp));
    }
    // Written as it goes: a report of many findings is never held whole as text.
    Ok(Answer::Stream {
        head: json_response(StatusCode::OK, String::new()),
        write: Box::new(move |w| output::json::write(&report, w)),
    })
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/fix

async fn fix_handler(
    State(state): State<AppState>,
    activity: Option<Extension<conn::ConnActivity>>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    run_job(state, activity, multipart, fix_job).await
}

/// The file-name stem of an upload, reduced to letters, digits, `-` and `_`.
fn stem(name: &str) -> String {
    let s = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if s.trim().is_empty() {
        "lsu".into()
    } else {
        split::safe_key(&s)
    }
}

/// Distinct stems for the files of one request (`lsu`, `lsu-2`, …), compared with case folded
/// (the zip may be extracted on a case-insensitive file system).
fn distinct_stems(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let base = stem(&n);
        let mut cand = base.clone();
        let mut i = 2;
        while out.iter().any(|o| o.to_lowercase() == cand.to_lowercase()) {
            cand = format!("{base}-{i}");
            i += 1;
        }
        out.push(cand);
    }
    out
}

/// Writes a zip of `entries` to `w` as it goes (no seek: the archive streams to the client).
fn write_zip(entries: Vec<(String, Vec<u8>)>, w: &mut dyn Write) -> std::io::Result<()> {
    let zio = |e: zip::result::ZipError| match e {
        zip::result::ZipError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    };
    let mut z = zip::ZipWriter::new_stream(w);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    // Stems and split keys are distinct each, but `a` + `b-c` and `a-b` + `c` would meet.
    let mut used: Vec<String> = Vec::new();
    for (name, bytes) in entries {
        let mut name = name;
        let mut i = 2;
        while used.contains(&name.to_lowercase()) {
            name = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}-{i}.{ext}"),
                None => format!("{name}-{i}"),
            };
            i += 1;
        }
        used.push(name.to_lowercase());
        z.start_file(name.as_str(), opts).map_err(zio)?;
        z.write_all(&bytes)?;
        // Each entry's bytes are freed once written.
        drop(bytes);
    }
    z.finish().map_err(zio)?;
    Ok(())
}

fn zip_answer(file_name: &str, entries: Vec<(String, Vec<u8>)>, stats: (usize, usize)) -> Answer {
    Answer::Stream {
        head: download("application/zip", file_name, Vec::new(), stats),
        write: Box::new(move |w| write_zip(entries, w)),
    }
}

fn download(
    content_type: &'static str,
    file_name: &str,
    body: Vec<u8>,
    stats: (usize, usize),
) -> Response {
    let mut resp = (StatusCode::OK, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // File names are made of safe characters only (`split::safe_key`).
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-lsu-lint-corrections", HeaderValue::from(stats.0));
    h.insert("x-lsu-lint-erreurs-restantes", HeaderValue::from(stats.1));
    resp
}

fn fix_job(mut form: Form, state: &Shared) -> Result<Answer, Problem> {
    let engine = build_engine(&mut form)?;
    let opts = FixOptions {
        unsafe_fixes: form.unsafe_fixes || engine.config.unsafe_fixes,
    };
    let lsu = std::mem::take(&mut form.lsu);
    let stems = distinct_stems(lsu.iter().map(|u| u.name.clone()));
    let outcomes: Vec<FixOutcome> = lsu
        .into_par_iter()
        .map(|u| fix::fix_source(&engine, &SourceFile::new(u.name, u.bytes), opts))
        .collect();
    state.metrics.files.inc_by(outcomes.len() as u64);
    state.metrics.bilans.inc_by(
        outcomes
            .iter()
            .map(|o| (o.remaining.bilans_periodiques + o.remaining.bilans_cycle) as u64)
            .sum(),
    );
    let applied: usize = outcomes.iter().map(|o| o.applied.len()).sum();
    let remaining: usize = outcomes
        .iter()
        .map(|o| o.remaining.count(crate::catalogue::Severity::Error))
        .sum();
    let stats = (applied, remaining);
    let Some(by) = form.split else {
        let mut outputs: Vec<(String, Vec<u8>)> = outcomes
            .into_iter()
            .zip(&stems)
            .map(|(o, s)| (format!("{s}-corrige.xml"), o.output))
            .collect();
        if outputs.len() == 1 {
            let (name, bytes) = outputs.remove(0);
            return Ok(Answer::Full(download(
                "application/xml",
                &name,
                bytes,
                stats,
            )));
        }
        return Ok(zip_answer("lsu-corriges.zip", outputs, stats));
    };
    // Split the corrected files (what the command line would do after `fix`).
    let niveau_of = |e: crate::xml::Node| engine.refdata.niveau_of_eleve(e);
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (o, s) in outcomes.iter().zip(&stems) {
        let text = std::str::from_utf8(&o.output).map_err(|_| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "decoupage",
                "Découpage impossible",
                format!(
                    "« {} » n'est pas en UTF-8 : le découpage demande d'abord la correction de \
                     l'encodage (case « corrections non sûres »)",
                    o.name
                ),
            )
        })?;
        let split_parts = split::split(text, by, &niveau_of).map_err(|e| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "decoupage",
                "Découpage impossible",
                format!("« {} » : {e}", o.name),
            )
        })?;
        for p in split_parts {
            parts.push((format!("{s}-{}.xml", p.key), p.bytes));
        }
    }
    drop(outcomes);
    let by_name = match by {
        SplitBy::Division => "division",
        SplitBy::Niveau => "niveau",
        SplitBy::Periode => "periode",
    };
    let name = if stems.len() == 1 {
        format!("{}-par-{by_name}.zip", stems[0])
    } else {
        format!("lsu-par-{by_name}.zip")
    };
    Ok(zip_answer(&name, parts, stats))
}
