//! X003 carriage-return-in-text: a carriage return kept in a value — written as a character
//! reference (`&#13;`, `&#xD;`, what DOM serialisers emit) or a raw CR outside a CRLF line
//! break. In XSD patterns `.` excludes CR, so a `ChaineN` value holding one fails validation and
//! LSU rejects the file.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::for_each_value;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::X003,
    degree: None,
    check,
};

/// The variants of X003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "carriage-return-in-text",
    title: "retour chariot dans un texte",
    agir: Agir::Fichier,
    action: "Lancer lsu-lint fix, qui remplace les retours chariot par des sauts de ligne simples.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_value(ctx.doc, |node, attr, _value, (s, e)| {
        let raw = ctx.slice(s, e);
        if !raw.contains('\r') && !raw.contains("&#") {
            return;
        }
        let edits = carriage_returns(raw, s, attr.is_some());
        if edits.is_empty() {
            return;
        }
        let name = match attr {
            Some(a) => format!("{}/@{a}", node.tag_name().name()),
            None => node.tag_name().name().to_string(),
        };
        let msg = message(&name, edits.len());
        let d = match attr {
            Some(a) => ctx.at_attr(node, a, Code::X003, msg),
            None => ctx.at_node(node, Code::X003, msg),
        };
        out.push(d.with_fix(Fix::safe(
            "Remplacer les retours chariot par des sauts de ligne",
            edits,
        )));
    });
}

/// The one wording of X003, for the rule and the schema error alike.
fn message(field: &str, n: usize) -> String {
    let what = match n {
        1 => "un retour chariot".to_string(),
        n => format!("{n} retours chariot"),
    };
    format!(
        "« {field} » contient {what} (CR, souvent écrit &#13;) : le schéma LSU ne les admet pas dans un texte et LSU refuse le fichier entier"
    )
}

/// Edits removing every carriage return of a raw value starting at byte `base`: dropped when a
/// line feed follows, else replaced by a line feed (a space in an attribute, where a raw line
/// break would become a space anyway).
pub fn carriage_returns(raw: &str, base: usize, in_attr: bool) -> Vec<Edit> {
    let lf = if in_attr { " " } else { "\n" };
    let b = raw.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let (len, is_cr) = if b[i] == b'\r' {
            (1, true)
        } else if b[i] == b'&' && b.get(i + 1) == Some(&b'#') {
            match char_ref(&raw[i..]) {
                Some((len, 13)) => (len, true),
                Some((len, _)) => (len, false),
                None => (1, false),
            }
        } else {
            (1, false)
        };
        if is_cr {
            let rest = &raw[i + len..];
            let lf_follows = rest.starts_with('\n') || matches!(char_ref(rest), Some((_, 10)));
            // A raw CRLF is an ordinary line break, normalised by every XML parser.
            if !(b[i] == b'\r' && rest.starts_with('\n')) {
                let rep = if lf_follows { "" } else { lf };
                edits.push(Edit::replace(base + i, base + i + len, rep));
            }
        }
        i += len;
    }
    edits
}

/// A numeric character reference at the start of `s`: (byte length, code point).
fn char_ref(s: &str) -> Option<(usize, u32)> {
    let rest = s.strip_prefix("&#")?;
    let end = rest.find(';')?;
    let body = &rest[..end];
    let v = match body.strip_prefix('x') {
        Some(h) => u32::from_str_radix(h, 16).ok()?,
        None => body.parse().ok()?,
    };
    Some((2 + end + 1, v))
}

/// Words a schema error routed to X003 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Pattern { value, .. } = &e.what else {
        return None;
    };
    let n = e.value_or(value).matches('\r').count();
    let field = crate::rules::text::field_name(e.elem, e.attr);
    Some(e.finding(Code::X003, message(&field, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(raw: &str, in_attr: bool) -> String {
        let mut s = raw.to_string();
        for e in carriage_returns(raw, 0, in_attr).iter().rev() {
            s.replace_range(e.start..e.end, &e.replacement);
        }
        s
    }

    #[test]
    fn carriage_return_forms() {
        assert_eq!(apply("a&#13;b", false), "a\nb");
        assert_eq!(apply("a&#xD;&#10;b", false), "a&#10;b");
        assert_eq!(apply("a&#x0d;\nb", false), "a\nb");
        assert_eq!(apply("a\rb", false), "a\nb");
        assert_eq!(apply("a\r\nb", false), "a\r\nb");
        assert_eq!(apply("a&#13;b", true), "a b");
        assert_eq!(apply("a&#233;&amp;b", false), "a&#233;&amp;b");
        assert!(carriage_returns("ligne\r\nsuite", 0, false).is_empty());
    }
}
