//! Schema validation with libxml2 against our own XSDs (`schemas/`), and translation of its
//! messages into French findings under the codes of `rules.md` (« Schema errors → codes »).
//!
//! Validation streams the in-memory text through libxml2's SAX-based validator
//! (`xmlSchemaValidateStream`): no tree is built, nothing is fetched, no recovery.

use crate::catalogue::Code;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::rc::Rc;
use std::sync::Once;

use crate::libxml2 as ffi;
use crate::xml::Node;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, SchemaKind};
use crate::rules::Ctx;
use crate::source::LineIndex;
use crate::util::did_you_mean;

/// Beyond this many raw errors, the rest are counted, not kept (a broken generator can emit
/// one error per pupil; the first ones are enough to act).
const MAX_ERRORS: usize = 5_000;

/// One raw libxml2 validity error.
#[derive(Debug, Clone, Default)]
pub struct RawError {
    /// 1-based line libxml2 gives (start tag, or end tag for a missing child).
    pub line: usize,
    /// 1-based column (characters) where the parser stood: just after the start tag's or the
    /// end tag's `>`; 0 when unknown.
    pub column: usize,
    /// The whole message, as libxml2 wrote it (trimmed).
    pub message: String,
    /// Local name of the element concerned (`Element '{ns}name'`), if given.
    pub element: Option<String>,
    /// Attribute concerned (`attribute 'name'`), if given.
    pub attribute: Option<String>,
    /// The message without the `Element '…', attribute '…': ` prefix.
    pub detail: String,
    /// Whether this came from the XML parser rather than from the schema validator.
    pub parser: bool,
}

fn schema_text(kind: SchemaKind) -> &'static str {
    match kind {
        SchemaKind::D1V1_0b => include_str!("../schemas/lsu-1d-1.0b.xsd"),
        SchemaKind::D2V3_0_2020 => include_str!("../schemas/lsu-2d-3.0-2020.xsd"),
        SchemaKind::D2V7_0 => include_str!("../schemas/lsu-2d-7.0.xsd"),
        SchemaKind::D2V10_0 => include_str!("../schemas/lsu-2d-10.0.xsd"),
    }
}

static INIT: Once = Once::new();

thread_local! {
    /// Set while this thread compiles the user's schema (`--xsd`): its file and includes are
    /// then read from the disk. Never set during validation.
    static LOCAL_FILES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Refuses every external entity (DTD, XInclude, imports): validation never touches the
/// network or the disk. While the user's schema compiles, local files (the schema and its
/// includes) are read; a network URL never is.
unsafe extern "C" fn no_external_entity(
    url: *const c_char,
    _id: *const c_char,
    ctxt: ffi::xmlParserCtxtPtr,
) -> ffi::xmlParserInputPtr {
    let r = std::panic::catch_unwind(|| {
        if url.is_null() || ctxt.is_null() || !LOCAL_FILES.with(std::cell::Cell::get) {
            return std::ptr::null_mut();
        }
        let u = CStr::from_ptr(url).to_string_lossy();
        if u.contains("://") && !u.starts_with("file://") {
            return std::ptr::null_mut();
        }
        ffi::xmlNewInputFromFile(ctxt, url)
    });
    r.unwrap_or(std::ptr::null_mut())
}

fn init_libxml() {
    INIT.call_once(|| unsafe {
        ffi::xmlInitParser();
        // Lazily initialised by the first schema parse, not thread-safely: done once here.
        ffi::xmlSchemaInitTypes();
        ffi::xmlSetExternalEntityLoader(Some(no_external_entity));
    });
}

/// Where the error callback stores what it receives.
#[derive(Default)]
struct Sink {
    errors: Vec<RawError>,
    dropped: usize,
}

unsafe extern "C" fn on_error(data: *mut c_void, err: ffi::xmlErrorPtr) {
    // A panic must never unwind into C.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if data.is_null() || err.is_null() {
            return;
        }
        let sink = &mut *(data as *mut Sink);
        let e = &*err;
        if e.level == ffi::xmlErrorLevel_XML_ERR_WARNING {
            // "No precomputed value available…" and similar noise.
            return;
        }
        if sink.errors.len() >= MAX_ERRORS {
            sink.dropped += 1;
            return;
        }
        let message = if e.message.is_null() {
            String::new()
        } else {
            CStr::from_ptr(e.message)
                .to_string_lossy()
                .trim()
                .to_string()
        };
        // libxml2 2.9 raises this follow-up of a facet error at error level.
        if message.contains("Warning: No precomputed value available") {
            return;
        }
        let parser = e.domain != ffi::xmlErrorDomain_XML_FROM_SCHEMASV as c_int;
        let mut raw = parse_message(usize::try_from(e.line).unwrap_or(0), message, parser);
        raw.column = usize::try_from(e.int2).unwrap_or(0);
        sink.errors.push(raw);
    }));
}

/// Does nothing: installed on the thread between validations so libxml2 never prints.
unsafe extern "C" fn drop_error(_data: *mut c_void, _err: ffi::xmlErrorPtr) {}

/// Splits `Element '{ns}x', attribute 'a': detail` into its parts.
fn parse_message(line: usize, message: String, parser: bool) -> RawError {
    let mut element = None;
    let mut attribute = None;
    let mut rest: &str = &message;
    if let Some(r) = rest.strip_prefix("Element '") {
        if let Some(end) = r.find('\'') {
            let full = &r[..end];
            let local = full.rsplit('}').next().unwrap_or(full);
            element = Some(local.to_string());
            rest = &r[end + 1..];
            if let Some(r2) = rest.strip_prefix(", attribute '") {
                if let Some(end2) = r2.find('\'') {
                    attribute = Some(r2[..end2].to_string());
                    rest = &r2[end2 + 1..];
                }
            }
            rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        }
    }
    let detail = rest.to_string();
    RawError {
        line,
        column: 0,
        message: message.clone(),
        element,
        attribute,
        detail,
        parser,
    }
}

/// A compiled schema, freed with the thread.
struct Compiled(ffi::xmlSchemaPtr);

impl Drop for Compiled {
    fn drop(&mut self) {
        if !self.0.is_null() {
            unsafe { ffi::xmlSchemaFree(self.0) };
        }
    }
}

thread_local! {
    /// libxml2 schema objects are not Send: one compiled copy per thread and schema.
    static SCHEMAS: RefCell<HashMap<SchemaKind, Rc<Compiled>>> = RefCell::new(HashMap::new());
}

fn compile(kind: SchemaKind) -> Result<Rc<Compiled>, crate::error::Error> {
    if let Some(c) = SCHEMAS.with(|s| s.borrow().get(&kind).cloned()) {
        return Ok(c);
    }
    let c = Rc::new(compile_text(schema_text(kind), kind.label())?);
    SCHEMAS.with(|s| s.borrow_mut().insert(kind, c.clone()));
    Ok(c)
}

