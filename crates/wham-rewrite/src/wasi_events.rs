//! `wasi:call:<function>:<mode>` probes are `call` probes on the sites
//! that call that WASI import: the event becomes the `call` instruction's,
//! a static predicate picks the import, and parameters read by name
//! (`fd`) become the `argN` they are (`errno`: `res0`). Both targets weave them like any
//! `call` probe. Calls through tables (`call_indirect`) are not seen.

use wham_codegen::uses::{each_expr_mut, each_stmt_expr_mut};
use wham_events::wasi::{WASI_MODULE, named_value};
use wham_events::{Ty, ValueKind};
use wham_lang::ast::BinOp;
use wham_lang::check::hir::{CheckedScript, TExpr, TExprKind, Value, VarRef};

fn static_var(name: &str, ty: Ty, span: wham_lang::span::Span) -> TExpr {
    TExpr {
        kind: TExprKind::Var(VarRef::Bound {
            name: name.into(),
            kind: ValueKind::Static,
            index: None,
        }),
        ty,
        span,
    }
}

fn eq_str(lhs: TExpr, text: &str) -> TExpr {
    let span = lhs.span;
    TExpr {
        kind: TExprKind::Binary {
            op: BinOp::Eq,
            lhs: Box::new(lhs),
            rhs: Box::new(TExpr {
                kind: TExprKind::Const(Value::Str(text.as_bytes().to_vec())),
                ty: Ty::Str,
                span,
            }),
        },
        ty: Ty::Bool,
        span,
    }
}

fn and(lhs: TExpr, rhs: TExpr) -> TExpr {
    let span = lhs.span;
    TExpr {
        kind: TExprKind::Binary {
            op: BinOp::And,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
        ty: Ty::Bool,
        span,
    }
}

/// The script with its `wasi:` probes as `call` probes (unchanged when it
/// has none).
pub fn lower<'c>(script: &CheckedScript<'c>) -> CheckedScript<'c> {
    let mut out = script.clone();
    for p in &mut out.probes {
        if p.event.provider.name != "wasi" {
            continue;
        }
        let Some(function) = p.event.event.map(|e| e.name.clone()) else {
            continue;
        };
        let mode = p.event.mode.map_or("before", |m| m.name);
        let Ok(matched) = wham_events::catalog().match_rule(&[
            Some("wasm"),
            Some("opcode"),
            Some("call"),
            Some(mode),
        ]) else {
            continue;
        };
        let Some(call) = matched.first() else {
            continue;
        };
        p.written_rule = Some(p.event.rule_name());
        p.event = *call;
        // Parameters by name are the argN they are.
        let mut rename = |e: &mut TExpr| {
            if let TExprKind::Var(VarRef::Bound { name, index, .. }) = &mut e.kind
                && let Some((family, n)) = named_value(&function, name)
            {
                *name = format!("{family}{n}");
                *index = Some(n);
            }
            false
        };
        each_stmt_expr_mut(&mut p.body, &mut rename);
        let span = p.span;
        let pick = and(
            eq_str(static_var("target_imp_module", Ty::Str, span), WASI_MODULE),
            eq_str(static_var("target_fn_name", Ty::Str, span), &function),
        );
        p.predicate = Some(match p.predicate.take() {
            Some(mut pr) => {
                each_expr_mut(&mut pr, &mut rename);
                and(pick, pr)
            }
            None => pick,
        });
    }
    out
}
