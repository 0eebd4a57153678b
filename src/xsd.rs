//! A schema's own text read as data (`--xsd`, `interfaces.md`): which degree it describes, the
//! `schemaVersion` values it accepts, and the facts some rules take from the schema in use
//! instead of their built-in tables — text lengths (X001), enumerations (C004), required
//! attributes (P007) and child occurrences (C005).
//!
//! Only what LSU schemas use is read: named and inline simple types with their restriction
//! chains (`length`, `minLength`, `maxLength`, `enumeration`), complex types with sequence,
//! choice, all, group references, attribute groups, and complex or simple content derived by
//! extension or restriction. Includes are read relative to the including file, from the disk
//! only. Validation itself is libxml2's (`schema/`); this module never decides validity.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use crate::error::Error;
use crate::model::Degree;
use crate::schema::SharedSchema;

const XS: &str = "http://www.w3.org/2001/XMLSchema";
/// Includes deeper than this are refused (a loop the visited set would not catch, a hostile
/// chain).
const MAX_INCLUDES: usize = 64;
/// Element nesting followed when walking content models (LSU files are about 8 deep).
const MAX_DEPTH: usize = 40;

/// The user's schema of a run: compiled once, with what it describes and its facts.
#[derive(Debug)]
pub struct UserSchema {
    /// How messages name it: « fourni « lsu-13.0.xsd » ».
    pub label: String,
    pub degree: Degree,
    /// The `schemaVersion` values it accepts (empty: any).
    pub versions: Vec<String>,
    pub facts: SchemaFacts,
    compiled: SharedSchema,
}

impl UserSchema {
    /// Reads and compiles `path` (`--xsd`): exit 2 (`Error::Xsd`, in French) when it cannot be
    /// read, is not an LSU schema, describes no single degree, or does not compile.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let err = |message: String| Error::Xsd {
            path: path.to_path_buf(),
            message,
        };
        if !path.is_file() {
            return Err(err("fichier introuvable".into()));
        }
        let facts = SchemaFacts::from_file(path).map_err(err)?;
        let Some(degree) = facts.degree() else {
            return Err(err(
                "impossible de savoir quel degré ce schéma décrit (ni classes ou directeurs du 1er degré, ni responsables-etab du 2nd)".into(),
            ));
        };
        let compiled = SharedSchema::compile_file(path).map_err(err)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(UserSchema {
            label: format!("fourni « {name} »"),
            degree,
            versions: facts.versions(),
            facts,
            compiled,
        })
    }

    /// Whether a file of this degree and declared version is checked against this schema.
    pub fn applies_to(&self, degree: Option<Degree>) -> bool {
        degree == Some(self.degree)
    }

    /// Whether the schema accepts this `schemaVersion` (any, when it does not enumerate).
    pub fn accepts(&self, version: &str) -> bool {
        self.versions.is_empty() || self.versions.iter().any(|v| v.trim() == version.trim())
    }

    /// Validates a text against it (streaming, like the built-in schemas).
    pub fn validate(&self, text: &str) -> Result<Vec<crate::schema::RawError>, Error> {
        self.compiled.validate(text)
    }
}

/// Facets of a simple type that rules read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub enumeration: Option<Vec<String>>,
}

/// An attribute as a declaration says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttrFacts {
    pub required: bool,
    pub facets: Facets,
}

/// One element declaration reached from the root, with what rules ask about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElementFacts {
    /// Names of the enclosing elements from the root, this one last.
    pub path: Vec<String>,
    /// Facets of its text, when its content is simple.
    pub text: Option<Facets>,
    pub attributes: HashMap<String, AttrFacts>,
    /// Child element → (fewest, most; None = unbounded) occurrences, through groups.
    pub children: HashMap<String, (u64, Option<u64>)>,
}

/// What a schema declares, by element name.
#[derive(Debug, Default)]
pub struct SchemaFacts {
    by_name: HashMap<String, Vec<ElementFacts>>,
}