fn compile_text(text: &str, label: &'static str) -> Result<Compiled, crate::error::Error> {
    init_libxml();
    let len = c_int::try_from(text.len())
        .map_err(|_| crate::error::Error::Schema(label, "schéma trop grand".into()))?;
    let mut sink = Sink::default();
    let schema = unsafe {
        let pctxt = ffi::xmlSchemaNewMemParserCtxt(text.as_ptr() as *const c_char, len);
        if pctxt.is_null() {
            return Err(crate::error::Error::Schema(
                label,
                "contexte libxml2 non créé".into(),
            ));
        }
        let sink_ptr = &mut sink as *mut Sink as *mut c_void;
        ffi::xmlSchemaSetParserStructuredErrors(pctxt, Some(on_error), sink_ptr);
        ffi::xmlSetStructuredErrorFunc(sink_ptr, Some(on_error));
        let schema = ffi::xmlSchemaParse(pctxt);
        ffi::xmlSetStructuredErrorFunc(std::ptr::null_mut(), Some(drop_error));
        ffi::xmlSchemaFreeParserCtxt(pctxt);
        schema
    };
    if schema.is_null() {
        let msg = sink
            .errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ; ");
        return Err(crate::error::Error::Schema(label, msg));
    }
    Ok(Compiled(schema))
}

/// A schema compiled from any XSD text (tests compare ours with the official files). Not
/// Send: use it on the thread that compiled it.
pub struct CustomSchema(Compiled);

impl CustomSchema {
    pub fn compile(xsd: &str) -> Result<Self, crate::error::Error> {
        compile_text(xsd, "externe").map(CustomSchema)
    }

    /// Validates like [`validate`], against this schema.
    pub fn validate(&self, text: &str) -> Result<Vec<RawError>, crate::error::Error> {
        validate_compiled(&self.0, "externe", text)
    }
}

/// The user's schema (`--xsd`), compiled once per run and shared by the run's threads.
pub struct SharedSchema(Compiled);

// SAFETY: a compiled `xmlSchema` is only read while validating; every validation creates its
// own context (`xmlSchemaNewValidCtxt`), so threads may validate against it at the same time.
// It is freed once, by its last owner.
unsafe impl Send for SharedSchema {}
unsafe impl Sync for SharedSchema {}

impl std::fmt::Debug for SharedSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedSchema")
    }
}

impl SharedSchema {
    /// Compiles the schema file at `path`, its includes resolved relative to it on the disk
    /// (never over the network). The error is libxml2's messages.
    pub fn compile_file(path: &std::path::Path) -> Result<Self, String> {
        init_libxml();
        let c_path = std::ffi::CString::new(path.to_string_lossy().as_bytes())
            .map_err(|_| "chemin de fichier invalide".to_string())?;
        let mut sink = Sink::default();
        let schema = unsafe {
            let pctxt = ffi::xmlSchemaNewParserCtxt(c_path.as_ptr());
            if pctxt.is_null() {
                return Err("contexte libxml2 non créé".into());
            }
            let sink_ptr = &mut sink as *mut Sink as *mut c_void;
            ffi::xmlSchemaSetParserStructuredErrors(pctxt, Some(on_error), sink_ptr);
            ffi::xmlSetStructuredErrorFunc(sink_ptr, Some(on_error));
            LOCAL_FILES.with(|f| f.set(true));
            let schema = ffi::xmlSchemaParse(pctxt);
            LOCAL_FILES.with(|f| f.set(false));
            ffi::xmlSetStructuredErrorFunc(std::ptr::null_mut(), Some(drop_error));
            ffi::xmlSchemaFreeParserCtxt(pctxt);
            schema
        };
        if schema.is_null() {
            let msg: Vec<String> = sink
                .errors
                .iter()
                .take(5)
                .map(|e| match e.line {
                    0 => e.message.clone(),
                    l => format!("ligne {l} : {}", e.message),
                })
                .collect();
            return Err(if msg.is_empty() {
                "le schéma ne se compile pas".into()
            } else {
                format!(
                    "le schéma ne se compile pas (message de libxml2 : {})",
                    msg.join(" ; ")
                )
            });
        }
        Ok(SharedSchema(Compiled(schema)))
    }

    /// Validates like [`validate`], against this schema.
    pub fn validate(&self, text: &str) -> Result<Vec<RawError>, crate::error::Error> {
        validate_compiled(&self.0, "fourni", text)
    }
}

/// Serves the document to libxml2 in chunks: a (possibly rewritten) XML declaration, then the
/// rest of the text as is — no copy of the file.
struct Reader<'t> {
    parts: Vec<&'t [u8]>,
    part: usize,
    pos: usize,
}

unsafe extern "C" fn read_chunk(ctx: *mut c_void, buffer: *mut c_char, len: c_int) -> c_int {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if ctx.is_null() || buffer.is_null() || len <= 0 {
            return 0;
        }
        let reader = &mut *(ctx as *mut Reader);
        let want = usize::try_from(len).unwrap_or(0);
        let mut written = 0usize;
        while written < want && reader.part < reader.parts.len() {
            let src = reader.parts[reader.part];
            let left = &src[reader.pos.min(src.len())..];
            if left.is_empty() {
                reader.part += 1;
                reader.pos = 0;
                continue;
            }
            let n = left.len().min(want - written);
            std::ptr::copy_nonoverlapping(left.as_ptr(), (buffer as *mut u8).add(written), n);
            written += n;
            reader.pos += n;
        }
        c_int::try_from(written).unwrap_or(0)
    }));
    r.unwrap_or(-1)
}

unsafe extern "C" fn close_reader(_ctx: *mut c_void) -> c_int {
    0
}

/// The XML declaration rewritten to say UTF-8 when it names another encoding (the text is
/// always UTF-8 here; libxml2 would otherwise re-decode it), and the offset where it ends.
fn declaration_fix(text: &str) -> Option<(String, usize)> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skip = text.len() - body.len();
    if !body.starts_with("<?xml") {
        return None;
    }
    let end = body.find("?>")? + 2;
    let decl = &body[..end];
    let at = decl.find("encoding")?;
    let after = &decl[at + "encoding".len()..];
    let q = after.find(['"', '\''])?;
    let quote = after[q..].chars().next()?;
    let value_start = at + "encoding".len() + q + 1;
    let value_len = decl[value_start..].find(quote)?;
    let value = &decl[value_start..value_start + value_len];
    if value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8") {
        return None;
    }
    let fixed = format!(
        "{}UTF-8{}",
        &decl[..value_start],
        &decl[value_start + value_len..]
    );
    Some((fixed, skip + end))
}

/// Compiles every built-in schema on this thread: what the service waits for before it says it
/// is ready (a schema that does not compile is a broken build, not a bad request).
pub fn compile_builtin() -> Result<(), crate::error::Error> {
    for kind in [
        SchemaKind::D1V1_0b,
        SchemaKind::D2V3_0_2020,
        SchemaKind::D2V7_0,
        SchemaKind::D2V10_0,
    ] {
        compile(kind)?;
    }
    Ok(())
}

/// The raw errors of one validation, or why it could not run.
pub type Validation = Result<Vec<RawError>, crate::error::Error>;

