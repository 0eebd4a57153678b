//! Compiling schemas: our built-in XSDs once per thread (libxml2 schema objects are not
//! Send), the user's `--xsd` once per run (shared read-only), any XSD text for the tests.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::rc::Rc;
use std::sync::Once;

use super::libxml2 as ffi;
use super::validate::{drop_error, on_error, validate_compiled, RawError, Sink};
use crate::error::Error;
use crate::model::SchemaKind;

pub(super) fn schema_text(kind: SchemaKind) -> &'static str {
    match kind {
        SchemaKind::D1V1_0b => include_str!("../../schemas/lsu-1d-1.0b.xsd"),
        SchemaKind::D2V3_0_2020 => include_str!("../../schemas/lsu-2d-3.0-2020.xsd"),
        SchemaKind::D2V7_0 => include_str!("../../schemas/lsu-2d-7.0.xsd"),
        SchemaKind::D2V10_0 => include_str!("../../schemas/lsu-2d-10.0.xsd"),
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

pub(super) fn init_libxml() {
    INIT.call_once(|| unsafe {
        ffi::xmlInitParser();
        // Lazily initialised by the first schema parse, not thread-safely: done once here.
        ffi::xmlSchemaInitTypes();
        ffi::xmlSetExternalEntityLoader(Some(no_external_entity));
    });
}

/// A compiled schema, freed with its owner.
pub(super) struct Compiled(pub(super) ffi::xmlSchemaPtr);

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

/// The built-in schema `kind`, compiled on this thread the first time it is asked for.
pub(super) fn compile(kind: SchemaKind) -> Result<Rc<Compiled>, Error> {
    if let Some(c) = SCHEMAS.with(|s| s.borrow().get(&kind).cloned()) {
        return Ok(c);
    }
    // The `xs:unique` checked on the tree are left out of what libxml2 compiles (`identity`).
    let text = match super::identity::builtin(kind) {
        Some(plan) => plan.stripped(),
        None => schema_text(kind),
    };
    let c = Rc::new(compile_text(text, kind.label())?);
    SCHEMAS.with(|s| s.borrow_mut().insert(kind, c.clone()));
    Ok(c)
}

fn compile_text(text: &str, label: &'static str) -> Result<Compiled, Error> {
    init_libxml();
    let len = c_int::try_from(text.len())
        .map_err(|_| Error::Schema(label, "schéma trop grand".into()))?;
    let mut sink = Sink::default();
    let schema = unsafe {
        let pctxt = ffi::xmlSchemaNewMemParserCtxt(text.as_ptr() as *const c_char, len);
        if pctxt.is_null() {
            return Err(Error::Schema(label, "contexte libxml2 non créé".into()));
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
        return Err(Error::Schema(label, msg));
    }
    Ok(Compiled(schema))
}

/// A schema compiled from any XSD text (tests compare ours with the official files). Not
/// Send: use it on the thread that compiled it.
pub struct CustomSchema(Compiled);

impl CustomSchema {
    pub fn compile(xsd: &str) -> Result<Self, Error> {
        compile_text(xsd, "externe").map(CustomSchema)
    }

    /// Validates like [`super::validate`], against this schema.
    pub fn validate(&self, text: &str) -> Result<Vec<RawError>, Error> {
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

    /// Validates like [`super::validate`], against this schema.
    pub fn validate(&self, text: &str) -> Result<Vec<RawError>, Error> {
        validate_compiled(&self.0, "fourni", text)
    }
}

/// Compiles every built-in schema on this thread: what the service waits for before it says it
/// is ready (a schema that does not compile is a broken build, not a bad request).
pub fn compile_builtin() -> Result<(), Error> {
    for kind in SchemaKind::ALL {
        compile(kind)?;
    }
    Ok(())
}
