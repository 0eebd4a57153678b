//! `--format junit`: one test suite per file, one failing test case per finding of severity
//! error or warning (infos are passing cases), so CI systems show them as test results.

use super::Report;
use crate::catalogue::Severity;

pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

pub fn render(report: &Report) -> String {
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total: usize = report
        .files
        .iter()
        .map(|f| f.diagnostics.len().max(1))
        .sum();
    let failures: usize = report
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.severity != Severity::Info)
        .count();
    o.push_str(&format!(
        "<testsuites name=\"lsu-lint\" tests=\"{total}\" failures=\"{failures}\">\n"
    ));
    for f in &report.files {
        let fails = f
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .count();
        o.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\">\n",
            escape(&f.name),
            f.diagnostics.len().max(1)
        ));
        if f.diagnostics.is_empty() {
            o.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"aucun problème\"/>\n",
                escape(&f.name)
            ));
        }
        for d in &f.diagnostics {
            let name = format!(
                "{} {} ligne {} colonne {}",
                d.code,
                d.meta().name,
                d.line,
                d.column
            );
            o.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(&f.name),
                escape(&name)
            ));
            if d.severity == Severity::Info {
                o.push_str("/>\n");
            } else {
                o.push_str(&format!(
                    ">\n      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {} {}</failure>\n    </testcase>\n",
                    d.severity.as_str(),
                    escape(&d.message),
                    escape(&f.name),
                    d.line,
                    d.column,
                    d.code,
                    escape(&d.message)
                ));
            }
        }
        o.push_str("  </testsuite>\n");
    }
    o.push_str("</testsuites>\n");
    o
}
