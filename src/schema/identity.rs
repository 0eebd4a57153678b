//! The `xs:unique` constraints of our built-in schemas, checked on the tree rather than by
//! libxml2. libxml2 evaluates identity constraints with XPath automata on every element of
//! every scope and keeps node tables per scope: on a 50 MB collège that is half of the
//! streaming validation's time and nearly all of its memory (≈ 50 MiB). On the tree it is one
//! walk with a hash set per scope.
//!
//! The constraints are read from the schema text ([`Plan::from_schema`]); those we cannot
//! mirror exactly (`xs:key`, `xs:keyref`, XPath beyond `a:b/a:c` and `@attr`, field types we
//! cannot compare) stay in the schema for libxml2. The others are removed from the text libxml2
//! compiles. [`check`] reports duplicates with libxml2's own words and line, so that they are
//! translated like any schema error; it follows libxml2 where libxml2 gives up on a part of
//! the file (see [`Skips`]). A user's `--xsd` is never split: libxml2 checks it whole.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::validate::RawError;
use crate::model::SchemaKind;
use crate::source::LineIndex;
use crate::xml::{Document, Node, NodeId};

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// How libxml2 compares the values of a field (from the attribute's type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    /// `xs:string` and its restrictions: the value as is (after XML attribute normalization).
    Text,
    /// `xs:token`, `xs:IDREF`, `xs:NCName`…: whitespace collapsed.
    Collapse,
    /// Integer types: compared as numbers, shown in canonical form.
    Integer,
}

/// One `xs:unique` of the schema.
#[derive(Debug)]
struct Unique {
    name: String,
    /// Names of the enclosing element declarations, outermost first, ending with the scope.
    scope: Vec<String>,
    /// `scope` starts at the document's root element (else it is a suffix of the path).
    anchored: bool,
    /// When the declarations sit in a named complex type: the names of the elements of that
    /// type, one of which must be the parent of `scope`'s first element.
    within: Option<Vec<String>>,
    /// Child steps from the scope to the targets.
    selector: Vec<String>,
    /// Attribute fields and how their values compare.
    fields: Vec<(String, ValueKind)>,
}

/// The constraints checked on the tree, and the schema libxml2 compiles without them.
#[derive(Debug)]
pub struct Plan {
    uniques: Vec<Unique>,
    /// Indexes into `uniques` by the local name of their scope element.
    by_scope: HashMap<String, Vec<usize>>,
    target_ns: Option<String>,
    stripped: String,
}

impl Plan {
    /// The constraints of `xsd` that [`check`] mirrors exactly; None when there are none (or
    /// the schema cannot be read), then libxml2 checks everything.
    pub fn from_schema(xsd: &str) -> Option<Plan> {
        let doc = Document::parse(xsd).ok()?;
        let root = doc.root_element();
        if !is_xs(root, "schema") {
            return None;
        }
        // Types and scopes may come from other files, or elements be reused by reference:
        // then our reading of the schema would be partial.
        if doc.descendants().any(|n| {
            ["include", "import", "redefine", "override", "key", "keyref"]
                .iter()
                .any(|k| is_xs(n, k))
                || (is_xs(n, "element") && n.has_attribute("ref"))
        }) {
            return None;
        }
        let target_ns = root.attribute("targetNamespace").map(str::to_string);
        let types = SimpleTypes::read(&doc);
        let kinds = attribute_kinds(&doc, &types);
        let mut uniques = Vec::new();
        let mut cut = Vec::new();
        // Elements declared with each named type, for constraints declared inside one.
        let mut of_type: HashMap<&str, Vec<String>> = HashMap::new();
        for e in doc.descendants().filter(|&n| is_xs(n, "element")) {
            if let (Some(name), Some(t)) = (e.attribute("name"), e.attribute("type")) {
                of_type.entry(local(t)).or_default().push(name.to_string());
            }
        }
        for u in doc.descendants().filter(|&n| is_xs(n, "unique")) {
            if let Some(unique) = read_unique(u, &kinds, &of_type) {
                uniques.push(unique);
                cut.push(u.range());
            }
        }
        if uniques.is_empty() {
            return None;
        }
        let mut stripped = String::with_capacity(xsd.len());
        let mut at = 0;
        for r in cut {
            stripped.push_str(&xsd[at..r.start]);
            at = r.end;
        }
        stripped.push_str(&xsd[at..]);
        let mut by_scope: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, u) in uniques.iter().enumerate() {
            if let Some(s) = u.scope.last() {
                by_scope.entry(s.clone()).or_default().push(i);
            }
        }
        Some(Plan {
            uniques,
            by_scope,
            target_ns,
            stripped,
        })
    }

    /// The schema text without the constraints checked here.
    pub fn stripped(&self) -> &str {
        &self.stripped
    }

    /// How many `xs:unique` are checked on the tree.
    pub fn len(&self) -> usize {
        self.uniques.len()
    }

    pub fn is_empty(&self) -> bool {
        self.uniques.is_empty()
    }
}

