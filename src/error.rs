//! Errors that stop a command (exit status 2). Findings in LSU files are diagnostics, not errors.

use std::path::PathBuf;

use miette::Diagnostic;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    #[error("impossible de lire « {} » : {}", .0.display(), crate::files::io_message(.1))]
    #[diagnostic(code(lsu_lint::lecture))]
    Read(PathBuf, std::io::Error),

    /// A path that cannot be opened as a regular file (missing, a FIFO, a device, a loop…).
    #[error("« {} » : {}", .0.display(), .1.message())]
    #[diagnostic(code(lsu_lint::lecture))]
    Open(PathBuf, crate::files::OpenError),

    #[error("« {} » n'existe pas", .0.display())]
    #[diagnostic(code(lsu_lint::introuvable))]
    NotFound(PathBuf),

    #[error("« {} » pèse {size} octets, au-delà de la limite de {limit} octets (--max-file-size)", .path.display())]
    #[diagnostic(
        code(lsu_lint::trop_gros),
        help("augmentez --max-file-size si ce fichier est légitime")
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    #[error("aucun fichier .xml trouvé dans « {} »", .0.display())]
    #[diagnostic(code(lsu_lint::aucun_fichier))]
    NoXmlFile(PathBuf),

    #[error("configuration « {} » invalide : {message}", .path.display())]
    #[diagnostic(code(lsu_lint::configuration))]
    Config { path: PathBuf, message: String },

    #[error("règle inconnue « {0} »{1}")]
    #[diagnostic(
        code(lsu_lint::regle_inconnue),
        help("`lsu-lint rules` liste les règles")
    )]
    UnknownRule(String, String),

    #[error("date invalide « {0} » : format attendu AAAA-MM-JJ (par exemple 2026-01-15)")]
    #[diagnostic(code(lsu_lint::date))]
    BadDate(String),

    #[error("fichier de référence « {} » : {message}", .path.display())]
    #[diagnostic(code(lsu_lint::reference))]
    RefData { path: PathBuf, message: String },

    #[error("paramètres LSU « {} » invalides : {message}", .path.display())]
    #[diagnostic(code(lsu_lint::parametres))]
    Settings { path: PathBuf, message: String },

    #[error("écriture de « {} » impossible : {}", .0.display(), crate::files::io_message(.1))]
    #[diagnostic(code(lsu_lint::ecriture))]
    Write(PathBuf, std::io::Error),

    #[error("{0}")]
    #[diagnostic(code(lsu_lint::usage))]
    Usage(String),

    #[error("schéma interne {0} inutilisable : {1}")]
    #[diagnostic(code(lsu_lint::schema_interne))]
    Schema(&'static str, String),
}
