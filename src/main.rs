#![deny(clippy::unwrap_used, clippy::expect_used)]
fn main() {
    lsu_lint::util::tune_allocator();
    let cli = match lsu_lint::cli::french::parse() {
        Ok(cli) => cli,
        Err((text, code)) => {
            // Help and version go to stdout, usage errors to stderr (as clap does).
            let nl = if text.ends_with('\n') { "" } else { "\n" };
            if code == 0 {
                print!("{text}{nl}");
            } else {
                eprint!("{text}{nl}");
            }
            std::process::exit(code);
        }
    };
    let code = match lsu_lint::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            2
        }
    };
    std::process::exit(code);
}
