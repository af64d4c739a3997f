//! `wham instr` and `wham run`: compile the script, read the app,
//! instrument, then write or run the result.

use crate::cli::Common;
use crate::commands::{read_script, stderr_stream, user_error};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wham_lang::{Diagnostic, Diagnostics};
use wham_rewrite::{Error, Options};

/// Apps larger than this are refused (a guard against reading the wrong file).
const MAX_APP_BYTES: u64 = 1 << 30;

pub(crate) fn read_app(path: &Path) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if meta.is_dir() {
        return Err(format!("`{shown}` is a directory, not a module"));
    }
    if meta.len() > MAX_APP_BYTES {
        return Err(format!(
            "`{shown}` is larger than 1 GiB; refusing to read it"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    // `.wat` text or a binary module; wat passes binaries through. The
    // path names the file in a text error's `-->` line.
    wat::Parser::new()
        .parse_bytes(Some(path), &bytes)
        .map(|b| b.into_owned())
        .map_err(|e| format!("`{shown}` is not a valid module: {e}"))
}

/// A script compiled for a backend: its text (for diagnostics) and the
/// checked form.
pub(crate) struct Compiled {
    pub name: String,
    pub src: String,
    pub checked: wham_lang::CheckedScript<'static>,
}

/// Read and compile a script; diagnostics are printed.
pub(crate) fn compile(script: &Path) -> Result<Compiled, ExitCode> {
    let src = read_script(script).map_err(|m| user_error(&m))?;
    let name = script.display().to_string();
    let (checked, diags) = wham_lang::compile(&src);
    if !diags.is_empty() {
        diags.render(&name, &src, &mut stderr_stream());
    }
    let Some(checked) = checked else {
        eprintln!("{name}: {}", diags.summary());
        return Err(ExitCode::from(1));
    };
    Ok(Compiled { name, src, checked })
}

/// The report destination flag.
pub(crate) fn report_to(common: &Common) -> wham_rewrite::ReportTo {
    match common.report_to.as_str() {
        "stdout" => wham_rewrite::ReportTo::Stdout,
        "stderr" => wham_rewrite::ReportTo::Stderr,
        path => wham_rewrite::ReportTo::File(path.to_string()),
    }
}

/// Explain a backend's failure: script features it lacks (with their
/// places), a bad app, or our bug. `target` names the backend.
pub(crate) fn backend_error(e: Error, c: &Compiled, target: &str, what: &str) -> ExitCode {
    match e {
        Error::Script(items) => {
            let mut d = Diagnostics::default();
            for u in items {
                d.push(
                    Diagnostic::error(
                        "E0601",
                        format!("not supported on the {target} target yet: {}", u.what),
                        u.span,
                    )
                    .label("not supported here"),
                );
            }
            d.render(&c.name, &c.src, &mut stderr_stream());
            ExitCode::from(1)
        }
        Error::Misfit(items) => {
            let mut d = Diagnostics::default();
            for u in items {
                d.push(Diagnostic::error("E0602", u.what, u.span).label("not in this app"));
            }
            d.render(&c.name, &c.src, &mut stderr_stream());
            ExitCode::from(1)
        }
        e @ Error::Internal(_) => {
            eprintln!("error: {e}");
            eprintln!("note: this is a bug in wham, not in your input; please report it");
            ExitCode::from(2)
        }
        e => user_error(&format!("{e} (in `{what}`)")),
    }
}

/// What instrumenting gave: the module and how many probe sites it has.
struct Woven {
    bytes: Vec<u8>,
    sites: usize,
}

/// Compile the script and instrument the app; diagnostics are printed.
/// `writes_file`: the output is kept (so dropped debug sections matter).
fn instrument(
    script: &Path,
    app: &Path,
    common: &Common,
    writes_file: bool,
) -> Result<Woven, ExitCode> {
    let compiled = compile(script)?;
    let (name, checked) = (&compiled.name, &compiled.checked);
    let libs = user_libs(&common.user_libs).map_err(|m| user_error(&m))?;
    let bytes = read_app(app).map_err(|m| user_error(&m))?;
    let evaluator = if libs.is_empty() {
        None
    } else {
        let named: Vec<(String, Vec<u8>)> = libs
            .iter()
            .map(|l| (l.name.clone(), l.bytes.clone()))
            .collect();
        let evaluator =
            wham_engine::evaluator::Evaluator::for_libs(&named).map_err(|e| user_error(&e))?;
        Some(Box::new(evaluator) as Box<dyn wham_rewrite::LibEvaluator>)
    };
    let options = Options {
        report_to: report_to(common),
        libs,
        evaluator,
        no_batching: common.no_batching,
        ..Default::default()
    };
    match wham_rewrite::instrument(checked, &bytes, &options) {
        Ok(out) => {
            // A run writes no file whose debug sections could mislead.
            let shown = out
                .warnings
                .iter()
                .filter(|w| writes_file || !w.contains("DWARF"));
            for w in shown {
                eprintln!("warning: {w}");
            }
            if out.sites == 0 && !checked.probes.is_empty() {
                eprintln!(
                    "warning: no probe of `{name}` matched anything in `{}`; the app is unchanged apart from the report",
                    app.display()
                );
            }
            Ok(Woven {
                bytes: out.bytes,
                sites: out.sites,
            })
        }
        Err(e) => Err(backend_error(
            e,
            &compiled,
            "rewriting",
            &app.display().to_string(),
        )),
    }
}

/// `name=path` or `name(module)=path`, as whamm spells them.
pub(crate) fn user_libs(specs: &[String]) -> Result<Vec<wham_rewrite::UserLib>, String> {
    let mut out = Vec::new();
    for spec in specs.iter().filter(|s| !s.is_empty()) {
        let Some((lhs, path)) = spec.split_once('=') else {
            return Err(format!("`--user-libs {spec}`: expected NAME=PATH.wasm"));
        };
        let (name, module) = match lhs.split_once('(') {
            Some((n, rest)) => match rest.strip_suffix(')') {
                Some(m) => (n.trim(), m.trim()),
                None => {
                    return Err(format!(
                        "`--user-libs {spec}`: expected NAME(MODULE)=PATH.wasm"
                    ));
                }
            },
            None => (lhs.trim(), lhs.trim()),
        };
        if name.is_empty() || module.is_empty() {
            return Err(format!("`--user-libs {spec}`: the library needs a name"));
        }
        let bytes = read_app(Path::new(path))?;
        out.push(wham_rewrite::UserLib {
            name: name.to_string(),
            module: module.to_string(),
            bytes,
        });
    }
    Ok(out)
}

pub fn instr(script: &Path, app: &Path, output: &Path, quiet: bool, common: &Common) -> ExitCode {
    match instrument(script, app, common, true) {
        Ok(w) => {
            let code = write_output(output, &w.bytes);
            if code == ExitCode::SUCCESS && !quiet {
                eprintln!(
                    "wrote {}: {} instrumented at {} site{}",
                    output.display(),
                    app.display(),
                    w.sites,
                    if w.sites == 1 { "" } else { "s" }
                );
            }
            code
        }
        Err(code) => code,
    }
}

/// Write beside the target and rename, so a failure leaves nothing
/// half-written.
pub(crate) fn write_output(output: &Path, bytes: &[u8]) -> ExitCode {
    let tmp: PathBuf = {
        let mut t = output.as_os_str().to_owned();
        t.push(".wham-tmp");
        t.into()
    };
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, output));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return user_error(&format!("cannot write `{}`: {e}", output.display()));
    }
    ExitCode::SUCCESS
}

