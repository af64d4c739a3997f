//! Probes that only count, recognised in the monitor's code: a function
//! whose one effect is `place += k`, where the place is a global or a
//! memory cell at a constant address or at a parameter plus a constant
//! (a per-site counter in the block `$alloc` returned). Calling it `n`
//! times is adding `n * k` once, so the engine can count once per basic
//! block, as the rewriting target does; the monitor gains an "adder"
//! (`place += n`) for that. This is how Wizard's JIT treats its counting
//! probes, done on the monitor's Wasm.
//!
//! The analysis is a small symbolic run of the body: straight-line code,
//! constants, parameters, locals, one global or memory read-modify-write.
//! Anything else is not a counter, and the probe is called as usual.

use crate::module_info::ModuleInfo;
use wasm_encoder::{Function, Instruction as I, MemArg, ValType};
use wasmparser::{BlockType, Operator};

/// Where a counter lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Global(u32),
    /// `memory[param + offset]` (or `memory[offset]`).
    Memory {
        memory: u32,
        param: Option<u32>,
        offset: u64,
    },
}

/// A counting probe function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counter {
    pub place: Place,
    /// What one call adds.
    pub delta: i64,
    /// An i64 counter (else i32).
    pub wide: bool,
}

/// A symbolic value of the body.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sym {
    /// `param + k` (`k` alone without a parameter); `wide` for i64.
    Lin {
        param: Option<u32>,
        k: i64,
        wide: bool,
    },
    /// The value `place` had on entry, plus `delta`.
    Cell {
        place: Place,
        delta: i64,
        wide: bool,
    },
}

/// The counter `f` is, if it is one.
pub fn counter(m: &ModuleInfo<'_>, f: u32) -> Option<Counter> {
    let k = f.checked_sub(m.funcs.imported)?;
    let body = m.bodies.get(k as usize)?;
    let (params, results) = m.func_sig(f)?;
    if !results.is_empty() {
        return None;
    }
    let mut locals: Vec<Option<Sym>> = vec![None; params.len()];
    for pair in body.get_locals_reader().ok()? {
        let (n, t) = pair.ok()?;
        let zero = match t {
            wasmparser::ValType::I32 => Some(Sym::Lin {
                param: None,
                k: 0,
                wide: false,
            }),
            wasmparser::ValType::I64 => Some(Sym::Lin {
                param: None,
                k: 0,
                wide: true,
            }),
            _ => None,
        };
        locals.extend(std::iter::repeat_n(zero, n as usize));
    }
    let nparams = params.len() as u32;
    let mut stack: Vec<Sym> = Vec::new();
    let mut effect: Option<Counter> = None;
    let mut depth = 0u32;
    let mut reader = body.get_operators_reader().ok()?;
    let mut done = false;
    while !reader.eof() {
        let op = reader.read().ok()?;
        if done {
            return None;
        }
        match op {
            Operator::Nop => {}
            Operator::Block {
                blockty: BlockType::Empty,
            } => depth += 1,
            Operator::End if depth > 0 => depth -= 1,
            Operator::End | Operator::Return if stack.is_empty() => done = true,
            Operator::I32Const { value } => stack.push(Sym::Lin {
                param: None,
                k: value as i64,
                wide: false,
            }),
            Operator::I64Const { value } => stack.push(Sym::Lin {
                param: None,
                k: value,
                wide: true,
            }),
            Operator::LocalGet { local_index } if local_index < nparams => {
                let wide = match params[local_index as usize] {
                    wasmparser::ValType::I32 => false,
                    wasmparser::ValType::I64 => true,
                    _ => return None,
                };
                stack.push(Sym::Lin {
                    param: Some(local_index),
                    k: 0,
                    wide,
                });
            }
            Operator::LocalGet { local_index } => stack.push((*locals.get(local_index as usize)?)?),
            Operator::LocalSet { local_index } | Operator::LocalTee { local_index }
                if local_index >= nparams =>
            {
                let v = stack.pop()?;
                *locals.get_mut(local_index as usize)? = Some(v);
                if matches!(op, Operator::LocalTee { .. }) {
                    stack.push(v);
                }
            }
            Operator::GlobalGet { global_index } => {
                let wide = match m.global_types.get(global_index as usize)?.content_type {
                    wasmparser::ValType::I32 => false,
                    wasmparser::ValType::I64 => true,
                    _ => return None,
                };
                stack.push(Sym::Cell {
                    place: Place::Global(global_index),
                    delta: 0,
                    wide,
                });
            }
            Operator::I32Add | Operator::I64Add | Operator::I32Sub | Operator::I64Sub => {
                let wide = matches!(op, Operator::I64Add | Operator::I64Sub);
                let sub = matches!(op, Operator::I32Sub | Operator::I64Sub);
                let b = stack.pop()?;
                let a = stack.pop()?;
                stack.push(add(a, b, sub, wide)?);
            }
            Operator::I32Load { memarg } | Operator::I64Load { memarg } => {
                let wide = matches!(op, Operator::I64Load { .. });
                let place = cell_at(stack.pop()?, memarg)?;
                stack.push(Sym::Cell {
                    place,
                    delta: 0,
                    wide,
                });
            }
            Operator::I32Store { memarg } | Operator::I64Store { memarg } => {
                let wide = matches!(op, Operator::I64Store { .. });
                let value = stack.pop()?;
                let place = cell_at(stack.pop()?, memarg)?;
                effect = Some(store(effect, place, value, wide)?);
            }
            Operator::GlobalSet { global_index } => {
                let value = stack.pop()?;
                let Sym::Cell { wide, .. } = value else {
                    return None;
                };
                effect = Some(store(effect, Place::Global(global_index), value, wide)?);
            }
            _ => return None,
        }
    }
    effect.filter(|c| c.delta != 0 && done)
}

