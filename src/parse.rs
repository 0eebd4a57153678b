//! Reading a file: raw bytes → strict UTF-8 (E002) → forbidden characters (E003) → BOM and
//! declaration (E004) → well-formedness (E001, roxmltree's verdict) → a compact tree with byte
//! ranges (`xml`).
//!
//! Forbidden characters are replaced by spaces of the same byte length in the text we parse, so
//! every offset still points into the original file and the rest of the file can be linted.

use crate::catalogue::Code;
use crate::xml::Document;
use roxmltree::ParsingOptions;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::source::LineIndex;

/// The text to parse, and the findings made while decoding it.
pub(crate) struct Decoded {
    /// Valid UTF-8, same length as the input, forbidden characters blanked. None when the bytes
    /// are not UTF-8 (then nothing else can be checked).
    pub text: Option<String>,
    pub findings: Vec<Diagnostic>,
}

/// More than this many findings of one kind in one file says nothing more.
const MAX_ENCODING_FINDINGS: usize = 200;

/// Takes the bytes by value: a valid UTF-8 file becomes the text without a copy.
pub(crate) fn decode(bytes: Vec<u8>) -> Decoded {
    let mut findings = Vec::new();
    // UTF-16 without BOM can be valid UTF-8 (ASCII and NUL bytes): recognised first.
    if let Some(utf16) = utf16_of(&bytes) {
        report_not_utf8(&bytes, Some(utf16), &mut findings);
        place_in_bytes(&bytes, 2, &mut findings);
        return Decoded {
            text: None,
            findings,
        };
    }
    let owned = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            report_not_utf8(e.as_bytes(), None, &mut findings);
            place_in_bytes(e.as_bytes(), 1, &mut findings);
            return Decoded {
                text: None,
                findings,
            };
        }
    };
    // The declaration is read before anything is blanked (a forbidden character in it is
    // reported as such, and the declaration as written).
    let mut prolog = Vec::new();
    check_prolog(&owned, &mut prolog);
    // One pass that reports the first forbidden characters and blanks all of them in place
    // with ASCII spaces of the same byte length: the text stays valid UTF-8, every offset still
    // points into the original file, and memory stays that of the file whatever their number.
    let mut bytes = owned.into_bytes();
    let mut n = 0usize;
    let mut i = 0;
    let mut rest = Rest::default();
    while let Some((start, end)) = next_forbidden(&bytes, &mut i) {
        if n + 1 < MAX_ENCODING_FINDINGS {
            findings.push(forbidden_finding(&bytes[start..end], start, end));
        } else if n + 1 == MAX_ENCODING_FINDINGS {
            // Kept aside: alone, it is an ordinary finding; with others, it stands for them.
            rest.single = Some(forbidden_finding(&bytes[start..end], start, end));
        }
        n += 1;
        if n >= MAX_ENCODING_FINDINGS {
            // Beyond the findings shown, one more stands for all the rest and its fix removes
            // them all: one run of `fix` repairs every forbidden character, however many.
            // Adjacent ones make one edit (a run of NULs is one deletion).
            rest.first.get_or_insert((start, end));
            match rest.edits.last_mut() {
                Some(last) if last.end == start => last.end = end,
                _ => rest.edits.push(Edit::delete(start, end)),
            }
            rest.count += 1;
        }
        bytes[start..end].fill(b' ');
    }
    if rest.count <= 1 {
        findings.extend(rest.single);
    } else if let Some((start, end)) = rest.first {
        findings.push(
            Diagnostic::new(
                Code::E003,
                start,
                end,
                format!(
                    "{} autres caractères interdits en XML 1.0 (le premier ici) : LSU refuse le fichier entier",
                    rest.count
                ),
            )
            .with_fix(Fix::safe(
                format!("Supprimer les {} autres caractères interdits", rest.count),
                rest.edits,
            )),
        );
    }
    findings.extend(prolog);
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: Some(text),
            findings,
        },
        // Unreachable: whole characters were replaced by ASCII spaces.
        Err(e) => {
            report_invalid_utf8(e.as_bytes(), &mut findings);
            Decoded {
                text: None,
                findings,
            }
        }
    }
}

