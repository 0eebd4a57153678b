//! What a libxml2 error means: its words parsed into a [`Violation`] (enumeration violated
//! with its allowed values, length, missing or unexpected element, pattern…), placed on the
//! element or attribute concerned ([`SchemaError`]), and the code that owns it ([`owner`]).
//! The owning rule module writes the message and the fix (`crate::rules::schema_writer`).

use super::locate::{self, Locator};
use super::validate::RawError;
use crate::catalogue::Code;
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::xml::Node;

/// The `ChaineN` pattern: at least one non-blank character.
pub const NON_BLANK_PATTERN: &str = "(.|\\n)*[^\\s](.|\\n)*";

/// Attributes holding free text (an empty one is a blank text, X002), as opposed to codes.
const TEXT_ATTRIBUTES: &[&str] = &[
    "libelle",
    "nom",
    "prenom",
    "intitule",
    "commune",
    "ligne1",
    "ligne2",
    "ligne3",
    "ligne4",
    "lien-parente",
    "denomination",
];

const XINCLUDE_NS: &str = "http://www.w3.org/2001/XInclude";

/// What went wrong, as libxml2 said it (values borrowed from its message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation<'m> {
    /// A code outside its list.
    Enumeration {
        value: &'m str,
        set: Vec<&'m str>,
    },
    Length {
        actual: usize,
        limit: usize,
    },
    MaxLength {
        actual: usize,
        limit: usize,
    },
    MinLength {
        actual: usize,
        limit: usize,
    },
    Pattern {
        value: &'m str,
        pattern: &'m str,
    },
    /// A value that is not of its type (`xs:date`, `xs:ID`, `MoyenneNumerique`…).
    Atomic {
        value: &'m str,
        ty: &'m str,
    },
    Range {
        value: &'m str,
        limit: &'m str,
        max: bool,
    },
    Digits {
        value: &'m str,
        limit: &'m str,
        fraction: bool,
    },
    MissingAttribute(&'m str),
    AttributeNotAllowed(&'m str),
    /// Required children missing when the element closes (the expected ones).
    MissingChild(Vec<&'m str>),
    /// An element where none of the expected ones is present at all: a required element is
    /// missing before it (libxml2 reports it on the next element).
    MissingBefore(Vec<&'m str>),
    /// An element out of place (the expected ones, possibly none).
    NotExpected(Vec<&'m str>),
    /// A unique key of the schema seen twice.
    Duplicate {
        values: &'m str,
        constraint: &'m str,
    },
    /// An element inside a text-only element (its tag as written, `xi:` for XInclude).
    ElementInText {
        child: String,
        xinclude: bool,
    },
    /// The XML parser under the validator gave up.
    Unreadable,
    /// A root element the schema does not declare.
    UnknownRoot,
    Other,
}

fn between<'m>(s: &'m str, start: &str, end: &str) -> Option<&'m str> {
    let a = s.find(start)? + start.len();
    let b = s[a..].find(end)? + a;
    Some(&s[a..b])
}

/// Value quoted after `The value '` up to the last occurrence of `end` (values may contain quotes).
fn value_before<'m>(s: &'m str, start: &str, end: &str) -> Option<&'m str> {
    let a = s.find(start)? + start.len();
    let b = s.rfind(end)?;
    (b >= a).then(|| &s[a..b])
}

fn element_list(s: &str) -> Vec<&str> {
    let Some(a) = s.find('(') else {
        return Vec::new();
    };
    let b = s.rfind(')').unwrap_or(s.len());
    if b <= a {
        return Vec::new();
    }
    s[a + 1..b]
        .split(',')
        .map(|x| x.trim())
        .map(|x| x.rsplit('}').next().unwrap_or(x))
        .filter(|x| !x.is_empty())
        .collect()
}

