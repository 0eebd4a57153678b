//! `--format gitlab`: GitLab Code Quality report (JSON array).

use serde_json::json;

use super::Report;
use crate::catalogue::Severity;

/// FNV-1a 64: a stable fingerprint without a hashing dependency.
fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

pub fn render(report: &Report) -> String {
    let mut v = Vec::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let severity = match (d.severity, d.meta().impact) {
                (Severity::Error, crate::catalogue::Impact::FichierRejete) => "blocker",
                (Severity::Error, _) => "critical",
                (Severity::Warning, _) => "major",
                (Severity::Info, _) => "info",
            };
            let start = d.start.to_string();
            v.push(json!({
                "description": format!("{} {}", d.code, d.message),
                "check_name": d.code,
                "fingerprint": fingerprint(&[&f.name, d.code.as_str(), &start, &d.message]),
                "severity": severity,
                "location": {"path": f.name, "lines": {"begin": d.line.max(1)}},
            }));
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