/// Validates `text` against the schema `kind` (streaming, no network, no recovery).
pub fn validate(kind: SchemaKind, text: &str) -> Result<Vec<RawError>, crate::error::Error> {
    init_libxml();
    let compiled = compile(kind)?;
    validate_compiled(&compiled, kind.label(), text)
}

fn validate_compiled(
    compiled: &Compiled,
    label: &'static str,
    text: &str,
) -> Result<Vec<RawError>, crate::error::Error> {
    let fixed = declaration_fix(text);
    let (head, rest_at): (&[u8], usize) = match &fixed {
        Some((decl, end)) => (decl.as_bytes(), *end),
        None => (&[], 0),
    };
    let (ranges, splices) = crate::schema_stream::plan(text, rest_at.min(text.len()));
    let mut parts = vec![head];
    parts.extend(ranges.iter().map(|&(a, b)| &text.as_bytes()[a..b]));
    let mut reader = Reader {
        parts,
        part: 0,
        pos: 0,
    };
    let mut sink = Sink::default();
    let rc = unsafe {
        let vctxt = ffi::xmlSchemaNewValidCtxt(compiled.0);
        if vctxt.is_null() {
            return Err(crate::error::Error::Schema(
                label,
                "contexte de validation non créé".into(),
            ));
        }
        let sink_ptr = &mut sink as *mut Sink as *mut c_void;
        ffi::xmlSchemaSetValidStructuredErrors(vctxt, Some(on_error), sink_ptr);
        // Parser-level errors go to the thread's handler: collect them too, never print.
        ffi::xmlSetStructuredErrorFunc(sink_ptr, Some(on_error));
        let input = ffi::xmlParserInputBufferCreateIO(
            Some(read_chunk),
            Some(close_reader),
            &mut reader as *mut Reader as *mut c_void,
            ffi::xmlCharEncoding_XML_CHAR_ENCODING_UTF8,
        );
        let rc = if input.is_null() {
            -1
        } else {
            // Takes ownership of `input` (freed with its parser context).
            ffi::xmlSchemaValidateStream(
                vctxt,
                input,
                ffi::xmlCharEncoding_XML_CHAR_ENCODING_UTF8,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        ffi::xmlSetStructuredErrorFunc(std::ptr::null_mut(), Some(drop_error));
        ffi::xmlSchemaFreeValidCtxt(vctxt);
        rc
    };
    if rc < 0 && sink.errors.is_empty() {
        return Err(crate::error::Error::Schema(
            label,
            format!("erreur interne de libxml2 ({rc})"),
        ));
    }
    if !splices.is_empty() {
        for e in sink.errors.iter_mut().filter(|e| e.line > 0) {
            (e.line, e.column) = crate::schema_stream::to_document(&splices, e.line, e.column);
        }
    }
    if sink.dropped > 0 {
        sink.errors.push(RawError {
            line: 0,
            message: format!("{} autres erreurs de schéma non détaillées", sink.dropped),
            detail: format!("{} autres erreurs de schéma non détaillées", sink.dropped),
            ..RawError::default()
        });
    }
    Ok(sink.errors)
}

// ---------------------------------------------------------------------------------------------
// Translation

/// French labels of the socle components (`rules.md`, C001).
const SOCLE: &[(&str, &str)] = &[
    ("CPD_FRA", "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit"),
    ("CPD_ETR", "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, une langue régionale"),
    ("CPD_SCI", "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques"),
    ("CPD_ART", "Comprendre, s'exprimer en utilisant les langages des arts et du corps"),
    ("MET_APP", "Les méthodes et outils pour apprendre"),
    ("FRM_CIT", "La formation de la personne et du citoyen"),
    ("SYS_NAT", "Les systèmes naturels et les systèmes techniques"),
    ("REP_MND", "Les représentations du monde et l'activité humaine"),
];

const NON_BLANK_PATTERN: &str = "(.|\\n)*[^\\s](.|\\n)*";

/// Attributes holding free text (an empty one is a blank text, X002), as opposed to codes.
const TEXT_ATTRIBUTES: &[&str] = &[
    "libelle",
    "nom",
    "prenom",
    "intitule",
    "commune",
    "ligne1",
    "ligne2",
    "ligne3",
    "ligne4",
    "lien-parente",
    "denomination",
];

/// What the translation needs about one libxml2 message.
enum Kind<'m> {
    Enumeration {
        value: &'m str,
        set: Vec<&'m str>,
    },
    Length {
        actual: usize,
        limit: usize,
    },
    MaxLength {
        actual: usize,
        limit: usize,
    },
    MinLength {
        actual: usize,
        limit: usize,
    },
    Pattern {
        value: &'m str,
        pattern: &'m str,
    },
    Atomic {
        value: &'m str,
        ty: &'m str,
    },
    Range {
        value: &'m str,
        limit: &'m str,
        max: bool,
    },
    Digits {
        value: &'m str,
        limit: &'m str,
        fraction: bool,
    },
    MissingAttribute(&'m str),
    AttributeNotAllowed(&'m str),
    MissingChild(Vec<&'m str>),
    NotExpected(Vec<&'m str>),
    Duplicate {
        values: &'m str,
        constraint: &'m str,
    },
    Other,
}

fn between<'m>(s: &'m str, start: &str, end: &str) -> Option<&'m str> {
    let a = s.find(start)? + start.len();
    let b = s[a..].find(end)? + a;
    Some(&s[a..b])
}

/// Value quoted after `The value '` up to the last occurrence of `end` (values may contain quotes).
fn value_before<'m>(s: &'m str, start: &str, end: &str) -> Option<&'m str> {
    let a = s.find(start)? + start.len();
    let b = s.rfind(end)?;
    (b >= a).then(|| &s[a..b])
}

fn element_list(s: &str) -> Vec<&str> {
    let Some(a) = s.find('(') else {
        return Vec::new();
    };
    let b = s.rfind(')').unwrap_or(s.len());
    if b <= a {
        return Vec::new();
    }
    s[a + 1..b]
        .split(',')
        .map(|x| x.trim())
        .map(|x| x.rsplit('}').next().unwrap_or(x))
        .filter(|x| !x.is_empty())
        .collect()
}

fn classify(d: &str) -> Kind<'_> {
    let num = |s: Option<&str>| s.and_then(|v| v.parse::<usize>().ok());
    if d.starts_with("[facet 'enumeration']") {
        let value = value_before(d, "The value '", "' is not an element of the set").unwrap_or("");
        let set = between(d, "{", "}")
            .map(|s| s.split(", ").map(|x| x.trim_matches('\'')).collect())
            .unwrap_or_default();
        return Kind::Enumeration { value, set };
    }
    // The three length facets share one message shape: « has a length of 'N' … 'LIMIT' ».
    let lengths = |limit_text: &str| {
        Some((
            num(between(d, "has a length of '", "'"))?,
            num(between(d, limit_text, "'"))?,
        ))
    };
    if d.starts_with("[facet 'length']") {
        if let Some((actual, limit)) = lengths("allowed length of '") {
            return Kind::Length { actual, limit };
        }
    }
    if d.starts_with("[facet 'maxLength']") {
        if let Some((actual, limit)) = lengths("maximum length of '") {
            return Kind::MaxLength { actual, limit };
        }
    }
    if d.starts_with("[facet 'minLength']") {
        if let Some((actual, limit)) = lengths("minimum length of '") {
            return Kind::MinLength { actual, limit };
        }
    }
    if d.starts_with("[facet 'pattern']") {
        let value =
            value_before(d, "The value '", "' is not accepted by the pattern").unwrap_or("");
        let pattern = d
            .rfind("by the pattern '")
            .map(|i| &d[i + "by the pattern '".len()..])
            .map(|p| p.trim_end_matches('.').trim_end_matches('\''))
            .unwrap_or("");
        return Kind::Pattern { value, pattern };
    }
    if d.starts_with("[facet 'maxInclusive']") || d.starts_with("[facet 'minInclusive']") {
        let max = d.starts_with("[facet 'maxInclusive']");
        let value = between(d, "The value '", "'").unwrap_or("");
        let limit = between(d, "allowed ('", "')").unwrap_or("");
        return Kind::Range { value, limit, max };
    }
    if d.starts_with("[facet 'fractionDigits']") || d.starts_with("[facet 'totalDigits']") {
        let fraction = d.starts_with("[facet 'fractionDigits']");
        let value = between(d, "The value '", "'").unwrap_or("");
        let limit = between(d, "allowed ('", "')").unwrap_or("");
        return Kind::Digits {
            value,
            limit,
            fraction,
        };
    }
    if d.contains("is not a valid value of the") {
        let value = value_before(d, "'", "' is not a valid value of the").unwrap_or("");
        let ty = d
            .rfind("type '")
            .map(|i| &d[i + "type '".len()..])
            .map(|t| t.trim_end_matches('.').trim_end_matches('\''))
            .map(|t| t.rsplit('}').next().unwrap_or(t))
            .unwrap_or("");
        return Kind::Atomic { value, ty };
    }
    if let Some(a) = between(d, "The attribute '", "' is required but missing") {
        return Kind::MissingAttribute(a);
    }
    if let Some(a) = between(d, "The attribute '", "' is not allowed") {
        return Kind::AttributeNotAllowed(a);
    }
    if d.starts_with("Missing child element(s)") {
        return Kind::MissingChild(element_list(d));
    }
    if d.starts_with("This element is not expected") {
        return Kind::NotExpected(element_list(d));
    }
    if d.starts_with("Duplicate key-sequence") {
        let values = between(d, "[", "]").unwrap_or("");
        let constraint = d
            .rfind("identity-constraint '")
            .map(|i| &d[i + "identity-constraint '".len()..])
            .map(|t| t.trim_end_matches('.').trim_end_matches('\''))
            .map(|t| t.rsplit('}').next().unwrap_or(t))
            .unwrap_or("");
        return Kind::Duplicate { values, constraint };
    }
    Kind::Other
}

