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
