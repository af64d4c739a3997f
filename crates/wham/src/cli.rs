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
    /// Rewrite target: write the app with the script woven into its bytecode.
    Instr {
        /// The script (`.mm`).
        #[arg(short = 's', long = "script", value_name = "SCRIPT")]
        script: PathBuf,
        /// The app (`.wasm` or `.wat`); required unless `--wei`.
        #[arg(
            short = 'a',
            long = "app",
            value_name = "APP",
            required_unless_present = "wei"
        )]
        app: Option<PathBuf>,
        /// Where to write the instrumented module.
        #[arg(
            short = 'o',
            long = "output-path",
            visible_alias = "output",
            value_name = "OUT",
            default_value = "output.wasm"
        )]
        output: PathBuf,
        /// Emit a monitor module for the engine target instead (as `wham monitor`).
        #[arg(short = 'w', long = "wei")]
        wei: bool,
        /// Print nothing on success (not what was written, nor where).
        #[arg(short = 'q', long = "quiet")]
        quiet: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Engine target: write a standalone monitor module.
    Monitor {
        /// The script (`.mm`).
        #[arg(short = 's', long = "script", value_name = "SCRIPT")]
        script: PathBuf,
        /// Where to write the monitor module.
        #[arg(
            short = 'o',
            long = "output-path",
            visible_alias = "output",
            value_name = "OUT",
            default_value = "monitor.wasm"
        )]
        output: PathBuf,
        /// Print nothing on success (not what was written, nor where).
        #[arg(short = 'q', long = "quiet")]
        quiet: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Instrument an app and run it on the embedded wasmtime with WASI;
    /// the report is printed when it ends.
    Run {
        /// The script (`.mm`).
        #[arg(
            short = 's',
            long = "script",
            value_name = "SCRIPT",
            required_unless_present = "monitor"
        )]
        script: Option<PathBuf>,
        /// A precompiled monitor module (engine target), optionally with the
        /// libraries it imports: `mon.wasm+lib.wasm` (named by file stem).
        #[arg(
            long = "monitor",
            visible_alias = "monitors",
            value_name = "MON[+LIB...]"
        )]
        monitor: Option<String>,
        /// How to instrument: `rewrite` (weave into the bytecode) or `engine`.
        #[arg(long = "target", value_enum, default_value_t = Target::Engine)]
        target: Target,
        /// Engine target: how probes reach the monitor. `fused` (default):
        /// the monitor's code is compiled into the app, small probes
        /// inlined, its state kept apart; `weave`: calls into the
        /// monitor's own instance; `host`: calls through the host.
        #[arg(long = "tier", value_enum, value_name = "TIER")]
        tier: Option<TierArg>,
        /// Make a host directory visible to the app: `HOST` or `HOST::GUEST`.
        #[arg(long = "dir", value_name = "DIR")]
        dirs: Vec<String>,
        /// Set an environment variable for the app: `NAME=VALUE`.
        #[arg(long = "env", value_name = "NAME=VALUE")]
        env: Vec<String>,
        /// How the report is shown: `auto` (a summary at a terminal, with
        /// the full CSV in `wham-report.csv`; the CSV otherwise), `csv`
        /// (always the CSV, as whamm prints it) or `summary`.
        #[arg(
            long = "report-format",
            value_enum,
            default_value_t,
            value_name = "FORMAT"
        )]
        report_format: crate::summary::ReportFormat,
        #[command(flatten)]
        common: Common,
        /// The app (`.wasm` or `.wat`).
        #[arg(value_name = "APP")]
        app: PathBuf,
        /// Arguments for the app (after `--`).
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<String>,
    },
}

/// Flags shared by the commands that instrument.
#[derive(clap::Args, Debug)]
pub struct Common {
    /// User libraries: `name=path.wasm` (comma-separated or repeated).
    #[arg(
        short = 'u',
        long = "user-libs",
        value_name = "NAME=PATH",
        value_delimiter = ','
    )]
    pub user_libs: Vec<String>,
    /// Where the report goes: `stdout`, `stderr` or a file path (created in
    /// the first `--dir` the app sees). `WHAM_REPORT` overrides it at run time.
    #[arg(
        long = "report-to",
        value_name = "stdout|stderr|FILE",
        default_value = "stdout"
    )]
    pub report_to: String,
    /// Update counters at every instruction instead of once per basic block
    /// (slower; exact even when a trap cuts a block short).
    #[arg(long = "no-batching")]
    pub no_batching: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Rewrite,
    Engine,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TierArg {
    Fused,
    Weave,
    Host,
}

impl From<TierArg> for wham_engine::Tier {
    fn from(t: TierArg) -> wham_engine::Tier {
        match t {
            TierArg::Fused => wham_engine::Tier::Fused,
            TierArg::Weave => wham_engine::Tier::Weave,
            TierArg::Host => wham_engine::Tier::Host,
        }
    }
}
