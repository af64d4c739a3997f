//! Generic probes (`wasm:opcode:local.set<T: int>(arg0: T):before`): a probe
//! with type parameters is checked once per assignment of concrete types to
//! its parameters (an *instance*), and each instance is an ordinary probe
//! whose bounds pick the sites where the operands have those types.
//!
//! The same substitution makes an opcode's `bytecode` a literal per event.
//!
//! This monomorphises in the front end, so both backends see only concrete
//! types. An unconstrained `<T>` stands for every Wasm number type, and an
//! instance whose body does not type-check for its types is dropped (the use
//! narrows `T`, as `<<` narrows it to `int`); with declared constraints every
//! admitted type must work.

use crate::ast::{self, Constraint, Expr, ExprKind, Stmt, StmtKind, TypeParam};
use crate::diag::{Diagnostic, Diagnostics};
use wham_events::Ty;

/// More instances than this is almost surely a slip (four unconstrained
/// parameters already make 256 copies of the probe per event).
const MAX_INSTANCES: usize = 64;

/// The generic header of a probe: its parameters in declaration order.
pub(super) struct Header {
    pub params: Vec<TypeParam>,
}

impl Header {
    /// Collect the type parameters of every rule part; `None` for a probe
    /// without a header. Problems are reported to `diags`.
    pub fn of(rule: &ast::Rule, diags: &mut Diagnostics) -> Option<Header> {
        let mut params: Vec<TypeParam> = Vec::new();
        for tp in rule.parts.iter().flat_map(|p| &p.generics) {
            if let Some(first) = params.iter().find(|q| q.name.name == tp.name.name) {
                diags.push(
                    Diagnostic::error(
                        "E0408",
                        format!("type parameter `{}` is declared twice", tp.name.name),
                        tp.name.span,
                    )
                    .label("second declaration")
                    .with_secondary(first.name.span, "first declared here"),
                );
                continue;
            }
            params.push(tp.clone());
        }
        (!params.is_empty()).then_some(Header { params })
    }

    /// Whether some parameter has no declared constraint, so uses narrow it.
    pub fn narrows_by_use(&self) -> bool {
        self.params.iter().any(|p| p.constraint.is_none())
    }

    /// Every parameter must be the type of some operand bound: that is what
    /// decides, site by site, which instance applies.
    pub fn check_bound(
        &self,
        bounds: &[(String, Ty, crate::span::Span)],
        diags: &mut Diagnostics,
    ) -> bool {
        let mut ok = true;
        for p in &self.params {
            let bound = bounds
                .iter()
                .any(|(_, ty, _)| matches!(ty, Ty::Param(n) if *n == p.name.name));
            if !bound {
                diags.push(
                    Diagnostic::error(
                        "E0409",
                        format!(
                            "type parameter `{}` is not the type of any operand",
                            p.name.name
                        ),
                        p.name.span,
                    )
                    .label("nothing at the site decides what this is")
                    .help(format!(
                        "bound an operand with it, e.g. `(arg0: {})`",
                        p.name.name
                    )),
                );
                ok = false;
            }
        }
        ok
    }

    /// Every assignment of admitted types to the parameters, first
    /// parameter slowest; `None` (after an error) when there are too many.
    pub fn instances(&self, rule: &ast::Rule, diags: &mut Diagnostics) -> Option<Vec<Instance>> {
        let mut out = vec![Instance::default()];
        for p in &self.params {
            let admits = p.constraint.unwrap_or(Constraint::Numeric).admits();
            out = out
                .into_iter()
                .flat_map(|inst| {
                    admits.iter().map(move |ty| {
                        let mut next = inst.clone();
                        next.types.push((p.name.name.clone(), ty.clone()));
                        next
                    })
                })
                .collect();
            if out.len() > MAX_INSTANCES {
                diags.push(
                    Diagnostic::error(
                        "E0410",
                        format!("this generic probe has more than {MAX_INSTANCES} instances"),
                        rule.span,
                    )
                    .label("every combination of its type parameters' types is a copy")
                    .help("constrain the parameters (`<T: int>`) or use fewer"),
                );
                return None;
            }
        }
        Some(out)
    }
}

