//! `lsu-lint check`: builds the engine, checks the paths, renders the report on the terminal
//! and in every `--output` file, writes the baseline if asked.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{print_out, CheckArgs, Format};
use crate::engine::{CiOptions, Progress};
use crate::error::Error;
use crate::fix::write_atomic;
use crate::output::{self, Report};

pub(super) fn run(args: CheckArgs) -> Result<i32, Error> {
    let engine = args
        .common
        .builder()?
        .ci(CiOptions {
            baseline: args.baseline.clone(),
            baseline_optional: args.write_baseline.is_some(),
            error_on_warnings: args.error_on_warnings,
            max_warnings: args.max_warnings,
        })
        .build()?;
    let bar = Bar::new(args.format == Format::Human && std::io::stderr().is_terminal());
    let report = engine.check_paths_with(&args.paths, &bar)?;
    bar.bar.finish_and_clear();
    for (format, path) in &args.outputs {
        write_atomic(path, render(&report, *format, false).as_bytes())?;
    }
    if let Some(path) = &args.write_baseline {
        write_atomic(path, report.baseline().to_json().as_bytes())?;
    }
    print_out(&render(
        &report,
        args.format,
        std::io::stdout().is_terminal(),
    ));
    if let Some(why) = report.gate_failure() {
        eprintln!("{why}");
    }
    Ok(report.exit_code())
}

fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => output::human::render(report, color),
        Format::Concise => output::concise::render(report),
        Format::Json => output::json::render(report),
        Format::Sarif => output::sarif::render(report),
        Format::Junit => output::junit::render(report),
        Format::Github => output::github::render(report),
        Format::Gitlab => output::gitlab::render(report),
        Format::Html => output::html::render(report),
    }
}

/// Runs at least this long are worth a progress bar: many files, or one big file.
const MANY_FILES: usize = 20;
const BIG_RUN_BYTES: u64 = 20 << 20;

/// A progress bar on stderr, shown only on a terminal, for the human format, and for a long
/// run; never in a pipe or a machine-readable format.
struct Bar {
    bar: ProgressBar,
    allowed: bool,
    files: AtomicUsize,
    done: AtomicUsize,
}

impl Bar {
    fn new(allowed: bool) -> Self {
        Bar {
            bar: ProgressBar::hidden(),
            allowed,
            files: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }
}

impl Progress for Bar {
    fn start(&self, files: usize, bytes: u64) {
        if !self.allowed || (files < MANY_FILES && bytes < BIG_RUN_BYTES) {
            return;
        }
        self.files.store(files, Ordering::Relaxed);
        let template = if files == 1 {
            "{spinner} {elapsed_precise} vérification d'un fichier de {total_bytes}…"
        } else {
            "{spinner} {elapsed_precise} [{bar:30}] {percent:>3} % — {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_length(bytes);
        self.bar.set_message(format!("0 / {files} fichiers"));
        self.bar.set_draw_target(ProgressDrawTarget::stderr());
        self.bar.enable_steady_tick(Duration::from_millis(120));
    }

    fn file_done(&self, _name: &str, bytes: u64) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let files = self.files.load(Ordering::Relaxed);
        self.bar.set_message(format!("{done} / {files} fichiers"));
        self.bar.inc(bytes);
    }
}
