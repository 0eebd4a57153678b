//! `POST /api/v1/inspect`: what each uploaded file is (`crate::inspect`). The handler only
//! carries the files to the library and its answer back; like every route, it never writes or
//! logs what it receives.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{client_name, json_response, multipart_problem, AppState, Problem, READ_TIMEOUT};

/// Reads every part of the form as a file (any field name), in order.
async fn read_files(
    headers: &HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
    limit: usize,
) -> Result<Vec<(String, Vec<u8>)>, Problem> {
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
            "envoyez les fichiers à reconnaître en multipart/form-data".into(),
        )
    })?;
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_problem(&e, limit))?
    {
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_problem(&e, limit))?;
        // A browser sends an empty, nameless part for a file input left empty.
        if file_name.as_deref().is_some_and(str::is_empty) && bytes.is_empty() {
            continue;
        }
        let n = files.len() + 1;
        files.push((
            client_name(file_name.as_deref(), format!("fichier-{n}")),
            Vec::from(bytes),
        ));
    }
    if files.is_empty() {
        return Err(Problem::bad_request(
            "aucun fichier : envoyez le ou les fichiers à reconnaître",
        ));
    }
    Ok(files)
}

pub(super) async fn inspect(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let limit = state.options.max_upload;
    let files =
        match tokio::time::timeout(READ_TIMEOUT, read_files(&headers, multipart, limit)).await {
            Ok(Ok(files)) => files,
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
    // Parsing an export is CPU-bound: same pool and permits as checks.
    let Ok(_permit) = state.jobs.clone().acquire_owned().await else {
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "arret",
            "Service en cours d'arrêt",
            "réessayez plus tard".into(),
        )
        .into_response();
    };
    match tokio::task::spawn_blocking(move || crate::inspect::inspect_all(files)).await {
        Ok(answer) => json_response(StatusCode::OK, crate::inspect::to_json(&answer)),
        Err(_) => Problem::internal(
            "la reconnaissance des fichiers a échoué sur une erreur interne de lsu-lint ; merci \
             de la signaler",
        )
        .into_response(),
    }
}
