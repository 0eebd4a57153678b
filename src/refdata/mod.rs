//! Reference data (Siècle, STS-Web, ONDE, LSU settings): loaded once per run, shared by every
//! file. Each loader lives in its own module.

/// All reference data of a run; every part is optional.
#[derive(Debug, Default)]
pub struct RefData {}

impl RefData {
    /// The niveau of a pupil from reference data (Siècle CODE_MEF, ONDE niveau), if known.
    pub fn niveau_of_eleve(&self, _eleve: roxmltree::Node) -> Option<String> {
        None
    }

    /// Whether an input is present (for skipping rules).
    pub fn has(&self, input: crate::rules::Input) -> bool {
        matches!(input, crate::rules::Input::Calendar)
    }
}

/// What loading the reference inputs of a run produced.
#[derive(Debug, Default)]
pub struct Loaded {
    pub refdata: RefData,
    pub calendar: crate::calendar::Calendar,
    pub inputs: crate::output::Inputs,
    /// What was recognised (for `--refdata`), shown by the human format.
    pub notes: Vec<String>,
}

/// Loads every reference input named on the command line or in the config, once.
pub fn load(
    args: &crate::cli::CommonArgs,
    _config: &crate::config::Config,
) -> Result<Loaded, crate::error::Error> {
    let given = [
        &args.siecle,
        &args.nomenclature,
        &args.sts,
        &args.onde,
        &args.communs,
        &args.refdata,
        &args.settings,
    ];
    if given.iter().any(|g| g.is_some()) {
        return Err(crate::error::Error::Usage(
            "les données de référence (Siècle, STS, ONDE, paramètres LSU) ne sont pas encore prises en charge par cette version".into(),
        ));
    }
    Ok(Loaded::default())
}
