//! Shared reading of reference files: size limit, zip unpacking, text decoding, XML parsing,
//! and the small value parsers every loader uses. Nothing here panics on hostile input.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use crate::xml::{Document, Node};
use chrono::NaiveDate;

use crate::error::Error;

/// Largest reference file (or zip member, uncompressed) accepted: real Siècle exports of big
/// lycées are a few tens of MiB.
pub const MAX_REF_SIZE: u64 = 256 << 20;
/// A Siècle/STS download holds one XML; a few more entries (a readme…) are tolerated.
pub const MAX_ZIP_ENTRIES: usize = 8;

pub fn err(path: &Path, message: impl Into<String>) -> Error {
    Error::RefData {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Reads a reference file from disk, refusing missing, unreadable or oversized files, and what
/// is not a regular file (a FIFO would block forever).
pub fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    use crate::files::OpenError;
    crate::files::read_regular(path, MAX_REF_SIZE).map_err(|e| match e {
        OpenError::NotRegular("un dossier") => err(
            path,
            "c'est un dossier, pas un fichier (utilisez --refdata pour un dossier)",
        ),
        OpenError::TooLarge { size } => err(
            path,
            format!("{size} octets, au-delà de la limite de {MAX_REF_SIZE} octets"),
        ),
        OpenError::Io(e) => err(
            path,
            format!("lecture impossible : {}", crate::files::io_message(&e)),
        ),
        e => err(path, e.message()),
    })
}

/// A zip error in French (the crate's own text is English).
pub fn zip_message(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(e) => crate::files::io_message(e),
        Z::InvalidArchive(_) => "archive endommagée ou tronquée".into(),
        Z::UnsupportedArchive(_) => {
            "archive d'un format non pris en charge (chiffrée ou compressée autrement)".into()
        }
        Z::FileNotFound => "fichier absent de l'archive".into(),
        Z::InvalidPassword => "archive protégée par un mot de passe".into(),
        _ => "archive illisible".into(),
    }
}

/// Whether the bytes are a zip archive (local file header or empty-archive marker).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The content of a reference file: itself, or the single data file of a zip.
pub struct Unpacked<'b> {
    pub bytes: Cow<'b, [u8]>,
    /// Name of the member read, when the file was a zip.
    pub member: Option<String>,
}

/// Unpacks a zip as downloaded from Siècle / STS-Web (one XML inside); other bytes pass through.
/// Refuses archives with many entries or members whose uncompressed size is excessive.
pub fn unpack<'b>(bytes: &'b [u8], path: &Path) -> Result<Unpacked<'b>, Error> {
    unpack_limited(bytes, path, MAX_REF_SIZE)
}

