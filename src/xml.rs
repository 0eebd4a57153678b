//! A compact read-only tree of an LSU file: nodes and attributes are byte spans into the text
//! (names interned, values decoded only when they hold a reference or a line break), about a
//! third of a roxmltree document's memory. It exposes the part of roxmltree's API the rules use,
//! with the same node structure, ranges and values.
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

/// Why the tree could not be built: roxmltree's error, as before.
pub type Error = roxmltree::Error;

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
        self.doc.namespace(self.d().name >> NAME_BITS)
    }
    pub fn value(&self) -> &'a str {
        match self.doc.decoded_attr.get(&self.idx) {
            Some(v) => v,
            None => {
                let d = self.d();
                &self.doc.text[d.value_start as usize..d.value_end as usize]
            }
        }
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
        for n in doc.descendants() {
            let id = out.nodes.len() as u32;
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
                    if &text[vr.clone()] != a.value() {
                        out.decoded_attr.insert(idx, a.value().into());
                    }
                    out.attrs.push(AttrData {
                        name: (ans << NAME_BITS) | an,
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
            .find(|a| a.d().name >> NAME_BITS == 0 && a.name() == name)
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

// ---------------------------------------------------------------------------------------------
// The parser for plain documents: None hands the text to roxmltree.

struct Open<'i> {
    id: u32,
    qname: &'i str,
    /// Namespace bindings in force before this element's own.
    scope_len: usize,
    last_child: u32,
}

struct Parser<'i> {
    b: &'i [u8],
    text: &'i str,
    pos: usize,
    doc: Document<'i>,
    index: HashMap<&'i str, u32>,
    /// (prefix, namespace id) bindings, innermost last; "" is the default namespace.
    scope: Vec<(&'i str, u32)>,
    stack: Vec<Open<'i>>,
    /// The previous token was character data (text or CDATA): the next one merges into it.
    after_text: bool,
    /// The text node being extended by merges, and its text so far (appended to, never
    /// rebuilt: alternating text and CDATA stays linear).
    merging: Option<(u32, String)>,
    root_last_child: u32,
    /// Attributes of the start tag being read (a buffer kept across elements).
    pending: Vec<Pending<'i>>,
}

/// An attribute read from a start tag, before namespaces are known.
struct Pending<'i> {
    prefix: &'i str,
    local: &'i str,
    start: usize,
    value_start: usize,
    value_end: usize,
    decoded: Option<String>,
}

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')
}

impl<'i> Parser<'i> {
    fn run(text: &'i str) -> Option<Document<'i>> {
        if text.len() >= NONE as usize {
            return None;
        }
        let b = text.as_bytes();
        if has_non_xml_char(b) {
            return None;
        }
        let lt = memcount(b, b'<');
        let eq = memcount(b, b'=');
        let mut p = Parser {
            b,
            text,
            pos: 0,
            doc: Document::empty(text, 2 * lt + 1, eq),
            index: HashMap::new(),
            scope: Vec::new(),
            stack: Vec::new(),
            after_text: false,
            merging: None,
            root_last_child: NONE,
            pending: Vec::new(),
        };
        p.doc.nodes.push(NodeData {
            parent: NONE,
            next_sibling: NONE,
            start: 0,
            end: text.len() as u32,
            tag: tag(Kind::Root, 0, 0),
            attrs: 0,
        });
        p.document()?;
        p.end_text();
        p.doc.nodes.shrink_to_fit();
        p.doc.attrs.shrink_to_fit();
        Some(p.doc)
    }

    fn document(&mut self) -> Option<()> {
        if self.b.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.pos = 3;
        }
        if self.rest().starts_with(b"<?xml ") {
            self.declaration()?;
        }
        self.misc()?;
        if self.rest().starts_with(b"<!") || self.peek() != Some(b'<') {
            return None;
        }
        self.element()?;
        self.misc()?;
        (self.pos == self.b.len()).then_some(())
    }

