//! Source files and positions: byte offsets ↔ 1-based line and character column.

use std::path::PathBuf;

/// Maps byte offsets of one text to lines and columns (columns count characters, not bytes).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of every line (u32: files are limited well below 4 GiB, and a
    /// large file has millions of lines).
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        for (i, b) in text.iter().enumerate() {
            if *b == b'\n' {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        LineIndex { starts }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        }
    }

    pub fn line_start(&self, line0: usize) -> usize {
        self.starts.get(line0).map(|s| *s as usize).unwrap_or(0)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based (line, column) of a byte offset; the column counts characters.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line0 = self.line_of(offset);
        let start = self.line_start(line0);
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line0 + 1, col + 1)
    }

    /// Byte offset of a 1-based (line, character column); clamps to the text.
    pub fn offset(&self, text: &str, line: usize, col: usize) -> usize {
        let line0 = line
            .saturating_sub(1)
            .min(self.starts.len().saturating_sub(1));
        let start = self.line_start(line0);
        let end = self
            .starts
            .get(line0 + 1)
            .map(|s| *s as usize)
            .unwrap_or(text.len())
            .min(text.len());
        let slice = text.get(start..end).unwrap_or("");
        let mut off = start;
        for (i, (b, _)) in slice.char_indices().enumerate() {
            if i + 1 == col.max(1) {
                return start + b;
            }
            off = start + b;
        }
        if col <= 1 {
            start
        } else {
            off.max(start).min(text.len())
        }
    }
}

/// One input file as read from disk (or uploaded): its display path and raw bytes.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Display name (the path as given by the user).
    pub name: String,
    pub bytes: Vec<u8>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        let name = name.into();
        SourceFile {
            path: PathBuf::from(&name),
            name,
            bytes,
        }
    }
}
