//! `lsu-lint serve` over real HTTP on the loopback: every endpoint, the JSON contract shared with
//! the command line, fixes, splits, limits and problem answers. The client is a minimal
//! HTTP/1.1 one on `TcpStream` (one request per connection, bounded timeouts).

use crate::support;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use lsu_lint::server::{self, Options};
use serde_json::Value;

const TODAY: &str = "2026-01-15";

/// The examples folder of the test oracle, or leave the test with a visible message.
macro_rules! examples_or_skip {
    ($what:expr) => {
        match support::shared_or_skip("reference/examples", $what) {
            Some(d) => d,
            None => return,
        }
    };
}

fn college(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/demo/college")
        .join(p)
}

fn start(max_upload: usize) -> (SocketAddr, server::Handle) {
    start_with(server::Limits {
        max_upload,
        ..server::Limits::default()
    })
}

fn start_with(limits: server::Limits) -> (SocketAddr, server::Handle) {
    server::spawn(
        "127.0.0.1:0",
        Options {
            limits,
            log: false,
            ..Options::default()
        },
    )
    .expect("the server starts on the loopback")
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("JSON expected ({e}): {}", self.text()))
    }
}

fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Resp {
    send(addr, method, path, content_type, body, false)
}

/// One request; `chunked` sends the body as one chunk, without a declared length.
fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
    chunked: bool,
) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(120))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    let mut payload = Vec::new();
    if chunked {
        head.push_str("Transfer-Encoding: chunked\r\n");
        payload.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
        payload.extend_from_slice(body);
        payload.extend_from_slice(b"\r\n0\r\n\r\n");
    } else {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        payload.extend_from_slice(body);
    }
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    // The server may answer (413) before reading the body: a failed write is not the test's end.
    let _ = s
        .write_all(head.as_bytes())
        .and_then(|_| s.write_all(&payload));
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) => {
                assert!(!raw.is_empty(), "no answer: {e}");
                break;
            }
        }
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked { dechunk(&rest) } else { rest };
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..1_000_000 {
        let eol = b.windows(2).position(|w| w == b"\r\n").expect("chunk size");
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .expect("hex chunk size");
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

enum Part {
    File(&'static str, String, Vec<u8>),
    Text(&'static str, String),
}

fn file(field: &'static str, path: &Path) -> Part {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    Part::File(field, name, std::fs::read(path).expect("test input"))
}

fn text(field: &'static str, v: &str) -> Part {
    Part::Text(field, v.to_string())
}

const BOUNDARY: &str = "----lsu-lint-test-3f9a1c";

fn multipart(parts: &[Part]) -> Vec<u8> {
    let mut b = Vec::new();
    for p in parts {
        b.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match p {
            Part::File(field, name, bytes) => {
                b.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                b.extend_from_slice(bytes);
            }
            Part::Text(field, v) => {
                b.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{field}\"\r\n\r\n{v}")
                        .as_bytes(),
                );
            }
        }
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

fn post(addr: SocketAddr, path: &str, parts: &[Part]) -> Resp {
    request(
        addr,
        "POST",
        path,
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        &multipart(parts),
    )
}

fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, None, b"")
}

/// The demo collège's reference data and LSU settings, as form parts.
fn college_refs() -> Vec<Part> {
    vec![
        file("siecle", &college("refdata/ElevesSansAdresses.xml")),
        file("nomenclature", &college("refdata/Nomenclature.xml")),
        file("sts", &college("refdata/sts_emp_0999101K_2025.xml")),
        file("communs", &college("refdata/Communs.xml")),
        file("settings", &college("lsu-settings.toml")),
        text("today", TODAY),
    ]
}

fn by_code(report: &Value) -> BTreeMap<String, u64> {
    report["summary"]["by_code"]
        .as_object()
        .expect("summary.by_code")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

fn assert_problem(r: &Resp, status: u16, needle: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let p = r.json();
    assert_eq!(p["status"], status);
    for k in ["type", "title", "detail"] {
        assert!(p[k].is_string(), "problem without {k}: {p}");
    }
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains(needle), "« {needle} » not in « {detail} »");
}

/// `(tag, eleve-ref, periode-ref)` of every bilan of an LSU file.
fn bilans(xml: &[u8]) -> Vec<(String, String, String)> {
    let text = std::str::from_utf8(xml).expect("UTF-8 LSU");
    let doc = roxmltree::Document::parse(text).expect("well-formed LSU");
    let mut v: Vec<_> = doc
        .descendants()
        .filter(|n| matches!(n.tag_name().name(), "bilan-periodique" | "bilan-cycle"))
        .map(|n| {
            (
                n.tag_name().name().to_string(),
                n.attribute("eleve-ref").unwrap_or("").to_string(),
                n.attribute("periode-ref").unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

#[test]
fn healthz_page_and_catalogue() {
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    let h = get(addr, "/healthz");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");

    let page = get(addr, "/");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let html = page.text();
    for needle in [
        "<html lang=\"fr\">",
        "Vérifier",
        "Choisir des fichiers",
        "Export corrigé",
        // One drop zone: each file goes to its field once recognised.
        "api/v1/inspect",
        "fd.append(\"lsu\"",
        "fd.append(\"settings\"",
        "id=\"today\"",
        "api/v1/check",
        "api/v1/fix",
        // The results are the HTML report (its causes: tests/it/browser.rs).
        "format: \"html\"",
    ] {
        assert!(html.contains(needle), "the page lacks {needle}");
    }
    // Self-contained: no external script, style sheet or image.
    for banned in ["<link", "src=\"http", "src=\"//", "@import", "url("] {
        assert!(!html.contains(banned), "the page loads something: {banned}");
    }

    let rules = get(addr, "/api/v1/rules");
    assert_eq!(rules.status, 200);
    assert_eq!(rules.text(), lsu_lint::catalogue::listing_json());
    assert_eq!(
        rules.json().as_array().unwrap().len(),
        lsu_lint::catalogue::CATALOGUE.len()
    );
    let one = get(addr, "/api/v1/rules/D001");
    assert_eq!(one.status, 200);
    let one = one.json();
    assert_eq!(one["code"], "D001");
    assert!(one["page"].as_str().unwrap().starts_with("# D001"));
    // By name too, and a French 404 for an unknown code.
    let by_name = get(
        addr,
        &format!("/api/v1/rules/{}", one["name"].as_str().unwrap()),
    );
    assert_eq!(by_name.json()["code"], "D001");
    assert_problem(&get(addr, "/api/v1/rules/D00X"), 404, "D001");
    assert_problem(&get(addr, "/nulle-part"), 404, "/api/v1/check");
    handle.stop().unwrap();
}

#[test]
fn check_answers_the_json_report_of_the_cli() {
    let ex = examples_or_skip!("check_answers_the_json_report_of_the_cli");
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    let example = ex.join("lsu-2d-v10-invalid.xml");
    let r = post(
        addr,
        "/api/v1/check",
        &[file("lsu", &example), text("today", TODAY)],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let mut served = r.json();

    // The CLI, from a folder without lsu-lint.toml so that no configuration is discovered.
    let cwd = std::env::temp_dir().join(format!("lsu-lint-server-{}", std::process::id()));
    std::fs::create_dir_all(&cwd).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .current_dir(&cwd)
        .args(["check", "--format", "json", "--today", TODAY])
        .arg(&example)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&cwd);
    let mut cli: Value = serde_json::from_slice(&out.stdout).expect("CLI JSON");
    assert!(!by_code(&cli).is_empty());
    assert_eq!(by_code(&served), by_code(&cli));
    // Identical but for the file's path (the upload's name vs the path given to the CLI).
    assert_eq!(served["files"][0]["path"], "lsu-2d-v10-invalid.xml");
    served["files"][0]["path"] = Value::Null;
    cli["files"][0]["path"] = Value::Null;
    assert_eq!(served, cli);
    handle.stop().unwrap();
}

#[test]
fn check_with_the_demo_college_reference_data() {
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    let mut parts = vec![file("lsu", &college("lsu-a-corriger.xml"))];
    parts.extend(college_refs());
    let r = post(addr, "/api/v1/check", &parts);
    assert_eq!(r.status, 200, "{}", r.text());
    let rep = r.json();
    let codes = by_code(&rep);
    for code in ["D001", "I003", "P001"] {
        assert!(codes.get(code).is_some_and(|n| *n > 0), "{code}: {codes:?}");
    }
    assert_eq!(rep["inputs"]["siecle"], "ElevesSansAdresses.xml");
    assert_eq!(rep["inputs"]["settings"], "lsu-settings.toml");
    // The root causes, as in the CLI's JSON: one per (code, kind), with counts and classes.
    let causes = rep["summary"]["causes"].as_array().expect("summary.causes");
    let d001 = causes
        .iter()
        .find(|g| g["code"] == "D001")
        .expect("a D001 root cause");
    let title = d001["title"].as_str().unwrap();
    assert!(title.contains("rentrée"), "{title}");
    assert!(d001["bilans"].as_u64().unwrap() > 0, "{d001}");
    assert!(!d001["divisions"].as_array().unwrap().is_empty(), "{d001}");

    // select / ignore narrow the run as on the command line.
    let mut parts = vec![file("lsu", &college("lsu-a-corriger.xml"))];
    parts.extend(college_refs());
    parts.push(text("select", "D001,I003"));
    parts.push(text("ignore", "I003"));
    let codes = by_code(&post(addr, "/api/v1/check", &parts).json());
    assert_eq!(codes.keys().collect::<Vec<_>>(), vec!["D001"]);
    handle.stop().unwrap();
}

#[test]
fn fix_returns_the_corrected_xml() {
    let ex = examples_or_skip!("fix_returns_the_corrected_xml");
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    // Safe fixes of the shared invalid example.
    let example = ex.join("lsu-2d-v10-invalid.xml");
    let r = post(
        addr,
        "/api/v1/fix",
        &[file("lsu", &example), text("today", TODAY)],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/xml"));
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"lsu-2d-v10-invalid-corrige.xml\"")
    );
    assert!(
        r.header("x-lsu-lint-corrections")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            > 0
    );
    let fixed = r.body;
    let after = post(
        addr,
        "/api/v1/check",
        &[
            Part::File("lsu", "corrige.xml".into(), fixed),
            text("today", TODAY),
        ],
    )
    .json();
    let codes = by_code(&after);
    for code in ["S005", "X002", "X003"] {
        assert!(!codes.contains_key(code), "{code} still there: {codes:?}");
    }
    // Every prunable R004 is pruned; ENS_3 stays, as a possible target of the misspelt ENS_9
    // (R004 withholds its fix then).
    let r004_kinds: Vec<&str> = after["files"][0]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "R004")
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert_eq!(r004_kinds, ["cible-possible"], "{codes:?}");
    assert!(codes.contains_key("C001"), "no fix for C001: {codes:?}");

    // Unsafe fixes with the demo collège's data clamp the dates of D001.
    let mut parts = vec![file("lsu", &college("lsu-a-corriger.xml"))];
    parts.extend(college_refs());
    parts.push(text("unsafe", "true"));
    let r = post(addr, "/api/v1/fix", &parts);
    assert_eq!(r.status, 200, "{}", r.text());
    let mut parts = vec![Part::File("lsu", "corrige.xml".into(), r.body)];
    parts.extend(college_refs());
    let codes = by_code(&post(addr, "/api/v1/check", &parts).json());
    assert!(!codes.contains_key("D001"), "{codes:?}");

    // Several files without split: a zip of the corrected files.
    let r = post(
        addr,
        "/api/v1/fix",
        &[
            file("lsu", &example),
            file("lsu", &ex.join("lsu-2d-v10-valid.xml")),
            file("lsu", &example),
            text("today", TODAY),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/zip"));
    let names: Vec<String> = unzip(&r.body).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        vec![
            "lsu-2d-v10-invalid-corrige.xml",
            "lsu-2d-v10-valid-corrige.xml",
            "lsu-2d-v10-invalid-2-corrige.xml"
        ]
    );
    handle.stop().unwrap();
}

#[test]
fn fix_with_split_returns_every_bilan_once() {
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    let mut parts = vec![file("lsu", &college("lsu-a-corriger.xml"))];
    parts.extend(college_refs());
    let whole = post(addr, "/api/v1/fix", &parts);
    assert_eq!(whole.status, 200, "{}", whole.text());
    let expected = bilans(&whole.body);
    assert_eq!(expected.len(), 207);

    for by in ["division", "periode"] {
        let mut parts = vec![file("lsu", &college("lsu-a-corriger.xml"))];
        parts.extend(college_refs());
        parts.push(text("split", by));
        let r = post(addr, "/api/v1/fix", &parts);
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("content-type"), Some("application/zip"));
        assert_eq!(
            r.header("content-disposition").unwrap(),
            format!("attachment; filename=\"lsu-a-corriger-par-{by}.zip\"")
        );
        let entries = unzip(&r.body);
        assert!(entries.len() > 1, "{by}: {} entries", entries.len());
        let mut got = Vec::new();
        for (name, bytes) in &entries {
            assert!(
                name.starts_with("lsu-a-corriger-") && name.ends_with(".xml"),
                "{name}"
            );
            let part = bilans(bytes);
            assert!(!part.is_empty(), "{name} has no bilan");
            got.extend(part);
        }
        got.sort();
        assert_eq!(got, expected, "split by {by}");
    }
    assert_problem(
        &post(
            addr,
            "/api/v1/fix",
            &[
                file("lsu", &college("lsu-a-corriger.xml")),
                text("split", "classe"),
            ],
        ),
        400,
        "split",
    );
    handle.stop().unwrap();
}

#[test]
fn oversized_upload_gets_413() {
    let ex = examples_or_skip!("oversized_upload_gets_413");
    let (addr, handle) = start(16 * 1024);
    let big = college("lsu-a-corriger.xml");
    assert!(std::fs::metadata(&big).unwrap().len() > 64 * 1024);
    let r = post(addr, "/api/v1/check", &[file("lsu", &big)]);
    assert_problem(&r, 413, "16384 octets");
    // Without a declared length, the limit stops the reading of the body.
    let r = send(
        addr,
        "POST",
        "/api/v1/check",
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        &multipart(&[file("lsu", &big)]),
        true,
    );
    assert_problem(&r, 413, "16384 octets");
    // Under the limit, the same server answers.
    let r = post(
        addr,
        "/api/v1/check",
        &[
            file("lsu", &ex.join("lsu-2d-v10-valid.xml")),
            text("today", TODAY),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    handle.stop().unwrap();
}

#[test]
fn bad_requests_get_french_problems() {
    let ex = examples_or_skip!("bad_requests_get_french_problems");
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    let example = ex.join("lsu-2d-v10-valid.xml");
    // No `lsu` field.
    assert_problem(
        &post(addr, "/api/v1/check", &[text("today", TODAY)]),
        400,
        "« lsu »",
    );
    // Bad `today`.
    assert_problem(
        &post(
            addr,
            "/api/v1/check",
            &[file("lsu", &example), text("today", "15/01/2026")],
        ),
        400,
        "AAAA-MM-JJ",
    );
    // Not multipart, or a broken multipart body.
    assert_problem(
        &request(
            addr,
            "POST",
            "/api/v1/check",
            Some("text/plain"),
            b"bonjour",
        ),
        400,
        "multipart",
    );
    let mut body = multipart(&[file("lsu", &example)]);
    body.truncate(body.len() / 2);
    let r = request(
        addr,
        "POST",
        "/api/v1/check",
        Some(&format!("multipart/form-data; boundary={BOUNDARY}")),
        &body,
    );
    assert_problem(&r, 400, "multipart");
    // A reference file that is not one, bad settings, an unknown field, an unknown rule.
    assert_problem(
        &post(
            addr,
            "/api/v1/check",
            &[
                file("lsu", &example),
                Part::File("siecle", "eleves.xml".into(), b"<pas-siecle/>".to_vec()),
            ],
        ),
        400,
        "eleves.xml",
    );
    assert_problem(
        &post(
            addr,
            "/api/v1/check",
            &[
                file("lsu", &example),
                Part::File(
                    "settings",
                    "p.toml".into(),
                    b"annee = \"deux\"\n[[".to_vec(),
                ),
            ],
        ),
        400,
        "p.toml",
    );
    assert_problem(
        &post(
            addr,
            "/api/v1/check",
            &[file("lsu", &example), text("eleves", "x")],
        ),
        400,
        "champ inconnu",
    );
    assert_problem(
        &post(
            addr,
            "/api/v1/check",
            &[file("lsu", &example), text("select", "Z999")],
        ),
        400,
        "Z999",
    );
    // Wrong method.
    assert_eq!(get(addr, "/api/v1/check").status, 405);
    // Still serving after all that.
    assert_eq!(get(addr, "/healthz").status, 200);
    handle.stop().unwrap();
}

/// The HTML report answered by `format=html` is the CLI's, in French for a person: every rule's
/// French title, never its English slug alone, no internal label; and errors name the page's
/// files, never a command-line option.
#[test]
fn html_report_and_errors_read_as_french_for_a_person() {
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    let mut parts = vec![file("lsu", &college("lsu-a-corriger.xml"))];
    parts.extend(college_refs());
    parts.push(text("format", "html"));
    let r = post(addr, "/api/v1/check", &parts);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html")));
    let html = r.text();
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Causes, de la plus grave"));
    let mut parts = vec![file("lsu", &college("lsu-a-corriger.xml"))];
    parts.extend(college_refs());
    let json = post(addr, "/api/v1/check", &parts).json();
    for code in by_code(&json).keys() {
        let meta = lsu_lint::catalogue::lookup(code).expect("catalogued");
        let title = meta.title().replace('&', "&amp;").replace('\'', "&apos;");
        assert!(html.contains(&title), "{code}: French title missing");
        assert!(
            !html.contains(meta.name),
            "{code}: English slug {} shown",
            meta.name
        );
    }
    assert!(!html.contains("lsu_lint::"));
    assert!(!html.contains("**"), "raw Markdown in the report");

    // A reference file of another kind: the problem names kinds, not CLI options.
    let parts = vec![
        file("lsu", &college("lsu-a-corriger.xml")),
        file("siecle", &college("refdata/Nomenclature.xml")),
    ];
    let r = post(addr, "/api/v1/check", &parts);
    assert_eq!(r.status, 400, "{}", r.text());
    let detail = r.json()["detail"].as_str().unwrap_or("").to_string();
    assert!(detail.contains("Siècle Nomenclature"), "{detail}");
    assert!(
        !detail.contains("--"),
        "CLI option in a web message: {detail}"
    );
    assert!(!detail.contains("lsu_lint::"), "{detail}");
    let page = get(addr, "/").text();
    assert!(!page.contains("--nomenclature") && !page.contains("POST api/v1"));
    handle.stop().unwrap();
}

fn ecole(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/demo/ecole")
        .join(p)
}

/// A zip holding one file, as Siècle hands its exports out.
fn zipped(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(name, zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(bytes).unwrap();
    w.finish().unwrap().into_inner()
}

/// How many times `<tag ` or `<tag>` / `<tag/>` opens in a file.
fn count_elements(bytes: &[u8], tag: &str) -> usize {
    let open = format!("<{tag}");
    bytes
        .windows(open.len() + 1)
        .filter(|w| {
            &w[..open.len()] == open.as_bytes() && matches!(w[open.len()], b' ' | b'>' | b'/')
        })
        .count()
}

#[test]
fn inspect_recognises_each_file_by_content() {
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    let lsu = std::fs::read(college("lsu-a-corriger.xml")).unwrap();
    let siecle = std::fs::read(college("refdata/ElevesSansAdresses.xml")).unwrap();
    let nomenclature = std::fs::read(college("refdata/Nomenclature.xml")).unwrap();
    let onde = std::fs::read(ecole("refdata/CSVExtraction.csv")).unwrap();
    let lsu_1d = std::fs::read(ecole("lsu.xml")).unwrap();
    let settings = std::fs::read(college("lsu-settings.toml")).unwrap();
    // Names say nothing (or mislead): recognition is by content only.
    let files: Vec<(String, Vec<u8>)> = vec![
        ("export.dat".into(), lsu.clone()),
        ("sts.xml".into(), siecle.clone()),
        (
            "nomenclature.zip".into(),
            zipped("Nomenclature.xml", &nomenclature),
        ),
        ("eleves.txt".into(), onde.clone()),
        ("ecole.xml".into(), lsu_1d.clone()),
        ("parametres.toml".into(), settings.clone()),
        (
            "notes.txt".into(),
            b"Liste des choses a faire\nrappeler le college\n".to_vec(),
        ),
        ("copie.xml".into(), siecle.clone()),
    ];
    let parts: Vec<Part> = files
        .iter()
        .map(|(n, b)| Part::File("fichier", n.clone(), b.clone()))
        .collect();
    let r = post(addr, "/api/v1/inspect", &parts);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    // The handler only carries: its answer is the library's, byte for byte.
    assert_eq!(
        r.text(),
        lsu_lint::inspect::to_json(&lsu_lint::inspect::inspect_all(files.clone()))
    );
    let v = r.json();
    assert_eq!(v["version"], 1);
    let out = v["files"].as_array().expect("files");
    assert_eq!(out.len(), files.len(), "one answer per file, in order");
    for (f, (name, _)) in out.iter().zip(&files) {
        assert_eq!(f["name"], name.as_str());
        for key in [
            "kind",
            "label",
            "description",
            "usable",
            "problem",
            "uai",
            "annee",
            "annee_scolaire",
            "member",
            "counts",
            "lsu",
        ] {
            assert!(f.get(key).is_some(), "{name}: no « {key} »: {f}");
        }
        assert!(!f["description"].as_str().unwrap_or("").is_empty());
    }
    let kinds: Vec<&str> = out.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "lsu",
            "siecle",
            "nomenclature",
            "onde",
            "lsu",
            "settings",
            "inconnu",
            "siecle"
        ]
    );

    // The 2D export: UAI, year and counts read from it; its divisions and how it evaluates them.
    let e = &out[0];
    assert_eq!(e["usable"], true);
    assert_eq!(e["uai"], "0999101K");
    assert_eq!(e["annee"], 2025);
    assert_eq!(e["annee_scolaire"], "2025-2026");
    let l = &e["lsu"];
    assert_eq!(l["degree"], "2d");
    assert_eq!(l["schema_version"], "10.0");
    assert_eq!(l["eleves"], count_elements(&lsu, "eleve"));
    assert_eq!(
        l["bilans_periodiques"],
        count_elements(&lsu, "bilan-periodique")
    );
    assert_eq!(l["bilans_cycle"], count_elements(&lsu, "bilan-cycle"));
    assert_eq!(
        l["periodes"].as_array().unwrap().len(),
        count_elements(&lsu, "periode")
    );
    let text = std::str::from_utf8(&lsu).unwrap();
    let doc = roxmltree::Document::parse(text).unwrap();
    let mut divisions: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("code-division"))
        .collect();
    divisions.sort();
    divisions.dedup();
    let classes = l["classes"].as_array().unwrap();
    let codes: Vec<&str> = classes
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, divisions);
    let class = |code: &str| classes.iter().find(|c| c["code"] == code).unwrap();
    // corpus/demo/README.md: 6A by positionnement, 5A by averages, one positionnement bilan
    // injected among 3A's averages.
    assert_eq!(class("6A")["evaluation"], "positionnement");
    assert_eq!(class("6A")["niveau"], "6e");
    assert_eq!(class("5A")["evaluation"], "notes");
    assert_eq!(class("3A")["evaluation"], "mixte");
    assert_eq!(class("3A")["bilans_positionnement"], 1);
    assert!(class("5A")["evaluation_label"]
        .as_str()
        .unwrap()
        .contains("notes sur 20"));
    assert_eq!(class("6A")["nb_periodes"], serde_json::json!([3]));
    let pupils: u64 = classes.iter().map(|c| c["eleves"].as_u64().unwrap()).sum();
    assert_eq!(pupils as usize, count_elements(&lsu, "eleve"));

    // Reference files: the same summary as the command line, with UAI and counts.
    let s = &out[1];
    assert_eq!(s["label"], "Siècle ElevesSansAdresses");
    assert_eq!(s["uai"], "0999101K");
    assert_eq!(s["counts"]["eleves"], count_elements(&siecle, "ELEVE"));
    let d = s["description"].as_str().unwrap();
    assert!(
        d.starts_with("Siècle ElevesSansAdresses, UAI 0999101K, 2025-2026, 57 élèves"),
        "{d}"
    );
    assert_eq!(out[2]["member"], "Nomenclature.xml", "read inside the zip");
    assert_eq!(out[2]["usable"], true);
    assert_eq!(out[3]["uai"], Value::Null, "ONDE has no UAI");
    assert_eq!(out[3]["counts"]["eleves"], 38);

    // The 1D export: classes by their ONDE id, niveau from the label, dated periods.
    let l1 = &out[4]["lsu"];
    assert_eq!(l1["degree"], "1d");
    let c1: Vec<(&str, &str)> = l1["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap(),
                c["niveau"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(c1, [("58938", "CE2"), ("58943", "CM1-CM2")]);
    assert_eq!(l1["periodes"][0]["debut"], "2025-09-01");

    assert_eq!(out[5]["usable"], true);
    assert_eq!(out[5]["annee"], 2025);

    // Not recognised: said in French, not usable.
    let u = &out[6];
    assert_eq!(u["usable"], false);
    assert_eq!(u["label"], "Fichier non reconnu");
    let problem = u["problem"].as_str().unwrap();
    assert!(problem.contains("déposez un export LSU"), "{problem}");
    // A second Siècle export: recognised, not used, the first one named.
    let dup = &out[7];
    assert_eq!(dup["usable"], false);
    assert!(dup["problem"].as_str().unwrap().contains("« sts.xml »"));
    handle.stop().unwrap();
}

#[test]
fn inspect_answers_french_problems() {
    let (addr, handle) = start(server::DEFAULT_MAX_UPLOAD);
    // Nothing sent.
    assert_problem(&post(addr, "/api/v1/inspect", &[]), 400, "aucun fichier");
    // Not multipart.
    let r = request(addr, "POST", "/api/v1/inspect", Some("text/plain"), b"x");
    assert!(r.status >= 400 && r.status < 500, "{}", r.text());
    assert!(r.json()["detail"].as_str().unwrap().contains("multipart"));
    // Only POST.
    assert_eq!(get(addr, "/api/v1/inspect").status, 405);
    // A recognised file that cannot be read: usable false, the reason in French.
    let broken = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><BEE_ELEVES><PARAMETRES>".to_vec();
    let r = post(
        addr,
        "/api/v1/inspect",
        &[Part::File("f", "eleves.xml".into(), broken)],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let f = &r.json()["files"][0];
    assert_eq!(f["kind"], "siecle");
    assert_eq!(f["usable"], false);
    let problem = f["problem"].as_str().unwrap();
    assert!(problem.contains("illisible"), "{problem}");
    assert!(!problem.contains("lsu_lint::"));
    handle.stop().unwrap();

    // Oversized: the same limit as every route.
    let (addr, handle) = start(1000);
    let big = vec![b'a'; 5000];
    let r = post(
        addr,
        "/api/v1/inspect",
        &[Part::File("f", "gros.xml".into(), big)],
    );
    assert_eq!(r.status, 413, "{}", r.text());
    handle.stop().unwrap();
}
