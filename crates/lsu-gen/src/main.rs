#![deny(clippy::unwrap_used, clippy::expect_used)]
//! `lsu-gen`: writes synthetic LSU exports and their reference data (Siècle, STS-Web, ONDE,
//! LSU settings), deterministic from a seed, optionally with recorded defects.

use std::error::Error as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Parser};

use lsu_gen::{self as gen, Defect, Degree, Options, School, Version};

/// What `--help` prints after the options.
const AFTER_HELP: &str = "\
Sortie : DOSSIER/lsu.xml, les fichiers de référence (2d : ElevesSansAdresses.xml,
Nomenclature.xml, Communs.xml, sts_emp_<UAI>_2025.xml ; 1d : CSVExtraction.csv),
lsu-settings.toml, et defauts.tsv quand des défauts sont injectés.";

const DEFECT_HELP: &str = "\
injecte un défaut dans N élèves/bilans (répétable) ; CODE parmi
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
pas d'injecter N fois le défaut";

/// The command line. Every value is checked by a parser of its own that says what is wrong in
/// French; a flag given twice keeps its last value, except `--defect`, which adds up.
#[derive(Parser)]
#[command(
    name = "lsu-gen",
    about = "lsu-gen — génère des exports LSU fictifs et les données de référence assorties",
    help_template = "{about-with-newline}\nUtilisation : {usage}\n\nOptions :\n{options}{after-help}",
    after_help = AFTER_HELP,
    disable_help_flag = true,
    args_override_self = true,
    allow_negative_numbers = true
)]
struct Cli {
    /// degré : collège (2d, par défaut) ou école (1d)
    #[arg(long, value_name = "2d|1d", value_parser = degree, default_value = "2d", hide_default_value = true)]
    degree: Degree,
    /// nombre d'élèves (défaut : 100 ; 25 avec --many)
    #[arg(long, value_name = "N", value_parser = eleves)]
    eleves: Option<usize>,
    /// graine (entier) : même graine, mêmes octets (défaut : 1)
    #[arg(long, value_name = "S", value_parser = number::<u64>("--seed"), default_value = "1", hide_default_value = true)]
    seed: u64,
    /// version du schéma : 10.0 (défaut 2d), 7.0, 3.0 ; 1.0 pour le 1d
    #[arg(long, value_name = "V", value_parser = version)]
    version: Option<Version>,
    /// nombre de périodes, de 2 à 5 (défaut : 3)
    #[arg(long, value_name = "P", value_parser = periods, default_value = "3", hide_default_value = true)]
    periods: u32,
    /// divisions (2d : 6A,5A,3A) ou niveaux des classes (1d : CE2,CM1-CM2)
    #[arg(long, value_name = "LISTE")]
    classes: Option<String>,
    /// UAI de l'établissement (défaut : 0999xxxX tiré de la graine)
    #[arg(long, value_name = "CODE", value_parser = uai)]
    uai: Option<String>,
    /// ajoute des élèves jusqu'à ce que lsu.xml atteigne M Mo
    #[arg(long = "target-mb", value_name = "M", value_parser = target_mb)]
    target_mb: Option<f64>,
    #[arg(long, value_name = "CODE:N", value_parser = defect, help = DEFECT_HELP)]
    defect: Vec<(Defect, usize)>,
    /// écrit K petites écoles ou collèges DOSSIER/ecole-0001.xml… ou college-0001.xml… (LSU seul)
    #[arg(long, value_name = "K", value_parser = many)]
    many: Option<usize>,
    /// dossier de sortie (créé si besoin)
    #[arg(long, value_name = "DOSSIER", required = true)]
    out: PathBuf,
    /// cette aide
    #[arg(short = 'h', long, action = ArgAction::Help)]
    help: Option<bool>,
}

struct Args {
    opts: Options,
    target_mb: Option<f64>,
    many: Option<usize>,
    out: PathBuf,
}

/// A value parser for a positive whole number, naming `flag` in its message.
fn number<T: std::str::FromStr + Clone + Send + Sync + 'static>(
    flag: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |v: &str| {
        v.trim().parse().map_err(|_| {
            format!("valeur « {v} » invalide pour {flag} : un nombre entier positif est attendu")
        })
    }
}

fn degree(v: &str) -> Result<Degree, String> {
    match v.to_ascii_lowercase().as_str() {
        "2d" | "2" => Ok(Degree::D2),
        "1d" | "1" => Ok(Degree::D1),
        _ => Err(format!(
            "degré « {v} » inconnu : 2d (collège) ou 1d (école)"
        )),
    }
}