fn add(a: Sym, b: Sym, sub: bool, wide: bool) -> Option<Sym> {
    let sign = if sub { -1 } else { 1 };
    let same = |w: bool| (w == wide).then_some(());
    match (a, b) {
        (
            Sym::Lin {
                param: pa,
                k: ka,
                wide: wa,
            },
            Sym::Lin {
                param: None,
                k: kb,
                wide: wb,
            },
        ) => {
            same(wa)?;
            same(wb)?;
            Some(Sym::Lin {
                param: pa,
                k: ka.wrapping_add(sign * kb),
                wide,
            })
        }
        (
            Sym::Lin {
                param: None,
                k: ka,
                wide: wa,
            },
            Sym::Lin {
                param: Some(p),
                k: kb,
                wide: wb,
            },
        ) if !sub => {
            same(wa)?;
            same(wb)?;
            Some(Sym::Lin {
                param: Some(p),
                k: ka.wrapping_add(kb),
                wide,
            })
        }
        (
            Sym::Cell {
                place,
                delta,
                wide: wa,
            },
            Sym::Lin {
                param: None,
                k,
                wide: wb,
            },
        ) => {
            same(wa)?;
            same(wb)?;
            Some(Sym::Cell {
                place,
                delta: delta.wrapping_add(sign * k),
                wide,
            })
        }
        (
            Sym::Lin {
                param: None,
                k,
                wide: wa,
            },
            Sym::Cell {
                place,
                delta,
                wide: wb,
            },
        ) if !sub => {
            same(wa)?;
            same(wb)?;
            Some(Sym::Cell {
                place,
                delta: delta.wrapping_add(k),
                wide,
            })
        }
        _ => None,
    }
}

/// The memory cell an i32 address names.
fn cell_at(addr: Sym, memarg: wasmparser::MemArg) -> Option<Place> {
    let Sym::Lin {
        param,
        k,
        wide: false,
    } = addr
    else {
        return None;
    };
    let offset = u64::try_from(k).ok()?.checked_add(memarg.offset)?;
    Some(Place::Memory {
        memory: memarg.memory,
        param,
        offset,
    })
}

/// The one effect: `place = place + delta`.
fn store(before: Option<Counter>, place: Place, value: Sym, wide: bool) -> Option<Counter> {
    if before.is_some() {
        return None;
    }
    match value {
        Sym::Cell {
            place: read,
            delta,
            wide: w,
        } if read == place && w == wide => Some(Counter { place, delta, wide }),
        _ => None,
    }
}

