//! The command line (`interfaces.md`): check, fix, split, rules, explain, serve. A thin face
//! over the library: each command turns its arguments into an `EngineBuilder` and renders what
//! the library returns.

mod check;
mod fix;
pub mod french;
mod rules;
mod split;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::engine::{parse_today, EngineBuilder};
use crate::error::Error;
use crate::refdata::{Kind, Source};
use crate::server::limits;

#[derive(Parser, Debug)]
#[command(
    name = "lsu-lint",
    version,
    about = "Vérifie les fichiers XML destinés au Livret Scolaire Unique (LSU), seuls ou \
             confrontés aux données de Siècle, STS-Web et ONDE, et prédit les rejets de LSU."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Vérifie des fichiers LSU (un dossier : tous ses *.xml, récursivement)
    Check(CheckArgs),
    /// Écrit l'export corrigé (corrections sûres ; non sûres avec --unsafe-fixes)
    Fix(FixArgs),
    /// Découpe un fichier en fichiers autonomes (par division, niveau ou période)
    Split(SplitArgs),
    /// Liste toutes les règles
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Explique une règle (code ou nom), un message affiché par LSU (« élève non inscrit »), ou
    /// `config` : les clés de configuration
    Explain {
        #[arg(value_name = "CODE|NOM|MESSAGE")]
        what: String,
    },
    /// Lance le service HTTP de validation (page web et API ; rien n'est écrit sur disque)
    Serve(ServeArgs),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Junit,
    Github,
    Gitlab,
    Html,
}

/// Options shared by check, fix and split.
#[derive(Args, Debug, Clone, Default)]
pub struct CommonArgs {
    /// Siècle ElevesSansAdresses (.xml ou .zip)
    #[arg(long, value_name = "FICHIER")]
    pub siecle: Option<PathBuf>,
    /// Siècle Nomenclature (.xml ou .zip)
    #[arg(long, value_name = "FICHIER")]
    pub nomenclature: Option<PathBuf>,
    /// STS-Web sts_emp_*.xml (ou .zip)
    #[arg(long, value_name = "FICHIER")]
    pub sts: Option<PathBuf>,
    /// ONDE CSVExtraction.csv
    #[arg(long, value_name = "FICHIER")]
    pub onde: Option<PathBuf>,
    /// Siècle Communs (.xml ou .zip)
    #[arg(long, value_name = "FICHIER")]
    pub communs: Option<PathBuf>,
    /// Dossier de fichiers de référence, reconnus par leur contenu
    #[arg(long, value_name = "DOSSIER")]
    pub refdata: Option<PathBuf>,
    /// Paramètres LSU (TOML)
    #[arg(long, value_name = "FICHIER")]
    pub settings: Option<PathBuf>,
    /// Configuration (sinon lsu-lint.toml trouvé en remontant depuis le dossier courant)
    #[arg(long, value_name = "FICHIER")]
    pub config: Option<PathBuf>,
    /// Règles à activer : codes, noms ou familles, séparés par des virgules
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Règles à désactiver
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Date du jour pour les règles qui en dépendent (AAAA-MM-JJ ; défaut : date système)
    #[arg(long, value_name = "AAAA-MM-JJ")]
    pub today: Option<String>,
    /// Taille maximale d'un fichier LSU, en octets (défaut : 1 Gio)
    #[arg(long, value_name = "OCTETS")]
    pub max_file_size: Option<u64>,
    /// Schéma XSD officiel à utiliser à la place du schéma intégré (fichiers du degré qu'il décrit)
    #[arg(long, value_name = "FICHIER.xsd")]
    pub xsd: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Intégration continue : `--output sarif=lsu.sarif --output junit=lsu.xml` \
écrit plusieurs rapports en une exécution, en plus de la sortie du terminal ; \
`--write-baseline lsu-baseline.json` enregistre les constatations actuelles et \
`--baseline lsu-baseline.json` ne signale plus que les nouvelles. Les clés `baseline`, \
`max-warnings` et `error-on-warnings` de lsu-lint.toml font de même une fois pour toutes. \
Code de sortie : 0 sans erreur, 1 avec au moins une erreur (ou des avertissements refusés), \
2 si la commande n'a pas pu s'exécuter."
)]
pub struct CheckArgs {
    /// Fichiers ou dossiers à vérifier
    #[arg(required = true, value_name = "CHEMINS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Format de sortie
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Écrit aussi le rapport au format FORMAT dans FICHIER (répétable : plusieurs rapports
    /// en une exécution, par exemple sarif=lsu.sarif)
    #[arg(long = "output", value_name = "FORMAT=FICHIER", value_parser = parse_output)]
    pub outputs: Vec<(Format, PathBuf)>,
    /// Ne signale pas les constatations déjà enregistrées dans ce fichier (ligne de base)
    #[arg(long, value_name = "FICHIER")]
    pub baseline: Option<PathBuf>,
    /// Enregistre toutes les constatations actuelles dans ce fichier (ligne de base)
    #[arg(long, value_name = "FICHIER")]
    pub write_baseline: Option<PathBuf>,
    /// Les avertissements font aussi échouer la vérification (code de sortie 1)
    #[arg(long)]
    pub error_on_warnings: bool,
    /// Échoue (code de sortie 1) au-delà de N avertissements
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
}

/// `sarif=rapport.sarif` → (Sarif, rapport.sarif).
fn parse_output(s: &str) -> Result<(Format, PathBuf), french::French> {
    let bad = |m: String| french::French(m);
    let (format, path) = s
        .split_once('=')
        .ok_or_else(|| bad("attendu FORMAT=FICHIER, par exemple sarif=lsu-lint.sarif".into()))?;
    let format = Format::from_str(format.trim(), true).map_err(|_| {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|v| Some(v.to_possible_value()?.get_name().to_string()))
            .collect();
        bad(format!(
            "format « {format} » inconnu (formats : {})",
            names.join(", ")
        ))
    })?;
    if path.is_empty() {
        return Err(bad("il manque le fichier après « = »".into()));
    }
    Ok((format, PathBuf::from(path)))
}

