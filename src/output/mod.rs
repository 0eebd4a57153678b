//! Output formats of a report: human (miette), concise, json (`interfaces.md` contract).

pub mod concise;
pub mod fixreport;
pub mod human;
pub mod json;

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
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
