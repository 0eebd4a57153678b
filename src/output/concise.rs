//! `--format concise`: one line per finding, `path:line:col: CODE message`.

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        for d in &f.diagnostics {
            out.push_str(&format!(
                "{}:{}:{}: {} {}\n",
                f.name, d.line, d.column, d.code, d.message
            ));
        }
    }
    out
}
