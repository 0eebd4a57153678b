//! `lsu-lint.toml`: rule selection, severity overrides, batch thresholds, default inputs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalogue::{self, Code, Severity, CATALOGUE};
use crate::error::Error;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub unsafe_fixes: Option<bool>,
    pub severity: Option<BTreeMap<String, Severity>>,
    pub batch: Option<BatchConfig>,
    pub inputs: Option<InputsConfig>,
    pub baseline: Option<PathBuf>,
    pub max_warnings: Option<usize>,
    pub error_on_warnings: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BatchConfig {
    pub max_eleves: Option<usize>,
    pub max_divisions: Option<usize>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct InputsConfig {
    pub siecle: Option<PathBuf>,
    pub nomenclature: Option<PathBuf>,
    pub sts: Option<PathBuf>,
    pub onde: Option<PathBuf>,
    pub communs: Option<PathBuf>,
    pub settings: Option<PathBuf>,
    pub refdata: Option<PathBuf>,
}

/// The effective configuration of a run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Enabled rule codes.
    pub enabled: Vec<Code>,
    pub severity: BTreeMap<Code, Severity>,
    pub max_eleves: usize,
    pub max_divisions: usize,
    pub unsafe_fixes: bool,
    /// Inputs named by the config file, resolved against its folder.
    pub inputs: InputsConfig,
    /// Known findings not to report, resolved against the configuration's folder.
    pub baseline: Option<PathBuf>,
    /// More warnings than this fail `check`.
    pub max_warnings: Option<usize>,
    /// Warnings fail `check`.
    pub error_on_warnings: bool,
    pub path: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: CATALOGUE.iter().map(|m| m.code).collect(),
            severity: BTreeMap::new(),
            max_eleves: 250,
            max_divisions: 8,
            unsafe_fixes: false,
            inputs: InputsConfig::default(),
            baseline: None,
            max_warnings: None,
            error_on_warnings: false,
            path: None,
        }
    }
}

/// Every key `lsu-lint explain config` documents: (key, meaning, default).
pub const KEYS: &[(&str, &str, &str)] = &[
    (
        "select",
        "règles à activer : codes (D001), noms (date-scolarite-outside-enrolment) ou familles (D)",
        "toutes",
    ),
    (
        "ignore",
        "règles à désactiver (mêmes formes que select)",
        "aucune",
    ),
    (
        "unsafe-fixes",
        "appliquer aussi les corrections non sûres avec `fix`",
        "false",
    ),
    (
        "[severity] CODE",
        "gravité d'une règle : \"error\", \"warning\" ou \"info\"",
        "celle du catalogue",
    ),
    (
        "[batch] max-eleves",
        "nombre d'élèves au-delà duquel B002 signale un lot trop gros",
        "250",
    ),
    (
        "[batch] max-divisions",
        "nombre de divisions au-delà duquel B002 signale un lot trop gros",
        "8",
    ),
    (
        "baseline",
        "ligne de base de `check` : fichier JSON des constatations déjà connues, qui ne sont plus \
         signalées (écrit par `check --write-baseline` ; chemin relatif au fichier de configuration)",
        "aucune",
    ),
    (
        "max-warnings",
        "`check` échoue (code de sortie 1) au-delà de ce nombre d'avertissements",
        "pas de limite",
    ),
    (
        "error-on-warnings",
        "`check` échoue (code de sortie 1) dès le premier avertissement",
        "false",
    ),
    (
        "[inputs] siecle, nomenclature, sts, onde, communs, settings, refdata",
        "fichiers de référence par défaut (chemins relatifs au fichier de configuration)",
        "aucun",
    ),
];

/// Expands codes, names and family letters into rule codes.
pub fn expand_selectors(items: &[String]) -> Result<Vec<Code>, Error> {
    let mut out = Vec::new();
    for raw in items {
        for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item.eq_ignore_ascii_case("ALL") {
                out.extend(CATALOGUE.iter().map(|m| m.code));
            } else if let Some(m) = catalogue::lookup(item) {
                out.push(m.code);
            } else if item.len() <= 2 && item.chars().all(|c| c.is_ascii_alphabetic()) {
                let fam = item.to_ascii_uppercase();
                let found: Vec<_> = CATALOGUE
                    .iter()
                    .filter(|m| m.code.as_str().starts_with(&fam))
                    .map(|m| m.code)
                    .collect();
                if found.is_empty() {
                    return Err(Error::UnknownRule(item.to_string(), suggest_rule(item)));
                }
                out.extend(found);
            } else {
                return Err(Error::UnknownRule(item.to_string(), suggest_rule(item)));
            }
        }
    }
    Ok(out)
}