impl<'m> Violation<'m> {
    /// Reads libxml2's detail (the message without its `Element '…': ` prefix).
    pub fn parse(d: &'m str) -> Self {
        let num = |s: Option<&str>| s.and_then(|v| v.parse::<usize>().ok());
        if d.starts_with("[facet 'enumeration']") {
            let value =
                value_before(d, "The value '", "' is not an element of the set").unwrap_or("");
            let set = between(d, "{", "}")
                .map(|s| s.split(", ").map(|x| x.trim_matches('\'')).collect())
                .unwrap_or_default();
            return Violation::Enumeration { value, set };
        }
        // The three length facets share one message shape: « has a length of 'N' … 'LIMIT' ».
        let lengths = |limit_text: &str| {
            Some((
                num(between(d, "has a length of '", "'"))?,
                num(between(d, limit_text, "'"))?,
            ))
        };
        if d.starts_with("[facet 'length']") {
            if let Some((actual, limit)) = lengths("allowed length of '") {
                return Violation::Length { actual, limit };
            }
        }
        if d.starts_with("[facet 'maxLength']") {
            if let Some((actual, limit)) = lengths("maximum length of '") {
                return Violation::MaxLength { actual, limit };
            }
        }
        if d.starts_with("[facet 'minLength']") {
            if let Some((actual, limit)) = lengths("minimum length of '") {
                return Violation::MinLength { actual, limit };
            }
        }
        if d.starts_with("[facet 'pattern']") {
            let value =
                value_before(d, "The value '", "' is not accepted by the pattern").unwrap_or("");
            let pattern = d
                .rfind("by the pattern '")
                .map(|i| &d[i + "by the pattern '".len()..])
                .map(|p| p.trim_end_matches('.').trim_end_matches('\''))
                .unwrap_or("");
            return Violation::Pattern { value, pattern };
        }
        if d.starts_with("[facet 'maxInclusive']") || d.starts_with("[facet 'minInclusive']") {
            let max = d.starts_with("[facet 'maxInclusive']");
            let value = between(d, "The value '", "'").unwrap_or("");
            let limit = between(d, "allowed ('", "')").unwrap_or("");
            return Violation::Range { value, limit, max };
        }
        if d.starts_with("[facet 'fractionDigits']") || d.starts_with("[facet 'totalDigits']") {
            let fraction = d.starts_with("[facet 'fractionDigits']");
            let value = between(d, "The value '", "'").unwrap_or("");
            let limit = between(d, "allowed ('", "')").unwrap_or("");
            return Violation::Digits {
                value,
                limit,
                fraction,
            };
        }
        if d.contains("is not a valid value of the") {
            let value = value_before(d, "'", "' is not a valid value of the").unwrap_or("");
            let ty = d
                .rfind("type '")
                .map(|i| &d[i + "type '".len()..])
                .map(|t| t.trim_end_matches('.').trim_end_matches('\''))
                .map(|t| t.rsplit('}').next().unwrap_or(t))
                .unwrap_or("");
            return Violation::Atomic { value, ty };
        }
        if let Some(a) = between(d, "The attribute '", "' is required but missing") {
            return Violation::MissingAttribute(a);
        }
        if let Some(a) = between(d, "The attribute '", "' is not allowed") {
            return Violation::AttributeNotAllowed(a);
        }
        if d.starts_with("Missing child element(s)") {
            return Violation::MissingChild(element_list(d));
        }
        if d.starts_with("This element is not expected") {
            return Violation::NotExpected(element_list(d));
        }
        if d.starts_with("Duplicate key-sequence") {
            let values = between(d, "[", "]").unwrap_or("");
            let constraint = d
                .rfind("identity-constraint '")
                .map(|i| &d[i + "identity-constraint '".len()..])
                .map(|t| t.trim_end_matches('.').trim_end_matches('\''))
                .map(|t| t.rsplit('}').next().unwrap_or(t))
                .unwrap_or("");
            return Violation::Duplicate { values, constraint };
        }
        Violation::Other
    }

