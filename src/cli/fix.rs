//! `lsu-lint fix`: runs the fix engine on each file, writes the results atomically (or prints a
//! diff), and reports what was fixed, what was left and why.

use rayon::prelude::*;

use super::{print_out, FixArgs, FixFormat};
use crate::error::Error;
use crate::fix::{self, FixOptions, FixOutcome};
use crate::output::fixreport;

pub(super) fn run(args: FixArgs) -> Result<i32, Error> {
    let engine = args.common.builder()?.build()?;
    let opts = FixOptions {
        unsafe_fixes: args.unsafe_fixes || engine.config.unsafe_fixes,
    };
    let files = engine.collect_paths(&args.paths)?;
    let several = files.len() > 1;
    // Resolve every target first: refuse before writing anything.
    let targets = match &args.output {
        Some(out) => files
            .iter()
            .map(|f| fix::output_path(f, out, several).map(Some))
            .collect::<Result<Vec<_>, _>>()?,
        None => vec![None; files.len()],
    };
    let outcomes: Vec<FixOutcome> = files
        .par_iter()
        .map(|p| {
            engine
                .read(p)
                .map(|src| fix::fix_owned(&engine, src.name, src.bytes, opts))
        })
        .collect::<Result<_, _>>()?;
    if !args.diff {
        for (o, t) in outcomes.iter().zip(&targets) {
            if let Some(t) = t {
                fix::write_atomic(t, &o.output)?;
            }
        }
    }
    let text = match args.format {
        FixFormat::Json => fixreport::render_json(&outcomes, &targets, args.diff),
        FixFormat::Human => {
            let mut s = String::new();
            if args.diff {
                for o in &outcomes {
                    s.push_str(&fix::unified_diff(o));
                }
            }
            s.push_str(&fixreport::render_human(
                &outcomes, &targets, args.diff, opts,
            ));
            s
        }
    };
    print_out(&text);
    let errors = outcomes
        .iter()
        .any(|o| o.remaining.count(crate::catalogue::Severity::Error) > 0);
    Ok(i32::from(errors))
}
