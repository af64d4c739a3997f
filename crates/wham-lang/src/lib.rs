//! The wham script language front end.
//!
//! Data flows one way: text → [`lexer`] → [`parser`] ([`ast`], with spans)
//! → [`check`] (names, types, rule matching against the event catalog,
//! constant folding) → [`check::hir::CheckedScript`], which the backends
//! consume. Problems at any stage become [`diag::Diagnostic`]s; nothing
//! here panics on bad input.

pub mod ast;
pub mod check;
pub mod diag;
mod lexer;
mod literal;
mod parser;
pub mod span;

pub use check::hir::CheckedScript;
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use parser::parse;

/// Scripts larger than this are refused (a guard against feeding the
/// compiler a binary or a log file by mistake).
pub const MAX_SCRIPT_BYTES: usize = 16 * 1024 * 1024;

/// Parse and check a script. The checked script is `Some` only when there
/// were no errors (warnings are allowed).
pub fn compile(src: &str) -> (Option<CheckedScript<'static>>, Diagnostics) {
    // The passes recurse over the tree; nesting is capped by the parser, and
    // a thread with a known, generous stack makes that cap safe whatever
    // stack the caller has (test threads get only 2 MiB).
    let owned = src.to_owned();
    let worker = std::thread::Builder::new()
        .name("wham-compile".into())
        .stack_size(COMPILE_STACK_BYTES)
        .spawn(move || compile_here(&owned));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(result)) => result,
        // A panic in the worker is a bug; surface it to the caller as one.
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => compile_here(src),
    }
}

const COMPILE_STACK_BYTES: usize = 64 * 1024 * 1024;

fn compile_here(src: &str) -> (Option<CheckedScript<'static>>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let ast = parse(src, &mut diags);
    if diags.has_errors() {
        // Checking a tree with holes in it mostly reports the holes again
        // ("cannot find variable" for a declaration that did not parse).
        return (None, diags);
    }
    let checked = check::check(&ast, &mut diags);
    if diags.has_errors() {
        (None, diags)
    } else {
        (Some(checked), diags)
    }
}
