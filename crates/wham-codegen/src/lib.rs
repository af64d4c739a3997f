//! The one code generator for probe bodies, shared by every backend.
//!
//! Input: a checked script (`wham_lang::CheckedScript`). Output: Wasm
//! instructions (wasm-encoder) for predicates, bodies and user functions,
//! plus the module additions they need ([`module::Additions`]): types,
//! functions, globals and the static contents of the instrumentation
//! memory. Static site facts are folded while generating ([`eval`]), so a
//! predicate that is false at a site generates nothing.

pub mod core_lib;
pub mod destination;
pub mod eval;
pub mod float_text;
pub mod lower;
pub mod map_report;
pub mod maps;
pub mod module;
pub mod report;
pub mod repr;
pub mod runtime;
pub mod strings;
pub mod uses;

pub use eval::StaticFacts;
pub use lower::{DynValue, Exit, LocalAlloc, Lowerer, ScriptState, Site, Unsupported};
pub use module::{Additions, Bases};
