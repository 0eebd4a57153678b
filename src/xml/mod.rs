//! A compact read-only tree of an LSU file: nodes are byte spans into the text (20 bytes
//! each, names interned), about a quarter of the text's size. Attributes are not stored: they
//! are read again from the start tag when asked for (they were half the tree), their values
//! decoded ahead only when they hold a reference or a line break. It exposes the part of
//! roxmltree's API the rules use, with the same node structure, ranges and values, except that
//! the indentation between elements is left out (`is_layout`).
//!
//! Well-formedness is roxmltree's: the parser here accepts only the plain XML LSU files are
//! made of and hands anything else (an error, a DOCTYPE, a non-ASCII name…) to roxmltree,
//! which gives the error, or a tree that is copied (`from_roxmltree`).

use std::collections::HashMap;
use std::ops::Range;

const NONE: u32 = u32::MAX;
/// Name ids have 24 bits; namespaces 5 (0 = none).
const NAME_BITS: u32 = 24;
const MAX_NAMES: usize = 1 << NAME_BITS;
const MAX_NAMESPACES: usize = 31;
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Root = 0,
    Element = 1,
    Text = 2,
    Comment = 3,
    Pi = 4,
}

/// One node: 20 bytes. Nodes are stored in document order, so a node's first child, if any,
/// is the next node. Attributes are not stored: they are read again from the start tag when
/// asked for (a start tag is short, and attributes were a third of the tree's memory).
#[derive(Clone, Copy, Debug)]
struct NodeData {
    parent: u32,
    next_sibling: u32,
    start: u32,
    end: u32,
    /// kind (3 bits) | namespace (5 bits) | name id (24 bits).
    tag: u32,
}

impl NodeData {
    fn kind(&self) -> Kind {
        match self.tag >> 29 {
            0 => Kind::Root,
            1 => Kind::Element,
            2 => Kind::Text,
            3 => Kind::Comment,
            _ => Kind::Pi,
        }
    }
}

fn tag(kind: Kind, ns: u32, name: u32) -> u32 {
    ((kind as u32) << 29) | (ns << NAME_BITS) | name
}

/// Whether a text node of roxmltree's is layout, which the tree leaves out: whitespace as
/// written (no reference, no CDATA next to it) in an element that holds elements, before an element or
/// after one. Indentation is a third of an export's nodes and no rule reads it; the content
/// of `<a> </a>`, or spaces merged with CDATA, stay text. (The parsers decide as they read;
/// this is the rule they are tested against.)
#[cfg(test)]
pub(crate) fn is_layout(n: roxmltree::Node, text: &str) -> bool {
    n.is_text()
        && n.parent().is_some_and(|p| p.is_element())
        && is_layout_space(text, n.range())
        && (n.next_sibling().is_some_and(|s| s.is_element())
            || n.prev_siblings().skip(1).any(|s| s.is_element()))
}

/// Spaces as written, not merged with a CDATA section that follows (the merged node has the
/// range of its first part).
fn is_layout_space(text: &str, r: Range<usize>) -> bool {
    let b = text.as_bytes();
    b.get(r.clone())
        .is_some_and(|s| s.iter().all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')))
        && !b
            .get(r.end..)
            .is_some_and(|rest| rest.starts_with(b"<![CDATA["))
}

/// Why the tree could not be built: roxmltree's error, as before.
pub(crate) type Error = roxmltree::Error;

/// A parsed document.
pub struct Document<'i> {
    text: &'i str,
    nodes: Vec<NodeData>,
    names: Vec<&'i str>,
    namespaces: Vec<String>,
    /// Texts that differ from their source bytes, by node index.
    decoded_text: HashMap<u32, Box<str>>,
    /// Attribute values that differ from their source bytes (references, line breaks), by
    /// the offset of the value.
    decoded_attr: HashMap<u32, Box<str>>,
    /// The namespace of each prefixed attribute, by the offset of its name (an attribute
    /// without prefix has none).
    attr_ns: HashMap<u32, u32>,
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Document({} nodes)", self.nodes.len())
    }
}

/// A node of a document.
#[derive(Clone, Copy)]
pub struct Node<'a, 'i: 'a> {
    doc: &'a Document<'i>,
    id: u32,
}

impl PartialEq for Node<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id && std::ptr::eq(self.doc, other.doc)
    }
}

impl Eq for Node<'_, '_> {}

