//! What each subcommand does.

use crate::cli::{Cli, Command};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check {
            script,
            script_flag,
            list,
        } => match script.or(script_flag) {
            Some(path) => check(&path, list),
            None => user_error("no script given"),
        },
        Command::Info {
            rule,
            vars,
            functions,
        } => info(&rule, vars, functions),
        Command::Instr {
            script,
            app,
            output,
            wei,
            quiet,
            common,
        } => {
            if wei {
                return crate::engine_target::monitor(&script, &output, quiet, &common);
            }
            match app {
                Some(app) => crate::instrument::instr(&script, &app, &output, quiet, &common),
                None => user_error("no app given (`-a APP.wasm`)"),
            }
        }
        Command::Monitor {
            script,
            output,
            quiet,
            common,
        } => crate::engine_target::monitor(&script, &output, quiet, &common),
        Command::Run {
            script,
            monitor,
            target,
            tier,
            dirs,
            env,
            report_format,
            common,
            app,
            args,
        } => {
            use crate::engine_target::MonitorSource;
            let run = crate::instrument::RunArgs {
                dirs: &dirs,
                env: &env,
                args: &args,
                report_format,
            };
            let engine = monitor.is_some() || target == crate::cli::Target::Engine;
            if tier.is_some() && !engine {
                return user_error(
                    "`--tier` chooses how the engine target runs probes; it does not apply to `--target rewrite`",
                );
            }
            let tier = tier.map(Into::into).unwrap_or_default();
            match (monitor, script) {
                (Some(group), _) => crate::engine_target::run(
                    MonitorSource::Group(&group),
                    &app,
                    tier,
                    &common,
                    &run,
                ),
                (None, Some(script)) if engine => crate::engine_target::run(
                    MonitorSource::Script(&script),
                    &app,
                    tier,
                    &common,
                    &run,
                ),
                (None, Some(script)) => crate::instrument::run(&script, &app, &common, &run),
                (None, None) => user_error("no script given (`-s SCRIPT.mm`)"),
            }
        }
    }
}

pub(crate) fn user_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(1)
}

/// Read a script, refusing what cannot be one (missing, not UTF-8, huge).
pub(crate) fn read_script(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if meta.is_dir() {
        return Err(format!("`{shown}` is a directory, not a script"));
    }
    if meta.len() > wham_lang::MAX_SCRIPT_BYTES as u64 {
        return Err(format!(
            "`{shown}` is {} bytes; scripts larger than {} bytes are refused",
            meta.len(),
            wham_lang::MAX_SCRIPT_BYTES
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "`{shown}` is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

pub(crate) fn stderr_stream() -> StandardStream {
    let choice = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    StandardStream::stderr(choice)
}

fn check(path: &Path, list: bool) -> ExitCode {
    let src = match read_script(path) {
        Ok(s) => s,
        Err(msg) => return user_error(&msg),
    };
    let name = path.display().to_string();
    let (checked, diags) = wham_lang::compile(&src);
    if !diags.is_empty() {
        diags.render(&name, &src, &mut stderr_stream());
    }
    match checked {
        Some(script) => {
            let sources: std::collections::BTreeSet<usize> =
                script.probes.iter().map(|p| p.source_index).collect();
            println!(
                "{name}: ok: {} probe(s) matching {} event(s); {}",
                sources.len(),
                script.probes.len(),
                diags.summary()
            );
            if list {
                for p in &script.probes {
                    println!("  {}", p.listing_name());
                }
            }
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("{name}: {}", diags.summary());
            ExitCode::from(1)
        }
    }
}

fn info(rule: &str, vars: bool, functions: bool) -> ExitCode {
    match wham_events::describe(rule, vars, functions) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let part = rule.split(':').nth(e.part).unwrap_or(rule);
            eprintln!("error: {} (in `{part}` of rule `{rule}`)", e.message);
            if let Some(h) = e.help {
                eprintln!("  = help: {h}");
            }
            ExitCode::from(1)
        }
    }
}
