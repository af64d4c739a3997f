//! The type vocabulary shared by the language and the catalog.
//!
//! Bound variables in the catalog are described with the same types that
//! scripts declare, so the checker can use them without translation.

use std::fmt;

/// A script-level type.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    U8,
    I8,
    U16,
    I16,
    U32,
    I32,
    U64,
    I64,
    F32,
    F64,
    Bool,
    /// A byte string: (address, length) in instrumentation memory.
    Str,
    Funcref,
    /// A 128-bit SIMD value; opaque to scripts (compare, store, pass on).
    V128,
    /// `()`: the unit type, and the result of functions without a value.
    Unit,
    Tuple(Vec<Ty>),
    Map(Box<Ty>, Box<Ty>),
    /// A bound value whose type depends on the match site (e.g. `arg0` of
    /// `call`) and is not fixed until the script bounds it.
    Unknown,
    /// A type parameter of a generic probe (`<T: int>`), as written. The
    /// checker replaces it with a concrete type per probe instance, so none
    /// reaches the checked script.
    Param(String),
}

impl Ty {
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            Ty::U8 | Ty::I8 | Ty::U16 | Ty::I16 | Ty::U32 | Ty::I32 | Ty::U64 | Ty::I64
        )
    }

    pub fn is_float(&self) -> bool {
        matches!(self, Ty::F32 | Ty::F64)
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer() || self.is_float()
    }

    pub fn is_signed(&self) -> bool {
        matches!(self, Ty::I8 | Ty::I16 | Ty::I32 | Ty::I64)
    }

    /// Width in bits of an integer type.
    pub fn int_bits(&self) -> Option<u32> {
        match self {
            Ty::U8 | Ty::I8 => Some(8),
            Ty::U16 | Ty::I16 => Some(16),
            Ty::U32 | Ty::I32 => Some(32),
            Ty::U64 | Ty::I64 => Some(64),
            _ => None,
        }
    }

    /// Scalar types that need no memory: numbers and `bool`.
    pub fn is_primitive(&self) -> bool {
        self.is_numeric() || *self == Ty::Bool
    }

    /// The script type that holds a Wasm value type, if any.
    pub fn from_val_type(vt: WasmType) -> Ty {
        match vt {
            WasmType::I32 => Ty::I32,
            WasmType::I64 => Ty::I64,
            WasmType::F32 => Ty::F32,
            WasmType::F64 => Ty::F64,
            WasmType::V128 => Ty::V128,
            WasmType::Funcref => Ty::Funcref,
            WasmType::Ref => Ty::Unknown,
        }
    }

    /// Whether a value of this script type can stand for a Wasm value of type
    /// `vt` (the narrow integers and `bool` all live in an `i32`).
    pub fn fits_wasm(&self, vt: WasmType) -> bool {
        match vt {
            WasmType::I32 => matches!(
                self,
                Ty::U8 | Ty::I8 | Ty::U16 | Ty::I16 | Ty::U32 | Ty::I32 | Ty::Bool
            ),
            WasmType::I64 => matches!(self, Ty::U64 | Ty::I64),
            WasmType::F32 => *self == Ty::F32,
            WasmType::F64 => *self == Ty::F64,
            WasmType::V128 => *self == Ty::V128,
            WasmType::Funcref => *self == Ty::Funcref,
            WasmType::Ref => false,
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::U8 => f.write_str("u8"),
            Ty::I8 => f.write_str("i8"),
            Ty::U16 => f.write_str("u16"),
            Ty::I16 => f.write_str("i16"),
            Ty::U32 => f.write_str("u32"),
            Ty::I32 => f.write_str("i32"),
            Ty::U64 => f.write_str("u64"),
            Ty::I64 => f.write_str("i64"),
            Ty::F32 => f.write_str("f32"),
            Ty::F64 => f.write_str("f64"),
            Ty::Bool => f.write_str("bool"),
            Ty::Str => f.write_str("str"),
            Ty::Funcref => f.write_str("funcref"),
            Ty::V128 => f.write_str("v128"),
            Ty::Unit => f.write_str("()"),
            Ty::Unknown => f.write_str("unknown"),
            Ty::Param(name) => f.write_str(name),
            Ty::Tuple(items) => {
                f.write_str("(")?;
                for (i, t) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
            Ty::Map(k, v) => write!(f, "map<{k}, {v}>"),
        }
    }
}

/// A WebAssembly value type as the catalog describes operands and results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WasmType {
    I32,
    I64,
    F32,
    F64,
    V128,
    Funcref,
    /// Any other reference type (externref, GC references, ...).
    Ref,
}

impl fmt::Display for WasmType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WasmType::I32 => "i32",
            WasmType::I64 => "i64",
            WasmType::F32 => "f32",
            WasmType::F64 => "f64",
            WasmType::V128 => "v128",
            WasmType::Funcref => "funcref",
            WasmType::Ref => "ref",
        })
    }
}
