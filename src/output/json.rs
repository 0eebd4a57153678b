//! `--format json`: the stable, versioned contract of `interfaces.md`.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{json, Map, Value};

use super::Report;
use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail; the output is JSON, hence UTF-8.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report as `render` gives it, without building it whole in memory: files and
/// diagnostics are serialised one at a time (the service streams its answers this way).
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    Lazy(report).serialize(&mut ser)?;
    w.write_all(b"\n")
}

/// The top-level object; `files` is the only large member.
struct Lazy<'r>(&'r Report);

impl Serialize for Lazy<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Value::Object(envelope) = envelope(self.0) else {
            return s.serialize_none();
        };
        let mut m = s.serialize_map(Some(envelope.len()))?;
        for (k, v) in &envelope {
            if k == "files" {
                m.serialize_entry(k, &Files(&self.0.files))?;
            } else {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

struct Files<'r>(&'r [FileReport]);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for f in self.0 {
            seq.serialize_element(&File(f))?;
        }
        seq.end()
    }
}

struct File<'r>(&'r FileReport);

impl Serialize for File<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let Value::Object(fields) = file_fields(f) else {
            return s.serialize_none();
        };
        let mut m = s.serialize_map(Some(fields.len()))?;
        for (k, v) in &fields {
            if k == "diagnostics" {
                m.serialize_entry(k, &Diagnostics(&f.diagnostics))?;
            } else {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

struct Diagnostics<'r>(&'r [Diagnostic]);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for d in self.0 {
            seq.serialize_element(&diagnostic(d))?;
        }
        seq.end()
    }
}

/// One diagnostic.
fn diagnostic(d: &Diagnostic) -> Value {
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
}

/// One file's members; `diagnostics` is a placeholder filled by `File`.
fn file_fields(f: &FileReport) -> Value {
    json!({
        "path": f.name,
        "degree": f.degree,
        "schema_version": f.schema_version,
        "eleves": f.eleves,
        "bilans_periodiques": f.bilans_periodiques,
        "bilans_cycle": f.bilans_cycle,
        "diagnostics": Value::Null,
    })
}

/// The report's members; `files` is a placeholder filled by `Lazy`.
fn envelope(report: &Report) -> Value {
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
    json!({
        "version": 1,
        "tool": {"name": "lsu-lint", "version": env!("CARGO_PKG_VERSION")},
        "inputs": report.inputs,
        "skipped_rules": skipped,
        "notes": report.notes,
        "files": Value::Null,
        "summary": {
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "by_code": by_code,
            "bilans_rejetes_estimes": s.bilans_rejetes_estimes,
            "causes": report.causes(),
        }
    })
}