    fn rest(&self) -> &'i [u8] {
        &self.b[self.pos.min(self.b.len())..]
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }
    fn skip_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
        self.pos > start
    }
    fn find(&self, pat: &[u8]) -> Option<usize> {
        let rest = self.rest();
        if pat.len() == 1 {
            return rest.iter().position(|c| *c == pat[0]).map(|p| self.pos + p);
        }
        let mut from = 0;
        while let Some(p) = rest[from..].iter().position(|c| *c == pat[0]) {
            let at = from + p;
            if rest[at..].starts_with(pat) {
                return Some(self.pos + at);
            }
            from = at + 1;
        }
        None
    }

    /// `version`, optional `encoding` and `standalone`, with simple values only.
    fn declaration(&mut self) -> Option<()> {
        self.pos += 5;
        let mut seen = 0;
        for name in [&b"version"[..], b"encoding", b"standalone"] {
            let had_space = self.skip_spaces();
            if !self.rest().starts_with(name) {
                if seen == 0 {
                    return None;
                }
                continue;
            }
            if !had_space {
                return None;
            }
            self.pos += name.len();
            self.skip_spaces();
            if self.peek() != Some(b'=') {
                return None;
            }
            self.pos += 1;
            self.skip_spaces();
            let q = self.peek().filter(|q| matches!(q, b'"' | b'\''))?;
            self.pos += 1;
            let start = self.pos;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
            {
                self.pos += 1;
            }
            if self.pos == start || self.peek() != Some(q) {
                return None;
            }
            self.pos += 1;
            seen += 1;
        }
        self.skip_spaces();
        if !self.rest().starts_with(b"?>") {
            return None;
        }
        self.pos += 2;
        Some(())
    }

    fn misc(&mut self) -> Option<()> {
        loop {
            self.skip_spaces();
            if self.rest().starts_with(b"<!--") {
                self.comment()?;
            } else if self.rest().starts_with(b"<?") {
                self.pi()?;
            } else {
                return Some(());
            }
        }
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize, t: u32) -> u32 {
        let id = self.doc.nodes.len() as u32;
        let parent = self.stack.last().map(|o| o.id).unwrap_or(0);
        let last = match self.stack.last_mut() {
            Some(o) => &mut o.last_child,
            None => &mut self.root_last_child,
        };
        let prev = std::mem::replace(last, id);
        if prev != NONE {
            self.doc.nodes[prev as usize].next_sibling = id;
        }
        self.doc.nodes.push(NodeData {
            parent,
            next_sibling: NONE,
            start: start as u32,
            end: end as u32,
            tag: tag(kind, 0, 0) | t,
            attrs: self.doc.attrs.len() as u32,
        });
        id
    }

    fn comment(&mut self) -> Option<()> {
        let start = self.pos;
        self.pos += 4;
        let end = self.find(b"-->")?;
        let body = &self.text[self.pos..end];
        if body.contains("--") || body.ends_with('-') {
            return None;
        }
        self.pos = end + 3;
        self.end_text();
        self.push(Kind::Comment, start, self.pos, 0);
        Some(())
    }

    fn pi(&mut self) -> Option<()> {
        if self.rest().starts_with(b"<?xml ") {
            return None;
        }
        let start = self.pos;
        self.pos += 2;
        self.name()?;
        let end = self.find(b"?>")?;
        self.pos = end + 2;
        self.end_text();
        self.push(Kind::Pi, start, self.pos, 0);
        Some(())
    }

    /// An ASCII name without colon.
    fn name(&mut self) -> Option<&'i str> {
        let start = self.pos;
        if !self.peek().is_some_and(is_name_start) {
            return None;
        }
        while self.peek().is_some_and(is_name) {
            self.pos += 1;
        }
        // A non-ASCII or odd name character: roxmltree decides.
        if self.peek().is_some_and(|c| c >= 0x80) {
            return None;
        }
        Some(&self.text[start..self.pos])
    }

    /// (prefix, local, qualified name).
    fn qname(&mut self) -> Option<(&'i str, &'i str, &'i str)> {
        let start = self.pos;
        let first = self.name()?;
        if self.peek() == Some(b':') {
            self.pos += 1;
            let local = self.name()?;
            if self.peek() == Some(b':') {
                return None;
            }
            return Some((first, local, &self.text[start..self.pos]));
        }
        Some(("", first, first))
    }

    fn resolve(&self, prefix: &str) -> Option<u32> {
        if prefix == "xml" {
            return Some(self.xml_ns());
        }
        match self.scope.iter().rev().find(|(p, _)| *p == prefix) {
            Some((_, ns)) => Some(*ns),
            None if prefix.is_empty() => Some(0),
            None => None,
        }
    }

    fn xml_ns(&self) -> u32 {
        self.doc
            .namespaces
            .iter()
            .position(|u| u == XML_NS)
            .map(|i| i as u32 + 1)
            .unwrap_or(NONE)
    }

    fn element(&mut self) -> Option<()> {
        let start = self.pos;
        self.pos += 1;
        let (prefix, local, qname) = self.qname()?;
        if prefix == "xmlns" {
            return None;
        }
        if self.stack.len() >= crate::parse::MAX_DEPTH {
            // Deeper than any LSU file: roxmltree (after `parse::guard`) decides.
            return None;
        }
        let scope_len = self.scope.len();
        let first_attr = self.doc.attrs.len();
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        let empty;
        loop {
            let had_space = self.skip_spaces();
            match self.peek()? {
                b'/' => {
                    if self.b.get(self.pos + 1) != Some(&b'>') {
                        return None;
                    }
                    self.pos += 2;
                    empty = true;
                    break;
                }
                b'>' => {
                    self.pos += 1;
                    empty = false;
                    break;
                }
                _ => {
                    if !had_space {
                        return None;
                    }
                    let astart = self.pos;
                    let (ap, al, _) = self.qname()?;
                    self.skip_spaces();
                    if self.peek() != Some(b'=') {
                        return None;
                    }
                    self.pos += 1;
                    self.skip_spaces();
                    let q = self.peek().filter(|q| matches!(q, b'"' | b'\''))?;
                    self.pos += 1;
                    let vstart = self.pos;
                    let vend = self.find(&[q])?;
                    let raw = &self.text[vstart..vend];
                    if raw.contains('<') {
                        return None;
                    }
                    self.pos = vend + 1;
                    let decoded = if raw
                        .bytes()
                        .any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
                    {
                        Some(normalize_attribute(raw)?)
                    } else {
                        None
                    };
                    if ap == "xmlns" || (ap.is_empty() && al == "xmlns") {
                        let uri = decoded.as_deref().unwrap_or(raw);
                        let p = if ap.is_empty() { "" } else { al };
                        if uri == XML_NS
                            || uri == XMLNS_NS
                            || p == "xml"
                            || p == "xmlns"
                            || self.scope[scope_len..].iter().any(|(x, _)| *x == p)
                        {
                            return None;
                        }
                        if uri.is_empty() {
                            return None;
                        }
                        let ns = self.doc.namespace_id(Some(uri));
                        if ns as usize > MAX_NAMESPACES {
                            return None;
                        }
                        self.scope.push((p, ns));
                    } else {
                        pending.push(Pending {
                            prefix: ap,
                            local: al,
                            start: astart,
                            value_start: vstart,
                            value_end: vend,
                            decoded,
                        });
                    }
                }
            }
        }
        let ns = self.resolve(prefix)?;
        for (i, a) in pending.drain(..).enumerate() {
            let ans = if a.prefix.is_empty() {
                0
            } else {
                self.resolve(a.prefix)?
            };
            if ans == NONE {
                return None;
            }
            let name = intern(&mut self.doc.names, &mut self.index, a.local);
            if self.doc.names.len() > MAX_NAMES {
                return None;
            }
            let packed = (ans << NAME_BITS) | name;
            if self.doc.attrs[first_attr..]
                .iter()
                .any(|a| a.name == packed)
            {
                return None;
            }
            if let Some(v) = a.decoded {
                self.doc
                    .decoded_attr
                    .insert((first_attr + i) as u32, v.into_boxed_str());
            }
            self.doc.attrs.push(AttrData {
                name: packed,
                start: a.start as u32,
                value_start: a.value_start as u32,
                value_end: a.value_end as u32,
            });
        }
        self.pending = pending;
        if ns == NONE {
            return None;
        }
        let name = intern(&mut self.doc.names, &mut self.index, local);
        if self.doc.names.len() > MAX_NAMES {
            return None;
        }
        self.end_text();
        let id = self.push(Kind::Element, start, self.pos, (ns << NAME_BITS) | name);
        // `push` recorded the attribute count after this element's attributes.
        self.doc.nodes[id as usize].attrs = first_attr as u32;
        if empty {
            self.scope.truncate(scope_len);
            return Some(());
        }
        self.stack.push(Open {
            id,
            qname,
            scope_len,
            last_child: NONE,
        });
        self.content()
    }

    /// Children of the open element, up to and including its end tag.
    fn content(&mut self) -> Option<()> {
        loop {
            let lt = self.find(b"<")?;
            if lt > self.pos {
                self.text_run(self.pos, lt)?;
            }
            self.pos = lt;
            let rest = self.rest();
            if rest.starts_with(b"</") {
                self.pos += 2;
                let (_, _, qname) = self.qname()?;
                self.skip_spaces();
                if self.peek() != Some(b'>') {
                    return None;
                }
                self.pos += 1;
                let open = self.stack.pop()?;
                if open.qname != qname {
                    return None;
                }
                self.end_text();
                self.doc.nodes[open.id as usize].end = self.pos as u32;
                self.scope.truncate(open.scope_len);
                return Some(());
            } else if rest.starts_with(b"<!--") {
                self.comment()?;
            } else if rest.starts_with(b"<![CDATA[") {
                let start = self.pos;
                let end = self.find(b"]]>")?;
                let body = &self.text[start + 9..end];
                self.pos = end + 3;
                let owned = body.contains('\r').then(|| normalize_newlines(body));
                self.char_data(start, self.pos, body, owned);
            } else if rest.starts_with(b"<?") {
                self.pi()?;
            } else if rest.starts_with(b"<!") {
                return None;
            } else {
                self.element()?;
            }
        }
    }

    fn text_run(&mut self, start: usize, end: usize) -> Option<()> {
        let raw = &self.text[start..end];
        if raw.contains("]]>") {
            return None;
        }
        let owned = if raw.bytes().any(|c| c == b'&' || c == b'\r') {
            Some(decode_text(raw)?)
        } else {
            None
        };
        self.char_data(start, end, raw, owned);
        Some(())
    }

    /// Appends a text node, or extends the previous one (text next to CDATA is one node, with
    /// the first part's range).
    fn char_data(&mut self, start: usize, end: usize, raw: &'i str, owned: Option<String>) {
        if self.after_text {
            let last = self.doc.nodes.len() as u32 - 1;
            let merging = self.merging.get_or_insert_with(|| {
                let so_far = Node {
                    doc: &self.doc,
                    id: last,
                }
                .text()
                .unwrap_or("")
                .to_string();
                (last, so_far)
            });
            merging.1.push_str(owned.as_deref().unwrap_or(raw));
            return;
        }
        let id = self.push(Kind::Text, start, end, 0);
        if let Some(t) = owned {
            self.doc.decoded_text.insert(id, t.into_boxed_str());
        }
        self.after_text = true;
    }
}

