//! The service in operation (issue 11): limits that bound memory and connections, `/metrics`,
//! `/readyz`, graceful stop on SIGTERM, French problems for broken forms, and a small version
//! of the load script's scenarios. Real HTTP on the loopback; every wait is bounded.

#[path = "../../bench/client.rs"]
mod client;
#[path = "../../bench/scenarios.rs"]
mod scenarios;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use client::Part;
use lsu_lint::server::{self, Limits, Options};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/fixtures")
        .join(p)
}

fn lsu() -> Vec<u8> {
    std::fs::read(fixture("R006/clean-v10.xml")).unwrap()
}

fn start(limits: Limits) -> (SocketAddr, server::Handle) {
    server::spawn(
        "127.0.0.1:0",
        Options {
            limits,
            log: false,
            ..Options::default()
        },
    )
    .unwrap()
}

fn check_parts() -> Vec<Part> {
    vec![
        Part::File("lsu".into(), "lsu.xml".into(), lsu()),
        Part::Text("today".into(), "2026-01-15".into()),
    ]
}

const T: Duration = Duration::from_secs(60);

/// The value of a sample line `name{labels} value` (labels as written), or 0 when absent.
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

fn metrics(addr: SocketAddr) -> String {
    let r = client::get(addr, "/metrics").unwrap();
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    r.text()
}

