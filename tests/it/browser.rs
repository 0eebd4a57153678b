//! What a person sees, in a real browser: Debian's Chromium, driven by `tests/browser/drive.mjs`
//! (playwright-core pinned by `tests/browser/package-lock.json`, installed by `npm ci`), opens
//! the HTML report of the demo collège and the web page's results after dropping its files;
//! the causes must show in the report's order, one must open, screenshots are kept under
//! `target/browser/`. A second driver, `tests/browser/page.mjs`, uses the web page as a school
//! would: one drop zone, the LSU settings form, keyboard only where it matters, an axe-core
//! audit (WCAG 2.1 A/AA) at each step and screenshots at desktop, 200 % zoom and phone widths.
//! Without Chromium or Node outside CI the tests are skipped with a message; under `CI=true`
//! they fail.

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
    // Past the harness's capture, so that a plain `cargo test` shows it (issue 8).
    crate::support::say_skipped(&format!("browser test: {why}"));
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
        // Dropped together in the one zone; recognised by content, whatever the order.
        "drop": [
            refs.join("ElevesSansAdresses.xml"),
            demo("lsu-a-corriger.xml"),
            refs.join("Nomenclature.xml"),
            refs.join("Communs.xml"),
            refs.join("sts_emp_0999101K_2025.xml"),
        ],
        // The LSU settings the CLI reads, chosen with the keyboard through the file picker.
        "picker": [demo("lsu-settings.toml")],
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

