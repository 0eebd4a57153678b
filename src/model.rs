//! The LSU document model: degree, schema version (with its differences made explicit) and
//! an index over the parsed tree that every rule shares (built once per file).

use std::collections::HashMap;

use crate::xml::{Document, Node};

pub(crate) mod refs;

/// The LSU namespace; every element of an LSU file must be in it.
pub(crate) const NS: &str = "urn:fr:edu:scolarite:lsun:bilans:import";

// The degree is catalogue metadata (a rule's degree); the model names it from there.
pub(crate) use crate::catalogue::Degree;

/// The schemas lsu-lint carries (our own files in `schemas/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchemaKind {
    /// 1D 1.0 revision b.
    D1V1_0b,
    /// 2D « 3.0 » last revision (2019-2020): checks 2.0–3.0 files.
    D2V3_0_2020,
    /// 2D 7.0: checks 4.0–7.0 files.
    D2V7_0,
    /// 2D 10.0: checks 8.0–10.0 files, and newer ones with S007.
    D2V10_0,
}

impl SchemaKind {
    pub const ALL: [SchemaKind; 4] = [
        SchemaKind::D1V1_0b,
        SchemaKind::D2V3_0_2020,
        SchemaKind::D2V7_0,
        SchemaKind::D2V10_0,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SchemaKind::D1V1_0b => "1D 1.0b",
            SchemaKind::D2V3_0_2020 => "2D 3.0 (2019-2020)",
            SchemaKind::D2V7_0 => "2D 7.0",
            SchemaKind::D2V10_0 => "2D 10.0",
        }
    }
    pub fn degree(self) -> Degree {
        match self {
            SchemaKind::D1V1_0b => Degree::D1,
            _ => Degree::D2,
        }
    }
}

/// Whether `date-verrou` is required, optional or absent on bilans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    Required,
    Optional,
    Absent,
}

/// What the file declares and which schema checks it, with the version-dependent facts that
/// rules need (`lsu-format.md` §7).
#[derive(Clone, Debug)]
pub struct VersionInfo {
    /// `schemaVersion` as written (None when absent).
    pub declared: Option<String>,
    pub degree: Option<Degree>,
    /// None when the file cannot be checked against any schema (S001).
    pub schema: Option<SchemaKind>,
    /// 2D 2.0–3.0: LSU no longer accepts it (S001).
    pub obsolete: bool,
    /// Above 10.0: checked against 10.0 (S007).
    pub newer_than_known: bool,
    /// Why the version or degree could not be determined (S001 message), if so.
    pub problem: Option<String>,
    /// The problem is only that the version is unknown for a known degree (a user's schema
    /// of that degree accepting it lifts it).
    pub unknown_version: bool,
    /// The user's schema (`--xsd`) the file is checked against, when it describes its degree.
    pub user_schema: Option<std::sync::Arc<crate::xsd::UserSchema>>,
}

impl VersionInfo {
    fn is(&self, k: SchemaKind) -> bool {
        self.schema == Some(k)
    }

    /// Checks the file against the user's schema when it describes the file's degree: no
    /// S007 then, and a version unknown to lsu-lint but accepted by that schema is known (the
    /// rules' version facts are those of the newest built-in schema of the degree).
    pub fn adopt(&mut self, user: &std::sync::Arc<crate::xsd::UserSchema>) {
        if !user.applies_to(self.degree) {
            return;
        }
        let accepted = self.declared.as_deref().is_some_and(|v| user.accepts(v));
        if self.unknown_version && accepted {
            self.problem = None;
            self.unknown_version = false;
            self.schema = Some(match user.degree {
                Degree::D1 => SchemaKind::D1V1_0b,
                Degree::D2 => SchemaKind::D2V10_0,
            });
        }
        self.newer_than_known = false;
        self.user_schema = Some(std::sync::Arc::clone(user));
    }

    /// The facts of the user's schema in use, if any (else the built-in tables apply).
    pub fn facts(&self) -> Option<&crate::xsd::SchemaFacts> {
        self.user_schema.as_ref().map(|u| &u.facts)
    }