impl SchemaFacts {
    /// Reads a schema file and its includes (relative to it; local files only).
    pub fn from_file(path: &Path) -> Result<Self, String> {
        let mut texts: Vec<(PathBuf, String)> = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut queue = vec![path.to_path_buf()];
        while let Some(p) = queue.pop() {
            let key = p.canonicalize().unwrap_or_else(|_| p.clone());
            if !seen.insert(key) {
                continue;
            }
            if seen.len() > MAX_INCLUDES {
                return Err(format!("plus de {MAX_INCLUDES} fichiers inclus"));
            }
            let text = read_text(&p)?;
            let doc = Document::parse(&text)
                .map_err(|e| format!("« {} » : XML mal formé ({e})", p.display()))?;
            let base = p.parent().map(Path::to_path_buf).unwrap_or_default();
            for n in doc.root_element().children().filter(is_xs_element) {
                if matches!(n.tag_name().name(), "include" | "redefine" | "import") {
                    if let Some(loc) = n.attribute("schemaLocation") {
                        if loc.contains("://") {
                            return Err(format!(
                                "« {loc} » : seuls les fichiers locaux sont lus, jamais le réseau"
                            ));
                        }
                        queue.push(base.join(loc));
                    }
                }
            }
            texts.push((p, text));
        }
        Self::from_texts(texts.iter().map(|(_, t)| t.as_str()))
    }

    /// Reads schema documents already in memory (the first one holds the root element, or any
    /// of them does).
    pub fn from_texts<'t>(texts: impl IntoIterator<Item = &'t str>) -> Result<Self, String> {
        let docs: Vec<Document> = texts
            .into_iter()
            .map(|t| Document::parse(t).map_err(|e| format!("XML mal formé ({e})")))
            .collect::<Result<_, _>>()?;
        let mut g = Globals::default();
        for d in &docs {
            let root = d.root_element();
            if root.tag_name().namespace() != Some(XS) || root.tag_name().name() != "schema" {
                return Err("ce n'est pas un schéma XSD (racine xs:schema attendue)".into());
            }
            g.collect(root);
        }
        let Some(root) = g.elements.get("lsun-bilans").copied() else {
            return Err("le schéma ne déclare pas l'élément racine lsun-bilans".into());
        };
        let mut facts = SchemaFacts::default();
        let mut walker = Walker {
            g: &g,
            out: &mut facts,
        };
        walker.element(root, &[], 0);
        Ok(facts)
    }

    /// Declarations of `name` whose enclosing elements end with `suffix` (the element itself
    /// excluded): `("domaine", &["bilan-periodique", "socle"])`.
    pub fn find(&self, name: &str, suffix: &[&str]) -> Option<&ElementFacts> {
        self.by_name.get(name)?.iter().find(|e| {
            let parents = &e.path[..e.path.len().saturating_sub(1)];
            parents.len() >= suffix.len()
                && parents[parents.len() - suffix.len()..]
                    .iter()
                    .zip(suffix)
                    .all(|(a, b)| a == b)
        })
    }

    /// Whether any element of this name is declared.
    pub fn declares(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The degree the schema describes, from the elements only one degree has.
    pub fn degree(&self) -> Option<Degree> {
        let one = self.declares("classes") || self.declares("directeurs");
        let two = self.declares("responsables-etab");
        match (one, two) {
            (true, false) => Some(Degree::D1),
            (false, true) => Some(Degree::D2),
            _ => None,
        }
    }

    /// The `schemaVersion` values the root accepts (empty when it does not enumerate them).
    pub fn versions(&self) -> Vec<String> {
        self.find("lsun-bilans", &[])
            .and_then(|e| e.attributes.get("schemaVersion"))
            .and_then(|a| a.facets.enumeration.clone())
            .unwrap_or_default()
    }

    /// The length limit of a text field: `Some(Some(n))` at most n characters, `Some(None)`
    /// declared without limit, `None` not declared here.
    pub fn max_length(
        &self,
        element: &str,
        parents: &[&str],
        attr: Option<&str>,
    ) -> Option<Option<usize>> {
        let e = self.find(element, parents)?;
        let f = match attr {
            Some(a) => &e.attributes.get(a)?.facets,
            None => e.text.as_ref()?,
        };
        Some(f.max_length)
    }

    /// The enumeration of an attribute, when its type enumerates values.
    pub fn enumeration(&self, element: &str, parents: &[&str], attr: &str) -> Option<&[String]> {
        self.find(element, parents)?
            .attributes
            .get(attr)?
            .facets
            .enumeration
            .as_deref()
    }

    /// Whether an attribute is required (`None`: element or attribute not declared).
    pub fn attribute_required(&self, element: &str, parents: &[&str], attr: &str) -> Option<bool> {
        Some(self.find(element, parents)?.attributes.get(attr)?.required)
    }

    /// How often `child` may occur in `element`.
    pub fn occurs(
        &self,
        element: &str,
        parents: &[&str],
        child: &str,
    ) -> Option<(u64, Option<u64>)> {
        self.find(element, parents)?.children.get(child).copied()
    }
}