/// What `wham run` says about the run itself.
pub(crate) struct RunArgs<'a> {
    pub dirs: &'a [String],
    pub env: &'a [String],
    pub args: &'a [String],
    pub report_format: crate::summary::ReportFormat,
}

pub fn run(script: &Path, app: &Path, common: &Common, run: &RunArgs<'_>) -> ExitCode {
    let bytes = match instrument(script, app, common, false) {
        Ok(w) => w.bytes,
        Err(code) => return code,
    };
    let libs = match user_libs(&common.user_libs) {
        Ok(l) => l,
        Err(m) => return user_error(&m),
    };
    let (mut options, summarized) = match run_options(app, common, run) {
        Ok(o) => o,
        Err(m) => return user_error(&m),
    };
    options.libs = libs.into_iter().map(|l| (l.module, l.bytes)).collect();
    options.finally = Some(wham_rewrite::FLUSH_EXPORT.to_string());
    let result = wham_host::run(&bytes, &options);
    if let Some(s) = summarized {
        s.finish();
    }
    exit_with(result)
}

/// How the app runs: its name and arguments, environment and directories,
/// and whether its report is summarized.
pub(crate) fn run_options(
    app: &Path,
    common: &Common,
    run: &RunArgs<'_>,
) -> Result<(wham_host::RunOptions, Option<crate::summary::Summarized>), String> {
    let (dirs, env, args) = (run.dirs, run.env, run.args);
    let mut options = wham_host::RunOptions {
        args: std::iter::once(
            app.file_name()
                .map_or("app".into(), |n| n.to_string_lossy().into_owned()),
        )
        .chain(args.iter().cloned())
        .collect(),
        ..Default::default()
    };
    for e in env {
        match e.split_once('=') {
            Some((k, v)) => options.env.push((k.to_string(), v.to_string())),
            None => return Err(format!("`--env {e}`: expected NAME=VALUE")),
        }
    }
    for d in dirs {
        let (host, guest) = d.split_once("::").unwrap_or((d, d));
        options.dirs.push((PathBuf::from(host), guest.to_string()));
    }
    let summarized = crate::summary::arrange(run.report_format, &common.report_to, &mut options)?;
    Ok((options, summarized))
}

/// The app's exit status, or 1 after a trap (with its message).
pub(crate) fn exit_with(result: Result<wham_host::RunResult, wham_host::RunError>) -> ExitCode {
    match result.map(|r| r.outcome) {
        Ok(wham_host::Outcome::Exited(code)) => ExitCode::from(code.clamp(0, 255) as u8),
        Ok(wham_host::Outcome::Trapped(msg)) => {
            eprintln!("error: the app trapped: {msg}");
            ExitCode::from(1)
        }
        Err(e) => user_error(&format!("{e}")),
    }
}
