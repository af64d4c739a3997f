//! Which dynamic event values a probe reads or writes, so site glue only
//! saves the operands and results a probe actually needs.

use std::collections::BTreeSet;
use wham_events::ValueKind;
use wham_lang::check::hir::{Place, TExpr, TExprKind, TStmt, VarRef};

/// Names of dynamic bound variables (`arg1`, `res0`, `effective_addr`).
pub fn dynamic_uses(predicate: Option<&TExpr>, body: &[TStmt]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(p) = predicate {
        expr(p, &mut out);
    }
    stmts(body, &mut out);
    out
}

fn var(v: &VarRef, out: &mut BTreeSet<String>) {
    if let VarRef::Bound {
        name,
        kind: ValueKind::Dynamic,
        ..
    } = v
    {
        out.insert(name.clone());
    }
}

fn place(p: &Place, out: &mut BTreeSet<String>) {
    match p {
        Place::Var(v) | Place::Field { var: v, .. } => var(v, out),
        Place::MapElem { map, key } => {
            var(map, out);
            expr(key, out);
        }
    }
}

fn stmts(ss: &[TStmt], out: &mut BTreeSet<String>) {
    for s in ss {
        match s {
            TStmt::Let { value, .. } => {
                if let Some(v) = value {
                    expr(v, out);
                }
            }
            TStmt::Assign {
                place: p, value, ..
            } => {
                place(p, out);
                expr(value, out);
            }
            TStmt::Incr { place: p, .. } => place(p, out),
            TStmt::Expr(e) | TStmt::Init(e) => expr(e, out),
            TStmt::Return(v, _) => {
                if let Some(v) = v {
                    expr(v, out);
                }
            }
            TStmt::If {
                branches,
                otherwise,
            } => {
                for (c, b) in branches {
                    expr(c, out);
                    stmts(b, out);
                }
                stmts(otherwise, out);
            }
        }
    }
}

fn expr(e: &TExpr, out: &mut BTreeSet<String>) {
    match &e.kind {
        TExprKind::Const(_) => {}
        TExprKind::Var(v) => var(v, out),
        TExprKind::Tuple(items) => items.iter().for_each(|i| expr(i, out)),
        TExprKind::Unary { expr: x, .. } | TExprKind::Cast { expr: x } => expr(x, out),
        TExprKind::Binary { lhs, rhs, .. } => {
            expr(lhs, out);
            expr(rhs, out);
        }
        TExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            expr(cond, out);
            expr(then, out);
            expr(otherwise, out);
        }
        TExprKind::Call { args, .. }
        | TExprKind::Builtin { args, .. }
        | TExprKind::LibCall { args, .. } => args.iter().for_each(|a| expr(a, out)),
        TExprKind::StrMethod { recv, args, .. } => {
            expr(recv, out);
            args.iter().for_each(|a| expr(a, out));
        }
        TExprKind::Index { map, key } => {
            expr(map, out);
            expr(key, out);
        }
        TExprKind::Field { base, .. } => expr(base, out),
    }
}