fn suggest_rule(item: &str) -> String {
    let best = CATALOGUE
        .iter()
        .flat_map(|m| [m.code.as_str(), m.name])
        .map(|cand| {
            (
                crate::util::levenshtein(&item.to_lowercase(), &cand.to_lowercase()),
                cand,
            )
        })
        .min();
    match best {
        Some((d, c)) if d <= 3 => format!(" (vouliez-vous dire « {c} » ?)"),
        _ => String::new(),
    }
}

impl Config {
    /// Loads `path`, or `lsu-lint.toml` found walking up from the current directory.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, Error> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => std::env::current_dir().ok().and_then(|mut d| loop {
                let cand = d.join("lsu-lint.toml");
                if cand.is_file() {
                    break Some(cand);
                }
                if !d.pop() {
                    break None;
                }
            }),
        };
        match path {
            None => Ok(Config::default()),
            Some(p) => {
                let text = std::fs::read_to_string(&p).map_err(|e| Error::Read(p.clone(), e))?;
                let mut c = Config::from_toml(&text, &p)?;
                c.path = Some(p);
                Ok(c)
            }
        }
    }

    pub fn from_toml(text: &str, path: &Path) -> Result<Config, Error> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: crate::util::toml_error_fr(
                &e,
                text,
                &[
                    "select",
                    "ignore",
                    "unsafe-fixes",
                    "severity",
                    "batch",
                    "inputs",
                    "max-eleves",
                    "max-divisions",
                    "siecle",
                    "nomenclature",
                    "sts",
                    "onde",
                    "communs",
                    "settings",
                    "refdata",
                    "baseline",
                    "max-warnings",
                    "error-on-warnings",
                ],
            ),
        })?;
        let mut c = Config::default();
        if let Some(sel) = &file.select {
            c.enabled = expand_selectors(sel)?;
        }
        if let Some(ign) = &file.ignore {
            let ign = expand_selectors(ign)?;
            c.enabled.retain(|code| !ign.contains(code));
        }
        if let Some(sev) = &file.severity {
            for (k, v) in sev {
                let m = catalogue::lookup(k)
                    .ok_or_else(|| Error::UnknownRule(k.clone(), suggest_rule(k)))?;
                c.severity.insert(m.code, *v);
            }
        }
        if let Some(b) = &file.batch {
            if let Some(v) = b.max_eleves {
                c.max_eleves = v;
            }
            if let Some(v) = b.max_divisions {
                c.max_divisions = v;
            }
        }
        c.unsafe_fixes = file.unsafe_fixes.unwrap_or(false);
        c.max_warnings = file.max_warnings;
        c.error_on_warnings = file.error_on_warnings.unwrap_or(false);
        let base = path.parent().unwrap_or(Path::new("."));
        let fix = |p: Option<PathBuf>| p.map(|p| if p.is_absolute() { p } else { base.join(p) });
        c.baseline = fix(file.baseline);
        if let Some(inp) = file.inputs {
            c.inputs = InputsConfig {
                siecle: fix(inp.siecle),
                nomenclature: fix(inp.nomenclature),
                sts: fix(inp.sts),
                onde: fix(inp.onde),
                communs: fix(inp.communs),
                settings: fix(inp.settings),
                refdata: fix(inp.refdata),
            };
        }
        Ok(c)
    }

    /// Applies `--select` / `--ignore` from the command line on top of the file.
    pub fn apply_cli(&mut self, select: &[String], ignore: &[String]) -> Result<(), Error> {
        if !select.is_empty() {
            self.enabled = expand_selectors(select)?;
        }
        if !ignore.is_empty() {
            let ign = expand_selectors(ignore)?;
            self.enabled.retain(|code| !ign.contains(code));
        }
        Ok(())
    }

    pub fn is_enabled(&self, code: Code) -> bool {
        self.enabled.contains(&code)
    }

    pub fn severity_of(&self, code: Code) -> Severity {
        self.severity
            .get(&code)
            .copied()
            .unwrap_or_else(|| code.meta().severity)
    }
}
