//! Small shared helpers: edit distance for « vouliez-vous dire », TOML errors in French.

/// Levenshtein distance over characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest candidate within a small distance, for « vouliez-vous dire … ? ».
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let w = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (levenshtein(&w, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min()
        .map(|(_, c)| c)
}

/// A TOML deserialisation error in French, with the line and a did-you-mean for unknown keys.
pub fn toml_error_fr(e: &toml::de::Error, text: &str, known: &[&str]) -> String {
    let msg = e.message();
    let line = e
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let at = line.map(|l| format!("ligne {l} : ")).unwrap_or_default();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let hint = did_you_mean(key, known)
            .map(|k| format!(" (vouliez-vous dire « {k} » ?)"))
            .unwrap_or_default();
        return format!("{at}clé inconnue « {key} »{hint}");
    }
    format!("{at}{}", msg.trim())
}

/// XSD white space collapsing trims space, tab, LF and CR only (not every Unicode space).
pub fn xs_trim(v: &str) -> &str {
    v.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// Lower-case, accents removed (NFD minus combining marks), spaces collapsed: for loose matching.
pub fn fold(s: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    out
}

/// A person's name reduced for comparison between the LSU file and the reference data: folded
/// (case, accents), and only letters and digits kept, so « Le Goff », « LE-GOFF » and « Legoff »
/// compare equal while a different name does not.
pub fn name_key(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Escapes a value for an XML attribute delimited by `quote` (`"` or `'`): `&`, `<`, that
/// quote, and the white space that attribute normalisation would turn into spaces; names keep
/// their apostrophes as written (replacement text of fixes).
pub fn escape_attr(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' if quote == '"' => out.push_str("&quot;"),
            '\'' if quote == '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
    out
}

/// The quote character delimiting an attribute value that starts at byte `value_start`.
pub fn quote_before(text: &str, value_start: usize) -> char {
    match text.as_bytes().get(value_start.wrapping_sub(1)) {
        Some(b'\'') => '\'',
        _ => '"',
    }
}

/// « 1 erreur », « 3 erreurs ».
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// « Socle incomplet » from « socle incomplet »: titles start a line in reports.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// How a file is named in every report: relative to the working directory when it lies below
/// it (CI services resolve paths against the repository), without `./` steps (`check .` names
/// `x.xml`, not `./x.xml`); other paths as given.
pub fn display_path(path: &std::path::Path) -> String {
    use std::path::{Component, Path, PathBuf};
    let tidy = |p: &Path| -> PathBuf {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir))
            .collect()
    };
    let shown = if path.is_absolute() {
        let cwd = std::env::current_dir().ok();
        let below = |base: &Path| path.strip_prefix(base).ok().map(tidy);
        cwd.as_deref()
            .and_then(|c| {
                below(c).or_else(|| {
                    // The same folder reached through a symbolic link.
                    let (c, p) = (c.canonicalize().ok()?, path.canonicalize().ok()?);
                    p.strip_prefix(c).ok().map(tidy)
                })
            })
            .filter(|rel| !rel.as_os_str().is_empty())
            .unwrap_or_else(|| tidy(path))
    } else {
        tidy(path)
    };
    if shown.as_os_str().is_empty() {
        ".".to_string()
    } else {
        shown.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::display_path;
    use std::path::Path;

    #[test]
    fn report_paths_are_relative_to_the_working_directory() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            display_path(&cwd.join("exports/a b.xml")),
            "exports/a b.xml"
        );
        assert_eq!(display_path(Path::new("./x.xml")), "x.xml");
        assert_eq!(display_path(Path::new("./d/./x.xml")), "d/x.xml");
        assert_eq!(display_path(Path::new("../x.xml")), "../x.xml");
        // Outside the working directory: as given.
        let outside = cwd.parent().unwrap().join("ailleurs-lsu-lint/x.xml");
        assert_eq!(display_path(&outside), outside.display().to_string());
    }
}
