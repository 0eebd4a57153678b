//! D007 implausible-lock-or-creation-date: `date-verrou` / `date-creation` in the future, before
//! 2000 (placeholder dates such as 1970-01-01), a lock before the class council, a creation after
//! the lock. Also values the schema accepts but in a non-canonical form (spaces, time zone,
//! fractional seconds): the only fix (safe) rewrites that form, never the date itself.
//! Values the schema rejects are S005's.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::xml::Node;
use chrono::Datelike;

use super::common::{iso, parse_date};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{attr_value_range, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D007,
    degree: None,
    check,
};

/// The variants of D007 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "date-invraisemblable",
        title: "date de verrouillage ou de création invraisemblable",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, vérifier la date de verrouillage ou de création des bilans (ni dans le futur, ni avant le conseil de classe, ni factice), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "forme-inhabituelle",
        title: "date écrite sous une forme inhabituelle",
        agir: Agir::Fichier,
        action: "Faire réécrire la date sous sa forme normale par lsu-lint fix (la date elle-même ne change pas).",
    },
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `xs:date`.
    Date,
    /// `xs:dateTime` (1D `date-verrou`).
    DateTime,
    /// 2D ≤ 7.0 `StringDateTime` (a pattern: no spaces, no zone; nothing to normalise).
    Pattern,
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `Z`, `+hh:mm`, `-hh:mm`.
fn is_zone(s: &str) -> bool {
    if s == "Z" {
        return true;
    }
    let b = s.as_bytes();
    b.len() == 6
        && matches!(b[0], b'+' | b'-')
        && is_digits(&s[1..3])
        && b[3] == b':'
        && is_digits(&s[4..6])
}

/// The canonical form of a value the schema accepts for `kind`, or None when it is not such a
/// value (then S005 reports it).
fn canonical(raw: &str, kind: Kind) -> Option<String> {
    let s = raw.trim();
    let date = parse_date(s)?;
    let rest = s.get(10..)?;
    match kind {
        Kind::Pattern => None,
        Kind::Date => (rest.is_empty() || is_zone(rest)).then(|| iso(date)),
        Kind::DateTime => {
            let time = rest.strip_prefix('T')?;
            let hms = time.get(..8)?;
            let hb = hms.as_bytes();
            let ok = is_digits(&hms[0..2])
                && hb[2] == b':'
                && is_digits(&hms[3..5])
                && hb[5] == b':'
                && is_digits(&hms[6..8]);
            if !ok {
                return None;
            }
            let mut tail = time.get(8..)?;
            if let Some(frac) = tail.strip_prefix('.') {
                let n = frac.bytes().take_while(u8::is_ascii_digit).count();
                if n == 0 {
                    return None;
                }
                tail = &frac[n..];
            }
            (tail.is_empty() || is_zone(tail)).then(|| format!("{}T{hms}", iso(date)))
        }
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(degree) = ctx.version.degree else {
        return;
    };
    let verrou_kind = if degree == Degree::D1 {
        Kind::DateTime
    } else {
        Kind::Pattern
    };
    for bilan in ctx.lsu.all_bilans() {
        let conseil = bilan.attribute("date-conseil-classe").and_then(parse_date);
        let creation = bilan.attribute("date-creation").and_then(parse_date);
        for (attr, kind, label) in [
            ("date-creation", Kind::Date, "date de création"),
            ("date-verrou", verrou_kind, "date de verrouillage"),
        ] {
            let Some(raw) = bilan.attribute(attr) else {
                continue;
            };
            let Some(date) = parse_date(raw) else {
                continue;
            };
            let mut problems = Vec::new();
            if date > ctx.today {
                problems.push(format!(
                    "postérieure à la date du jour ({})",
                    iso(ctx.today)
                ));
            }
            if date.year() < 2000 {
                problems.push("date factice (valeur par défaut d'un logiciel ?)".to_string());
            }
            if attr == "date-verrou" {
                if let Some(c) = conseil.filter(|c| date < *c) {
                    problems.push(format!("antérieure au conseil de classe du {}", iso(c)));
                }
                if let Some(c) = creation.filter(|c| date < *c) {
                    problems.push(format!("antérieure à la date de création {}", iso(c)));
                }
            }
            let fix = canonical(raw, kind)
                .filter(|c| c != raw)
                .and_then(|c| fix_format(bilan, attr, raw, c));
            if problems.is_empty() && fix.is_none() {
                continue;
            }
            let msg = if problems.is_empty() {
                format!(
                    "{label} « {raw} » écrite sous une forme inhabituelle (espaces, fuseau horaire ou fractions de seconde) : certains outils la lisent mal"
                )
            } else {
                format!(
                    "{label} {} invraisemblable : {} ; LSU l'accepte mais elle révèle une erreur de saisie ou d'export",
                    iso(date),
                    problems.join(", ")
                )
            };
            let kind = if problems.is_empty() {
                "forme-inhabituelle"
            } else {
                "date-invraisemblable"
            };
            let mut d = ctx.at_attr(bilan, attr, Code::D007, msg).with_kind(kind);
            if let Some(f) = fix {
                d = d.with_fix(f);
            }
            out.push(d);
        }
    }
}

fn fix_format(node: Node, attr: &str, raw: &str, canonical: String) -> Option<Fix> {
    let (s, e) = attr_value_range(node, attr)?;
    Some(Fix::safe(
        format!("Écrire « {} » au lieu de « {} »", canonical, raw),
        vec![Edit::replace(s, e, canonical)],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(
            canonical("2025-12-01", Kind::Date).as_deref(),
            Some("2025-12-01")
        );
        assert_eq!(
            canonical(" 2025-12-01+01:00", Kind::Date).as_deref(),
            Some("2025-12-01")
        );
        assert_eq!(canonical("2025-12-01T10:00:00", Kind::Date), None);
        assert_eq!(
            canonical("2025-12-05T18:00:00.123Z", Kind::DateTime).as_deref(),
            Some("2025-12-05T18:00:00")
        );
        assert_eq!(canonical("2025-12-05", Kind::DateTime), None);
        assert_eq!(canonical("2025-12-05T18:00", Kind::DateTime), None);
        assert_eq!(canonical("2025-12-05T18:00:00.", Kind::DateTime), None);
        assert_eq!(canonical("2025-12-05T18:00:00", Kind::Pattern), None);
        assert_eq!(canonical("05/12/2025", Kind::Date), None);
    }
}
