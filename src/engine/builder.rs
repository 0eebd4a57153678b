//! `EngineBuilder`: the one way to build an engine, for the CLI, the service and the tests.
//! Configuration and reference files are given as paths or bytes and validated once, here;
//! nothing below it knows about command-line arguments or HTTP forms.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::Engine;
use crate::config::Config;
use crate::error::Error;
use crate::refdata::{self, Kind, Source, Sources};

/// Where the configuration comes from.
#[derive(Debug, Clone, Default)]
enum ConfigSource {
    /// The built-in defaults.
    #[default]
    Default,
    /// This file, or else `lsu-lint.toml` found walking up from the current folder (CLI).
    Discover(Option<PathBuf>),
    /// Bytes received by the service: its `[inputs]` paths are ignored (the service reads no
    /// file of its host).
    Bytes { name: String, bytes: Vec<u8> },
    /// An already validated configuration.
    Given(Box<Config>),
}

/// Collects the options of a run; `build` validates them and loads the reference data once.
#[derive(Debug, Clone, Default)]
pub struct EngineBuilder {
    config: ConfigSource,
    select: Vec<String>,
    ignore: Vec<String>,
    today: Option<NaiveDate>,
    max_file_size: Option<u64>,
    sources: Sources,
    xsd: Option<PathBuf>,
    ci: Option<CiOptions>,
}

/// What `check` adds for continuous integration (`interfaces.md` « CI »). Each option left
/// unset falls back to the configuration's key (`baseline`, `error-on-warnings`,
/// `max-warnings`); without these options (fix, split, the service) the engine reports every
/// finding and only errors fail.
#[derive(Debug, Clone, Default)]
pub struct CiOptions {
    /// Known findings not to report.
    pub baseline: Option<PathBuf>,
    /// A missing baseline file counts as an empty one (the run writes a new baseline).
    pub baseline_optional: bool,
    /// Warnings fail the run.
    pub error_on_warnings: bool,
    /// More warnings than this fail the run.
    pub max_warnings: Option<usize>,
}

impl EngineBuilder {
    /// Reads this configuration file, or (None) discovers `lsu-lint.toml` from the current folder.
    pub fn discover_config(mut self, explicit: Option<PathBuf>) -> Self {
        self.config = ConfigSource::Discover(explicit);
        self
    }

    /// A configuration received as bytes; its `[inputs]` are ignored.
    pub fn config_bytes(mut self, name: impl Into<String>, bytes: Vec<u8>) -> Self {
        self.config = ConfigSource::Bytes {
            name: name.into(),
            bytes,
        };
        self
    }

    /// An already validated configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = ConfigSource::Given(Box::new(config));
        self
    }

    /// Codes, names or family letters to run (`--select`), on top of the configuration.
    pub fn select(mut self, items: Vec<String>) -> Self {
        self.select = items;
        self
    }

    /// Codes, names or family letters not to run (`--ignore`).
    pub fn ignore(mut self, items: Vec<String>) -> Self {
        self.ignore = items;
        self
    }

    /// The date the date-relative rules use (default: the system date).
    pub fn today(mut self, today: NaiveDate) -> Self {
        self.today = Some(today);
        self
    }

    /// The largest LSU file accepted, in bytes.
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.max_file_size = Some(bytes);
        self
    }

    /// The user's own official schema (`--xsd`), for the files of the degree it describes.
    pub fn xsd(mut self, path: Option<PathBuf>) -> Self {
        self.xsd = path;
        self
    }

    /// A reference file of a known kind (`--siecle`…, or an upload's field).
    pub fn reference(mut self, kind: Kind, source: Source) -> Self {
        self.sources.explicit.push((kind, source));
        self
    }

    /// A folder whose files are recognised by content (`--refdata`).
    pub fn refdata_dir(mut self, dir: PathBuf) -> Self {
        self.sources.dir = Some(dir);
        self
    }

    /// Every reference input at once.
    pub fn sources(mut self, sources: Sources) -> Self {
        self.sources = sources;
        self
    }

    /// The LSU settings file.
    pub fn settings(mut self, source: Source) -> Self {
        self.sources.settings = Some(source);
        self
    }

    /// The CI options of `check`: baseline, warnings that fail the run.
    pub fn ci(mut self, options: CiOptions) -> Self {
        self.ci = Some(options);
        self
    }

    /// Validates the configuration, loads the reference data once and builds the engine.
    pub fn build(self) -> Result<Engine, Error> {
        let (mut config, shown) = match self.config {
            ConfigSource::Default => (Config::default(), None),
            ConfigSource::Discover(explicit) => {
                let c = Config::discover(explicit.as_deref())?;
                let shown = c.path.as_ref().map(|p| p.display().to_string());
                (c, shown)
            }
            ConfigSource::Bytes { name, bytes } => {
                let text = std::str::from_utf8(&bytes).map_err(|_| Error::Config {
                    path: PathBuf::from(&name),
                    message: "le fichier doit être en UTF-8".into(),
                })?;
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                let mut c = Config::from_toml(text, Path::new(&name))?;
                // Nor its baseline: a file of the host.
                c.inputs = Default::default();
                c.baseline = None;
                (c, Some(name))
            }
            ConfigSource::Given(c) => {
                let shown = c.path.as_ref().map(|p| p.display().to_string());
                (*c, shown)
            }
        };
        config.apply_cli(&self.select, &self.ignore)?;
        let today = self
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let loaded = refdata::load(&self.sources, &config)?;
        crate::util::release_free_memory();
        let mut engine = Engine::new(config, loaded.refdata, loaded.calendar, today);
        engine.inputs = loaded.inputs;
        engine.inputs.config = shown;
        engine.notes = loaded.notes;
        if let Some(m) = self.max_file_size {
            engine.max_file_size = m;
        }
        if let Some(ci) = self.ci {
            engine.gate = crate::report::Gate {
                error_on_warnings: ci.error_on_warnings || engine.config.error_on_warnings,
                max_warnings: ci.max_warnings.or(engine.config.max_warnings),
            };
            if let Some(path) = ci.baseline.or_else(|| engine.config.baseline.clone()) {
                let baseline = match crate::report::Baseline::read(&path) {
                    Err(Error::Read(_, e))
                        if ci.baseline_optional && e.kind() == std::io::ErrorKind::NotFound =>
                    {
                        crate::report::Baseline::default()
                    }
                    other => other?,
                };
                engine.baseline = Some((path, baseline));
            }
        }
        if let Some(p) = &self.xsd {
            // Compiled once per run, shared by every file and thread.
            engine.user_schema = Some(std::sync::Arc::new(crate::xsd::UserSchema::load(p)?));
        }
        Ok(engine)
    }
}

/// Parses a `--today` / `today` value (AAAA-MM-JJ).
pub fn parse_today(s: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::BadDate(s.to_string()))
}