    /// Reported when the element closes (missing children, duplicate keys, facets of an
    /// element's own text) rather than at its start tag.
    pub(super) fn at_end_tag(&self, attr: Option<&str>) -> bool {
        match self {
            Violation::MissingChild(_) | Violation::Duplicate { .. } => true,
            Violation::Enumeration { .. }
            | Violation::Length { .. }
            | Violation::MaxLength { .. }
            | Violation::MinLength { .. }
            | Violation::Pattern { .. }
            | Violation::Atomic { .. }
            | Violation::Range { .. }
            | Violation::Digits { .. } => attr.is_none(),
            _ => false,
        }
    }
}

/// One schema error, classified and placed: what the owning rule needs to word it.
pub struct SchemaError<'a, 'i, 'm> {
    pub what: Violation<'m>,
    pub raw: &'m RawError,
    /// Local name of the element concerned (`?` when libxml2 named none).
    pub elem: &'m str,
    pub attr: Option<&'m str>,
    /// The element found in the tree, if any.
    pub node: Option<Node<'a, 'i>>,
    /// Byte range of the finding: the attribute, else the start tag, else the line.
    pub start: usize,
    pub end: usize,
    /// The value as it is in the tree (character references resolved).
    pub value: Option<String>,
}

impl<'a, 'i, 'm> SchemaError<'a, 'i, 'm> {
    /// A finding under `code` on the error's place.
    pub fn finding(&self, code: Code, msg: String) -> Diagnostic {
        Diagnostic::new(code, self.start, self.end, msg)
    }

    /// `l'attribut x de <e>` or `<e>`.
    pub fn here(&self) -> String {
        place(self.elem, self.attr)
    }

    /// `<e>`, for errors about the element even when an attribute is named.
    pub fn element(&self) -> String {
        place(self.elem, None)
    }

    /// The value in the tree, else as libxml2 quoted it.
    pub fn value_or(&self, quoted: &str) -> String {
        self.value.clone().unwrap_or_else(|| quoted.to_string())
    }

    /// Local name of the parent element ("" if none).
    pub fn parent_name(&self) -> &'a str {
        self.node
            .and_then(|n| n.parent_element())
            .map(|p| p.tag_name().name())
            .unwrap_or("")
    }

    /// In (or the `<socle>` of) a `bilan-cycle`?
    pub fn in_cycle_socle(&self) -> bool {
        self.node.is_some_and(|n| in_socle_of(n, "bilan-cycle"))
    }

    /// In (or the `<socle>` of) a `bilan-periodique`?
    pub fn in_periodic_socle(&self) -> bool {
        self.node
            .is_some_and(|n| in_socle_of(n, "bilan-periodique"))
    }
}

/// `n` is a `<socle>` of a `bilan`, or a child of one.
fn in_socle_of(n: Node, bilan: &str) -> bool {
    let socle = if n.tag_name().name() == "socle" {
        Some(n)
    } else {
        n.parent_element()
    };
    socle.is_some_and(|s| {
        s.tag_name().name() == "socle"
            && s.parent_element()
                .is_some_and(|b| b.tag_name().name() == bilan)
    })
}

pub fn is_counter(attr: &str) -> bool {
    matches!(
        attr,
        "nb-retards" | "nb-abs-justifiees" | "nb-abs-injustifiees" | "nb-heures-manquees"
    )
}

pub fn is_average(attr: &str) -> bool {
    matches!(attr, "moyenne-eleve" | "moyenne-structure")
}

