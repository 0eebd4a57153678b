//! `--format gitlab`: GitLab Code Quality report (JSON array). The fingerprint is the
//! finding's identity, so the merge-request widget sees a finding as the same one when lines
//! or pupils are added above it.

use serde_json::json;

use super::Report;
use crate::catalogue::{Impact, Severity};

pub fn render(report: &Report) -> String {
    let mut v = Vec::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let severity = match (d.severity, d.meta().impact) {
                (Severity::Error, Impact::FichierRejete) => "blocker",
                (Severity::Error, _) => "critical",
                (Severity::Warning, _) => "major",
                (Severity::Info, _) => "info",
            };
            v.push(json!({
                "description": format!("{} {}", d.code, d.message),
                "check_name": d.code,
                "fingerprint": d.fingerprint,
                "severity": severity,
                "location": {"path": f.name, "lines": {"begin": d.line.max(1)}},
            }));
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
