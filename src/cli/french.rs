//! The command line in French: clap's help layout and its usage errors, which it only writes in
//! English, are rebuilt here (headings, `--help`/`--version`, defaults and possible values,
//! every error kind a user can trigger).

use std::error::Error as _;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::Cli;

const TEMPLATE: &str = "{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}";

/// Parses the process arguments; on a usage error or a help request, the text to print and the
/// exit status (0 for help and version, 2 for errors).
pub fn parse() -> Result<Cli, (String, i32)> {
    parse_from(std::env::args_os())
}

/// As `parse`, from given arguments (tests).
pub fn parse_from<I, T>(args: I) -> Result<Cli, (String, i32)>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut cmd = command();
    let matches = cmd
        .try_get_matches_from_mut(args)
        .map_err(|e| render(&mut cmd, &e))?;
    Cli::from_arg_matches(&matches).map_err(|e| render(&mut cmd, &e))
}

/// The command with French help everywhere.
pub fn command() -> Command {
    frenchify(
        Cli::command()
            .subcommand_help_heading("Commandes")
            .subcommand_value_name("COMMANDE")
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help("Affiche la version"),
            ),
    )
}

fn frenchify(cmd: Command) -> Command {
    let cmd = cmd
        .help_template(TEMPLATE)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        )
        .mut_args(|a| {
            if matches!(a.get_id().as_str(), "help" | "version") {
                return a;
            }
            let mut extra = Vec::new();
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() && a.get_action().takes_values() {
                extra.push(format!("valeurs : {}", values.join(", ")));
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() && a.get_action().takes_values() {
                extra.push(format!("défaut : {}", defaults.join(", ")));
            }
            let help = a.get_help().map(ToString::to_string).unwrap_or_default();
            let help = if extra.is_empty() {
                help
            } else {
                format!("{help} [{}]", extra.join(" ; "))
            };
            if a.get_action().takes_values() {
                a.hide_default_value(true)
                    .hide_possible_values(true)
                    .help(help)
            } else {
                a.help(help)
            }
        });
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    subs.into_iter()
        .fold(cmd, |c, name| c.mut_subcommand(name, frenchify))
}

fn value(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(StyledStr::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn list(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(StyledStr::to_string).collect(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The French text of a clap error (help and version are printed as clap renders them).
fn render(cmd: &mut Command, e: &clap::Error) -> (String, i32) {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return (e.render().to_string(), 0),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return (e.render().to_string(), 2),
        _ => {}
    }
    let arg = value(e, ContextKind::InvalidArg).unwrap_or_default();
    let val = value(e, ContextKind::InvalidValue).unwrap_or_default();
    let suggestion = value(e, ContextKind::SuggestedArg)
        .or_else(|| value(e, ContextKind::SuggestedSubcommand))
        .or_else(|| value(e, ContextKind::SuggestedValue))
        .map(|s| format!(" (vouliez-vous dire « {s} » ?)"))
        .unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("argument inattendu « {arg} »{suggestion}"),
        ErrorKind::InvalidSubcommand => {
            let sub = value(e, ContextKind::InvalidSubcommand).unwrap_or(arg);
            format!("commande inconnue « {sub} »{suggestion}")
        }
        ErrorKind::InvalidValue => {
            let valid = list(e, ContextKind::ValidValue);
            let valid = if valid.is_empty() {
                String::new()
            } else {
                format!(" ; valeurs possibles : {}", valid.join(", "))
            };
            if val.is_empty() {
                format!("{arg} attend une valeur{valid}")
            } else {
                format!("valeur « {val} » invalide pour {arg}{valid}{suggestion}")
            }
        }
        ErrorKind::ValueValidation => {
            let why = e
                .source()
                .map(|s| match s.downcast_ref::<French>() {
                    Some(French(ours)) => format!(" : {ours}"),
                    None => format!(" : {}", french_validation(&s.to_string())),
                })
                .unwrap_or_default();
            format!("valeur « {val} » invalide pour {arg}{why}")
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = list(e, ContextKind::InvalidArg);
            format!(
                "{} manquant : {}",
                if missing.len() > 1 {
                    "arguments obligatoires"
                } else {
                    "argument obligatoire"
                },
                missing.join(", ")
            )
        }
        ErrorKind::MissingSubcommand => {
            "une commande est attendue (check, fix, split, rules, explain ou serve)".to_string()
        }
        ErrorKind::ArgumentConflict => {
            let other = value(e, ContextKind::PriorArg).unwrap_or_default();
            format!("« {arg} » ne peut pas être utilisé avec « {other} »")
        }
        ErrorKind::TooManyValues => format!("trop de valeurs pour {arg} (« {val} » en trop)"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour {arg}")
        }
        ErrorKind::NoEquals => format!("{arg} s'écrit avec « = » suivi de sa valeur"),
        ErrorKind::InvalidUtf8 => "un argument n'est pas en UTF-8".to_string(),
        _ => "arguments invalides".to_string(),
    };
    let usage = usage_of(cmd, e);
    (
        format!("erreur : {message}\n\n{usage}\nPour en savoir plus : lsu-lint --help (ou lsu-lint <commande> --help)\n"),
        2,
    )
}

/// « Utilisation : lsu-lint check [OPTIONS] <CHEMINS>... » for the command the error is about.
fn usage_of(cmd: &mut Command, e: &clap::Error) -> String {
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        _ => cmd.render_usage().to_string(),
    };
    let usage = usage.trim();
    let usage = usage.strip_prefix("Usage:").map(str::trim).unwrap_or(usage);
    format!("Utilisation : {usage}")
}

/// A validation message that one of our own value parsers already wrote in French.
#[derive(Debug)]
pub struct French(pub String);

impl std::fmt::Display for French {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for French {}

/// Translates the few validation messages clap's value parsers write.
fn french_validation(s: &str) -> String {
    if s.contains("invalid digit") {
        "nombre entier attendu".into()
    } else if s.contains("number too large") {
        "nombre trop grand".into()
    } else if s.contains("cannot parse integer from empty string") {
        "nombre attendu".into()
    } else if s.contains("invalid socket address") {
        "adresse attendue sous la forme ADRESSE:PORT (par exemple 127.0.0.1:8080)".into()
    } else {
        "valeur non reconnue".into()
    }
}

#[cfg(test)]
mod tests;
