//! Command-line flags (clap derive). Names follow the design's contract;
//! the original whamm's spellings are accepted as aliases.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "wham",
    version,
    about = "Instrument WebAssembly with a DTrace-like script language",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and type-check a script; print diagnostics (exit 1 on errors).
    Check {
        /// The script (`.mm`).
        #[arg(value_name = "SCRIPT", required_unless_present = "script_flag")]
        script: Option<PathBuf>,
        /// The script, as whamm spells it.
        #[arg(
            short = 's',
            long = "script",
            value_name = "SCRIPT",
            conflicts_with = "script"
        )]
        script_flag: Option<PathBuf>,
        /// Also list every probe with the events it matched.
        #[arg(long)]
        list: bool,
    },
    /// List the events a rule matches, with their modes, bound variables and
    /// functions.
    Info {
        /// A full or partial rule, e.g. `wasm:opcode:br*:before` or `wasm:func:*`.
        #[arg(short = 'r', long = "rule", value_name = "RULE")]
        rule: String,
        /// Show the bound variables.
        #[arg(short = 'v', long = "vars")]
        vars: bool,
        /// Show the bound functions.
        #[arg(short = 'f', long = "functions")]
        functions: bool,
    },
}