impl std::fmt::Debug for Node<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node({:?} {:?})", self.d().kind(), self.range())
    }
}

/// A node's identity in its document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct NodeId(u32);

/// A namespace and local name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExpandedName<'a> {
    namespace: Option<&'a str>,
    name: &'a str,
}

impl<'a> ExpandedName<'a> {
    pub fn namespace(&self) -> Option<&'a str> {
        self.namespace
    }
    pub fn name(&self) -> &'a str {
        self.name
    }
}

/// An attribute of an element, as read from its start tag.
#[derive(Clone, Copy)]
pub struct Attribute<'a, 'i: 'a> {
    doc: &'a Document<'i>,
    /// The qualified name, its local part, and the value inside the quotes.
    start: u32,
    local: u32,
    name_end: u32,
    value_start: u32,
    value_end: u32,
}

impl<'a, 'i: 'a> Attribute<'a, 'i> {
    pub fn name(&self) -> &'a str {
        &self.doc.text[self.local as usize..self.name_end as usize]
    }
    pub fn namespace(&self) -> Option<&'a str> {
        if self.local == self.start {
            return None;
        }
        self.doc
            .namespace(self.doc.attr_ns.get(&self.start).copied().unwrap_or(0))
    }
    pub fn value(&self) -> &'a str {
        self.doc
            .attr_value(self.value_start as usize, self.value_end as usize)
    }
    /// From the name to the closing quote.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.value_end as usize + 1
    }
    /// The value inside the quotes.
    pub fn range_value(&self) -> Range<usize> {
        self.value_start as usize..self.value_end as usize
    }
}

/// The attributes of a start tag, read from the text (namespace declarations left out, as
/// in roxmltree). The tree holds only well-formed tags, so the reading needs no checks:
/// names end at a space, `=`, `/` or `>`, values at their quote.
pub struct Attributes<'a, 'i: 'a> {
    doc: &'a Document<'i>,
    pos: usize,
}

fn is_xml_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

impl<'a, 'i: 'a> Iterator for Attributes<'a, 'i> {
    type Item = Attribute<'a, 'i>;

    fn next(&mut self) -> Option<Self::Item> {
        let r = read_attr::<true>(self.doc.text.as_bytes(), &mut self.pos)?;
        Some(Attribute {
            doc: self.doc,
            start: r.start,
            local: r.local,
            name_end: r.name_end,
            value_start: r.value_start,
            value_end: r.value_end,
        })
    }
}

/// An attribute's spans, as read from its start tag.
#[derive(Clone, Copy)]
struct Read {
    start: u32,
    local: u32,
    name_end: u32,
    value_start: u32,
    value_end: u32,
}

/// The next attribute of the start tag at `pos` (past the element's name or a previous
/// attribute), namespace declarations skipped; None at the tag's end. Without `FULL` (a
/// lookup by unprefixed name, which compares whole names) the local part is not sought
/// (`local` = `start`) and declarations are not skipped. The hottest code of a
/// check: names end at their `=` and values at their quote, each found eight bytes at a time.
fn read_attr<const FULL: bool>(b: &[u8], pos: &mut usize) -> Option<Read> {
    let mut i = *pos;
    loop {
        while i < b.len() && is_xml_space(b[i]) {
            i += 1;
        }
        if i >= b.len() || b[i] == b'/' || b[i] == b'>' {
            *pos = i;
            return None;
        }
        let start = i;
        let eq = find_byte(b, start, b'=')?;
        let mut name_end = eq;
        while name_end > start && is_xml_space(b[name_end - 1]) {
            name_end -= 1;
        }
        let local = match FULL {
            true => match b[start..name_end].iter().rposition(|c| *c == b':') {
                Some(c) => start + c + 1,
                None => start,
            },
            false => start,
        };
        i = eq + 1;
        while i < b.len() && is_xml_space(b[i]) {
            i += 1;
        }
        let quote = *b.get(i)?;
        let value_start = i + 1;
        let value_end = find_byte(b, value_start, quote)?;
        i = value_end + 1;
        *pos = i;
        let qname = &b[start..name_end];
        // As roxmltree: a name whose prefix or local part is `xmlns` declares a namespace.
        if FULL && (qname.starts_with(b"xmlns:") || &b[local..name_end] == b"xmlns") {
            continue;
        }
        return Some(Read {
            start: start as u32,
            local: local as u32,
            name_end: name_end as u32,
            value_start: value_start as u32,
            value_end: value_end as u32,
        });
    }
}

