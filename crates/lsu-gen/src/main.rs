#![deny(clippy::unwrap_used, clippy::expect_used)]
//! `lsu-gen`: writes synthetic LSU exports and their reference data (Siècle, STS-Web, ONDE,
//! LSU settings), deterministic from a seed, optionally with recorded defects.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use lsu_gen::{self as gen, Defect, Degree, Options, School, Version};

const USAGE: &str = "\
lsu-gen — génère des exports LSU fictifs et les données de référence assorties

Usage : lsu-gen --out DOSSIER [OPTIONS]

Options :
  --degree 2d|1d        degré : collège (2d, par défaut) ou école (1d)
  --eleves N            nombre d'élèves (défaut : 100 ; 25 avec --many)
  --seed S              graine (entier) : même graine, mêmes octets (défaut : 1)
  --version V           version du schéma : 10.0 (défaut 2d), 7.0, 3.0 ; 1.0 pour le 1d
  --periods P           nombre de périodes, de 2 à 5 (défaut : 3)
  --classes LISTE       divisions (2d : 6A,5A,3A) ou niveaux des classes (1d : CE2,CM1-CM2)
  --uai CODE            UAI de l'établissement (défaut : 0999xxxX tiré de la graine)
  --target-mb M         ajoute des élèves jusqu'à ce que lsu.xml atteigne M Mo
  --defect CODE:N       injecte un défaut dans N élèves/bilans (répétable) ; CODE parmi
                        D001 (date-scolarite-before-rentree), date-before-entry,
                        date-after-exit, I002 (unknown-pupil : id-be inconnu de Siècle),
                        I003 (unknown-division), unknown-division-class (I003 sur
                        N classes entières, d'où P001 sur leurs bilans),
                        I004 (unknown-onde-class), T004 (teacher-spelling),
                        C001 (socle-incomplete), P001 (scale-mismatch),
                        P003 (comma-average), R001 (dangling-ref),
                        B002 (oversized : N = nombre minimal d'élèves, au moins 251)
                        date-before-entry, date-after-exit, I002, I003,
                        unknown-division-class, P001, P003 : 2d seulement ;
                        I004, T004 : 1d seulement ; erreur si l'établissement ne permet
                        pas d'injecter N fois le défaut
  --many K              écrit K petites écoles/collèges DOSSIER/ecole-0001.xml… (LSU seul)
  --out DOSSIER         dossier de sortie (créé si besoin)
  -h, --help            cette aide

Sortie : DOSSIER/lsu.xml, les fichiers de référence (2d : ElevesSansAdresses.xml,
Nomenclature.xml, Communs.xml, sts_emp_<UAI>_2025.xml ; 1d : CSVExtraction.csv),
lsu-settings.toml, et defauts.tsv quand des défauts sont injectés.
";

struct Args {
    opts: Options,
    target_mb: Option<f64>,
    many: Option<usize>,
    out: PathBuf,
}

fn value<'a>(it: &mut impl Iterator<Item = &'a String>, flag: &str) -> Result<&'a String, String> {
    it.next()
        .ok_or_else(|| format!("l'option {flag} attend une valeur"))
}

fn number<T: std::str::FromStr>(v: &str, flag: &str) -> Result<T, String> {
    v.trim().parse().map_err(|_| {
        format!("valeur « {v} » invalide pour {flag} : un nombre entier positif est attendu")
    })
}