/// Waits (bounded) until `/readyz` answers `status`.
fn ready_is(addr: SocketAddr, status: u16) -> client::Resp {
    for _ in 0..600 {
        let r = client::get(addr, "/readyz").unwrap();
        if r.status == status {
            return r;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("/readyz never answered {status}");
}

#[test]
fn metrics_name_every_series_and_counters_move() {
    let (addr, h) = start(Limits::default());
    let before = metrics(addr);
    assert_eq!(sample(&before, "lsu_lint_files_checked_total"), 0.0);
    let r = client::post(addr, "/api/v1/check", &check_parts(), T).unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let report: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let after = metrics(addr);
    for name in [
        "lsu_lint_http_requests_total",
        "lsu_lint_http_request_duration_seconds_bucket",
        "lsu_lint_files_checked_total",
        "lsu_lint_bilans_checked_total",
        "lsu_lint_inflight_bytes",
        "lsu_lint_inflight_bytes_limit",
        "lsu_lint_jobs_running",
        "lsu_lint_jobs_waiting",
        "lsu_lint_connections_open",
        "lsu_lint_memory_releases_total",
        "lsu_lint_rejections_total{limit=\"max_inflight_bytes\"}",
        "process_resident_memory_bytes",
    ] {
        assert!(after.contains(name), "{name} missing:\n{after}");
    }
    assert_eq!(sample(&after, "lsu_lint_files_checked_total"), 1.0);
    let bilans = report["files"][0]["bilans_periodiques"].as_u64().unwrap()
        + report["files"][0]["bilans_cycle"].as_u64().unwrap();
    assert_eq!(
        sample(&after, "lsu_lint_bilans_checked_total"),
        bilans as f64
    );
    assert_eq!(
        sample(
            &after,
            "lsu_lint_http_requests_total{route=\"/api/v1/check\",status=\"200\"}"
        ),
        1.0
    );
    // Findings by code: the same counts as the report's summary.
    for (code, n) in report["summary"]["by_code"].as_object().unwrap() {
        let series = format!("lsu_lint_findings_total{{code=\"{code}\"}}");
        assert_eq!(sample(&after, &series), n.as_f64().unwrap(), "{series}");
    }
    // The answer's bytes were given back to the budget.
    assert_eq!(sample(&after, "lsu_lint_inflight_bytes"), 0.0);
    // Idle again: the memory of the check goes back to the system (issue 11: a service kept
    // the peak of its last burst), within a second of the answer.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sample(&metrics(addr), "lsu_lint_memory_releases_total") < 1.0 {
        assert!(
            std::time::Instant::now() < deadline,
            "no memory release after the answer"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    h.stop().unwrap();
}

#[test]
fn readyz_waits_for_the_schemas_and_says_when_saturated() {
    let (addr, h) = start(Limits {
        max_upload: 10_000,
        max_inflight_bytes: 10_000,
        ..Limits::default()
    });
    let r = ready_is(addr, 200);
    assert!(r.text().contains("pret"), "{}", r.text());
    assert_eq!(client::get(addr, "/healthz").unwrap().status, 200);
    // A request announcing 9,000 bytes, its body still on the way, holds them.
    let mut held = client::connect(addr, T).unwrap();
    let head = client::head(
        addr,
        "POST",
        "/api/v1/check",
        Some(&client::content_type()),
        9_000,
    );
    held.write_all(head.as_bytes()).unwrap();
    let r = ready_is(addr, 503);
    assert!(r.header("retry-after").is_some());
    assert!(r.text().contains("mémoire réservée"), "{}", r.text());
    // Another request does not fit: 503 at once, before its body is read.
    let second = client::post(addr, "/api/v1/check", &check_parts(), T).unwrap();
    assert_eq!(second.status, 503, "{}", second.text());
    assert_eq!(second.header("retry-after"), Some("5"));
    assert!(second.text().contains("saturé"), "{}", second.text());
    let m = metrics(addr);
    assert_eq!(
        sample(
            &m,
            "lsu_lint_rejections_total{limit=\"max_inflight_bytes\"}"
        ),
        1.0
    );
    assert_eq!(sample(&m, "lsu_lint_inflight_bytes"), 9_000.0);
    // The client gives up: its bytes come back, the service is ready again.
    drop(held);
    ready_is(addr, 200);
    h.stop().unwrap();
}

#[test]
fn too_many_files_or_parts_get_413() {
    let (addr, h) = start(Limits {
        max_files: 3,
        max_parts: 6,
        ..Limits::default()
    });
    let file = |i: usize| Part::File("lsu".into(), format!("f{i}.xml"), lsu());
    let r = client::post(
        addr,
        "/api/v1/check",
        &(0..4).map(file).collect::<Vec<_>>(),
        T,
    )
    .unwrap();
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("plus de 3 fichiers LSU"), "{}", r.text());
    let mut parts: Vec<Part> = (0..3).map(file).collect();
    for _ in 0..4 {
        parts.push(Part::Text("select".into(), "E".into()));
    }
    let r = client::post(addr, "/api/v1/check", &parts, T).unwrap();
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(r.text().contains("plus de 6 parties"), "{}", r.text());
    let m = metrics(addr);
    assert_eq!(
        sample(&m, "lsu_lint_rejections_total{limit=\"max_files\"}"),
        1.0
    );
    assert_eq!(
        sample(&m, "lsu_lint_rejections_total{limit=\"max_parts\"}"),
        1.0
    );
    h.stop().unwrap();
}

/// Reads until the server closes the connection; what it sent before.
fn until_closed(s: &mut std::net::TcpStream) -> Vec<u8> {
    s.set_read_timeout(Some(T)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return out,
            Err(e) => panic!("the server did not close the connection: {e}"),
        }
    }
}

#[test]
fn slow_clients_are_cut_off() {
    let (addr, h) = start(Limits {
        header_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(300),
        body_timeout: Duration::from_secs(60),
        ..Limits::default()
    });
    // Half a header, then nothing.
    let mut s = client::connect(addr, T).unwrap();
    s.write_all(b"POST /api/v1/check HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    until_closed(&mut s);
    // Whole headers, half a body, then nothing.
    let mut s = client::connect(addr, T).unwrap();
    let body = client::multipart(&check_parts());
    let head = client::head(
        addr,
        "POST",
        "/api/v1/check",
        Some(&client::content_type()),
        body.len(),
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&body[..body.len() / 2]).unwrap();
    until_closed(&mut s);
    let m = metrics(addr);
    assert!(
        sample(&m, "lsu_lint_rejections_total{limit=\"header_timeout\"}") >= 1.0,
        "{m}"
    );
    assert!(
        sample(&m, "lsu_lint_rejections_total{limit=\"idle_timeout\"}") >= 1.0,
        "{m}"
    );
    // Its bytes came back.
    assert_eq!(sample(&m, "lsu_lint_inflight_bytes"), 0.0);
    h.stop().unwrap();
}

/// A body that keeps trickling (never idle) but is not whole within `--body-timeout`: 408 in
/// French, counted under its limit, its bytes given back (issue 11, item 5).
#[test]
fn a_body_slower_than_the_body_timeout_gets_408() {
    let (addr, h) = start(Limits {
        header_timeout: Duration::from_secs(30),
        idle_timeout: Duration::from_secs(30),
        body_timeout: Duration::from_millis(500),
        ..Limits::default()
    });
    let mut s = client::connect(addr, T).unwrap();
    let body = client::multipart(&check_parts());
    let head = client::head(
        addr,
        "POST",
        "/api/v1/check",
        Some(&client::content_type()),
        body.len(),
    );
    s.write_all(head.as_bytes()).unwrap();
    // One byte every 50 ms: never idle for 30 s, never whole in 0.5 s (the body is kilobytes).
    s.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    for byte in body.iter().take(200) {
        if s.write_all(std::slice::from_ref(byte)).is_err() {
            break;
        }
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                got.extend_from_slice(&buf[..n]);
                break;
            }
            Err(_) => {}
        }
    }
    got.extend(until_closed(&mut s));
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(got.contains("reçue en entier"), "{got}");
    let m = metrics(addr);
    assert!(
        sample(&m, "lsu_lint_rejections_total{limit=\"body_timeout\"}") >= 1.0,
        "{m}"
    );
    assert_eq!(sample(&m, "lsu_lint_inflight_bytes"), 0.0);
    h.stop().unwrap();
}

