//! `lsu-lint check`: builds the engine, checks the paths, renders the report.

use std::io::IsTerminal;

use super::{print_out, CheckArgs, Format};
use crate::error::Error;
use crate::output;

pub fn run(args: CheckArgs) -> Result<i32, Error> {
    let engine = args.common.builder()?.build()?;
    let report = engine.check_paths(&args.paths)?;
    let text = match args.format {
        Format::Human => output::human::render(&report, std::io::stdout().is_terminal()),
        Format::Concise => output::concise::render(&report),
        Format::Json => output::json::render(&report),
        Format::Sarif => output::sarif::render(&report),
        Format::Junit => output::junit::render(&report),
        Format::Github => output::github::render(&report),
        Format::Gitlab => output::gitlab::render(&report),
        Format::Html => output::html::render(&report),
    };
    print_out(&text);
    Ok(report.exit_code())
}
