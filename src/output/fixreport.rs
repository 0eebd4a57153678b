//! The report of `lsu-lint fix`: what was fixed, what was left and why (human and JSON).

use std::collections::BTreeMap;

use serde_json::json;

use crate::catalogue::{Code, FixClass};
use crate::diagnostic::Applicability;
use crate::fix::{FixOptions, FixOutcome};
use crate::output::plural;

/// Codes that `fix` never repairs in place: the cure is splitting the file.
const SPLIT_CODES: &[Code] = &[Code::B002, Code::B003, Code::B004];

fn left_reason(code: Code, app: Option<Applicability>, opts: FixOptions) -> String {
    if SPLIT_CODES.contains(&code) {
        return "se corrige en découpant le fichier : `lsu-lint split`".into();
    }
    match app {
        Some(Applicability::Unsafe) if !opts.unsafe_fixes => {
            "correction non sûre : relancer avec --unsafe-fixes".into()
        }
        _ => match code.meta().fix_class {
            FixClass::None => "aucune correction automatique possible".into(),
            FixClass::Suggest => "à corriger à la main (voir le message)".into(),
            _ => "pas de correction automatique dans ce cas".into(),
        },
    }
}

pub fn render_human(
    outcomes: &[FixOutcome],
    targets: &[Option<std::path::PathBuf>],
    diff: bool,
    opts: FixOptions,
) -> String {
    let mut s = String::new();
    for (o, t) in outcomes.iter().zip(targets) {
        let dest = match (diff, t) {
            (true, _) | (false, None) => "rien n'est écrit (--diff)".to_string(),
            (false, Some(t)) => format!("écrit dans {}", t.display()),
        };
        s.push_str(&format!(
            "{} : {} en {} — {dest}\n",
            o.name,
            plural(
                o.applied.len(),
                "correction appliquée",
                "corrections appliquées"
            ),
            plural(o.passes, "passe", "passes"),
        ));
        // One line per code: the count and a few of the distinct corrections.
        let mut by_code: BTreeMap<Code, (usize, Vec<&str>)> = BTreeMap::new();
        for a in &o.applied {
            let e = by_code.entry(a.code).or_default();
            e.0 += 1;
            if !e.1.contains(&a.title.as_str()) {
                e.1.push(a.title.as_str());
            }
        }
        for (code, (n, titles)) in by_code {
            let shown: Vec<&str> = titles.iter().take(3).copied().collect();
            let more = if titles.len() > 3 {
                format!(" ; … ({} corrections différentes)", titles.len())
            } else {
                String::new()
            };
            s.push_str(&format!(
                "  corrigé  {code} ×{n} : {}{more}\n",
                shown.join(" ; ")
            ));
        }
        for d in &o.dropped {
            s.push_str(&format!(
                "  écarté   {} ligne {} : {} — {}\n",
                d.code, d.line, d.title, d.reason
            ));
        }
        let mut left: BTreeMap<Code, (usize, String)> = BTreeMap::new();
        for d in &o.remaining.diagnostics {
            let e = left.entry(d.code).or_insert((
                0,
                left_reason(d.code, d.fix.as_ref().map(|f| f.applicability), opts),
            ));
            e.0 += 1;
        }
        for (code, (n, why)) in left {
            s.push_str(&format!("  reste    {code} ×{n} : {why}\n"));
        }
        s.push_str(&format!(
            "  après correction : {}, {}\n",
            plural(
                o.remaining.count(crate::catalogue::Severity::Error),
                "erreur",
                "erreurs"
            ),
            plural(
                o.remaining.count(crate::catalogue::Severity::Warning),
                "avertissement",
                "avertissements"
            ),
        ));
    }
    s
}

pub fn render_json(
    outcomes: &[FixOutcome],
    targets: &[Option<std::path::PathBuf>],
    diff: bool,
) -> String {
    let files: Vec<_> = outcomes
        .iter()
        .zip(targets)
        .map(|(o, t)| {
            let remaining: Vec<_> = o
                .remaining
                .diagnostics
                .iter()
                .map(|d| {
                    json!({"code": d.code, "name": d.meta().name, "severity": d.severity.as_str(),
                           "message": d.message, "line": d.line, "column": d.column,
                           "eleve": d.eleve, "division": d.division, "fix": d.fix})
                })
                .collect();
            json!({
                "path": o.name,
                "output": if diff { None } else { t.as_ref().map(|t| t.display().to_string()) },
                "passes": o.passes,
                "applied": o.applied,
                "dropped": o.dropped,
                "remaining": remaining,
            })
        })
        .collect();
    let mut out =
        serde_json::to_string_pretty(&json!({"version": 1, "files": files})).unwrap_or_default();
    out.push('\n');
    out
}