impl Parser<'_> {
    /// Character data ends here: a merged text gets its final value.
    fn end_text(&mut self) {
        if let Some((id, t)) = self.merging.take() {
            self.doc.decoded_text.insert(id, t.into_boxed_str());
        }
        self.after_text = false;
    }
}

/// Control characters (other than tab and line ends) and U+FFFE / U+FFFF: `parse::decode`
/// blanks them, roxmltree names them.
fn has_non_xml_char(b: &[u8]) -> bool {
    b.iter().enumerate().any(|(i, &c)| {
        (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r'))
            || (c == 0xEF
                && b.get(i + 1) == Some(&0xBF)
                && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
    })
}

fn memcount(b: &[u8], c: u8) -> usize {
    b.iter().filter(|x| **x == c).count()
}

/// A reference at the start of `s` (`&…;`): the character and the length read. None for an
/// entity other than the five predefined ones, or a malformed reference.
fn reference(s: &str) -> Option<(char, usize)> {
    let end = s.find(';')?;
    let body = &s[1..end];
    let c = if let Some(num) = body.strip_prefix('#') {
        let (digits, radix) = match num.strip_prefix('x') {
            Some(h) => (h, 16),
            None => (num, 10),
        };
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let v = u32::from_str_radix(digits, radix).ok()?;
        let c = char::from_u32(v)?;
        let xml_char =
            matches!(v, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
        if !xml_char {
            return None;
        }
        c
    } else {
        match body {
            "quot" => '"',
            "amp" => '&',
            "apos" => '\'',
            "lt" => '<',
            "gt" => '>',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Attribute-value normalization (XML 1.0 §3.3.3) as roxmltree does it: line breaks and tabs
/// written as such become spaces (`\r\n` one space); characters from references are kept as
/// they are.
fn normalize_attribute(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let b = raw.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        match b[i] {
            b'&' => {
                let (c, len) = reference(&raw[i..])?;
                out.push(c);
                i += len;
            }
            b'\r' if b.get(i + 1) == Some(&b'\n') => i += 1,
            b'\r' | b'\n' | b'\t' => {
                out.push(' ');
                i += 1;
            }
            _ => {
                let c = raw[i..].chars().next()?;
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    Some(out)
}

/// Line ends normalized: `\r\n` and a lone `\r` become `\n`.
fn normalize_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Text with its references replaced and its line ends normalized, as roxmltree does: a
/// character from a reference is kept as is, and so is the byte right after it.
fn decode_text(raw: &str) -> Option<String> {
    let b = raw.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(raw.len());
    let mut as_is = false;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'&' {
            let (c, len) = reference(&raw[i..])?;
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            as_is = true;
            i += len;
            continue;
        }
        let c = b[i];
        i += 1;
        if as_is {
            out.push(c);
            as_is = false;
            continue;
        }
        let at_end = i == b.len();
        if out.last() == Some(&b'\r') {
            if let Some(l) = out.last_mut() {
                *l = b'\n';
            }
            if at_end && c == b'\r' {
                out.push(b'\n');
            } else if c != b'\n' {
                out.push(c);
            }
        } else if at_end && c == b'\r' {
            out.push(b'\n');
        } else {
            out.push(c);
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests;
