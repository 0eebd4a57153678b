//! The simple routes: the page, health, readiness, metrics and the rules catalogue.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::limits::RETRY_AFTER_SECS;
use super::{AppState, Problem};

/// The French page served at `/`.
const PAGE: &str = include_str!("page.html");

pub(super) async fn index() -> Response {
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

pub(super) fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

pub(super) async fn healthz() -> Response {
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
pub(super) async fn readyz(State(state): State<AppState>) -> Response {
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
pub(super) async fn metrics_route(State(state): State<AppState>) -> Response {
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

pub(super) async fn rules() -> Response {
    json_response(StatusCode::OK, crate::catalogue::listing_json())
}

pub(super) async fn rule(axum::extract::Path(code): axum::extract::Path<String>) -> Response {
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