/// `unpack` with an explicit limit on the uncompressed size of the member read.
pub fn unpack_limited<'b>(bytes: &'b [u8], path: &Path, limit: u64) -> Result<Unpacked<'b>, Error> {
    if !is_zip(bytes) {
        return Ok(Unpacked {
            bytes: Cow::Borrowed(bytes),
            member: None,
        });
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| err(path, format!("archive zip illisible : {}", zip_message(&e))))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(err(
            path,
            format!(
                "archive zip de {} entrées : un export Siècle ou STS-Web n'en contient qu'une (au plus {MAX_ZIP_ENTRIES} acceptées) ; extrayez le fichier voulu",
                zip.len()
            ),
        ));
    }
    let mut candidates = Vec::new();
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| err(path, format!("archive zip illisible : {}", zip_message(&e))))?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().to_string();
        let lower = name.to_ascii_lowercase();
        // macOS adds resource forks; they are never the data.
        if lower.starts_with("__macosx/")
            || lower.rsplit('/').next().is_some_and(|b| b.starts_with('.'))
        {
            continue;
        }
        candidates.push((i, name, lower));
    }
    let chosen = match candidates.len() {
        0 => return Err(err(path, "archive zip vide")),
        1 => candidates.swap_remove(0),
        _ => {
            let mut data: Vec<_> = candidates
                .into_iter()
                .filter(|(_, _, l)| l.ends_with(".xml") || l.ends_with(".csv"))
                .collect();
            if data.len() != 1 {
                return Err(err(
                    path,
                    "l'archive zip contient plusieurs fichiers de données ; extrayez celui voulu",
                ));
            }
            data.swap_remove(0)
        }
    };
    let (index, name, _) = chosen;
    let f = zip.by_index(index).map_err(|e| {
        err(
            path,
            format!(
                "« {name} » illisible dans l'archive zip : {}",
                zip_message(&e)
            ),
        )
    })?;
    if f.size() > limit {
        return Err(err(
            path,
            format!(
                "« {name} » ferait {} octets une fois décompressé, au-delà de la limite de {limit} octets (archive piégée ?)",
                f.size()
            ),
        ));
    }
    // The declared size may lie: never read more than the limit.
    let mut out = Vec::new();
    f.take(limit + 1).read_to_end(&mut out).map_err(|e| {
        err(
            path,
            format!(
                "« {name} » illisible dans l'archive zip : {}",
                crate::files::io_message(&e)
            ),
        )
    })?;
    if out.len() as u64 > limit {
        return Err(err(
            path,
            format!("« {name} » dépasse {limit} octets une fois décompressé (archive piégée ?)"),
        ));
    }
    Ok(Unpacked {
        bytes: Cow::Owned(out),
        member: Some(name),
    })
}

/// Line (1-based) of a byte offset.
pub fn line_of(bytes: &[u8], offset: usize) -> usize {
    bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The `encoding` of an XML declaration, when there is one.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(512)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let rest = &rest[1..];
    Some(rest[..rest.find(quote)?].trim().to_string())
}

/// Decodes an XML reference file per its BOM or declared encoding (UTF-8 when none).
pub fn decode_xml(bytes: &[u8], path: &Path) -> Result<String, Error> {
    let (enc, label) = if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        (enc, enc.name().to_string())
    } else {
        match declared_encoding(bytes) {
            None => (encoding_rs::UTF_8, "UTF-8".to_string()),
            Some(label) => match encoding_rs::Encoding::for_label(label.as_bytes()) {
                Some(enc) => (enc, label),
                None => {
                    return Err(err(
                        path,
                        format!("ligne 1 : encodage déclaré « {label} » non pris en charge"),
                    ))
                }
            },
        }
    };
    if enc == encoding_rs::UTF_8 {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        return match std::str::from_utf8(body) {
            Ok(s) => Ok(s.to_string()),
            Err(e) => Err(err(
                path,
                format!(
                    "ligne {} : octets invalides pour l'encodage {label} (le fichier est-il en ISO-8859-15 sans le déclarer ?)",
                    line_of(body, e.valid_up_to())
                ),
            )),
        };
    }
    // Tools re-saving an export in UTF-8 often keep the ISO-8859-15 declaration. Accented
    // Latin-9 text is practically never valid UTF-8, so valid non-ASCII UTF-8 means UTF-8.
    if !bytes.is_ascii() {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Ok(s.to_string());
        }
    }
    let (text, _, had_errors) = enc.decode(bytes);
    if had_errors {
        return Err(err(
            path,
            format!("octets invalides pour l'encodage déclaré {label}"),
        ));
    }
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

/// Parses XML text safely (no DTD) into a tree, with a French message naming the line.
pub fn parse_xml<'t>(text: &'t str, path: &Path) -> Result<Document<'t>, Error> {
    Document::parse(text).map_err(|e| err(path, xml_error_fr(&e, text)))
}

