//! `wham monitor` and `wham run --target engine` / `--monitor`: the script
//! as a monitor module, and wham's engine running it beside the app.

use crate::cli::Common;
use crate::commands::user_error;
use crate::instrument::{
    Compiled, backend_error, compile, exit_with, read_app, report_to, run_options, user_libs,
    write_output,
};
use std::path::Path;
use std::process::ExitCode;

/// Compile the script into a monitor module and the number of its probe
/// functions.
fn build_monitor(c: &Compiled, common: &Common) -> Result<(Vec<u8>, usize), ExitCode> {
    let libs = engine_user_libs(common, false).map_err(|m| user_error(&m))?;
    let options = wham_rewrite::Options {
        report_to: report_to(common),
        libs,
        ..Default::default()
    };
    match wham_engine::build(&c.checked, &options) {
        Ok(out) => {
            for w in &out.warnings {
                eprintln!("warning: {w}");
            }
            Ok((out.bytes, out.sites))
        }
        Err(e) => Err(backend_error(e, c, "engine", &c.name)),
    }
}

/// The user libraries, less any for an engine library (`whamm:dyninstr`):
/// the engine provides those itself, and a file given for one, as whamm's
/// command lines give it, is not used (`note` says so).
fn engine_user_libs(common: &Common, note: bool) -> Result<Vec<wham_rewrite::UserLib>, String> {
    let mut libs = user_libs(&common.user_libs)?;
    libs.retain(|l| {
        let engine_own = l.module == wham_rewrite::DYNINSTR_MODULE;
        if engine_own && note {
            eprintln!(
                "note: the engine provides `{}` itself; the file given for it is not used",
                l.module
            );
        }
        !engine_own
    });
    Ok(libs)
}

/// `wham monitor -s S -o MON.wasm`.
pub fn monitor(script: &Path, output: &Path, quiet: bool, common: &Common) -> ExitCode {
    let compiled = match compile(script) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match build_monitor(&compiled, common) {
        Ok((bytes, probes)) => {
            let code = write_output(output, &bytes);
            if code == ExitCode::SUCCESS && !quiet {
                eprintln!(
                    "wrote {}: a monitor with {probes} probe function{}",
                    output.display(),
                    if probes == 1 { "" } else { "s" }
                );
            }
            code
        }
        Err(code) => code,
    }
}

/// Where the monitor comes from.
pub enum MonitorSource<'a> {
    Script(&'a Path),
    /// `mon.wasm[+lib.wasm...]`: a precompiled monitor and the libraries
    /// it imports, each named by its file stem.
    Group(&'a str),
}

/// Run `app` unmodified beside the monitor on wham's engine.
pub fn run(
    source: MonitorSource<'_>,
    app: &Path,
    tier: wham_engine::Tier,
    common: &Common,
    run: &crate::instrument::RunArgs<'_>,
) -> ExitCode {
    let mut libs: Vec<(String, Vec<u8>)> = match engine_user_libs(common, true) {
        Ok(l) => l.into_iter().map(|l| (l.module, l.bytes)).collect(),
        Err(m) => return user_error(&m),
    };
    let app_bytes = match read_app(app) {
        Ok(b) => b,
        Err(m) => return user_error(&m),
    };
    let monitor = match source {
        MonitorSource::Script(script) => {
            let compiled = match compile(script) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let monitor = match build_monitor(&compiled, common) {
                Ok((b, _)) => b,
                Err(code) => return code,
            };
            if let Err(e) = wham_engine::check_app_fit(&compiled.checked, &app_bytes) {
                return backend_error(e, &compiled, "engine", &app.display().to_string());
            }
            monitor
        }
        MonitorSource::Group(group) => {
            let mut files = group.split('+');
            let first = files.next().unwrap_or_default();
            for f in files {
                let path = Path::new(f);
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match read_app(path) {
                    Ok(b) => libs.push((stem, b)),
                    Err(m) => return user_error(&format!("monitor library: {m}")),
                }
            }
            match read_app(Path::new(first)) {
                Ok(b) => b,
                Err(m) => return user_error(&format!("monitor: {m}")),
            }
        }
    };
    let (mut options, summarized) = match run_options(app, common, run) {
        Ok(o) => o,
        Err(m) => return user_error(&m),
    };
    options.libs = libs;
    let engine = wham_engine::EngineOptions {
        tier,
        no_batching: common.no_batching,
        ..Default::default()
    };
    match wham_engine::run_with_monitor(&app_bytes, &monitor, options, engine) {
        Ok(run) => {
            for w in &run.warnings {
                eprintln!("warning: {w}");
            }
            if let Some(s) = summarized {
                s.finish();
            }
            exit_with(Ok(run.result))
        }
        Err(e) if e.is_internal() => {
            eprintln!("error: {e}");
            eprintln!("note: this is a bug in wham, not in your input; please report it");
            ExitCode::from(2)
        }
        Err(e) => user_error(&format!("{e} (running `{}`)", app.display())),
    }
}