/// Whether `decode` would return these bytes unchanged as the text: UTF-8 (not UTF-16 without
/// BOM) with no forbidden character. Then `prolog_findings` are its only findings, and the
/// bytes can be checked as they are, without a copy (`fix` keeps them across its checks).
pub(crate) fn decodes_as_is(bytes: &[u8]) -> bool {
    utf16_of(bytes).is_none()
        && std::str::from_utf8(bytes).is_ok()
        && next_forbidden(bytes, &mut 0).is_none()
}

/// The findings `decode` makes on a text for which `decodes_as_is` holds.
pub(crate) fn prolog_findings(text: &str) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    check_prolog(text, &mut findings);
    findings
}

/// The forbidden characters beyond the findings shown one by one.
#[derive(Default)]
struct Rest {
    /// The finding of the first of them, used as is when it is the only one.
    single: Option<Diagnostic>,
    first: Option<(usize, usize)>,
    count: usize,
    edits: Vec<Edit>,
}

/// The E003 finding for one forbidden character (or character reference) `raw` at `start..end`.
fn forbidden_finding(raw: &[u8], start: usize, end: usize) -> Diagnostic {
    let shown = String::from_utf8_lossy(raw);
    let (what, title) = if shown.starts_with("&#") {
        (
            format!("référence à un caractère interdit en XML 1.0 (« {shown} »)"),
            "Supprimer la référence au caractère interdit",
        )
    } else {
        let code = shown.chars().next().map(|c| c as u32).unwrap_or(0);
        (
            format!("caractère interdit en XML 1.0 (U+{code:04X})"),
            "Supprimer le caractère interdit",
        )
    };
    Diagnostic::new(
        Code::E003,
        start,
        end,
        format!("{what} : LSU refuse le fichier entier"),
    )
    .with_fix(Fix::safe(title, vec![Edit::delete(start, end)]))
}

/// The next forbidden character at or after `*i`, advancing `*i` past it.
fn next_forbidden(b: &[u8], i: &mut usize) -> Option<(usize, usize)> {
    while *i < b.len() {
        let at = *i;
        *i += 1;
        match b[at] {
            0..=8 | 0x0B | 0x0C | 0x0E..=0x1F => return Some((at, at + 1)),
            0xEF if b.get(at + 1) == Some(&0xBF) && matches!(b.get(at + 2), Some(0xBE | 0xBF)) => {
                *i = at + 3;
                return Some((at, at + 3));
            }
            b'&' if b.get(at + 1) == Some(&b'#') => {
                if let Some(end) = forbidden_reference(b, at) {
                    *i = end;
                    return Some((at, end));
                }
            }
            _ => {}
        }
    }
    None
}

/// Byte ranges, in file order, of the characters XML 1.0 forbids, raw and as character
/// references (`&#1;`, `&#x1F;`; `&#13;` is X003's).
#[cfg(test)]
fn forbidden_ranges(b: &[u8]) -> Vec<(usize, usize)> {
    let mut i = 0;
    std::iter::from_fn(|| next_forbidden(b, &mut i)).collect()
}

/// End of the character reference starting at `start` when it names a forbidden character.
fn forbidden_reference(b: &[u8], start: usize) -> Option<usize> {
    let mut j = start + 2;
    let hex = b.get(j) == Some(&b'x');
    if hex {
        j += 1;
    }
    let digits_start = j;
    while j < b.len() && b[j].is_ascii_hexdigit() {
        j += 1;
    }
    if j == digits_start || b.get(j) != Some(&b';') {
        return None;
    }
    let digits = std::str::from_utf8(&b[digits_start..j]).ok()?;
    let v = if hex {
        u32::from_str_radix(digits, 16).ok()?
    } else {
        digits.parse::<u32>().ok()?
    };
    let forbidden = matches!(v, 0..=8 | 0xB | 0xC | 0xE..=0x1F | 0xFFFE | 0xFFFF)
        || (0xD800..=0xDFFF).contains(&v)
        || v > 0x10FFFF;
    forbidden.then_some(j + 1)
}

