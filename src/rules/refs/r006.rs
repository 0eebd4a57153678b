//! R006 orphan-common-block: a `parcours-commun`, `vie-scolaire-commun` or (type D)
//! `competences-numeriques-commun` whose period and division match no bilan of a pupil of that
//! division. LSU attaches common blocks by (period, division) code: an orphan is silently lost,
//! typically because the class code is spelt differently from the pupils' `code-division`.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{HashMap, HashSet};

use crate::xml::Node;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{child, children, Degree};
use crate::rules::helpers::element_removal;
use crate::rules::refs::{for_each_ref, tokens};
use crate::rules::{Ctx, Rule};
use crate::util::fold;

pub static RULE: Rule = Rule {
    code: Code::R006,
    degree: None,
    check,
};

/// The variants of R006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "sans-bilan",
        title: "bloc commun qui ne concerne aucun bilan du fichier",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui retire les blocs communs (parcours, vie scolaire, compétences numériques) qui ne concernent aucun élève du fichier.",
    },
    KindMeta {
        slug: "code-division-different",
        title: "bloc commun dont le code de division diffère de celui des élèves",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, écrire le code de division du bloc commun exactement comme celui des élèves, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let lsu = ctx.lsu;
    let Some(donnees) = lsu.donnees else {
        return;
    };
    let d1 = ctx.version.degree == Some(Degree::D1);
    // (period, division) pairs of the bilans, and divisions of pupils with a periodic bilan.
    // 1D divisions are the `classe` ids (what `parcours-commun/@classe-ref` names).
    let mut pairs: HashSet<(&str, &str)> = HashSet::new();
    let mut by_period: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut divisions: HashSet<&str> = HashSet::new();
    for b in &lsu.bilans_periodiques {
        let (Some(p), Some(e)) = (b.attribute("periode-ref"), lsu.eleve_of(*b)) else {
            continue;
        };
        let div = if d1 {
            e.attribute("classe-ref")
        } else {
            e.attribute("code-division")
        };
        if let Some(div) = div {
            pairs.insert((p, div));
            by_period.entry(p).or_default().insert(div);
            divisions.insert(div);
        }
    }
    let div_attr = if d1 { "classe-ref" } else { "code-division" };
    for (container, item) in [
        ("parcours-communs", "parcours-commun"),
        ("vies-scolaires-communs", "vie-scolaire-commun"),
    ] {
        let Some(c) = child(donnees, container) else {
            continue;
        };
        let all: Vec<Node> = children(c, item).collect();
        let mut found: Vec<(Node, Option<&str>)> = Vec::new();
        for n in &all {
            let (Some(p), Some(div)) = (n.attribute("periode-ref"), n.attribute(div_attr)) else {
                continue;
            };
            if lsu.target(p).is_none() || pairs.contains(&(p, div)) {
                continue;
            }
            let variant = by_period
                .get(p)
                .and_then(|ds| ds.iter().copied().find(|d| fold(d) == fold(div)));
            found.push((*n, variant));
        }
        report(ctx, c, &all, found, div_attr, out);
    }
    if let Some(c) = child(donnees, "competences-numeriques-communs") {
        let all: Vec<Node> = children(c, "competences-numeriques-commun").collect();
        let mut referenced: HashSet<&str> = HashSet::new();
        for_each_ref(ctx.doc, |n, _, v| {
            if n.tag_name().name() == "competences-numeriques" {
                referenced.extend(tokens(v).map(|(_, t)| t));
            }
        });
        let mut found = Vec::new();
        for n in &all {
            if n.attribute("type-structure").map(str::trim) != Some("D") {
                continue;
            }
            let Some(div) = n.attribute("code-structure") else {
                continue;
            };
            if divisions.contains(div) {
                continue;
            }
            let variant = divisions.iter().copied().find(|d| fold(d) == fold(div));
            // A referenced block is not dropped automatically (that would leave dangling refs).
            let keep = n.attribute("id").is_some_and(|id| referenced.contains(id));
            found.push((*n, if keep { Some("") } else { variant }));
        }
        report(ctx, c, &all, found, "code-structure", out);
    }
}

/// One finding per orphan; the safe fix drops it (or the whole optional container when every
/// item is an orphan), unless a spelling variant suggests the division code is simply wrong.
fn report(
    ctx: &Ctx,
    container: Node,
    all: &[Node],
    found: Vec<(Node, Option<&str>)>,
    div_attr: &str,
    out: &mut Vec<Diagnostic>,
) {
    let droppable = found.iter().filter(|(_, v)| v.is_none()).count();
    let whole = droppable == all.len() && !all.is_empty();
    for (n, variant) in found {
        let div = n.attribute(div_attr).unwrap_or("");
        let item = n.tag_name().name();
        let period = n
            .attribute("periode-ref")
            .map(|p| format!(" et la période « {p} »"))
            .unwrap_or_default();
        let unit = if div_attr == "classe-ref" {
            "classe"
        } else {
            "division"
        };
        let mut msg = format!(
            "le bloc commun « {item} » pour la {unit} « {div} »{period} ne correspond à aucun bilan périodique d'un élève de cette {unit} : LSU ne le rattachera probablement à personne"
        );
        match variant {
            Some("") => msg.push_str(
                " ; il est pourtant référencé par un bilan : vérifier le code de structure",
            ),
            Some(v) => msg.push_str(&format!(
                " ; les élèves sont dans la {unit} « {v} » : corriger l'orthographe du code"
            )),
            None => {}
        }
        let mut d = ctx.at_node(n, Code::R006, msg);
        if variant.is_some() {
            d = d.with_kind("code-division-different").with_group(format!(
                "bloc commun « {item} » dont le code de division diffère de celui des élèves"
            ));
        } else {
            d = d.with_group(format!("bloc commun « {item} » sans bilan correspondant"));
            let (target, title) = if whole {
                (
                    container,
                    format!(
                        "Supprimer « {} » (aucun bloc ne correspond à un bilan)",
                        container.tag_name().name()
                    ),
                )
            } else {
                (n, format!("Supprimer le bloc commun orphelin ({div})"))
            };
            let (s, e) = element_removal(ctx.text, target);
            d = d.with_fix(Fix::safe(title, vec![Edit::delete(s, e)]));
        }
        out.push(d);
    }
}