fn xml_error_fr(e: &roxmltree::Error, text: &str) -> String {
    use roxmltree::Error as E;
    let pos = e.pos();
    let at = format!("ligne {}, colonne {}", pos.row, pos.col);
    match e {
        E::UnexpectedEndOfStream | E::UnclosedRootNode => {
            let last = text.trim_end().lines().count().max(1);
            format!("XML mal formé : fin de fichier inattendue à la ligne {last} (fichier tronqué ?)")
        }
        E::NoRootNode => "XML mal formé : aucun élément racine (fichier vide ?)".into(),
        E::DtdDetected => {
            format!("XML refusé ({at}) : déclaration DOCTYPE/DTD non admise dans un export Siècle ou STS-Web")
        }
        E::UnexpectedCloseTag(expected, actual, _) => format!(
            "XML mal formé ({at}) : balise fermante </{actual}> alors que </{expected}> était attendue"
        ),
        E::UnknownEntityReference(name, _) => {
            format!("XML mal formé ({at}) : entité inconnue « &{name}; »")
        }
        E::NodesLimitReached | E::AttributesLimitReached | E::NamespacesLimitReached => {
            "XML refusé : trop d'éléments ou d'attributs".into()
        }
        other => format!("XML mal formé ({at}) : {other}"),
    }
}

/// Everything a loader needs from an XML reference file: decoded, parsed lazily by the caller.
pub fn xml_text(bytes: &[u8], path: &Path) -> Result<(String, Option<String>), Error> {
    let un = unpack(bytes, path)?;
    let text = decode_xml(&un.bytes, path)?;
    Ok((text, un.member))
}

/// The first element name of an XML text, without parsing it (for recognition only).
pub fn sniff_root(text: &str) -> Option<&str> {
    let mut s = text.trim_start_matches('\u{feff}');
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("<?") {
            s = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = s.strip_prefix("<!--") {
            s = &rest[rest.find("-->")? + 3..];
        } else if let Some(rest) = s.strip_prefix("<!") {
            // A DOCTYPE may hold an internal subset `[ … ]` with `>` inside.
            let stop = rest.find(['[', '>'])?;
            let rest = if rest[stop..].starts_with('[') {
                &rest[stop + rest[stop..].find(']')?..]
            } else {
                rest
            };
            s = &rest[rest.find('>')? + 1..];
        } else if let Some(rest) = s.strip_prefix('<') {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = &rest[..end];
            return (!name.is_empty()).then_some(name);
        } else {
            return None;
        }
    }
}

// ---- tree helpers ----

// The model's: the reference files are read into the same tree as the LSU file.
pub(crate) use crate::model::{child, children};

/// Follows a path of child names.
pub fn path<'a, 'i>(n: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    names.iter().try_fold(n, |cur, name| child(cur, name))
}

/// Trimmed text of a child element; None when absent or blank.
pub fn text(n: Node, name: &str) -> Option<String> {
    child(n, name).and_then(own_text)
}

pub fn own_text(n: Node) -> Option<String> {
    let t: String = n
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect();
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Trimmed attribute; None when absent or blank.
pub fn attr(n: Node, name: &str) -> Option<String> {
    n.attribute(name)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub fn line(doc: &Document, n: Node) -> usize {
    let text = doc.input_text().as_bytes();
    memchr::memchr_iter(b'\n', &text[..n.range().start.min(text.len())]).count() + 1
}

/// Line numbers of one document's nodes, indexed once: `line` scans from the start of the text
/// at each call, which made loading a large Siècle export quadratic.
pub struct Lines<'t>(crate::source::LineIndex<'t>);

impl<'t> Lines<'t> {
    pub fn new(doc: &Document<'t>) -> Self {
        Lines(crate::source::LineIndex::new(doc.input_text().as_bytes()))
    }

    /// 1-based line of a node's start.
    pub fn of(&self, n: Node) -> usize {
        self.0.line_of(n.range().start) + 1
    }
}

// ---- values ----

/// `dd/mm/yyyy` (Siècle, ONDE) or `yyyy-mm-dd` (STS-Web, and met in ONDE).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
}

