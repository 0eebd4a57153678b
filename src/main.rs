#![deny(clippy::unwrap_used, clippy::expect_used)]
use clap::Parser;

fn main() {
    let cli = lsu_lint::cli::Cli::parse();
    let code = match lsu_lint::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            2
        }
    };
    std::process::exit(code);
}
