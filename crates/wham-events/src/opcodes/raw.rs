//! The operator list exactly as wasmparser declares it, captured as data.
//!
//! `for_each_operator!` hands every operator to a macro as tokens; we keep
//! the tokens as strings so everything else can be derived by ordinary code
//! instead of one match arm per opcode.

/// One operator of `wasmparser::for_each_operator!`.
#[derive(Debug)]
pub(crate) struct RawOp {
    /// The `@proposal` tag (`mvp`, `simd`, `gc`, ...).
    pub proposal: &'static str,
    /// The `Operator` variant name (`I32Load8S`).
    pub variant: &'static str,
    /// The visitor method name (`visit_i32_load8_s`).
    pub visit: &'static str,
    /// Immediate fields: (name, type tokens as written).
    pub fields: &'static [(&'static str, &'static str)],
}

macro_rules! capture_operators {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        // The arity annotation is checked by the integration tests.
        pub(crate) static OPERATORS: &[RawOp] = &[
            $(
                RawOp {
                    proposal: stringify!($proposal),
                    variant: stringify!($op),
                    visit: stringify!($visit),
                    fields: &[$($((stringify!($arg), stringify!($argty)),)*)?],
                },
            )*
        ];
    };
}

wasmparser::for_each_operator!(capture_operators);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_fields() {
        let load = OPERATORS.iter().find(|o| o.variant == "I32Load").unwrap();
        assert_eq!(load.proposal, "mvp");
        assert_eq!(load.visit, "visit_i32_load");
        assert_eq!(load.fields.len(), 1);
        assert_eq!(load.fields[0].0, "memarg");
        assert!(load.fields[0].1.ends_with("MemArg"), "{}", load.fields[0].1);
    }
}
