//! XML escaping, in one place for the three contexts the project writes into: element content
//! and attribute values that fixes write back into a user's file (`escape_text`, `escape_attr`:
//! as little as XML requires, so a fixed file stays close to its original), and whole documents
//! we write ourselves, reports and generated exports (`escape_markup`: safe in content and in
//! either quote).

/// Escapes `s` through `map` (the replacement of each character that needs one).
fn escape_with(s: &str, map: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match map(c) {
            Some(r) => out.push_str(r),
            None => out.push(c),
        }
    }
    out
}

/// Escapes a value for element content: `&`, `<`, `>`, and CR as a character reference (line-end
/// normalisation would otherwise drop it).
pub fn escape_text(s: &str) -> String {
    escape_with(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\r' => Some("&#13;"),
        _ => None,
    })
}

/// Escapes a value for an XML attribute delimited by `quote` (`"` or `'`): `&`, `<`, that
/// quote, and the white space that attribute normalisation would turn into spaces; names keep
/// their apostrophes as written (replacement text of fixes).
pub fn escape_attr(s: &str, quote: char) -> String {
    escape_with(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '"' if quote == '"' => Some("&quot;"),
        '\'' if quote == '\'' => Some("&apos;"),
        '\t' => Some("&#9;"),
        '\n' => Some("&#10;"),
        '\r' => Some("&#13;"),
        _ => None,
    })
}

/// Escapes text for a document we write from scratch (HTML and JUnit reports): usable in
/// content and in attributes of either quote; control characters XML 1.0 forbids become
/// spaces (tab and line feed kept).
pub fn escape_markup(s: &str) -> String {
    escape_with(s, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&apos;"),
        c if (c as u32) < 0x20 && c != '\n' && c != '\t' => Some(" "),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_context_escapes_what_it_must() {
        assert_eq!(escape_attr("a\"b&c'", '"'), "a&quot;b&amp;c'");
        assert_eq!(escape_attr("a\"b'\n", '\''), "a\"b&apos;&#10;");
        assert_eq!(escape_text("a<b & c>\r\"'"), "a&lt;b &amp; c&gt;&#13;\"'");
        assert_eq!(
            escape_markup("<a href='x'>\"&\u{1}\t"),
            "&lt;a href=&apos;x&apos;&gt;&quot;&amp; \t"
        );
        assert_eq!(escape_text("rien à échapper"), "rien à échapper");
        assert_eq!(escape_text("é&é"), "é&amp;é");
    }
}
