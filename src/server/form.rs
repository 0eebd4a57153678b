//! The multipart form shared by check and fix: read into memory within the caps, then turned
//! into an engine.

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::Multipart;
use axum::http::StatusCode;

use super::metrics::Limit;
use super::{Problem, Shared};
use crate::engine::{parse_today, Engine};
use crate::refdata::{Kind, Source};
use crate::split::SplitBy;

pub(super) struct Upload {
    /// The client's file name (base name only), or a stand-in; shown in reports, never logged.
    pub(super) name: String,
    pub(super) bytes: Vec<u8>,
}

#[derive(Default)]
pub(super) struct Form {
    pub(super) lsu: Vec<Upload>,
    pub(super) refs: Vec<(Kind, Upload)>,
    pub(super) settings: Option<Upload>,
    pub(super) config: Option<Upload>,
    pub(super) today: Option<String>,
    pub(super) select: Vec<String>,
    pub(super) ignore: Vec<String>,
    pub(super) unsafe_fixes: bool,
    pub(super) split: Option<SplitBy>,
    /// `format=html`: answer the HTML report instead of JSON.
    pub(super) html: bool,
}

const FIELDS: &str = "lsu, siecle, nomenclature, sts, onde, communs, settings, config, today, \
                      select, ignore, unsafe, split, format";

fn ref_kind(field: &str) -> Option<Kind> {
    Some(match field {
        "siecle" => Kind::Siecle,
        "nomenclature" => Kind::Nomenclature,
        "sts" => Kind::Sts,
        "onde" => Kind::Onde,
        "communs" => Kind::Communs,
        _ => return None,
    })
}

/// A client file name reduced to its base name, without control characters, bounded.
pub(super) fn client_name(raw: Option<&str>, fallback: String) -> String {
    let base = raw
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>();
    if base.trim().is_empty() {
        fallback
    } else {
        base
    }
}

fn parse_bool(field: &str, v: &str) -> Result<bool, Problem> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "on" | "oui" | "yes" => Ok(true),
        "false" | "0" | "off" | "non" | "no" | "" => Ok(false),
        _ => Err(Problem::bad_request(format!(
            "champ « {field} » : « {v} » n'est pas un booléen (true ou false attendu)"
        ))),
    }
}

fn parse_split(v: &str) -> Result<Option<SplitBy>, Problem> {
    Ok(match v.trim().to_ascii_lowercase().as_str() {
        "" => None,
        "division" => Some(SplitBy::Division),
        "niveau" => Some(SplitBy::Niveau),
        "periode" | "période" => Some(SplitBy::Periode),
        _ => {
            return Err(Problem::bad_request(format!(
                "champ « split » : « {v} » inconnu (division, niveau ou periode attendu)"
            )))
        }
    })
}

fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

pub(super) fn multipart_problem(e: &MultipartError, limit: usize) -> Problem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return Problem::too_large(limit);
    }
    // The multipart library's text is English: each of its messages is said in French here.
    let text = e.body_text();
    let what = if text.starts_with("incomplete multipart stream") {
        "le corps de la requête s'arrête avant la fin du formulaire (envoi interrompu, ou \
         délimiteur final absent)"
    } else if text.contains("incomplete data") {
        "un champ du formulaire est incomplet (envoi interrompu)"
    } else if text.starts_with("failed to read field complete headers")
        || text.starts_with("failed to read headers")
    {
        "les en-têtes d'une partie du formulaire sont incomplets ou illisibles"
    } else if text.starts_with("failed to decode field's raw header") {
        "un en-tête d'une partie du formulaire est illisible"
    } else if text.starts_with("failed to read stream") {
        "la lecture du corps de la requête a échoué (connexion interrompue ?)"
    } else if text.starts_with("Content-Type is not multipart") {
        "le type de contenu n'est pas multipart/form-data"
    } else if text.starts_with("multipart boundary not found") {
        "l'en-tête Content-Type ne donne pas de délimiteur (boundary)"
    } else if text.starts_with("failed to decode Content-Type") {
        "l'en-tête Content-Type est illisible"
    } else {
        "le formulaire multipart est illisible"
    };
    Problem::bad_request(format!("corps multipart illisible : {what}"))
}

/// Text fields (dates, code lists, switches) are short; more than this is not a form of ours.
const MAX_TEXT_FIELD: usize = 64 << 10;

