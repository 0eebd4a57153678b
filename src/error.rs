//! Errors that stop a command (exit status 2). Findings in LSU files are diagnostics, not errors.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("impossible de lire « {} » : {}", .0.display(), crate::files::io_message(.1))]
    Read(PathBuf, std::io::Error),

    /// A path that cannot be opened as a regular file (missing, a FIFO, a device, a loop…).
    #[error("« {} » : {}", .0.display(), .1.message())]
    Open(PathBuf, crate::files::OpenError),

    #[error("« {} » n'existe pas", .0.display())]
    NotFound(PathBuf),

    #[error("« {} » pèse {size} octets, au-delà de la limite de {limit} octets (--max-file-size)", .path.display())]
    #[diagnostic(help("augmentez --max-file-size si ce fichier est légitime"))]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    #[error("aucun fichier .xml trouvé dans « {} »", .0.display())]
    NoXmlFile(PathBuf),

    #[error("configuration « {} » invalide : {message}", .path.display())]
    Config { path: PathBuf, message: String },

    #[error("règle inconnue « {0} »{1}")]
    #[diagnostic(help("`lsu-lint rules` liste les règles"))]
    UnknownRule(String, String),

    #[error("date invalide « {0} » : format attendu AAAA-MM-JJ (par exemple 2026-01-15)")]
    BadDate(String),

    #[error("fichier de référence « {} » : {message}", .path.display())]
    RefData { path: PathBuf, message: String },

    /// A reference file given as one kind whose content is another (or nothing known). The
    /// message names kinds, not command-line options: the web page has none; the CLI's help
    /// line names the option.
    #[error("fichier de référence « {} » : ce n'est pas un fichier {expected} : {found}", .path.display())]
    #[diagnostic(help("{help}"))]
    WrongKind {
        path: PathBuf,
        expected: &'static str,
        found: String,
        help: String,
    },

    #[error("paramètres LSU « {} » invalides : {message}", .path.display())]
    Settings { path: PathBuf, message: String },

    #[error("ligne de base « {} » invalide : {message}", .path.display())]
    #[diagnostic(code(lsu_lint::ligne_de_base))]
    Baseline { path: PathBuf, message: String },

    #[error("écriture de « {} » impossible : {}", .0.display(), crate::files::io_message(.1))]
    Write(PathBuf, std::io::Error),

    #[error("{0}")]
    Usage(String),

    /// The user's own schema (`--xsd`) cannot be used.
    #[error("schéma « {} » inutilisable : {message}", .path.display())]
    #[diagnostic(help(
        "donnez le fichier XSD officiel de LSU (les fichiers qu'il inclut à côté de lui)"
    ))]
    Xsd { path: PathBuf, message: String },

    #[error("schéma interne {0} inutilisable : {1}")]
    Schema(&'static str, String),
}
