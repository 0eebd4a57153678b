//! `lsu-lint rules` and `lsu-lint explain`.

use super::{print_out, RulesFormat};
use crate::catalogue::CATALOGUE;
use crate::config::KEYS;
use crate::error::Error;

pub fn listing(format: RulesFormat) -> String {
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

pub fn explain(what: &str) -> Result<i32, Error> {
    if what.eq_ignore_ascii_case("config") {
        let mut s = String::from("Clés de lsu-lint.toml\n\n");
        for (k, meaning, default) in KEYS {
            s.push_str(&format!("{k}\n    {meaning}\n    défaut : {default}\n\n"));
        }
        print_out(&s);
        return Ok(0);
    }
    let meta = crate::catalogue::lookup(what).ok_or_else(|| {
        let cands: Vec<&str> = CATALOGUE
            .iter()
            .flat_map(|m| [m.code.as_str(), m.name])
            .collect();
        let hint = crate::util::did_you_mean(what, &cands)
            .map(|c| format!(" (vouliez-vous dire « {c} » ?)"))
            .unwrap_or_default();
        Error::UnknownRule(what.to_string(), hint)
    })?;
    let page = meta.page().unwrap_or("(page absente)");
    print_out(&format!("{page}\n"));
    Ok(0)
}
