//! Bind-time calls: `@static` library calls made while instrumenting, and
//! the engine target's predicate and allocation calls, run in a live
//! [`wham_host::Session`] so their state carries into the run.

use std::cell::RefCell;
use std::rc::Rc;
use wham_host::{Session, Val as E};
use wham_rewrite::WasmVal as W;

/// Makes the calls in `session` and keeps the first failure (a trap in
/// the library or monitor), which the caller reports.
pub struct Evaluator {
    session: Rc<Session>,
    failures: Rc<RefCell<Vec<String>>>,
}

impl Evaluator {
    /// An evaluator and a handle on the failures it meets.
    pub fn new(session: Rc<Session>) -> (Evaluator, Rc<RefCell<Vec<String>>>) {
        let failures = Rc::new(RefCell::new(Vec::new()));
        (
            Evaluator {
                session,
                failures: failures.clone(),
            },
            failures,
        )
    }

    /// An evaluator over fresh instances of `libs` (name, bytes).
    pub fn for_libs(libs: &[(String, Vec<u8>)]) -> Result<Evaluator, String> {
        let session = Session::new(&wham_host::RunOptions {
            libs: libs.to_vec(),
            ..Default::default()
        })
        .map_err(|e| e.to_string())?;
        Ok(Evaluator::new(Rc::new(session)).0)
    }
}

impl wham_rewrite::LibEvaluator for Evaluator {
    fn call(&self, lib: &str, func: &str, args: &[W]) -> Result<Vec<W>, String> {
        let args: Vec<E> = args
            .iter()
            .map(|a| match a {
                W::I32(i) => E::I32(*i),
                W::I64(i) => E::I64(*i),
                W::F32(f) => E::F32(*f),
                W::F64(f) => E::F64(*f),
                W::Str(s) => E::Str(s.clone()),
            })
            .collect();
        let out = self.session.call(lib, func, &args).inspect_err(|e| {
            self.failures.borrow_mut().push(e.clone());
        })?;
        Ok(out
            .into_iter()
            .map(|v| match v {
                E::I32(i) => W::I32(i),
                E::I64(i) => W::I64(i),
                E::F32(f) => W::F32(f),
                E::F64(f) => W::F64(f),
                E::Str(s) => W::Str(s),
            })
            .collect())
    }
}