/// The first `x` in `b` from `from`, eight bytes at a time (names and values are a few to a
/// few dozen bytes: shorter than what memchr's vector loop pays off on).
fn find_byte(b: &[u8], from: usize, x: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO.wrapping_mul(x as u64);
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word) ^ pattern;
        // The lowest flagged byte is the first equal to `x` (the usual zero-byte test).
        let zero = v.wrapping_sub(LO) & !v & HI;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|c| *c == x).map(|p| i + p)
}

impl<'i> Document<'i> {
    /// Parses `text` (DTDs refused, as by `parse::options`).
    pub fn parse(text: &'i str) -> Result<Document<'i>, Error> {
        if let Some(doc) = Parser::run(text) {
            return Ok(doc);
        }
        let doc = roxmltree::Document::parse_with_options(text, crate::parse::options())?;
        Ok(Self::from_roxmltree(text, &doc))
    }

    /// The same tree copied from roxmltree's (for what the parser here does not handle).
    pub fn from_roxmltree(text: &'i str, doc: &roxmltree::Document) -> Document<'i> {
        let mut out = Document::empty(text, doc.descendants().count());
        let mut names: HashMap<&'i str, u32> = HashMap::new();
        let mut ids: HashMap<roxmltree::NodeId, u32> = HashMap::new();
        let mut last_child: Vec<u32> = Vec::new();
        // Elements holding an element child so far (for `is_layout`, without looking back).
        let mut has_element: Vec<bool> = Vec::new();
        for n in doc.descendants() {
            let parent_has_element = n
                .parent()
                .and_then(|p| ids.get(&p.id()))
                .is_some_and(|p| has_element[*p as usize]);
            if n.is_text()
                && is_layout_space(text, n.range())
                && n.parent().is_some_and(|p| p.is_element())
                && (parent_has_element || n.next_sibling().is_some_and(|s| s.is_element()))
            {
                continue;
            }
            let id = out.nodes.len() as u32;
            has_element.push(false);
            if n.is_element() {
                if let Some(p) = n.parent().and_then(|p| ids.get(&p.id())) {
                    has_element[*p as usize] = true;
                }
            }
            ids.insert(n.id(), id);
            last_child.push(NONE);
            let parent = n
                .parent()
                .and_then(|p| ids.get(&p.id()).copied())
                .unwrap_or(NONE);
            if parent != NONE {
                let prev = last_child[parent as usize];
                if prev != NONE {
                    out.nodes[prev as usize].next_sibling = id;
                }
                last_child[parent as usize] = id;
            }
            let r = n.range();
            let kind = match n.node_type() {
                roxmltree::NodeType::Root => Kind::Root,
                roxmltree::NodeType::Element => Kind::Element,
                roxmltree::NodeType::Text => Kind::Text,
                roxmltree::NodeType::Comment => Kind::Comment,
                roxmltree::NodeType::PI => Kind::Pi,
            };
            let (mut ns, mut name) = (0, 0);
            if kind == Kind::Element {
                ns = out.namespace_id(n.tag_name().namespace());
                name = intern(&mut out.names, &mut names, qname_local(text, r.start + 1));
                for a in n.attributes() {
                    if a.namespace().is_some() {
                        let ans = out.namespace_id(a.namespace());
                        out.attr_ns.insert(a.range().start as u32, ans);
                    }
                    let vr = a.range_value();
                    if &text[vr.clone()] != a.value() {
                        out.decoded_attr.insert(vr.start as u32, a.value().into());
                    }
                }
            }
            if matches!(kind, Kind::Text | Kind::Comment) {
                if let Some(t) = n.text() {
                    out.decoded_text.insert(id, t.into());
                }
            }
            out.nodes.push(NodeData {
                parent,
                next_sibling: NONE,
                start: r.start as u32,
                end: r.end as u32,
                tag: tag(
                    kind,
                    ns.min(MAX_NAMESPACES as u32),
                    name & (MAX_NAMES as u32 - 1),
                ),
            });
        }
        out
    }

    fn empty(text: &'i str, nodes: usize) -> Self {
        Document {
            text,
            nodes: Vec::with_capacity(nodes),
            names: vec![""],
            namespaces: Vec::new(),
            decoded_text: HashMap::new(),
            decoded_attr: HashMap::new(),
            attr_ns: HashMap::new(),
        }
    }

    fn namespace_id(&mut self, uri: Option<&str>) -> u32 {
        let Some(uri) = uri else { return 0 };
        match self.namespaces.iter().position(|u| u == uri) {
            Some(i) => i as u32 + 1,
            None => {
                self.namespaces.push(uri.to_string());
                self.namespaces.len() as u32
            }
        }
    }

    /// An attribute's value: its bytes, or their decoding when they hold a reference or a
    /// line break.
    fn attr_value(&self, start: usize, end: usize) -> &str {
        let raw = self.text.get(start..end).unwrap_or("");
        if !self.decoded_attr.is_empty()
            && raw
                .bytes()
                .any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
        {
            if let Some(v) = self.decoded_attr.get(&(start as u32)) {
                return v;
            }
        }
        raw
    }

    fn namespace(&self, id: u32) -> Option<&str> {
        id.checked_sub(1)
            .and_then(|i| self.namespaces.get(i as usize))
            .map(String::as_str)
    }

    pub fn root(&self) -> Node<'_, 'i> {
        Node { doc: self, id: 0 }
    }

    /// The root element (the parser guarantees there is one).
    pub fn root_element(&self) -> Node<'_, 'i> {
        self.root()
            .children()
            .find(Node::is_element)
            .unwrap_or(self.root())
    }

    pub fn descendants(&self) -> impl Iterator<Item = Node<'_, 'i>> + '_ {
        self.root().descendants()
    }

    pub fn input_text(&self) -> &'i str {
        self.text
    }