fn read_text(p: &Path) -> Result<String, String> {
    let bytes = std::fs::read(p).map_err(|e| format!("« {} » illisible : {e}", p.display()))?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(body.to_vec())
        .or_else(|_| {
            // Official copies are UTF-8; an ISO-8859-1 copy only differs in comments.
            let (t, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            Ok::<String, String>(t.into_owned())
        })
        .map_err(|e| format!("« {} » : {e}", p.display()))
}

fn is_xs_element(n: &Node) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(XS)
}

fn xs_children<'a, 'i>(n: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(is_xs_element)
}

fn xs_child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    xs_children(n).find(|c| c.tag_name().name() == name)
}

/// A QName attribute: (is it an XML Schema built-in, local name).
fn qname<'a>(n: Node<'a, '_>, attr: &str) -> Option<(bool, &'a str)> {
    let v = n.attribute(attr)?.trim();
    let (prefix, local) = match v.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, v),
    };
    let ns = n.lookup_namespace_uri(prefix);
    Some((ns == Some(XS), local))
}

fn occurs_of(n: Node) -> (u64, Option<u64>) {
    let min = n
        .attribute("minOccurs")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1);
    let max = match n.attribute("maxOccurs").map(str::trim) {
        Some("unbounded") => None,
        Some(v) => Some(v.parse().unwrap_or(1)),
        None => Some(1),
    };
    (min, max)
}

fn times(a: (u64, Option<u64>), b: (u64, Option<u64>)) -> (u64, Option<u64>) {
    let max = match (a.1, b.1) {
        (Some(x), Some(y)) => Some(x.saturating_mul(y)),
        _ => None,
    };
    (a.0.saturating_mul(b.0), max)
}

/// Global definitions of all the schema documents, by local name.
#[derive(Default)]
struct Globals<'a, 'i> {
    elements: HashMap<&'a str, Node<'a, 'i>>,
    simple: HashMap<&'a str, Node<'a, 'i>>,
    complex: HashMap<&'a str, Node<'a, 'i>>,
    groups: HashMap<&'a str, Node<'a, 'i>>,
    attribute_groups: HashMap<&'a str, Node<'a, 'i>>,
    attributes: HashMap<&'a str, Node<'a, 'i>>,
}

impl<'a, 'i> Globals<'a, 'i> {
    fn collect(&mut self, schema: Node<'a, 'i>) {
        for n in xs_children(schema) {
            // A redefine holds redefined types: they replace the included ones.
            if n.tag_name().name() == "redefine" {
                self.collect(n);
                continue;
            }
            let Some(name) = n.attribute("name") else {
                continue;
            };
            let map = match n.tag_name().name() {
                "element" => &mut self.elements,
                "simpleType" => &mut self.simple,
                "complexType" => &mut self.complex,
                "group" => &mut self.groups,
                "attributeGroup" => &mut self.attribute_groups,
                "attribute" => &mut self.attributes,
                _ => continue,
            };
            map.insert(name, n);
        }
    }

