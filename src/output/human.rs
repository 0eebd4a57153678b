//! `--format human`: miette reports with the source line and a caret, grouped by file, then a
//! summary by code with the estimated number of rejected bilans.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{plural, Report};
use crate::catalogue::{Code, Severity};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::engine::FileReport;

/// Beyond this many findings of one code in one file, only their count is printed in full
/// (the concise and JSON formats list them all).
pub const MAX_SHOWN_PER_CODE: usize = 20;

/// A view of one file's text that hands miette only the lines around a finding, so that
/// rendering costs the size of the excerpt, not of the file.
struct Excerpt {
    name: String,
    text: Arc<String>,
    /// 0-based line of `offset`.
    line0: usize,
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = self.text.as_str();
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len()).max(start);
        let bytes = text.as_bytes();
        // Walk back `before` line starts, and forward `after` line ends.
        let mut ws = start;
        let mut lines_back = 0;
        loop {
            match bytes[..ws].iter().rposition(|b| *b == b'\n') {
                Some(p) if lines_back < before => {
                    ws = p;
                    lines_back += 1;
                }
                Some(p) => {
                    ws = p + 1;
                    break;
                }
                None => {
                    ws = 0;
                    break;
                }
            }
        }
        let mut we = end;
        let mut lines_fwd = 0;
        loop {
            match bytes[we..].iter().position(|b| *b == b'\n') {
                Some(p) if lines_fwd < after => {
                    we += p + 1;
                    lines_fwd += 1;
                }
                Some(p) => {
                    we += p;
                    break;
                }
                None => {
                    we = bytes.len();
                    break;
                }
            }
        }
        let first_line = self.line0.saturating_sub(lines_back);
        let line_count = text[ws..we].matches('\n').count() + 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &bytes[ws..we],
            SourceSpan::new(ws.into(), we - ws),
            first_line,
            0,
            line_count,
        )))
    }
}

struct Finding<'r> {
    d: &'r Diagnostic,
    src: Option<Excerpt>,
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.d.message)
    }
}
impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.d.message)
    }
}
impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("{} {}", self.d.code, self.d.meta().name)))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut parts = Vec::new();
        if let Some(fix) = &self.d.fix {
            let how = match fix.applicability {
                Applicability::Safe => "correction sûre, appliquée par `lsu-lint fix`",
                Applicability::Unsafe => {
                    "correction non sûre, appliquée avec `lsu-lint fix --unsafe-fixes`"
                }
                Applicability::DisplayOnly => "suggestion",
            };
            parts.push(format!("{} ({how})", fix.title));
        }
        let who: Vec<String> = [
            self.d.eleve.as_ref().map(|e| format!("élève {e}")),
            self.d.division.as_ref().map(|c| format!("classe {c}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !who.is_empty() {
            parts.push(who.join(", "));
        }
        parts.push(format!(
            "impact LSU : {} — détails : lsu-lint explain {}",
            self.d.meta().impact.label_fr(),
            self.d.code
        ));
        Some(Box::new(parts.join("\n")))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.src.as_ref()?;
        let len = self.d.end.saturating_sub(self.d.start);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("ici".into()),
            self.d.start,
            len,
        ))))
    }
}

pub fn render(report: &Report, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_width(100);
    let mut out = String::new();
    for note in &report.notes {
        out.push_str(&format!("note : {note}\n"));
    }
    for f in &report.files {
        render_file(&handler, f, &mut out);
    }
    render_summary(report, &mut out);
    out
}

