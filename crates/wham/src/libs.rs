//! User libraries: `@static` calls made while instrumenting run in the
//! engine's live library instances.

/// `@static` calls run in the engine's library instances.
pub struct Evaluator(pub wham_engine::Libraries);

impl wham_rewrite::LibEvaluator for Evaluator {
    fn call(
        &self,
        lib: &str,
        func: &str,
        args: &[wham_rewrite::WasmVal],
    ) -> Result<Vec<wham_rewrite::WasmVal>, String> {
        use wham_engine::Val as E;
        use wham_rewrite::WasmVal as W;
        let args: Vec<E> = args
            .iter()
            .map(|a| match a {
                W::I32(i) => E::I32(*i),
                W::I64(i) => E::I64(*i),
                W::F32(f) => E::F32(*f),
                W::F64(f) => E::F64(*f),
            })
            .collect();
        Ok(self
            .0
            .call(lib, func, &args)?
            .into_iter()
            .map(|v| match v {
                E::I32(i) => W::I32(i),
                E::I64(i) => W::I64(i),
                E::F32(f) => W::F32(f),
                E::F64(f) => W::F64(f),
            })
            .collect())
    }
}