/// Elements of the document grouped by local name, in document order, with line lookups.
struct Locator<'a, 'i> {
    by_name: HashMap<&'a str, Vec<Node<'a, 'i>>>,
    lines: LineIndex,
    text: &'i str,
    /// Start offset of the last node chosen per name: errors come in document order.
    cursor: HashMap<String, usize>,
}

impl<'a, 'i> Locator<'a, 'i> {
    fn new(ctx: &Ctx<'a, 'i>) -> Self {
        let mut by_name: HashMap<&'a str, Vec<Node<'a, 'i>>> = HashMap::new();
        for n in ctx.doc.descendants().filter(Node::is_element) {
            by_name.entry(n.tag_name().name()).or_default().push(n);
        }
        Locator {
            by_name,
            lines: LineIndex::new(ctx.text.as_bytes()),
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

fn parent_name<'a>(n: Node<'a, '_>) -> &'a str {
    n.parent_element()
        .map(|p| p.tag_name().name())
        .unwrap_or("")
}

/// `<domaine>` in `<socle>` of a `bilan-cycle`?
fn in_bilan_cycle_socle(n: Node) -> bool {
    let socle = if n.tag_name().name() == "socle" {
        Some(n)
    } else {
        n.parent_element()
    };
    socle.is_some_and(|s| {
        s.tag_name().name() == "socle"
            && s.parent_element()
                .is_some_and(|b| b.tag_name().name() == "bilan-cycle")
    })
}

fn in_bilan_periodique_socle(n: Node) -> bool {
    let socle = if n.tag_name().name() == "socle" {
        Some(n)
    } else {
        n.parent_element()
    };
    socle.is_some_and(|s| {
        s.tag_name().name() == "socle"
            && s.parent_element()
                .is_some_and(|b| b.tag_name().name() == "bilan-periodique")
    })
}

fn is_counter(attr: &str) -> bool {
    matches!(
        attr,
        "nb-retards" | "nb-abs-justifiees" | "nb-abs-injustifiees" | "nb-heures-manquees"
    )
}

fn is_average(attr: &str) -> bool {
    matches!(attr, "moyenne-eleve" | "moyenne-structure")
}

/// Shows a value with its invisible characters made visible.
fn shown(v: &str) -> String {
    let mut s = String::new();
    for (i, c) in v.chars().enumerate() {
        if i >= 80 {
            s.push('…');
            break;
        }
        match c {
            '\r' => s.push_str("\\r"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s
}

/// Where a finding is described: `l'attribut x de <e>` or `<e>`.
fn place(elem: &str, attr: Option<&str>) -> String {
    match attr {
        Some(a) => format!("l'attribut {a} de <{elem}>"),
        None => format!("<{elem}>"),
    }
}

/// An unambiguous correction of a date written in another format, as AAAA-MM-JJ.
fn iso_date(v: &str) -> Option<String> {
    let v = v.trim();
    let ok = |y: i32, m: u32, d: u32| {
        chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
    };
    let parts: Vec<&str> = v.split(['/', '-', '.']).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        if n.len() != 3 {
            return None;
        }
        if parts[0].len() == 4 {
            return ok(i32::try_from(n[0]).ok()?, n[1], n[2]);
        }
        if parts[2].len() == 4 {
            // French order: jour/mois/année.
            return ok(i32::try_from(n[2]).ok()?, n[1], n[0]);
        }
        return None;
    }
    // A date with a time where a bare date is expected.
    if let Some((d, _)) = v.split_once('T') {
        if d.len() == 10 {
            return iso_date(d).filter(|x| x == d);
        }
    }
    if v.len() == 8 && v.chars().all(|c| c.is_ascii_digit()) {
        return ok(
            v[..4].parse().ok()?,
            v[4..6].parse().ok()?,
            v[6..].parse().ok()?,
        );
    }
    None
}

fn is_ncname(v: &str) -> bool {
    let mut chars = v.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_')
        && chars.all(|c| {
            c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}') || is_combining(c)
        })
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x203F..=0x2040)
}

fn socle_label(code: &str) -> &'static str {
    SOCLE
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// Turns raw errors into findings placed on the offending element or attribute.
///
/// Duplicate `xs:ID` values are added from the tree: libxml2 checks ID uniqueness only when it
/// builds a tree, which streaming validation does not (the official schema rejects them).
pub fn translate(ctx: &Ctx, errors: &[RawError]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = duplicate_ids(ctx);
    if errors.is_empty() {
        return out;
    }
    let mut loc = Locator::new(ctx);
    for e in errors {
        if let Some(d) = translate_one(ctx, &mut loc, e) {
            out.push(d);
        }
    }
    out
}

fn duplicate_ids(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for n in &ctx.lsu.duplicate_ids {
        let Some(id) = n.attribute("id") else {
            continue;
        };
        if !is_ncname(id) {
            // Reported as malformed by the validator (S005).
            continue;
        }
        let first = ctx.lsu.target(id);
        let other = first
            .map(|f| {
                let line = ctx.text[..f.range().start.min(ctx.text.len())]
                    .matches('\n')
                    .count()
                    + 1;
                format!(" par <{}> (ligne {line})", f.tag_name().name())
            })
            .unwrap_or_default();
        out.push(ctx.at_attr(
            *n,
            "id",
            Code::U004,
            format!(
                "l'attribut id de <{}> vaut « {id} », identifiant déjà utilisé{other} : chaque id doit être unique dans tout le fichier",
                n.tag_name().name()
            ),
        ));
    }
    out
}

const XINCLUDE_NS: &str = "http://www.w3.org/2001/XInclude";

fn translate_one(ctx: &Ctx, loc: &mut Locator, e: &RawError) -> Option<Diagnostic> {
    let kind = classify(&e.detail);
    let attr = e.attribute.as_deref();
    let elem = e.element.as_deref().unwrap_or("?");
    // The version is S001/S007's business: the file is checked against the chosen schema anyway
    // (a user's schema that refuses the file's version says so, like any enumeration).
    if attr == Some("schemaVersion") && elem == "lsun-bilans" && ctx.version.user_schema.is_none() {
        return None;
    }
    // Missing children, duplicate keys and facets of an element's own text are reported
    // when the element closes.
    let end_tag = match &kind {
        Kind::MissingChild(_) | Kind::Duplicate { .. } => true,
        Kind::Enumeration { .. }
        | Kind::Length { .. }
        | Kind::MaxLength { .. }
        | Kind::MinLength { .. }
        | Kind::Pattern { .. }
        | Kind::Atomic { .. }
        | Kind::Range { .. }
        | Kind::Digits { .. } => attr.is_none(),
        _ => false,
    };
    let pred: Box<dyn Fn(Node) -> bool> = match (&kind, attr) {
        (Kind::MissingAttribute(a), _) => {
            let a = a.to_string();
            Box::new(move |n: Node| !n.has_attribute(a.as_str()))
        }
        (Kind::AttributeNotAllowed(a), _) => {
            let a = a.to_string();
            Box::new(move |n: Node| n.has_attribute(a.as_str()))
        }
        (
            Kind::Enumeration { value, .. }
            | Kind::Pattern { value, .. }
            | Kind::Atomic { value, .. }
            | Kind::Range { value, .. }
            | Kind::Digits { value, .. },
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
    // The value as it is in the tree (character references resolved).
    let tree_value: Option<String> = node.and_then(|n| match attr {
        Some(a) => n.attribute(a).map(str::to_string),
        None => Some(n.text().unwrap_or("").to_string()),
    });
    let here = place(elem, attr);
    let vers = ctx.version.schema_label();
    let mk = |code: Code, msg: String| Diagnostic::new(code, start, end, msg);

    // An element inside a text-only element: libxml2 then also judges the (empty) text against
    // every facet, which would give contradictory findings. One finding says what is there.
    if attr.is_none() {
        if let Some(child) = node.and_then(|n| n.children().find(|c| c.is_element())) {
            if !e.detail.starts_with("Element content is not allowed") {
                return None;
            }
            let tag = match child.tag_name().namespace() {
                Some(XINCLUDE_NS) => format!("xi:{}", child.tag_name().name()),
                _ => child.tag_name().name().to_string(),
            };
            let why = if child.tag_name().namespace() == Some(XINCLUDE_NS) {
                " ; les inclusions XInclude ne sont lues ni par LSU ni par lsu-lint : le texte doit figurer dans l'export lui-même"
            } else {
                ""
            };
            return Some(mk(
                Code::S002,
                format!("{here} contient l'élément <{tag}> alors qu'il n'admet que du texte{why}"),
            ));
        }
    }

    let d = match kind {
        Kind::Enumeration { value, set } => {
            let allowed = set.join(", ");
            // On one- or two-letter codes an edit distance means nothing, except for case.
            let hint = did_you_mean(value, &set)
                .filter(|s| {
                    value.trim().chars().count() >= 3 || s.eq_ignore_ascii_case(value.trim())
                })
                .map(|s| format!(" ; vouliez-vous dire « {s} » ?"))
                .unwrap_or_default();
            let mut d = mk(
                Code::S004,
                format!("{here} vaut « {} », qui n'est pas un code autorisé (valeurs admises : {allowed}){hint}", shown(value)),
            )
            .with_group(format!("code hors de la liste autorisée pour {here}"));
            // Safe fix only for case or surrounding spaces.
            if let (Some(n), Some(a)) = (node, attr) {
                if let Some(target) = set
                    .iter()
                    .find(|s| value.trim().eq_ignore_ascii_case(s) && **s != value)
                {
                    if let Some((vs, ve)) = model::attr_value_range(n, a) {
                        d = d.with_fix(Fix::safe(
                            format!("Remplacer « {} » par « {target} »", shown(value)),
                            vec![Edit::replace(vs, ve, *target)],
                        ));
                    }
                }
            }
            d
        }
        Kind::Length { actual, limit } => {
            let v = tree_value.clone().unwrap_or_default();
            match (elem, attr) {
                ("etablissement", None) => mk(
                    Code::I001,
                    format!("le code UAI de l'établissement « {} » a {actual} caractères au lieu de {limit} (7 chiffres et une lettre)", shown(&v)),
                ),
                (_, Some("ine")) => mk(
                    Code::I005,
                    format!("l'INE « {} » a {actual} caractères au lieu de {limit}", shown(&v)),
                ),
                (_, Some("millesime")) => mk(
                    Code::S005,
                    format!("{here} vaut « {} » ({actual} caractères) : le millésime s'écrit avec {limit} caractères, l'année de la rentrée (par exemple 2025 pour 2025-2026)", shown(&v)),
                ),
                _ => mk(
                    Code::S005,
                    format!("{here} vaut « {} » ({actual} caractères) : la longueur exigée est de {limit} caractères", shown(&v)),
                ),
            }
        }
        Kind::MaxLength { actual, limit } => {
            if attr.is_some_and(is_average) {
                mk(Code::P003, format!("{here} a {actual} caractères, au-delà de la limite de {limit} caractères pour une moyenne"))
            } else {
                mk(Code::X001, format!("{here} a {actual} caractères, au-delà de la limite de {limit} caractères (schéma {vers})"))
                    .with_group(crate::rules::text::x001::group(&crate::rules::text::field_name(elem, attr), limit))
            }
        }
        Kind::MinLength { actual, limit } => {
            let text_like = attr.is_none_or(|a| TEXT_ATTRIBUTES.contains(&a));
            if attr.is_some_and(is_average) {
                mk(
                    Code::P003,
                    format!("{here} est vide : une moyenne doit avoir au moins {limit} caractère"),
                )
            } else if text_like {
                mk(Code::X002, format!("{here} est vide ({actual} caractère) alors qu'un texte d'au moins {limit} caractère est exigé"))
                    .with_group(crate::rules::text::x002::group(&crate::rules::text::field_name(elem, attr)))
            } else {
                mk(Code::S005, format!("{here} est vide alors qu'une valeur d'au moins {limit} caractère est exigée"))
            }
        }
        Kind::Pattern { value, pattern } => {
            let v = tree_value.clone().unwrap_or_else(|| value.to_string());
            if pattern == NON_BLANK_PATTERN {
                if v.contains('\r') {
                    let n = v.matches('\r').count();
                    let what = if n > 1 {
                        format!("{n} retours chariot")
                    } else {
                        "un retour chariot".to_string()
                    };
                    mk(
                        Code::X003,
                        format!("{here} contient {what} (CR, écrit &#13;) : LSU refuse ce caractère ; remplacer par un saut de ligne simple"),
                    )
                } else {
                    mk(Code::X002, format!("{here} ne contient que des espaces (« {} ») : un texte non vide est exigé", shown(&v)))
                        .with_group(crate::rules::text::x002::group(&crate::rules::text::field_name(elem, attr)))
                }
            } else if attr.is_some_and(|a| a == "positionnement" || a == "niveau") {
                if attr == Some("positionnement")
                    && elem == "domaine"
                    && node.is_some_and(in_bilan_cycle_socle)
                {
                    mk(Code::C001, format!("{here} vaut « {} » : le positionnement d'une composante du socle va de 0 (dispensé) à 4", shown(&v)))
                } else {
                    let range = pattern_range(pattern);
                    mk(
                        Code::P003,
                        format!("{here} vaut « {} » : valeur attendue {range}", shown(&v)),
                    )
                }
            } else if attr.is_some_and(is_counter) {
                mk(
                    Code::P008,
                    format!(
                        "{here} vaut « {} » : un compteur de vie scolaire est un entier de 0 à 999",
                        shown(&v)
                    ),
                )
            } else if attr == Some("date-verrou") {
                let hint = iso_date(&v)
                    .map(|d| format!(" (par exemple « {d} »)"))
                    .unwrap_or_default();
                mk(Code::S005, format!("{here} vaut « {} » : format attendu AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ss, sans fuseau ni fraction de seconde{hint}", shown(&v)))
            } else {
                let range = pattern_range(pattern);
                mk(
                    Code::S005,
                    format!("{here} vaut « {} » : valeur attendue {range}", shown(&v)),
                )
            }
        }
        Kind::Atomic { value, ty } => {
            let v = tree_value.clone().unwrap_or_else(|| value.to_string());
            atomic(ctx, node, attr, &here, &v, ty, &mk)
        }
        Kind::Range { value, limit, max } => {
            let cmp = if max {
                "supérieure au maximum"
            } else {
                "inférieure au minimum"
            };
            if attr.is_some_and(is_counter) {
                mk(
                    Code::P008,
                    format!("{here} vaut « {value} » : un compteur de vie scolaire va de 0 à 999"),
                )
            } else if attr.is_some_and(is_average) {
                mk(Code::P003, format!("{here} vaut « {value} », valeur {cmp} autorisé ({limit}) : une moyenne va de 0 à 20"))
            } else {
                mk(
                    Code::S005,
                    format!("{here} vaut « {value} », valeur {cmp} autorisé ({limit})"),
                )
            }
        }
        Kind::Digits {
            value,
            limit,
            fraction,
        } => {
            let what = if fraction {
                format!("au plus {limit} décimales")
            } else {
                format!("au plus {limit} chiffres")
            };
            let code = if attr.is_some_and(is_average) {
                Code::P003
            } else {
                Code::S005
            };
            mk(code, format!("{here} vaut « {value} » : {what} sont admis (moyenne sur 20, point décimal, par exemple 14.25)"))
        }
        Kind::MissingAttribute(a) => {
            let n_here = place(elem, None);
            if elem == "acquis" && a == "element-programme-refs" {
                mk(Code::P007, format!("{n_here} : l'attribut element-programme-refs est absent alors que le schéma {vers} l'exige (au moins un élément de programme par acquis)"))
            } else if is_counter(a) && elem == "vie-scolaire" {
                mk(Code::P008, format!("{n_here} : le compteur obligatoire {a} est absent (entier de 0 à 999, 0 s'il n'y a rien à signaler)"))
            } else if elem == "domaine"
                && a == "positionnement"
                && node.is_some_and(in_bilan_cycle_socle)
            {
                let code = node.and_then(|n| n.attribute("code")).unwrap_or("?");
                mk(Code::C001, format!("{n_here} : la composante du socle {code} (« {} ») n'a pas de positionnement (0 à 4, 0 = dispensé)", socle_label(code)))
            } else if elem == "domaine"
                && a == "positionnement"
                && node.is_some_and(in_bilan_periodique_socle)
            {
                let code = node.and_then(|n| n.attribute("code")).unwrap_or("?");
                mk(Code::C005, format!("{n_here} : la composante du socle {code} du bilan périodique n'a pas de positionnement, obligatoire dans le schéma {vers}"))
            } else {
                mk(
                    Code::S003,
                    format!("{n_here} : l'attribut obligatoire {a} est absent"),
                )
            }
        }
        Kind::AttributeNotAllowed(a) => {
            let hint = match a {
                "eleve-non-note" | "structure-non-notee" => " (remplacé par statut-evaluation-eleve / statut-evaluation-structure en 10.0)",
                "statut-evaluation-eleve" | "statut-evaluation-structure" => " (n'existe qu'à partir du schéma 10.0 ; avant : eleve-non-note / structure-non-notee)",
                "date-verrou" => " (supprimé dans le schéma 10.0)",
                "id-lv" => " (n'existe qu'à partir du schéma 7.0)",
                "non-evalue" => " (schéma 1D 1.0 révision b)",
                _ => "",
            };
            mk(
                Code::S002,
                format!(
                    "{} : l'attribut {a} n'est pas autorisé dans le schéma {vers}{hint}",
                    place(elem, None)
                ),
            )
        }
        Kind::MissingChild(expected) => {
            let list = expected.join(", ");
            if elem == "socle" && node.is_some_and(in_bilan_cycle_socle) {
                mk(Code::C001, socle_message(node))
            } else if elem == "socle" && node.is_some_and(in_bilan_periodique_socle) {
                let n = node
                    .map(|n| model::children(n, "domaine").count())
                    .unwrap_or(0);
                mk(Code::C005, format!("<socle> du bilan périodique : {n} composante(s) au lieu des 8 exigées par le schéma {vers}"))
            } else if elem == "bilan-cycle" && expected.contains(&"synthese") {
                mk(Code::C002, "<bilan-cycle> : l'élément obligatoire <synthese> (synthèse de fin de cycle) est absent".to_string())
            } else {
                mk(
                    Code::S003,
                    format!("<{elem}> : élément(s) obligatoire(s) manquant(s) ; attendu : {list}"),
                )
            }
        }
        Kind::NotExpected(expected) => {
            let list = expected.join(", ");
            let parent = node.map(parent_name).unwrap_or("");
            if elem == "domaine" && parent == "socle" && node.is_some_and(in_bilan_cycle_socle) {
                mk(
                    Code::C001,
                    socle_message(node.and_then(|n| n.parent_element())),
                )
            } else if elem == "domaine"
                && parent == "socle"
                && node.is_some_and(in_bilan_periodique_socle)
            {
                mk(
                    Code::C005,
                    "<socle> du bilan périodique : plus de 8 composantes".to_string(),
                )
            } else if !expected.is_empty()
                && node.and_then(|n| n.parent_element()).is_some_and(|p| {
                    !p.children()
                        .any(|c| c.is_element() && expected.contains(&c.tag_name().name()))
                })
            {
                // None of the expected elements is there at all: a required one is missing
                // before this element (libxml2 reports it on the next element).
                if parent == "bilan-cycle" && expected == ["synthese"] {
                    mk(Code::C002, "<bilan-cycle> : l'élément obligatoire <synthese> (synthèse de fin de cycle) est absent".to_string())
                } else if expected.len() == 1 {
                    mk(Code::S003, format!("<{parent}> : l'élément obligatoire <{list}> est absent (attendu avant <{elem}>)"))
                } else {
                    mk(Code::S003, format!("<{parent}> : un élément obligatoire manque avant <{elem}> ; attendu à cet endroit : {list}"))
                }
            } else if list.is_empty() {
                mk(Code::S002, format!("<{elem}> n'est pas attendu à cet endroit (dans <{parent}>) selon le schéma {vers}"))
            } else {
                mk(Code::S002, format!("<{elem}> n'est pas attendu à cet endroit (dans <{parent}>) ; attendu ici : {list} (ordre imposé par le schéma {vers})"))
            }
        }
        Kind::Duplicate { values, constraint } => duplicate(node, elem, values, constraint, &mk),
        Kind::Other => {
            if e.parser {
                mk(
                    Code::S002,
                    format!(
                        "lecture du document par le validateur impossible (message de libxml2 : {})",
                        e.message
                    ),
                )
            } else if e.detail.contains("No matching global declaration") {
                mk(Code::S002, format!("<{elem}> : élément racine inconnu du schéma {vers} (espace de noms manquant ?)"))
            } else {
                mk(
                    Code::S002,
                    format!(
                        "{} : erreur de schéma (message du validateur libxml2 : {})",
                        place(elem, attr),
                        e.detail
                    ),
                )
            }
        }
    };
    Some(refine_kind(ctx, d, node, elem, attr))
}

/// The kind of a translated finding whose rule declares several: S004/S005 with their safe
/// fix (case or spaces, a date to reformat) are corrected in the file; X001 follows the class
/// of the field, as the rule does.
fn refine_kind(
    ctx: &Ctx,
    d: Diagnostic,
    node: Option<Node>,
    elem: &str,
    attr: Option<&str>,
) -> Diagnostic {
    match d.code {
        Code::S004 if d.fix.is_some() => Diagnostic {
            // The generic title (« code autorisé mal écrit ») says it better than the list's.
            group: None,
            ..d.with_kind("casse-ou-espaces")
        },
        Code::S005 if d.fix.is_some() => d.with_kind("date-a-reformater"),
        Code::X001 => {
            let spec = match attr {
                Some(a) => crate::rules::text::attr_spec(ctx.version, elem, a),
                None => node.and_then(|n| crate::rules::text::element_spec(ctx.version, n)),
            };
            let kind = match spec {
                Some(s) => crate::rules::text::x001::kind_of(s.class),
                // A field outside the table: element texts are prose, attributes identifiers.
                None if attr.is_none() => "appreciation",
                None => "nom-code-adresse",
            };
            d.with_kind(kind)
        }
        _ => d,
    }
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

/// `[1-4]` → « de 1 à 4 »; other patterns are shown as they are.
fn pattern_range(p: &str) -> String {
    let b = p.as_bytes();
    if b.len() == 5 && b[0] == b'[' && b[2] == b'-' && b[4] == b']' {
        return format!("de {} à {}", b[1] as char, b[3] as char);
    }
    if p.len() == 1 {
        return format!("« {p} »");
    }
    format!("conforme au motif {p}")
}

fn socle_message(socle: Option<Node>) -> String {
    let present: Vec<&str> = socle
        .map(|s| {
            model::children(s, "domaine")
                .filter_map(|d| d.attribute("code"))
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<String> = SOCLE
        .iter()
        .filter(|(c, _)| !present.contains(c))
        .map(|(c, l)| format!("{c} « {l} »"))
        .collect();
    if missing.is_empty() {
        format!("<socle> du bilan de fin de cycle : {} composantes au lieu de 8 (chacune des 8 exactement une fois)", present.len())
    } else {
        format!(
            "<socle> du bilan de fin de cycle : {} composante(s) sur 8 ; manquante(s) : {}",
            present.len(),
            missing.join(" ; ")
        )
    }
}

fn atomic(
    ctx: &Ctx,
    node: Option<Node>,
    attr: Option<&str>,
    here: &str,
    v: &str,
    ty: &str,
    mk: &dyn Fn(Code, String) -> Diagnostic,
) -> Diagnostic {
    match ty {
        "xs:ID" => {
            if is_ncname(v.trim()) && ctx.lsu.ids.contains_key(v.trim()) {
                mk(Code::U004, format!("{here} vaut « {v} », identifiant déjà utilisé par un autre élément : chaque id doit être unique dans tout le fichier"))
            } else {
                mk(Code::S005, format!("{here} vaut « {} », qui n'est pas un identifiant XML valide : il doit commencer par une lettre ou « _ », sans espace ni deux-points (par exemple « ID_{} »)", shown(v), v.trim().replace([' ', ':'], "_")))
            }
        }
        "xs:IDREF" | "xs:IDREFS" => mk(
            Code::S005,
            format!("{here} vaut « {} », qui n'est pas une référence valide (identifiant(s) commençant par une lettre ou « _ », séparés par des espaces)", shown(v)),
        ),
        "xs:date" => {
            let mut d = mk(Code::S005, String::new());
            let fixed = iso_date(v);
            d.message = match &fixed {
                Some(f) => format!("{here} vaut « {} », qui n'est pas une date au format AAAA-MM-JJ : écrire « {f} »", shown(v)),
                None => format!("{here} vaut « {} », qui n'est pas une date valide au format AAAA-MM-JJ", shown(v)),
            };
            if let (Some(f), Some(n), Some(a)) = (fixed, node, attr) {
                if let Some((vs, ve)) = model::attr_value_range(n, a) {
                    d = d.with_fix(Fix::safe(format!("Remplacer « {v} » par « {f} »"), vec![Edit::replace(vs, ve, f)]));
                }
            }
            d
        }
        "xs:dateTime" => {
            let hint = iso_date(v).map(|d| format!(" (par exemple « {d}T00:00:00 »)")).unwrap_or_default();
            mk(Code::S005, format!("{here} vaut « {} », qui n'est pas une date-heure au format AAAA-MM-JJThh:mm:ss{hint}", shown(v)))
        }
        "MoyenneNumerique" => {
            let hint = if v.contains(',') {
                format!(" : le séparateur décimal est le point (« {} »)", v.replace(',', "."))
            } else {
                String::new()
            };
            mk(Code::P003, format!("{here} vaut « {} », qui n'est pas une moyenne valide (nombre de 0 à 20, au plus 2 décimales){hint}", shown(v)))
        }
        _ if attr == Some("id-sts") => mk(
            Code::T001,
            format!("{here} vaut « {} » : l'identifiant STS est un entier positif (sans lettre ni préfixe)", shown(v)),
        ),
        _ if attr.is_some_and(is_counter) => mk(
            Code::P008,
            format!("{here} vaut « {} » : un compteur de vie scolaire est un entier de 0 à 999", shown(v)),
        ),
        _ if attr.is_some_and(|a| a == "positionnement" || a == "niveau") => {
            if node.is_some_and(in_bilan_cycle_socle) {
                mk(Code::C001, format!("{here} vaut « {} » : le positionnement d'une composante du socle va de 0 (dispensé) à 4", shown(v)))
            } else {
                mk(Code::P003, format!("{here} vaut « {} », qui n'est pas un entier attendu", shown(v)))
            }
        }
        "xs:boolean" => mk(Code::S005, format!("{here} vaut « {} » : valeurs admises true, false, 1, 0", shown(v))),
        "xs:positiveInteger" => mk(Code::S005, format!("{here} vaut « {} » : un entier strictement positif est attendu", shown(v))),
        "xs:nonNegativeInteger" | "xs:int" | "xs:integer" => {
            mk(Code::S005, format!("{here} vaut « {} » : un nombre entier est attendu", shown(v)))
        }
        _ => mk(Code::S005, format!("{here} vaut « {} », valeur mal formée (type {ty})", shown(v))),
    }
}

fn duplicate(
    node: Option<Node>,
    elem: &str,
    values: &str,
    constraint: &str,
    mk: &dyn Fn(Code, String) -> Diagnostic,
) -> Diagnostic {
    let vals = values.replace('\'', "");
    match constraint {
        "uniq-bc-socle-domaine" => mk(Code::C001, format!("{} (composante {vals} en double)", socle_message(node.and_then(|n| n.parent_element())))),
        "uniq-bp-socle-domaine" => mk(Code::C005, format!("<socle> du bilan périodique : la composante {vals} figure deux fois")),
        "uniq-eleve-id-be" => mk(Code::U001, format!("<eleve> : id-be {vals} déjà déclaré pour un autre élève")),
        "uniq-eleve-ine" => mk(Code::U001, format!("<eleve> : INE {vals} déjà déclaré pour un autre élève")),
        "uniq-bilan-periodique" => mk(Code::U002, format!("<bilan-periodique> en double pour le même élève et la même période ({vals})")),
        "uniq-bilan-cycle" => mk(Code::U002, format!("<bilan-cycle> en double pour le même élève et le même cycle ({vals})")),
        "uniq-element-programme-libelle" => mk(Code::U003, format!("<element-programme> : le libellé « {vals} » est déjà déclaré")),
        "uniq-enseignant" => mk(Code::T008, format!("<enseignant> en double (même clé : {vals})")),
        "uniq-discipline" => mk(Code::M003, format!("<discipline> en double (même code, modalité d'élection{}: {vals})", if vals.matches(',').count() >= 2 { " et langue" } else { " " })),
        _ => mk(Code::U005, format!("<{elem}> : valeur(s) {vals} déjà utilisée(s) alors qu'elles doivent être uniques ({})", describe_constraint(constraint))),
    }
}

fn describe_constraint(c: &str) -> &'static str {
    match c {
        "uniq-responsable-etab-libelle" => "libellé des responsables d'établissement",
        "uniq-periode" => "période : millésime, indice, nombre de périodes",
        "uniq-parcours-commun" => "parcours commun : période et division",
        "uniq-parcours-commun-code" => "code de parcours dans un parcours commun",
        "uniq-vie-scolaire-commun" => "vie scolaire commune : période et division",
        "uniq-epi-thematique-code" => "code de thématique d'EPI",
        "uniq-bp-acquis-discipline" => "une seule ligne d'acquis par discipline dans un bilan",
        "uniq-bp-competence-num" => "code de compétence numérique dans un bilan",
        "uniq-bp-epi-eleve" => "groupe d'EPI dans un bilan",
        "uniq-bp-acc-perso-eleve" => "groupe d'AP dans un bilan",
        "uniq-bp-parcours" => "code de parcours dans un bilan",
        "uniq-bp-modalite" => "modalité d'accompagnement dans un bilan",
        "uniq-directeur" => "directeur : civilité, nom, prénom",
        "uniq-classe-id-be" => "identifiant ONDE de classe",
        "uniq-acquis-code" => "code de domaine dans un bilan",
        "uniq-sous-domaine-code" => "code de sous-domaine dans un domaine",
        _ => "contrainte d'unicité du schéma",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_messages() {
        let e = parse_message(
            3,
            "Element '{urn:fr:edu:scolarite:lsun:bilans:import}acquis', attribute 'moyenne-eleve': '14,5' is not a valid value of the atomic type '{urn:fr:edu:scolarite:lsun:bilans:import}MoyenneNumerique'.".into(),
            false,
        );
        assert_eq!(e.element.as_deref(), Some("acquis"));
        assert_eq!(e.attribute.as_deref(), Some("moyenne-eleve"));
        match classify(&e.detail) {
            Kind::Atomic { value, ty } => {
                assert_eq!(value, "14,5");
                assert_eq!(ty, "MoyenneNumerique");
            }
            _ => panic!("not atomic"),
        }
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("04/12/2025").as_deref(), Some("2025-12-04"));
        assert_eq!(iso_date("2025/12/04").as_deref(), Some("2025-12-04"));
        assert_eq!(iso_date("31/02/2025"), None);
        assert_eq!(
            iso_date("2025-12-04T10:00:00").as_deref(),
            Some("2025-12-04")
        );
        assert_eq!(iso_date("hier"), None);
    }

    #[test]
    fn declaration_is_rewritten_only_when_not_utf8() {
        assert!(declaration_fix("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>").is_none());
        let (d, end) = declaration_fix("<?xml version=\"1.0\" encoding='ISO-8859-1'?><a/>")
            .unwrap_or_default();
        assert_eq!(d, "<?xml version=\"1.0\" encoding='UTF-8'?>");
        assert_eq!(end, "<?xml version=\"1.0\" encoding='ISO-8859-1'?>".len());
    }
}
