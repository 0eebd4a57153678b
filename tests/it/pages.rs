//! The French rule pages of `rules/`: one per catalogue code, with the layout `explain` and
//! `RuleMeta::title()` rely on, and metadata lines that agree with the catalogue.

use lsu_lint::catalogue::{FixClass, CATALOGUE};
use std::{fs, path::Path};

const SECTIONS: [&str; 4] = [
    "## Ce que la règle vérifie",
    "## Exemple incorrect",
    "## Exemple correct",
    "## Correction",
];

fn rules_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
}

fn page_text(code: &str, name: &str) -> String {
    let path = rules_dir().join(format!("{code}-{name}.md"));
    match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => panic!("{code}: cannot read {}: {e}", path.display()),
    }
}

/// The value of a `- **Label** : value` metadata line.
fn meta_line<'a>(text: &'a str, label: &str) -> Option<&'a str> {
    let prefix = format!("- **{label}** : ");
    text.lines().find_map(|l| l.strip_prefix(prefix.as_str()))
}

#[test]
fn every_catalogue_code_has_a_well_formed_page() {
    for m in CATALOGUE {
        let text = page_text(m.code.as_str(), m.name);
        let first = text.lines().next().unwrap_or("");
        let head = format!("# {} — ", m.code);
        assert!(
            first.starts_with(&head),
            "{}: first line must start with {head:?}, got {first:?}",
            m.code
        );
        assert!(
            !first[head.len()..].trim().is_empty(),
            "{}: empty title",
            m.code
        );
        assert!(
            text.contains(&format!("`{}`", m.name)),
            "{}: the page must name the rule `{}`",
            m.code,
            m.name
        );
        // Sections present, in order, with the "Pourquoi" one between the first two.
        let mut at = 0;
        for s in SECTIONS {
            let Some(pos) = text[at..].find(&format!("\n{s}\n")) else {
                panic!("{}: section {s:?} missing or out of order", m.code);
            };
            at += pos + 1;
        }
        let why = text.find("\n## Pourquoi");
        let what = text.find("\n## Ce que la règle vérifie");
        let bad = text.find("\n## Exemple incorrect");
        assert!(
            matches!((what, why, bad), (Some(a), Some(b), Some(c)) if a < b && b < c),
            "{}: a `## Pourquoi …` section must follow `## Ce que la règle vérifie`",
            m.code
        );
        // Both examples carry an XML snippet.
        assert!(
            text.matches("```xml").count() >= 2,
            "{}: both examples need an ```xml block",
            m.code
        );
    }
}

#[test]
fn page_metadata_agrees_with_the_catalogue() {
    for m in CATALOGUE {
        let text = page_text(m.code.as_str(), m.name);
        assert_eq!(
            meta_line(&text, "Nom"),
            Some(format!("`{}`", m.name).as_str()),
            "{}: Nom",
            m.code
        );
        assert_eq!(
            meta_line(&text, "Gravité par défaut"),
            Some(m.severity.label_fr()),
            "{}: Gravité",
            m.code
        );
        assert_eq!(
            meta_line(&text, "Impact LSU"),
            Some(m.impact.as_str()),
            "{}: Impact",
            m.code
        );
        assert!(
            meta_line(&text, "Données nécessaires").is_some_and(|v| !v.trim().is_empty()),
            "{}: Données nécessaires",
            m.code
        );
        let fix = meta_line(&text, "Correction").unwrap_or("");
        let expected = match m.fix_class {
            FixClass::Safe => "sûre",
            FixClass::Unsafe => "non sûre (--unsafe-fixes)",
            FixClass::Suggest => "suggestion",
            FixClass::None => "aucune",
        };
        assert!(
            fix.starts_with(expected),
            "{}: Correction must start with {expected:?}, got {fix:?}",
            m.code
        );
    }
}

#[test]
fn every_page_belongs_to_a_catalogue_code_with_its_name() {
    let entries = match fs::read_dir(rules_dir()) {
        Ok(e) => e,
        Err(e) => panic!("cannot list rules/: {e}"),
    };
    let mut seen = 0;
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = file.strip_suffix(".md") else {
            panic!("rules/{file}: only .md pages belong in rules/");
        };
        let Some((code, name)) = stem.split_once('-') else {
            panic!("rules/{file}: expected <CODE>-<name>.md");
        };
        let Some(m) = CATALOGUE.iter().find(|m| m.code == code) else {
            panic!("rules/{file}: {code} is not a catalogue code");
        };
        assert_eq!(name, m.name, "rules/{file}: wrong rule name for {code}");
        seen += 1;
    }
    assert_eq!(seen, CATALOGUE.len(), "one page per catalogue code");
}

#[test]
fn titles_and_pages_are_embedded() {
    for m in CATALOGUE {
        assert!(!m.title().is_empty(), "{}: no embedded title", m.code);
        let Some(page) = m.page() else {
            panic!("{}: page not embedded", m.code);
        };
        assert!(page.starts_with(&format!("# {} — ", m.code)), "{}", m.code);
    }
    let d001 = CATALOGUE
        .iter()
        .find(|m| m.code == "D001")
        .map(|m| m.title());
    assert_eq!(
        d001,
        Some("Date de scolarité hors de la période d'inscription")
    );
}

