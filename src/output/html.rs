//! `--format html`: one self-contained French page, root causes first, then every finding.

use super::junit::escape;
use super::{plural, Report};

pub fn render(report: &Report) -> String {
    let s = report.summary();
    let mut o = String::from(
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Rapport lsu-lint</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}.error{color:#b00}.warning{color:#a60}.info{color:#06a}code{background:#f4f4f4}</style></head><body>\n<h1>Rapport lsu-lint</h1>\n",
    );
    o.push_str(&format!(
        "<p>{} — <span class=\"error\">{}</span>, <span class=\"warning\">{}</span>, <span class=\"info\">{}</span>. <strong>Bilans rejetés estimés : {}</strong>.</p>\n",
        plural(report.files.len(), "fichier", "fichiers"),
        plural(s.errors, "erreur", "erreurs"),
        plural(s.warnings, "avertissement", "avertissements"),
        plural(s.infos, "info", "infos"),
        s.bilans_rejetes_estimes
    ));
    let causes = report.causes();
    if !causes.is_empty() {
        o.push_str("<h2>Causes principales</h2>\n<ul>\n");
        for c in causes {
            o.push_str(&format!(
                "<li>{} — {} : {}</li>\n",
                c.code,
                escape(&c.title),
                escape(&super::cause_counts(c))
            ));
        }
        o.push_str("</ul>\n");
    }
    o.push_str("<h2>Par règle</h2>\n<table><tr><th>code</th><th>règle</th><th>nombre</th><th>impact</th></tr>\n");
    for (code, n) in &s.by_code {
        let m = code.meta();
        o.push_str(&format!(
            "<tr><td><code>{code}</code></td><td>{}</td><td>{n}</td><td>{}</td></tr>\n",
            escape(m.title()),
            m.impact.as_str()
        ));
    }
    o.push_str("</table>\n");
    for f in &report.files {
        o.push_str(&format!("<h2>{}</h2>\n", escape(&f.name)));
        if f.diagnostics.is_empty() {
            o.push_str("<p>Aucun problème détecté.</p>\n");
            continue;
        }
        o.push_str("<table><tr><th>ligne</th><th>code</th><th>gravité</th><th>message</th><th>élève</th><th>classe</th></tr>\n");
        for d in &f.diagnostics {
            o.push_str(&format!(
                "<tr><td>{}:{}</td><td><code>{}</code></td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                d.line,
                d.column,
                d.code,
                d.severity.as_str(),
                d.severity.label_fr(),
                escape(&d.message),
                escape(d.eleve.as_deref().unwrap_or("")),
                escape(d.division.as_deref().unwrap_or(""))
            ));
        }
        o.push_str("</table>\n");
    }
    o.push_str("</body></html>\n");
    o
}