/// Lines and columns of findings in a file that is not UTF-8 (no text to count characters in):
/// columns count code units of `unit` bytes, which is characters for the single-byte encodings
/// and UTF-16 text of the Basic Multilingual Plane.
fn place_in_bytes(bytes: &[u8], unit: usize, findings: &mut [Diagnostic]) {
    let lines = LineIndex::new(bytes);
    for d in findings {
        let line0 = lines.line_of(d.start);
        let start = lines.line_start(line0);
        d.line = line0 + 1;
        d.column = d.start.saturating_sub(start) / unit.max(1) + 1;
    }
}

/// UTF-16 (little- or big-endian) from its byte-order mark or, without one, from the NUL bytes
/// around the first `<`; with whether a BOM is there.
fn utf16_of(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, bool)> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some((encoding_rs::UTF_16LE, true));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some((encoding_rs::UTF_16BE, true));
    }
    // `<?` or `<l…` (a first element) written on two bytes per character.
    match bytes.get(..4)? {
        [b'<', 0, c, 0] if c.is_ascii_graphic() => Some((encoding_rs::UTF_16LE, false)),
        [0, b'<', 0, c] if c.is_ascii_graphic() => Some((encoding_rs::UTF_16BE, false)),
        _ => None,
    }
}

/// A file that is not UTF-8: S001 when its root element shows it is not an LSU export at all
/// (a Siècle or LSL export saved in Latin-9, for instance: transcoding it would not make it an
/// LSU file); else E002, saying whether it is UTF-16 or, by default, a single-byte encoding.
fn report_not_utf8(
    bytes: &[u8],
    utf16: Option<(&'static encoding_rs::Encoding, bool)>,
    findings: &mut Vec<Diagnostic>,
) {
    let head = &bytes[..bytes.len().min(16 * 1024)];
    let (encoding, text) = match utf16 {
        Some((enc, _)) => (enc, enc.decode_without_bom_handling(head).0),
        None => (
            encoding_rs::WINDOWS_1252,
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(head)
                .0,
        ),
    };
    let what_encoding = match utf16 {
        Some((enc, bom)) => format!(
            "UTF-16 {}{}",
            if enc == encoding_rs::UTF_16LE {
                "petit-boutiste"
            } else {
                "gros-boutiste"
            },
            if bom { " avec BOM" } else { " sans BOM" }
        ),
        None => "ISO-8859-15 ou Windows-1252".to_string(),
    };
    let root = crate::refdata::read::sniff_root(text.trim_start_matches('\u{feff}'));
    if let Some((root, what)) =
        root.and_then(|r| Some((r, crate::refdata::detect::describe_root(r)?)))
    {
        findings.push(Diagnostic::new(
            Code::S001,
            0,
            0,
            format!(
                "l'élément racine est « {root} » : c'est {what} (encodé en {what_encoding}), pas un export LSU ; LSU refusera le fichier"
            ),
        ));
        return;
    }
    let Some((enc, bom)) = utf16 else {
        report_invalid_utf8(bytes, findings);
        return;
    };
    let mut d = Diagnostic::new(
        Code::E002,
        0,
        if bom { 2 } else { 0 },
        format!(
            "le fichier est encodé en {what_encoding} : LSU exige de l'UTF-8 (réenregistrer le fichier en UTF-8)"
        ),
    );
    let (full, had_errors) = enc.decode_without_bom_handling(bytes);
    if !had_errors {
        let body = full.trim_start_matches('\u{feff}');
        let fixed = declare_utf8(body);
        d = d.with_fix(Fix::unsafe_(
            format!("Transcoder le fichier de {} en UTF-8", encoding.name()),
            vec![Edit::replace(0, bytes.len(), fixed)],
        ));
    }
    findings.push(d);
}

/// The text with its XML declaration's encoding, if any, set to UTF-8.
fn declare_utf8(text: &str) -> String {
    if let Some(decl_end) = text.strip_prefix("<?xml").and_then(|r| r.find("?>")) {
        let decl = &text[..decl_end + 7];
        if let Some(at) = decl.find("encoding") {
            let rest = &decl[at..];
            if let Some(q) = rest.find(['"', '\'']) {
                let quote = &rest[q..q + 1];
                if let Some(len) = rest[q + 1..].find(quote) {
                    let (vs, ve) = (at + q + 1, at + q + 1 + len);
                    return format!("{}UTF-8{}", &text[..vs], &text[ve..]);
                }
            }
        }
    }
    text.to_string()
}

fn report_invalid_utf8(bytes: &[u8], findings: &mut Vec<Diagnostic>) {
    // Every invalid sequence, so that one fix can transcode them all at once.
    let mut bad: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(_) => break,
            Err(e) => {
                let start = pos + e.valid_up_to();
                let len = e.error_len().unwrap_or(bytes.len() - start).max(1);
                bad.push((start, start + len));
                pos = start + len;
            }
        }
    }
    // The likely cause is a Windows-1252 (or ISO-8859-15) export: each invalid sequence, read
    // that way, gives the intended characters. Unsafe: a byte could also mean something else.
    let edits: Vec<Edit> = bad
        .iter()
        .map(|&(s, e)| {
            let (t, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes[s..e]);
            Edit::replace(s, e, t.into_owned())
        })
        .collect();
    let total = bad.len();
    // One finding per line (a Latin-1 file has an invalid byte in every accented word): its
    // first sequence locates it, the message lists them all. Positions here: there is no text
    // for the engine to compute them from. Lines are counted once over the file.
    // (line, byte offset of its start, its invalid sequences)
    type Line = (usize, usize, Vec<(usize, usize)>);
    let mut by_line: Vec<Line> = Vec::new();
    let mut line = 1;
    let mut line_start = 0;
    let mut scanned = 0;
    for &(start, end) in &bad {
        for (k, b) in bytes[scanned..start].iter().enumerate() {
            if *b == b'\n' {
                line += 1;
                line_start = scanned + k + 1;
            }
        }
        scanned = start;
        match by_line.last_mut() {
            Some((l, _, seqs)) if *l == line => seqs.push((start, end)),
            _ => {
                if by_line.len() == MAX_ENCODING_FINDINGS {
                    break;
                }
                by_line.push((line, line_start, vec![(start, end)]));
            }
        }
    }
    let shown = |(start, end): (usize, usize)| {
        let hex: Vec<String> = bytes[start..end]
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect();
        let (guess, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes[start..end]);
        (hex.join(" "), guess.into_owned())
    };
    for (i, (line, line_start, seqs)) in by_line.into_iter().enumerate() {
        let (start, end) = seqs[0];
        // Columns count characters; an invalid sequence counts as one.
        let column = String::from_utf8_lossy(&bytes[line_start..start])
            .chars()
            .count()
            + 1;
        let what = if let [one] = seqs.as_slice() {
            let (hex, guess) = shown(*one);
            format!("octets invalides en UTF-8 : {hex} (« {guess} » en Windows-1252 ?)")
        } else {
            let list: Vec<String> = seqs
                .iter()
                .map(|&q| {
                    let (hex, guess) = shown(q);
                    format!("{hex} (« {guess} »)")
                })
                .collect();
            format!(
                "{} séquences d'octets invalides en UTF-8 sur cette ligne : {} (lues en Windows-1252 ?)",
                seqs.len(),
                list.join(", ")
            )
        };
        let mut d = Diagnostic::new(
            Code::E002,
            start,
            end,
            format!(
                "{what} ; le fichier a sans doute été enregistré en Windows-1252 ou ISO-8859-15, LSU exige de l'UTF-8"
            ),
        );
        d.line = line;
        d.column = column;
        if i == 0 {
            d = d.with_fix(Fix::unsafe_(
                format!(
                    "Transcoder de Windows-1252 en UTF-8 {}",
                    if total > 1 {
                        format!("les {total} séquences invalides du fichier")
                    } else {
                        "la séquence invalide du fichier".to_string()
                    }
                ),
                edits.clone(),
            ));
        }
        findings.push(d);
    }
}

