//! A compact read-only tree of an LSU file: nodes and attributes are byte spans into the text
//! (names interned, values decoded only when they hold a reference or a line break), about a
//! third of a roxmltree document's memory. It exposes the part of roxmltree's API the rules use,
//! with the same node structure, ranges and values, except that the indentation between
//! elements is left out (`is_layout`).
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
/// Set in an attribute's `name` when its value differs from its source bytes (entity or
/// character references): only then is `decoded_attr` consulted, not on every value read.
pub(crate) const DECODED_ATTR: u32 = 1 << 31;
/// An attribute's namespace, from its packed `name`.
const fn attr_ns(name: u32) -> u32 {
    (name >> NAME_BITS) & 0x1F
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Root = 0,
    Element = 1,
    Text = 2,
    Comment = 3,
    Pi = 4,
}

/// One node: 24 bytes. Nodes are stored in document order, so a node's first child, if any,
/// is the next node.
#[derive(Clone, Copy, Debug)]
struct NodeData {
    parent: u32,
    next_sibling: u32,
    start: u32,
    end: u32,
    /// kind (3 bits) | namespace (5 bits) | name id (24 bits).
    tag: u32,
    /// Index of the element's first attribute (for other nodes: the attribute count so far).
    attrs: u32,
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

/// One attribute: 16 bytes.
#[derive(Clone, Copy, Debug)]
struct AttrData {
    /// namespace (5 bits) | name id (24 bits).
    name: u32,
    /// Start of the qualified name.
    start: u32,
    /// The value inside the quotes.
    value_start: u32,
    value_end: u32,
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
    attrs: Vec<AttrData>,
    names: Vec<&'i str>,
    namespaces: Vec<String>,
    /// Values and texts that differ from their source bytes, by node or attribute index.
    decoded_text: HashMap<u32, Box<str>>,
    decoded_attr: HashMap<u32, Box<str>>,
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

/// An attribute of an element.
#[derive(Clone, Copy)]
pub struct Attribute<'a, 'i: 'a> {
    doc: &'a Document<'i>,
    idx: u32,
}

impl<'a, 'i: 'a> Attribute<'a, 'i> {
    fn d(&self) -> &'a AttrData {
        &self.doc.attrs[self.idx as usize]
    }
    pub fn name(&self) -> &'a str {
        self.doc.names[(self.d().name & (MAX_NAMES as u32 - 1)) as usize]
    }
    pub fn namespace(&self) -> Option<&'a str> {
        self.doc.namespace(attr_ns(self.d().name))
    }
    pub fn value(&self) -> &'a str {
        let d = self.d();
        if d.name & DECODED_ATTR != 0 {
            if let Some(v) = self.doc.decoded_attr.get(&self.idx) {
                return v;
            }
        }
        &self.doc.text[d.value_start as usize..d.value_end as usize]
    }
    /// From the name to the closing quote.
    pub fn range(&self) -> Range<usize> {
        self.d().start as usize..self.d().value_end as usize + 1
    }
    /// The value inside the quotes.
    pub fn range_value(&self) -> Range<usize> {
        self.d().value_start as usize..self.d().value_end as usize
    }
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
        let mut out = Document::empty(text, doc.descendants().count(), 0);
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
                    let ar = a.range();
                    let local = qname_local(text, ar.start);
                    let ans = out.namespace_id(a.namespace());
                    let an = intern(&mut out.names, &mut names, local);
                    let vr = a.range_value();
                    let idx = out.attrs.len() as u32;
                    let mut flag = 0;
                    if &text[vr.clone()] != a.value() {
                        out.decoded_attr.insert(idx, a.value().into());
                        flag = DECODED_ATTR;
                    }
                    out.attrs.push(AttrData {
                        name: flag | (ans << NAME_BITS) | an,
                        start: ar.start as u32,
                        value_start: vr.start as u32,
                        value_end: vr.end as u32,
                    });
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
                attrs: if kind == Kind::Element {
                    out.attrs.len() as u32 - n.attributes().len() as u32
                } else {
                    out.attrs.len() as u32
                },
            });
        }
        out
    }

    fn empty(text: &'i str, nodes: usize, attrs: usize) -> Self {
        Document {
            text,
            nodes: Vec::with_capacity(nodes),
            attrs: Vec::with_capacity(attrs),
            names: vec![""],
            namespaces: Vec::new(),
            decoded_text: HashMap::new(),
            decoded_attr: HashMap::new(),
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
            + self.attrs.capacity() * std::mem::size_of::<AttrData>()
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

    fn attr_range(&self) -> Range<usize> {
        let d = self.d();
        if d.kind() != Kind::Element {
            return 0..0;
        }
        let end = self
            .doc
            .nodes
            .get(self.id as usize + 1)
            .map(|n| n.attrs as usize)
            .unwrap_or(self.doc.attrs.len());
        d.attrs as usize..end
    }

    pub fn attributes(
        &self,
    ) -> impl ExactSizeIterator<Item = Attribute<'a, 'i>> + DoubleEndedIterator + 'a {
        let doc = self.doc;
        self.attr_range()
            .map(move |i| Attribute { doc, idx: i as u32 })
    }

    /// The value of the attribute without namespace with this local name.
    pub fn attribute(&self, name: impl AsRef<str>) -> Option<&'a str> {
        let name = name.as_ref();
        self.attributes()
            .find(|a| attr_ns(a.d().name) == 0 && a.name() == name)
            .map(|a| a.value())
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