fn render_file(handler: &GraphicalReportHandler, f: &FileReport, out: &mut String) {
    let degree = f.degree.map(|d| d.as_str()).unwrap_or("degré inconnu");
    let version = f
        .schema_version
        .as_deref()
        .map(|v| format!(", version {v}"))
        .unwrap_or_default();
    out.push_str(&format!(
        "── {} ({degree}{version} ; {} ; {}, {}) ──\n",
        f.name,
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
    ));
    if f.diagnostics.is_empty() {
        out.push_str("  aucun problème détecté\n\n");
        return;
    }
    let mut shown: BTreeMap<Code, usize> = BTreeMap::new();
    let mut hidden: BTreeMap<Code, usize> = BTreeMap::new();
    for d in &f.diagnostics {
        let n = shown.entry(d.code).or_default();
        if *n >= MAX_SHOWN_PER_CODE {
            *hidden.entry(d.code).or_default() += 1;
            continue;
        }
        *n += 1;
        let finding = Finding {
            d,
            src: f.text.as_ref().map(|t| Excerpt {
                name: f.name.clone(),
                text: Arc::clone(t),
                line0: d.line.saturating_sub(1),
            }),
        };
        let mut s = String::new();
        if handler.render_report(&mut s, &finding).is_err() {
            s = format!(
                "{}:{}:{}: {} {}\n",
                f.name, d.line, d.column, d.code, d.message
            );
        }
        out.push_str(&s);
        out.push('\n');
    }
    for (code, n) in hidden {
        out.push_str(&format!(
            "  … et {} de plus non détaillées ici (--format concise les liste toutes)\n",
            plural(
                n,
                &format!("constatation {code}"),
                &format!("constatations {code}")
            )
        ));
    }
    out.push('\n');
}

fn render_summary(report: &Report, out: &mut String) {
    let s = report.summary();
    let (causes, hidden) = super::shown_causes(report.causes());
    if !causes.is_empty() {
        out.push_str("Causes principales\n");
        for (i, c) in causes.iter().enumerate() {
            out.push_str(&format!(
                "  {}. {} ({}, {}) {}\n",
                i + 1,
                c.code,
                c.severity.label_fr(),
                c.impact.label_fr(),
                crate::util::capitalise(&c.title)
            ));
            out.push_str(&format!("     {}\n", super::cause_counts(c)));
            out.push_str(&format!("     où corriger : {}\n", c.agir.label_fr()));
            if !c.action.is_empty() {
                out.push_str(&format!("     que faire : {}\n", c.action));
            }
            for q in &c.consequences {
                out.push_str(&format!(
                    "     entraîne aussi : {} ({}), qui disparaîtront avec cette cause\n",
                    plural(
                        q.findings,
                        &format!("constatation {}", q.code),
                        &format!("constatations {}", q.code)
                    ),
                    q.code.meta().title()
                ));
            }
        }
        if hidden > 0 {
            out.push_str(&format!(
                "  … et {} (--format json ou html les liste toutes)\n",
                plural(hidden, "autre cause", "autres causes")
            ));
        }
        out.push('\n');
    }
    out.push_str("Résumé\n");
    for (code, n) in &s.by_code {
        let meta = code.meta();
        let title: String = meta.title().chars().take(56).collect();
        out.push_str(&format!(
            "  {code} {title:<56} {n:>6}  ({}, {})\n",
            meta.severity.label_fr(),
            meta.impact.label_fr()
        ));
    }
    if !report.skipped_rules.is_empty() {
        let list: Vec<String> = report
            .skipped_rules
            .iter()
            .map(|(c, m)| {
                let what: Vec<&str> = m.iter().map(|i| super::input_fr(i)).collect();
                format!("{c} (manque : {})", what.join(", "))
            })
            .collect();
        out.push_str(&format!(
            "  règles non exécutées faute de données : {}\n",
            list.join(" ; ")
        ));
    }
    out.push_str(&format!(
        "  {} — {}, {}, {}\n",
        plural(report.files.len(), "fichier", "fichiers"),
        plural(s.errors, "erreur", "erreurs"),
        plural(s.warnings, "avertissement", "avertissements"),
        plural(s.infos, "info", "infos"),
    ));
    out.push_str(&format!(
        "  bilans rejetés estimés : {}\n",
        s.bilans_rejetes_estimes
    ));
}
