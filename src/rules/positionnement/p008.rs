//! P008 vie-scolaire-counters (2D): `vie-scolaire` needs `nb-retards`, `nb-abs-justifiees` and
//! `nb-abs-injustifiees` (and optionally `nb-heures-manquees`), each a whole number from 0 to
//! 999. One finding per `vie-scolaire`, on the first offending attribute (on the start tag when
//! only required counters are missing); unsafe fix: clamp negative counters to 0 (typically
//! « justifiées = total − injustifiées » gone below zero).

use super::xs_trim;
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, child, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P008,
    degree: Some(Degree::D2),
    check,
};

/// The variants of P008 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "compteur-invalide",
        title: "compteur de vie scolaire absent ou invalide",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, renseigner les retards et absences de l'élève (nombres entiers de 0 à 999), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "compteur-negatif",
        title: "compteur de vie scolaire négatif",
        agir: Agir::Fichier,
        action: "Faire ramener à 0 les compteurs négatifs par lsu-lint fix, puis vérifier le calcul des absences dans le logiciel de vie scolaire.",
    },
];

const REQUIRED: [&str; 3] = ["nb-retards", "nb-abs-justifiees", "nb-abs-injustifiees"];
const OPTIONAL: &str = "nb-heures-manquees";

enum Counter {
    Ok,
    Negative,
    TooBig,
    NotInteger,
}

/// `xs:nonNegativeInteger` ≤ 999 (leading zeros and a `+` sign are valid).
fn counter(v: &str) -> Counter {
    let t = xs_trim(v);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Counter::NotInteger;
    }
    let sig = digits.trim_start_matches('0');
    if neg && !sig.is_empty() {
        return Counter::Negative;
    }
    if sig.len() > 3 {
        return Counter::TooBig;
    }
    Counter::Ok
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(vs) = child(*bilan, "vie-scolaire") else {
            continue; // a missing required element is S003's
        };
        let mut problems = Vec::new();
        let mut edits = Vec::new();
        let mut clamped = Vec::new();
        let mut first_bad: Option<&str> = None;
        for name in REQUIRED.iter().chain(std::iter::once(&OPTIONAL)) {
            let Some(v) = vs.attribute(*name) else {
                if *name != OPTIONAL {
                    problems.push(format!("{name} absent"));
                }
                continue;
            };
            let state = counter(v);
            if !matches!(state, Counter::Ok) && first_bad.is_none() {
                first_bad = Some(name);
            }
            match state {
                Counter::Ok => {}
                Counter::Negative => {
                    problems.push(format!("{name}=\"{v}\" négatif"));
                    if let Some((s, e)) = model::attr_value_range(vs, name) {
                        edits.push(Edit::replace(s, e, "0"));
                        clamped.push(*name);
                    }
                }
                Counter::TooBig => problems.push(format!("{name}=\"{v}\" supérieur à 999")),
                Counter::NotInteger => {
                    problems.push(format!("{name}=\"{v}\" n'est pas un nombre entier"))
                }
            }
        }
        if problems.is_empty() {
            continue;
        }
        // Negative counters only: the clamp repairs the whole finding.
        let kind = if clamped.len() == problems.len() {
            "compteur-negatif"
        } else {
            "compteur-invalide"
        };
        let msg = format!(
            "vie scolaire : {} ; les compteurs nb-retards, nb-abs-justifiees et nb-abs-injustifiees sont obligatoires (nb-heures-manquees facultatif), entiers de 0 à 999, sinon LSU refuse le fichier",
            problems.join(", ")
        );
        let mut d = match first_bad {
            Some(a) => ctx.at_attr(vs, a, Code::P008, msg),
            None => ctx.at_node(vs, Code::P008, msg),
        }
        .with_kind(kind);
        if !edits.is_empty() {
            d = d.with_fix(Fix::unsafe_(
                format!("Ramener à 0 : {}", clamped.join(", ")),
                edits,
            ));
        }
        out.push(d);
    }
}

/// Words a schema error routed to P008 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::classify::shown;
    use crate::schema::Violation as V;
    let here = e.here();
    let msg = match &e.what {
        V::Pattern { value, .. } | V::Atomic { value, .. } => format!(
            "{here} vaut « {} » : un compteur de vie scolaire est un entier de 0 à 999",
            shown(&e.value_or(value))
        ),
        V::Range { value, .. } => {
            format!("{here} vaut « {value} » : un compteur de vie scolaire va de 0 à 999")
        }
        V::MissingAttribute(a) => format!(
            "{} : le compteur obligatoire {a} est absent (entier de 0 à 999, 0 s'il n'y a rien à signaler)",
            e.element()
        ),
        _ => return None,
    };
    Some(e.finding(crate::catalogue::Code::P008, msg))
}

#[cfg(test)]
mod tests {
    use super::{counter, Counter};

    #[test]
    fn counters() {
        assert!(matches!(counter("0"), Counter::Ok));
        assert!(matches!(counter(" 999 "), Counter::Ok));
        assert!(matches!(counter("+12"), Counter::Ok));
        assert!(matches!(counter("0012"), Counter::Ok));
        assert!(matches!(counter("-0"), Counter::Ok));
        assert!(matches!(counter("1000"), Counter::TooBig));
        assert!(matches!(counter("-2"), Counter::Negative));
        assert!(matches!(counter("2.5"), Counter::NotInteger));
        assert!(matches!(counter(""), Counter::NotInteger));
        assert!(matches!(counter("abc"), Counter::NotInteger));
    }
}