/// E004: byte-order mark, and an XML declaration that is missing or announces another encoding.
fn check_prolog(text: &str, findings: &mut Vec<Diagnostic>) {
    let mut off = 0;
    if text.starts_with('\u{FEFF}') {
        findings.push(
            Diagnostic::new(
                Code::E004,
                0,
                3,
                "le fichier commence par une marque d'ordre des octets (BOM) UTF-8 ; certains outils la refusent",
            )
            .with_kind("bom")
            .with_fix(Fix::safe("Supprimer la marque BOM", vec![Edit::delete(0, 3)])),
        );
        off = 3;
    }
    let rest = &text[off..];
    if !rest.starts_with("<?xml") {
        let msg = "déclaration XML absente en tête du fichier (<?xml version=\"1.0\" encoding=\"UTF-8\"?>)";
        findings.push(
            Diagnostic::new(Code::E004, off, off, msg)
                .with_kind("declaration")
                .with_fix(Fix::safe(
                    "Ajouter la déclaration XML",
                    vec![Edit::insert(
                        off,
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                    )],
                )),
        );
        return;
    }
    let decl_end = rest.find("?>").map(|e| e + 2).unwrap_or(rest.len());
    let decl = &rest[..decl_end];
    if let Some(p) = decl.find("encoding") {
        let after = &decl[p + 8..];
        let q = after.find(['"', '\'']);
        if let Some(q) = q {
            let quote = after.as_bytes()[q] as char;
            let vstart = q + 1;
            if let Some(vlen) = after[vstart..].find(quote) {
                let value = &after[vstart..vstart + vlen];
                if !value.eq_ignore_ascii_case("UTF-8") {
                    let abs = off + p + 8 + vstart;
                    findings.push(
                        Diagnostic::new(
                            Code::E004,
                            abs,
                            abs + vlen,
                            format!("la déclaration annonce l'encodage « {value} » alors que le contenu est en UTF-8 ; LSU attend encoding=\"UTF-8\""),
                        )
                        .with_kind("declaration")
                        .with_fix(Fix::safe(
                            "Déclarer encoding=\"UTF-8\"",
                            vec![Edit::replace(abs, abs + vlen, "UTF-8")],
                        )),
                    );
                }
            }
        }
    }
}