/// The section of a page that starts with `## {title}`, up to the next `## `.
fn section<'a>(text: &'a str, title: &str) -> Option<&'a str> {
    let start = text.find(&format!("\n## {title}"))? + 1;
    let body = &text[start..];
    let end = body[3..].find("\n## ").map_or(body.len(), |e| e + 3);
    Some(&body[..end])
}

/// Every kind a rule declares is documented on its page, with where to act, and the page
/// documents no other: `- \`slug\` (où corriger : agir) — action`.
#[test]
fn pages_document_the_declared_kinds() {
    let mut problems = Vec::new();
    for m in CATALOGUE {
        if m.kinds.is_empty() {
            problems.push(format!("{}: no kind declared", m.code));
        }
        let text = page_text(m.code.as_str(), m.name);
        let Some(sec) = section(&text, "Variantes") else {
            problems.push(format!("{}: no « ## Variantes » section", m.code));
            continue;
        };
        let mut slugs = std::collections::BTreeSet::new();
        for k in m.kinds {
            if !slugs.insert(k.slug) {
                problems.push(format!("{}: kind {} declared twice", m.code, k.slug));
            }
            if k.slug.is_empty()
                || !k
                    .slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                problems.push(format!(
                    "{}: kind {:?} is not a kebab-case slug",
                    m.code, k.slug
                ));
            }
            if k.title.trim().is_empty() || k.action.trim().is_empty() {
                problems.push(format!(
                    "{}: kind {} needs a title and an action",
                    m.code, k.slug
                ));
            }
            let line = format!("- `{}` (où corriger : {})", k.slug, k.agir.as_str());
            if !sec.lines().any(|l| l.starts_with(&line)) {
                problems.push(format!(
                    "{}: « Variantes » lacks a line starting {line:?}",
                    m.code
                ));
            }
        }
        for l in sec.lines().filter(|l| l.starts_with("- `")) {
            let slug = l[3..].split('`').next().unwrap_or("");
            if !slugs.contains(slug) {
                problems.push(format!(
                    "{}: the page documents an undeclared kind {slug:?}",
                    m.code
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every page says which causes can mask its findings (the consequence rules name the causes
/// that do), quotes what LSU displays, and gives the confidence of LSU's reaction.
#[test]
fn pages_say_what_masks_them_and_what_lsu_displays() {
    let mut problems = Vec::new();
    for m in CATALOGUE {
        let text = page_text(m.code.as_str(), m.name);
        match section(&text, "Masquée par") {
            None => problems.push(format!("{}: no « ## Masquée par » section", m.code)),
            Some(sec) => {
                if lsu_lint::report::CONSEQUENCE_CODES.contains(&m.code) {
                    for masking in lsu_lint::report::MASKING_CODES {
                        if !sec.contains(masking.as_str()) {
                            problems
                                .push(format!("{}: « Masquée par » must name {masking}", m.code));
                        }
                    }
                }
            }
        }
        match section(&text, "Messages LSU") {
            None => problems.push(format!("{}: no « ## Messages LSU » section", m.code)),
            Some(sec) => {
                if !sec.lines().any(|l| l.starts_with("- «")) {
                    problems.push(format!(
                        "{}: « Messages LSU » needs at least one « … » item (- « texte »)",
                        m.code
                    ));
                }
            }
        }
        let expected = format!("{} ({})", m.confidence.as_str(), m.confidence.label_fr());
        if meta_line(&text, "Confiance") != Some(expected.as_str()) {
            problems.push(format!(
                "{}: « - **Confiance** : {expected} » line missing",
                m.code
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `explain "<texte>"`: what LSU displays finds the rules that produce it, closest first
/// (accents and case folded), from the pages' « Messages LSU ».
#[test]
fn lsu_messages_rank_the_rules_that_produce_them() {
    use lsu_lint::catalogue::messages::{search, MATCH_THRESHOLD};
    for (text, first) in [
        ("élève non inscrit", "I002"),
        ("ELEVE NON INSCRIT", "I002"),
        ("la classe n'existe pas", "I003"),
        ("classe non trouvée", "I004"),
        ("est inconnu dans ONDE", "T004"),
        ("dates périodes incohérentes", "D003"),
        ("paramétrage incohérent", "L001"),
        ("élève non scolarisé", "D001"),
        ("socle incomplet", "C001"),
    ] {
        let found = search(text);
        assert_eq!(found[0].code.as_str(), first, "{text}: {:?}", &found[..3]);
        assert!(found[0].score >= MATCH_THRESHOLD, "{text}");
    }
    // The spec's example: the three rules behind « élève non inscrit », in this order.
    let codes: Vec<&str> = search("élève non inscrit")
        .iter()
        .take(3)
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(codes, ["I002", "I003", "D001"]);
    // Nothing close: still the closest rules, never an empty answer.
    assert!(!search("zzz qqq").is_empty());
}
