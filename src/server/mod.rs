//! `lsu-lint serve`: the HTTP validation service of `interfaces.md` (« HTTP service »).
//!
//! Everything happens in memory: uploads are read into byte buffers, checked or fixed by the
//! same engine as the command line, and dropped with the request. Nothing uploaded is written to
//! disk or logged: the log line of a request is its method, path, status and duration only.
//! Checking is CPU-bound and synchronous (rayon inside), so it runs on the blocking pool, at most
//! one job per core at a time, which also bounds the memory held by jobs in flight.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rayon::prelude::*;
use serde_json::{json, Value};
use tokio::sync::{oneshot, Semaphore};

use crate::engine::{parse_today, Engine};
use crate::error::Error;
use crate::fix::{self, FixOptions, FixOutcome};
use crate::output;
use crate::refdata::{Kind, Source};
use crate::source::SourceFile;
use crate::split::{self, SplitBy};

mod inspect;

/// Default limit on one request, uploads included: 64 MiB.
pub const DEFAULT_MAX_UPLOAD: usize = 64 << 20;

/// A client that takes longer than this to send its request is cut off (slow uploads must not
/// hold a connection and its buffers forever).
const READ_TIMEOUT: Duration = Duration::from_secs(300);

/// The French page served at `/`.
const PAGE: &str = include_str!("page.html");

#[derive(Debug, Clone)]
pub struct Options {
    /// Largest accepted request, in bytes.
    pub max_upload: usize,
    /// One line per request on stderr (method, path, status, duration).
    pub log: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_upload: DEFAULT_MAX_UPLOAD,
            log: true,
        }
    }
}

#[derive(Clone)]
struct AppState {
    options: Arc<Options>,
    /// One permit per concurrent check or fix job.
    jobs: Arc<Semaphore>,
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

    /// Waits until the server stops by itself (it does not: `serve` runs until killed).
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

/// Binds `listen` (port 0: any free port) and serves on a background thread with its own
/// multi-thread runtime. Returns the bound address.
pub fn spawn(listen: &str, options: Options) -> Result<(SocketAddr, Handle), Error> {
    let cant =
        |e: std::io::Error| Error::Usage(format!("impossible d'écouter sur « {listen} » : {e}"));
    let std_listener = std::net::TcpListener::bind(listen).map_err(cant)?;
    std_listener.set_nonblocking(true).map_err(cant)?;
    let addr = std_listener.local_addr().map_err(cant)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .thread_name("lsu-lint-serve")
        .build()
        .map_err(|e| Error::Usage(format!("démarrage du service impossible : {e}")))?;
    let app = router(options);
    let (tx, rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("lsu-lint-serve".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(std_listener).map_err(|e| e.to_string())?;
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
                    .map_err(|e| e.to_string())
            })
        })
        .map_err(|e| Error::Usage(format!("démarrage du service impossible : {e}")))?;
    Ok((
        addr,
        Handle {
            shutdown: Some(tx),
            thread: Some(thread),
        },
    ))
}

/// `lsu-lint serve`: serves until the process is stopped.
pub fn run(listen: &str, options: Options) -> Result<i32, Error> {
    let max = options.max_upload;
    let (addr, handle) = spawn(listen, options)?;
    eprintln!(
        "lsu-lint serve : http://{addr}/ (requêtes limitées à {max} octets ; Ctrl-C pour arrêter)"
    );
    if !addr.ip().is_loopback() {
        eprintln!(
            "attention : le service est accessible depuis le réseau, sans chiffrement ; \
             placez-le derrière un serveur HTTPS (les fichiers LSU contiennent des données d'élèves)"
        );
    }
    handle.wait()?;
    Ok(0)
}

/// The routes of the service.
pub fn router(options: Options) -> Router {
    let jobs = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    let state = AppState {
        jobs: Arc::new(Semaphore::new(jobs.max(1))),
        options: Arc::new(options),
    };
    let limit = state.options.max_upload;
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route("/api/v1/check", post(check))
        .route("/api/v1/fix", post(fix_handler))
        .route("/api/v1/inspect", post(inspect::inspect))
        .route("/api/v1/rules", get(rules))
        .route("/api/v1/rules/{code}", get(rule))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log_request,
        ))
        .with_state(state)
}

/// The only log of a request: never its body, its query or its files' names.
async fn log_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    if state.options.log {
        eprintln!(
            "{method} {path} {} {} ms",
            resp.status().as_u16(),
            start.elapsed().as_millis()
        );
    }
    resp
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
            format!(
                "la requête dépasse la limite de {limit} octets (option --max-upload du service)"
            ),
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
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            format!("{body}\n"),
        )
            .into_response()
    }
}