/// Options for every parse: no DTD at all (LSU files have none; this also shuts out external
/// entities and entity-expansion bombs before libxml2 ever sees the file).
pub(crate) fn options() -> ParsingOptions {
    ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::MAX,
    }
}

/// Deeper nesting than this is refused before parsing: LSU files are about 8 levels deep,
/// libxml2 stops at 256 by default, and the tree parser recurses once per level (a hostile file
/// nested 100,000 deep would otherwise exhaust the stack).
pub(crate) const MAX_DEPTH: usize = 256;

/// More attributes than this on one element is refused before parsing: LSU elements carry at
/// most about fifteen, and duplicate-attribute checks cost the square of the count.
pub(crate) const MAX_ATTRIBUTES: usize = 1000;

/// What `too_deep` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Excess {
    Depth,
    Attributes,
}

/// Byte offset of the first start tag deeper than `MAX_DEPTH` or with more than
/// `MAX_ATTRIBUTES` attributes, if any. A light scan over tags that skips comments, CDATA
/// sections, processing instructions and quoted attribute values.
pub(crate) fn too_deep(text: &str) -> Option<(usize, Excess)> {
    let b = text.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while i < b.len() {
        let Some(p) = b[i..].iter().position(|c| *c == b'<') else {
            break;
        };
        let start = i + p;
        let rest = &b[start..];
        let skip_to = |pat: &[u8]| {
            rest.windows(pat.len())
                .position(|w| w == pat)
                .map(|q| start + q + pat.len())
                .unwrap_or(b.len())
        };
        if rest.starts_with(b"<!--") {
            i = skip_to(b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = skip_to(b"]]>");
        } else if rest.starts_with(b"<?") {
            i = skip_to(b"?>");
        } else if rest.starts_with(b"<!") {
            i = skip_to(b">");
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = skip_to(b">");
        } else {
            // A start tag: find its end outside quotes; `/>` closes it at once.
            let mut j = start + 1;
            let mut quote = 0u8;
            let mut attributes = 0usize;
            while j < b.len() {
                let c = b[j];
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                    attributes += 1;
                    if attributes > MAX_ATTRIBUTES {
                        return Some((start, Excess::Attributes));
                    }
                } else if c == b'>' {
                    break;
                }
                j += 1;
            }
            let empty = j > 0 && j < b.len() && b[j - 1] == b'/';
            if !empty {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((start, Excess::Depth));
                }
            }
            i = j + 1;
        }
    }
    None
}