/// Shows a value with its invisible characters made visible.
pub fn shown(v: &str) -> String {
    let mut s = String::new();
    for (i, c) in v.chars().enumerate() {
        if i >= 80 {
            s.push('…');
            break;
        }
        match c {
            '\r' => s.push_str("\\r"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s
}

/// Where a finding is described: `l'attribut x de <e>` or `<e>`.
pub fn place(elem: &str, attr: Option<&str>) -> String {
    match attr {
        Some(a) => format!("l'attribut {a} de <{elem}>"),
        None => format!("<{elem}>"),
    }
}

/// `[1-4]` → « de 1 à 4 »; other patterns are shown as they are.
pub fn pattern_range(p: &str) -> String {
    let b = p.as_bytes();
    if b.len() == 5 && b[0] == b'[' && b[2] == b'-' && b[4] == b']' {
        return format!("de {} à {}", b[1] as char, b[3] as char);
    }
    if p.len() == 1 {
        return format!("« {p} »");
    }
    format!("conforme au motif {p}")
}

/// An XML name without colon, as `xs:ID` values must be.
pub fn is_ncname(v: &str) -> bool {
    let mut chars = v.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| {
            c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}') || is_combining(c)
        })
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x203F..=0x2040)
}

/// Classifies one raw error and places it in the tree; None when it is not reported (the
/// version, S001/S007's business, or an echo of an element inside a text-only element).
pub fn classify<'a, 'i, 'm>(
    ctx: &Ctx<'a, 'i>,
    loc: &mut Locator<'a, 'i>,
    raw: &'m RawError,
) -> Option<SchemaError<'a, 'i, 'm>> {
    let mut what = Violation::parse(&raw.detail);
    let attr = raw.attribute.as_deref();
    let elem = raw.element.as_deref().unwrap_or("?");
    // The version is S001/S007's business: the file is checked against the chosen schema anyway
    // (a user's schema that refuses the file's version says so, like any enumeration).
    if attr == Some("schemaVersion") && elem == "lsun-bilans" && ctx.version.user_schema.is_none() {
        return None;
    }
    let (node, start, end) = locate::locate(ctx, loc, raw, &what);
    let value: Option<String> = node.and_then(|n| match attr {
        Some(a) => n.attribute(a).map(str::to_string),
        None => Some(n.text().unwrap_or("").to_string()),
    });
    // An element inside a text-only element: libxml2 then also judges the (empty) text against
    // every facet, which would give contradictory findings. One finding says what is there.
    if attr.is_none() {
        if let Some(child) = node.and_then(|n| n.children().find(|c| c.is_element())) {
            if !raw.detail.starts_with("Element content is not allowed") {
                return None;
            }
            let xinclude = child.tag_name().namespace() == Some(XINCLUDE_NS);
            let child = match xinclude {
                true => format!("xi:{}", child.tag_name().name()),
                false => child.tag_name().name().to_string(),
            };
            what = Violation::ElementInText { child, xinclude };
        }
    }
    what = match what {
        Violation::NotExpected(expected)
            if !expected.is_empty()
                && node.and_then(|n| n.parent_element()).is_some_and(|p| {
                    !p.children()
                        .any(|c| c.is_element() && expected.contains(&c.tag_name().name()))
                }) =>
        {
            Violation::MissingBefore(expected)
        }
        Violation::Other if raw.parser => Violation::Unreadable,
        Violation::Other if raw.detail.contains("No matching global declaration") => {
            Violation::UnknownRoot
        }
        w => w,
    };
    Some(SchemaError {
        what,
        raw,
        elem,
        attr,
        node,
        start,
        end,
        value,
    })
}

