//! The library is below its faces (issue 13): no module of the library imports `cli`, `server`
//! or `output`. The library is every module of `src/` but `src/cli`, `src/server`,
//! `src/output`, `src/main.rs` and `src/bin`. A text scan of the sources: comments and string
//! literals are blanked, `use` trees are expanded (`use crate::{cli, engine}`), and `crate::`,
//! `super::` and `self::` paths are resolved from the module they are written in (inline
//! `mod x { … }` included).

use std::path::{Path, PathBuf};

const FACES: [&str; 3] = ["cli", "server", "output"];

/// The source with comments, string and character literals blanked (lengths kept).
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if c == b'r'
            && matches!(b.get(i + 1), Some(b'"' | b'#'))
            && (!ident_byte(b, i) || (b[i - 1] == b'b' && !ident_byte(b, i - 1)))
        {
            // Raw string r"…" / r#"…"# (or br"…").
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let end = b[j + 1..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |p| j + 1 + p + close.len());
            for &x in &b[i..end] {
                blank(&mut out, x);
            }
            i = end;
        } else if c == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    out.push(b' ');
                    i += 1;
                }
                if i < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
            out.push(b' ');
            i += 1;
        } else if c == b'\'' {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            let lit = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..]
                    .iter()
                    .position(|&x| x == b'\'')
                    .map(|p| i + 3 + p)
            } else if b.get(i + 2) == Some(&b'\'') {
                Some(i + 3)
            } else {
                // A multi-byte character literal: up to 4 bytes then the quote.
                (i + 2..(i + 6).min(b.len()))
                    .find(|&k| {
                        b[k] == b'\''
                            && std::str::from_utf8(&b[i + 1..k])
                                .is_ok_and(|s| s.chars().count() == 1)
                    })
                    .map(|k| k + 1)
            };
            match lit {
                Some(end) => {
                    for &x in &b[i..end] {
                        blank(&mut out, x);
                    }
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    // Blanking keeps every multi-byte character whole or replaces it byte for byte by spaces.
    String::from_utf8_lossy(&out).into_owned()
}

fn ident_byte(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Expands a `use` tree (`crate::{a, b::{c, self}}`, `x as y`) into its paths.
fn expand_use(tree: &str) -> Vec<String> {
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut t = words.join(" ");
    for p in ["::", "{", "}", ","] {
        t = t.replace(&format!(" {p}"), p).replace(&format!("{p} "), p);
    }
    let mut out = Vec::new();
    expand_into("", &t, &mut out);
    out
}

fn expand_into(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let join = |p: &str, s: &str| {
        if p.is_empty() {
            s.to_string()
        } else {
            format!("{p}::{s}")
        }
    };
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree);
        let path = path.strip_suffix("::self").unwrap_or(path);
        if !path.is_empty() {
            out.push(join(prefix, path));
        }
        return;
    };
    let head = tree[..open].trim_end_matches("::");
    let inner = tree[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&tree[open + 1..]);
    let base = if head.is_empty() {
        prefix.to_string()
    } else {
        join(prefix, head)
    };
    let mut depth = 0;
    let mut start = 0;
    for (k, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand_item(&base, &inner[start..k], out);
                start = k + 1;
            }
            _ => {}
        }
    }
    expand_item(&base, &inner[start..], out);
}

fn expand_item(base: &str, item: &str, out: &mut Vec<String>) {
    if item.is_empty() {
        return;
    }
    if item == "self" {
        out.push(base.to_string());
    } else {
        expand_into(base, item, out);
    }
}

/// Resolves a path written in module `module` (segments from the crate root) to absolute
/// segments; None when it does not start at `crate`, `super` or `self` (an external crate, or
/// a name in scope).
fn resolve(module: &[String], path: &str) -> Option<Vec<String>> {
    let segs: Vec<&str> = path.trim_start_matches("::").split("::").collect();
    let mut at: Vec<String> = match segs.first() {
        Some(&"crate") => Vec::new(),
        Some(&"super") | Some(&"self") => module.to_vec(),
        _ => return None,
    };
    let mut rest = &segs[usize::from(segs.first() == Some(&"crate"))..];
    while let Some(&s) = rest.first() {
        match s {
            "super" => {
                at.pop()?;
            }
            "self" => {}
            _ => break,
        }
        rest = &rest[1..];
    }
    at.extend(rest.iter().map(|s| s.to_string()));
    Some(at)
}

