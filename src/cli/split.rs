//! `lsu-lint split`: writes `<stem>-<key>.xml` files into the output folder, then re-checks each.

use super::{print_out, SplitArgs};
use crate::error::Error;
use crate::fix;
use crate::output::plural;

pub(super) fn run(args: SplitArgs) -> Result<i32, Error> {
    let engine = args.common.builder()?.build()?;
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