#[derive(Args, Debug)]
pub struct FixArgs {
    /// Fichiers ou dossiers à corriger
    #[arg(required = true, value_name = "CHEMINS")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Fichier de sortie, ou dossier (obligatoire pour plusieurs fichiers) ; jamais l'entrée
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FICHIER|DOSSIER",
        required_unless_present = "diff"
    )]
    pub output: Option<PathBuf>,
    /// Applique aussi les corrections non sûres
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Affiche le diff unifié des corrections, sans rien écrire
    #[arg(long)]
    pub diff: bool,
    /// Format du compte rendu
    #[arg(long, value_enum, default_value_t = FixFormat::Human)]
    pub format: FixFormat,
}

#[derive(Args, Debug)]
pub struct SplitArgs {
    /// Le fichier LSU à découper
    #[arg(value_name = "FICHIER")]
    pub file: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Critère de découpage
    #[arg(long, value_enum)]
    pub by: crate::split::SplitBy,
    /// Dossier de sortie (les fichiers s'appellent <nom>-<clé>.xml)
    #[arg(short = 'o', long = "output", value_name = "DOSSIER")]
    pub output: PathBuf,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Adresse et port d'écoute (127.0.0.1 : accessible depuis cette machine seulement)
    #[arg(long, value_name = "ADRESSE:PORT", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Taille maximale d'une requête (fichiers envoyés compris), en octets ; au-delà : 413
    #[arg(long, value_name = "OCTETS", default_value_t = limits::DEFAULT_MAX_UPLOAD)]
    pub max_upload: usize,
    /// Octets de requêtes gardés en mémoire à la fois (reçues, en cours ou en réponse) ; une
    /// requête qui n'y tient pas reçoit 503 et Retry-After sans être lue (taille inconnue :
    /// comptée pour --max-upload)
    #[arg(long, value_name = "OCTETS", default_value_t = limits::DEFAULT_MAX_INFLIGHT_BYTES)]
    pub max_inflight_bytes: u64,
    /// Vérifications et corrections simultanées (les autres attendent leur tour) ; défaut : le
    /// nombre de cœurs
    #[arg(long, value_name = "N")]
    pub max_jobs: Option<usize>,
    /// Fichiers LSU par requête ; au-delà : 413
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_FILES)]
    pub max_files: usize,
    /// Parties d'un formulaire (fichiers et champs) par requête ; au-delà : 413
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_PARTS)]
    pub max_parts: usize,
    /// Connexions ouvertes à la fois ; au-delà, une nouvelle connexion reçoit 503 et est fermée
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Délai pour recevoir les en-têtes d'une requête, en secondes (aussi la durée de vie d'une
    /// connexion inactive entre deux requêtes)
    #[arg(long, value_name = "SECONDES", default_value_t = limits::DEFAULT_HEADER_TIMEOUT.as_secs())]
    pub header_timeout: u64,
    /// Délai sans aucun octet échangé pendant la réception d'une requête ou l'envoi d'une
    /// réponse, en secondes ; la connexion est alors fermée
    #[arg(long, value_name = "SECONDES", default_value_t = limits::DEFAULT_IDLE_TIMEOUT.as_secs())]
    pub idle_timeout: u64,
    /// Délai pour recevoir le corps entier d'une requête, en secondes ; au-delà : 408
    #[arg(long, value_name = "SECONDES", default_value_t = limits::DEFAULT_BODY_TIMEOUT.as_secs())]
    pub body_timeout: u64,
}

