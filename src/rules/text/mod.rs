//! X family: text lengths and contents. One file per rule; `rules()` lists this family's rules
//! for the registry. The table of text fields (element texts and attributes) with their limits
//! per schema version is shared with E006.

use std::borrow::Cow;

use crate::xml::Node;

use super::Rule;
use crate::model::{self, Degree, SchemaKind, VersionInfo};
use crate::rules::helpers::{element_text, is_text_leaf};

pub mod x001;
pub mod x002;
pub mod x003;
pub mod x004;
pub mod x005;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &x001::RULE,
        &x002::RULE,
        &x003::RULE,
        &x004::RULE,
        &x005::RULE,
    ]
}

/// What a field holds, which decides the fixes allowed on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Informational label (`libelle`, `intitule`, header strings): safe cut and trim.
    Label,
    /// Person name: trimmed safely, never cut (matched against the referentials).
    Name,
    /// Appreciation, comment, synthesis: cut only as an unsafe fix, at a word boundary.
    Prose,
    /// Identifier or code: never cut.
    Code,
    /// Addresses and other data: reported only.
    Other,
}

/// A text field's type facts in one schema version.
#[derive(Clone, Copy, Debug)]
pub struct TextSpec {
    /// Maximum length in characters (inclusive).
    pub max: usize,
    /// `ChaineN` pattern: at least one non-blank character.
    pub non_blank: bool,
    /// `minLength 1` (without the pattern a single space passes).
    pub min1: bool,
    /// The element or attribute may be absent (so a blank one can be removed).
    pub optional: bool,
    pub class: Class,
}

const fn spec(max: usize, non_blank: bool, optional: bool, class: Class) -> TextSpec {
    TextSpec {
        max,
        non_blank,
        min1: true,
        optional,
        class,
    }
}

/// The spec of an element's text content, if the element is a text field. With a user's
/// schema, its length limit is the schema's (X001 reads limits from the schema in use).
pub fn element_spec(v: &VersionInfo, node: Node) -> Option<TextSpec> {
    let mut spec = builtin_element_spec(v, node)?;
    if let Some(f) = v.facts() {
        let parent = node
            .parent_element()
            .map(|p| p.tag_name().name())
            .unwrap_or("");
        if let Some(max) = f.max_length(node.tag_name().name(), &[parent], None) {
            spec.max = max.unwrap_or(usize::MAX);
        }
    }
    Some(spec)
}

/// The spec of an attribute of `element`, if it is a text field with a length limit; with a
/// user's schema, the schema's limit.
pub fn attr_spec(v: &VersionInfo, element: &str, attr: &str) -> Option<TextSpec> {
    let mut spec = builtin_attr_spec(v, element, attr)?;
    if let Some(max) = v
        .facts()
        .and_then(|f| f.max_length(element, &[], Some(attr)))
    {
        spec.max = max.unwrap_or(usize::MAX);
    }
    Some(spec)
}

fn builtin_element_spec(v: &VersionInfo, node: Node) -> Option<TextSpec> {
    use Class::*;
    Some(match node.tag_name().name() {
        "editeur" | "application" => spec(50, true, false, Label),
        "appliVersion" => spec(50, true, true, Label),
        "appreciation" => spec(v.appreciation_acquis_max(), true, true, Prose),
        "appreciation-num" => spec(600, true, true, Prose),
        "competences-numeriques-commun" => spec(600, true, false, Prose),
        "parcours" => spec(600, true, false, Prose),
        "commentaire" => {
            let required = node
                .parent_element()
                .is_some_and(|p| p.tag_name().name() == "vie-scolaire-commun");
            spec(600, true, !required, Prose)
        }
        "description" | "complement-ppre" | "complement-contrat-reussite" | "devoirs-faits" => {
            spec(600, true, true, Prose)
        }
        "acquis-conseils" => spec(1000, true, false, Prose),
        "synthese" | "appreciation-generale" => spec(1500, true, false, Prose),
        _ => return None,
    })
}

