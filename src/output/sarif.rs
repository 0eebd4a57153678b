//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, GitLab,
//! IDE viewers). Locations are relative to the working directory (`%SRCROOT%`) when the file
//! lies below it, URIs are percent-encoded, columns count Unicode code points, and each result
//! carries the finding's identity as a partial fingerprint so that dashboards follow it when
//! lines move.

use chrono::SecondsFormat;
use serde_json::{json, Value};

use super::Report;
use crate::catalogue::{RuleMeta, Severity, CATALOGUE};

/// The key of our fingerprint in `partialFingerprints` (versioned with the identity).
pub const FINGERPRINT_KEY: &str = "lsuLintIdentity/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a path for a URI: everything but RFC 3986's unreserved characters and `/`
/// (`export été,50%.xml` → `export%20%C3%A9t%C3%A9%2C50%25.xml`).
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            // Windows separators become URI separators.
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The artifact location of a file as reports name it: relative names are resolved against
/// `%SRCROOT%` (the working directory, which CI services take as the repository root),
/// absolute ones become `file://` URIs.
fn artifact_location(name: &str) -> Value {
    let p = std::path::Path::new(name);
    if p.is_absolute() {
        let encoded = percent_encode_path(name);
        let sep = if encoded.starts_with('/') { "" } else { "/" };
        json!({"uri": format!("file://{sep}{encoded}")})
    } else {
        json!({"uri": percent_encode_path(name), "uriBaseId": "%SRCROOT%"})
    }
}

/// Where each rule's page can be read online: the package's repository, when it names one.
fn help_uri(m: &RuleMeta) -> Option<String> {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    (!repo.is_empty()).then(|| format!("{repo}/blob/main/rules/{}.md", m.code))
}

fn rule(m: &RuleMeta) -> Value {
    let mut r = json!({
        "id": m.code,
        "name": m.name,
        "shortDescription": {"text": m.title()},
        "fullDescription": {"text": format!("{} — impact LSU : {}", m.title(), m.impact.as_str())},
        "defaultConfiguration": {"level": level(m.severity)},
        "properties": {
            "impact": m.impact.as_str(),
            "confidence": m.confidence.as_str(),
            "needs": m.needs,
            "fix": m.fix_note,
        },
    });
    if let Some(page) = m.page() {
        // The rule's page (French Markdown, embedded from rules/) is what dashboards show
        // next to an alert.
        r["help"] = json!({"text": page, "markdown": page});
    }
    if let Some(uri) = help_uri(m) {
        r["helpUri"] = json!(uri);
    }
    r
}

pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = CATALOGUE.iter().map(rule).collect();
    let mut results = Vec::new();
    for f in &report.files {
        let location = artifact_location(&f.name);
        for d in &f.diagnostics {
            let rule_index = CATALOGUE.iter().position(|m| m.code == d.code).unwrap_or(0);
            let mut loc = json!({
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {
                        "startLine": d.line.max(1),
                        "startColumn": d.column.max(1),
                        "byteOffset": d.start,
                        "byteLength": d.end.saturating_sub(d.start),
                    }
                }
            });
            if let Some(p) = d.id_path.as_deref().filter(|p| !p.is_empty()) {
                let kind = if p.contains("/@") {
                    "attribute"
                } else {
                    "element"
                };
                loc["logicalLocations"] = json!([{"fullyQualifiedName": p, "kind": kind}]);
            }
            let mut r = json!({
                "ruleId": d.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [loc],
                "partialFingerprints": {FINGERPRINT_KEY: d.fingerprint},
                "properties": {
                    "kind": d.kind,
                    "impact": d.meta().impact.as_str(),
                    "eleve": d.eleve,
                    "division": d.division,
                },
            });
            if let Some(fix) = &d.fix {
                if !fix.edits.is_empty() {
                    r["fixes"] = json!([{
                        "description": {"text": fix.title},
                        "artifactChanges": [{
                            "artifactLocation": location,
                            "replacements": fix.edits.iter().map(|e| json!({
                                "deletedRegion": {"byteOffset": e.start, "byteLength": e.end.saturating_sub(e.start)},
                                "insertedContent": {"text": e.replacement},
                            })).collect::<Vec<_>>(),
                        }],
                    }]);
                }
            }
            results.push(r);
        }
    }
    let mut invocation = json!({
        "executionSuccessful": true,
        "exitCode": report.exit_code(),
    });
    let time = |t: &chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    if let Some(t) = &report.started {
        invocation["startTimeUtc"] = json!(time(t));
    }
    if let Some(t) = &report.finished {
        invocation["endTimeUtc"] = json!(time(t));
    }
    let mut driver = json!({
        "name": "lsu-lint",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    let repo = env!("CARGO_PKG_REPOSITORY");
    if !repo.is_empty() {
        driver["informationUri"] = json!(repo);
    }
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            // Our columns count characters, i.e. Unicode code points (SARIF's default would
            // be UTF-16 code units, which differ beyond the Basic Multilingual Plane).
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::percent_encode_path;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            percent_encode_path("exports/export été,50%.xml"),
            "exports/export%20%C3%A9t%C3%A9%2C50%25.xml"
        );
        assert_eq!(percent_encode_path("a-b_c.~/d.xml"), "a-b_c.~/d.xml");
        assert_eq!(percent_encode_path("a#b?c"), "a%23b%3Fc");
    }
}
