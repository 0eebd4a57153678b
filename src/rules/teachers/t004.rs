//! T004 enseignant-name-mismatch-onde (1D, settings `[[enseignants]]`): 1D teachers and
//! directors have no identifier; LSU compares civilité + nom exactly with ONDE and warns
//! « … est inconnu dans ONDE » otherwise. The ONDE spelling comes from the settings file (the
//! ONDE pupils' extraction has no teacher column). The message shows both spellings and names
//! the difference. Safe fix: NFC when that alone makes them equal; unsafe fix: the ONDE
//! spelling when exactly one folded match exists; never a guess among several.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc, UnicodeNormalization};

use super::xs_trim;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::refdata::settings::EnseignantSettings;
use crate::rules::{Ctx, Rule};
use crate::util::{escape_attr, levenshtein, quote_before};

pub static RULE: Rule = Rule {
    code: Code::T004,
    degree: Some(Degree::D1),
    check,
};

/// The variants of T004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "orthographe",
        title: "nom ou civilité de l'enseignant écrits autrement que dans ONDE",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de l'école, écrire la civilité et le nom de l'enseignant exactement comme dans ONDE (accents, tirets, majuscules), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "unicode-nfc",
        title: "nom de l'enseignant avec des accents décomposés",
        agir: Agir::Fichier,
        action: "Faire normaliser le nom de l'enseignant par lsu-lint fix (les lettres accentuées restent les mêmes à l'écran).",
    },
    KindMeta {
        slug: "inconnu-onde",
        title: "enseignant absent de la liste ONDE de l'école",
        agir: Agir::Onde,
        action: "Vérifier que l'enseignant est bien rattaché à l'école dans ONDE (le directeur ou la circonscription l'ajoute si besoin) et que la liste des enseignants du fichier de paramètres est à jour.",
    },
];

/// A kind of spelling difference between two names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Diff {
    /// One side is not in Unicode NFC (decomposed accents).
    UnicodeForm,
    Accents,
    Case,
    Apostrophe,
    Hyphen,
    Spaces,
    /// Differences that remain once all the above are folded: other letters.
    Letters,
}

impl Diff {
    pub fn label_fr(self) -> &'static str {
        match self {
            Diff::UnicodeForm => "forme Unicode (lettres accentuées décomposées, non NFC)",
            Diff::Accents => "accents",
            Diff::Case => "majuscules/minuscules",
            Diff::Apostrophe => "apostrophe",
            Diff::Hyphen => "tiret",
            Diff::Spaces => "espaces",
            Diff::Letters => "lettres différentes",
        }
    }
}

const APOSTROPHES: &[char] = &['\'', '’', '‘', 'ʼ', '`', '´', '′'];
const HYPHENS: &[char] = &['-', '‐', '‑', '‒', '–', '—', '―', '−'];

/// The foldings, in order; each is idempotent and they commute on NFC text.
const STEPS: [Diff; 5] = [
    Diff::Case,
    Diff::Accents,
    Diff::Apostrophe,
    Diff::Hyphen,
    Diff::Spaces,
];

fn step(kind: Diff, s: &str) -> String {
    match kind {
        Diff::Case => s.to_lowercase(),
        Diff::Accents => s.nfd().filter(|c| !is_combining_mark(*c)).nfc().collect(),
        Diff::Apostrophe => s.chars().filter(|c| !APOSTROPHES.contains(c)).collect(),
        Diff::Hyphen => s.chars().filter(|c| !HYPHENS.contains(c)).collect(),
        Diff::Spaces => s.chars().filter(|c| !c.is_whitespace()).collect(),
        Diff::UnicodeForm | Diff::Letters => s.to_string(),
    }
}

fn fold_except(s: &str, skip: Option<Diff>) -> String {
    let mut v: String = s.nfc().collect();
    for k in STEPS {
        if Some(k) != skip {
            v = step(k, &v);
        }
    }
    v
}

/// The name with case, accents, apostrophes, hyphens and spaces folded away: two names with the
/// same key are « the same name spelt differently ». Built from the steps `name_differences`
/// names, unlike `util::name_key` (identity matching, which keeps letters and digits only).
pub fn spelling_key(s: &str) -> String {
    fold_except(s, None)
}

/// The kinds of difference between two spellings of a name. A kind is named when folding
/// everything but it leaves the names further apart (edit distance) than folding everything, so
/// a hyphen written as a space names both « tiret » and « espaces ». Empty when identical.
pub fn name_differences(file: &str, onde: &str) -> Vec<Diff> {
    let mut v = Vec::new();
    if file == onde {
        return v;
    }
    if !is_nfc(file) || !is_nfc(onde) {
        v.push(Diff::UnicodeForm);
    }
    let base = levenshtein(&spelling_key(file), &spelling_key(onde));
    for k in STEPS {
        if levenshtein(&fold_except(file, Some(k)), &fold_except(onde, Some(k))) > base {
            v.push(k);
        }
    }
    if base > 0 {
        v.push(Diff::Letters);
    }
    v
}

