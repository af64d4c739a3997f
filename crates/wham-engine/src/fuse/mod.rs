//! The fused tier: the woven app and its monitor become one module, so
//! wasmtime compiles probe bodies into the app's code while the monitor
//! keeps its own state.
//!
//! 1. Before the monitor starts, its memories, globals and tables are
//!    exported (`crate::prepare`), so a second module can import them; the
//!    live instance runs the bind-time calls and `wasm:exit` as before.
//! 2. [`merge::fuse`]: the woven app's calls to the monitor become calls to
//!    the monitor's functions copied into the same module, small ones
//!    inlined at the call site (`inline.rs`); their state is the live
//!    instance's, imported.
//! 3. [`isolation::check`]: every fused module is checked before it is
//!    compiled: monitor code names only monitor items, app code only the
//!    app's (and the probes it calls).

pub mod inline;
pub mod isolation;
pub mod merge;
pub mod remap;

pub use merge::{Fused, fuse};
