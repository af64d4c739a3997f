//! Checking expressions: name resolution, typing (literals take the type
//! their context needs; everything else must match exactly) and folding.

use super::fold::{self, FoldError};
use super::hir::*;
use super::names::suggest;
use super::{BodyKind, Checker};
use crate::ast::{self, BinOp, ExprKind, UnOp};
use crate::diag::Diagnostic;
use crate::span::Span;
use wham_events::{Ty, ValueKind, VarLookup};

const STR_METHODS: &[&str] = &["len", "addr", "starts_with", "ends_with", "contains"];
/// Functions that act on the instruction an `alt` probe replaces.
const ALT_ONLY_FNS: &[&str] = &["drop_args", "alt_call_by_id", "alt_call_by_name"];

pub(super) fn is_str_method(name: &str) -> bool {
    STR_METHODS.contains(&name)
}

/// A literal (or an expression of literals) without a type of its own: it
/// takes the type its context asks for.
fn is_untyped_literal(e: &ast::Expr) -> bool {
    match &e.kind {
        ExprKind::Int { .. } | ExprKind::Float(_) => true,
        ExprKind::Paren(inner) => is_untyped_literal(inner),
        ExprKind::Unary { op, expr } => *op != UnOp::Not && is_untyped_literal(expr),
        ExprKind::Binary { op, lhs, rhs } => {
            !op.is_comparison()
                && !op.is_logical()
                && is_untyped_literal(lhs)
                && is_untyped_literal(rhs)
        }
        ExprKind::Ternary {
            then, otherwise, ..
        } => is_untyped_literal(then) && is_untyped_literal(otherwise),
        _ => false,
    }
}

/// Whether `t` can be computed when a probe is set up at a site, before the
/// program runs (an `unshared`/`report` initialiser, as whamm 2.0.1 allows):
/// the site's static values, globals, earlier per-site scalars
/// (`persistent`), library and user function calls and the compiler's
/// functions except `read_str`; not the probe's temporaries, maps, or the
/// operands of the instruction. `Err` holds the span of what cannot be.
fn setup_time(
    t: &TExpr,
    persistent: &dyn Fn(LocalId) -> bool,
    core_fn: &dyn Fn(&str) -> bool,
) -> Result<(), Span> {
    let again = |e: &TExpr| setup_time(e, persistent, core_fn);
    let not_map = !matches!(t.ty, Ty::Map(..));
    match &t.kind {
        TExprKind::Var(VarRef::Global(_)) if not_map => Ok(()),
        TExprKind::Var(VarRef::Local(id)) if not_map && persistent(*id) => Ok(()),
        TExprKind::Builtin { name, .. } if core_fn(name) && name != "read_str" => {
            each_part(t, &again)
        }
        TExprKind::LibCall { .. } | TExprKind::Call { .. } => each_part(t, &again),
        // The map must be one the event binds.
        TExprKind::Index { map, key } => {
            site_static(map)?;
            again(key)
        }
        TExprKind::Const(_) | TExprKind::Var(_) | TExprKind::Builtin { .. } => site_static(t),
        _ => each_part(t, &again),
    }
}

/// `known` of every direct part of `t` (operands, arguments, elements).
fn each_part(t: &TExpr, known: &dyn Fn(&TExpr) -> Result<(), Span>) -> Result<(), Span> {
    let all = |items: &[TExpr]| items.iter().try_for_each(known);
    match &t.kind {
        TExprKind::Const(_) | TExprKind::Var(_) => Ok(()),
        TExprKind::Tuple(items)
        | TExprKind::Call { args: items, .. }
        | TExprKind::Builtin { args: items, .. }
        | TExprKind::LibCall { args: items, .. } => all(items),
        TExprKind::Unary { expr, .. } | TExprKind::Cast { expr } => known(expr),
        TExprKind::Field { base, .. } => known(base),
        TExprKind::Binary { lhs, rhs, .. } => {
            known(lhs)?;
            known(rhs)
        }
        TExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            known(cond)?;
            known(then)?;
            known(otherwise)
        }
        TExprKind::StrMethod { recv, args, .. } => {
            known(recv)?;
            all(args)
        }
        TExprKind::Index { map, key } => {
            known(map)?;
            known(key)
        }
    }
}

/// Mark what a `@static` call's arguments compute as computed before the
/// run: nested library calls become `@static`, `mem_size` the initial size.
fn before_the_run(e: &mut TExpr) {
    match &mut e.kind {
        TExprKind::LibCall {
            is_static, args, ..
        } => {
            *is_static = true;
            args.iter_mut().for_each(before_the_run);
        }
        TExprKind::Builtin { name, kind, args } => {
            if name == "mem_size" {
                *kind = ValueKind::Static;
            }
            args.iter_mut().for_each(before_the_run);
        }
        TExprKind::Tuple(items) | TExprKind::Call { args: items, .. } => {
            items.iter_mut().for_each(before_the_run)
        }
        TExprKind::Unary { expr, .. } | TExprKind::Cast { expr } => before_the_run(expr),
        TExprKind::Field { base, .. } => before_the_run(base),
        TExprKind::Binary { lhs, rhs, .. } => {
            before_the_run(lhs);
            before_the_run(rhs);
        }
        TExprKind::Ternary {
            cond,
            then,
            otherwise,
        } => {
            before_the_run(cond);
            before_the_run(then);
            before_the_run(otherwise);
        }
        TExprKind::StrMethod { recv, args, .. } => {
            before_the_run(recv);
            args.iter_mut().for_each(before_the_run);
        }
        TExprKind::Index { map, key } => {
            before_the_run(map);
            before_the_run(key);
        }
        TExprKind::Const(_) | TExprKind::Var(_) => {}
    }
}

