//! Small helpers for writing XML by hand, streaming (escaping is `lsu_lint::util`'s).

use std::io::{self, Write};

use lsu_lint::util::escape_attr;

/// Counts the bytes written through it (for `--target-mb` and byte offsets).
pub struct Counting<W> {
    pub inner: W,
    pub count: u64,
}

impl<W: Write> Counting<W> {
    pub fn new(inner: W) -> Self {
        Counting { inner, count: 0 }
    }
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A writer that transcodes UTF-8 text to ISO-8859-15 (Latin-9) as Siècle and STS exports
/// are encoded. Characters outside Latin-9 become numeric character references, which is
/// valid XML. Text must be written in whole UTF-8 sequences (`write!` does so): put any
/// buffering inside (`Latin9 { inner: BufWriter }`), never outside.
pub struct Latin9<W> {
    pub inner: W,
}

impl<W: Write> Write for Latin9<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let s =
            std::str::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let (bytes, _, _) = encoding_rs::ISO_8859_15.encode(s);
        self.inner.write_all(&bytes)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes ` name="value"` (escaped).
pub fn attr<W: Write + ?Sized>(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    write!(w, " {name}=\"{}\"", escape_attr(value, '"'))
}
