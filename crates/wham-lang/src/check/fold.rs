//! Constant folding with the run-time semantics of Wasm: integers wrap to
//! their width, shifts take the count modulo the width, floats are IEEE.
//! Division by a constant zero is a compile-time error rather than a trap.

use super::hir::Value;
use crate::ast::{BinOp, UnOp};
use wham_events::Ty;

#[derive(Debug, PartialEq, Eq)]
pub enum FoldError {
    DivisionByZero,
    /// `i32::MIN / -1`, which traps in Wasm.
    Overflow,
}

/// Wrap `v` into the range of integer type `ty` (two's complement).
pub fn normalize(ty: &Ty, v: i128) -> i128 {
    let Some(bits) = ty.int_bits() else {
        return v;
    };
    let mask = (1i128 << bits) - 1;
    let low = v & mask;
    if ty.is_signed() && low >> (bits - 1) & 1 == 1 {
        low - (1i128 << bits)
    } else {
        low
    }
}

/// Whether `v` is inside the value range of integer type `ty`.
pub fn in_range(ty: &Ty, v: i128) -> bool {
    normalize(ty, v) == v
}

/// Whether `v` fits the bit width of `ty` as either signedness (so
/// `0xFFFFFFFF` can be an `i32` and `-1` a `u32`).
pub fn fits_width(ty: &Ty, v: i128) -> bool {
    let Some(bits) = ty.int_bits() else {
        return false;
    };
    v >= -(1i128 << (bits - 1)) && v < (1i128 << bits)
}

pub fn unary(op: UnOp, ty: &Ty, v: &Value) -> Option<Value> {
    Some(match (op, v) {
        (UnOp::Not, Value::Bool(b)) => Value::Bool(!b),
        (UnOp::BitNot, Value::Int(i)) => Value::Int(normalize(ty, !i)),
        (UnOp::Neg, Value::Int(i)) => Value::Int(normalize(ty, -i)),
        (UnOp::Neg, Value::F32(f)) => Value::F32(-f),
        (UnOp::Neg, Value::F64(f)) => Value::F64(-f),
        _ => return None,
    })
}

/// Fold `a op b` where both operands have type `ty`. `Ok(None)` when the
/// combination is not foldable (never for well-typed input).
pub fn binary(op: BinOp, ty: &Ty, a: &Value, b: &Value) -> Result<Option<Value>, FoldError> {
    use Value::*;
    let v = match (a, b) {
        (Int(x), Int(y)) => return int_binary(op, ty, *x, *y).map(Some),
        (F32(x), F32(y)) => float_binary(op, *x as f64, *y as f64).map(|v| match v {
            F64(f) => F32(f as f32),
            other => other,
        }),
        (F64(x), F64(y)) => float_binary(op, *x, *y),
        (Bool(x), Bool(y)) => match op {
            BinOp::And => Some(Bool(*x && *y)),
            BinOp::Or => Some(Bool(*x || *y)),
            BinOp::Eq => Some(Bool(x == y)),
            BinOp::Ne => Some(Bool(x != y)),
            _ => None,
        },
        (Str(x), Str(y)) => match op {
            BinOp::Eq => Some(Bool(x == y)),
            BinOp::Ne => Some(Bool(x != y)),
            _ => None,
        },
        (Tuple(_), Tuple(_)) => match op {
            BinOp::Eq => Some(Bool(a == b)),
            BinOp::Ne => Some(Bool(a != b)),
            _ => None,
        },
        _ => None,
    };
    Ok(v)
}

fn int_binary(op: BinOp, ty: &Ty, x: i128, y: i128) -> Result<Value, FoldError> {
    let bits = ty.int_bits().unwrap_or(64) as i128;
    let n = |v: i128| Value::Int(normalize(ty, v));
    Ok(match op {
        BinOp::Add => n(x + y),
        BinOp::Sub => n(x - y),
        BinOp::Mul => n(x.wrapping_mul(y)),
        BinOp::Div | BinOp::Rem => {
            if y == 0 {
                return Err(FoldError::DivisionByZero);
            }
            if op == BinOp::Div && ty.is_signed() && y == -1 && !in_range(ty, -x) {
                return Err(FoldError::Overflow);
            }
            // Rust's `/` and `%` truncate toward zero, as Wasm's do.
            if op == BinOp::Div { n(x / y) } else { n(x % y) }
        }
        BinOp::BitAnd => n(x & y),
        BinOp::BitOr => n(x | y),
        BinOp::BitXor => n(x ^ y),
        BinOp::Shl => n(x << (y.rem_euclid(bits))),
        // Values are normalised (non-negative for unsigned types), so `>>`
        // is arithmetic for signed and logical for unsigned, as intended.
        BinOp::Shr => n(x >> y.rem_euclid(bits)),
        BinOp::Eq => Value::Bool(x == y),
        BinOp::Ne => Value::Bool(x != y),
        BinOp::Lt => Value::Bool(x < y),
        BinOp::Le => Value::Bool(x <= y),
        BinOp::Gt => Value::Bool(x > y),
        BinOp::Ge => Value::Bool(x >= y),
        BinOp::And | BinOp::Or => return Err(FoldError::Overflow),
    })
}