impl ServeArgs {
    /// The service's limits from the options (zero counts are raised to one).
    pub fn limits(&self) -> crate::server::Limits {
        use std::time::Duration;
        crate::server::Limits {
            max_upload: self.max_upload,
            max_inflight_bytes: self.max_inflight_bytes,
            max_jobs: self.max_jobs.unwrap_or_else(limits::default_jobs).max(1),
            max_files: self.max_files.max(1),
            max_parts: self.max_parts.max(1),
            max_connections: self.max_connections.max(1),
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            idle_timeout: Duration::from_secs(self.idle_timeout.max(1)),
            body_timeout: Duration::from_secs(self.body_timeout.max(1)),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FixFormat {
    Human,
    Json,
}

impl CommonArgs {
    /// The reference inputs named by these options.
    pub fn sources(&self) -> crate::refdata::Sources {
        let mut s = crate::refdata::Sources::default();
        for (kind, path) in [
            (Kind::Siecle, &self.siecle),
            (Kind::Nomenclature, &self.nomenclature),
            (Kind::Sts, &self.sts),
            (Kind::Onde, &self.onde),
            (Kind::Communs, &self.communs),
        ] {
            if let Some(p) = path {
                s.explicit.push((kind, Source::Path(p.clone())));
            }
        }
        s.dir = self.refdata.clone();
        s.settings = self.settings.clone().map(Source::Path);
        s
    }

    /// The engine builder of these options (the configuration is discovered when not given).
    pub fn builder(&self) -> Result<EngineBuilder, Error> {
        let mut b = EngineBuilder::default()
            .discover_config(self.config.clone())
            .select(self.select.clone())
            .ignore(self.ignore.clone());
        if let Some(t) = &self.today {
            b = b.today(parse_today(t)?);
        }
        if let Some(m) = self.max_file_size {
            b = b.max_file_size(m);
        }
        Ok(b.xsd(self.xsd.clone()).sources(self.sources()))
    }
}

pub fn run(cli: Cli) -> Result<i32, Error> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Split(args) => split::run(args),
        Command::Rules { format } => {
            print_out(&rules::listing(format));
            Ok(0)
        }
        Command::Explain { what } => rules::explain(&what),
        Command::Serve(args) => crate::server::run(
            &args.listen,
            crate::server::Options {
                limits: args.limits(),
                log: true,
                stop_on_signals: true,
            },
        ),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn print_out(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}
