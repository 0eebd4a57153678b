//! `--format html`: the report a helpdesk sends to a school. One self-contained French page
//! (inline style, no network, printable): who and what was checked, the estimated rejections,
//! then the root causes in order, each with where to correct it and what to do, expandable to
//! its classes, pupils and findings with their source line. The web page shows the same
//! structure (`body`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{cause_counts, plural, Report};
use crate::catalogue::{FixClass, Severity};
use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use crate::report::{Cause, FindingRef};
use crate::util::capitalise;
use crate::util::escape_markup as escape;

/// Findings listed under one cause before « … et N autres ».
const MAX_FINDINGS_PER_CAUSE: usize = 200;
/// Pupils listed per class under one cause.
const MAX_PUPILS_PER_CLASS: usize = 60;

/// The style of the report, shared with the web page.
pub const STYLE: &str = r#"
.lsu-report{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;line-height:1.45}
.lsu-report h1{font-size:1.6em;margin:.2em 0 .4em}
.lsu-report h2{font-size:1.25em;margin:1.4em 0 .5em;border-bottom:2px solid #000091;padding-bottom:.2em}
.lsu-report h3{font-size:1.05em;margin:1em 0 .4em}
.lsu-report .meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0}
.lsu-report .meta dt{font-weight:600}
.lsu-report .meta dd{margin:0}
.lsu-report .verdict{background:#f5f5fe;border-left:6px solid #000091;padding:.6em 1em;margin:1em 0}
.lsu-report .verdict.bad{background:#fef4f4;border-left-color:#ce0500}
.lsu-report .verdict.ok{background:#f2fbf4;border-left-color:#18753c}
.lsu-report .verdict p{margin:.3em 0}
.lsu-report ol.causes{padding-left:0;list-style:none;counter-reset:cause}
.lsu-report ol.causes>li{border:1px solid #ccc;border-radius:6px;margin:.6em 0;padding:.2em .8em;counter-increment:cause}
.lsu-report ol.causes>li.error{border-left:6px solid #ce0500}
.lsu-report ol.causes>li.warning{border-left:6px solid #b34000}
.lsu-report ol.causes>li.info{border-left:6px solid #0063cb}
.lsu-report summary{cursor:pointer;padding:.4em 0}
.lsu-report ol.causes>li summary::before{content:counter(cause) ". ";font-weight:700}
.lsu-report summary:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
.lsu-report .title{font-weight:700}
.lsu-report .counts{display:block;color:#3a3a3a;margin-left:1.4em}
.lsu-report .badge{display:inline-block;font-size:.8em;font-weight:700;padding:.05em .5em;border-radius:4px;margin-right:.4em;vertical-align:.1em}
.lsu-report .badge.error{background:#ffe9e9;color:#ce0500}
.lsu-report .badge.warning{background:#fff4e5;color:#8a3a00}
.lsu-report .badge.info{background:#e8edff;color:#0050a8}
.lsu-report .todo{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.4em 0 .6em}
.lsu-report .todo dt{font-weight:600}
.lsu-report .todo dd{margin:0}
.lsu-report table{border-collapse:collapse;width:100%;margin:.4em 0}
.lsu-report th,.lsu-report td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
.lsu-report th{background:#f0f0f0}
.lsu-report td.num{text-align:right}
.lsu-report code,.lsu-report pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;background:#f4f4f4;border-radius:3px}
.lsu-report pre{margin:.2em 0 0;padding:.2em .4em;white-space:pre-wrap;word-break:break-all}
.lsu-report .muted{color:#555}
.lsu-report .consequence{background:#fff8e1;padding:.3em .6em;border-radius:4px}
@media print{.lsu-report details>summary{list-style:none}.lsu-report ol.causes>li{break-inside:avoid-page}}
"#;

pub fn render(report: &Report) -> String {
    let mut o = String::with_capacity(16 * 1024);
    let title = match first_uai_year(report) {
        (Some(uai), Some(y)) => format!("Rapport lsu-lint — {uai} — {y}-{}", y + 1),
        (Some(uai), None) => format!("Rapport lsu-lint — {uai}"),
        _ => "Rapport lsu-lint".to_string(),
    };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title>\n<style>body{{margin:1.5em auto;max-width:72em;padding:0 1em}}{STYLE}</style>\n\
         </head><body>\n<main class=\"lsu-report\">\n<h1>Rapport de vérification avant import dans LSU</h1>\n",
        escape(&title)
    );
    o.push_str(&body(report));
    let _ = write!(
        o,
        "<footer class=\"muted\"><p>Produit par lsu-lint {} ; les estimations prévoient la réaction de LSU \
         d'après les règles connues, sans la garantir.</p></footer>\n</main>\n",
        env!("CARGO_PKG_VERSION")
    );
    // Printing opens every cause, so the paper copy holds the details too.
    o.push_str(
        "<script>addEventListener(\"beforeprint\",function(){document.querySelectorAll(\"details\").forEach(function(d){d.open=true})});</script>\n",
    );
    o.push_str("</body></html>\n");
    o
}

/// The report's content without the page around it: the web page shows it as its results.
pub fn body(report: &Report) -> String {
    let mut o = String::with_capacity(16 * 1024);
    header(report, &mut o);
    verdict(report, &mut o);
    causes(report, &mut o);
    by_rule(report, &mut o);
    o
}

fn first_uai_year(report: &Report) -> (Option<&str>, Option<i32>) {
    let uai = report.files.iter().find_map(|f| f.uai.as_deref());
    let year = report.files.iter().find_map(|f| f.annee);
    (uai, year)
}

fn degree_fr(f: &FileReport) -> &'static str {
    match f.degree.map(|d| d.as_str()) {
        Some("1d") => "1er degré (école)",
        Some("2d") => "2d degré (collège)",
        _ => "degré inconnu",
    }
}

fn header(report: &Report, o: &mut String) {
    o.push_str("<dl class=\"meta\">\n");
    let uais: Vec<&str> = distinct(report.files.iter().filter_map(|f| f.uai.as_deref()));
    let years: Vec<String> = distinct(report.files.iter().filter_map(|f| f.annee))
        .into_iter()
        .map(|y| format!("{y}-{}", y + 1))
        .collect();
    let _ = write!(
        o,
        "<dt>Établissement (UAI)</dt><dd>{}</dd>\n<dt>Année scolaire</dt><dd>{}</dd>\n",
        escape(&or_unknown(&uais.join(", "))),
        escape(&or_unknown(&years.join(", ")))
    );
    let _ = writeln!(
        o,
        "<dt>Vérifié le</dt><dd>{} (date utilisée par les règles qui dépendent du jour)</dd>",
        report.today.format("%d/%m/%Y")
    );
    o.push_str("<dt>Fichiers vérifiés</dt><dd><ul>");
    for f in &report.files {
        let version = f
            .schema_version
            .as_deref()
            .map(|v| format!(", version {v}"))
            .unwrap_or_default();
        let _ = write!(
            o,
            "<li><code>{}</code> — {}{version} ; {} ; {}, {}</li>",
            escape(&f.name),
            degree_fr(f),
            plural(f.eleves, "élève", "élèves"),
            plural(
                f.bilans_periodiques,
                "bilan périodique",
                "bilans périodiques"
            ),
            plural(
                f.bilans_cycle,
                "bilan de fin de cycle",
                "bilans de fin de cycle"
            ),
        );
    }
    o.push_str("</ul></dd>\n<dt>Données de référence</dt><dd>");
    let refs = reference_list(report);
    if refs.is_empty() {
        o.push_str("aucune (seules les règles qui lisent le fichier seul ont été appliquées)");
    } else {
        o.push_str("<ul>");
        for (what, path) in refs {
            // Shown relative to the working directory, as the checked files are.
            let shown = crate::util::display_path(std::path::Path::new(path));
            let _ = write!(o, "<li>{what} : <code>{}</code></li>", escape(&shown));
        }
        o.push_str("</ul>");
    }
    o.push_str("</dd>\n</dl>\n");
    if !report.notes.is_empty() {
        o.push_str("<details><summary>Remarques sur les fichiers fournis</summary><ul>");
        for n in &report.notes {
            let _ = write!(o, "<li>{}</li>", inline(&n.to_string()));
        }
        o.push_str("</ul></details>\n");
    }
}

fn reference_list(report: &Report) -> Vec<(&'static str, &str)> {
    let i = &report.inputs;
    [
        ("Siècle ElevesSansAdresses", &i.siecle),
        ("Siècle Nomenclature", &i.nomenclature),
        ("Siècle Communs", &i.communs),
        ("STS-Web", &i.sts),
        ("ONDE", &i.onde),
        ("Paramètres LSU", &i.settings),
        ("Configuration lsu-lint", &i.config),
    ]
    .into_iter()
    .filter_map(|(what, p)| p.as_deref().map(|p| (what, p)))
    .collect()
}

fn verdict(report: &Report, o: &mut String) {
    let s = report.summary();
    let class = if s.errors > 0 {
        "verdict bad"
    } else if s.warnings > 0 {
        "verdict"
    } else {
        "verdict ok"
    };
    let _ = writeln!(o, "<section class=\"{class}\" aria-label=\"Verdict\">");
    let file_rejected = report.causes().iter().any(|c| {
        c.severity == Severity::Error && c.impact == crate::catalogue::Impact::FichierRejete
    });
    let total: usize = report
        .files
        .iter()
        .map(|f| f.bilans_periodiques + f.bilans_cycle)
        .sum();
    let _ = writeln!(
        o,
        "<p><strong>Bilans rejetés estimés : {} sur {total}.</strong></p>",
        s.bilans_rejetes_estimes
    );
    if s.errors == 0 {
        o.push_str("<p>Aucune erreur : LSU ne devrait rejeter aucun bilan.</p>\n");
    } else if file_rejected {
        o.push_str(
            "<p>LSU refusera probablement le fichier entier : corrigez d'abord les causes marquées \
             « fichier rejeté », puis exportez à nouveau.</p>\n",
        );
    }
    let _ = writeln!(
        o,
        "<p>{} en tout : {}, {}, {} ; {}.</p>",
        plural(
            s.errors + s.warnings + s.infos,
            "constatation",
            "constatations"
        ),
        plural(s.errors, "erreur", "erreurs"),
        plural(s.warnings, "avertissement", "avertissements"),
        plural(s.infos, "information", "informations"),
        plural(report.causes().len(), "cause", "causes"),
    );
    if !report.skipped_rules.is_empty() {
        let list: Vec<String> = report
            .skipped_rules
            .iter()
            .map(|(c, missing)| {
                let what: Vec<&str> = missing.iter().map(|m| super::input_fr(m)).collect();
                format!(
                    "{c} ({}) : il manque {}",
                    escape(c.meta().title()),
                    what.join(" ou ")
                )
            })
            .collect();
        let _ = writeln!(
            o,
            "<details><summary>{} faute de données</summary><ul><li>{}</li></ul></details>",
            plural(list.len(), "règle non appliquée", "règles non appliquées"),
            list.join("</li><li>")
        );
    }
    o.push_str("</section>\n");
}

fn causes(report: &Report, o: &mut String) {
    let causes = report.causes();
    if causes.is_empty() {
        return;
    }
    o.push_str("<section aria-labelledby=\"causes-titre\">\n<h2 id=\"causes-titre\">Causes, de la plus grave à la moins grave</h2>\n");
    o.push_str("<p class=\"muted\">Chaque cause regroupe les constatations qui se corrigent ensemble. Ouvrez-la pour voir les classes, les élèves et les lignes du fichier concernés.</p>\n<ol class=\"causes\">\n");
    for c in causes {
        cause(report, c, o);
    }
    o.push_str("</ol>\n</section>\n");
}

fn severity_class(s: Severity) -> &'static str {
    s.as_str()
}

fn fix_fr(c: &Cause) -> &'static str {
    match c.fix {
        // Read on the web page as well as in a file sent to a school: no command line here.
        FixClass::Safe => "oui : l'export corrigé par lsu-lint la contient",
        FixClass::Unsafe => {
            "possible mais à vérifier : l'export corrigé ne la contient que si les corrections \
             à vérifier sont demandées"
        }
        FixClass::Suggest => "non : la correction est expliquée dans chaque constatation",
        FixClass::None => "non",
    }
}

fn cause(report: &Report, c: &Cause, o: &mut String) {
    let sev = severity_class(c.severity);
    let _ = write!(
        o,
        "<li class=\"{sev}\"><details>\n<summary><span class=\"badge {sev}\">{} · {}</span>\
         <span class=\"title\">{}</span><span class=\"counts\">{}</span></summary>\n",
        c.severity.label_fr(),
        c.impact.label_fr(),
        inline(&capitalise(&c.title)),
        escape(&cause_counts(c)),
    );
    let meta = c.code.meta();
    let _ = writeln!(
        o,
        "<dl class=\"todo\"><dt>Où corriger</dt><dd>{}</dd>",
        escape(&capitalise(c.agir.label_fr()))
    );
    if !c.action.is_empty() {
        let _ = writeln!(o, "<dt>Que faire</dt><dd>{}</dd>", inline(c.action));
    }
    let _ = write!(
        o,
        "<dt>Règle</dt><dd><code>{}</code> {} (réaction de LSU : {})</dd>\n<dt>Correction automatique</dt><dd>{}</dd></dl>\n",
        c.code,
        escape(meta.title()),
        c.confidence.label_fr(),
        inline(fix_fr(c)),
    );
    for q in &c.consequences {
        let _ = writeln!(
            o,
            "<p class=\"consequence\">Entraîne aussi {} ({}) : elles disparaîtront une fois cette cause corrigée.</p>",
            plural(q.findings, "constatation", "constatations"),
            escape(q.code.meta().title())
        );
    }
    pupils_by_class(report, &c.members, o);
    findings(report, &c.members, o);
    o.push_str("</details></li>\n");
}

/// The classes concerned and, in each, the pupils (names when the file gives them).
fn pupils_by_class(report: &Report, members: &[FindingRef], o: &mut String) {
    let mut by_class: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for r in members {
        let Some((_, d)) = report.finding(*r) else {
            continue;
        };
        let class = d.division.as_deref().unwrap_or("");
        let pupil = d
            .eleve_label
            .as_deref()
            .or(d.eleve.as_deref())
            .unwrap_or("");
        *by_class.entry(class).or_default().entry(pupil).or_default() += 1;
    }
    if by_class.keys().all(|k| k.is_empty())
        && by_class.values().all(|p| p.keys().all(|k| k.is_empty()))
    {
        return;
    }
    o.push_str("<h3>Classes et élèves concernés</h3>\n<table><thead><tr><th scope=\"col\">Classe</th><th scope=\"col\">Élèves</th></tr></thead><tbody>\n");
    for (class, pupils) in by_class {
        let names: Vec<String> = pupils
            .keys()
            .filter(|p| !p.is_empty())
            .take(MAX_PUPILS_PER_CLASS)
            .map(|p| escape(p))
            .collect();
        let more = pupils.len().saturating_sub(MAX_PUPILS_PER_CLASS);
        let more = if more > 0 {
            format!(" … et {}", plural(more, "autre", "autres"))
        } else {
            String::new()
        };
        let names = if names.is_empty() {
            "<span class=\"muted\">(la classe entière)</span>".to_string()
        } else {
            format!("{}{more}", names.join(", "))
        };
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{names}</td></tr>",
            if class.is_empty() {
                "<span class=\"muted\">—</span>".to_string()
            } else {
                escape(class)
            }
        );
    }
    o.push_str("</tbody></table>\n");
}

fn findings(report: &Report, members: &[FindingRef], o: &mut String) {
    o.push_str("<h3>Constatations</h3>\n<table><thead><tr><th scope=\"col\">Où</th><th scope=\"col\">Élève</th><th scope=\"col\">Classe</th><th scope=\"col\">Détail</th></tr></thead><tbody>\n");
    let several_files = report.files.len() > 1;
    for r in members.iter().take(MAX_FINDINGS_PER_CAUSE) {
        let Some((f, d)) = report.finding(*r) else {
            continue;
        };
        let place = if several_files {
            format!("<code>{}</code> ligne {}", escape(&f.name), d.line)
        } else {
            format!("ligne {}", d.line)
        };
        let _ = writeln!(
            o,
            "<tr><td>{place}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            escape(
                d.eleve_label
                    .as_deref()
                    .or(d.eleve.as_deref())
                    .unwrap_or("")
            ),
            escape(d.division.as_deref().unwrap_or("")),
            inline(&d.message),
            source_line(f, d)
        );
    }
    if members.len() > MAX_FINDINGS_PER_CAUSE {
        let _ = writeln!(
            o,
            "<tr><td colspan=\"4\" class=\"muted\">… et {} (le rapport JSON les liste toutes)</td></tr>",
            plural(
                members.len() - MAX_FINDINGS_PER_CAUSE,
                "autre constatation",
                "autres constatations"
            )
        );
    }
    o.push_str("</tbody></table>\n");
}

/// The source line of a finding, shortened around its column.
fn source_line(f: &FileReport, d: &Diagnostic) -> String {
    let Some(text) = &f.text else {
        return String::new();
    };
    let start = d.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |p| start + p);
    let line = text.get(line_start..line_end).unwrap_or("");
    // Long lines (one-line exports) are cut to a window around the finding.
    let from = start - line_start;
    let (a, b) = if line.len() > 240 {
        let a = floor_char(line, from.saturating_sub(80));
        let b = floor_char(line, (from + 160).min(line.len()));
        (a, b)
    } else {
        (0, line.len())
    };
    let snippet = line.get(a..b).unwrap_or("").trim();
    if snippet.is_empty() {
        return String::new();
    }
    let pre = if a > 0 { "…" } else { "" };
    let post = if b < line.len() { "…" } else { "" };
    format!("<pre>{pre}{}{post}</pre>", escape(snippet))
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn by_rule(report: &Report, o: &mut String) {
    let s = report.summary();
    if s.by_code.is_empty() {
        return;
    }
    o.push_str("<section aria-labelledby=\"regles-titre\">\n<h2 id=\"regles-titre\">Par règle</h2>\n<table><thead><tr><th scope=\"col\">Règle</th><th scope=\"col\">Intitulé</th><th scope=\"col\">Nombre</th><th scope=\"col\">Gravité</th><th scope=\"col\">Effet dans LSU</th></tr></thead><tbody>\n");
    for (code, n) in &s.by_code {
        let m = code.meta();
        let _ = writeln!(
            o,
            "<tr><td><code>{code}</code></td><td>{}</td><td class=\"num\">{n}</td><td>{}</td><td>{}</td></tr>",
            escape(m.title()),
            m.severity.label_fr(),
            m.impact.label_fr()
        );
    }
    o.push_str("</tbody></table>\n</section>\n");
}

/// Escapes a message and renders its light Markdown: `code` spans, **bold** dropped.
fn inline(s: &str) -> String {
    let escaped = escape(&s.replace("**", ""));
    let mut out = String::with_capacity(escaped.len());
    let mut open = false;
    for part in escaped.split('`') {
        out.push_str(part);
        out.push_str(if open { "</code>" } else { "<code>" });
        open = !open;
    }
    // The loop added one tag too many after the last part.
    let tag = if open { "<code>" } else { "</code>" };
    out.truncate(out.len() - tag.len());
    if !open {
        // An odd number of backticks: close the last span.
        out.push_str("</code>");
    }
    out
}

fn or_unknown(s: &str) -> String {
    if s.is_empty() {
        "non indiquée dans le fichier".into()
    } else {
        s.to_string()
    }
}

fn distinct<T: PartialEq>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut v = Vec::new();
    for x in it {
        if !v.contains(&x) {
            v.push(x);
        }
    }
    v
}
