//! `lsu-lint fix`: runs the fix engine on each file, writes the results atomically (or prints a
//! diff), and reports what was fixed, what was left and why.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::json;

use crate::catalogue::FixClass;
use crate::cli::{build_engine, print_out, FixArgs, FixFormat};
use crate::diagnostic::Applicability;
use crate::error::Error;
use crate::fix::{self, FixOptions, FixOutcome};
use crate::output::plural;

/// Codes that `fix` never repairs in place: the cure is splitting the file.
const SPLIT_CODES: &[&str] = &["B002", "B003", "B004"];

pub fn run_fix(args: FixArgs) -> Result<i32, Error> {
    let (engine, _inputs, _notes) = build_engine(&args.common)?;
    let opts = FixOptions {
        unsafe_fixes: args.unsafe_fixes || engine.config.unsafe_fixes,
    };
    let files = engine.collect_paths(&args.paths)?;
    let several = files.len() > 1;
    // Resolve every target first: refuse before writing anything.
    let targets = match &args.output {
        Some(out) => files
            .iter()
            .map(|f| fix::output_path(f, out, several).map(Some))
            .collect::<Result<Vec<_>, _>>()?,
        None => vec![None; files.len()],
    };
    let outcomes: Vec<FixOutcome> = files
        .par_iter()
        .map(|p| {
            engine
                .read(p)
                .map(|src| fix::fix_source(&engine, &src, opts))
        })
        .collect::<Result<_, _>>()?;
    if !args.diff {
        for (o, t) in outcomes.iter().zip(&targets) {
            if let Some(t) = t {
                fix::write_atomic(t, &o.output)?;
            }
        }
    }
    let text = match args.format {
        FixFormat::Json => render_json(&outcomes, &targets, args.diff),
        FixFormat::Human => {
            let mut s = String::new();
            if args.diff {
                for o in &outcomes {
                    s.push_str(&fix::unified_diff(o));
                }
            }
            s.push_str(&render_human(&outcomes, &targets, args.diff, opts));
            s
        }
    };
    print_out(&text);
    let errors = outcomes
        .iter()
        .any(|o| o.remaining.count(crate::catalogue::Severity::Error) > 0);
    Ok(i32::from(errors))
}

fn left_reason(code: &str, app: Option<Applicability>, opts: FixOptions) -> String {
    if SPLIT_CODES.contains(&code) {
        return "se corrige en découpant le fichier : `lsu-lint split`".into();
    }
    match app {
        Some(Applicability::Unsafe) if !opts.unsafe_fixes => {
            "correction non sûre : relancer avec --unsafe-fixes".into()
        }
        _ => match crate::catalogue::meta(code).fix_class {
            FixClass::None => "aucune correction automatique possible".into(),
            FixClass::Suggest => "à corriger à la main (voir le message)".into(),
            _ => "pas de correction automatique dans ce cas".into(),
        },
    }
}

fn render_human(
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
        let mut by_code: BTreeMap<&str, (usize, Vec<&str>)> = BTreeMap::new();
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
        let mut left: BTreeMap<&str, (usize, String)> = BTreeMap::new();
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

fn render_json(
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

/// `lsu-lint split`: writes `<stem>-<key>.xml` files into the output folder, then re-checks each.
pub fn run_split(args: crate::cli::SplitArgs) -> Result<i32, Error> {
    let (engine, _inputs, _notes) = build_engine(&args.common)?;
    let src = engine.read(&args.file)?;
    let text = std::str::from_utf8(&src.bytes).map_err(|_| {
        Error::Usage(format!(
            "« {} » n'est pas en UTF-8 : corrigez d'abord l'encodage (`lsu-lint fix --unsafe-fixes`)",
            args.file.display()
        ))
    })?;
    let niveau_of = |e: crate::xml::Node| engine.refdata.niveau_of_eleve(e);
    let parts = crate::split::split(text, args.by, &niveau_of)
        .map_err(|e| Error::Usage(format!("« {} » : {e}", args.file.display())))?;
    if args.output.exists() && !args.output.is_dir() {
        return Err(Error::Usage(format!(
            "« {} » existe et n'est pas un dossier",
            args.output.display()
        )));
    }
    let stem = args
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lsu".into());
    let mut out = String::new();
    let mut errors = false;
    let input = args.file.canonicalize().ok();
    for p in &parts {
        let path = args.output.join(format!("{stem}-{}.xml", p.key));
        if input.is_some() && path.canonicalize().ok() == input {
            return Err(Error::Usage(format!(
                "« {} » est le fichier d'entrée : choisissez un autre dossier de sortie",
                path.display()
            )));
        }
        fix::write_atomic(&path, &p.bytes)?;
        let r = engine.check_source(&crate::source::SourceFile::new(
            path.display().to_string(),
            p.bytes.clone(),
        ));
        let e = r.count(crate::catalogue::Severity::Error);
        errors |= e > 0;
        out.push_str(&format!(
            "{} : {}, {} — {}\n",
            path.display(),
            plural(p.eleves, "élève", "élèves"),
            plural(p.bilans, "bilan", "bilans"),
            plural(e, "erreur", "erreurs"),
        ));
    }
    let total: usize = parts.iter().map(|p| p.bilans).sum();
    out.push_str(&format!(
        "{} ; {} répartis (chacun dans exactement un fichier)\n",
        plural(parts.len(), "fichier écrit", "fichiers écrits"),
        plural(total, "bilan", "bilans")
    ));
    print_out(&out);
    Ok(i32::from(errors))
}