/// Every library call in the code: (library, function, is `@static`, span).
pub fn lib_calls(
    predicate: Option<&TExpr>,
    body: &[TStmt],
    out: &mut Vec<(String, String, bool, wham_lang::span::Span)>,
) {
    fn e(x: &TExpr, out: &mut Vec<(String, String, bool, wham_lang::span::Span)>) {
        if let TExprKind::LibCall {
            lib,
            func,
            is_static,
            ..
        } = &x.kind
        {
            out.push((lib.clone(), func.clone(), *is_static, x.span));
        }
        match &x.kind {
            TExprKind::Tuple(items) => items.iter().for_each(|i| e(i, out)),
            TExprKind::Unary { expr, .. } | TExprKind::Cast { expr } => e(expr, out),
            TExprKind::Binary { lhs, rhs, .. } => {
                e(lhs, out);
                e(rhs, out);
            }
            TExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                e(cond, out);
                e(then, out);
                e(otherwise, out);
            }
            TExprKind::Call { args, .. }
            | TExprKind::Builtin { args, .. }
            | TExprKind::LibCall { args, .. } => args.iter().for_each(|a| e(a, out)),
            TExprKind::StrMethod { recv, args, .. } => {
                e(recv, out);
                args.iter().for_each(|a| e(a, out));
            }
            TExprKind::Index { map, key } => {
                e(map, out);
                e(key, out);
            }
            TExprKind::Field { base, .. } => e(base, out),
            TExprKind::Const(_) | TExprKind::Var(_) => {}
        }
    }
    fn s(ss: &[TStmt], out: &mut Vec<(String, String, bool, wham_lang::span::Span)>) {
        for st in ss {
            match st {
                TStmt::Let { value, .. } => {
                    if let Some(v) = value {
                        e(v, out)
                    }
                }
                TStmt::Assign { place, value, .. } => {
                    if let Place::MapElem { key, .. } = place {
                        e(key, out);
                    }
                    e(value, out);
                }
                TStmt::Incr { place, .. } => {
                    if let Place::MapElem { key, .. } = place {
                        e(key, out);
                    }
                }
                TStmt::Expr(x) | TStmt::Init(x) => e(x, out),
                TStmt::Return(v, _) => {
                    if let Some(v) = v {
                        e(v, out)
                    }
                }
                TStmt::If {
                    branches,
                    otherwise,
                } => {
                    for (c, b) in branches {
                        e(c, out);
                        s(b, out);
                    }
                    s(otherwise, out);
                }
            }
        }
    }
    if let Some(p) = predicate {
        e(p, out);
    }
    s(body, out);
}

/// Globals the code reads or writes (any mention).
pub fn globals_mentioned(predicate: Option<&TExpr>, body: &[TStmt], out: &mut BTreeSet<usize>) {
    fn v(r: &VarRef, out: &mut BTreeSet<usize>) {
        if let VarRef::Global(g) = r {
            out.insert(*g);
        }
    }
    fn e(x: &TExpr, out: &mut BTreeSet<usize>) {
        match &x.kind {
            TExprKind::Var(r) => v(r, out),
            TExprKind::Const(_) => {}
            TExprKind::Tuple(items) => items.iter().for_each(|i| e(i, out)),
            TExprKind::Unary { expr, .. } | TExprKind::Cast { expr } => e(expr, out),
            TExprKind::Binary { lhs, rhs, .. } => {
                e(lhs, out);
                e(rhs, out);
            }
            TExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                e(cond, out);
                e(then, out);
                e(otherwise, out);
            }
            TExprKind::Call { args, .. }
            | TExprKind::Builtin { args, .. }
            | TExprKind::LibCall { args, .. } => args.iter().for_each(|a| e(a, out)),
            TExprKind::StrMethod { recv, args, .. } => {
                e(recv, out);
                args.iter().for_each(|a| e(a, out));
            }
            TExprKind::Index { map, key } => {
                e(map, out);
                e(key, out);
            }
            TExprKind::Field { base, .. } => e(base, out),
        }
    }
    fn p(pl: &Place, out: &mut BTreeSet<usize>) {
        match pl {
            Place::Var(r) | Place::Field { var: r, .. } => v(r, out),
            Place::MapElem { map, key } => {
                v(map, out);
                e(key, out);
            }
        }
    }
    fn s(ss: &[TStmt], out: &mut BTreeSet<usize>) {
        for st in ss {
            match st {
                TStmt::Let { value, .. } => {
                    if let Some(x) = value {
                        e(x, out)
                    }
                }
                TStmt::Assign { place, value, .. } => {
                    p(place, out);
                    e(value, out);
                }
                TStmt::Incr { place, .. } => p(place, out),
                TStmt::Expr(x) | TStmt::Init(x) => e(x, out),
                TStmt::Return(x, _) => {
                    if let Some(x) = x {
                        e(x, out)
                    }
                }
                TStmt::If {
                    branches,
                    otherwise,
                } => {
                    for (c, b) in branches {
                        e(c, out);
                        s(b, out);
                    }
                    s(otherwise, out);
                }
            }
        }
    }
    if let Some(x) = predicate {
        e(x, out);
    }
    s(body, out);
}