/// Reads the whole multipart form into memory (its size was admitted by `admit`), counting
/// parts and LSU files against their caps as they come.
pub(super) async fn read_form(
    state: &Shared,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Form, Problem> {
    let limit = state.limits.max_upload;
    let mut parts = 0usize;
    let mut multipart = multipart.map_err(|e| {
        Problem::new(
            e.status(),
            "multipart",
            "Requête multipart attendue",
            "envoyez les fichiers en multipart/form-data (champ « lsu » pour le ou les fichiers \
             LSU)"
                .into(),
        )
    })?;
    let mut form = Form::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_problem(&e, limit))?
    {
        parts += 1;
        if parts > state.limits.max_parts {
            state.metrics.reject(Limit::Parts);
            return Err(Problem::too_many(format!(
                "la requête compte plus de {} parties (fichiers et champs) : envoyez les fichiers \
                 en plusieurs fois",
                state.limits.max_parts
            )));
        }
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_problem(&e, limit))?;
        let is_text = matches!(
            name.as_str(),
            "today" | "select" | "ignore" | "unsafe" | "split" | "groups"
        );
        if is_text && bytes.len() > MAX_TEXT_FIELD {
            return Err(Problem::bad_request(format!(
                "champ « {name} » : texte de plus de {MAX_TEXT_FIELD} octets"
            )));
        }
        // A browser sends an empty, nameless part for a file input left empty.
        let empty_file = file_name.as_deref().is_some_and(str::is_empty) && bytes.is_empty();
        let text = || {
            String::from_utf8(bytes.to_vec()).map_err(|_| {
                Problem::bad_request(format!("champ « {name} » : texte UTF-8 attendu"))
            })
        };
        match name.as_str() {
            "lsu" => {
                if empty_file {
                    continue;
                }
                let n = form.lsu.len() + 1;
                if n > state.limits.max_files {
                    state.metrics.reject(Limit::Files);
                    return Err(Problem::too_many(format!(
                        "la requête compte plus de {} fichiers LSU : envoyez-les en plusieurs fois",
                        state.limits.max_files
                    )));
                }
                form.lsu.push(Upload {
                    name: client_name(file_name.as_deref(), format!("lsu-{n}.xml")),
                    bytes: Vec::from(bytes),
                });
            }
            "settings" | "config" => {
                if empty_file {
                    continue;
                }
                let up = Upload {
                    name: client_name(file_name.as_deref(), format!("{name}.toml")),
                    bytes: Vec::from(bytes),
                };
                let slot = if name == "settings" {
                    &mut form.settings
                } else {
                    &mut form.config
                };
                if slot.replace(up).is_some() {
                    return Err(Problem::bad_request(format!(
                        "champ « {name} » donné deux fois"
                    )));
                }
            }
            "today" => {
                let t = text()?;
                if !t.trim().is_empty() {
                    form.today = Some(t);
                }
            }
            "select" => form.select.extend(list(&text()?)),
            "ignore" => form.ignore.extend(list(&text()?)),
            "unsafe" => form.unsafe_fixes = parse_bool("unsafe", &text()?)?,
            "split" => form.split = parse_split(&text()?)?,
            "format" => {
                form.html = match text()?.trim() {
                    "html" => true,
                    "json" | "" => false,
                    other => {
                        return Err(Problem::bad_request(format!(
                            "format « {other} » inconnu : « json » (par défaut) ou « html »"
                        )))
                    }
                }
            }
            other => {
                let Some(kind) = ref_kind(other) else {
                    return Err(Problem::bad_request(format!(
                        "champ inconnu « {other} » (champs acceptés : {FIELDS})"
                    )));
                };
                if empty_file {
                    continue;
                }
                if form.refs.iter().any(|(k, _)| *k == kind) {
                    return Err(Problem::bad_request(format!(
                        "champ « {other} » donné deux fois : un seul fichier {} par requête",
                        kind.label_fr()
                    )));
                }
                let ext = if kind == Kind::Onde { "csv" } else { "xml" };
                form.refs.push((
                    kind,
                    Upload {
                        name: client_name(file_name.as_deref(), format!("{other}.{ext}")),
                        bytes: Vec::from(bytes),
                    },
                ));
            }
        }
    }
    if form.lsu.is_empty() {
        return Err(Problem::bad_request(
            "aucun fichier LSU : envoyez au moins un fichier dans le champ « lsu »",
        ));
    }
    Ok(form)
}

/// Builds the engine from the uploaded bytes, as the command line does from paths. The
/// configuration's `[inputs]` paths are ignored: the service reads no file of its host.
pub(super) fn build_engine(form: &mut Form) -> Result<Engine, Problem> {
    let mut b = Engine::builder()
        .select(form.select.clone())
        .ignore(form.ignore.clone());
    if let Some(up) = form.config.take() {
        b = b.config_bytes(up.name, up.bytes);
    }
    if let Some(t) = &form.today {
        b = b.today(parse_today(t).map_err(Problem::from_error)?);
    }
    for (kind, up) in std::mem::take(&mut form.refs) {
        b = b.reference(
            kind,
            Source::Bytes {
                name: up.name,
                bytes: up.bytes,
            },
        );
    }
    if let Some(up) = form.settings.take() {
        b = b.settings(Source::Bytes {
            name: up.name,
            bytes: up.bytes,
        });
    }
    b.build().map_err(Problem::from_error)
}
