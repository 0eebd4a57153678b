//! What a person sees, in a real browser: Debian's Chromium, driven by `tests/browser/drive.mjs`
//! (playwright-core pinned by `tests/browser/package-lock.json`, installed by `npm ci`), opens
//! the HTML report of the demo collège and the web page's results after dropping its files;
//! the causes must show in the report's order, one must open, screenshots are kept under
//! `target/browser/`. Without Chromium or Node outside CI the test is skipped with a message;
//! under `CI=true` it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use lsu_lint::engine::EngineBuilder;
use lsu_lint::output;
use lsu_lint::server;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The browser and the driver, or why they are missing.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("LSU_LINT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() {
        return Err(format!(
            "{} absent (apt-get install chromium)",
            chromium.display()
        ));
    }
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        return Err("node absent".into());
    }
    let driver = root().join("tests/browser");
    if !driver.join("node_modules/playwright-core").exists() {
        return Err("tests/browser/node_modules absent (npm ci --prefix tests/browser)".into());
    }
    Ok((chromium, driver))
}

/// Skips with a visible message outside CI, fails under CI.
fn skip(why: &str) {
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("browser test required under CI: {why}");
    }
    eprintln!("SKIPPED browser test: {why}");
}

fn demo(p: &str) -> PathBuf {
    root().join("corpus/demo/college").join(p)
}

#[test]
fn report_and_web_page_show_the_causes_in_order() {
    let (chromium, driver) = match tools() {
        Ok(t) => t,
        Err(why) => return skip(&why),
    };
    let out = root().join("target/browser");
    std::fs::create_dir_all(&out).expect("target/browser");

    // The report the CLI would write for the demo collège's export with its reference data.
    let engine = EngineBuilder::default()
        .discover_config(Some(demo("lsu-lint.toml")))
        .today(chrono::NaiveDate::from_ymd_opt(2026, 7, 10).expect("date"))
        .build()
        .expect("engine");
    let report = engine
        .check_paths(&[demo("lsu-a-corriger.xml")])
        .expect("check");
    let expected: Vec<String> = report
        .causes()
        .iter()
        .map(|c| c.title.to_lowercase())
        .collect();
    assert!(expected.len() >= 3, "the demo has several causes");
    let html_path = out.join("rapport.html");
    std::fs::write(&html_path, output::html::render(&report)).expect("write report");

    let (addr, handle) = server::spawn(
        "127.0.0.1:0",
        server::Options {
            log: false,
            ..server::Options::default()
        },
    )
    .expect("server");
    let refs = demo("refdata");
    let config = serde_json::json!({
        "chromium": chromium,
        "report": html_path,
        "out": out,
        "server": format!("http://{addr}/"),
        "today": "2026-07-10",
        "upload": {
            "lsu": [demo("lsu-a-corriger.xml")],
            "siecle": [refs.join("ElevesSansAdresses.xml")],
            "nomenclature": [refs.join("Nomenclature.xml")],
            "communs": [refs.join("Communs.xml")],
            "sts": [refs.join("sts_emp_0999101K_2025.xml")],
            "settings": [demo("lsu-settings.toml")],
        },
    });
    let cfg_path = out.join("drive.json");
    std::fs::write(&cfg_path, config.to_string()).expect("write config");
    let run = Command::new("node")
        .arg(driver.join("drive.mjs"))
        .arg(&cfg_path)
        .output()
        .expect("node runs");
    handle.stop().expect("server stops");
    assert!(
        run.status.success(),
        "driver failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&run.stdout).expect("driver prints JSON");
    assert_eq!(seen["errors"], serde_json::json!([]), "{seen}");

    for face in ["report", "page"] {
        let titles: Vec<String> = seen[face]["titles"]
            .as_array()
            .unwrap_or_else(|| panic!("{face}: no causes seen: {seen}"))
            .iter()
            .map(|t| t.as_str().unwrap_or("").to_lowercase())
            .collect();
        assert_eq!(titles, expected, "{face}: causes in the report's order");
        let ex = &seen[face]["expanded"];
        assert_eq!(ex["open"], true, "{face}: the first cause opens");
        assert_eq!(ex["todoVisible"], true, "{face}: where to act is visible");
        assert!(
            ex["findingsRows"].as_u64().unwrap_or(0) >= 1,
            "{face}: its findings are listed"
        );
        let text = seen[face]["text"].as_str().unwrap_or("");
        for must in ["Où corriger", "Bilans rejetés estimés", "0999101K"] {
            assert!(text.contains(must), "{face}: « {must} » not visible");
        }
        assert!(!text.contains("lsu_lint::"), "{face}: internal label shown");
    }
    assert_eq!(seen["report"]["lang"], "fr");
    for shot in ["rapport.png", "page-resultats.png"] {
        let meta = std::fs::metadata(out.join(shot)).expect("screenshot kept");
        assert!(meta.len() > 10_000, "{shot} looks empty");
    }
}