    /// Facets of a simple type definition (`xs:simpleType`), following its base types.
    fn simple_facets(&self, st: Node<'a, 'i>, depth: usize) -> Facets {
        if depth > MAX_DEPTH {
            return Facets::default();
        }
        let Some(r) = xs_child(st, "restriction") else {
            return Facets::default(); // list, union: no facet rules read
        };
        let mut f = match qname(r, "base") {
            Some((false, base)) => self
                .simple
                .get(base)
                .map(|b| self.simple_facets(*b, depth + 1))
                .unwrap_or_default(),
            Some((true, _)) => Facets::default(),
            None => xs_child(r, "simpleType")
                .map(|s| self.simple_facets(s, depth + 1))
                .unwrap_or_default(),
        };
        let value = |n: Node<'a, 'i>| n.attribute("value").map(str::trim);
        let mut enumeration = Vec::new();
        for c in xs_children(r) {
            let num = || value(c).and_then(|v| v.parse::<usize>().ok());
            match c.tag_name().name() {
                "length" => {
                    f.min_length = num();
                    f.max_length = num();
                }
                "minLength" => f.min_length = num(),
                "maxLength" => f.max_length = num(),
                "enumeration" => enumeration.extend(value(c).map(str::to_string)),
                _ => {}
            }
        }
        if !enumeration.is_empty() {
            f.enumeration = Some(enumeration);
        }
        f
    }

    /// Facets of the type named by `attr` (`type`, `base`) on `n`, or of its inline simple type.
    fn type_facets(&self, n: Node<'a, 'i>, attr: &str) -> Facets {
        match qname(n, attr) {
            Some((false, t)) => self
                .simple
                .get(t)
                .map(|s| self.simple_facets(*s, 0))
                .unwrap_or_default(),
            Some((true, _)) => Facets::default(),
            None => xs_child(n, "simpleType")
                .map(|s| self.simple_facets(s, 0))
                .unwrap_or_default(),
        }
    }
}

struct Walker<'g, 'a, 'i> {
    g: &'g Globals<'a, 'i>,
    out: &'g mut SchemaFacts,
}