/// The plan of the built-in schema `kind`, read once per process.
pub fn builtin(kind: SchemaKind) -> Option<&'static Plan> {
    static PLANS: OnceLock<Vec<(SchemaKind, Option<Plan>)>> = OnceLock::new();
    let plans = PLANS.get_or_init(|| {
        SchemaKind::ALL
            .iter()
            .map(|&k| (k, Plan::from_schema(super::compile::schema_text(k))))
            .collect()
    });
    plans.iter().find(|(k, _)| *k == kind)?.1.as_ref()
}

/// Named simple types: their base (`restriction/@base`); None for lists and unions.
struct SimpleTypes(HashMap<String, Option<String>>);

impl SimpleTypes {
    fn read(doc: &Document) -> Self {
        let mut map = HashMap::new();
        for t in doc.descendants().filter(|&n| is_xs(n, "simpleType")) {
            let Some(name) = t.attribute("name") else {
                continue;
            };
            map.insert(local(name).to_string(), restriction_base(t));
        }
        SimpleTypes(map)
    }

    /// The kind of a type named `qname` (prefix ignored: our schemas define types in their
    /// target namespace and use `xs:` for the built-in ones).
    fn kind(&self, qname: &str) -> Option<ValueKind> {
        let mut name = qname;
        for _ in 0..32 {
            if let Some(k) = builtin_kind(name) {
                return k;
            }
            name = self.0.get(local(name))?.as_deref()?;
        }
        None
    }
}

/// The base of a simple type's restriction (None for a list, a union or an unnamed base).
fn restriction_base(simple_type: Node) -> Option<String> {
    let r = simple_type.children().find(|c| c.is_element())?;
    if r.tag_name().name() != "restriction" {
        return None;
    }
    // A whiteSpace facet changes how values compare: not mirrored.
    if r.children()
        .any(|c| c.is_element() && c.tag_name().name() == "whiteSpace")
    {
        return None;
    }
    r.attribute("base").map(str::to_string)
}

/// Some(kind) for a built-in XSD type (Some(None): built-in but not mirrored), None for a
/// name that is not built in.
fn builtin_kind(qname: &str) -> Option<Option<ValueKind>> {
    let (prefix, name) = match qname.split_once(':') {
        Some((p, n)) => (p, n),
        None => ("", qname),
    };
    if prefix != "xs" && prefix != "xsd" {
        return None;
    }
    Some(match name {
        "string" => Some(ValueKind::Text),
        "token" | "NMTOKEN" | "Name" | "NCName" | "ID" | "IDREF" | "language" => {
            Some(ValueKind::Collapse)
        }
        // Not `xs:int` and its kin: libxml2 accepts « 1 » with spaces around for them only when
        // the attribute is the field of a constraint it checks itself, so those stay with it.
        "positiveInteger" | "nonNegativeInteger" => Some(ValueKind::Integer),
        _ => None,
    })
}

/// The kind of each attribute name, when all its declarations agree.
fn attribute_kinds(doc: &Document, types: &SimpleTypes) -> HashMap<String, Option<ValueKind>> {
    let mut kinds: HashMap<String, Option<ValueKind>> = HashMap::new();
    for a in doc.descendants().filter(|&n| is_xs(n, "attribute")) {
        let Some(name) = a.attribute("name") else {
            continue;
        };
        let kind = match a.attribute("type") {
            Some(t) => types.kind(t),
            None => a
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == "simpleType")
                .and_then(restriction_base)
                .and_then(|b| types.kind(&b)),
        };
        kinds
            .entry(name.to_string())
            .and_modify(|k| {
                if *k != kind {
                    *k = None;
                }
            })
            .or_insert(kind);
    }
    kinds
}

/// An element of the XSD namespace with this local name.
fn is_xs(n: Node, name: &str) -> bool {
    n.is_element() && n.tag_name().namespace() == Some(XS) && n.tag_name().name() == name
}

