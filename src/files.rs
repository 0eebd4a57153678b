//! Opening the files a command reads or writes. Only regular files are read: a FIFO would block
//! the command forever, a device would be read without end or replaced by a plain file. Errors
//! of the operating system are said in French.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a path cannot be read as a file.
#[derive(Debug)]
pub enum OpenError {
    NotFound,
    /// A cycle of symbolic links (or too many of them in a row).
    Loop,
    /// A folder, FIFO, device or socket: what it is, in French.
    NotRegular(&'static str),
    TooLarge {
        size: u64,
    },
    Io(io::Error),
}

impl OpenError {
    /// The French reason, to follow « « chemin » : ».
    pub fn message(&self) -> String {
        match self {
            OpenError::NotFound => "fichier introuvable".into(),
            OpenError::Loop => "boucle de liens symboliques (le lien mène à lui-même)".into(),
            OpenError::NotRegular(what) => {
                format!(
                    "ce n'est pas un fichier ordinaire mais {what} ; seuls les fichiers sont lus"
                )
            }
            OpenError::TooLarge { size } => format!("{size} octets, au-delà de la limite"),
            OpenError::Io(e) => io_message(e),
        }
    }
}

/// ELOOP on Linux: what `open` and `stat` say about a cycle of symbolic links.
const ELOOP: i32 = 40;

fn classify(e: io::Error) -> OpenError {
    if e.kind() == io::ErrorKind::NotFound {
        OpenError::NotFound
    } else if e.raw_os_error() == Some(ELOOP) {
        OpenError::Loop
    } else {
        OpenError::Io(e)
    }
}

/// What a non-regular file is, in French (« un tube nommé (FIFO) »…).
pub(crate) fn kind_of(meta: &Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("un dossier")
    } else if t.is_fifo() {
        Some("un tube nommé (FIFO)")
    } else if t.is_char_device() || t.is_block_device() {
        Some("un périphérique")
    } else if t.is_socket() {
        Some("une socket")
    } else {
        Some("un fichier spécial")
    }
}

/// The metadata of `path` (symbolic links followed), when it is a regular file.
pub(crate) fn regular(path: &Path) -> Result<Metadata, OpenError> {
    let meta = std::fs::metadata(path).map_err(classify)?;
    match kind_of(&meta) {
        None => Ok(meta),
        Some(what) => Err(OpenError::NotRegular(what)),
    }
}

/// Opens a regular file for reading. Checked before opening (opening a device may act on it)
/// and again on the open file (it may have been swapped in between); the open never blocks.
pub(crate) fn open_regular(path: &Path) -> Result<(File, Metadata), OpenError> {
    use std::os::unix::fs::OpenOptionsExt;
    regular(path)?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(classify)?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    if let Some(what) = kind_of(&meta) {
        return Err(OpenError::NotRegular(what));
    }
    Ok((file, meta))
}

/// Reads a whole regular file, refusing it when larger than `limit` before reading it.
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, OpenError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(OpenError::TooLarge { size: meta.len() });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take`: a file that grows while read stays within the limit.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(OpenError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(OpenError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// Reads a whole regular file as UTF-8 text (a configuration, settings).
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, OpenError> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        OpenError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "le fichier n'est pas en UTF-8",
        ))
    })
}

/// Where a write to `path` really goes: the final target of a chain of symbolic links (kept as
/// they are), or `path` itself. A dangling link gives the path it points to.
pub(crate) fn write_target(path: &Path) -> Result<PathBuf, OpenError> {
    let mut current = path.to_path_buf();
    // Linux gives up after 40 links in a row; so do we.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current).map_err(OpenError::Io)?;
                current = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(m) => {
                return match kind_of(&m) {
                    None => Ok(current),
                    Some(what) => Err(OpenError::NotRegular(what)),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(classify(e)),
        }
    }
    Err(OpenError::Loop)
}

/// An error of the operating system in French (its own text is English).
pub(crate) fn io_message(e: &io::Error) -> String {
    use io::ErrorKind as K;
    if e.raw_os_error() == Some(ELOOP) {
        return "boucle de liens symboliques".into();
    }
    let what = match e.kind() {
        K::NotFound => "fichier ou dossier introuvable",
        K::PermissionDenied => "accès refusé (droits insuffisants)",
        K::AlreadyExists => "le fichier existe déjà",
        K::IsADirectory => "c'est un dossier",
        K::NotADirectory => "un élément du chemin n'est pas un dossier",
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule",
        K::StorageFull => "disque plein",
        K::QuotaExceeded => "quota de disque dépassé",
        K::FileTooLarge => "fichier trop grand pour le système de fichiers",
        K::CrossesDevices => "déplacement entre deux systèmes de fichiers impossible",
        K::InvalidData => {
            return e
                .get_ref()
                .map(|inner| inner.to_string())
                .unwrap_or_else(|| "données invalides".into())
        }
        K::Interrupted => "opération interrompue",
        K::WouldBlock => "le fichier n'est pas prêt (tube ou périphérique ?)",
        K::UnexpectedEof => "fin de fichier inattendue",
        K::OutOfMemory => "mémoire insuffisante",
        _ => {
            return match e.raw_os_error() {
                Some(n) => format!("erreur du système (code {n})"),
                None => "erreur d'entrée-sortie".into(),
            }
        }
    };
    what.into()
}

#[cfg(test)]
mod tests;
