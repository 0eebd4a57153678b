//! `GET /metrics`: the service's counters in the Prometheus text format, kept by the
//! `prometheus` crate in a registry of this server (two servers in one process never mix).
//! Labels have bounded values: routes are the fixed paths of the service, codes the catalogue's.

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    pub requests: IntCounterVec,
    pub duration: HistogramVec,
    pub files: IntCounter,
    pub bilans: IntCounter,
    pub findings: IntCounterVec,
    pub inflight_bytes: IntGauge,
    pub inflight_limit: IntGauge,
    pub jobs_running: IntGauge,
    pub jobs_waiting: IntGauge,
    pub connections: IntGauge,
    pub rejections: IntCounterVec,
    pub upload_bytes: Histogram,
    pub memory_releases: IntCounter,
}

/// The label of a rejection, by limit (the `limit` label of `lsu_lint_rejections_total`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `--max-inflight-bytes`
    InflightBytes,
    /// `--max-upload`
    Upload,
    /// `--max-files`
    Files,
    /// `--max-parts`
    Parts,
    /// `--max-connections`
    Connections,
    /// `--header-timeout`
    HeaderTimeout,
    /// `--idle-timeout`
    IdleTimeout,
    /// `--body-timeout`
    BodyTimeout,
    /// Refused while stopping (SIGTERM).
    ShuttingDown,
}

impl Limit {
    pub fn label(self) -> &'static str {
        match self {
            Limit::InflightBytes => "max_inflight_bytes",
            Limit::Upload => "max_upload",
            Limit::Files => "max_files",
            Limit::Parts => "max_parts",
            Limit::Connections => "max_connections",
            Limit::HeaderTimeout => "header_timeout",
            Limit::IdleTimeout => "idle_timeout",
            Limit::BodyTimeout => "body_timeout",
            Limit::ShuttingDown => "shutting_down",
        }
    }

    pub const ALL: [Limit; 9] = [
        Limit::InflightBytes,
        Limit::Upload,
        Limit::Files,
        Limit::Parts,
        Limit::Connections,
        Limit::HeaderTimeout,
        Limit::IdleTimeout,
        Limit::BodyTimeout,
        Limit::ShuttingDown,
    ];
}

/// The routes counted apart; anything else is `other` (a scan of random paths must not create
/// series without end).
pub const ROUTES: &[&str] = &[
    "/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/v1/check",
    "/api/v1/fix",
    "/api/v1/rules",
    "/api/v1/rules/{code}",
];

pub fn route_label(path: &str) -> &'static str {
    if path.starts_with("/api/v1/rules/") {
        return "/api/v1/rules/{code}";
    }
    ROUTES
        .iter()
        .find(|r| **r == path)
        .copied()
        .unwrap_or("other")
}

fn counter_vec(reg: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels).unwrap_or_else(|_| {
        // Names and labels are constants of this file; this cannot fail.
        unreachable_metric(name)
    });
    let _ = reg.register(Box::new(c.clone()));
    c
}

fn gauge(reg: &Registry, name: &str, help: &str) -> IntGauge {
    let g = IntGauge::new(name, help).unwrap_or_else(|_| unreachable_metric(name));
    let _ = reg.register(Box::new(g.clone()));
    g
}

fn counter(reg: &Registry, name: &str, help: &str) -> IntCounter {
    let c = IntCounter::new(name, help).unwrap_or_else(|_| unreachable_metric(name));
    let _ = reg.register(Box::new(c.clone()));
    c
}

#[cold]
fn unreachable_metric(name: &str) -> ! {
    panic!("invalid metric definition {name}")
}

impl Metrics {
    pub fn new(inflight_limit: u64) -> Self {
        let registry = Registry::new();
        let requests = counter_vec(
            &registry,
            "lsu_lint_http_requests_total",
            "HTTP requests answered, by route and status.",
            &["route", "status"],
        );
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "lsu_lint_http_request_duration_seconds",
                "Time from a request's headers to its answer's headers, by route.",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0,
            ]),
            &["route"],
        )
        .unwrap_or_else(|_| unreachable_metric("duration"));
        let _ = registry.register(Box::new(duration.clone()));
        let upload_bytes = Histogram::with_opts(
            HistogramOpts::new(
                "lsu_lint_request_body_bytes",
                "Declared size of the check and fix requests admitted.",
            )
            .buckets(prometheus::exponential_buckets(16_384.0, 4.0, 9).unwrap_or_default()),
        )
        .unwrap_or_else(|_| unreachable_metric("upload"));
        let _ = registry.register(Box::new(upload_bytes.clone()));
        let m = Metrics {
            requests,
            duration,
            upload_bytes,
            files: counter(
                &registry,
                "lsu_lint_files_checked_total",
                "LSU files checked (by check, and by fix before its corrections).",
            ),
            bilans: counter(
                &registry,
                "lsu_lint_bilans_checked_total",
                "Bilans (periodic and end-of-cycle) in the LSU files checked.",
            ),
            findings: counter_vec(
                &registry,
                "lsu_lint_findings_total",
                "Findings reported by check, by rule code.",
                &["code"],
            ),
            inflight_bytes: gauge(
                &registry,
                "lsu_lint_inflight_bytes",
                "Bytes of requests held now (bodies received, checked or answered).",
            ),
            inflight_limit: gauge(
                &registry,
                "lsu_lint_inflight_bytes_limit",
                "The budget of bytes in flight (--max-inflight-bytes).",
            ),
            jobs_running: gauge(
                &registry,
                "lsu_lint_jobs_running",
                "Checks and fixes running now.",
            ),
            jobs_waiting: gauge(
                &registry,
                "lsu_lint_jobs_waiting",
                "Checks and fixes received whole and waiting for a job slot.",
            ),
            connections: gauge(
                &registry,
                "lsu_lint_connections_open",
                "Client connections open now.",
            ),
            memory_releases: counter(
                &registry,
                "lsu_lint_memory_releases_total",
                "Times the idle service gave the memory freed by its last requests back to the system.",
            ),
            rejections: counter_vec(
                &registry,
                "lsu_lint_rejections_total",
                "Requests or connections refused, by the limit that refused them.",
                &["limit"],
            ),
            registry,
        };
        m.inflight_limit
            .set(i64::try_from(inflight_limit).unwrap_or(i64::MAX));
        // Every limit's series exists from the start (a rate over a missing series is empty).
        for l in Limit::ALL {
            m.rejections.with_label_values(&[l.label()]);
        }
        #[cfg(target_os = "linux")]
        {
            let _ = m.registry.register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ));
        }
        m
    }

    pub fn reject(&self, limit: Limit) {
        self.rejections.with_label_values(&[limit.label()]).inc();
    }

    /// The text exposition of every metric.
    pub fn render(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        out
    }
}
