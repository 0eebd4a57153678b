//! The load client of `bench/load.sh` (run it through the script: it builds in release, makes
//! the data, starts the service on the loopback and reads its memory). Three scenarios:
//!   1. CHECKS checks of the 5 MB export, IN_FLIGHT at a time: every one must succeed;
//!   2. BURST uploads of the 60 MB export at once: at least JOBS succeed, the others get 503;
//!   3. one request of MANY tiny files: a 4xx.
//!
//! Then the service's peak and current memory (from /proc), checked against BOUND_MIB.
//!
//! Usage: load ADDR PID EXPORT_5MB EXPORT_60MB JOBS BOUND_MIB [CHECKS IN_FLIGHT BURST MANY]

#[path = "client.rs"]
mod client;
#[path = "scenarios.rs"]
mod scenarios;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

fn arg<T: std::str::FromStr>(args: &[String], i: usize, default: Option<T>) -> Result<T, String> {
    match args.get(i) {
        Some(v) => v
            .parse()
            .map_err(|_| format!("argument {i} invalide : « {v} »")),
        None => default
            .ok_or_else(|| format!("argument {i} manquant (voir l'en-tête de bench/load.rs)")),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<bool, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr: SocketAddr = arg(&args, 0, None)?;
    let pid: u32 = arg(&args, 1, None)?;
    let medium: String = arg(&args, 2, None)?;
    let large: String = arg(&args, 3, None)?;
    let jobs: usize = arg(&args, 4, None)?;
    let bound_mib: u64 = arg(&args, 5, None)?;
    let checks: usize = arg(&args, 6, Some(200))?;
    let in_flight: usize = arg(&args, 7, Some(8))?;
    let burst: usize = arg(&args, 8, Some(16))?;
    let many: usize = arg(&args, 9, Some(10_000))?;
    let read = |p: &str| std::fs::read(p).map_err(|e| format!("{p} : {e}"));
    let timeout = Duration::from_secs(300);
    let mut ok = true;
    let mem = |label: &str| {
        if let Some((peak, now)) = client::memory_kib(pid) {
            println!(
                "mémoire du service {label} : pic {} Mio, actuelle {} Mio",
                peak / 1024,
                now / 1024
            );
        }
    };
    mem("au départ");

    let m = read(&medium)?;
    let body = Arc::new(scenarios::check_body("export-5mo.xml", &m));
    println!(
        "1. {checks} vérifications de {} octets, {in_flight} à la fois",
        m.len()
    );
    let s = scenarios::checks(addr, body, checks, in_flight, timeout);
    println!("   {}", s.line("résultat"));
    if s.count(200) != checks {
        println!("   ÉCHEC : toutes devaient réussir ({:?})", s.first_failure);
        ok = false;
    }
    mem("après le scénario 1");

    let l = read(&large)?;
    let body = Arc::new(scenarios::check_body("export-60mo.xml", &l));
    println!("2. {burst} envois simultanés de {} octets", l.len());
    let s = scenarios::burst(addr, body, burst, timeout);
    println!("   {}", s.line("résultat"));
    let others = s.total() - s.count(200) - s.count(503);
    if s.count(200) < jobs || others > 0 {
        println!(
            "   ÉCHEC : au moins {jobs} réussites attendues, les autres en 503 ({:?})",
            s.first_failure
        );
        ok = false;
    }
    drop(l);
    mem("après le scénario 2");

    println!("3. une requête de {many} petits fichiers");
    let s = scenarios::many_files(addr, many, timeout);
    println!("   {}", s.line("résultat"));
    let status = s.statuses.keys().next().copied().unwrap_or(0);
    if !(400..500).contains(&status) {
        println!("   ÉCHEC : une réponse 4xx attendue");
        ok = false;
    }
    // Let the service give back what the last jobs freed.
    std::thread::sleep(Duration::from_secs(2));
    match client::memory_kib(pid) {
        Some((peak, now)) => {
            println!(
                "mémoire du service : pic {} Mio (borne {bound_mib} Mio), après la charge {} Mio",
                peak / 1024,
                now / 1024
            );
            if peak / 1024 > bound_mib {
                println!("   ÉCHEC : pic au-delà de la borne");
                ok = false;
            }
        }
        None => println!("mémoire du service illisible (/proc/{pid}/status)"),
    }
    println!("{}", if ok { "RÉUSSI" } else { "ÉCHOUÉ" });
    Ok(ok)
}