    /// How messages name the schema the file is checked against.
    pub fn schema_label(&self) -> &str {
        match (&self.user_schema, self.schema) {
            (Some(u), _) => &u.label,
            (None, Some(k)) => k.label(),
            (None, None) => "?",
        }
    }

    /// Whether the schema in use requires `element-programme-refs` on every 2D `acquis`: never
    /// with the built-in schemas (every 2D version maps to a revision where it is optional);
    /// a user's schema may (the 2017–2019 revisions did).
    pub fn element_programme_refs_required(&self) -> bool {
        self.facts()
            .and_then(|f| f.attribute_required("acquis", &[], "element-programme-refs"))
            .unwrap_or(false)
    }
    /// 10.0: `statut-evaluation-eleve` / `statut-evaluation-structure`; up to 7.0:
    /// `eleve-non-note` / `structure-non-notee`.
    pub fn has_statut_evaluation(&self) -> bool {
        self.is(SchemaKind::D2V10_0)
    }
    /// 10.0: averages are decimals 0–20 with ≤ 2 decimals; before, strings of 1–8 characters.
    pub fn decimal_averages(&self) -> bool {
        self.is(SchemaKind::D2V10_0)
    }
    /// Maximum length of a 2D `code-division` / `code-structure`.
    pub fn code_division_max(&self) -> usize {
        // The 2019-2020 "3.0" revision already raised CodeStructure to 20 characters.
        20
    }
    /// `date-verrou` on 2D bilans (1D: always required).
    pub fn date_verrou(&self) -> Presence {
        match self.schema {
            Some(SchemaKind::D1V1_0b) | Some(SchemaKind::D2V3_0_2020) => Presence::Required,
            Some(SchemaKind::D2V7_0) => Presence::Optional,
            Some(SchemaKind::D2V10_0) => Presence::Absent,
            None => Presence::Optional,
        }
    }
    /// Maximum length of an `acquis/appreciation` (2D 10.0: 1000, before: 600; 1D: 600).
    pub fn appreciation_acquis_max(&self) -> usize {
        if self.is(SchemaKind::D2V10_0) {
            1000
        } else {
            600
        }
    }
    /// Periodic socle: exactly 8 components (3.0 and 1D), or 1..8 (7.0, 10.0); from the user's
    /// schema when there is one.
    pub fn periodic_socle_exactly_8(&self) -> bool {
        if let Some(o) = self
            .facts()
            .and_then(|f| f.occurs("socle", &["bilan-periodique"], "domaine"))
        {
            return o.0 >= 8;
        }
        matches!(
            self.schema,
            Some(SchemaKind::D1V1_0b) | Some(SchemaKind::D2V3_0_2020)
        )
    }
    /// Periodic socle: `positionnement` required on each component (7.0, 10.0); optional in 3.0
    /// and 1D.
    pub fn periodic_socle_positionnement_required(&self) -> bool {
        if let Some(r) = self.facts().and_then(|f| {
            f.attribute_required("domaine", &["bilan-periodique", "socle"], "positionnement")
        }) {
            return r;
        }
        matches!(
            self.schema,
            Some(SchemaKind::D2V7_0) | Some(SchemaKind::D2V10_0)
        )
    }
    /// Modalité d'accompagnement CTR exists up to 7.0.
    pub fn ctr_allowed(&self) -> bool {
        matches!(
            self.schema,
            Some(SchemaKind::D2V3_0_2020) | Some(SchemaKind::D2V7_0)
        )
    }
    /// Modalité d'élection `D` exists from 7.0.
    pub fn modalite_d_allowed(&self) -> bool {
        matches!(
            self.schema,
            Some(SchemaKind::D2V7_0) | Some(SchemaKind::D2V10_0)
        )
    }
    /// `discipline/@id-lv` exists from 7.0.
    pub fn has_id_lv(&self) -> bool {
        self.modalite_d_allowed()
    }
    /// `eleve/@id-be` is a positive integer up to 7.0, a free string in 10.0.
    pub fn id_be_numeric(&self) -> bool {
        !self.is(SchemaKind::D2V10_0)
    }
}

