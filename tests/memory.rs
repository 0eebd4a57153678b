//! Peak memory of `lsu-lint check` on large and hostile files: at most twice the file plus
//! 64 MiB, measured on the child process (its maximum resident set size, from `wait4`); of
//! `lsu-lint fix` on the generated school: at most 2.5 times the file plus 64 MiB.
//! The service gives memory back once a load is over (issue 11): its resident memory after a
//! burst of checks stays near where it started.
//! Ignored by default (they need a release build to run in reasonable time); `.ci/run` runs
//! them with `cargo test --release --test memory -- --ignored`.

#[path = "../bench/client.rs"]
mod client;
#[path = "../bench/scenarios.rs"]
mod scenarios;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lsu_gen::{refdata, Degree, Options, School};

const MIB: u64 = 1 << 20;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lsu-lint-memory-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `lsu-lint <command>` on `file` (with `extra` arguments first) and returns its exit code
/// and peak resident memory in bytes.
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which std's Child cannot do
fn peak_of(command: &[&str], file: &Path, extra: &[&str]) -> (i32, u64) {
    let child = Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .args(command)
        .args(["--today", "2026-01-15"])
        .args(extra)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("lsu-lint starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, with valid pointers; `child` is not waited for again.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4");
    assert!(libc::WIFEXITED(status), "lsu-lint did not exit normally");
    (libc::WEXITSTATUS(status), usage.ru_maxrss as u64 * 1024)
}

fn assert_bounded(file: &Path, extra: &[&str]) {
    assert_bounded_by(&["check", "--format", "concise"], 2.0, file, extra);
}

/// Peak of `command` on `file` ≤ `times` × the file + 64 MiB.
fn assert_bounded_by(command: &[&str], times: f64, file: &Path, extra: &[&str]) {
    let size = std::fs::metadata(file).expect("file").len();
    assert!(size >= 50_000_000, "{size} bytes");
    let (code, peak) = peak_of(command, file, extra);
    assert!(code == 0 || code == 1, "exit code {code}");
    let bound = (times * size as f64) as u64 + 64 * MIB;
    eprintln!(
        "{} {}: {} MB, peak {} MiB, bound {} MiB",
        command[0],
        file.display(),
        size / 1_000_000,
        peak / MIB,
        bound / MIB
    );
    assert!(
        peak <= bound,
        "peak {} MiB > {} MiB",
        peak / MIB,
        bound / MIB
    );
}