/// A date child element: absent or blank → None; present but unreadable → error with its line.
pub fn date_child(
    doc: &Document,
    n: Node,
    name: &str,
    path: &Path,
) -> Result<Option<NaiveDate>, Error> {
    let Some(c) = child(n, name) else {
        return Ok(None);
    };
    let Some(t) = own_text(c) else {
        return Ok(None);
    };
    parse_date(&t).map(Some).ok_or_else(|| {
        err(
            path,
            format!(
                "ligne {} : date {name} « {t} » illisible (attendu JJ/MM/AAAA)",
                line(doc, c)
            ),
        )
    })
}

/// A 4-digit school year (`2024` for 2024-2025).
pub fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    // Some tools write "2024-2025" or "2024/2025": the first year is the millésime.
    let first = s.split(['-', '/']).next().unwrap_or(s).trim();
    let y: i32 = first.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

/// The school year label « 2024-2025 ».
pub fn year_label(y: Option<i32>) -> String {
    match y {
        Some(y) => format!("{y}-{}", y + 1),
        None => "année scolaire inconnue".into(),
    }
}

/// Key for numeric identifiers compared numerically (id-be, id-sts): leading zeros dropped.
pub fn id_key(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        let k = t.trim_start_matches('0');
        if k.is_empty() {
            "0".into()
        } else {
            k.into()
        }
    } else {
        t.to_string()
    }
}

/// Key for INEs: trimmed, upper case.
pub fn ine_key(s: &str) -> String {
    s.trim().to_uppercase()
}

/// Display form of a path for reports.
/// How messages and notes name a reference file: relative to the working directory when it is
/// below it (reports are sent to schools; they need no one's home folder).
pub fn display(path: &Path) -> String {
    crate::util::display_path(path)
}

/// The file name for notes.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| display(path))
}

// ---- records that could not be read in full ----

/// The records of a reference file that could not be read in full (`interfaces.md`,
/// « Reference files »): a record with an unreadable field is kept with that field unknown;
/// one whose identifiers are unreadable is dropped. One note per file says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unreadable {
    /// Records kept with at least one field unknown.
    pub kept: usize,
    /// Records dropped for lack of a readable identifier.
    pub dropped: usize,
    /// Lines of the first affected records (at most five), in file order.
    pub lines: Vec<usize>,
    /// Lines of the first dropped records (at most five).
    pub dropped_lines: Vec<usize>,
    /// What was unreadable in the first records (at most three), in French.
    pub examples: Vec<String>,
}

/// How many lines and examples a note keeps.
const NOTE_LINES: usize = 5;
const NOTE_EXAMPLES: usize = 3;

