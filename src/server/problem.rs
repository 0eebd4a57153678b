//! Problems: every refusal of the service as RFC 9457 `application/problem+json`, in French.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::limits::RETRY_AFTER_SECS;
use crate::error::Error;

#[derive(Debug)]
pub(super) struct Problem {
    status: StatusCode,
    slug: &'static str,
    title: &'static str,
    detail: String,
}

impl Problem {
    pub(super) fn new(
        status: StatusCode,
        slug: &'static str,
        title: &'static str,
        detail: String,
    ) -> Self {
        Problem {
            status,
            slug,
            title,
            detail,
        }
    }

    pub(super) fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "requete-invalide",
            "Requête invalide",
            detail.into(),
        )
    }

    pub(super) fn too_large(limit: usize) -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requete-trop-volumineuse",
            "Requête trop volumineuse",
            format!("la requête dépasse la limite de {limit} octets fixée par ce service"),
        )
    }

    pub(super) fn too_many(detail: String) -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "trop-de-fichiers",
            "Trop de fichiers",
            detail,
        )
    }

    /// 503 with `Retry-After`: the service is full for now, the request was not read.
    pub(super) fn busy(detail: &str) -> Self {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service-sature",
            "Service momentanément saturé",
            detail.into(),
        )
    }

    pub(super) fn internal(detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "erreur-interne",
            "Erreur interne",
            detail.into(),
        )
    }

    /// Errors of the engine's setup: all come from what the user sent, except the internal ones.
    pub(super) fn from_error(e: Error) -> Self {
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

pub(super) async fn not_found() -> Problem {
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

pub(super) async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "methode",
        "Méthode non autorisée",
        "cette adresse n'accepte pas cette méthode (les vérifications se font en POST)".into(),
    )
}