/// The code whose rule module words this error (`rules.md`, « Schema errors → codes »).
pub fn owner(e: &SchemaError, ctx: &Ctx) -> Code {
    use Violation as V;
    let (elem, attr) = (e.elem, e.attr);
    let level = attr.is_some_and(|a| a == "positionnement" || a == "niveau");
    match &e.what {
        V::ElementInText { .. } | V::AttributeNotAllowed(_) => Code::S002,
        V::Unreadable | V::UnknownRoot | V::Other => Code::S002,
        V::Enumeration { .. } => Code::S004,
        V::Length { .. } => match (elem, attr) {
            ("etablissement", None) => Code::I001,
            (_, Some("ine")) => Code::I005,
            _ => Code::S005,
        },
        V::MaxLength { .. } if attr.is_some_and(is_average) => Code::P003,
        V::MaxLength { .. } => Code::X001,
        V::MinLength { .. } if attr.is_some_and(is_average) => Code::P003,
        V::MinLength { .. } if attr.is_none_or(|a| TEXT_ATTRIBUTES.contains(&a)) => Code::X002,
        V::MinLength { .. } => Code::S005,
        V::Pattern { value, pattern } if *pattern == NON_BLANK_PATTERN => {
            if e.value_or(value).contains('\r') {
                Code::X003
            } else {
                Code::X002
            }
        }
        V::Pattern { .. }
            if attr == Some("positionnement") && elem == "domaine" && e.in_cycle_socle() =>
        {
            Code::C001
        }
        V::Pattern { .. } if level => Code::P003,
        V::Pattern { .. } if attr.is_some_and(is_counter) => Code::P008,
        V::Pattern { .. } => Code::S005,
        V::Atomic { value, ty } => match *ty {
            "xs:ID" => {
                let v = e.value_or(value);
                if is_ncname(v.trim()) && ctx.lsu.ids.contains_key(v.trim()) {
                    Code::U004
                } else {
                    Code::S005
                }
            }
            "xs:IDREF" | "xs:IDREFS" | "xs:date" | "xs:dateTime" => Code::S005,
            "MoyenneNumerique" => Code::P003,
            _ if attr == Some("id-sts") => Code::T001,
            _ if attr.is_some_and(is_counter) => Code::P008,
            _ if level && e.in_cycle_socle() => Code::C001,
            _ if level => Code::P003,
            _ => Code::S005,
        },
        V::Range { .. } if attr.is_some_and(is_counter) => Code::P008,
        V::Range { .. } | V::Digits { .. } if attr.is_some_and(is_average) => Code::P003,
        V::Range { .. } | V::Digits { .. } => Code::S005,
        V::MissingAttribute(a) => match (elem, *a) {
            ("acquis", "element-programme-refs") => Code::P007,
            ("vie-scolaire", a) if is_counter(a) => Code::P008,
            ("domaine", "positionnement") if e.in_cycle_socle() => Code::C001,
            ("domaine", "positionnement") if e.in_periodic_socle() => Code::C005,
            _ => Code::S003,
        },
        V::MissingChild(_) if elem == "socle" && e.in_cycle_socle() => Code::C001,
        V::MissingChild(_) if elem == "socle" && e.in_periodic_socle() => Code::C005,
        V::MissingChild(expected) if elem == "bilan-cycle" && expected.contains(&"synthese") => {
            Code::C002
        }
        V::MissingChild(_) => Code::S003,
        V::NotExpected(_) | V::MissingBefore(_)
            if elem == "domaine" && e.parent_name() == "socle" && e.in_cycle_socle() =>
        {
            Code::C001
        }
        V::NotExpected(_) | V::MissingBefore(_)
            if elem == "domaine" && e.parent_name() == "socle" && e.in_periodic_socle() =>
        {
            Code::C005
        }
        V::MissingBefore(expected)
            if e.parent_name() == "bilan-cycle" && expected.as_slice() == ["synthese"] =>
        {
            Code::C002
        }
        V::MissingBefore(_) => Code::S003,
        V::NotExpected(_) => Code::S002,
        V::Duplicate { constraint, .. } => match *constraint {
            "uniq-bc-socle-domaine" => Code::C001,
            "uniq-bp-socle-domaine" => Code::C005,
            "uniq-eleve-id-be" | "uniq-eleve-ine" => Code::U001,
            "uniq-bilan-periodique" | "uniq-bilan-cycle" => Code::U002,
            "uniq-element-programme-libelle" => Code::U003,
            "uniq-enseignant" => Code::T008,
            "uniq-discipline" => Code::M003,
            _ => Code::U005,
        },
    }
}