/// `Ok` if `t` is known when a probe is set up at a site (constants, static
/// bound values, `@static` calls); else the span of the first dynamic part.
pub(super) fn site_static(t: &TExpr) -> Result<(), Span> {
    match &t.kind {
        TExprKind::Const(_) => Ok(()),
        TExprKind::Var(VarRef::Bound {
            kind: ValueKind::Static,
            ..
        }) => Ok(()),
        TExprKind::Var(_) => Err(t.span),
        TExprKind::Builtin {
            kind: ValueKind::Static,
            ..
        } => each_part(t, &site_static),
        TExprKind::LibCall {
            is_static: true, ..
        } => Ok(()),
        TExprKind::Builtin { .. } | TExprKind::LibCall { .. } | TExprKind::Call { .. } => {
            Err(t.span)
        }
        // An entry of a static map the event binds (`targets[0]`), and
        // everything built from static parts.
        _ => each_part(t, &site_static),
    }
}

fn texpr(kind: TExprKind, ty: Ty, span: Span) -> TExpr {
    TExpr { kind, ty, span }
}

fn konst(v: Value, ty: Ty, span: Span) -> TExpr {
    texpr(TExprKind::Const(v), ty, span)
}

fn as_const(t: &TExpr) -> Option<&Value> {
    match &t.kind {
        TExprKind::Const(v) => Some(v),
        _ => None,
    }
}

impl Checker {
    /// A problem that depends on the event: in a multi-event rule it skips
    /// this event; otherwise it is an error.
    pub(super) fn skip_or_err(&mut self, d: Diagnostic) {
        match &self.kind {
            BodyKind::Probe(ctx) if ctx.glob => self.body.skipped = true,
            _ => self.err(d),
        }
    }