    /// Bytes held by the tree (not counting the text), for the benchmark notes.
    pub fn heap_size(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<NodeData>()
            + self.names.capacity() * std::mem::size_of::<&str>()
    }
}

fn intern<'i>(names: &mut Vec<&'i str>, index: &mut HashMap<&'i str, u32>, name: &'i str) -> u32 {
    *index.entry(name).or_insert_with(|| {
        names.push(name);
        (names.len() - 1) as u32
    })
}

/// The local part of the qualified name starting at `at`.
fn qname_local(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '=' | '/' | '>'))
        .unwrap_or(rest.len());
    let q = &rest[..end];
    q.rsplit(':').next().unwrap_or(q)
}

impl<'a, 'i: 'a> Node<'a, 'i> {
    fn d(&self) -> &'a NodeData {
        &self.doc.nodes[self.id as usize]
    }
    fn at(&self, id: u32) -> Option<Node<'a, 'i>> {
        (id != NONE).then_some(Node { doc: self.doc, id })
    }

    pub fn id(&self) -> NodeId {
        NodeId(self.id)
    }
    pub fn document(&self) -> &'a Document<'i> {
        self.doc
    }
    pub fn is_root(&self) -> bool {
        self.d().kind() == Kind::Root
    }
    pub fn is_element(&self) -> bool {
        self.d().kind() == Kind::Element
    }
    pub fn is_text(&self) -> bool {
        self.d().kind() == Kind::Text
    }
    pub fn is_comment(&self) -> bool {
        self.d().kind() == Kind::Comment
    }
    pub fn is_pi(&self) -> bool {
        self.d().kind() == Kind::Pi
    }

    pub fn tag_name(&self) -> ExpandedName<'a> {
        let d = self.d();
        if d.kind() != Kind::Element {
            return ExpandedName {
                namespace: None,
                name: "",
            };
        }
        ExpandedName {
            namespace: self.doc.namespace((d.tag >> NAME_BITS) & 0x1F),
            name: self.doc.names[(d.tag & (MAX_NAMES as u32 - 1)) as usize],
        }
    }

    /// Whether this is an element with this local name.
    pub fn has_tag_name(&self, name: &str) -> bool {
        self.is_element() && self.tag_name().name() == name
    }

    pub fn attributes(&self) -> Attributes<'a, 'i> {
        let d = self.d();
        let b = self.doc.text.as_bytes();
        let mut pos = d.start as usize + 1;
        if d.kind() == Kind::Element {
            // Past the element's name.
            while b
                .get(pos)
                .is_some_and(|c| !is_xml_space(*c) && *c != b'/' && *c != b'>')
            {
                pos += 1;
            }
        } else {
            pos = b.len();
        }
        Attributes { doc: self.doc, pos }
    }

    /// The names and values of the attributes without namespace, in one reading of the start
    /// tag (for a reader that needs several of them: each `attribute` reads the tag again).
    pub fn plain_attributes(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.attributes()
            .filter(|a| a.namespace().is_none())
            .map(|a| (a.name(), a.value()))
    }

    /// The value of the attribute without namespace with this local name. The tree does not
    /// store attributes (they were a third of its memory): the start tag is read again, up
    /// to the attribute asked for.
    pub fn attribute(&self, name: impl AsRef<str>) -> Option<&'a str> {
        let name = name.as_ref().as_bytes();
        // Namespace declarations are not attributes, and a qualified name is never asked.
        if self.d().kind() != Kind::Element || name == b"xmlns" || name.contains(&b':') {
            return None;
        }
        let text = self.doc.text.as_bytes();
        let mut pos = self.attributes().pos;
        // `name` holds no colon: a prefixed name never equals it (an empty prefix, which
        // roxmltree takes for none, aside).
        while let Some(r) = read_attr::<false>(text, &mut pos) {
            let written = text
                .get(r.start as usize..r.name_end as usize)
                .unwrap_or(b"");
            if written == name || written.strip_prefix(b":") == Some(name) {
                return Some(
                    self.doc
                        .attr_value(r.value_start as usize, r.value_end as usize),
                );
            }
        }
        None
    }

    pub fn has_attribute(&self, name: impl AsRef<str>) -> bool {
        self.attribute(name).is_some()
    }

    pub fn range(&self) -> Range<usize> {
        self.d().start as usize..self.d().end as usize
    }

    /// An element's first child text, or a text's or comment's content.
    pub fn text(&self) -> Option<&'a str> {
        match self.d().kind() {
            Kind::Element => self.first_child().filter(Node::is_text)?.text(),
            Kind::Text | Kind::Comment => Some(match self.doc.decoded_text.get(&self.id) {
                Some(t) => t,
                None => {
                    let d = self.d();
                    let (s, e) = (d.start as usize, d.end as usize);
                    if d.kind() == Kind::Comment {
                        &self.doc.text[s + 4..e - 3]
                    } else if self.doc.text[s..].starts_with("<![CDATA[") {
                        &self.doc.text[s + 9..e - 3]
                    } else {
                        &self.doc.text[s..e]
                    }
                }
            }),
            _ => None,
        }
    }

    pub fn parent(&self) -> Option<Node<'a, 'i>> {
        self.at(self.d().parent)
    }
    pub fn parent_element(&self) -> Option<Node<'a, 'i>> {
        self.ancestors().skip(1).find(Node::is_element)
    }
    /// Self, then each parent up to the root.
    pub fn ancestors(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        std::iter::successors(Some(*self), Node::parent)
    }

    pub fn first_child(&self) -> Option<Node<'a, 'i>> {
        let next = self.id + 1;
        self.doc
            .nodes
            .get(next as usize)
            .filter(|n| n.parent == self.id)
            .map(|_| Node {
                doc: self.doc,
                id: next,
            })
    }
    pub fn last_child(&self) -> Option<Node<'a, 'i>> {
        self.children().last()
    }
    pub fn has_children(&self) -> bool {
        self.first_child().is_some()
    }
    pub fn next_sibling(&self) -> Option<Node<'a, 'i>> {
        self.at(self.d().next_sibling)
    }
    pub fn prev_sibling(&self) -> Option<Node<'a, 'i>> {
        let mut c = self.parent()?.first_child()?;
        if c == *self {
            return None;
        }
        loop {
            let n = c.next_sibling()?;
            if n == *self {
                return Some(c);
            }
            c = n;
        }
    }
    pub fn children(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        std::iter::successors(self.first_child(), Node::next_sibling)
    }
    /// Self, then each following sibling.
    pub fn next_siblings(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        std::iter::successors(Some(*self), Node::next_sibling)
    }
    /// Self, then each preceding sibling, nearest first.
    pub fn prev_siblings(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        let mut before: Vec<Node<'a, 'i>> = match self.parent() {
            Some(p) => p.children().take_while(|c| c != self).collect(),
            None => Vec::new(),
        };
        before.push(*self);
        before.into_iter().rev()
    }
    /// Self and everything inside, in document order.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
        let end = self
            .ancestors()
            .map(|a| a.d().next_sibling)
            .find(|s| *s != NONE)
            .unwrap_or(self.doc.nodes.len() as u32);
        let doc = self.doc;
        (self.id..end).map(move |id| Node { doc, id })
    }
}

mod parser;
use parser::Parser;

#[cfg(test)]
mod tests;