fn parse(argv: &[String]) -> Result<Option<Args>, String> {
    let mut degree = Degree::D2;
    let mut version: Option<Version> = None;
    let mut eleves: Option<usize> = None;
    let mut seed = 1u64;
    let mut periods = 3u32;
    let mut classes = Vec::new();
    let mut uai = None;
    let mut target_mb = None;
    let mut defects = Vec::new();
    let mut many = None;
    let mut out = None;
    let mut it = argv.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let val = |it: &mut std::slice::Iter<'_, String>| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => value(it, flag).cloned(),
            }
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--degree" => {
                let v = val(&mut it)?;
                degree = match v.to_ascii_lowercase().as_str() {
                    "2d" | "2" => Degree::D2,
                    "1d" | "1" => Degree::D1,
                    _ => {
                        return Err(format!(
                            "degré « {v} » inconnu : 2d (collège) ou 1d (école)"
                        ))
                    }
                }
            }
            "--eleves" => {
                let n: usize = number(&val(&mut it)?, flag)?;
                if n == 0 {
                    return Err("--eleves doit être au moins 1".into());
                }
                eleves = Some(n);
            }
            "--seed" => seed = number(&val(&mut it)?, flag)?,
            "--version" => {
                let v = val(&mut it)?;
                version = Some(Version::parse(&v).ok_or_else(|| {
                    format!("version de schéma « {v} » inconnue : 10.0, 7.0 ou 3.0 (2d), 1.0 (1d)")
                })?);
            }
            "--periods" => {
                periods = number(&val(&mut it)?, flag)?;
                if !(2..=5).contains(&periods) {
                    return Err(format!("--periods {periods} invalide : de 2 à 5 périodes"));
                }
            }
            "--classes" => {
                classes = val(&mut it)?
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
            }
            "--uai" => {
                let v = val(&mut it)?;
                if v.chars().count() != 8 {
                    return Err(format!(
                        "UAI « {v} » invalide : 8 caractères attendus (7 chiffres et une lettre)"
                    ));
                }
                uai = Some(v);
            }
            "--target-mb" => {
                let v = val(&mut it)?;
                let x: f64 = v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|x: &f64| x.is_finite() && *x > 0.0 && *x <= 4096.0)
                    .ok_or_else(|| format!("taille « {v} » invalide pour --target-mb : un nombre de Mo entre 0 et 4096"))?;
                target_mb = Some(x);
            }
            "--defect" => {
                let v = val(&mut it)?;
                let (code, n) = v.split_once(':').unwrap_or((v.as_str(), "1"));
                let d = Defect::parse(code).ok_or_else(|| {
                    format!(
                        "défaut « {code} » inconnu ; possibles : {}",
                        Defect::ALL.map(|d| d.to_string()).join(", ")
                    )
                })?;
                defects.push((d, number(n, "--defect")?));
            }
            "--many" => {
                let k: usize = number(&val(&mut it)?, flag)?;
                if k == 0 || k > 100_000 {
                    return Err("--many attend un nombre de fichiers entre 1 et 100000".into());
                }
                many = Some(k);
            }
            "--out" => out = Some(PathBuf::from(val(&mut it)?)),
            other => {
                return Err(format!(
                    "argument inconnu « {other} » (voir lsu-gen --help)"
                ))
            }
        }
    }
    let out = out.ok_or("l'option --out DOSSIER est obligatoire")?;
    let version = version.unwrap_or(Version::default_for(degree));
    if version.degree() != degree {
        return Err(format!(
            "la version {} ne correspond pas au degré {} (2d : 10.0, 7.0, 3.0 ; 1d : 1.0)",
            version.as_str(),
            degree.as_str()
        ));
    }
    let mut opts = Options::new(
        degree,
        eleves.unwrap_or(if many.is_some() { 25 } else { 100 }),
        seed,
    );
    opts.version = version;
    opts.periods = periods;
    opts.classes = classes;
    opts.uai = uai;
    opts.defects = defects;
    Ok(Some(Args {
        opts,
        target_mb,
        many,
        out,
    }))
}

/// « 1 classe », « 2 classes » (French: 0 and 1 take the singular).
fn count_fr(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

fn run(args: Args) -> Result<(), String> {
    let io = |e: std::io::Error| format!("écriture impossible dans {} : {e}", args.out.display());
    if let Some(k) = args.many {
        std::fs::create_dir_all(&args.out).map_err(io)?;
        let mut total = 0u64;
        for i in 0..k {
            let mut o = args.opts.clone();
            o.seed = args.opts.seed.wrapping_add(i as u64);
            o.uai = None;
            let name = format!("ecole-{:04}.xml", i + 1);
            let school = School::generate(&o).map_err(|e| format!("{name} : {e}"))?;
            let path = args.out.join(&name);
            let f = std::fs::File::create(&path).map_err(io)?;
            let mut w = BufWriter::new(f);
            school.write_lsu(&mut w).map_err(io)?;
            w.flush().map_err(io)?;
            total += std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        }
        println!(
            "{k} fichiers écrits dans {} ({:.1} Mo au total)",
            args.out.display(),
            total as f64 / 1e6
        );
        return Ok(());
    }
    let school = match args.target_mb {
        Some(mb) => gen::generate_to_size(&args.opts, (mb * 1_000_000.0) as u64)
            .map_err(|e| e.to_string())?,
        None => School::generate(&args.opts).map_err(|e| e.to_string())?,
    };
    let files = gen::refdata::write_dir(&school, &args.out).map_err(io)?;
    let size = std::fs::metadata(args.out.join("lsu.xml"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "{} : UAI {}, schéma {} ({}), {} élèves, {} divisions/classes, {} bilans périodiques, {} bilans de cycle, {:.2} Mo",
        args.out.join("lsu.xml").display(),
        school.uai,
        school.version.as_str(),
        school.degree.as_str(),
        school.pupils.len(),
        school.divisions.len(),
        school.periodic_keys().len(),
        school.cycle_keys().len(),
        size as f64 / 1e6
    );
    for f in files.iter().skip(1) {
        println!("  {}", f.display());
    }
    // Every defect asked for was injected: `generate` fails otherwise.
    let mut shown = std::collections::BTreeSet::new();
    for (d, _) in &args.opts.defects {
        if !shown.insert(*d) {
            continue;
        }
        let recs: Vec<_> = school.defects.iter().filter(|r| r.defect == *d).collect();
        if *d == Defect::UnknownDivisionClass {
            let classes: std::collections::BTreeSet<_> =
                recs.iter().filter_map(|r| r.division.as_deref()).collect();
            println!(
                "  défaut {d} : {}, {}",
                count_fr(classes.len(), "classe", "classes"),
                count_fr(recs.len(), "élève", "élèves")
            );
        } else {
            let n = recs.len();
            println!(
                "  défaut {d} : {n} {}",
                if n > 1 { "injectés" } else { "injecté" }
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match parse(&argv) {
        Ok(None) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("lsu-gen : erreur : {e}");
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("lsu-gen : erreur : {e}\n(voir lsu-gen --help)");
            ExitCode::from(2)
        }
    }
}