/// One assignment of concrete types to a header's parameters.
#[derive(Clone, Debug, Default)]
pub(super) struct Instance {
    pub types: Vec<(String, Ty)>,
    /// The matched opcode's `bytecode`, an event constant: read as an
    /// integer literal, it takes the type its context needs (`wide +
    /// bytecode` with a `u64`), as the original's constants do.
    pub bytecode: Option<u32>,
}

impl Instance {
    /// `T = i32, U = f64`, for messages.
    pub fn describe(&self) -> String {
        self.types
            .iter()
            .map(|(n, t)| format!("{n} = {t}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `ty` with this instance's types in place of its parameters; names
    /// the header does not declare stay, for the checker to report.
    pub fn ty(&self, ty: &Ty) -> Ty {
        match ty {
            Ty::Param(n) => self
                .types
                .iter()
                .find(|(p, _)| p == n)
                .map_or_else(|| ty.clone(), |(_, t)| t.clone()),
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| self.ty(t)).collect()),
            Ty::Map(k, v) => Ty::Map(Box::new(self.ty(k)), Box::new(self.ty(v))),
            other => other.clone(),
        }
    }

    /// The probe's predicate and body with the types substituted.
    pub fn probe(&self, p: &ast::Probe) -> ast::Probe {
        let mut p = p.clone();
        if let Some(e) = &mut p.predicate {
            self.expr(e);
        }
        self.block(&mut p.body);
        p
    }

    fn block(&self, b: &mut ast::Block) {
        for s in &mut b.stmts {
            self.stmt(s);
        }
    }

    fn stmt(&self, s: &mut Stmt) {
        match &mut s.kind {
            StmtKind::Decl { ty, init, .. } => {
                if let Some(t) = ty {
                    t.ty = self.ty(&t.ty);
                }
                if let Some(e) = init {
                    self.expr(e);
                }
            }
            StmtKind::Assign { target, value } => {
                self.expr(target);
                self.expr(value);
            }
            StmtKind::Incr { target, .. } => self.expr(target),
            StmtKind::Expr(e) | StmtKind::Init(e) => self.expr(e),
            StmtKind::Return(e) => {
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (c, b) in branches {
                    self.expr(c);
                    self.block(b);
                }
                if let Some(b) = otherwise {
                    self.block(b);
                }
            }
        }
    }

    fn expr(&self, e: &mut Expr) {
        match &mut e.kind {
            ExprKind::Cast { expr, ty } => {
                ty.ty = self.ty(&ty.ty);
                self.expr(expr);
            }
            ExprKind::Tuple(items) => items.iter_mut().for_each(|e| self.expr(e)),
            ExprKind::Paren(e) | ExprKind::Unary { expr: e, .. } => self.expr(e),
            ExprKind::Field { base, .. } => self.expr(base),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Index { base, index } => {
                self.expr(base);
                self.expr(index);
            }
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.expr(then);
                self.expr(otherwise);
            }
            ExprKind::Call { args, .. } | ExprKind::LibCall { args, .. } => {
                args.iter_mut().for_each(|e| self.expr(e))
            }
            ExprKind::Method { recv, args, .. } => {
                self.expr(recv);
                args.iter_mut().for_each(|e| self.expr(e));
            }
            ExprKind::Var(id) if id.name == "bytecode" => {
                if let Some(code) = self.bytecode {
                    e.kind = ExprKind::Int {
                        value: code.into(),
                        radix: ast::EVENT_CONSTANT,
                    };
                }
            }
            ExprKind::Int { .. }
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::Str(_)
            | ExprKind::Var(_)
            | ExprKind::Error => {}
        }
    }
}