fn builtin_attr_spec(v: &VersionInfo, element: &str, attr: &str) -> Option<TextSpec> {
    use Class::*;
    let d1 = v.degree == Some(Degree::D1);
    // `NomPrenom`: 1..100 characters, no pattern.
    let nom_prenom = |optional: bool| TextSpec {
        max: 100,
        non_blank: false,
        min1: true,
        optional,
        class: Name,
    };
    let code = |max: usize| TextSpec {
        max,
        non_blank: false,
        min1: true,
        optional: false,
        class: Code,
    };
    Some(match (element, attr) {
        ("responsable-etab", "libelle") => TextSpec {
            class: Label,
            ..nom_prenom(false)
        },
        ("eleve", "nom" | "prenom") => nom_prenom(true),
        ("directeur", "nom" | "prenom") => nom_prenom(false),
        ("enseignant", "nom") => nom_prenom(!d1),
        // 2D: `ChaineEmptyWithMax100` (may be empty); 1D: `NomPrenom`.
        ("enseignant", "prenom") if !d1 => TextSpec {
            min1: false,
            ..nom_prenom(true)
        },
        ("enseignant", "prenom") => nom_prenom(false),
        ("responsable", "nom" | "prenom") => nom_prenom(!d1),
        ("eleve" | "parcours-commun" | "vie-scolaire-commun", "code-division") => {
            code(v.code_division_max())
        }
        ("competences-numeriques-commun", "code-structure") => code(v.code_division_max()),
        ("epi-thematique", "code") | ("epi", "thematique") => code(50),
        ("discipline", "libelle") => spec(40, true, false, Label),
        ("element-programme", "libelle") => spec(300, true, false, Label),
        ("epi-thematique", "libelle") => spec(100, true, false, Label),
        ("classe", "libelle") => spec(50, true, true, Label),
        ("epi" | "epi-groupe" | "acc-perso" | "acc-perso-groupe", "intitule") => {
            spec(150, true, false, Label)
        }
        ("responsable", "lien-parente") => spec(40, true, true, Other),
        ("responsable", "denomination") => spec(600, true, true, Other),
        ("adresse", "ligne1") => {
            // Optional from 7.0 on; required in 1D and in the 2020 schema.
            let optional = matches!(
                v.schema,
                Some(SchemaKind::D2V7_0) | Some(SchemaKind::D2V10_0)
            );
            spec(50, true, optional, Other)
        }
        ("adresse", "ligne2" | "ligne3" | "ligne4") => spec(50, true, true, Other),
        ("adresse", "code-postal") => spec(10, true, false, Other),
        ("adresse", "commune") => spec(100, true, false, Other),
        _ => return None,
    })
}

/// One text field of the document.
pub struct Field<'a, 'i> {
    pub node: Node<'a, 'i>,
    /// The attribute, or None for the element's text.
    pub attr: Option<&'a str>,
    /// The parsed value (entities decoded).
    pub value: Cow<'a, str>,
    /// Byte range of the raw value in the source (inside the quotes, or between the tags);
    /// None for an element with no content at all.
    pub raw: Option<(usize, usize)>,
    pub spec: TextSpec,
}

impl Field<'_, '_> {
    /// `libelle` or `appreciation`, for messages.
    pub fn name(&self) -> String {
        field_name(self.node.tag_name().name(), self.attr)
    }
}

/// A text field as messages and cause titles name it: `discipline/@libelle`, `appreciation`.
pub fn field_name(element: &str, attr: Option<&str>) -> String {
    match attr {
        Some(a) => format!("{element}/@{a}"),
        None => element.to_string(),
    }
}

