//! `--format junit`: one test suite per file, one test case per file × rule, so CI systems
//! list the rules as tests. A test case fails only when the run fails because of it: an
//! error, or a warning under `--error-on-warnings`; other findings are listed in its
//! `system-out`. Names never contain a line (a test keeps its identity when lines move);
//! rules that could not run for lack of an input are skipped test cases.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::Duration;

use super::Report;
use crate::catalogue::{Code, Severity};
use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use crate::model::Degree;

use crate::util::escape_markup as escape;

fn secs(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

/// One test case: a rule on a file.
struct Case<'r> {
    code: Code,
    time: Duration,
    findings: Vec<&'r Diagnostic>,
    /// The inputs whose absence kept the rule from running.
    missing: Vec<&'static str>,
}

/// The test cases of a file, in code order: every rule that ran, every code found, every
/// rule skipped on it.
fn cases<'r>(report: &'r Report, f: &'r FileReport, degrees: &Degrees) -> Vec<Case<'r>> {
    let mut by_code: BTreeMap<Code, Case<'r>> = BTreeMap::new();
    for (code, t) in &f.rules_run {
        case(&mut by_code, *code).time += *t;
    }
    for d in &f.diagnostics {
        case(&mut by_code, d.code).findings.push(d);
    }
    let ran = |c: &Code| f.rules_run.iter().any(|(r, _)| r == c);
    for (code, missing) in &report.skipped_rules {
        let applies = degrees
            .get(code)
            .is_none_or(|d| d.is_none() || *d == f.degree);
        if applies && !ran(code) {
            case(&mut by_code, *code)
                .missing
                .extend(missing.iter().copied());
        }
    }
    for (code, missing) in &f.skipped {
        let c = case(&mut by_code, *code);
        if !c.missing.contains(missing) {
            c.missing.push(missing);
        }
    }
    by_code.into_values().collect()
}

fn case<'m, 'r>(by_code: &'m mut BTreeMap<Code, Case<'r>>, code: Code) -> &'m mut Case<'r> {
    by_code.entry(code).or_insert_with(|| Case {
        code,
        time: Duration::ZERO,
        findings: Vec::new(),
        missing: Vec::new(),
    })
}

/// The degree each rule concerns (None: both).
type Degrees = HashMap<Code, Option<Degree>>;

pub fn render(report: &Report) -> String {
    let degrees: Degrees = crate::rules::registry()
        .iter()
        .map(|r| (r.code, r.degree))
        .collect();
    let suites: Vec<(&FileReport, Vec<Case>)> = report
        .files
        .iter()
        .map(|f| (f, cases(report, f, &degrees)))
        .collect();
    let failed = |c: &Case| c.findings.iter().any(|d| report.fails(d));
    let skipped = |c: &Case| c.findings.is_empty() && !c.missing.is_empty();
    let count = |pred: &dyn Fn(&Case) -> bool| -> usize {
        suites
            .iter()
            .map(|(_, cs)| cs.iter().filter(|c| pred(c)).count())
            .sum()
    };
    let tests: usize = suites.iter().map(|(_, cs)| cs.len().max(1)).sum();
    let total_time = match (report.started, report.finished) {
        (Some(a), Some(b)) => (b - a).to_std().unwrap_or_default(),
        _ => suites.iter().map(|(f, _)| f.duration).sum(),
    };
    let mut o = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"lsu-lint\" tests=\"{tests}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">",
        count(&failed),
        count(&skipped),
        secs(total_time)
    );
    for (f, cs) in &suites {
        let file = escape(&f.name);
        let _ = writeln!(
            o,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" time=\"{}\">",
            cs.len().max(1),
            cs.iter().filter(|c| failed(c)).count(),
            cs.iter().filter(|c| skipped(c)).count(),
            secs(f.duration)
        );
        if cs.is_empty() {
            let _ = writeln!(
                o,
                "    <testcase classname=\"{file}\" name=\"vérification\" time=\"{}\"/>",
                secs(f.duration)
            );
        }
        for c in cs {
            let name = escape(&format!("{} {}", c.code, c.code.meta().name));
            let _ = write!(
                o,
                "    <testcase classname=\"{file}\" name=\"{name}\" time=\"{}\"",
                secs(c.time)
            );
            let (fails, others): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
                c.findings.iter().partition(|d| report.fails(d));
            if fails.is_empty() && others.is_empty() && c.missing.is_empty() {
                o.push_str("/>\n");
                continue;
            }
            o.push_str(">\n");
            let lines = |ds: &[&Diagnostic]| -> String {
                ds.iter()
                    .map(|d| {
                        format!(
                            "{}:{}:{}: {} {} {}",
                            f.name,
                            d.line,
                            d.column,
                            d.severity.as_str(),
                            d.code,
                            d.message
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            if !fails.is_empty() {
                let errors = fails
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                let warnings = fails.len() - errors;
                let mut what = Vec::new();
                if errors > 0 {
                    what.push(crate::util::plural(errors, "erreur", "erreurs"));
                }
                if warnings > 0 {
                    what.push(crate::util::plural(
                        warnings,
                        "avertissement refusé",
                        "avertissements refusés",
                    ));
                }
                let kind = if errors > 0 { "error" } else { "warning" };
                let _ = writeln!(
                    o,
                    "      <failure type=\"{kind}\" message=\"{}\">{}</failure>",
                    escape(&what.join(", ")),
                    escape(&lines(&fails))
                );
            } else if c.findings.is_empty() {
                let _ = writeln!(
                    o,
                    "      <skipped message=\"{}\"/>",
                    escape(&format!(
                        "règle non exécutée faute de données (manque : {})",
                        c.missing
                            .iter()
                            .map(|m| super::input_fr(m))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                );
            }
            if !others.is_empty() {
                let _ = writeln!(
                    o,
                    "      <system-out>{}</system-out>",
                    escape(&lines(&others))
                );
            }
            o.push_str("    </testcase>\n");
        }
        o.push_str("  </testsuite>\n");
    }
    o.push_str("</testsuites>\n");
    o
}
