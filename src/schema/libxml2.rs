//! The few libxml2 functions schema validation calls, declared by hand.
//!
//! Declaring them here (instead of the `libxml` crate's bindings) keeps the build free of
//! libclang and of any architecture-specific path: `build.rs` finds libxml2 with pkg-config
//! and links it. Every item below has kept the same C signature and layout from libxml2 2.9
//! to 2.14 (the `xmlError` struct and the enum values are part of its stable ABI); the names
//! follow bindgen's so the calling code reads like the C API.

#![allow(non_camel_case_types, non_upper_case_globals)]

use std::ffi::{c_char, c_int, c_uint, c_void};

/// `struct _xmlError` (xmlerror.h).
#[repr(C)]
pub(super) struct xmlError {
    pub domain: c_int,
    pub code: c_int,
    pub message: *mut c_char,
    pub level: xmlErrorLevel,
    pub file: *mut c_char,
    pub line: c_int,
    pub str1: *mut c_char,
    pub str2: *mut c_char,
    pub str3: *mut c_char,
    pub int1: c_int,
    /// The column, when known.
    pub int2: c_int,
    pub ctxt: *mut c_void,
    pub node: *mut c_void,
}

pub(super) type xmlErrorPtr = *mut xmlError;
pub(super) type xmlErrorLevel = c_uint;
pub(super) const xmlErrorLevel_XML_ERR_WARNING: xmlErrorLevel = 1;
pub(super) type xmlErrorDomain = c_uint;
pub(super) const xmlErrorDomain_XML_FROM_SCHEMASV: xmlErrorDomain = 17;
pub(super) type xmlCharEncoding = c_int;
pub(super) const xmlCharEncoding_XML_CHAR_ENCODING_UTF8: xmlCharEncoding = 1;

/// Opaque libxml2 objects, only ever handled through pointers.
#[repr(C)]
pub(super) struct xmlOpaque {
    _private: [u8; 0],
}
pub(super) type xmlParserCtxtPtr = *mut xmlOpaque;
pub(super) type xmlParserInputPtr = *mut xmlOpaque;
pub(super) type xmlParserInputBufferPtr = *mut xmlOpaque;
pub(super) type xmlSchemaPtr = *mut xmlOpaque;
pub(super) type xmlSchemaParserCtxtPtr = *mut xmlOpaque;
pub(super) type xmlSchemaValidCtxtPtr = *mut xmlOpaque;
pub(super) type xmlSAXHandlerPtr = *mut xmlOpaque;

pub(super) type xmlStructuredErrorFunc = Option<unsafe extern "C" fn(*mut c_void, xmlErrorPtr)>;
pub(super) type xmlExternalEntityLoader = Option<
    unsafe extern "C" fn(*const c_char, *const c_char, xmlParserCtxtPtr) -> xmlParserInputPtr,
>;
pub(super) type xmlInputReadCallback =
    Option<unsafe extern "C" fn(*mut c_void, *mut c_char, c_int) -> c_int>;
pub(super) type xmlInputCloseCallback = Option<unsafe extern "C" fn(*mut c_void) -> c_int>;

extern "C" {
    pub(super) fn xmlInitParser();
    pub(super) fn xmlSetExternalEntityLoader(f: xmlExternalEntityLoader);
    pub(super) fn xmlSetStructuredErrorFunc(ctx: *mut c_void, handler: xmlStructuredErrorFunc);
    /// Opens a local file as a parser input (the `--xsd` schema and its includes).
    pub(super) fn xmlNewInputFromFile(
        ctxt: xmlParserCtxtPtr,
        filename: *const c_char,
    ) -> xmlParserInputPtr;
    /// Initialises the built-in schema types once (the first schema parse does it lazily, not
    /// thread-safely, in libxml2 before 2.11; deprecated but still exported after; its result,
    /// an int from 2.11, is ignored).
    pub(super) fn xmlSchemaInitTypes();
    pub(super) fn xmlSchemaNewParserCtxt(url: *const c_char) -> xmlSchemaParserCtxtPtr;
    pub(super) fn xmlSchemaNewMemParserCtxt(
        buffer: *const c_char,
        size: c_int,
    ) -> xmlSchemaParserCtxtPtr;
    pub(super) fn xmlSchemaSetParserStructuredErrors(
        ctxt: xmlSchemaParserCtxtPtr,
        serror: xmlStructuredErrorFunc,
        ctx: *mut c_void,
    );
    pub(super) fn xmlSchemaParse(ctxt: xmlSchemaParserCtxtPtr) -> xmlSchemaPtr;
    pub(super) fn xmlSchemaFreeParserCtxt(ctxt: xmlSchemaParserCtxtPtr);
    pub(super) fn xmlSchemaFree(schema: xmlSchemaPtr);
    pub(super) fn xmlSchemaNewValidCtxt(schema: xmlSchemaPtr) -> xmlSchemaValidCtxtPtr;
    pub(super) fn xmlSchemaSetValidStructuredErrors(
        ctxt: xmlSchemaValidCtxtPtr,
        serror: xmlStructuredErrorFunc,
        ctx: *mut c_void,
    );
    pub(super) fn xmlSchemaFreeValidCtxt(ctxt: xmlSchemaValidCtxtPtr);
    pub(super) fn xmlParserInputBufferCreateIO(
        ioread: xmlInputReadCallback,
        ioclose: xmlInputCloseCallback,
        ioctx: *mut c_void,
        enc: xmlCharEncoding,
    ) -> xmlParserInputBufferPtr;
    pub(super) fn xmlSchemaValidateStream(
        ctxt: xmlSchemaValidCtxtPtr,
        input: xmlParserInputBufferPtr,
        enc: xmlCharEncoding,
        sax: xmlSAXHandlerPtr,
        user_data: *mut c_void,
    ) -> c_int;
}