#[test]
fn connections_over_the_cap_get_503_and_the_others_are_served() {
    let (addr, h) = start(Limits {
        max_connections: 2,
        ..Limits::default()
    });
    let a = client::connect(addr, T).unwrap();
    let b = client::connect(addr, T).unwrap();
    // Wait (bounded) until the server has taken both.
    for _ in 0..200 {
        if let Ok(mut c) = client::connect(addr, T) {
            let got = until_closed(&mut c);
            if String::from_utf8_lossy(&got).starts_with("HTTP/1.1 503") {
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut c = client::connect(addr, T).unwrap();
    let got = String::from_utf8_lossy(&until_closed(&mut c)).into_owned();
    assert!(got.starts_with("HTTP/1.1 503"), "{got}");
    assert!(got.contains("Retry-After: 5"), "{got}");
    drop((a, b));
    // Once they are gone, a new client is served (the count goes down; bounded wait).
    let mut served = false;
    for _ in 0..200 {
        if let Ok(r) = client::get(addr, "/healthz") {
            if r.status == 200 {
                served = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(served);
    assert!(
        sample(
            &metrics(addr),
            "lsu_lint_rejections_total{limit=\"max_connections\"}"
        ) >= 1.0
    );
    h.stop().unwrap();
}

#[test]
fn a_broken_form_gets_a_french_problem() {
    let (addr, h) = start(Limits::default());
    let mut body = client::multipart(&check_parts());
    // Cut before the closing boundary: an incomplete stream.
    body.truncate(body.len() - 40);
    let r = client::send(
        addr,
        "POST",
        "/api/v1/check",
        Some(&client::content_type()),
        &body,
        T,
    )
    .unwrap();
    assert_eq!(r.status, 400, "{}", r.text());
    let t = r.text();
    assert!(t.contains("corps multipart illisible : "), "{t}");
    assert!(
        t.contains("incomplet") || t.contains("s'arrête avant"),
        "{t}"
    );
    for english in ["incomplete", "stream", "received", "failed", "field"] {
        assert!(!t.contains(english), "« {english} » in {t}");
    }
    h.stop().unwrap();
}

#[test]
fn sigterm_finishes_the_request_in_flight_and_refuses_new_ones() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in « {line} »"));
    ready_is(addr, 200);
    // A request in flight: headers and half the body sent.
    let body = client::multipart(&check_parts());
    let mut s = client::connect(addr, T).unwrap();
    let head = client::head(
        addr,
        "POST",
        "/api/v1/check",
        Some(&client::content_type()),
        body.len(),
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(&body[..body.len() / 2]).unwrap();
    s.flush().unwrap();
    // Let the server take the request before the signal.
    for _ in 0..200 {
        if sample(&metrics(addr), "lsu_lint_inflight_bytes") > 0.0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = i32::try_from(child.id()).unwrap();
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    // New connections are refused once the port is closed (bounded wait).
    let mut refused = false;
    for _ in 0..500 {
        if std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err() {
            refused = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(refused, "the port still accepts connections after SIGTERM");
    // The request in flight completes.
    s.write_all(&body[body.len() / 2..]).unwrap();
    let r = client::read_response(&mut s).unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let report: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(report["files"].as_array().unwrap().len(), 1);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut rest = String::new();
    err.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("arrêté"), "{rest}");
}

/// The load script's scenarios, small: every check succeeds with several in flight; a burst of
/// uploads larger than the budget gets successes and 503 only; a request of many files, a 4xx.
#[test]
fn load_smoke() {
    let (addr, h) = start(Limits {
        max_jobs: 1,
        max_inflight_bytes: 200_000,
        max_files: 50,
        max_parts: 64,
        ..Limits::default()
    });
    ready_is(addr, 200);
    let body = Arc::new(scenarios::check_body("lsu.xml", &lsu()));
    let s = scenarios::checks(addr, Arc::clone(&body), 24, 4, T);
    assert_eq!(s.count(200), 24, "{}", s.line("checks"));
    // 60 KB requests, a budget for 3 of them: 8 at once.
    let mut big = lsu();
    let pad = format!("<!-- {} -->\n", "x".repeat(60_000));
    big.extend_from_slice(pad.as_bytes());
    let body = Arc::new(scenarios::check_body("gros.xml", &big));
    let s = scenarios::burst(addr, body, 8, T);
    assert!(s.count(200) >= 1, "{}", s.line("burst"));
    assert!(s.count(503) >= 1, "{}", s.line("burst"));
    assert_eq!(s.count(200) + s.count(503), 8, "{}", s.line("burst"));
    let s = scenarios::many_files(addr, 500, T);
    assert_eq!(s.count(413), 1, "{}", s.line("many"));
    assert_eq!(sample(&metrics(addr), "lsu_lint_inflight_bytes"), 0.0);
    h.stop().unwrap();
}