/// Refuses, as one E001 finding, a text nested too deep or with too many attributes on one
/// element, before any parser (ours or libxml2's) sees it.
pub(crate) fn guard(text: &str) -> Result<(), Box<Diagnostic>> {
    let Some((at, what)) = too_deep(text) else {
        return Ok(());
    };
    let end = text
        .get(at..)
        .and_then(|t| t.find('>'))
        .map(|e| at + e + 1)
        .unwrap_or(text.len());
    let why = match what {
        Excess::Depth => format!(
            "éléments imbriqués sur plus de {MAX_DEPTH} niveaux (un fichier LSU en compte une dizaine)"
        ),
        Excess::Attributes => format!(
            "un élément porte plus de {MAX_ATTRIBUTES} attributs (un élément LSU en a au plus une quinzaine)"
        ),
    };
    Err(Box::new(Diagnostic::new(
        Code::E001,
        at,
        end,
        format!("XML refusé : {why} ; fichier corrompu ou hostile, LSU refuse le fichier entier"),
    )))
}

/// Parses the decoded text; a well-formedness error becomes one E001 finding. Call `guard`
/// first (the engine does, before anything else reads the text).
pub(crate) fn parse<'i>(text: &'i str, lines: &LineIndex) -> Result<Document<'i>, Box<Diagnostic>> {
    Document::parse(text).map_err(|e| {
        let pos = e.pos();
        let start = match e {
            // This error carries no position: the file ends where more was expected.
            roxmltree::Error::UnclosedRootNode => text.trim_end().len(),
            _ => lines.offset(text, pos.row as usize, pos.col as usize),
        };
        let end = text
            .get(start..)
            .unwrap_or("")
            .char_indices()
            .nth(1)
            .map(|(i, _)| start + i)
            .unwrap_or(text.len());
        let mut d = Diagnostic::new(Code::E001, start, end, well_formedness_message(&e));
        let entity = matches!(
            e,
            roxmltree::Error::UnknownEntityReference(..)
                | roxmltree::Error::MalformedEntityReference(..)
        );
        if let Some(fix) = entity_fix(text, start) {
            d = d.with_fix(fix);
            // Only an entity error is repaired by the fix; elsewhere it is a mere guess.
            if entity {
                d = d.with_kind("entite-html");
            }
        }
        Box::new(d)
    })
}