/// The adder of `c`: `(param?, n)`: `place += n`; its parameter types and
/// body. `param_ty` is the address parameter's type (i32).
pub fn adder(c: &Counter) -> (Vec<ValType>, Function) {
    let n_ty = if c.wide { ValType::I64 } else { ValType::I32 };
    type Access = fn(MemArg) -> I<'static>;
    let (add, load, store): (I<'static>, Access, Access) = if c.wide {
        (I::I64Add, I::I64Load, I::I64Store)
    } else {
        (I::I32Add, I::I32Load, I::I32Store)
    };
    let mut f = Function::new([]);
    match c.place {
        Place::Global(g) => {
            f.instruction(&I::GlobalGet(g));
            f.instruction(&I::LocalGet(0));
            f.instruction(&add);
            f.instruction(&I::GlobalSet(g));
            f.instruction(&I::End);
            (vec![n_ty], f)
        }
        Place::Memory {
            memory,
            param,
            offset,
        } => {
            let arg = MemArg {
                offset,
                align: if c.wide { 3 } else { 2 },
                memory_index: memory,
            };
            let (base, n, params) = match param {
                Some(_) => (I::LocalGet(0), 1, vec![ValType::I32, n_ty]),
                None => (I::I32Const(0), 0, vec![n_ty]),
            };
            f.instruction(&base);
            f.instruction(&base);
            f.instruction(&load(arg));
            f.instruction(&I::LocalGet(n));
            f.instruction(&add);
            f.instruction(&store(arg));
            f.instruction(&I::End);
            (params, f)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_export_counter(wat: &str) -> Option<Counter> {
        let bytes = wat::parse_str(wat).unwrap();
        let m = ModuleInfo::parse(&bytes).unwrap();
        let f = m.exports.iter().find(|e| e.0 == "p").unwrap().2;
        counter(&m, f)
    }

    #[test]
    fn global_and_memory_counters_are_recognised() {
        let g = first_export_counter(
            r#"(module (global $g (mut i64) (i64.const 0))
                (func (export "p") (block (global.set $g (i64.add (global.get $g) (i64.const 1))))))"#,
        );
        assert_eq!(
            g,
            Some(Counter {
                place: Place::Global(0),
                delta: 1,
                wide: true
            })
        );
        // The rewriter's per-site form: block + 8, through a local.
        let m = first_export_counter(
            r#"(module (memory 1)
                (func (export "p") (param i32) (local i64)
                  (local.set 1 (i64.add (i64.load (i32.add (i32.const 8) (local.get 0))) (i64.const 1)))
                  (i64.store (i32.add (i32.const 8) (local.get 0)) (local.get 1))))"#,
        );
        assert_eq!(
            m,
            Some(Counter {
                place: Place::Memory {
                    memory: 0,
                    param: Some(0),
                    offset: 8
                },
                delta: 1,
                wide: true
            })
        );
        // A decrement at a constant address, with the offset in the memarg.
        let d = first_export_counter(
            r#"(module (memory 1)
                (func (export "p")
                  (i32.store offset=4 (i32.const 16) (i32.sub (i32.load offset=4 (i32.const 16)) (i32.const 2)))))"#,
        );
        assert_eq!(
            d,
            Some(Counter {
                place: Place::Memory {
                    memory: 0,
                    param: None,
                    offset: 20
                },
                delta: -2,
                wide: false
            })
        );
    }

    #[test]
    fn anything_else_is_not_a_counter() {
        for body in [
            // reads a dynamic value
            "(param i32) (global.set $g (i32.add (global.get $g) (local.get 0)))",
            // two effects
            "(global.set $g (i32.add (global.get $g) (i32.const 1))) (global.set $g (i32.add (global.get $g) (i32.const 1)))",
            // stores another cell's value
            "(global.set $g (i32.add (global.get $h) (i32.const 1)))",
            // a call
            "(call $f) (global.set $g (i32.add (global.get $g) (i32.const 1)))",
            // a branch
            "(block (br_if 0 (i32.const 1)) (global.set $g (i32.add (global.get $g) (i32.const 1))))",
            // adds nothing
            "(global.set $g (i32.add (global.get $g) (i32.const 0)))",
        ] {
            let wat = format!(
                r#"(module (global $g (mut i32) (i32.const 0)) (global $h (mut i32) (i32.const 0))
                    (func $f) (func (export "p") {body}))"#
            );
            assert_eq!(first_export_counter(&wat), None, "{body}");
        }
    }
}