/// The faces a source file's code reaches, as `line: path` lines.
fn face_imports(module: &[String], src: &str) -> Vec<String> {
    let code = code_only(src);
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    // Inline modules: (name, brace depth at which its body closes).
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut pending_mod: Option<String> = None;
    let mut i = 0;
    let line_of = |i: usize| code[..i].matches('\n').count() + 1;
    let here = |stack: &[(String, usize)]| -> Vec<String> {
        module
            .iter()
            .cloned()
            .chain(stack.iter().map(|(n, _)| n.clone()))
            .collect()
    };
    let report = |m: &[String], path: &str, at: usize, found: &mut Vec<String>| {
        if let Some(abs) = resolve(m, path) {
            if abs.first().is_some_and(|f| FACES.contains(&f.as_str())) {
                found.push(format!("{}: {path}", line_of(at)));
            }
        } else if m.is_empty() {
            // In the crate root, `use cli::…` names the module itself.
            let first = path.split("::").next().unwrap_or("");
            if FACES.contains(&first) && path.contains("::") {
                found.push(format!("{}: {path}", line_of(at)));
            }
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'{' {
            depth += 1;
            if let Some(name) = pending_mod.take() {
                stack.push((name, depth));
            }
            i += 1;
            continue;
        }
        if c == b'}' {
            if stack.last().is_some_and(|(_, d)| *d == depth) {
                stack.pop();
            }
            depth = depth.saturating_sub(1);
            i += 1;
            continue;
        }
        if c == b';' {
            pending_mod = None;
        }
        if (c.is_ascii_alphabetic() || c == b'_') && !ident_byte(bytes, i) {
            let end = (i..bytes.len())
                .find(|&k| !(bytes[k].is_ascii_alphanumeric() || bytes[k] == b'_'))
                .unwrap_or(bytes.len());
            let word = &code[i..end];
            if word == "mod" {
                let rest = code[end..].trim_start();
                let name: String = rest
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                    .collect();
                pending_mod = Some(name);
                i = end;
                continue;
            }
            if word == "use" {
                let stop = code[end..].find(';').map_or(code.len(), |p| end + p);
                let m = here(&stack);
                for p in expand_use(&code[end..stop]) {
                    report(&m, &p, i, &mut found);
                }
                i = stop;
                continue;
            }
            if matches!(word, "crate" | "super" | "self") && code[end..].starts_with("::") {
                // A path in an expression or a type: its segments up to the first non-path byte.
                let mut k = end;
                while code[k..].starts_with("::") {
                    let s = k + 2;
                    let e = (s..bytes.len())
                        .find(|&q| !(bytes[q].is_ascii_alphanumeric() || bytes[q] == b'_'))
                        .unwrap_or(bytes.len());
                    if e == s {
                        break;
                    }
                    k = e;
                }
                report(&here(&stack), &code[i..k], i, &mut found);
                i = k;
                continue;
            }
            i = end;
            continue;
        }
        i += 1;
    }
    found
}

/// The module path of a file under `src/` (`engine/builder.rs` → engine::builder).
fn module_of(rel: &Path) -> Vec<String> {
    let mut segs: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(segs.last().map(String::as_str), Some("mod" | "lib")) {
        segs.pop();
    }
    segs
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn is_face(rel: &Path) -> bool {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    matches!(
        first.as_deref(),
        Some("cli" | "server" | "output" | "bin" | "main.rs")
    )
}

#[test]
fn no_library_module_imports_a_face() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut scanned = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap_or(f);
        if is_face(rel) {
            continue;
        }
        scanned += 1;
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for hit in face_imports(&module_of(rel), &text) {
            problems.push(format!("src/{}:{hit}", rel.display()));
        }
    }
    assert!(
        scanned > 50,
        "only {scanned} library files found under src/"
    );
    assert!(
        problems.is_empty(),
        "library modules reach the faces (cli, server, output):\n{}",
        problems.join("\n")
    );
}

/// The scan sees what it must: groups, `super::` paths, inline modules, expression paths; and
/// not what it must not: comments, strings, other crates, a module's own `output` field.
#[test]
fn the_face_scan_finds_every_form_of_import() {
    let m = |s: &str| -> Vec<String> {
        s.split("::")
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    };
    let hits = |module: &str, src: &str| face_imports(&m(module), src).len();
    assert_eq!(hits("fix", "use crate::cli::CommonArgs;"), 1);
    assert_eq!(hits("fix", "use crate::{engine::Engine, cli};"), 1);
    assert_eq!(
        hits(
            "fix",
            "use crate::{engine::{Engine, self}, output::{self, Inputs}};"
        ),
        2
    );
    assert_eq!(hits("fix", "use super::output::Inputs;"), 1);
    assert_eq!(hits("engine::builder", "use super::super::server;"), 1);
    assert_eq!(
        hits(
            "engine::builder",
            "use super::{super::cli::CommonArgs, Engine};"
        ),
        1
    );
    assert_eq!(
        hits("engine::builder", "use super::cli::X;"),
        0,
        "engine::cli is not a face"
    );
    assert_eq!(
        hits(
            "refdata",
            "fn f() { let x = crate::output::Inputs::default(); }"
        ),
        1
    );
    assert_eq!(
        hits("fix", "use crate :: {\n    engine,\n    server as s,\n};"),
        1
    );
    assert_eq!(
        hits("", "use cli::CommonArgs;"),
        1,
        "the crate root names the module"
    );
    assert_eq!(
        hits("", "pub mod cli;\npub mod output;"),
        0,
        "declaring is not importing"
    );
    assert_eq!(hits("fix", "mod tests {\n    use super::super::cli;\n}"), 1);
    assert_eq!(
        hits(
            "fix",
            "mod tests {\n    use super::cli;\n}\nuse super::engine;"
        ),
        0
    );
    assert_eq!(
        hits(
            "fix",
            "// use crate::cli;\n/* crate::server */ let s = \"crate::output\";"
        ),
        0
    );
    assert_eq!(
        hits(
            "fix",
            "let s = r#\"use crate::cli;\"#; let c = '\"'; use crate::engine;"
        ),
        0
    );
    assert_eq!(
        hits(
            "fix",
            "use clap::Parser; use std::io::{self, Write}; struct A { output: u8 }"
        ),
        0
    );
    assert_eq!(
        hits("fix", "fn f<'a>(x: &'a str) { crate::server::run() }"),
        1
    );
}
