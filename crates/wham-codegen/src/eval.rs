//! Evaluation of what is known before the program runs: constants, the
//! static facts of a match site (`fid`, `imm0`, `fname`, ...) and anything
//! computed only from them. This is how predicates fold per site and why
//! a probe body carries no work that could be done at instrumentation time.

use wham_events::{Ty, ValueKind};
use wham_lang::ast::BinOp;
use wham_lang::check::fold;
use wham_lang::check::hir::{TExpr, TExprKind, Value, VarRef};

/// What a match site knows statically.
pub trait StaticFacts {
    /// A static bound variable (`fid`, `pc`, `imm0`, `fname`, `offset`).
    fn static_value(&self, name: &str, index: Option<u32>) -> Option<Value>;
    /// A static compiler function at this site (`page_size(0)`).
    fn static_call(&self, name: &str, args: &[Value]) -> Option<Value>;
    /// The memory holding the app's strings (`strcmp`, `strcontains`).
    fn app_memory(&self) -> Option<u32> {
        None
    }
    /// Where the app's memory is reachable only through the host (a
    /// monitor module): the functions that read it.
    fn app_memory_host(&self) -> Option<AppMemoryHost> {
        None
    }
    /// `@static lib.func(args)`, evaluated when instrumenting; the result
    /// as a value of type `ty`. `at` identifies the call in the script so
    /// each call runs once per site however often it is folded.
    fn lib_call(&self, lib: &str, func: &str, args: &[Value], ty: &Ty, at: usize) -> Option<Value> {
        let _ = (lib, func, args, ty, at);
        None
    }
}

/// `memid(whamm_core)` in a monitor: the monitor's own memory, which the
/// app's memory indices (what every other index means there) cannot name.
pub const MONITOR_MEMORY: u32 = u32::MAX;

/// Host functions a monitor reads the app's memory with: `size(mem) ->
/// pages` and `read(addr, len, mem) -> ptr`, a copy of the bytes in
/// instrumentation memory (the monitor never sees the app's memory
/// itself).
#[derive(Clone, Copy, Debug)]
pub struct AppMemoryHost {
    pub size: u32,
    pub read: u32,
}

/// The value of `e` if it is known statically at this site.
pub fn eval(e: &TExpr, facts: &dyn StaticFacts) -> Option<Value> {
    match &e.kind {
        TExprKind::Const(v) => Some(v.clone()),
        TExprKind::Var(VarRef::Bound {
            name,
            kind: ValueKind::Static,
            index,
        }) => facts.static_value(name, *index),
        TExprKind::Var(_) => None,
        // An entry of a static map the event binds (`targets[0]`).
        TExprKind::Index { map, key } => match &map.kind {
            TExprKind::Var(VarRef::Bound {
                name,
                kind: ValueKind::Static,
                ..
            }) => match eval(key, facts)? {
                Value::Int(k) => facts.static_value(name, Some(u32::try_from(k).ok()?)),
                _ => None,
            },
            _ => None,
        },
        TExprKind::Tuple(items) => items
            .iter()
            .map(|i| eval(i, facts))
            .collect::<Option<Vec<_>>>()
            .map(Value::Tuple),
        TExprKind::Unary { op, expr } => fold::unary(*op, &e.ty, &eval(expr, facts)?),
        TExprKind::Binary { op, lhs, rhs } => binary(*op, lhs, rhs, facts),
        TExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => match eval(cond, facts)? {
            Value::Bool(true) => eval(then, facts),
            Value::Bool(false) => eval(otherwise, facts),
            _ => None,
        },
        TExprKind::Cast { expr } => fold::cast(&e.ty, &eval(expr, facts)?),
        TExprKind::Builtin {
            name,
            kind: ValueKind::Static,
            args,
        } => {
            let args = args
                .iter()
                .map(|a| eval(a, facts))
                .collect::<Option<Vec<_>>>()?;
            facts.static_call(name, &args)
        }
        TExprKind::LibCall {
            lib,
            func,
            args,
            is_static: true,
        } => {
            let args = args
                .iter()
                .map(|a| eval(a, facts))
                .collect::<Option<Vec<_>>>()?;
            facts.lib_call(lib, func, &args, &e.ty, e.span.start as usize)
        }
        TExprKind::StrMethod { recv, method, args } => {
            let Value::Str(s) = eval(recv, facts)? else {
                return None;
            };
            let arg = match args.first() {
                Some(a) => match eval(a, facts)? {
                    Value::Str(x) => Some(x),
                    _ => return None,
                },
                None => None,
            };
            str_method(&s, method, arg.as_deref())
        }
        TExprKind::Field { base, index } => match eval(base, facts)? {
            Value::Tuple(vs) => vs.get(*index as usize).cloned(),
            _ => None,
        },
        _ => None,
    }
}