fn local(qname: &str) -> &str {
    qname.rsplit(':').next().unwrap_or(qname)
}

/// An XPath step we mirror: `name` or `prefix:name`, nothing else.
fn plain_step(step: &str) -> Option<&str> {
    let name = local(step);
    let ok = !name.is_empty()
        && step.matches(':').count() <= 1
        && step
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    ok.then_some(name)
}

fn read_unique(
    u: Node,
    kinds: &HashMap<String, Option<ValueKind>>,
    of_type: &HashMap<&str, Vec<String>>,
) -> Option<Unique> {
    let name = u.attribute("name")?.to_string();
    let decl = u.parent_element()?;
    if decl.tag_name().name() != "element" {
        return None;
    }
    let mut scope = Vec::new();
    let mut anchored = false;
    let mut within = None;
    let mut n = Some(decl);
    while let Some(e) = n {
        match e.tag_name().name() {
            "element" => scope.push(e.attribute("name")?.to_string()),
            "complexType" => {
                if let Some(t) = e.attribute("name") {
                    within = Some(of_type.get(t).cloned().unwrap_or_default());
                    break;
                }
            }
            // Groups are used by reference from places we do not follow.
            "group" | "attributeGroup" if e.has_attribute("name") => return None,
            "schema" => {
                anchored = true;
                break;
            }
            _ => {}
        }
        n = e.parent_element();
    }
    scope.reverse();
    let mut selector = Vec::new();
    let mut fields = Vec::new();
    for c in u.children().filter(|c| c.is_element()) {
        let xpath = c.attribute("xpath")?.trim();
        match c.tag_name().name() {
            "selector" if selector.is_empty() => {
                for step in xpath.split('/') {
                    selector.push(plain_step(step)?.to_string());
                }
            }
            "field" => {
                let attr = xpath.strip_prefix('@')?;
                if attr.contains(':') || plain_step(attr).is_none() {
                    return None;
                }
                let kind = (*kinds.get(attr)?)?;
                fields.push((attr.to_string(), kind));
            }
            "annotation" => {}
            _ => return None,
        }
    }
    if selector.is_empty() || fields.is_empty() || scope.is_empty() {
        return None;
    }
    Some(Unique {
        name,
        scope,
        anchored,
        within,
        selector,
        fields,
    })
}

/// Where libxml2 stopped validating, and values it could not read: read from its errors on
/// the rest of the schema (placed on the tree by the caller).
#[derive(Default)]
pub struct Skips {
    /// An element out of place: libxml2 skips it and the rest of its parent's content
    /// (parent → earliest start offset skipped).
    rest_of_parent: HashMap<NodeId, usize>,
    /// Attributes whose value is invalid: libxml2 has no value for them, so their element
    /// takes no part in the constraint (element start → attribute names).
    bad_values: HashMap<usize, Vec<String>>,
    /// Nothing was validated (unknown root element, unreadable file).
    nothing: bool,
}

impl Skips {
    pub fn out_of_place(&mut self, n: Node) {
        if let Some(p) = n.parent() {
            let at = self.rest_of_parent.entry(p.id()).or_insert(n.range().start);
            *at = (*at).min(n.range().start);
        }
    }

    pub fn bad_value(&mut self, n: Node, attr: &str) {
        self.bad_values
            .entry(n.range().start)
            .or_default()
            .push(attr.to_string());
    }

    pub fn nothing_validated(&mut self) {
        self.nothing = true;
    }

    fn skipped(&self, n: Node) -> bool {
        if self.rest_of_parent.is_empty() {
            return false;
        }
        std::iter::once(n).chain(n.ancestors()).any(|m| {
            m.parent()
                .and_then(|p| self.rest_of_parent.get(&p.id()))
                .is_some_and(|&from| m.range().start >= from)
        })
    }
}