/// What to do with one teacher of the file.
#[derive(Debug, PartialEq)]
pub enum Choice<'s> {
    /// Civilité and nom are exactly an ONDE teacher's.
    Exact,
    /// NFC alone gives an ONDE teacher's nom (safe).
    Nfc(String),
    /// Exactly one ONDE spelling matches once folded (unsafe).
    Adopt(&'s EnseignantSettings),
    /// Several ONDE teachers match once folded, with different spellings: no guess.
    Ambiguous(Vec<&'s EnseignantSettings>),
    /// The nom matches (folded) but only with another civilité.
    Civilite(Vec<&'s EnseignantSettings>),
    /// No ONDE teacher with that name.
    Unknown,
}

fn civ_ok(file: Option<&str>, e: &EnseignantSettings) -> bool {
    match (file, e.civilite.as_deref()) {
        (_, None) => true,
        (Some(a), Some(b)) => a == b,
        (None, Some(_)) => false,
    }
}

/// Chooses the finding and fix for a teacher `civ nom prenom` against the ONDE list.
pub fn choose<'s>(
    civ: Option<&str>,
    nom: &str,
    prenom: Option<&str>,
    list: &'s [EnseignantSettings],
) -> Choice<'s> {
    if list.iter().any(|e| e.nom == nom && civ_ok(civ, e)) {
        return Choice::Exact;
    }
    let nfc: String = nom.nfc().collect();
    if nfc != nom && list.iter().any(|e| e.nom == nfc && civ_ok(civ, e)) {
        return Choice::Nfc(nfc);
    }
    let key = spelling_key(nom);
    let folded: Vec<&EnseignantSettings> = list
        .iter()
        .filter(|e| spelling_key(&e.nom) == key)
        .collect();
    let same_civ: Vec<&EnseignantSettings> =
        folded.iter().copied().filter(|e| civ_ok(civ, e)).collect();
    match same_civ.as_slice() {
        [] if folded.is_empty() => Choice::Unknown,
        [] => Choice::Civilite(folded),
        [one] => Choice::Adopt(one),
        many => {
            // Homonyms spelt alike: the nom to write is not in doubt (LSU ignores the prénom).
            if many.iter().all(|e| e.nom == many[0].nom) {
                return Choice::Adopt(many[0]);
            }
            // The prénom may single one out.
            let p = prenom.map(spelling_key).filter(|p| !p.is_empty());
            let by_prenom: Vec<&&EnseignantSettings> = many
                .iter()
                .filter(|e| p.is_some() && e.prenom.as_deref().map(spelling_key) == p)
                .collect();
            match by_prenom.as_slice() {
                [one] => Choice::Adopt(one),
                _ => Choice::Ambiguous(many.to_vec()),
            }
        }
    }
}

fn shown(civ: Option<&str>, nom: &str) -> String {
    match civ {
        Some(c) => format!("{c} {nom}"),
        None => nom.to_string(),
    }
}