/// Built-ins that change state when they run.
const EFFECTFUL_BUILTINS: &[&str] = &[
    "memcpy",
    "write_str",
    "dup_at",
    "drop_args",
    "alt_call_by_id",
    "alt_call_by_name",
];

/// Whether evaluating `e` has no effect but its value.
fn is_pure(e: &TExpr) -> bool {
    let mut pure = true;
    crate::uses::walk(Some(e), &[], &mut |n| {
        if let crate::uses::Node::Expr(x) = n {
            match &x.kind {
                TExprKind::Call { .. } => pure = false,
                TExprKind::LibCall { is_static, .. } if !is_static => pure = false,
                TExprKind::Builtin { name, .. } if EFFECTFUL_BUILTINS.contains(&name.as_str()) => {
                    pure = false
                }
                _ => {}
            }
        }
    });
    pure
}

/// Whether `e` is a known boolean.
pub fn eval_bool(e: &TExpr, facts: &dyn StaticFacts) -> Option<bool> {
    match eval(e, facts)? {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

fn binary(op: BinOp, lhs: &TExpr, rhs: &TExpr, facts: &dyn StaticFacts) -> Option<Value> {
    // `&&` and `||` decide on one known side alone.
    match op {
        BinOp::And | BinOp::Or => {
            let stop = op == BinOp::Or;
            let l = eval_bool(lhs, facts);
            if l == Some(stop) {
                return Some(Value::Bool(stop));
            }
            let r = eval_bool(rhs, facts);
            // A known right side decides too when skipping the left one
            // cannot skip an effect (`addr == 0 && @static lib.f(pc)`).
            if r == Some(stop) && (l.is_some() || is_pure(lhs)) {
                return Some(Value::Bool(stop));
            }
            return Some(Value::Bool(if stop { l? || r? } else { l? && r? }));
        }
        _ => {}
    }
    let (a, b) = (eval(lhs, facts)?, eval(rhs, facts)?);
    match (&a, &b, op) {
        (Value::Str(_), Value::Str(_), BinOp::Eq)
        | (Value::Tuple(_), Value::Tuple(_), BinOp::Eq) => Some(Value::Bool(a == b)),
        (Value::Str(_), Value::Str(_), BinOp::Ne)
        | (Value::Tuple(_), Value::Tuple(_), BinOp::Ne) => Some(Value::Bool(a != b)),
        _ => {
            let ty: &Ty = &lhs.ty;
            fold::binary(op, ty, &a, &b).ok().flatten()
        }
    }
}

pub fn str_method(s: &[u8], method: &str, arg: Option<&[u8]>) -> Option<Value> {
    Some(match (method, arg) {
        ("len", None) => Value::Int(s.len() as i128),
        ("starts_with", Some(a)) => Value::Bool(s.starts_with(a)),
        ("ends_with", Some(a)) => Value::Bool(s.ends_with(a)),
        ("contains", Some(a)) => Value::Bool(a.is_empty() || s.windows(a.len()).any(|w| w == a)),
        _ => return None,
    })
}

/// No static facts: for code outside any site (functions, global init).
pub struct NoFacts;

impl StaticFacts for NoFacts {
    fn static_value(&self, _: &str, _: Option<u32>) -> Option<Value> {
        None
    }
    fn static_call(&self, _: &str, _: &[Value]) -> Option<Value> {
        None
    }
}