/// The duplicates libxml2 would report for the constraints of `plan`, as its raw errors (same
/// words, same line: the line of the duplicate's end tag), each pointing at its element.
pub fn check(plan: &Plan, doc: &Document, lines: &LineIndex, skips: &Skips) -> Vec<RawError> {
    if skips.nothing {
        return Vec::new();
    }
    let ns = plan.target_ns.as_deref();
    let mut found: Vec<(usize, Node, String)> = Vec::new();
    for scope in doc.descendants().filter(Node::is_element) {
        let Some(ids) = plan.by_scope.get(scope.tag_name().name()) else {
            continue;
        };
        if scope.tag_name().namespace() != ns || skips.skipped(scope) {
            continue;
        }
        for &i in ids {
            let u = &plan.uniques[i];
            if !in_scope_path(scope, u) {
                continue;
            }
            check_scope(u, scope, ns, skips, &mut found);
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    found.sort_by_key(|(end, _, _)| *end);
    found
        .into_iter()
        .map(|(end, n, message)| {
            let line = lines.line_of(end.saturating_sub(1)) + 1;
            let mut raw = super::validate::parse_message(line, message, false);
            raw.at = Some(n.range().start);
            raw
        })
        .collect()
}

/// `scope`'s ancestors carry the names of the constraint's enclosing declarations.
fn in_scope_path(scope: Node, u: &Unique) -> bool {
    let mut n = Some(scope);
    for name in u.scope.iter().rev() {
        match n {
            Some(e) if e.is_element() && e.tag_name().name() == name => n = e.parent(),
            _ => return false,
        }
    }
    // Anchored: what is above the outermost declaration is the document itself.
    if u.anchored && !n.is_some_and(|p| p.is_root()) {
        return false;
    }
    match &u.within {
        Some(names) => {
            n.is_some_and(|p| p.is_element() && names.iter().any(|x| x == p.tag_name().name()))
        }
        None => true,
    }
}

fn check_scope<'a, 'i>(
    u: &Unique,
    scope: Node<'a, 'i>,
    ns: Option<&str>,
    skips: &Skips,
    found: &mut Vec<(usize, Node<'a, 'i>, String)>,
) {
    let mut level = vec![scope];
    for step in &u.selector {
        level = level
            .iter()
            .flat_map(|p| p.children())
            .filter(|c| {
                c.is_element() && c.tag_name().name() == step && c.tag_name().namespace() == ns
            })
            .collect();
    }
    let mut seen: HashSet<Vec<Cow<str>>> = HashSet::new();
    for target in level {
        if skips.skipped(target) {
            continue;
        }
        let mut key = Vec::with_capacity(u.fields.len());
        for (attr, kind) in &u.fields {
            let Some(v) = target.attribute(attr.as_str()) else {
                break;
            };
            if skips
                .bad_values
                .get(&target.range().start)
                .is_some_and(|bad| bad.contains(attr))
            {
                break;
            }
            let Some(v) = value_of(v, *kind) else {
                break;
            };
            key.push(v);
        }
        // libxml2 leaves out a target whose fields are not all there (`xs:unique`).
        if key.len() < u.fields.len() {
            continue;
        }
        if seen.contains(&key) {
            found.push((
                target.range().end,
                target,
                duplicate_message(u, target, ns, &key),
            ));
        } else {
            seen.insert(key);
        }
    }
}

/// The value as libxml2 compares and shows it; None if it is not of its type.
fn value_of(v: &str, kind: ValueKind) -> Option<Cow<'_, str>> {
    // XML attribute-value normalization (tabs and line breaks read as spaces).
    let v: Cow<str> = if v.contains(['\t', '\n', '\r']) {
        Cow::Owned(v.replace(['\t', '\n', '\r'], " "))
    } else {
        Cow::Borrowed(v)
    };
    match kind {
        ValueKind::Text => Some(v),
        ValueKind::Collapse => {
            if v.starts_with(' ') || v.ends_with(' ') || v.contains("  ") {
                Some(Cow::Owned(
                    v.split(' ')
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" "),
                ))
            } else {
                Some(v)
            }
        }
        ValueKind::Integer => {
            let t = v.trim_matches(' ');
            let (neg, digits) = match t.as_bytes().first() {
                Some(b'-') => (true, &t[1..]),
                Some(b'+') => (false, &t[1..]),
                _ => (false, t),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let digits = digits.trim_start_matches('0');
            Some(Cow::Owned(match (digits.is_empty(), neg) {
                (true, _) => "0".to_string(),
                (false, true) => format!("-{digits}"),
                (false, false) => digits.to_string(),
            }))
        }
    }
}

fn duplicate_message(u: &Unique, target: Node, ns: Option<&str>, key: &[Cow<str>]) -> String {
    let qualified = |name: &str| match ns {
        Some(ns) => format!("{{{ns}}}{name}"),
        None => name.to_string(),
    };
    let values = key
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Element '{}': Duplicate key-sequence [{}] in unique identity-constraint '{}'.",
        qualified(target.tag_name().name()),
        values,
        qualified(&u.name)
    )
}

#[cfg(test)]
#[path = "identity/tests.rs"]
mod tests;