/// Runs a driver script on a config written under `out`, returns what it printed.
fn drive(driver: &Path, script: &str, out: &Path, config: &serde_json::Value) -> serde_json::Value {
    let cfg_path = out.join(format!("{script}.json"));
    std::fs::write(&cfg_path, config.to_string()).expect("write config");
    let run = Command::new("node")
        .arg(driver.join(script))
        .arg(&cfg_path)
        .output()
        .expect("node runs");
    assert!(
        run.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("driver prints JSON")
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The classes of the P001 causes seen on the page.
fn p001_classes(seen: &serde_json::Value) -> Vec<String> {
    seen["causes"]
        .as_array()
        .expect("causes")
        .iter()
        .filter(|c| c["code"] == "P001")
        .flat_map(|c| strings(&c["classes"]))
        .collect()
}

#[test]
fn web_page_drop_zone_settings_form_and_accessibility() {
    let (chromium, driver) = match tools() {
        Ok(t) => t,
        Err(why) => return skip(&why),
    };
    let out = root().join("target/browser");
    std::fs::create_dir_all(&out).expect("target/browser");
    let (addr, handle) = server::spawn(
        "127.0.0.1:0",
        server::Options {
            log: false,
            ..server::Options::default()
        },
    )
    .expect("server");
    let refs = demo("refdata");
    let dropped = [
        demo("lsu-a-corriger.xml"),
        refs.join("ElevesSansAdresses.xml"),
        refs.join("Nomenclature.xml"),
        refs.join("Communs.xml"),
        refs.join("sts_emp_0999101K_2025.xml"),
    ];
    let ecole = root().join("corpus/demo/ecole");
    let teachers = serde_json::json!([
        {"civilite": "MME", "nom": "D'Arcy-Lefèvre", "prenom": "Éloïse"},
        {"civilite": "M", "nom": "Dalazet \"dit\" \\Côme", "prenom": "Côme"},
    ]);
    let config = serde_json::json!({
        "chromium": chromium,
        "out": out,
        "server": format!("http://{addr}/"),
        // Dates typed the French way.
        "today": "10/07/2026",
        "drop": dropped,
        "stranger": demo("../README.md"),
        "classe": "6A",
        "positionnement": "echelle",
        "ecole": [ecole.join("lsu.xml"), ecole.join("refdata/CSVExtraction.csv")],
        "periode1": ["1/9/2025", "28/11/2025"],
        "teachers": teachers,
    });
    let seen = drive(&driver, "page.mjs", &out, &config);
    handle.stop().expect("server stops");
    assert_eq!(seen["errors"], serde_json::json!([]), "{seen:#}");
    assert_eq!(seen["lang"], "fr");

    // Recognised by content: each file's line is the library's description of its bytes.
    let files = seen["files"].as_array().expect("files listed");
    assert_eq!(files.len(), dropped.len() + 1);
    for (path, shown) in dropped.iter().zip(files) {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let bytes = std::fs::read(path).expect("demo file");
        let expected = lsu_lint::inspect::inspect(name, &bytes);
        let text = shown["text"].as_str().unwrap_or("");
        assert_eq!(shown["etat"], "pret", "{name}: {shown}");
        assert!(
            shown["classe"].as_str().unwrap_or("").contains("ok"),
            "{name}: {shown}"
        );
        assert!(
            text.contains(&expected.description),
            "{name}: « {text} » lacks « {} »",
            expected.description
        );
        assert!(text.contains("Reconnu"), "{name}: {text}");
        assert!(
            text.contains("UAI 0999101K"),
            "{name}: UAI read from the content: {text}"
        );
    }
    let lsu_line = files[0]["text"].as_str().unwrap_or("");
    let siecle_line = files[1]["text"].as_str().unwrap_or("");
    assert!(lsu_line.contains("57 élèves"), "{lsu_line}");
    assert!(siecle_line.contains("57 élèves"), "{siecle_line}");
    let stranger = &files[dropped.len()];
    assert_eq!(stranger["kind"], "inconnu");
    assert!(
        stranger["text"]
            .as_str()
            .unwrap_or("")
            .contains("Non reconnu"),
        "{stranger}"
    );
    assert!(
        seen["afterDropStatus"]
            .as_str()
            .unwrap_or("")
            .contains("5 fichiers reconnus"),
        "{}",
        seen["afterDropStatus"]
    );
    // Keyboard: Tab reaches the zone's button, focus is drawn, removal keeps the keyboard.
    let stops = seen["keyboard"]["stops"].as_array().expect("tab stops");
    let last = stops.last().expect("a tab stop");
    assert_eq!(last["id"], "choisir", "Tab reaches the zone: {stops:?}");
    assert!(
        stops.iter().all(|s| s["outline"] == true),
        "every focused element shows its focus: {stops:?}"
    );
    let filled = seen["keyboard"]["filled"].as_array().expect("tab stops");
    assert!(
        filled.len() >= 12,
        "the form is reachable by Tab: {filled:?}"
    );
    for stop in filled {
        assert_eq!(stop["outline"], true, "focus not drawn on {stop}");
    }
    for id in [
        "BUTTON#choisir",
        "BUTTON#/retirer",
        "SELECT#eval-6A",
        "BUTTON#verifier",
        "SUMMARY#",
    ] {
        assert!(
            filled.iter().any(|s| s["what"] == id),
            "{id} not reachable by Tab: {filled:?}"
        );
    }
    assert_eq!(
        seen["keyboard"]["afterRemoval"]["focused"], true,
        "{seen:#}"
    );
    assert!(seen["keyboard"]["afterRemoval"]["status"]
        .as_str()
        .unwrap_or("")
        .contains("README.md"));

    // Advanced options folded away by default, in words: no rule code such as « D001 ».
    assert_eq!(seen["advanced"]["closed"], true, "advanced options open");
    let advanced = seen["advanced"]["text"].as_str().unwrap_or("");
    assert!(advanced.contains("Contrôles effectués"), "{advanced}");
    let code = advanced.split(|c: char| !c.is_alphanumeric()).find(|w| {
        w.len() == 4
            && w.as_bytes()[0].is_ascii_uppercase()
            && w[1..].chars().all(|c| c.is_ascii_digit())
    });
    assert_eq!(
        code, None,
        "a rule code in the advanced options: {advanced}"
    );

    // The form lists the export's divisions, prefilled with LSU's defaults: notes sur 20
    // everywhere (the export evaluates 6A by positionnement), periodicity left to the user.
    let form = seen["form"].as_array().expect("form");
    let bytes = std::fs::read(&dropped[0]).expect("export");
    let export = lsu_lint::inspect::inspect("lsu-a-corriger.xml", &bytes);
    let codes: Vec<String> = export
        .lsu
        .as_ref()
        .expect("an LSU export")
        .classes
        .iter()
        .map(|c| c.code.clone())
        .collect();
    for code in &codes {
        let eval = form
            .iter()
            .find(|s| s["classe"] == code.as_str() && s["reglage"] == "positionnement")
            .unwrap_or_else(|| panic!("no evaluation field for {code}: {form:?}"));
        assert_eq!(eval["value"], "notes", "{code}: LSU's default");
        assert!(eval["legend"]
            .as_str()
            .unwrap_or("")
            .contains(code.as_str()));
        let per = form
            .iter()
            .find(|s| s["classe"] == code.as_str() && s["reglage"] == "periodicite")
            .expect("periodicity field");
        assert_eq!(per["value"], "");
    }

    // Checked with LSU's defaults, 6A's positionnements are P001; set to positionnement in
    // the form, they are gone, and the other class's P001 stays (P001 still runs).
    let before = p001_classes(&seen["before"]);
    let after = p001_classes(&seen["after"]);
    assert!(before.contains(&"6A".to_string()), "before: {before:?}");
    assert!(!after.contains(&"6A".to_string()), "after: {after:?}");
    assert!(after.contains(&"3A".to_string()), "after: {after:?}");
    assert_eq!(seen["resultsClearedOnChange"], true);
    assert_eq!(
        seen["after"]["focus"], "t-resultats",
        "focus moves to the results"
    );
    assert!(seen["after"]["status"]
        .as_str()
        .unwrap_or("")
        .contains("Vérification terminée"));

    // The form's settings are the ones the engine reads.
    let toml = seen["settingsToml"].as_str().expect("settings downloaded");
    let settings =
        lsu_lint::refdata::settings::parse(toml, Path::new("reglages-lsu.toml")).expect("valid");
    use lsu_lint::refdata::settings::Positionnement;
    assert_eq!(
        settings.class("6A").positionnement,
        Some(Positionnement::Echelle)
    );
    assert_eq!(
        settings.class("5A").positionnement,
        Some(Positionnement::Notes)
    );
    assert_eq!(settings.class("6A").periodicite, None);
    assert!(seen["reportDownload"]["html"]
        .as_str()
        .unwrap_or("")
        .contains("<html lang=\"fr\""));
    // The other downloads (issue 14, results): the corrected export is an LSU export, the split
    // files a zip, the JSON results carry the root causes.
    let dl = &seen["downloads"];
    let fixed = dl["dl-corrige"]["text"].as_str().unwrap_or("");
    assert!(
        fixed.starts_with("<?xml") && fixed.contains("<lsun-bilans"),
        "{}",
        &fixed[..fixed.len().min(300)]
    );
    assert_eq!(dl["dl-corrige"]["name"], "lsu-a-corriger-corrige.xml");
    assert_eq!(
        dl["dl-decoupe"]["head"], "PK",
        "a zip: {}",
        dl["dl-decoupe"]
    );
    let json: serde_json::Value =
        serde_json::from_str(dl["dl-json"]["text"].as_str().unwrap_or("")).expect("JSON results");
    let titles: Vec<String> = json["summary"]["causes"]
        .as_array()
        .expect("summary.causes")
        .iter()
        .map(|c| c["title"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(!titles.is_empty(), "{json}");

    // 1D: classes by ONDE id, period rows empty until typed, teachers kept exactly as typed.
    let legends = strings(&seen["ecoleForm"]["legends"]);
    assert_eq!(legends.len(), 2, "{legends:?}");
    assert!(legends[0].contains("58938"), "{legends:?}");
    assert!(strings(&seen["ecoleForm"]["periodes"])
        .iter()
        .all(String::is_empty));
    let toml = seen["ecoleToml"].as_str().expect("école settings");
    let s1 = lsu_lint::refdata::settings::parse(toml, Path::new("reglages-lsu.toml"))
        .unwrap_or_else(|e| panic!("{e}\n{toml}"));
    assert_eq!(s1.periodes.len(), 1);
    assert_eq!(s1.periodes[0].debut.to_string(), "2025-09-01");
    assert_eq!(s1.periodes[0].fin.to_string(), "2025-11-28");
    let names: Vec<(Option<String>, String, Option<String>)> = s1
        .enseignants
        .iter()
        .map(|e| (e.civilite.clone(), e.nom.clone(), e.prenom.clone()))
        .collect();
    let typed: Vec<(Option<String>, String, Option<String>)> = teachers
        .as_array()
        .expect("teachers")
        .iter()
        .map(|t| {
            (
                t["civilite"].as_str().map(String::from),
                t["nom"].as_str().unwrap_or("").to_string(),
                t["prenom"].as_str().map(String::from),
            )
        })
        .collect();
    assert_eq!(names, typed);

    // No WCAG 2.1 A/AA violation at any step; no sideways scrolling at any width.
    for step in ["empty", "dropped", "results", "ecole"] {
        assert_eq!(
            seen["audits"][step],
            serde_json::json!([]),
            "axe-core, {step}: {:#}",
            seen["audits"][step]
        );
    }
    let overflow = seen["overflow"].as_object().expect("overflow checks");
    assert!(overflow.len() >= 12, "{overflow:?}");
    for (shot, v) in overflow {
        assert_eq!(v, false, "{shot}: horizontal scrolling");
    }
    for shot in seen["shots"].as_array().expect("screenshots") {
        let path = shot.as_str().expect("path");
        let meta = std::fs::metadata(path).expect("screenshot kept");
        assert!(meta.len() > 5_000, "{path} looks empty");
    }
    let text = seen["emptyText"].as_str().unwrap_or("");
    for english in ["Choose File", "No file chosen", "Browse"] {
        assert!(!text.contains(english), "English on the page: {english}");
    }
}
