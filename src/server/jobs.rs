//! Check and fix jobs: the form is read, a job slot awaited, then the job runs on the
//! blocking pool and its answer streams back (`POST /api/v1/check`, `POST /api/v1/fix`).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use rayon::prelude::*;
use tokio::sync::oneshot;

use super::form::{build_engine, read_form, Form};
use super::metrics::Limit;
use super::{conn, json_response, stream, AppState, Problem, Shared};
use crate::engine::FileReport;
use crate::fix::{self, FixOptions, FixOutcome};
use crate::output;
use crate::source::SourceFile;
use crate::split::{self, SplitBy};

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
        // The memory goes back to the system when the last answer ends (`limits::Reservation`).
        drop(permit);
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

pub(super) async fn check(
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

pub(super) async fn fix_handler(
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
