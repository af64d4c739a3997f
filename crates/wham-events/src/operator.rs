//! From a decoded `wasmparser::Operator` to its event and its immediates.
//!
//! Backends walk real code; these answer "which opcode event is this
//! instruction" and "what are its `immN` values" without a match arm per
//! opcode: both are generated from `for_each_operator!`.

use crate::opcodes::raw::OPERATORS;
use crate::{Event, catalog};
use std::collections::HashMap;
use std::sync::OnceLock;
use wasmparser::Operator;

macro_rules! variant_name_fn {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// wasmparser's `Operator` variant name of `op` (`I32Load8S`).
        pub fn variant_name(op: &Operator<'_>) -> &'static str {
            match op {
                $( Operator::$op { .. } => stringify!($op), )*
                _ => "",
            }
        }
    };
}
wasmparser::for_each_operator!(variant_name_fn);

/// The opcode event of `op`, from the catalog's `opcode` package.
pub fn event_for_operator(op: &Operator<'_>) -> Option<&'static Event> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Event>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut map = HashMap::new();
        for provider in &catalog().providers {
            for package in provider.packages.iter().filter(|p| p.name == "opcode") {
                for event in &package.events {
                    if let Some(info) = &event.opcode {
                        map.insert(info.variant, event);
                    }
                }
            }
        }
        debug_assert_eq!(map.len(), OPERATORS.len());
        map
    });
    index.get(variant_name(op)).copied()
}

/// An immediate's value as scripts can see it.
#[derive(Clone, Debug, PartialEq)]
pub enum ImmValue {
    /// Integer immediates (indices, depths, `i32.const`/`i64.const` values).
    Int(i64),
    F32(f32),
    F64(f64),
    /// `br_table`'s non-default targets, then the default.
    Targets(Vec<u32>, u32),
    /// A memory argument.
    MemArg {
        offset: u64,
        align: u8,
        memory: u32,
    },
    /// Anything scripts cannot hold (block types, heap types, catch lists).
    Opaque,
}

/// Autoref specialisation: concrete impls on `Imm<T>` win over the
/// catch-all on `&Imm<T>`, so fields of types we do not expose become
/// `Opaque` without listing every type wasmparser uses.
struct Imm<'a, T>(&'a T);

trait ToImm {
    fn to_imm(&self) -> ImmValue;
}
trait ToImmFallback {
    fn to_imm(&self) -> ImmValue;
}
impl<T> ToImmFallback for &Imm<'_, T> {
    fn to_imm(&self) -> ImmValue {
        ImmValue::Opaque
    }
}
macro_rules! int_imm {
    ($($t:ty),*) => {$(
        impl ToImm for Imm<'_, $t> {
            fn to_imm(&self) -> ImmValue {
                ImmValue::Int(*self.0 as i64)
            }
        }
    )*};
}
int_imm!(u8, u32, i32, i64);
impl ToImm for Imm<'_, wasmparser::Ieee32> {
    fn to_imm(&self) -> ImmValue {
        ImmValue::F32(f32::from_bits(self.0.bits()))
    }
}
impl ToImm for Imm<'_, wasmparser::Ieee64> {
    fn to_imm(&self) -> ImmValue {
        ImmValue::F64(f64::from_bits(self.0.bits()))
    }
}
impl ToImm for Imm<'_, wasmparser::MemArg> {
    fn to_imm(&self) -> ImmValue {
        ImmValue::MemArg {
            offset: self.0.offset,
            align: self.0.align,
            memory: self.0.memory,
        }
    }
}
impl ToImm for Imm<'_, wasmparser::BrTable<'_>> {
    fn to_imm(&self) -> ImmValue {
        let targets = self.0.targets().filter_map(Result::ok).collect();
        ImmValue::Targets(targets, self.0.default())
    }
}

macro_rules! immediates_fn {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// The immediate fields of `op` by field name, in declaration order.
        pub fn immediates(op: &Operator<'_>) -> Vec<(&'static str, ImmValue)> {
            #[allow(unused_variables)]
            match op {
                $( Operator::$op $({ $($arg),* })? => vec![$($( (stringify!($arg), (&Imm($arg)).to_imm()) ),*)?], )*
                _ => Vec::new(),
            }
        }
    };
}
wasmparser::for_each_operator!(immediates_fn);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_events_and_immediates() {
        let op = Operator::Call { function_index: 7 };
        assert_eq!(event_for_operator(&op).unwrap().name, "call");
        assert_eq!(immediates(&op), vec![("function_index", ImmValue::Int(7))]);
        let op = Operator::I32Const { value: -3 };
        assert_eq!(immediates(&op), vec![("value", ImmValue::Int(-3))]);
        assert_eq!(event_for_operator(&Operator::Nop).unwrap().name, "nop");
    }
}
