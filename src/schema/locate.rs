//! Where a libxml2 error is in the file: libxml2 gives a line and the column where the parser
//! stood (after the `>` of the start or end tag); the element is found in the tree by its name
//! and that place, and the finding spans the attribute or the start tag.

use std::collections::HashMap;

use super::classify::Violation;
use super::validate::RawError;
use crate::model;
use crate::rules::Ctx;
use crate::source::LineIndex;
use crate::xml::Node;

/// Elements of the document grouped by local name, in document order, with line lookups.
pub struct Locator<'a, 'i> {
    by_name: HashMap<&'a str, Vec<Node<'a, 'i>>>,
    lines: &'a LineIndex<'i>,
    text: &'i str,
    /// Start offset of the last node chosen per name: errors come in document order.
    cursor: HashMap<String, usize>,
}

impl<'a, 'i> Locator<'a, 'i> {
    /// `lines`: the file's line index, built once by the engine.
    pub fn new(ctx: &Ctx<'a, 'i>, lines: &'a LineIndex<'i>) -> Self {
        let mut by_name: HashMap<&'a str, Vec<Node<'a, 'i>>> = HashMap::new();
        for n in ctx.doc.descendants().filter(Node::is_element) {
            by_name.entry(n.tag_name().name()).or_default().push(n);
        }
        Locator {
            by_name,
            lines,
            text: ctx.text,
            cursor: HashMap::new(),
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.lines.line_of(offset) + 1
    }

    /// The element an error is about: same name, on the error's line (start tag, else end
    /// tag, else anywhere inside), satisfying `pred` when some candidate does, and the first
    /// after the previous pick for that name.
    fn find(
        &mut self,
        e: &RawError,
        end_tag: bool,
        pred: &dyn Fn(Node) -> bool,
    ) -> Option<Node<'a, 'i>> {
        let name = e.element.as_deref()?;
        let list = self.by_name.get(name)?;
        if let Some(p) = e.at {
            let i = list.partition_point(|n| n.range().start < p);
            if let Some(&n) = list.get(i).filter(|n| n.range().start == p) {
                self.cursor.insert(name.to_string(), p);
                return Some(n);
            }
        }
        // Exact place first: the parser stands right after the `>` of the tag concerned.
        if e.line > 0 && e.column > 0 {
            let p = self.lines.offset(self.text, e.line, e.column);
            let text = self.text;
            let idx = list.partition_point(|n| n.range().start < p);
            // The expected tag first; then the other one, since libxml2 reports some errors
            // at the end tag (a facet of an element's text is checked when it closes).
            let at = |n: &Node, end: bool| {
                if end {
                    n.range().end == p
                } else {
                    model::start_tag_range(*n, text).1 == p
                }
            };
            let near = || list[..idx].iter().rev().take(64).copied();
            let hit = near()
                .find(|n| at(n, end_tag))
                .or_else(|| near().find(|n| at(n, !end_tag)));
            if let Some(n) = hit {
                self.cursor.insert(name.to_string(), n.range().start);
                return Some(n);
            }
        }
        let line0 = e.line.saturating_sub(1);
        let lstart = self.lines.line_start(line0);
        let lend = if line0 + 1 < self.lines.line_count() {
            self.lines.line_start(line0 + 1)
        } else {
            self.text.len() + 1
        };
        let idx = list.partition_point(|n| n.range().start < lend);
        let mut cands: Vec<Node> = Vec::new();
        let mut i = idx;
        while i > 0 {
            i -= 1;
            let n = list[i];
            if n.range().end < lstart {
                // Same-name elements do not nest in LSU files: nothing earlier can reach the line.
                if n.range().start < lstart {
                    break;
                }
                continue;
            }
            cands.push(n);
            if n.range().start < lstart {
                break;
            }
        }
        cands.reverse();
        if cands.is_empty() {
            return None;
        }
        let text = self.text;
        let tag_on_line = |n: &Node| {
            let (s, t) = model::start_tag_range(*n, text);
            self.line(s) <= e.line && e.line <= self.line(t.saturating_sub(1))
        };
        let end_on_line = |n: &Node| self.line(n.range().end.saturating_sub(1)) == e.line;
        let tiers: [&dyn Fn(&Node) -> bool; 2] = if end_tag {
            [&end_on_line, &tag_on_line]
        } else {
            [&tag_on_line, &end_on_line]
        };
        let mut pool: Vec<Node> = cands.iter().copied().filter(|n| pred(*n)).collect();
        if pool.is_empty() {
            pool = cands;
        }
        for tier in tiers {
            let t: Vec<Node> = pool.iter().copied().filter(|n| tier(n)).collect();
            if !t.is_empty() {
                pool = t;
                break;
            }
        }
        let after = self.cursor.get(name).copied();
        let pick = pool
            .iter()
            .copied()
            .find(|n| after.is_none_or(|a| n.range().start > a))
            .or_else(|| pool.first().copied())?;
        self.cursor.insert(name.to_string(), pick.range().start);
        Some(pick)
    }
}

/// The element an error is about and the byte range of the finding: the attribute, else the
/// start tag, else the error's line.
pub(super) fn locate<'a, 'i>(
    ctx: &Ctx<'a, 'i>,
    loc: &mut Locator<'a, 'i>,
    e: &RawError,
    what: &Violation,
) -> (Option<Node<'a, 'i>>, usize, usize) {
    let attr = e.attribute.as_deref();
    let end_tag = what.at_end_tag(attr);
    // Among same-name elements on the line, prefer the one the message can be about.
    let pred: Box<dyn Fn(Node) -> bool> = match (what, attr) {
        (Violation::MissingAttribute(a), _) => {
            let a = a.to_string();
            Box::new(move |n: Node| !n.has_attribute(a.as_str()))
        }
        (Violation::AttributeNotAllowed(a), _) => {
            let a = a.to_string();
            Box::new(move |n: Node| n.has_attribute(a.as_str()))
        }
        (
            Violation::Enumeration { value, .. }
            | Violation::Pattern { value, .. }
            | Violation::Atomic { value, .. }
            | Violation::Range { value, .. }
            | Violation::Digits { value, .. },
            Some(a),
        ) => {
            let (a, v) = (a.to_string(), value.to_string());
            Box::new(move |n: Node| {
                n.attribute(a.as_str())
                    .is_some_and(|x| x == v || x.trim() == v.trim())
            })
        }
        (_, Some(a)) => {
            let a = a.to_string();
            Box::new(move |n: Node| n.has_attribute(a.as_str()))
        }
        _ => Box::new(|_: Node| true),
    };
    let node = loc.find(e, end_tag, &*pred);
    let (start, end) = match (node, attr) {
        (Some(n), Some(a)) => model::attr_range(n, a).unwrap_or_else(|| ctx.tag_range(n)),
        (Some(n), None) => ctx.tag_range(n),
        (None, _) => line_range(loc, e.line),
    };
    (node, start, end)
}

fn line_range(loc: &Locator, line: usize) -> (usize, usize) {
    if line == 0 {
        return (0, 0);
    }
    let s = loc.lines.line_start(line - 1);
    let e = loc.text[s..]
        .find('\n')
        .map(|i| s + i)
        .unwrap_or(loc.text.len());
    (s, e)
}
