//! Peak memory of `lsu-lint check` on large and hostile files: at most twice the file plus
//! 64 MiB, measured on the child process (its maximum resident set size, from `wait4`); of
//! `lsu-lint fix` on the generated school: at most 2.5 times the file plus 64 MiB.
//! Ignored by default (they need a release build to run in reasonable time); `.ci/run` runs
//! them with `cargo test --release --test memory -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

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