pub(crate) fn well_formedness_message(e: &roxmltree::Error) -> String {
    use roxmltree::Error as E;
    let what = match e {
        E::DtdDetected => "une déclaration DOCTYPE est présente ; un fichier LSU n'en a pas et lsu-lint ne la traite pas (protection contre les entités hostiles)".to_string(),
        E::UnknownEntityReference(name, _) => format!("entité « &{name}; » inconnue en XML (entité HTML ? écrire le caractère lui-même)"),
        E::MalformedEntityReference(_) => "« & » isolé : il doit s'écrire &amp;".to_string(),
        E::UnexpectedCloseTag(open, close, _) => format!("balise fermante </{close}> alors que <{open}> est ouverte"),
        E::UnexpectedEntityCloseTag(_) => "balise fermante inattendue dans une entité".to_string(),
        E::UnclosedRootNode => "l'élément racine n'est pas refermé (fichier tronqué ?)".to_string(),
        E::DuplicatedAttribute(name, _) => format!("l'attribut « {name} » apparaît deux fois sur le même élément"),
        E::UnknownNamespace(p, _) => format!("préfixe d'espace de noms « {p} » non déclaré"),
        E::NoRootNode => "aucun élément racine : fichier vide ou tronqué".to_string(),
        E::InvalidXmlPrefixUri(_) | E::UnexpectedXmlUri(_) | E::UnexpectedXmlnsUri(_) | E::InvalidElementNamePrefix(_) => "usage incorrect des espaces de noms xml/xmlns".to_string(),
        E::EntityReferenceLoop(_) => "boucle de références d'entités".to_string(),
        E::NodesLimitReached | E::AttributesLimitReached | E::NamespacesLimitReached => "document trop volumineux pour être analysé".to_string(),
        E::InvalidAttributeValue(_) => "valeur d'attribut invalide (« < » interdit dans une valeur d'attribut)".to_string(),
        E::DuplicatedNamespace(p, _) => format!("l'espace de noms « {p} » est déclaré deux fois sur le même élément"),
        E::UnexpectedDeclaration(_) => "déclaration XML (<?xml …?>) ailleurs qu'en tout début de fichier".to_string(),
        E::InvalidName(_) => "nom d'élément ou d'attribut invalide".to_string(),
        E::NonXmlChar(c, _) => format!("caractère interdit en XML (U+{:04X})", u32::from(*c)),
        E::InvalidChar(expected, found, _) => format!(
            "« {} » trouvé là où « {} » était attendu",
            char::from(*found).escape_default(),
            char::from(*expected).escape_default()
        ),
        E::InvalidChar2(expected, found, _) => format!(
            "« {} » trouvé là où {} était attendu",
            char::from(*found).escape_default(),
            expected_fr(expected)
        ),
        E::InvalidString(expected, _) => format!("« {expected} » attendu"),
        E::InvalidExternalID(_) => "identifiant externe de DOCTYPE invalide".to_string(),
        E::InvalidComment(_) => "commentaire invalide (« -- » interdit dans un commentaire, ou commentaire non refermé)".to_string(),
        E::InvalidCharacterData(_) => "texte invalide (« ]]> » interdit hors d'une section CDATA)".to_string(),
        E::UnknownToken(_) => "syntaxe XML invalide (balise ou texte mal écrit)".to_string(),
        // The type is open to new variants: never English text in a finding.
        _ => "syntaxe XML invalide".to_string(),
    };
    format!("XML mal formé : {what} ; LSU refuse le fichier entier")
}

/// roxmltree's descriptions of what it expected (`InvalidChar2`), in French.
fn expected_fr(expected: &str) -> String {
    match expected {
        "a whitespace" => "un espace".into(),
        "a quote" => "un guillemet".into(),
        "'>'" => "« > »".into(),
        "'[' or '>'" => "« [ » ou « > »".into(),
        "a quote, SYSTEM or PUBLIC" => "un guillemet, SYSTEM ou PUBLIC".into(),
        _ => "un autre caractère".into(),
    }
}

/// E001 safe fixes: `&` alone → `&amp;`, common HTML named entities → the character.
fn entity_fix(text: &str, at: usize) -> Option<Fix> {
    // `get` rather than slicing: `at` may be past the end or inside a multi-byte character.
    let upto = text.get(..at.saturating_add(1).min(text.len()))?;
    let amp = upto.rfind('&').filter(|&p| at.saturating_sub(p) < 12)?;
    let rest = text.get(amp + 1..)?;
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if rest[name_len..].starts_with(';') {
        let ch = html_entity(name)?;
        return Some(Fix::safe(
            format!("Remplacer &{name}; par « {ch} »"),
            vec![Edit::replace(amp, amp + 1 + name_len + 1, ch)],
        ));
    }
    Some(Fix::safe(
        "Écrire le « & » isolé sous la forme &amp;",
        vec![Edit::replace(amp, amp + 1, "&amp;")],
    ))
}

fn html_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "nbsp" => "\u{A0}",
        "eacute" => "é",
        "egrave" => "è",
        "ecirc" => "ê",
        "euml" => "ë",
        "agrave" => "à",
        "acirc" => "â",
        "ccedil" => "ç",
        "ocirc" => "ô",
        "ucirc" => "û",
        "ugrave" => "ù",
        "icirc" => "î",
        "iuml" => "ï",
        "Eacute" => "É",
        "Egrave" => "È",
        "Agrave" => "À",
        "Ccedil" => "Ç",
        "laquo" => "«",
        "raquo" => "»",
        "rsquo" => "’",
        "lsquo" => "‘",
        "oelig" => "œ",
        "OElig" => "Œ",
        "hellip" => "…",
        "ndash" => "–",
        "mdash" => "—",
        "euro" => "€",
        "deg" => "°",
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