impl<'a, 'i> Walker<'_, 'a, 'i> {
    /// Records an element declaration (local or global, or a reference to a global one) and
    /// walks its content.
    fn element(&mut self, decl: Node<'a, 'i>, parents: &[String], depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let decl = match qname(decl, "ref") {
            Some((_, r)) => match self.g.elements.get(r) {
                Some(d) => *d,
                None => return,
            },
            None => decl,
        };
        let Some(name) = decl.attribute("name") else {
            return;
        };
        let mut path = parents.to_vec();
        path.push(name.to_string());
        let mut facts = ElementFacts {
            path: path.clone(),
            ..ElementFacts::default()
        };
        let mut kids: Vec<Node<'a, 'i>> = Vec::new();
        match qname(decl, "type") {
            Some((true, _)) => facts.text = Some(Facets::default()),
            Some((false, t)) => {
                if let Some(ct) = self.g.complex.get(t) {
                    self.complex(*ct, &mut facts, &mut kids, 0);
                } else if let Some(st) = self.g.simple.get(t) {
                    facts.text = Some(self.g.simple_facets(*st, 0));
                }
            }
            None => {
                if let Some(ct) = xs_child(decl, "complexType") {
                    self.complex(ct, &mut facts, &mut kids, 0);
                } else if let Some(st) = xs_child(decl, "simpleType") {
                    facts.text = Some(self.g.simple_facets(st, 0));
                } else {
                    facts.text = Some(Facets::default()); // xs:anyType
                }
            }
        }
        self.out
            .by_name
            .entry(name.to_string())
            .or_default()
            .push(facts);
        for k in kids {
            self.element(k, &path, depth + 1);
        }
    }

    /// A complex type's attributes, child occurrences and text facets; child declarations
    /// are pushed to `kids` to be walked after.
    fn complex(
        &self,
        ct: Node<'a, 'i>,
        facts: &mut ElementFacts,
        kids: &mut Vec<Node<'a, 'i>>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        for c in xs_children(ct) {
            match c.tag_name().name() {
                "sequence" | "choice" | "all" | "group" | "element" => {
                    self.particle(c, (1, Some(1)), false, facts, kids, depth)
                }
                "attribute" | "attributeGroup" => self.attribute(c, facts, depth),
                "complexContent" | "simpleContent" => {
                    let simple = c.tag_name().name() == "simpleContent";
                    for d in xs_children(c) {
                        if !matches!(d.tag_name().name(), "extension" | "restriction") {
                            continue;
                        }
                        match qname(d, "base") {
                            Some((false, b)) => {
                                if let Some(base) = self.g.complex.get(b) {
                                    // A restriction restates its content: only an extension
                                    // inherits the base's particles.
                                    if d.tag_name().name() == "extension" || simple {
                                        self.complex(*base, facts, kids, depth + 1);
                                    } else {
                                        for a in xs_children(*base).filter(|a| {
                                            matches!(
                                                a.tag_name().name(),
                                                "attribute" | "attributeGroup"
                                            )
                                        }) {
                                            self.attribute(a, facts, depth);
                                        }
                                    }
                                } else if simple {
                                    facts.text = Some(self.g.type_facets(d, "base"));
                                }
                            }
                            Some((true, _)) if simple => {
                                facts.text = Some(Facets::default());
                            }
                            _ => {}
                        }
                        if simple && d.tag_name().name() == "restriction" {
                            // Facets restated on the simple content.
                            let own = self.g.simple_facets(c, depth + 1);
                            if own != Facets::default() {
                                facts.text = Some(own);
                            }
                        }
                        self.complex(d, facts, kids, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn attribute(&self, a: Node<'a, 'i>, facts: &mut ElementFacts, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        if a.tag_name().name() == "attributeGroup" {
            let group = match qname(a, "ref") {
                Some((_, r)) => self.g.attribute_groups.get(r).copied(),
                None => Some(a),
            };
            for c in group.into_iter().flat_map(xs_children) {
                if matches!(c.tag_name().name(), "attribute" | "attributeGroup") {
                    self.attribute(c, facts, depth + 1);
                }
            }
            return;
        }
        let (decl, name) = match qname(a, "ref") {
            Some((_, r)) => match self.g.attributes.get(r) {
                Some(d) => (*d, r),
                None => return,
            },
            None => match a.attribute("name") {
                Some(n) => (a, n),
                None => return,
            },
        };
        if a.attribute("use").map(str::trim) == Some("prohibited") {
            facts.attributes.remove(name);
            return;
        }
        facts.attributes.insert(
            name.to_string(),
            AttrFacts {
                required: a.attribute("use").map(str::trim) == Some("required"),
                facets: self.g.type_facets(decl, "type"),
            },
        );
    }

    /// A particle (sequence, choice, all, group reference, element) under multiplicity `m`;
    /// `in_choice`: one branch among several, so no element of it is required.
    fn particle(
        &self,
        p: Node<'a, 'i>,
        m: (u64, Option<u64>),
        in_choice: bool,
        facts: &mut ElementFacts,
        kids: &mut Vec<Node<'a, 'i>>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let own = occurs_of(p);
        let mut m = times(m, own);
        if in_choice {
            m.0 = 0;
        }
        match p.tag_name().name() {
            "element" => {
                let name = match qname(p, "ref") {
                    Some((_, r)) => r,
                    None => match p.attribute("name") {
                        Some(n) => n,
                        None => return,
                    },
                };
                let e = facts
                    .children
                    .entry(name.to_string())
                    .or_insert((0, Some(0)));
                e.0 = e.0.saturating_add(m.0);
                e.1 = match (e.1, m.1) {
                    (Some(a), Some(b)) => Some(a.saturating_add(b)),
                    _ => None,
                };
                if !kids.iter().any(|k| k.id() == p.id()) {
                    kids.push(p);
                }
            }
            "sequence" | "all" => {
                for c in xs_children(p) {
                    self.particle(c, m, false, facts, kids, depth + 1);
                }
            }
            "choice" => {
                let branches: Vec<Node> = xs_children(p)
                    .filter(|c| {
                        matches!(
                            c.tag_name().name(),
                            "element" | "sequence" | "choice" | "group" | "any"
                        )
                    })
                    .collect();
                let several = branches.len() > 1;
                for c in branches {
                    self.particle(c, m, several, facts, kids, depth + 1);
                }
            }
            "group" => {
                let group = match qname(p, "ref") {
                    Some((_, r)) => self.g.groups.get(r).copied(),
                    None => Some(p),
                };
                for c in group.into_iter().flat_map(xs_children) {
                    if matches!(c.tag_name().name(), "sequence" | "choice" | "all") {
                        // The reference carries the occurrences; the group's own model has
                        // none of its own.
                        self.particle(c, m, false, facts, kids, depth + 1);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(name: &str) -> SchemaFacts {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("schemas")
            .join(name);
        SchemaFacts::from_file(&p).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn reads_our_2d_schema() {
        let f = ours("lsu-2d-10.0.xsd");
        assert_eq!(f.degree(), Some(Degree::D2));
        assert!(!f.versions().is_empty());
        assert_eq!(
            f.max_length("appreciation", &["acquis"], None),
            Some(Some(1000))
        );
        assert_eq!(
            f.max_length("discipline", &[], Some("libelle")),
            Some(Some(40))
        );
        assert_eq!(
            f.attribute_required("acquis", &[], "element-programme-refs"),
            Some(false)
        );
        let codes = f
            .enumeration("enseignement-complement", &[], "code")
            .unwrap_or_default();
        assert!(
            codes.iter().any(|c| c == "AUC") && codes.len() == 8,
            "{codes:?}"
        );
        let (min, max) = f
            .occurs("socle", &["bilan-periodique"], "domaine")
            .unwrap_or_default();
        assert_eq!((min, max), (1, Some(8)));
        assert_eq!(
            f.attribute_required("domaine", &["bilan-periodique", "socle"], "positionnement"),
            Some(true)
        );
        assert_eq!(
            f.occurs("socle", &["bilan-cycle"], "domaine"),
            Some((8, Some(8)))
        );
    }

    #[test]
    fn reads_our_1d_and_old_2d_schemas() {
        let f = ours("lsu-1d-1.0b.xsd");
        assert_eq!(f.degree(), Some(Degree::D1));
        assert_eq!(f.versions(), vec!["1.0".to_string()]);
        let f = ours("lsu-2d-3.0-2020.xsd");
        assert_eq!(
            f.occurs("socle", &["bilan-periodique"], "domaine")
                .map(|o| o.0),
            Some(8)
        );
        assert_eq!(
            f.attribute_required("domaine", &["bilan-periodique", "socle"], "positionnement"),
            Some(false)
        );
    }

    #[test]
    fn refuses_what_is_not_an_lsu_schema() {
        assert!(SchemaFacts::from_texts(["<a/>"]).is_err());
        let no_root = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="x"/></xs:schema>"#;
        let e = SchemaFacts::from_texts([no_root]).err().unwrap_or_default();
        assert!(e.contains("lsun-bilans"), "{e}");
    }
}
