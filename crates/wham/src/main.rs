//! The `wham` command line: parses flags and calls the libraries.
//!
//! Exit status: 0 success, 1 user error (bad script, bad input, bad
//! flags), 2 internal error (a bug in wham; never a panic backtrace).

mod cli;
mod commands;
mod engine_target;
mod instrument;
mod summary;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        // `--help` and `--version` print to stdout and succeed; a usage
        // error is the user's, exit 1 (clap's own default is 2, which
        // wham keeps for its own bugs).
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(u8::from(e.use_stderr()));
        }
    };
    // A bug must not surface as a backtrace: report it and exit 2.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error in wham: {info}");
        eprintln!("note: this is a bug in wham, not in your input; please report it");
    }));
    match std::panic::catch_unwind(|| commands::run(args)) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}