impl Unreadable {
    /// Records one affected record: `problems` are its unreadable fields (French), `dropped`
    /// whether it was left out. A record without problem is not recorded.
    pub fn record(&mut self, line: usize, problems: Vec<String>, dropped: bool) {
        if problems.is_empty() {
            return;
        }
        if dropped {
            self.dropped += 1;
            if self.dropped_lines.len() < NOTE_LINES {
                self.dropped_lines.push(line);
            }
        } else {
            self.kept += 1;
        }
        if self.lines.len() < NOTE_LINES {
            self.lines.push(line);
        }
        if self.examples.len() < NOTE_EXAMPLES {
            let what = problems.join(", ");
            let tail = if dropped { " : écarté" } else { "" };
            self.examples.push(format!("ligne {line} : {what}{tail}"));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.kept == 0 && self.dropped == 0
    }

    /// Records affected, kept or dropped.
    pub fn records(&self) -> usize {
        self.kept + self.dropped
    }

    /// The note's French message, when some record was affected.
    pub fn message(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let plural = |n: usize| if n > 1 { "s" } else { "" };
        let mut parts = Vec::new();
        if self.kept > 0 {
            parts.push(format!(
                "{} enregistrement{} lu{} sans le champ illisible (inconnu pour les vérifications)",
                self.kept,
                plural(self.kept),
                plural(self.kept)
            ));
        }
        if self.dropped > 0 {
            parts.push(format!(
                "{} enregistrement{} écarté{} faute d'identifiant lisible",
                self.dropped,
                plural(self.dropped),
                plural(self.dropped)
            ));
        }
        Some(format!(
            "{} ({}{})",
            parts.join(" ; "),
            self.examples.join(" ; "),
            if self.records() > self.examples.len() {
                " ; …"
            } else {
                ""
            }
        ))
    }

    /// A caveat for findings about a pupil not found in the file, when records were dropped
    /// (the pupil may be one of them); empty otherwise.
    pub fn caveat(&self) -> String {
        if self.dropped == 0 {
            return String::new();
        }
        let lines: Vec<String> = self.dropped_lines.iter().map(|l| l.to_string()).collect();
        format!(
            " ; attention : {} enregistrement{} de ce fichier {} été écarté{} faute d'identifiant lisible (ligne{} {}{}) : l'élève en fait peut-être partie",
            self.dropped,
            if self.dropped > 1 { "s" } else { "" },
            if self.dropped > 1 { "ont" } else { "a" },
            if self.dropped > 1 { "s" } else { "" },
            if self.dropped_lines.len() > 1 { "s" } else { "" },
            lines.join(", "),
            if self.dropped > self.dropped_lines.len() { ", …" } else { "" }
        )
    }
}

/// A date child element read tolerantly: absent or blank → None; unreadable → None, with a
/// description pushed to `problems`.
pub fn date_child_or_note(n: Node, name: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
    let t = own_text(child(n, name)?)?;
    let d = parse_date(&t);
    if d.is_none() {
        problems.push(format!("date {name} « {t} » illisible"));
    }
    d
}

/// An index from keys to record numbers that keeps only a hash of each key (12 bytes an
/// entry instead of the key's copy in a map): a lookup takes the records of equal hash, and
/// the caller keeps those whose own key matches (`interfaces.md` does not bound a reference
/// file; a Siècle of 20,000 pupils held its keys three times over).
#[derive(Clone, Debug, Default)]
pub struct HashIndex {
    /// (hash, record), sorted: the records of one key in the order they were added.
    entries: Vec<(u64, u32)>,
}

impl HashIndex {
    pub fn hash<K: std::hash::Hash + ?Sized>(key: &K) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(key)
    }

    /// Built from (key hash, record) pairs; a record given twice under one hash counts once.
    pub fn new(mut entries: Vec<(u64, u32)>) -> Self {
        entries.sort_unstable();
        entries.dedup();
        entries.shrink_to_fit();
        HashIndex { entries }
    }

    /// The records added under `hash`, in ascending order (candidates: check their key).
    pub fn candidates(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let from = self.entries.partition_point(|(h, _)| *h < hash);
        self.entries[from..]
            .iter()
            .take_while(move |(h, _)| *h == hash)
            .map(|(_, i)| *i as usize)
    }
}

#[cfg(test)]
mod hash_index_tests {
    use super::HashIndex;

    #[test]
    fn records_of_a_hash_come_once_each_in_ascending_order() {
        let a = HashIndex::hash("A");
        let b = HashIndex::hash("B");
        assert_ne!(a, b);
        // Added out of order, one record twice (a pupil whose two INE are equal).
        let index = HashIndex::new(vec![(a, 7), (b, 1), (a, 2), (a, 7), (a, 0)]);
        assert_eq!(index.candidates(a).collect::<Vec<_>>(), [0, 2, 7]);
        assert_eq!(index.candidates(b).collect::<Vec<_>>(), [1]);
        assert_eq!(index.candidates(HashIndex::hash("C")).count(), 0);
        // A String and its str hash alike (lookups hash what the index was built from).
        assert_eq!(HashIndex::hash(&String::from("A")), a);
    }
}
