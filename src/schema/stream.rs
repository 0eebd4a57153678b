//! What libxml2's validator is shown of a document: the text itself, except that the middle of
//! any huge run of character data (text, attribute value, comment, CDATA, processing
//! instruction) is left out.
//!
//! libxml2's streaming validator appends each chunk of a text to the value so far with
//! `xmlStrncat` (which measures the whole value again every time) and runs pattern facets with
//! a regex engine whose state grows with the value: a single 10 MB text took 12 s and 400 MB.
//! No LSU value comes near `HUGE` (the longest schema limit is 1,500 characters), so a shortened
//! value gets the same verdict (too long); lines and columns of later errors are mapped back to
//! the document with the `Splice` list.

/// Runs longer than this (bytes) are shortened for the validator.
pub const HUGE: usize = 64 * 1024;
/// Bytes kept at each end of a shortened run.
const KEEP: usize = 8 * 1024;

/// One left-out middle, in document byte offsets, with the position of the cut in the stream
/// libxml2 reads and in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Splice {
    /// Document offsets of the left-out bytes.
    pub from: usize,
    pub to: usize,
    /// 1-based line and character column of the cut in libxml2's stream.
    pub stream_line: usize,
    pub stream_col: usize,
    /// 1-based line and character column of `to` in the document.
    pub doc_line: usize,
    pub doc_col: usize,
}

/// The document ranges to stream (in order, from `start`) and the splices between them.
pub fn plan(text: &str, start: usize) -> (Vec<(usize, usize)>, Vec<Splice>) {
    let cuts = huge_middles(text.as_bytes(), start);
    let mut ranges = Vec::with_capacity(cuts.len() + 1);
    let mut splices = Vec::with_capacity(cuts.len());
    let mut at = start;
    // Line and column of `at` in the document and in the stream.
    let (mut doc_line, mut doc_col) = position(text, 0, start, (1, 1));
    let mut stream = (doc_line, doc_col);
    for (from, to) in cuts {
        ranges.push((at, from));
        let before = position(text, at, from, (doc_line, doc_col));
        stream = advance(text, at, from, stream);
        let after = position(text, from, to, before);
        splices.push(Splice {
            from,
            to,
            stream_line: stream.0,
            stream_col: stream.1,
            doc_line: after.0,
            doc_col: after.1,
        });
        (doc_line, doc_col) = after;
        at = to;
    }
    ranges.push((at, text.len()));
    (ranges, splices)
}

/// Line and column after reading `text[from..to]` from `pos`.
fn position(text: &str, from: usize, to: usize, pos: (usize, usize)) -> (usize, usize) {
    advance(text, from, to, pos)
}

fn advance(
    text: &str,
    from: usize,
    to: usize,
    (mut line, mut col): (usize, usize),
) -> (usize, usize) {
    let s = text.get(from..to).unwrap_or("");
    match s.rfind('\n') {
        Some(last) => {
            line += s.bytes().filter(|b| *b == b'\n').count();
            col = 1 + s[last + 1..].chars().count();
        }
        None => col += s.chars().count(),
    }
    (line, col)
}

/// Maps a (line, column) of libxml2's stream back to the document.
pub fn to_document(splices: &[Splice], line: usize, col: usize) -> (usize, usize) {
    let idx = splices.partition_point(|s| (s.stream_line, s.stream_col) <= (line, col));
    let Some(s) = idx.checked_sub(1).map(|i| splices[i]) else {
        return (line, col);
    };
    if line == s.stream_line {
        (s.doc_line, s.doc_col + (col - s.stream_col))
    } else {
        (line + s.doc_line - s.stream_line, col)
    }
}

/// The middles to leave out, in order: one per run of character data longer than `HUGE`.
fn huge_middles(b: &[u8], start: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = start;
    let find = |from: usize, pat: &[u8]| {
        b.get(from..)
            .and_then(|rest| rest.windows(pat.len()).position(|w| w == pat))
            .map(|p| from + p)
    };
    while i < b.len() {
        let Some(lt) = b[i..].iter().position(|c| *c == b'<').map(|p| i + p) else {
            cut(b, i, b.len(), &mut out);
            break;
        };
        cut(b, i, lt, &mut out);
        let rest = &b[lt..];
        let (content, close): (usize, &[u8]) = if rest.starts_with(b"<!--") {
            (lt + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            (lt + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            (lt + 2, b"?>")
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            (lt + 2, b">")
        } else {
            i = start_tag(b, lt, &mut out);
            continue;
        };
        let end = find(content, close).unwrap_or(b.len());
        if close.len() > 1 {
            cut(b, content, end, &mut out);
        }
        i = end + close.len();
    }
    out
}

/// Scans a start tag from its `<`, cutting huge attribute values; returns the offset after it.
fn start_tag(b: &[u8], lt: usize, out: &mut Vec<(usize, usize)>) -> usize {
    let mut j = lt + 1;
    while j < b.len() {
        match b[j] {
            q @ (b'"' | b'\'') => {
                let end = b[j + 1..]
                    .iter()
                    .position(|c| *c == q)
                    .map(|p| j + 1 + p)
                    .unwrap_or(b.len());
                cut(b, j + 1, end, out);
                j = end + 1;
            }
            b'>' => return j + 1,
            // Malformed: let the parser report it where it stands.
            b'<' => return j,
            _ => j += 1,
        }
    }
    b.len()
}

/// Records the middle of `b[s..e]` when the run is huge. The cut never splits a character or
/// an entity reference, and never joins bytes into a new delimiter (`]]>`, `?>`, `--`, `\r\n`).
fn cut(b: &[u8], s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    if e.saturating_sub(s) <= HUGE {
        return;
    }
    let mut from = s + KEEP;
    let mut to = e - KEEP;
    let boundary = |p: usize| b.get(p).is_none_or(|c| (*c as i8) >= -0x40);
    while from > s && (!boundary(from) || matches!(b[from - 1], b']' | b'?' | b'-' | b'\r')) {
        from -= 1;
    }
    if let Some(amp) = open_reference(b, s, from) {
        from = amp;
    }
    while to < e && (!boundary(to) || b[to] == b'-') {
        to += 1;
    }
    if let Some(amp) = open_reference(b, from, to) {
        // The reference starting before `to` is kept whole in the tail.
        to = amp;
    }
    if from < to {
        out.push((from, to));
    }
}

/// The `&` of a reference still open at `at` (no `;` between them), within its 32 last bytes.
fn open_reference(b: &[u8], floor: usize, at: usize) -> Option<usize> {
    let lo = at.saturating_sub(32).max(floor);
    let amp = lo + b[lo..at].iter().rposition(|c| *c == b'&')?;
    (!b[amp..at].contains(&b';')).then_some(amp)
}

#[cfg(test)]
mod tests;
