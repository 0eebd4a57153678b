//! `--format github`: GitHub Actions workflow commands (annotations on the file and line).

use super::Report;
use crate::catalogue::Severity;

fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut o = String::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let kind = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            o.push_str(&format!(
                "::{kind} file={},line={},col={},title={}::{}\n",
                property(&f.name),
                d.line,
                d.column,
                property(&format!("{} {}", d.code, d.meta().name)),
                data(&d.message)
            ));
        }
    }
    o
}