fn float_binary(op: BinOp, x: f64, y: f64) -> Option<Value> {
    use Value::*;
    Some(match op {
        BinOp::Add => F64(x + y),
        BinOp::Sub => F64(x - y),
        BinOp::Mul => F64(x * y),
        BinOp::Div => F64(x / y),
        BinOp::Rem => F64(x % y),
        BinOp::Eq => Bool(x == y),
        BinOp::Ne => Bool(x != y),
        BinOp::Lt => Bool(x < y),
        BinOp::Le => Bool(x <= y),
        BinOp::Gt => Bool(x > y),
        BinOp::Ge => Bool(x >= y),
        _ => return None,
    })
}

/// `v as to`. Float to integer saturates (NaN
/// becomes 0), as Rust's `as` does; integers wrap.
pub fn cast(to: &Ty, v: &Value) -> Option<Value> {
    Some(match (v, to) {
        (Value::Int(i), t) if t.is_integer() => Value::Int(normalize(t, *i)),
        (Value::Int(i), Ty::F32) => Value::F32(*i as f32),
        (Value::Int(i), Ty::F64) => Value::F64(*i as f64),
        (Value::Int(i), Ty::Bool) => Value::Bool(*i != 0),
        (Value::Bool(b), t) if t.is_integer() => Value::Int(*b as i128),
        (Value::Bool(b), Ty::F32) => Value::F32(*b as u8 as f32),
        (Value::Bool(b), Ty::F64) => Value::F64(*b as u8 as f64),
        (Value::Bool(b), Ty::Bool) => Value::Bool(*b),
        (Value::F32(f), t) => return cast_float(*f as f64, t),
        (Value::F64(f), t) => return cast_float(*f, t),
        _ => return None,
    })
}

fn cast_float(f: f64, to: &Ty) -> Option<Value> {
    Some(match to {
        Ty::F32 => Value::F32(f as f32),
        Ty::F64 => Value::F64(f),
        Ty::Bool => Value::Bool(f != 0.0),
        t if t.is_integer() => {
            let bits = t.int_bits().unwrap_or(64);
            let (lo, hi) = if t.is_signed() {
                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            } else {
                (0, (1i128 << bits) - 1)
            };
            let v = if f.is_nan() {
                0
            } else {
                (f.trunc().clamp(lo as f64, hi as f64)) as i128
            };
            Value::Int(v.clamp(lo, hi))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_narrow_types() {
        assert_eq!(normalize(&Ty::U8, 255 << 2), 252);
        assert_eq!(normalize(&Ty::I8, -1 << 2), -4);
        assert_eq!(normalize(&Ty::I32, 0xFFFF_FFFF), -1);
        assert_eq!(normalize(&Ty::U32, -1), 0xFFFF_FFFF);
        assert!(fits_width(&Ty::I32, 0xFFFF_FFFF));
        assert!(!fits_width(&Ty::U8, 256));
    }

    #[test]
    fn division() {
        let i = |v| Value::Int(v);
        assert_eq!(
            binary(BinOp::Div, &Ty::I32, &i(7), &i(0)),
            Err(FoldError::DivisionByZero)
        );
        assert_eq!(binary(BinOp::Div, &Ty::I32, &i(-7), &i(2)), Ok(Some(i(-3))));
        assert_eq!(binary(BinOp::Rem, &Ty::I32, &i(-7), &i(2)), Ok(Some(i(-1))));
        assert_eq!(
            binary(BinOp::Div, &Ty::I32, &i(i32::MIN as i128), &i(-1)),
            Err(FoldError::Overflow)
        );
    }

    #[test]
    fn shifts_use_modulo_width() {
        let i = |v| Value::Int(v);
        assert_eq!(binary(BinOp::Shl, &Ty::U32, &i(1), &i(33)), Ok(Some(i(2))));
        assert_eq!(binary(BinOp::Shr, &Ty::I32, &i(-8), &i(1)), Ok(Some(i(-4))));
        assert_eq!(
            binary(BinOp::Shr, &Ty::U32, &i(0xFFFF_FFF8), &i(1)),
            Ok(Some(i(0x7FFF_FFFC)))
        );
    }

    #[test]
    fn casts() {
        assert_eq!(cast(&Ty::U8, &Value::F64(300.7)), Some(Value::Int(255)));
        assert_eq!(cast(&Ty::I32, &Value::F64(f64::NAN)), Some(Value::Int(0)));
        assert_eq!(cast(&Ty::U8, &Value::Int(300)), Some(Value::Int(44)));
        assert_eq!(cast(&Ty::Bool, &Value::Int(2)), Some(Value::Bool(true)));
    }
}
