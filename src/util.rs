//! Small shared helpers: edit distance for « vouliez-vous dire », TOML errors in French, XML
//! escaping (`escape`).

mod escape;
pub use escape::{escape_attr, escape_markup, escape_text};

/// Gives the allocator's free memory back to the system (glibc keeps it otherwise: a service
/// would hold the peak of its last burst for good, a large check its validation tables).
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

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
    format!("{at}{}", toml_message_fr(msg))
}

/// The message of a TOML or serde error in French. The libraries write English: every message
/// they produce is matched here by its shape; an unknown one becomes a general French message
/// rather than English text.
pub fn toml_message_fr(msg: &str) -> String {
    let msg = msg.trim();
    let tick = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    for (prefix, what) in [
        ("invalid type: ", "valeur de type incorrect"),
        ("invalid value: ", "valeur invalide"),
    ] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
            return format!(
                "{what} : {} alors qu'il faut {}",
                found_fr(found),
                expected_fr(expected)
            );
        }
    }
    if msg == "wanted string or table" {
        // An enumeration's value written as a number, a list…
        return "valeur de type incorrect : un texte entre guillemets est attendu (une des valeurs admises)".into();
    }
    if msg.starts_with("number too large") || msg.starts_with("number too small") {
        return "nombre hors des limites admises".into();
    }
    if msg.starts_with("duplicate key") {
        return format!("clé « {} » donnée deux fois", tick(msg));
    }
    if msg.starts_with("missing field") {
        return format!("clé obligatoire « {} » absente", tick(msg));
    }
    if msg.starts_with("unknown field") {
        return format!("clé inconnue « {} »", tick(msg));
    }
    if msg.starts_with("unknown variant") {
        return format!("valeur « {} » inconnue", tick(msg));
    }
    // Syntax errors: « what\nexpected `x`, `y` » or « expected `x` ».
    let mut lines = msg.lines();
    let first = lines.next().unwrap_or("");
    let (what, expected) = match first.strip_prefix("expected ") {
        Some(e) => (None, Some(e.to_string())),
        None => (
            Some(first),
            lines
                .next()
                .map(|l| l.strip_prefix("expected ").unwrap_or(l).to_string()),
        ),
    };
    let what = match what.unwrap_or("") {
        "" => "syntaxe TOML invalide (valeur absente ?)",
        "invalid table header" => "en-tête de table [ … ] invalide",
        "invalid array of tables" => "en-tête de liste de tables [[ … ]] invalide",
        "invalid key" => "clé invalide",
        "invalid array" => "liste [ … ] invalide ou non refermée",
        "invalid inline table" => "table { … } invalide ou non refermée",
        "invalid string" => "valeur absente, ou texte écrit sans guillemets",
        "invalid basic string" | "invalid literal string" => {
            "texte entre guillemets invalide ou non refermé"
        }
        "invalid multiline basic string" | "invalid multiline literal string" => {
            "texte sur plusieurs lignes invalide ou non refermé"
        }
        "invalid date-time" => "date invalide",
        "invalid number" | "invalid integer" | "invalid floating-point number" => "nombre invalide",
        "invalid unicode 4-digit hex code"
        | "invalid unicode 8-digit hex code"
        | "invalid escape sequence" => "séquence d'échappement (\\…) invalide",
        "value is out of range" => "valeur hors limites",
        w if w.starts_with("invalid ") => "valeur invalide",
        _ => "syntaxe TOML invalide",
    };
    match expected.filter(|e| e.contains('`') || e.contains("newline")) {
        Some(e) => {
            let tokens: Vec<String> = e
                .split(", ")
                .map(|t| match t.trim() {
                    "newline" => "une fin de ligne".to_string(),
                    t => format!("« {} »", t.trim_matches('`')),
                })
                .collect();
            format!("{what} : attendu {}", tokens.join(" ou "))
        }
        None => what.to_string(),
    }
}

/// What serde found, in French (`string "x"`, `integer `3``…).
fn found_fr(found: &str) -> String {
    let tick = found.split('`').nth(1);
    match found.split([' ', '`']).next().unwrap_or("") {
        "string" => format!(
            "le texte {}",
            found.strip_prefix("string ").unwrap_or("").trim()
        ),
        "integer" => format!("le nombre entier {}", tick.unwrap_or("")),
        "floating" => format!("le nombre décimal {}", tick.unwrap_or("")),
        "boolean" => format!("la valeur {}", tick.unwrap_or("")),
        "sequence" => "une liste".into(),
        "map" => "une table".into(),
        "char" => format!("le caractère {}", tick.unwrap_or("")),
        "unit" | "option" => "une valeur vide".into(),
        _ => "une valeur d'un autre type".into(),
    }
}

/// What serde expected, in French (`i64`, `a boolean`, `struct Periode`…).
fn expected_fr(expected: &str) -> &'static str {
    let e = expected.trim();
    match e {
        "u8" | "u16" | "u32" | "u64" | "usize" => "un nombre entier positif",
        "i8" | "i16" | "i32" | "i64" | "isize" | "an integer" | "a signed integer" => {
            "un nombre entier"
        }
        "f32" | "f64" | "a float" | "a number" => "un nombre",
        "a boolean" => "true ou false",
        "a string" | "a borrowed string" | "a character" | "char" => "un texte entre guillemets",
        "a sequence" => "une liste [ … ]",
        "a map" => "une table",
        _ if e.starts_with("struct ") || e.starts_with("a map") => "une table",
        _ if e.starts_with("enum ") || e.starts_with("variant ") => "une des valeurs admises",
        _ if e.contains("date") => "une date AAAA-MM-JJ",
        _ => "une valeur d'un autre type",
    }
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

/// The quote character delimiting an attribute value that starts at byte `value_start`.
pub fn quote_before(text: &str, value_start: usize) -> char {
    match text.as_bytes().get(value_start.wrapping_sub(1)) {
        Some(b'\'') => '\'',
        _ => '"',
    }
}

/// « 1 erreur », « 3 erreurs »; French: 0 and 1 take the singular (« 0 erreur »).
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n <= 1 {
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

/// Large blocks (a file's text, its tree, the findings) are mapped on their own from 256 KiB
/// on, and unmapped when freed: glibc otherwise raises that threshold after the first large
/// free, and later large blocks stay in the heap once freed.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator, before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// Gives the allocator's free pages back to the system (glibc keeps them otherwise: the
/// reference files' trees, freed after loading, would stay in the process's memory while the
/// LSU file is checked).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Sorts `v` by `key`, stably, without the buffer of `sort_by_key` (as large as `v` itself:
/// on a big file's findings, megabytes at the memory peak): the keys with their indices are
/// sorted, and the elements moved along the permutation's cycles.
pub fn sort_by_key_in_place<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    let mut order: Vec<(K, usize)> = v.iter().enumerate().map(|(i, x)| (key(x), i)).collect();
    // The index breaks ties: the order of equal keys is kept.
    order.sort_unstable();
    // `from[j]`: where the element that goes to `j` is now.
    let mut from: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
    for i in 0..from.len() {
        let mut j = i;
        loop {
            let k = from[j];
            from[j] = j;
            if k == i {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests;