/// Parses `"10.0"` → (10, 0).
pub(crate) fn parse_version(v: &str) -> Option<(u32, u32)> {
    let v = v.trim();
    let (a, b) = v.split_once('.').unwrap_or((v, "0"));
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// Degree and schema from the root and `schemaVersion` (`rules.md`, notes « Schema versions »).
pub(crate) fn detect_version(doc: &Document) -> VersionInfo {
    let root = doc.root_element();
    let declared = root.attribute("schemaVersion").map(str::to_string);
    let mut info = VersionInfo {
        declared: declared.clone(),
        degree: None,
        schema: None,
        obsolete: false,
        newer_than_known: false,
        problem: None,
        unknown_version: false,
        user_schema: None,
    };
    if root.tag_name().name() != "lsun-bilans" {
        let name = root.tag_name().name();
        let what = crate::refdata::detect::describe_root(name)
            .map(|w| format!(" : c'est {w}, pas un export LSU"))
            .unwrap_or_else(|| " : ce n'est pas un export LSU".into());
        info.problem = Some(format!(
            "l'élément racine est « {name} » au lieu de « lsun-bilans »{what}"
        ));
        return info;
    }
    if root.tag_name().namespace() != Some(NS) {
        info.problem = Some(format!(
            "l'élément racine n'est pas dans l'espace de noms LSU « {NS} » (attribut xmlns manquant ou faux)"
        ));
        return info;
    }
    // Degree signals (rules.md): classes/directeurs or eleve/@ine ⇒ 1D;
    // responsables-etab, eleve/@id-be or eleve/@code-division ⇒ 2D.
    let donnees = child(root, "donnees");
    let mut one = false;
    let mut two = false;
    if let Some(d) = donnees {
        for c in d.children().filter(Node::is_element) {
            match c.tag_name().name() {
                "classes" | "directeurs" => one = true,
                "responsables-etab" => two = true,
                "eleves" => {
                    for e in c.children().filter(Node::is_element) {
                        if e.has_attribute("ine") {
                            one = true;
                        }
                        if e.has_attribute("id-be") || e.has_attribute("code-division") {
                            two = true;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let degree = match (one, two) {
        (true, false) => Some(Degree::D1),
        (false, true) => Some(Degree::D2),
        (true, true) => {
            info.problem = Some(
                "le fichier mêle des éléments du 1er degré (classes, directeurs, INE) et du 2nd degré (responsables-etab, id-be, code-division)".into(),
            );
            return info;
        }
        (false, false) => {
            // Fall back on the version number alone: only 1D uses 1.0.
            match declared.as_deref().map(str::trim) {
                Some("1.0") => Some(Degree::D1),
                Some(_) => Some(Degree::D2),
                None => None,
            }
        }
    };
    info.degree = degree;
    let Some(v) = declared.as_deref() else {
        info.problem = Some("l'attribut obligatoire schemaVersion est absent de la racine".into());
        return info;
    };
    // From here on, a problem is a version this degree does not know.
    info.unknown_version = true;
    let Some((major, minor)) = parse_version(v) else {
        info.problem = Some(format!(
            "schemaVersion « {v} » n'est pas un numéro de version"
        ));
        return info;
    };
    match degree {
        Some(Degree::D1) => {
            if (major, minor) == (1, 0) {
                info.schema = Some(SchemaKind::D1V1_0b);
            } else {
                info.problem = Some(format!(
                    "schemaVersion « {v} » inconnue pour le 1er degré (seule la version 1.0 existe)"
                ));
            }
        }
        Some(Degree::D2) => {
            if major < 2 {
                info.problem = Some(format!(
                    "schemaVersion « {v} » inconnue pour le 2nd degré (versions 2.0 à 10.0)"
                ));
            } else if major <= 3 {
                info.schema = Some(SchemaKind::D2V3_0_2020);
                info.obsolete = true;
            } else if major <= 7 {
                info.schema = Some(SchemaKind::D2V7_0);
            } else if (major, minor) <= (10, 0) {
                info.schema = Some(SchemaKind::D2V10_0);
            } else {
                info.schema = Some(SchemaKind::D2V10_0);
                info.newer_than_known = true;
            }
        }
        None => {}
    }
    info.unknown_version = info.problem.is_some();
    info
}

/// A cheap guess of the schema from the first bytes, before any tree is built, so schema
/// validation can stream while the tree does not exist yet (peak memory = the larger of the two
/// phases, not their sum). Only a guess: the engine re-validates if the tree-based detection
/// disagrees. None when the prolog has a DOCTYPE (never shown to libxml2) or nothing is found.
pub(crate) fn prescan_schema(text: &str) -> Option<SchemaKind> {
    let head = &text[..floor_char_boundary(text, 1 << 20)];
    let root_at = head.find("lsun-bilans")?;
    if head[..root_at].contains("<!DOCTYPE") {
        return None;
    }
    let tag_end = root_at + head[root_at..].find('>')?;
    let tag = &head[root_at..tag_end];
    let v = tag.split("schemaVersion").nth(1)?;
    let v = v.trim_start().strip_prefix('=')?.trim_start();
    let quote = v.chars().next()?;
    let v = v.get(1..)?.split(quote).next()?;
    let (major, minor) = parse_version(v)?;
    let body = &head[tag_end..];
    let stop = body
        .find("bilans-periodiques")
        .or_else(|| body.find("bilans-cycle"))
        .unwrap_or(body.len());
    let body = &body[..stop];
    let one = body.contains("directeurs") || body.contains("classe-ref=") || body.contains(" ine=");
    let two = body.contains("responsables-etab") || body.contains("code-division=");
    match (one, two, (major, minor)) {
        (true, false, (1, 0)) => Some(SchemaKind::D1V1_0b),
        (false, true, (2..=3, _)) => Some(SchemaKind::D2V3_0_2020),
        (false, true, (4..=7, _)) => Some(SchemaKind::D2V7_0),
        (false, true, _) if major >= 8 => Some(SchemaKind::D2V10_0),
        _ => None,
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// First child element with this local name.
pub(crate) fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Child elements with this local name.
pub(crate) fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// Child elements of the container `container` under `node` (e.g. `eleves/eleve`).
pub(crate) fn items<'a, 'i: 'a>(
    node: Option<Node<'a, 'i>>,
    container: &'a str,
    item: &'a str,
) -> Vec<Node<'a, 'i>> {
    node.and_then(|n| child(n, container))
        .map(|c| children(c, item).collect())
        .unwrap_or_default()
}

/// Byte range of an attribute, from its name to its closing quote.
pub(crate) fn attr_range(node: Node, name: &str) -> Option<(usize, usize)> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| (a.range().start, a.range().end))
}

/// Byte range of an attribute's value (inside the quotes).
pub(crate) fn attr_value_range(node: Node, name: &str) -> Option<(usize, usize)> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| (a.range_value().start, a.range_value().end))
}

/// Byte range of an element's start tag (`<` to `>` inclusive).
pub(crate) fn start_tag_range(node: Node, text: &str) -> (usize, usize) {
    let r = node.range();
    let from = node
        .attributes()
        .map(|a| a.range().end)
        .max()
        .unwrap_or(r.start);
    let end = text
        .get(from..r.end)
        .and_then(|s| s.find('>'))
        .map(|i| from + i + 1)
        .unwrap_or(r.end);
    (r.start, end)
}

/// Byte range of an element's text content (between its start and end tags), if it has one.
pub(crate) fn text_range(node: Node) -> Option<(usize, usize)> {
    let first = node.first_child()?;
    let last = node.last_child()?;
    Some((first.range().start, last.range().end))
}

/// The namespace prefix of an element as written (`""` or `"lsun:"`), to insert siblings
/// spelled the same way.
pub(crate) fn written_prefix<'t>(node: Node, text: &'t str) -> &'t str {
    let start = node.range().start + 1;
    let Some(rest) = text.get(start..) else {
        return "";
    };
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    match rest[..end].find(':') {
        Some(i) => &rest[..=i],
        None => "",
    }
}

/// The parts of an LSU file that rules look up again and again, indexed once.
pub struct Lsu<'a, 'i> {
    pub doc: &'a Document<'i>,
    pub root: Node<'a, 'i>,
    pub entete: Option<Node<'a, 'i>>,
    pub donnees: Option<Node<'a, 'i>>,
    /// Every element carrying `id`, first occurrence per value.
    pub ids: HashMap<&'a str, Node<'a, 'i>>,
    /// Later occurrences of an `id` already seen (duplicates).
    pub duplicate_ids: Vec<Node<'a, 'i>>,
    pub eleves: Vec<Node<'a, 'i>>,
    pub periodes: Vec<Node<'a, 'i>>,
    pub bilans_periodiques: Vec<Node<'a, 'i>>,
    pub bilans_cycle: Vec<Node<'a, 'i>>,
    /// 1D `classe` elements (empty in 2D).
    pub classes: Vec<Node<'a, 'i>>,
    /// 2D `discipline` elements (empty in 1D).
    pub disciplines: Vec<Node<'a, 'i>>,
    pub enseignants: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> Lsu<'a, 'i> {
    pub fn new(doc: &'a Document<'i>) -> Self {
        let root = doc.root_element();
        let entete = child(root, "entete");
        let donnees = child(root, "donnees");
        let mut ids = HashMap::new();
        let mut duplicate_ids = Vec::new();
        for n in doc.descendants().filter(Node::is_element) {
            if let Some(id) = n.attribute("id") {
                if ids.contains_key(id) {
                    duplicate_ids.push(n);
                } else {
                    ids.insert(id, n);
                }
            }
        }
        Lsu {
            doc,
            root,
            entete,
            donnees,
            ids,
            duplicate_ids,
            eleves: items(donnees, "eleves", "eleve"),
            periodes: items(donnees, "periodes", "periode"),
            bilans_periodiques: items(donnees, "bilans-periodiques", "bilan-periodique"),
            bilans_cycle: items(donnees, "bilans-cycle", "bilan-cycle"),
            classes: items(donnees, "classes", "classe"),
            disciplines: items(donnees, "disciplines", "discipline"),
            enseignants: items(donnees, "enseignants", "enseignant"),
        }
    }

    /// The element an IDREF points to, if any.
    pub fn target(&self, id: &str) -> Option<Node<'a, 'i>> {
        self.ids.get(id).copied()
    }

    /// The `eleve` element a bilan refers to (through `eleve-ref`), if it resolves to an eleve.
    pub fn eleve_of(&self, bilan: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
        bilan
            .attribute("eleve-ref")
            .and_then(|r| self.target(r))
            .filter(|n| n.tag_name().name() == "eleve")
    }

    /// The division of a pupil: 2D `code-division`, 1D `id-be` of its `classe`.
    pub fn division_of_eleve(&self, eleve: Node<'a, 'i>) -> Option<&'a str> {
        if let Some(d) = eleve.attribute("code-division") {
            return Some(d);
        }
        eleve
            .attribute("classe-ref")
            .and_then(|r| self.target(r))
            .filter(|c| c.tag_name().name() == "classe")
            .and_then(|c| c.attribute("id-be"))
    }

    /// The establishment's UAI from the header.
    pub fn uai(&self) -> Option<&'a str> {
        self.entete
            .and_then(|e| child(e, "etablissement"))
            .and_then(|e| e.text())
    }

    pub fn all_bilans(&self) -> impl Iterator<Item = Node<'a, 'i>> + '_ {
        self.bilans_periodiques
            .iter()
            .chain(self.bilans_cycle.iter())
            .copied()
    }
}
