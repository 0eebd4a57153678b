//! Output formats of a report: human (miette), concise, json (`interfaces.md` contract), sarif,
//! junit, github, gitlab, html.

pub mod concise;
pub mod fixreport;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::collections::BTreeMap;

use crate::catalogue::Severity;
use crate::engine::FileReport;

/// The reference inputs of a run, as shown in the JSON report (`inputs`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Inputs {
    pub siecle: Option<String>,
    pub nomenclature: Option<String>,
    pub sts: Option<String>,
    pub onde: Option<String>,
    pub communs: Option<String>,
    pub settings: Option<String>,
    pub config: Option<String>,
}

/// Everything one run produced.
#[derive(Debug, Clone)]
pub struct Report {
    pub inputs: Inputs,
    /// (code, missing inputs).
    pub skipped_rules: Vec<(&'static str, Vec<&'static str>)>,
    pub files: Vec<FileReport>,
    /// Notes on the inputs (recognised reference files…), printed by the human format.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_code: BTreeMap<&'static str, usize>,
    pub bilans_rejetes_estimes: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for f in &self.files {
            for d in &f.diagnostics {
                match d.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
                *s.by_code.entry(d.code).or_default() += 1;
            }
            s.bilans_rejetes_estimes += f.bilans_rejetes_estimes();
        }
        s
    }

    /// Exit status: 1 when any finding is an error, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.summary().errors > 0)
    }
}

/// « 1 erreur », « 3 erreurs ».
/// French: 0 and 1 take the singular (« 0 erreur »).
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n <= 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Findings grouped by root cause: (code, group text) → count, divisions, pupils.
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub count: usize,
    pub bilans: std::collections::BTreeSet<(usize, usize)>,
    pub divisions: std::collections::BTreeSet<String>,
}

impl Report {
    /// Root causes that several findings share, most frequent first.
    pub fn groups(&self) -> Vec<((&'static str, String), Group)> {
        let mut m: BTreeMap<(&'static str, String), Group> = BTreeMap::new();
        for (fi, f) in self.files.iter().enumerate() {
            for d in &f.diagnostics {
                let Some(g) = &d.group else { continue };
                let e = m.entry((d.code, g.clone())).or_default();
                e.count += 1;
                if let Some(b) = d.bilan {
                    e.bilans.insert((fi, b));
                }
                if let Some(div) = &d.division {
                    e.divisions.insert(div.clone());
                }
            }
        }
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
        v
    }
}

/// « 398 bilans (classes 3A, 3B…) : date de scolarité … » — the line a helpdesk reads first.
pub fn group_line(code: &str, text: &str, g: &Group) -> String {
    let what = if g.bilans.is_empty() {
        plural(g.count, "constatation", "constatations")
    } else {
        plural(g.bilans.len(), "bilan", "bilans")
    };
    let classes = if g.divisions.is_empty() {
        String::new()
    } else {
        let list: Vec<&str> = g.divisions.iter().map(String::as_str).take(6).collect();
        let more = if g.divisions.len() > 6 { "…" } else { "" };
        let label = if g.divisions.len() == 1 {
            "classe"
        } else {
            "classes"
        };
        format!(" ({label} {}{more})", list.join(", "))
    };
    format!("{code} — {what}{classes} : {text}")
}