    fn error_expr(span: Span) -> TExpr {
        konst(Value::Int(0), Ty::Unknown, span)
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, want: Option<&Ty>) -> TExpr {
        let span = e.span;
        match &e.kind {
            ExprKind::Int { value, radix } => self.int_literal(*value, *radix, want, span),
            ExprKind::Float(f) => self.float_literal(*f, want, span),
            ExprKind::Bool(b) => konst(Value::Bool(*b), Ty::Bool, span),
            ExprKind::Str(s) => konst(Value::Str(s.clone()), Ty::Str, span),
            ExprKind::Tuple(items) => {
                let wants: Vec<Option<&Ty>> = match want {
                    Some(Ty::Tuple(ts)) if ts.len() == items.len() => ts.iter().map(Some).collect(),
                    _ => vec![None; items.len()],
                };
                let items: Vec<TExpr> = items
                    .iter()
                    .zip(wants)
                    .map(|(i, w)| self.expr(i, w))
                    .collect();
                if items.is_empty() {
                    return konst(Value::Tuple(vec![]), Ty::Unit, span);
                }
                let ty = Ty::Tuple(items.iter().map(|t| t.ty.clone()).collect());
                let consts: Option<Vec<Value>> =
                    items.iter().map(|t| as_const(t).cloned()).collect();
                match consts {
                    Some(vs) => konst(Value::Tuple(vs), ty, span),
                    None => texpr(TExprKind::Tuple(items), ty, span),
                }
            }
            ExprKind::Var(id) => match self.resolve_var(id, false) {
                Some((var, ty)) => texpr(TExprKind::Var(var), ty, span),
                None => Self::error_expr(span),
            },
            ExprKind::Paren(inner) => {
                let mut t = self.expr(inner, want);
                t.span = span;
                t
            }
            ExprKind::Unary { op, expr } => self.unary(*op, expr, want, span),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, want, span),
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => self.ternary(cond, then, otherwise, want, span),
            ExprKind::Cast { expr, ty } => self.cast(expr, ty, span),
            ExprKind::Call { callee, args } => self.call(callee, args, span),
            ExprKind::LibCall {
                lib,
                func,
                args,
                is_static,
            } => self.lib_call(lib, func, args, *is_static, want, span),
            ExprKind::Method { recv, method, args } => {
                if let ExprKind::Var(id) = &recv.kind
                    && self.libs.contains_key(&id.name)
                    && !self.is_variable(&id.name)
                {
                    return self.lib_call(id, method, args, false, want, span);
                }
                self.method(recv, method, args, span)
            }
            ExprKind::Index { base, index } => {
                let b = self.expr(base, None);
                match b.ty.clone() {
                    Ty::Map(k, v) => {
                        let key = self.expr(index, Some(&k));
                        self.expect_type(&key, &k, "the map key");
                        texpr(
                            TExprKind::Index {
                                map: Box::new(b),
                                key: Box::new(key),
                            },
                            *v,
                            span,
                        )
                    }
                    Ty::Unknown => Self::error_expr(span),
                    other => {
                        self.err(
                            Diagnostic::error(
                                "E0301",
                                format!("{} cannot be indexed", super::a(&other)),
                                base.span,
                            )
                            .label("not a map"),
                        );
                        Self::error_expr(span)
                    }
                }
            }
            ExprKind::Field {
                base,
                index,
                index_span,
            } => {
                let b = self.expr(base, None);
                let Some(ty) = self.tuple_element(&b.ty, *index, *index_span) else {
                    return Self::error_expr(span);
                };
                if let Some(Value::Tuple(vs)) = as_const(&b) {
                    return konst(vs[*index as usize].clone(), ty, span);
                }
                texpr(
                    TExprKind::Field {
                        base: Box::new(b),
                        index: *index,
                    },
                    ty,
                    span,
                )
            }
            ExprKind::Error => Self::error_expr(span),
        }
    }

    pub(super) fn tuple_element(&mut self, ty: &Ty, index: u32, span: Span) -> Option<Ty> {
        match ty {
            Ty::Tuple(items) => match items.get(index as usize) {
                Some(t) => Some(t.clone()),
                None => {
                    self.err(
                        Diagnostic::error(
                            "E0301",
                            format!("this tuple has no element {index}"),
                            span,
                        )
                        .label(format!("`{ty}` has {} elements", items.len())),
                    );
                    None
                }
            },
            Ty::Unknown => None,
            other => {
                self.err(
                    Diagnostic::error(
                        "E0301",
                        format!("{} has no elements", super::a(other)),
                        span,
                    )
                    .label("not a tuple"),
                );
                None
            }
        }
    }

    fn int_literal(&mut self, value: i128, radix: u32, want: Option<&Ty>, span: Span) -> TExpr {
        match want {
            Some(t) if t.is_integer() => {
                if !fold::in_range(t, value) {
                    if fold::fits_width(t, value) && (radix != 10 || value < 0) {
                        if value < 0 {
                            self.err(
                                Diagnostic::warning(
                                    "W0007",
                                    format!(
                                        "`{value}` wraps to {} as {}",
                                        fold::normalize(t, value),
                                        super::a(t)
                                    ),
                                    span,
                                )
                                .label(format!("negative value for the unsigned `{t}`")),
                            );
                        }
                    } else {
                        let bits = t.int_bits().unwrap_or(64);
                        let (lo, hi) = if t.is_signed() {
                            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
                        } else {
                            (0, (1i128 << bits) - 1)
                        };
                        let d = Diagnostic::error(
                            "E0501",
                            format!("literal `{value}` does not fit in `{t}`"),
                            span,
                        )
                        .label(format!("`{t}` holds {lo} to {hi}"));
                        if radix == ast::EVENT_CONSTANT {
                            // `bytecode` of an event a glob reached.
                            self.skip_or_err(d);
                        } else {
                            self.err(d);
                        }
                    }
                }
                konst(Value::Int(fold::normalize(t, value)), t.clone(), span)
            }
            Some(Ty::F32) => konst(Value::F32(value as f32), Ty::F32, span),
            Some(Ty::F64) => konst(Value::F64(value as f64), Ty::F64, span),
            _ => {
                let ty = if fold::in_range(&Ty::I32, value) {
                    Ty::I32
                } else if fold::in_range(&Ty::I64, value) {
                    Ty::I64
                } else {
                    Ty::U64
                };
                konst(Value::Int(value), ty, span)
            }
        }
    }

    fn float_literal(&mut self, f: f64, want: Option<&Ty>, span: Span) -> TExpr {
        match want {
            Some(Ty::F64) => konst(Value::F64(f), Ty::F64, span),
            Some(Ty::F32) => konst(Value::F32(f as f32), Ty::F32, span),
            Some(t) if t.is_integer() => {
                self.err(
                    Diagnostic::error(
                        "E0301",
                        format!("a float literal cannot be {}", super::a(t)),
                        span,
                    )
                    .label("float literal")
                    .help(format!("write an integer, or convert with `as {t}`")),
                );
                konst(Value::Int(0), t.clone(), span)
            }
            _ => {
                if (f as f32).is_finite() || !f.is_finite() {
                    konst(Value::F32(f as f32), Ty::F32, span)
                } else {
                    konst(Value::F64(f), Ty::F64, span)
                }
            }
        }
    }

    fn unary(&mut self, op: UnOp, e: &ast::Expr, want: Option<&Ty>, span: Span) -> TExpr {
        let t = match op {
            UnOp::Not => self.expr(e, Some(&Ty::Bool)),
            _ => self.expr(e, want.filter(|w| w.is_numeric())),
        };
        let ok = match op {
            UnOp::Not => t.ty == Ty::Bool,
            UnOp::BitNot => t.ty.is_integer(),
            UnOp::Neg => t.ty.is_signed() || t.ty.is_float(),
        };
        if !ok && t.ty != Ty::Unknown {
            let (msg, help) = match op {
                UnOp::Not => (
                    format!("`!` needs a `bool`, but this is {}", super::a(&t.ty)),
                    "compare instead, e.g. `x == 0`".to_string(),
                ),
                UnOp::BitNot => (
                    format!("`~` needs an integer, but this is {}", super::a(&t.ty)),
                    "`~` flips the bits of an integer".to_string(),
                ),
                UnOp::Neg if t.ty.is_integer() => (
                    format!("cannot negate the unsigned `{}`", t.ty),
                    "write `0 - x` for the wrapping negation, or convert to a signed type first"
                        .to_string(),
                ),
                UnOp::Neg => (
                    format!("`-` needs a number, but this is {}", super::a(&t.ty)),
                    "negate numbers only".to_string(),
                ),
            };
            self.err(
                Diagnostic::error("E0307", msg, span)
                    .label(super::a(&t.ty))
                    .help(help),
            );
            return Self::error_expr(span);
        }
        if let Some(v) = as_const(&t).and_then(|v| fold::unary(op, &t.ty, v)) {
            return konst(v, t.ty, span);
        }
        let ty = t.ty.clone();
        texpr(
            TExprKind::Unary {
                op,
                expr: Box::new(t),
            },
            ty,
            span,
        )
    }

    fn binary(
        &mut self,
        op: BinOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        want: Option<&Ty>,
        span: Span,
    ) -> TExpr {
        let operand_want = if op.is_logical() {
            Some(&Ty::Bool)
        } else if op.is_comparison() {
            None
        } else {
            want.filter(|w| w.is_numeric())
        };
        let (l, r) = if is_untyped_literal(lhs) && !is_untyped_literal(rhs) {
            let r = self.expr(rhs, operand_want);
            let l = self.expr(lhs, Some(&r.ty));
            (l, r)
        } else {
            let l = self.expr(lhs, operand_want);
            let r = self.expr(rhs, Some(&l.ty));
            (l, r)
        };
        if l.ty == Ty::Unknown || r.ty == Ty::Unknown {
            return Self::error_expr(span);
        }
        if l.ty != r.ty {
            let mut d = Diagnostic::error(
                "E0301",
                format!("mismatched types: `{}` {} `{}`", l.ty, op.symbol(), r.ty),
                r.span,
            )
            .label(format!("this is {}", super::a(&r.ty)))
            .with_secondary(l.span, format!("this is {}", super::a(&l.ty)))
            .note("only literals convert implicitly");
            if l.ty.is_primitive() && r.ty.is_primitive() {
                d = d.help(format!("add `as {}` to convert the right operand", l.ty));
            }
            self.err(d);
            return Self::error_expr(span);
        }
        let ty = l.ty.clone();
        if let Some(msg) = operand_problem(op, &ty) {
            let mut d = Diagnostic::error("E0301", msg, span).label(format!("operands are `{ty}`"));
            if ty.is_float() && op.is_bitwise() {
                d = d.help(
                    "bitwise operators work on integers; convert with `as i32`/`as i64` first",
                );
            } else if ty == Ty::Str && op == BinOp::Add {
                d = d.help("strings cannot be concatenated");
            }
            self.err(d);
            return Self::error_expr(span);
        }
        let result_ty = if op.is_comparison() || op.is_logical() {
            Ty::Bool
        } else {
            ty.clone()
        };
        // Division by a constant zero is an error even when the left side is
        // dynamic: it would trap every time.
        if matches!(op, BinOp::Div | BinOp::Rem)
            && ty.is_integer()
            && as_const(&r) == Some(&Value::Int(0))
        {
            self.err(
                Diagnostic::error("E0502", "division by zero", r.span)
                    .label("this is zero")
                    .note("integer division by zero traps at run time"),
            );
            return Self::error_expr(span);
        }
        // Short-circuit with one constant side.
        if op.is_logical()
            && let Some(Value::Bool(b)) = as_const(&l)
        {
            return match (op, b) {
                (BinOp::And, false) | (BinOp::Or, true) => konst(Value::Bool(*b), Ty::Bool, span),
                _ => TExpr { span, ..r },
            };
        }
        if let (Some(a), Some(b)) = (as_const(&l), as_const(&r)) {
            match fold::binary(op, &ty, a, b) {
                Ok(Some(v)) => return konst(v, result_ty, span),
                Ok(None) => {}
                Err(FoldError::DivisionByZero | FoldError::Overflow) => {
                    self.err(
                        Diagnostic::error("E0503", "arithmetic overflow", span)
                            .label("the result does not fit its type (minimum value divided by -1)")
                            .note("this traps at run time"),
                    );
                    return Self::error_expr(span);
                }
            }
        }
        texpr(
            TExprKind::Binary {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
            result_ty,
            span,
        )
    }

    fn ternary(
        &mut self,
        cond: &ast::Expr,
        then: &ast::Expr,
        otherwise: &ast::Expr,
        want: Option<&Ty>,
        span: Span,
    ) -> TExpr {
        let c = self.expr(cond, Some(&Ty::Bool));
        self.expect_type(&c, &Ty::Bool, "a condition");
        let (t, o) = if is_untyped_literal(then) && !is_untyped_literal(otherwise) && want.is_none()
        {
            let o = self.expr(otherwise, want);
            let t = self.expr(then, Some(&o.ty));
            (t, o)
        } else {
            let t = self.expr(then, want);
            let o = self.expr(otherwise, Some(&t.ty));
            (t, o)
        };
        if t.ty != o.ty && t.ty != Ty::Unknown && o.ty != Ty::Unknown {
            self.err(
                Diagnostic::error(
                    "E0301",
                    format!(
                        "the branches have different types: `{}` and `{}`",
                        t.ty, o.ty
                    ),
                    o.span,
                )
                .label(format!("this is {}", super::a(&o.ty)))
                .with_secondary(t.span, format!("this is {}", super::a(&t.ty))),
            );
            return Self::error_expr(span);
        }
        if let Some(Value::Bool(b)) = as_const(&c) {
            let chosen = if *b { t } else { o };
            return TExpr { span, ..chosen };
        }
        let ty = t.ty.clone();
        texpr(
            TExprKind::Ternary {
                cond: Box::new(c),
                then: Box::new(t),
                otherwise: Box::new(o),
            },
            ty,
            span,
        )
    }

    /// [`setup_time`] in the probe being checked.
    pub(super) fn known_at_setup(&self, t: &TExpr) -> Result<(), Span> {
        let locals = &self.body.locals;
        let persistent = |id: LocalId| matches!(locals.get(id), Some(l) if matches!(l.storage, Storage::Unshared { .. }));
        let core_fn = |name: &str| self.cat.core_fns.iter().any(|f| f.name == name);
        setup_time(t, &persistent, &core_fn)
    }

    fn cast(&mut self, e: &ast::Expr, to: &ast::TypeExpr, span: Span) -> TExpr {
        let t = self.expr(e, None);
        let target = &to.ty;
        if !self.check_no_type_param(to) {
            return Self::error_expr(span);
        }
        if !(target.is_numeric() || *target == Ty::Bool) {
            self.err(
                Diagnostic::error("E0322", format!("cannot cast to `{target}`"), to.span)
                    .label("not a number or bool type")
                    .help("`as` converts between number types and `bool`"),
            );
            return Self::error_expr(span);
        }
        if t.ty == Ty::Unknown {
            return Self::error_expr(span);
        }
        if !(t.ty.is_numeric() || t.ty == Ty::Bool) {
            self.err(
                Diagnostic::error(
                    "E0322",
                    format!("cannot cast {} to `{target}`", super::a(&t.ty)),
                    t.span,
                )
                .label(super::a(&t.ty))
                .help("`as` converts between number types and `bool`"),
            );
            return Self::error_expr(span);
        }
        if let Some(v) = as_const(&t).and_then(|v| fold::cast(target, v)) {
            return konst(v, target.clone(), span);
        }
        if t.ty == *target {
            return TExpr { span, ..t };
        }
        texpr(TExprKind::Cast { expr: Box::new(t) }, target.clone(), span)
    }

    fn call(&mut self, callee: &ast::Ident, args: &[ast::Expr], span: Span) -> TExpr {
        let name = callee.name.as_str();
        if let Some(&id) = self.fn_ids.get(name) {
            let (params, ret) = self.fn_sigs[id].clone();
            let args = self.check_args(name, &params, args, span);
            return texpr(TExprKind::Call { func: id, args }, ret, span);
        }
        if name == "memid" {
            return self.memid(args, span);
        }
        let bound = match &self.kind {
            BodyKind::Probe(ctx) => ctx.event.find_fn(name).cloned(),
            _ => self.cat.core_fns.iter().find(|f| f.name == name).cloned(),
        };
        if let Some(f) = bound {
            if ALT_ONLY_FNS.contains(&name) && !self.in_alt_probe() {
                self.err(
                    Diagnostic::error(
                        "E0325",
                        format!("`{name}` can only be called in an `alt` probe"),
                        callee.span,
                    )
                    .label("this probe does not replace the instruction")
                    .help("it acts on the instruction an `alt` probe replaces; use the rule's `:alt` mode"),
                );
            }
            let params: Vec<Ty> = f.params.iter().map(|(_, t)| t.clone()).collect();
            let args = self.check_args(name, &params, args, span);
            return texpr(
                TExprKind::Builtin {
                    name: f.name.clone(),
                    kind: f.kind,
                    args,
                },
                f.ret.clone(),
                span,
            );
        }
        let event_fn = self.all_event_fn_names().any(|n| n == name);
        let mut d = Diagnostic::error(
            "E0306",
            format!("cannot find function `{name}`"),
            callee.span,
        );
        if event_fn {
            d = d
                .label("not available at this event")
                .help("`wham info -r RULE -f` lists the functions each event provides");
            self.skip_or_err(d);
        } else {
            let mut candidates: Vec<&str> = self.fn_ids.keys().map(String::as_str).collect();
            candidates.extend(self.cat.core_fns.iter().map(|f| f.name.as_str()));
            d = d.label("not defined");
            if let Some(s) = suggest(name, candidates) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            self.err(d);
        }
        for a in args {
            self.expr(a, None);
        }
        Self::error_expr(span)
    }

    fn in_alt_probe(&self) -> bool {
        matches!(&self.kind, BodyKind::Probe(ctx)
            if ctx.event.mode.is_some_and(|m| m.name == "alt"))
    }

    fn memid(&mut self, args: &[ast::Expr], span: Span) -> TExpr {
        if let [arg] = args
            && let ExprKind::Var(lib) = &arg.kind
            && self.libs.contains_key(&lib.name)
        {
            return texpr(
                TExprKind::Builtin {
                    name: "memid".into(),
                    kind: ValueKind::Static,
                    args: vec![konst(
                        Value::Str(lib.name.clone().into_bytes()),
                        Ty::Str,
                        arg.span,
                    )],
                },
                Ty::U32,
                span,
            );
        }
        self.err(
            Diagnostic::error("E0301", "`memid` takes the name of a library", span)
                .label("expected `memid(lib)`")
                .help("name a library imported with `use`"),
        );
        Self::error_expr(span)
    }

    fn check_args(
        &mut self,
        name: &str,
        params: &[Ty],
        args: &[ast::Expr],
        span: Span,
    ) -> Vec<TExpr> {
        if params.len() != args.len() {
            self.err(
                Diagnostic::error(
                    "E0301",
                    format!(
                        "`{name}` takes {} argument(s), but {} were given",
                        params.len(),
                        args.len()
                    ),
                    span,
                )
                .label(format!(
                    "expected ({})",
                    params
                        .iter()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        args.iter()
            .enumerate()
            .map(|(i, a)| {
                let want = params.get(i);
                let t = self.expr(a, want);
                if let Some(w) = want {
                    self.expect_type(&t, w, &format!("argument {} of `{name}`", i + 1));
                }
                t
            })
            .collect()
    }

    fn lib_call(
        &mut self,
        lib: &ast::Ident,
        func: &ast::Ident,
        args: &[ast::Expr],
        is_static: bool,
        want: Option<&Ty>,
        span: Span,
    ) -> TExpr {
        if !self.libs.contains_key(&lib.name) {
            let mut d =
                Diagnostic::error("E0306", format!("unknown library `{}`", lib.name), lib.span)
                    .label("not imported");
            d = match suggest(&lib.name, self.libs.keys().map(String::as_str)) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!("add `use {};` at the top of the script", lib.name)),
            };
            self.err(d);
        }
        // A library's signatures come from its Wasm module, which only the
        // instrumentation step sees: arguments keep their own types and the
        // result takes the type the context needs (i32 by default).
        let mut targs: Vec<TExpr> = args.iter().map(|a| self.expr(a, None)).collect();
        if is_static {
            // Everything in a `@static` call's arguments is computed before
            // the program runs too: library calls, memory sizes (the
            // initial ones).
            targs.iter_mut().for_each(before_the_run);
            let unknown = targs.iter().find_map(|a| {
                if self.in_setup_init {
                    self.known_at_setup(a).err()
                } else {
                    site_static(a).err()
                }
            });
            if let Some(dynamic) = unknown {
                self.err(
                    Diagnostic::error(
                        "E0317",
                        "a `@static` call needs arguments known at instrumentation time",
                        dynamic,
                    )
                    .label("only known when the program runs")
                    .help("pass constants or static values (fid, pc, fname, immN, ...); in an `unshared` or `report` initialiser also globals and earlier per-site variables"),
                );
            }
        }
        let ty = match want {
            Some(t) if t.is_primitive() => t.clone(),
            _ => Ty::I32,
        };
        texpr(
            TExprKind::LibCall {
                lib: lib.name.clone(),
                func: func.name.clone(),
                args: targs,
                is_static,
            },
            ty,
            span,
        )
    }

    fn method(
        &mut self,
        recv: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> TExpr {
        if let ExprKind::Var(id) = &recv.kind
            && !self.is_variable(&id.name)
        {
            let d = Diagnostic::error(
                "E0306",
                format!("cannot find library or variable `{}`", id.name),
                id.span,
            )
            .label("not defined")
            .help(format!(
                "to call a library function, add `use {};` at the top of the script",
                id.name
            ));
            self.err(d);
            return Self::error_expr(span);
        }
        let r = self.expr(recv, None);
        if r.ty == Ty::Unknown {
            return Self::error_expr(span);
        }
        if r.ty != Ty::Str {
            self.err(
                Diagnostic::error(
                    "E0323",
                    format!("{} has no method `{}`", super::a(&r.ty), method.name),
                    method.span,
                )
                .label("no such method")
                .help("methods exist on `str` only: len, addr, starts_with, ends_with, contains"),
            );
            return Self::error_expr(span);
        }
        let (params, ret): (&[Ty], Ty) = match method.name.as_str() {
            "len" | "addr" => (&[], Ty::U32),
            "starts_with" | "ends_with" | "contains" => (&[Ty::Str], Ty::Bool),
            other => {
                let mut d = Diagnostic::error(
                    "E0323",
                    format!("`str` has no method `{other}`"),
                    method.span,
                )
                .label("no such method");
                d = match suggest(other, STR_METHODS.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help("`str` methods: len, addr, starts_with, ends_with, contains"),
                };
                self.err(d);
                return Self::error_expr(span);
            }
        };
        let targs = self.check_args(&method.name, params, args, span);
        // Fold when the receiver and arguments are constant strings.
        if let Some(Value::Str(s)) = as_const(&r) {
            let arg = targs.first().and_then(as_const);
            let folded = match (method.name.as_str(), arg) {
                ("len", _) => Some(Value::Int(s.len() as i128)),
                ("starts_with", Some(Value::Str(a))) => Some(Value::Bool(s.starts_with(a))),
                ("ends_with", Some(Value::Str(a))) => Some(Value::Bool(s.ends_with(a))),
                ("contains", Some(Value::Str(a))) => Some(Value::Bool(
                    a.is_empty() || s.windows(a.len()).any(|w| w == a.as_slice()),
                )),
                _ => None,
            };
            if let Some(v) = folded {
                return konst(v, ret, span);
            }
        }
        texpr(
            TExprKind::StrMethod {
                recv: Box::new(r),
                method: method.name.clone(),
                args: targs,
            },
            ret,
            span,
        )
    }

    /// Whether `name` is a variable (local, bound or global) here.
    fn is_variable(&self, name: &str) -> bool {
        if self
            .body
            .scopes
            .iter()
            .any(|s| s.iter().any(|(n, _)| n == name))
            || self.global_ids.contains_key(name)
        {
            return true;
        }
        match &self.kind {
            BodyKind::Probe(ctx) => !matches!(ctx.event.find_var(name), VarLookup::NotFound),
            _ => self.cat.core_vars.iter().any(|v| v.name == name),
        }
    }

    /// What a variable name means here, innermost first: block locals, the
    /// event's bound variables, then globals.
    pub(super) fn resolve_var(&mut self, id: &ast::Ident, for_write: bool) -> Option<(VarRef, Ty)> {
        let name = id.name.as_str();
        let local = self
            .body
            .scopes
            .iter()
            .rev()
            .find_map(|s| s.iter().rev().find(|(n, _)| n == name).map(|(_, l)| *l));
        if let Some(l) = local {
            if !for_write {
                self.body.used[l] = true;
            }
            return Some((VarRef::Local(l), self.body.locals[l].ty.clone()));
        }
        if let Some(found) = self.resolve_bound(id, for_write) {
            return found;
        }
        if let Some(&g) = self.global_ids.get(name) {
            if matches!(self.kind, BodyKind::Global) && g >= self.globals_visible {
                let decl = self.out.globals[g].span;
                self.err(
                    Diagnostic::error(
                        "E0306",
                        format!("`{name}` is used before its declaration"),
                        id.span,
                    )
                    .label("not declared yet")
                    .with_secondary(decl, "declared here")
                    .note("global statements run in order, top to bottom"),
                );
                return None;
            }
            return Some((VarRef::Global(g), self.out.globals[g].ty.clone()));
        }
        if let Some(elsewhere) = self.events_binding(name) {
            let d = Diagnostic::error("E0406", format!("`{name}` is not bound at this event"), id.span)
                .label("not available here")
                .help(format!("`{name}` is bound at {elsewhere}; `wham info -r RULE -v` lists each event's variables"));
            self.skip_or_err(d);
            return None;
        }
        let mut candidates: Vec<String> = self
            .body
            .scopes
            .iter()
            .flatten()
            .map(|(n, _)| n.clone())
            .collect();
        candidates.extend(self.global_ids.keys().cloned());
        let mut d = Diagnostic::error("E0306", format!("cannot find variable `{name}`"), id.span)
            .label("not defined");
        if matches!(&self.kind, BodyKind::Probe(ctx) if ctx.event.mode.is_some_and(|m| m.name == name))
        {
            d = d.help(format!("`{name}` is the mode of this probe, not a value"));
        } else if let Some(s) = suggest(name, candidates.iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{s}`?"));
        } else if super::family_index(name).is_some() && !matches!(self.kind, BodyKind::Probe(_)) {
            d = d.help("`argN`, `resN`, `immN` and `localN` exist only in probes");
        }
        self.err(d);
        None
    }

    /// A bound variable of the current event (or a core variable).
    /// `None` if the name is not bound here; `Some(None)` if it is but
    /// cannot be used (already reported).
    fn resolve_bound(&mut self, id: &ast::Ident, for_write: bool) -> Option<Option<(VarRef, Ty)>> {
        let name = id.name.as_str();
        let BodyKind::Probe(ctx) = &self.kind else {
            let v = self.cat.core_vars.iter().find(|v| v.name == name)?;
            if for_write {
                self.read_only(id, "compiler-provided");
                return Some(None);
            }
            return Some(Some((
                VarRef::Bound {
                    name: v.name.clone(),
                    kind: v.kind,
                    index: None,
                },
                v.ty.clone(),
            )));
        };
        let ctx = ctx.clone();
        let rule = ctx.event.rule_name();
        let (var, index) = match ctx.event.find_var(name) {
            VarLookup::Found { var, index } => (var, index),
            VarLookup::NotFound => return None,
            VarLookup::OutOfRange { family, count } => {
                self.skip_or_err(
                    Diagnostic::error("E0406", format!("`{rule}` has no `{name}`"), id.span)
                        .label(format!("it has {count} `{family}` value(s)")),
                );
                return Some(None);
            }
            VarLookup::WrongMode { modes, .. } => {
                let modes = modes.join(", ");
                self.skip_or_err(
                    Diagnostic::error(
                        "E0407",
                        format!("`{name}` is not available in this mode"),
                        id.span,
                    )
                    .label(format!("only in: {modes}"))
                    .help(format!("use a probe with mode {modes} to read `{name}`")),
                );
                return Some(None);
            }
        };
        if self.global_ids.contains_key(name) && self.warned_shadow.insert(name.to_string()) {
            let g = self.out.globals[self.global_ids[name]].span;
            self.err(
                Diagnostic::warning(
                    "W0005",
                    format!("`{name}` here is the event's value, not the global"),
                    id.span,
                )
                .label("bound by the event")
                .with_secondary(g, "this global is hidden in probes at this event")
                .help("rename the global"),
            );
        }
        let bound_ty = ctx
            .bounds
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone());
        let ty = match (bound_ty, &var.ty) {
            (Some(t), _) => t,
            (None, Ty::Unknown) => {
                let fam = super::family_index(name).map(|(f, _)| f).unwrap_or("arg");
                let example = match fam {
                    "local" => format!("wasm({name}: i32):..."),
                    _ => format!(
                        "...:{}({name}: i32):...",
                        ctx.event.event.map(|e| e.name.as_str()).unwrap_or("event")
                    ),
                };
                self.skip_or_err(
                    Diagnostic::error(
                        "E0404",
                        format!("the type of `{name}` at `{rule}` depends on the site"),
                        id.span,
                    )
                    .label("type not known")
                    .help(format!("give it a type in the rule, e.g. `{example}`")),
                );
                return Some(None);
            }
            (None, t) => t.clone(),
        };
        if for_write {
            let mode = ctx.event.mode.map(|m| m.name).unwrap_or("");
            let fam = super::family_index(name).map(|(f, _)| f);
            let allowed = var.assignable
                && match fam {
                    Some("arg") => mode == "before",
                    Some("res") => mode == "after",
                    _ => true,
                };
            if !allowed {
                let what = match fam {
                    Some("arg") if var.assignable => {
                        "arguments can be changed only in `before` probes; it is"
                    }
                    Some("res") if var.assignable => {
                        "results can be changed only in `after` probes; it is"
                    }
                    _ => "bound by the event and",
                };
                self.read_only(id, what);
                return Some(None);
            }
        }
        Some(Some((
            VarRef::Bound {
                name: name.to_string(),
                kind: var.kind,
                index,
            },
            ty,
        )))
    }

    /// Some events that bind `name` (for "not bound here" help), if any.
    fn events_binding(&self, name: &str) -> Option<String> {
        let mut found: Vec<String> = Vec::new();
        let mut total = 0;
        for p in &self.cat.providers {
            for pk in &p.packages {
                for e in &pk.events {
                    let binds = e.vars.iter().any(|v| {
                        if v.family {
                            super::family_index(name).is_some_and(|(f, _)| f == v.name)
                        } else {
                            v.name == name
                        }
                    });
                    if binds {
                        total += 1;
                        if found.len() < 3 {
                            found.push(format!("`{}:{}:{}`", p.name, pk.name, e.name));
                        }
                    }
                }
            }
        }
        match total {
            0 => None,
            n if n > found.len() => Some(format!(
                "{} and {} other events",
                found.join(", "),
                n - found.len()
            )),
            _ => Some(found.join(", ")),
        }
    }

    fn read_only(&mut self, id: &ast::Ident, what: &str) {
        self.err(
            Diagnostic::error("E0320", format!("cannot assign to `{}`", id.name), id.span)
                .label(format!("{what} read-only")),
        );
    }
}

fn operand_problem(op: BinOp, ty: &Ty) -> Option<String> {
    let ok = match op {
        BinOp::And | BinOp::Or => *ty == Ty::Bool,
        BinOp::Eq | BinOp::Ne => {
            ty.is_primitive() || matches!(ty, Ty::Str | Ty::V128 | Ty::Tuple(_))
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => ty.is_numeric(),
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => ty.is_numeric(),
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::Shl | BinOp::Shr => ty.is_integer(),
    };
    (!ok).then(|| format!("`{}` cannot be applied to `{ty}`", op.symbol()))
}