#[test]
#[ignore = "release build: cargo test --release --test memory -- --ignored"]
fn a_generated_school_of_50_mb_with_its_reference_data_fits() {
    let dir = scratch("school");
    let out = dir.join("college");
    // As `lsu-gen --degree 2d --seed 5 --target-mb 52 --out …`.
    let opts = Options::new(Degree::D2, 100, 5);
    let school = lsu_gen::generate_to_size(&opts, 52_000_000).expect("generation");
    refdata::write_dir(&school, &out).expect("generated files written");
    let config = out.join("lsu-lint.toml");
    let config = config.to_str().expect("utf-8 path");
    assert_bounded(&out.join("lsu.xml"), &["--config", config]);
    // `fix` checks the file, fixes what it can and writes the result: 2.5 times the file.
    let fixed = dir.join("fixed.xml");
    let fixed = fixed.to_str().expect("utf-8 path");
    assert_bounded_by(
        &["fix"],
        2.5,
        &out.join("lsu.xml"),
        &["--config", config, "-o", fixed],
    );
    assert!(Path::new(fixed).is_file(), "fix wrote its output");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
#[ignore = "release build: cargo test --release --test memory -- --ignored"]
fn a_file_of_50_mb_of_nul_bytes_fits() {
    let dir = scratch("nul");
    let file = dir.join("nul.xml");
    std::fs::write(&file, vec![0u8; 50_000_000]).expect("write");
    assert_bounded(&file, &[]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
#[ignore = "release build: cargo test --release --test memory -- --ignored"]
fn a_single_text_node_of_50_mb_fits() {
    let dir = scratch("text");
    let out = dir.join("small");
    // As `lsu-gen --degree 2d --seed 7 --eleves 20 --out …`.
    let school = School::generate(&Options::new(Degree::D2, 20, 7)).expect("generation");
    refdata::write_dir(&school, &out).expect("generated files written");
    let small = std::fs::read_to_string(out.join("lsu.xml")).expect("generated file");
    let open = small.find("<appreciation>").expect("an appreciation") + "<appreciation>".len();
    let close = open + small[open..].find("</appreciation>").expect("closed");
    let unit = "Texte de démonstration sans balise, répété. ";
    let body = unit.repeat(50_000_000 / unit.len() + 1);
    let file = dir.join("text.xml");
    std::fs::write(
        &file,
        format!("{}{body}{}", &small[..open], &small[close..]),
    )
    .expect("write");
    assert_bounded(&file, &[]);
    std::fs::remove_dir_all(&dir).ok();
}

/// Kills the service when the test ends, passed or failed.
struct Service(std::process::Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
#[ignore = "release build: cargo test --release --test memory -- --ignored"]
fn the_service_gives_memory_back_after_a_load() {
    let dir = scratch("service");
    let out = dir.join("college");
    // As `lsu-gen --degree 2d --seed 11 --target-mb 10 --out …`.
    let school = lsu_gen::generate_to_size(&Options::new(Degree::D2, 100, 11), 10_000_000)
        .expect("generation");
    refdata::write_dir(&school, &out).expect("generated files written");
    let export = std::fs::read(out.join("lsu.xml")).expect("generated export");
    // A free port on the loopback (a tiny window in which another process could take it).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    let child = Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .args(["serve", "--listen", &addr.to_string(), "--max-jobs", "2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("lsu-lint serve starts");
    let service = Service(child);
    let pid = service.0.id();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !client::get(addr, "/readyz").is_ok_and(|r| r.status == 200) {
        assert!(Instant::now() < deadline, "the service never got ready");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Warm-up with the same concurrency on a small export: every thread that will check has
    // compiled its copy of the schemas (a cache kept per thread, not a leak) before `start`.
    let small = School::generate(&Options::new(Degree::D2, 10, 11)).expect("generation");
    let small_dir = dir.join("small");
    refdata::write_dir(&small, &small_dir).expect("generated files written");
    let small = std::fs::read(small_dir.join("lsu.xml")).expect("generated export");
    let s = scenarios::checks(
        addr,
        Arc::new(scenarios::check_body("petit.xml", &small)),
        32,
        8,
        Duration::from_secs(60),
    );
    assert_eq!(s.count(200), 32, "{}", s.line("warm-up"));
    std::thread::sleep(Duration::from_secs(2));
    let (_, start) = client::memory_kib(pid).expect("/proc/PID/status");
    let body = Arc::new(scenarios::check_body("lsu.xml", &export));
    let s = scenarios::checks(addr, body, 16, 8, Duration::from_secs(300));
    assert_eq!(s.count(200), 16, "{}", s.line("checks"));
    // Memory goes back to the system a moment after the last answer, and again once the idle
    // worker threads have ended (10 s later).
    std::thread::sleep(Duration::from_secs(15));
    let (peak, after) = client::memory_kib(pid).expect("/proc/PID/status");
    eprintln!(
        "service: {} MB export ×16, resident {} MiB at start, peak {} MiB, {} MiB after",
        export.len() / 1_000_000,
        start / 1024,
        peak / 1024,
        after / 1024
    );
    // The defect was a service keeping most of its peak (162 of 250 MB). Measured on 2 cores:
    // 20–56 MiB after a 150–180 MiB peak, from 15; without giving memory back, 58 MiB. The
    // bound guards against keeping most of the peak; it cannot tell 56 from 58.
    assert!(
        after <= start + (peak - start) / 2,
        "{} MiB kept after the load (from {} MiB, peak {} MiB)",
        after / 1024,
        start / 1024,
        peak / 1024
    );
    drop(service);
    std::fs::remove_dir_all(&dir).ok();
}