async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "introuvable",
        "Ressource introuvable",
        "adresses disponibles : GET /, GET /healthz, POST /api/v1/check, POST /api/v1/fix, \
         POST /api/v1/inspect, GET /api/v1/rules, GET /api/v1/rules/{code}"
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
        Problem::too_large(limit)
    } else {
        Problem::bad_request(format!(
            "corps multipart illisible ou incomplet ({})",
            e.body_text()
        ))
    }
}

/// Reads the whole multipart form into memory.
async fn read_form(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    limit: usize,
) -> Result<Form, Problem> {
    // Refuse a declared oversized body before reading any of it.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(Problem::too_large(limit));
    }
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
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_problem(&e, limit))?;
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

/// Reads the form, then runs `job` on the blocking pool under a job permit.
async fn run_job(
    state: AppState,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    job: fn(Form) -> Result<Response, Problem>,
) -> Response {
    let limit = state.options.max_upload;
    let form = match tokio::time::timeout(READ_TIMEOUT, read_form(&headers, multipart, limit)).await
    {
        Ok(Ok(form)) => form,
        Ok(Err(p)) => return p.into_response(),
        Err(_) => {
            return Problem::new(
                StatusCode::REQUEST_TIMEOUT,
                "delai",
                "Envoi trop lent",
                format!(
                    "la requête n'a pas été reçue en entier en {} secondes",
                    READ_TIMEOUT.as_secs()
                ),
            )
            .into_response()
        }
    };
    let Ok(_permit) = state.jobs.clone().acquire_owned().await else {
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "arret",
            "Service en cours d'arrêt",
            "réessayez plus tard".into(),
        )
        .into_response();
    };
    match tokio::task::spawn_blocking(move || job(form)).await {
        Ok(Ok(resp)) => resp,
        Ok(Err(p)) => p.into_response(),
        // A panic in the engine is a bug: answer 500, keep serving.
        Err(_) => Problem::internal(
            "la vérification a échoué sur une erreur interne de lsu-lint ; merci de la signaler",
        )
        .into_response(),
    }
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/check

async fn check(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    run_job(state, headers, multipart, check_job).await
}

fn check_job(mut form: Form) -> Result<Response, Problem> {
    let engine = build_engine(&mut form)?;
    let lsu = std::mem::take(&mut form.lsu);
    let report = engine.check_bytes(lsu.into_iter().map(|u| (u.name, u.bytes)).collect());
    if form.html {
        let mut resp = output::html::render(&report).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return Ok(resp);
    }
    Ok(json_response(StatusCode::OK, output::json::render(&report)))
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/fix

async fn fix_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    run_job(state, headers, multipart, fix_job).await
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

/// Distinct stems for the files of one request (`lsu`, `lsu-2`, …).
fn distinct_stems(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let base = stem(&n);
        let mut cand = base.clone();
        let mut i = 2;
        while out.contains(&cand) {
            cand = format!("{base}-{i}");
            i += 1;
        }
        out.push(cand);
    }
    out
}

fn zip_of(entries: &[(String, &[u8])]) -> Result<Vec<u8>, Problem> {
    let zerr = |e: zip::result::ZipError| Problem::internal(format!("archive zip : {e}"));
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(name.as_str(), opts).map_err(zerr)?;
        w.write_all(bytes)
            .map_err(|e| Problem::internal(format!("archive zip : {e}")))?;
    }
    Ok(w.finish().map_err(zerr)?.into_inner())
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

fn fix_job(mut form: Form) -> Result<Response, Problem> {
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
    let applied: usize = outcomes.iter().map(|o| o.applied.len()).sum();
    let remaining: usize = outcomes
        .iter()
        .map(|o| o.remaining.count(crate::catalogue::Severity::Error))
        .sum();
    let stats = (applied, remaining);
    let Some(by) = form.split else {
        if let [o] = outcomes.as_slice() {
            let name = format!("{}-corrige.xml", stems[0]);
            return Ok(download("application/xml", &name, o.output.clone(), stats));
        }
        let entries: Vec<(String, &[u8])> = outcomes
            .iter()
            .zip(&stems)
            .map(|(o, s)| (format!("{s}-corrige.xml"), o.output.as_slice()))
            .collect();
        return Ok(download(
            "application/zip",
            "lsu-corriges.zip",
            zip_of(&entries)?,
            stats,
        ));
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
                     l'encodage (unsafe=true)",
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
    let entries: Vec<(String, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.clone(), b.as_slice()))
        .collect();
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
    Ok(download("application/zip", &name, zip_of(&entries)?, stats))
}