/// Calls `f` for every text field of the table, in one walk of the tree.
pub fn for_each_field<'a, 'i: 'a>(
    v: &VersionInfo,
    doc: &'a crate::xml::Document<'i>,
    mut f: impl FnMut(Field<'a, 'i>),
) {
    for n in doc.descendants().filter(Node::is_element) {
        let name = n.tag_name().name();
        if let Some(spec) = element_spec(v, n) {
            if is_text_leaf(n) {
                f(Field {
                    node: n,
                    attr: None,
                    value: element_text(n),
                    raw: model::text_range(n),
                    spec,
                });
            }
        }
        for a in n.attributes() {
            if let Some(spec) = attr_spec(v, name, a.name()) {
                let r = a.range_value();
                f(Field {
                    node: n,
                    attr: Some(a.name()),
                    value: Cow::Borrowed(a.value()),
                    raw: Some((r.start, r.end)),
                    spec,
                });
            }
        }
    }
}

/// Whitespace for « blank »: XSD white space, no-break and zero-width spaces (which pass the
/// schema while showing nothing).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
    })
}

/// Cuts `s` to at most `max` characters at a word boundary, ending with « … » when cut.
pub fn cut_at_word(s: &str, max: usize) -> String {
    if s.chars().count() <= max || max == 0 {
        return s.to_string();
    }
    let budget = max - 1;
    let prefix: String = s.chars().take(budget).collect();
    let next = s.chars().nth(budget);
    let mut cut = if next.is_some_and(char::is_whitespace) {
        prefix.as_str()
    } else {
        // Back to the last space, unless that loses more than half the text.
        match prefix.rfind(char::is_whitespace) {
            Some(i) if prefix[..i].chars().count() * 2 >= budget => &prefix[..i],
            _ => prefix.as_str(),
        }
    };
    cut = cut.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '(' | '«')
    });
    format!("{cut}…")
}

/// Cuts `s` to `max` characters (labels) at the last word boundary, without trailing spaces
/// or separators; a single word longer than the limit is cut hard. No ellipsis: a label is a
/// name that LSU shows as it is (a subject, a class), not a text that continues.
pub fn cut_label(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let prefix: String = s.chars().take(max).collect();
    let next = s.chars().nth(max);
    let cut = if next.is_some_and(char::is_whitespace) {
        prefix.as_str()
    } else {
        match prefix.rfind(char::is_whitespace) {
            Some(i) if !prefix[..i].trim().is_empty() => &prefix[..i],
            _ => prefix.as_str(),
        }
    };
    cut.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '(' | '«' | '/' | '&')
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_cut_stays_within_limit_and_ends_on_a_word() {
        let s = "Bon trimestre dans l'ensemble, poursuivre les efforts";
        let c = cut_at_word(s, 20);
        assert!(c.chars().count() <= 20, "{c}");
        assert_eq!(c, "Bon trimestre dans…");
        assert_eq!(cut_at_word("court", 20), "court");
        // Exactly at the limit: untouched (limits are inclusive).
        let exact = "a".repeat(20);
        assert_eq!(cut_at_word(&exact, 20), exact);
        // One long word: hard cut.
        let long = "x".repeat(30);
        assert_eq!(cut_at_word(&long, 10).chars().count(), 10);
        // Multibyte characters are counted as characters.
        let accents = "éé éé éé éé éé";
        let c = cut_at_word(accents, 9);
        assert!(c.chars().count() <= 9);
        assert_eq!(c, "éé éé éé…");
    }

    #[test]
    fn label_cut() {
        assert_eq!(cut_label("Mathématiques appliquées", 14), "Mathématiques");
        // Never inside a word: back to the last word that fits whole.
        assert_eq!(
            cut_label("Mathématiques et sciences appliquées renforcées", 40),
            "Mathématiques et sciences appliquées"
        );
        assert_eq!(cut_label("Histoire - géographie", 12), "Histoire");
        // One word longer than the limit: hard cut.
        assert_eq!(cut_label("Anticonstitutionnellement", 10), "Anticonsti");
        assert_eq!(cut_label("court", 10), "court");
    }

    #[test]
    fn blank_detection() {
        assert!(is_blank(" \t\n"));
        assert!(is_blank("\u{A0}\u{200B}"));
        assert!(is_blank(""));
        assert!(!is_blank(" a "));
    }
}
