//! Source files and positions: byte offsets ↔ 1-based line and character column.

use std::path::PathBuf;

/// Lines marked in the index: one in `STRIDE`. A lookup counts the line breaks after the
/// nearest mark (at most `STRIDE` lines, a few kilobytes), so the index of a 200 MB file holds
/// tens of thousands of offsets instead of millions.
const STRIDE: usize = 64;

/// Maps byte offsets of one text to lines and columns (columns count characters, not bytes).
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t [u8],
    /// Byte offset of the start of lines 0, `STRIDE`, 2·`STRIDE`… (u32: files are limited well
    /// below 4 GiB).
    marks: Vec<u32>,
    lines: usize,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t [u8]) -> Self {
        let mut marks = Vec::with_capacity(text.len() / (40 * STRIDE) + 1);
        marks.push(0);
        let mut lines = 1;
        for i in memchr::memchr_iter(b'\n', text) {
            if lines % STRIDE == 0 {
                marks.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
            lines += 1;
        }
        LineIndex { text, marks, lines }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let k = self
            .marks
            .partition_point(|m| *m as usize <= offset)
            .saturating_sub(1);
        let from = self.marks[k] as usize;
        k * STRIDE + memchr::memchr_iter(b'\n', &self.text[from..offset]).count()
    }

    /// Byte offset of the start of a 0-based line (0 past the last line).
    pub fn line_start(&self, line0: usize) -> usize {
        if line0 >= self.lines {
            return 0;
        }
        let from = self.marks[line0 / STRIDE] as usize;
        match (line0 % STRIDE).checked_sub(1) {
            None => from,
            Some(skip) => memchr::memchr_iter(b'\n', &self.text[from..])
                .nth(skip)
                .map_or(0, |p| from + p + 1),
        }
    }

    pub fn line_count(&self) -> usize {
        self.lines
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
        let line0 = line.saturating_sub(1).min(self.lines.saturating_sub(1));
        let start = self.line_start(line0);
        let end = if line0 + 1 < self.lines {
            self.line_start(line0 + 1)
        } else {
            text.len()
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line start, the plain way.
    fn naive_starts(text: &[u8]) -> Vec<usize> {
        std::iter::once(0)
            .chain(
                text.iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect()
    }

    #[test]
    fn sparse_index_agrees_with_every_line_start() {
        let mut texts: Vec<String> = vec![String::new(), "\n".into(), "a".into(), "\n\n\n".into()];
        // Line counts around the stride, line lengths varying, CRLF and non-ASCII included.
        for n in [STRIDE - 1, STRIDE, STRIDE + 1, 3 * STRIDE + 7] {
            let mut t = String::new();
            for i in 0..n {
                t.push_str(&"é".repeat(i % 5));
                t.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
            }
            texts.push(t.clone());
            t.push_str("fin");
            texts.push(t);
        }
        for t in &texts {
            let b = t.as_bytes();
            let starts = naive_starts(b);
            let idx = LineIndex::new(b);
            assert_eq!(idx.line_count(), starts.len(), "{t:?}");
            for off in 0..=b.len() + 2 {
                let want = starts.partition_point(|s| *s <= off).saturating_sub(1);
                assert_eq!(idx.line_of(off), want, "offset {off} of {t:?}");
            }
            for (l, s) in starts.iter().enumerate() {
                assert_eq!(idx.line_start(l), *s, "line {l} of {t:?}");
            }
            assert_eq!(idx.line_start(starts.len()), 0);
        }
    }

    #[test]
    fn positions_and_offsets_round_trip() {
        let text = (0..200)
            .map(|i| format!("ligne {i} « é »\n"))
            .collect::<String>();
        let idx = LineIndex::new(text.as_bytes());
        for (off, _) in text.char_indices() {
            let (line, col) = idx.position(&text, off);
            assert_eq!(idx.offset(&text, line, col), off);
        }
        assert_eq!(idx.position(&text, 0), (1, 1));
        assert_eq!(
            idx.position(&text, text.find("ligne 70 ").unwrap_or(0) + 9),
            (71, 10)
        );
    }
}