fn eleves(v: &str) -> Result<usize, String> {
    match number("--eleves")(v)? {
        0 => Err("--eleves doit être au moins 1".into()),
        n => Ok(n),
    }
}

fn version(v: &str) -> Result<Version, String> {
    Version::parse(v).ok_or_else(|| {
        format!("version de schéma « {v} » inconnue : 10.0, 7.0 ou 3.0 (2d), 1.0 (1d)")
    })
}

fn periods(v: &str) -> Result<u32, String> {
    let p: u32 = number("--periods")(v)?;
    if (2..=5).contains(&p) {
        Ok(p)
    } else {
        Err(format!("--periods {p} invalide : de 2 à 5 périodes"))
    }
}

fn uai(v: &str) -> Result<String, String> {
    if v.chars().count() == 8 {
        Ok(v.to_string())
    } else {
        Err(format!(
            "UAI « {v} » invalide : 8 caractères attendus (7 chiffres et une lettre)"
        ))
    }
}

fn target_mb(v: &str) -> Result<f64, String> {
    v.trim()
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite() && *x > 0.0 && *x <= 4096.0)
        .ok_or_else(|| {
            format!("taille « {v} » invalide pour --target-mb : un nombre de Mo entre 0 et 4096")
        })
}

fn defect(v: &str) -> Result<(Defect, usize), String> {
    let (code, n) = v.split_once(':').unwrap_or((v, "1"));
    let d = Defect::parse(code).ok_or_else(|| {
        format!(
            "défaut « {code} » inconnu ; possibles : {}",
            Defect::ALL.map(|d| d.to_string()).join(", ")
        )
    })?;
    Ok((d, number("--defect")(n)?))
}

fn many(v: &str) -> Result<usize, String> {
    let k: usize = number("--many")(v)?;
    if k == 0 || k > 100_000 {
        return Err("--many attend un nombre de fichiers entre 1 et 100000".into());
    }
    Ok(k)
}

/// The French message of a usage error clap found (our parsers' messages are French already).
fn french(e: &clap::Error) -> String {
    let ctx = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    // The flag without its value name (`--eleves <N>` → `--eleves`).
    let flag = ctx(ContextKind::InvalidArg);
    let flag = flag
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    match e.kind() {
        ErrorKind::ValueValidation => match e.source() {
            Some(ours) => ours.to_string(),
            None => format!("valeur invalide pour {flag}"),
        },
        ErrorKind::InvalidValue | ErrorKind::NoEquals => {
            format!("l'option {flag} attend une valeur")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("l'option {} est obligatoire", ctx(ContextKind::InvalidArg))
                .replace("<DOSSIER>", "DOSSIER")
        }
        ErrorKind::UnknownArgument => {
            let hint = match e.get(ContextKind::SuggestedArg) {
                Some(ContextValue::String(s)) => format!(" (vouliez-vous dire « {s} » ?)"),
                _ => String::new(),
            };
            format!("argument inconnu « {flag} »{hint}")
        }
        ErrorKind::InvalidUtf8 => "un argument n'est pas en UTF-8".into(),
        _ => "arguments invalides".into(),
    }
}

/// Parses the arguments: `Ok(None)` after printing the help.
fn parse() -> Result<Option<Args>, String> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.kind() == ErrorKind::DisplayHelp => {
            // A closed pipe (`lsu-gen --help | head`) is not an error of ours.
            let _ = write!(std::io::stdout(), "{}", e.render());
            return Ok(None);
        }
        Err(e) => return Err(french(&e)),
    };
    let version = cli.version.unwrap_or(Version::default_for(cli.degree));
    if version.degree() != cli.degree {
        return Err(format!(
            "la version {} ne correspond pas au degré {} (2d : 10.0, 7.0, 3.0 ; 1d : 1.0)",
            version.as_str(),
            cli.degree.as_str()
        ));
    }
    let many = cli.many;
    let mut opts = Options::new(
        cli.degree,
        cli.eleves.unwrap_or(if many.is_some() { 25 } else { 100 }),
        cli.seed,
    );
    opts.version = version;
    opts.periods = cli.periods;
    opts.classes = cli
        .classes
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    opts.uai = cli.uai;
    opts.defects = cli.defect;
    Ok(Some(Args {
        opts,
        target_mb: cli.target_mb,
        many,
        out: cli.out,
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
            let stem = match o.degree {
                Degree::D1 => "ecole",
                Degree::D2 => "college",
            };
            let name = format!("{stem}-{:04}.xml", i + 1);
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
    match parse() {
        Ok(None) => ExitCode::SUCCESS,
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
