//! What code mentions: the dynamic event values a probe reads or writes
//! (so site glue saves only the operands and results it needs), the library
//! calls it makes, the globals it touches. One walker over the checked
//! code; small collectors on top.

use std::collections::BTreeSet;
use wham_events::ValueKind;
use wham_lang::check::hir::{Place, TExpr, TExprKind, TStmt, VarRef};
use wham_lang::span::Span;

/// What the walker shows its visitor.
pub enum Node<'a> {
    Expr(&'a TExpr),
    /// A variable mentioned as a place or a value.
    Var(&'a VarRef),
}

/// Visit every expression (outermost first) and variable in `predicate`
/// and `body`.
pub fn walk<'a>(predicate: Option<&'a TExpr>, body: &'a [TStmt], visit: &mut dyn FnMut(Node<'a>)) {
    if let Some(p) = predicate {
        expr(p, visit);
    }
    stmts(body, visit);
}

fn place<'a>(p: &'a Place, visit: &mut dyn FnMut(Node<'a>)) {
    match p {
        Place::Var(v) | Place::Field { var: v, .. } => visit(Node::Var(v)),
        Place::MapElem { map, key } => {
            visit(Node::Var(map));
            expr(key, visit);
        }
    }
}

fn stmts<'a>(ss: &'a [TStmt], visit: &mut dyn FnMut(Node<'a>)) {
    for s in ss {
        match s {
            TStmt::Let { value, .. } => {
                if let Some(v) = value {
                    expr(v, visit);
                }
            }
            TStmt::Assign {
                place: p, value, ..
            } => {
                place(p, visit);
                expr(value, visit);
            }
            TStmt::Incr { place: p, .. } => place(p, visit),
            TStmt::Expr(e) | TStmt::Init(e) => expr(e, visit),
            TStmt::Return(v, _) => {
                if let Some(v) = v {
                    expr(v, visit);
                }
            }
            TStmt::If {
                branches,
                otherwise,
            } => {
                for (c, b) in branches {
                    expr(c, visit);
                    stmts(b, visit);
                }
                stmts(otherwise, visit);
            }
        }
    }
}

fn expr<'a>(e: &'a TExpr, visit: &mut dyn FnMut(Node<'a>)) {
    visit(Node::Expr(e));
    match &e.kind {
        TExprKind::Const(_) => {}
        TExprKind::Var(v) => visit(Node::Var(v)),
        TExprKind::Tuple(items) => items.iter().for_each(|i| expr(i, visit)),
        TExprKind::Unary { expr: x, .. } | TExprKind::Cast { expr: x } => expr(x, visit),
        TExprKind::Binary { lhs, rhs, .. } => {
            expr(lhs, visit);
            expr(rhs, visit);
        }
        TExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            expr(cond, visit);
            expr(then, visit);
            expr(otherwise, visit);
        }
        TExprKind::Call { args, .. }
        | TExprKind::Builtin { args, .. }
        | TExprKind::LibCall { args, .. } => args.iter().for_each(|a| expr(a, visit)),
        TExprKind::StrMethod { recv, args, .. } => {
            expr(recv, visit);
            args.iter().for_each(|a| expr(a, visit));
        }
        TExprKind::Index { map, key } => {
            expr(map, visit);
            expr(key, visit);
        }
        TExprKind::Field { base, .. } => expr(base, visit),
    }
}

/// Visit `e` and its subexpressions, outermost first; `f` returns true
/// when it replaced the node (its children are then left alone).
pub fn each_expr_mut(e: &mut TExpr, f: &mut dyn FnMut(&mut TExpr) -> bool) {
    if f(e) {
        return;
    }
    match &mut e.kind {
        TExprKind::Const(_) | TExprKind::Var(_) => {}
        TExprKind::Tuple(items) => items.iter_mut().for_each(|i| each_expr_mut(i, f)),
        TExprKind::Unary { expr, .. } | TExprKind::Cast { expr } => each_expr_mut(expr, f),
        TExprKind::Binary { lhs, rhs, .. } => {
            each_expr_mut(lhs, f);
            each_expr_mut(rhs, f);
        }
        TExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            each_expr_mut(cond, f);
            each_expr_mut(then, f);
            each_expr_mut(otherwise, f);
        }
        TExprKind::Call { args, .. }
        | TExprKind::Builtin { args, .. }
        | TExprKind::LibCall { args, .. } => args.iter_mut().for_each(|a| each_expr_mut(a, f)),
        TExprKind::StrMethod { recv, args, .. } => {
            each_expr_mut(recv, f);
            args.iter_mut().for_each(|a| each_expr_mut(a, f));
        }
        TExprKind::Index { map, key } => {
            each_expr_mut(map, f);
            each_expr_mut(key, f);
        }
        TExprKind::Field { base, .. } => each_expr_mut(base, f),
    }
}

/// [`each_expr_mut`] over every expression of `body`.
pub fn each_stmt_expr_mut(body: &mut [TStmt], f: &mut dyn FnMut(&mut TExpr) -> bool) {
    for s in body {
        match s {
            TStmt::Let { value, .. } => {
                if let Some(v) = value {
                    each_expr_mut(v, f);
                }
            }
            TStmt::Assign { place, value, .. } => {
                if let Place::MapElem { key, .. } = place {
                    each_expr_mut(key, f);
                }
                each_expr_mut(value, f);
            }
            TStmt::Incr { place, .. } => {
                if let Place::MapElem { key, .. } = place {
                    each_expr_mut(key, f);
                }
            }
            TStmt::Expr(e) | TStmt::Init(e) => each_expr_mut(e, f),
            TStmt::Return(v, _) => {
                if let Some(v) = v {
                    each_expr_mut(v, f);
                }
            }
            TStmt::If {
                branches,
                otherwise,
            } => {
                for (c, b) in branches {
                    each_expr_mut(c, f);
                    each_stmt_expr_mut(b, f);
                }
                each_stmt_expr_mut(otherwise, f);
            }
        }
    }
}

/// Names of dynamic bound variables (`arg1`, `res0`, `effective_addr`).
pub fn dynamic_uses(predicate: Option<&TExpr>, body: &[TStmt]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    walk(predicate, body, &mut |n| {
        if let Node::Var(VarRef::Bound {
            name,
            kind: ValueKind::Dynamic,
            ..
        }) = n
        {
            out.insert(name.clone());
        }
        // `dup_at` reads the site's operands itself; `resolve_funcref`
        // reads the slot map of the site's table.
        if let Node::Expr(TExpr {
            kind: TExprKind::Builtin { name, .. },
            ..
        }) = n
            && (name == "dup_at" || name == "resolve_funcref")
        {
            out.insert(name.clone());
        }
    });
    out
}

/// Every library call in the code: (library, function, is `@static`, span).
pub fn lib_calls(
    predicate: Option<&TExpr>,
    body: &[TStmt],
    out: &mut Vec<(String, String, bool, Span)>,
) {
    walk(predicate, body, &mut |n| {
        if let Node::Expr(TExpr {
            kind:
                TExprKind::LibCall {
                    lib,
                    func,
                    is_static,
                    ..
                },
            span,
            ..
        }) = n
        {
            out.push((lib.clone(), func.clone(), *is_static, *span));
        }
    });
}

/// Globals the code reads or writes (any mention).
pub fn globals_mentioned(predicate: Option<&TExpr>, body: &[TStmt], out: &mut BTreeSet<usize>) {
    walk(predicate, body, &mut |n| {
        if let Node::Var(VarRef::Global(g)) = n {
            out.insert(*g);
        }
    });
}
