//! `--format json`: the stable, versioned contract of `interfaces.md`.

use serde_json::{json, Map, Value};

use super::Report;

pub fn render(report: &Report) -> String {
    let files: Vec<Value> = report
        .files
        .iter()
        .map(|f| {
            let diags: Vec<Value> = f
                .diagnostics
                .iter()
                .map(|d| {
                    let meta = d.meta();
                    json!({
                        "code": d.code,
                        "name": meta.name,
                        "kind": d.kind,
                        "severity": d.severity.as_str(),
                        "impact": meta.impact.as_str(),
                        "confidence": meta.confidence.as_str(),
                        "message": d.message,
                        "line": d.line,
                        "column": d.column,
                        "start": d.start,
                        "end": d.end,
                        "path": d.path,
                        "eleve": d.eleve,
                        "division": d.division,
                        "fix": d.fix,
                    })
                })
                .collect();
            json!({
                "path": f.name,
                "degree": f.degree,
                "schema_version": f.schema_version,
                "eleves": f.eleves,
                "bilans_periodiques": f.bilans_periodiques,
                "bilans_cycle": f.bilans_cycle,
                "diagnostics": diags,
            })
        })
        .collect();
    let s = report.summary();
    let by_code: Map<String, Value> = s
        .by_code
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let skipped: Vec<Value> = report
        .skipped_rules
        .iter()
        .map(|(c, m)| json!({"code": c, "missing": m}))
        .collect();
    let v = json!({
        "version": 1,
        "tool": {"name": "lsu-lint", "version": env!("CARGO_PKG_VERSION")},
        "inputs": report.inputs,
        "skipped_rules": skipped,
        "notes": report.notes,
        "files": files,
        "summary": {
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "by_code": by_code,
            "bilans_rejetes_estimes": s.bilans_rejetes_estimes,
            "causes": report.causes(),
        }
    });
    let mut out = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}
