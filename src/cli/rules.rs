//! `lsu-lint rules` and `lsu-lint explain`.

use super::{print_out, RulesFormat};
use crate::catalogue::CATALOGUE;
use crate::config::KEYS;
use crate::error::Error;

pub(super) fn listing(format: RulesFormat) -> String {
    match format {
        RulesFormat::Json => crate::catalogue::listing_json(),
        RulesFormat::Human => {
            let mut s = String::new();
            for m in CATALOGUE {
                s.push_str(&format!(
                    "{}{} {:<40} {:<13} {:<17} {}\n",
                    m.code,
                    if m.starred { "★" } else { " " },
                    m.name,
                    m.severity.as_str(),
                    m.impact.as_str(),
                    m.title()
                ));
            }
            s
        }
    }
}

pub(super) fn explain(what: &str) -> Result<i32, Error> {
    if what.eq_ignore_ascii_case("config") {
        let mut s = String::from("Clés de lsu-lint.toml\n\n");
        for (k, meaning, default) in KEYS {
            s.push_str(&format!("{k}\n    {meaning}\n    défaut : {default}\n\n"));
        }
        print_out(&s);
        return Ok(0);
    }
    if let Some(meta) = crate::catalogue::lookup(what) {
        let page = meta.page().unwrap_or("(page absente)");
        print_out(&format!("{page}\n"));
        return Ok(0);
    }
    // A single word close to a code or a rule name is a typo, not an LSU message.
    if !what.trim().contains(char::is_whitespace) {
        let cands: Vec<&str> = CATALOGUE
            .iter()
            .flat_map(|m| [m.code.as_str(), m.name])
            .collect();
        if let Some(c) = crate::util::did_you_mean(what, &cands) {
            return Err(Error::UnknownRule(
                what.to_string(),
                format!(" (vouliez-vous dire « {c} » ?)"),
            ));
        }
    }
    print_out(&explain_text(what));
    Ok(0)
}

/// `explain "<texte affiché par LSU>"`: the rules that can produce it, closest first.
fn explain_text(what: &str) -> String {
    use crate::catalogue::messages::{how_to_tell_apart, search, MATCH_THRESHOLD};
    let found = search(what);
    let matching: Vec<_> = found
        .iter()
        .filter(|m| m.score >= MATCH_THRESHOLD)
        .take(6)
        .collect();
    let mut s = String::new();
    let list: Vec<_> = if matching.is_empty() {
        s.push_str(&format!(
            "« {} » n'est ni un code ni un nom de règle, et aucun message connu de LSU ne lui \
             ressemble vraiment. Les règles les plus proches :\n\n",
            what.trim()
        ));
        found.iter().take(3).collect()
    } else {
        if matching.len() == 1 {
            s.push_str(&format!(
                "« {} » : 1 règle de lsu-lint correspond à ce message.\n\n",
                what.trim()
            ));
        } else {
            s.push_str(&format!(
                "« {} » : {} règles de lsu-lint correspondent à ce message, de la plus proche \
                 à la moins proche.\n\n",
                what.trim(),
                matching.len()
            ));
        }
        matching
    };
    for (i, m) in list.iter().enumerate() {
        let meta = m.code.meta();
        s.push_str(&format!(
            "{}. {} — {} ({}, {})\n",
            i + 1,
            m.code,
            meta.title(),
            meta.severity.label_fr(),
            meta.impact.label_fr()
        ));
        if let Some(p) = m.phrase {
            s.push_str(&format!("   message LSU : « {p} »\n"));
        }
        if let Some(k) = meta.kinds.first() {
            if !k.action.is_empty() && meta.kinds.len() == 1 {
                s.push_str(&format!("   que faire : {}\n", k.action));
            }
        }
        if let Some(t) = how_to_tell_apart(m.code) {
            for line in t.lines() {
                s.push_str(&format!("   {line}\n"));
            }
        }
        s.push('\n');
    }
    s.push_str(
        "Pour savoir laquelle s'applique, vérifiez le fichier avec ses données de référence \
         (`lsu-lint check --refdata DOSSIER export.xml`) ; `lsu-lint explain CODE` affiche la page \
         complète d'une règle.\n",
    );
    s
}
