//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards.

use serde_json::{json, Value};

use super::Report;
use crate::catalogue::{Severity, CATALOGUE};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = CATALOGUE
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.title()},
                "fullDescription": {"text": format!("{} — impact LSU : {}", m.title(), m.impact.as_str())},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"impact": m.impact.as_str(), "needs": m.needs, "fix": m.fix_note},
            })
        })
        .collect();
    let mut results = Vec::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let rule_index = CATALOGUE.iter().position(|m| m.code == d.code).unwrap_or(0);
            let mut r = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.name},
                        "region": {
                            "startLine": d.line.max(1),
                            "startColumn": d.column.max(1),
                            "byteOffset": d.start,
                            "byteLength": d.end.saturating_sub(d.start),
                        }
                    }
                }],
                "properties": {"impact": d.meta().impact.as_str(), "eleve": d.eleve, "division": d.division},
            });
            if let Some(fix) = &d.fix {
                if !fix.edits.is_empty() {
                    r["fixes"] = json!([{
                        "description": {"text": fix.title},
                        "artifactChanges": [{
                            "artifactLocation": {"uri": f.name},
                            "replacements": fix.edits.iter().map(|e| json!({
                                "deletedRegion": {"byteOffset": e.start, "byteLength": e.end - e.start},
                                "insertedContent": {"text": e.replacement},
                            })).collect::<Vec<_>>(),
                        }],
                    }]);
                }
            }
            results.push(r);
        }
    }
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "lsu-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
