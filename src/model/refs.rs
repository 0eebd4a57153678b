//! The format's cross-references (`lsu-format.md` §3.7 and the 1D map of §4): which attributes
//! are IDREF/IDREFS, what they must point to, and which elements are declarations that bilans
//! reference. Shared by the R rules and by `split`.

use crate::xml::Node;

/// Containers of declarations (elements with an `id` that other elements reference), both
/// degrees: (container, item).
pub(crate) const DECLARATIONS: &[(&str, &str)] = &[
    ("responsables-etab", "responsable-etab"),
    ("periodes", "periode"),
    ("disciplines", "discipline"),
    ("enseignants", "enseignant"),
    ("elements-programme", "element-programme"),
    (
        "competences-numeriques-communs",
        "competences-numeriques-commun",
    ),
    ("epis", "epi"),
    ("epis-groupes", "epi-groupe"),
    ("acc-persos", "acc-perso"),
    ("acc-persos-groupes", "acc-perso-groupe"),
    ("directeurs", "directeur"),
    ("classes", "classe"),
];

/// One IDREF / IDREFS attribute of the format (`lsu-format.md` §3.7 and the 1D map of §4).
#[derive(Clone, Copy, Debug)]
pub struct RefSpec {
    pub attr: &'static str,
    /// IDREFS (space-separated list) rather than a single IDREF.
    pub list: bool,
    /// Fewest items the list must keep (2 for `epi/@discipline-refs`).
    pub min: usize,
    /// The attribute may be absent.
    pub optional: bool,
    /// Element kind the reference must point to; None when the format does not say.
    pub target: Option<&'static str>,
}

const fn one(attr: &'static str, target: &'static str) -> RefSpec {
    RefSpec {
        attr,
        list: false,
        min: 1,
        optional: false,
        target: Some(target),
    }
}

const fn many(attr: &'static str, target: &'static str, min: usize, optional: bool) -> RefSpec {
    RefSpec {
        attr,
        list: true,
        min,
        optional,
        target: Some(target),
    }
}

/// The reference attributes an element may carry, both degrees together (element names that
/// exist in both degrees carry the same references, or references the other degree lacks).
pub fn specs_of(element: &str) -> &'static [RefSpec] {
    const BILAN_P: &[RefSpec] = &[
        one("eleve-ref", "eleve"),
        one("periode-ref", "periode"),
        one("responsable-etab-ref", "responsable-etab"),
        many("prof-princ-refs", "enseignant", 1, true),
        // 1D
        many("enseignant-refs", "enseignant", 1, false),
        one("directeur-ref", "directeur"),
    ];
    const BILAN_C: &[RefSpec] = &[
        one("eleve-ref", "eleve"),
        one("responsable-etab-ref", "responsable-etab"),
        many("prof-princ-refs", "enseignant", 1, true),
        many("enseignant-refs", "enseignant", 1, false),
        one("directeur-ref", "directeur"),
    ];
    const ACQUIS: &[RefSpec] = &[
        one("discipline-ref", "discipline"),
        many("enseignant-refs", "enseignant", 1, false),
        many("element-programme-refs", "element-programme", 1, true),
    ];
    const SOUS_DOMAINE: &[RefSpec] =
        &[many("element-programme-refs", "element-programme", 1, true)];
    const COMMUN: &[RefSpec] = &[one("periode-ref", "periode"), one("classe-ref", "classe")];
    const ELEVE: &[RefSpec] = &[one("classe-ref", "classe")];
    const COMP_NUM: &[RefSpec] = &[many(
        "comp-num-commun-refs",
        "competences-numeriques-commun",
        1,
        true,
    )];
    const EPI: &[RefSpec] = &[many("discipline-refs", "discipline", 2, false)];
    const EPI_GROUPE: &[RefSpec] = &[one("epi-ref", "epi")];
    const EPI_ELEVE: &[RefSpec] = &[one("epi-groupe-ref", "epi-groupe")];
    const ACC: &[RefSpec] = &[many("discipline-refs", "discipline", 1, false)];
    const ACC_GROUPE: &[RefSpec] = &[one("acc-perso-ref", "acc-perso")];
    const ACC_ELEVE: &[RefSpec] = &[one("acc-perso-groupe-ref", "acc-perso-groupe")];
    const ENS_DISC: &[RefSpec] = &[
        one("enseignant-ref", "enseignant"),
        one("discipline-ref", "discipline"),
    ];
    // The schema does not document what `id-lv` designates: only its resolution is checked.
    const DISCIPLINE: &[RefSpec] = &[RefSpec {
        attr: "id-lv",
        list: false,
        min: 1,
        optional: true,
        target: None,
    }];
    match element {
        "bilan-periodique" => BILAN_P,
        "bilan-cycle" => BILAN_C,
        "acquis" => ACQUIS,
        "sous-domaine" => SOUS_DOMAINE,
        "parcours-commun" | "vie-scolaire-commun" => COMMUN,
        "eleve" => ELEVE,
        "competences-numeriques" => COMP_NUM,
        "epi" => EPI,
        "epi-groupe" => EPI_GROUPE,
        "epi-eleve" => EPI_ELEVE,
        "acc-perso" => ACC,
        "acc-perso-groupe" => ACC_GROUPE,
        "acc-perso-eleve" => ACC_ELEVE,
        "enseignant-discipline" => ENS_DISC,
        "discipline" => DISCIPLINE,
        _ => &[],
    }
}

/// Calls `f(element, spec, value)` for every reference attribute present in the document, in
/// document order (one walk of the tree).
pub fn for_each_ref<'a, 'i: 'a>(
    doc: &'a crate::xml::Document<'i>,
    mut f: impl FnMut(Node<'a, 'i>, &'static RefSpec, &'a str),
) {
    // The element's attributes read once (the tree does not store them: each lookup reads
    // the start tag again), then taken in the order of the specs.
    let mut attrs: Vec<(&'a str, &'a str)> = Vec::new();
    for n in doc.descendants().filter(Node::is_element) {
        let specs = specs_of(n.tag_name().name());
        if specs.is_empty() {
            continue;
        }
        attrs.clear();
        attrs.extend(n.plain_attributes());
        for spec in specs {
            if let Some((_, v)) = attrs.iter().find(|(name, _)| *name == spec.attr) {
                f(n, spec, v);
            }
        }
    }
}

/// Tokens of an IDREF/IDREFS value with their byte offsets inside the value.
pub fn tokens(value: &str) -> impl Iterator<Item = (usize, &str)> {
    value
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
        .map(move |t| (t.as_ptr() as usize - value.as_ptr() as usize, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_with_offsets() {
        let v: Vec<_> = tokens(" A  BC\tD ").collect();
        assert_eq!(v, vec![(1, "A"), (4, "BC"), (7, "D")]);
        assert_eq!(tokens("   ").count(), 0);
    }

    #[test]
    fn table_covers_both_degrees() {
        assert!(specs_of("bilan-periodique")
            .iter()
            .any(|s| s.attr == "directeur-ref"));
        assert_eq!(
            specs_of("epi").first().map(|s| (s.min, s.list)),
            Some((2, true))
        );
        assert!(specs_of("responsable").is_empty());
    }
}
