//! The parser for plain documents: None hands the text to roxmltree (`Document::parse`).

use std::collections::{HashMap, HashSet};

use super::{
    intern, tag, Document, Kind, Node, NodeData, MAX_NAMES, MAX_NAMESPACES, NAME_BITS, NONE,
};

struct Open<'i> {
    id: u32,
    qname: &'i str,
    /// Namespace bindings in force before this element's own.
    scope_len: usize,
    last_child: u32,
    /// An element child was read: whitespace after it is layout.
    has_element: bool,
}

pub(super) struct Parser<'i> {
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
    /// A run of whitespace inside an element, not yet a node: what follows decides whether it
    /// is layout, left out of the tree (`super::is_layout`), or text.
    pending_space: Option<(usize, usize)>,
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
    pub(super) fn run(text: &'i str) -> Option<Document<'i>> {
        if text.len() >= NONE as usize {
            return None;
        }
        let b = text.as_bytes();
        if has_non_xml_char(b) {
            return None;
        }
        let lt = memcount(b, b'<');
        let mut p = Parser {
            b,
            text,
            pos: 0,
            doc: Document::empty(text, 2 * lt + 1),
            index: HashMap::new(),
            scope: Vec::new(),
            stack: Vec::new(),
            after_text: false,
            merging: None,
            pending_space: None,
            root_last_child: NONE,
            pending: Vec::new(),
        };
        p.doc.nodes.push(NodeData {
            parent: NONE,
            next_sibling: NONE,
            start: 0,
            end: text.len() as u32,
            tag: tag(Kind::Root, 0, 0),
        });
        p.document()?;
        p.end_text();
        p.doc.nodes.shrink_to_fit();
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
                            decoded,
                        });
                    }
                }
            }
        }
        let ns = self.resolve(prefix)?;
        // The resolved names, to refuse a duplicate (by set beyond a few, so that a tag with
        // thousands of attributes stays linear).
        let mut seen: Vec<(u32, &str)> = Vec::new();
        let mut seen_set: HashSet<(u32, &str)> = HashSet::new();
        for a in pending.drain(..) {
            let ans = if a.prefix.is_empty() {
                0
            } else {
                self.resolve(a.prefix)?
            };
            if ans == NONE {
                return None;
            }
            let key = (ans, a.local);
            if seen.len() < 16 {
                if seen.contains(&key) {
                    return None;
                }
                seen.push(key);
            } else {
                if seen_set.is_empty() {
                    seen_set.extend(seen.iter().copied());
                }
                if !seen_set.insert(key) {
                    return None;
                }
            }
            if ans != 0 {
                self.doc.attr_ns.insert(a.start as u32, ans);
            }
            if let Some(v) = a.decoded {
                self.doc
                    .decoded_attr
                    .insert(a.value_start as u32, v.into_boxed_str());
            }
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
        if let Some(parent) = self.stack.last_mut() {
            parent.has_element = true;
        }
        if empty {
            self.scope.truncate(scope_len);
            return Some(());
        }
        self.stack.push(Open {
            id,
            qname,
            scope_len,
            last_child: NONE,
            has_element: false,
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
            if let Some((start, end)) = self.pending_space.take() {
                // Kept as text when CDATA follows (they make one text node), or when it is the
                // content of an element without element children so far (`<a> </a>`).
                let has_element = self.stack.last().is_some_and(|o| o.has_element);
                let markup =
                    rest.starts_with(b"</") || rest.starts_with(b"<!--") || rest.starts_with(b"<?");
                if rest.starts_with(b"<![CDATA[") || (markup && !has_element) {
                    let raw = &self.text[start..end];
                    let owned = raw.contains('\r').then(|| normalize_newlines(raw));
                    self.char_data(start, end, raw, owned);
                }
            }
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
        // Indentation between elements: a third of an export's nodes, which no rule reads.
        if !self.after_text && !self.stack.is_empty() && raw.bytes().all(is_space) {
            self.pending_space = Some((start, end));
            return Some(());
        }
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