fn differences_fr(file: &str, onde: &str) -> String {
    let d: Vec<&str> = name_differences(file, onde)
        .into_iter()
        .map(Diff::label_fr)
        .collect();
    d.join(", ")
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(settings) = ctx.refdata.settings.as_ref() else {
        return;
    };
    let list = &settings.enseignants;
    if list.is_empty() {
        // Settings without [[enseignants]]: nothing to compare with.
        ctx.skip(Code::T004, "settings");
        return;
    }
    let directeurs = model::items(ctx.lsu.donnees, "directeurs", "directeur");
    let people = ctx
        .lsu
        .enseignants
        .iter()
        .map(|n| (*n, "enseignant"))
        .chain(directeurs.iter().map(|n| (*n, "directeur")));
    let src = format!(
        "ONDE (liste des enseignants des paramètres LSU fournis, {})",
        settings.path
    );
    for (node, role) in people {
        let Some(nom) = node.attribute("nom") else {
            continue; // a missing nom is T005's / the schema's
        };
        if xs_trim(nom).is_empty() {
            continue;
        }
        let civ = node.attribute("civilite").map(xs_trim);
        let prenom = node.attribute("prenom");
        let id = node.attribute("id").unwrap_or("?");
        let file_shown = shown(civ, nom);
        let lead = format!("{role} « {id} » : civilité et nom « {file_shown} » dans le fichier");
        let tail = "; LSU compare exactement la civilité et le nom avec ONDE et signalera « enseignant inconnu dans ONDE »";
        let value = model::attr_value_range(node, "nom");
        let d = match choose(civ, nom, prenom, list) {
            Choice::Exact => continue,
            Choice::Nfc(nfc) => {
                let d = ctx
                    .at_attr(
                        node,
                        "nom",
                        Code::T004,
                        format!(
                            "{lead}, « {} » dans {src} : différence : {} {tail}",
                            shown(civ, &nfc),
                            differences_fr(nom, &nfc)
                        ),
                    )
                    .with_kind("unicode-nfc");
                match value {
                    Some((s, e)) => d.with_fix(Fix::safe(
                        format!("Normaliser le nom « {nfc} » en Unicode NFC"),
                        vec![Edit::replace(
                            s,
                            e,
                            escape_attr(&nfc, quote_before(ctx.text, s)),
                        )],
                    )),
                    None => d,
                }
            }
            Choice::Adopt(e) => {
                let onde = shown(e.civilite.as_deref().or(civ), &e.nom);
                let d = ctx.at_attr(
                    node,
                    "nom",
                    Code::T004,
                    format!(
                        "{lead}, « {onde} » dans {src} : différence : {} {tail}",
                        differences_fr(nom, &e.nom)
                    ),
                );
                match value {
                    Some((s, en)) => d.with_fix(Fix::unsafe_(
                        format!("Écrire le nom comme dans ONDE : « {} »", e.nom),
                        vec![Edit::replace(
                            s,
                            en,
                            escape_attr(&e.nom, quote_before(ctx.text, s)),
                        )],
                    )),
                    None => d,
                }
            }
            Choice::Ambiguous(many) => {
                let names: Vec<String> = many
                    .iter()
                    .map(|e| {
                        format!(
                            "« {} » ({})",
                            shown(e.civilite.as_deref(), &e.nom),
                            differences_fr(nom, &e.nom)
                        )
                    })
                    .collect();
                ctx.at_attr(
                    node,
                    "nom",
                    Code::T004,
                    format!(
                        "{lead} ; plusieurs enseignants d'{src} s'en approchent : {} ; aucune correction automatique : indiquez dans le logiciel le nom exact de l'enseignant tel qu'il figure dans ONDE {tail}",
                        names.join(", ")
                    ),
                )
            }
            Choice::Civilite(many) => {
                let names: Vec<String> = many
                    .iter()
                    .map(|e| {
                        let diffs = differences_fr(nom, &e.nom);
                        let also = if diffs.is_empty() {
                            String::new()
                        } else {
                            format!(", et dans le nom : {diffs}")
                        };
                        format!(
                            "« {} » (différence de civilité{also})",
                            shown(e.civilite.as_deref(), &e.nom)
                        )
                    })
                    .collect();
                ctx.at_attr(
                    node,
                    "civilite",
                    Code::T004,
                    format!(
                        "{lead}, {} dans {src} {tail} ; corrigez la civilité dans le logiciel (ou dans ONDE si c'est elle qui est fausse)",
                        names.join(", ")
                    ),
                )
            }
            Choice::Unknown => {
                let key = crate::util::fold(nom);
                let near = list
                    .iter()
                    .map(|e| (levenshtein(&key, &crate::util::fold(&e.nom)), e))
                    .filter(|(d, e)| *d <= 2.max(e.nom.chars().count() / 4))
                    .min_by_key(|(d, _)| *d)
                    .map(|(_, e)| {
                        format!(
                            " ; le plus proche est « {} » (différence : {})",
                            shown(e.civilite.as_deref(), &e.nom),
                            differences_fr(nom, &e.nom)
                        )
                    })
                    .unwrap_or_default();
                ctx.at_attr(
                    node,
                    "nom",
                    Code::T004,
                    format!(
                        "{lead} : aucun enseignant de ce nom dans {src}{near} {tail} ; vérifiez le nom dans le logiciel et dans ONDE, et la liste des enseignants des paramètres LSU"
                    ),
                )
                // A near spelling is a typo to correct in the software, not an absent person.
                .with_kind(if near.is_empty() {
                    "inconnu-onde"
                } else {
                    "orthographe"
                })
            }
        };
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(civ: Option<&str>, nom: &str, prenom: Option<&str>) -> EnseignantSettings {
        EnseignantSettings {
            civilite: civ.map(str::to_string),
            nom: nom.to_string(),
            prenom: prenom.map(str::to_string),
        }
    }

    #[test]
    fn names_each_kind_of_difference() {
        use Diff::*;
        assert_eq!(name_differences("Lefèvre", "Lefèvre"), vec![]);
        assert_eq!(name_differences("Lefevre", "Lefèvre"), vec![Accents]);
        assert_eq!(name_differences("LEFEVRE", "Lefevre"), vec![Case]);
        assert_eq!(name_differences("LEFÈVRE", "Lefevre"), vec![Case, Accents]);
        assert_eq!(name_differences("D’Arcy", "D'Arcy"), vec![Apostrophe]);
        assert_eq!(name_differences("DArcy", "D'Arcy"), vec![Apostrophe]);
        assert_eq!(
            name_differences("Martin Roux", "Martin-Roux"),
            vec![Hyphen, Spaces]
        );
        assert_eq!(name_differences("Martin–Roux", "Martin-Roux"), vec![Hyphen]);
        assert_eq!(name_differences("Le Goff", "Le  Goff"), vec![Spaces]);
        assert_eq!(name_differences("Le\u{a0}Goff", "Le Goff"), vec![Spaces]);
        assert_eq!(name_differences(" Le Goff", "Le Goff"), vec![Spaces]);
        // « è » decomposed (e + U+0300) versus precomposed: only the Unicode form differs.
        assert_eq!(
            name_differences("Lefe\u{300}vre", "Lefèvre"),
            vec![UnicodeForm]
        );
        assert_eq!(
            name_differences("LEFE\u{300}VRE", "Lefevre"),
            vec![UnicodeForm, Case, Accents]
        );
        assert_eq!(name_differences("Martin", "Martine"), vec![Letters]);
        assert_eq!(name_differences("Marten", "MARTIN"), vec![Case, Letters]);
    }

    #[test]
    fn key_folds_everything_but_letters() {
        assert_eq!(
            spelling_key("D’Arcy-Lefèvre"),
            spelling_key("DARCY LEFEVRE")
        );
        assert_eq!(spelling_key("Lefe\u{300}vre"), "lefevre");
        assert_ne!(spelling_key("Martin"), spelling_key("Martine"));
    }

    #[test]
    fn exact_match_needs_civilite_and_nom() {
        let list = vec![e(Some("MME"), "D'Arcy-Lefèvre", Some("Éloïse"))];
        assert_eq!(
            choose(Some("MME"), "D'Arcy-Lefèvre", None, &list),
            Choice::Exact
        );
        // No civilité in the settings: the nom alone decides.
        let list2 = vec![e(None, "Martin", None)];
        assert_eq!(choose(Some("M"), "Martin", None, &list2), Choice::Exact);
        assert!(matches!(
            choose(Some("M"), "D'Arcy-Lefèvre", None, &list),
            Choice::Civilite(v) if v.len() == 1
        ));
    }

    #[test]
    fn nfc_alone_is_the_safe_fix() {
        let list = vec![e(Some("MME"), "Lefèvre", None)];
        assert_eq!(
            choose(Some("MME"), "Lefe\u{300}vre", None, &list),
            Choice::Nfc("Lefèvre".into())
        );
        // NFC does not suffice when the case differs too: folded match, unsafe.
        assert!(matches!(
            choose(Some("MME"), "LEFE\u{300}VRE", None, &list),
            Choice::Adopt(x) if x.nom == "Lefèvre"
        ));
    }

    #[test]
    fn one_folded_match_is_adopted_several_are_not() {
        let list = vec![
            e(Some("MME"), "D'Arcy-Lefèvre", None),
            e(Some("M"), "Dupont", None),
        ];
        assert!(matches!(
            choose(Some("MME"), "DARCY LEFEVRE", None, &list),
            Choice::Adopt(x) if x.nom == "D'Arcy-Lefèvre"
        ));
        let two = vec![e(Some("M"), "Le Goff", None), e(Some("M"), "Legoff", None)];
        assert!(matches!(
            choose(Some("M"), "LEGOFF", None, &two),
            Choice::Ambiguous(v) if v.len() == 2
        ));
        // The prénom singles one out.
        let two_p = vec![
            e(Some("M"), "Le Goff", Some("Yann")),
            e(Some("M"), "Legoff", Some("Paul")),
        ];
        assert!(matches!(
            choose(Some("M"), "LEGOFF", Some("Paul"), &two_p),
            Choice::Adopt(x) if x.nom == "Legoff"
        ));
        // Homonyms spelt alike: the nom is not in doubt.
        let homonyms = vec![
            e(Some("M"), "Martin", Some("Paul")),
            e(Some("M"), "Martin", Some("Luc")),
        ];
        assert!(matches!(
            choose(Some("M"), "MARTIN", None, &homonyms),
            Choice::Adopt(x) if x.nom == "Martin"
        ));
        assert_eq!(choose(Some("M"), "Durand", None, &list), Choice::Unknown);
    }
}
