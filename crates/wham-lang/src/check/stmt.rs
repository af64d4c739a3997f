//! Checking statements and blocks.

use super::hir::*;
use super::{BodyKind, Checker};
use crate::ast::{self, ExprKind, StmtKind};
use crate::diag::Diagnostic;
use crate::span::Span;
use wham_events::Ty;

impl Checker {
    pub(super) fn block(&mut self, b: &ast::Block) -> Vec<TStmt> {
        self.body.scopes.push(Vec::new());
        let mut out = Vec::new();
        let mut returned: Option<Span> = None;
        let mut warned = false;
        for s in &b.stmts {
            if let Some(ret) = returned
                && !warned
            {
                warned = true;
                self.err(
                    Diagnostic::warning("W0002", "unreachable code", s.span)
                        .label("this never runs")
                        .with_secondary(ret, "any code after this `return` is unreachable"),
                );
            }
            if let Some(t) = self.stmt(s) {
                if matches!(t, TStmt::Return(..)) {
                    returned.get_or_insert(s.span);
                }
                out.push(t);
            }
        }
        self.body.scopes.pop();
        out
    }

    pub(super) fn stmt(&mut self, s: &ast::Stmt) -> Option<TStmt> {
        match &s.kind {
            StmtKind::Decl {
                mods,
                name,
                ty,
                init,
            } => self.decl(mods, name, ty.as_ref(), init.as_ref()),
            StmtKind::Assign { target, value } => {
                let (place, ty) = self.place(target)?;
                let v = self.expr(value, Some(&ty));
                self.expect_type(&v, &ty, "the assigned value");
                Some(TStmt::Assign {
                    place,
                    value: v,
                    span: s.span,
                })
            }
            StmtKind::Incr { target, delta } => {
                let (place, ty) = self.place(target)?;
                if !ty.is_numeric() {
                    let op = if *delta > 0 { "++" } else { "--" };
                    self.err(
                        Diagnostic::error(
                            "E0301",
                            format!("`{op}` needs a number, but this is {}", super::a(&ty)),
                            target.span,
                        )
                        .label(super::a(&ty)),
                    );
                }
                Some(TStmt::Incr {
                    place,
                    delta: *delta,
                    span: s.span,
                })
            }
            StmtKind::Expr(e) => Some(TStmt::Expr(self.expr(e, None))),
            StmtKind::Init(e) => self.init_call(e),
            StmtKind::Return(value) => self.return_stmt(value.as_ref(), s.span),
            StmtKind::If {
                branches,
                otherwise,
            } => {
                let branches = branches
                    .iter()
                    .map(|(cond, block)| {
                        let c = self.expr(cond, Some(&Ty::Bool));
                        self.expect_type(&c, &Ty::Bool, "a condition");
                        (c, self.block(block))
                    })
                    .collect();
                let otherwise = otherwise
                    .as_ref()
                    .map(|b| self.block(b))
                    .unwrap_or_default();
                Some(TStmt::If {
                    branches,
                    otherwise,
                })
            }
        }
    }

    fn decl(
        &mut self,
        mods: &ast::Modifiers,
        name: &ast::Ident,
        ty: Option<&ast::TypeExpr>,
        init: Option<&ast::Expr>,
    ) -> Option<TStmt> {
        let init = match init.and_then(|e| e.find_var(&name.name)) {
            Some(at) => {
                self.err(
                    Diagnostic::error(
                        "E0326",
                        format!("`{}` cannot be used in its own initial value", name.name),
                        at,
                    )
                    .label("the variable being declared")
                    .help("declare it first, then assign it in a statement of its own"),
                );
                None
            }
            None => init,
        };
        let top_level_global = matches!(self.kind, BodyKind::Global) && self.body.scopes.len() == 1;
        if top_level_global {
            // Declared in the first pass; here only the initializer runs.
            let id = self
                .global_ids
                .get(&name.name)
                .copied()
                .filter(|&id| self.out.globals[id].span == name.span);
            let value = init.map(|e| {
                let want = ty.map(|t| t.ty.clone());
                let v = self.expr(e, want.as_ref());
                if let Some(w) = &want {
                    self.expect_type(&v, w, "the initial value");
                }
                v
            });
            let id = id?;
            self.globals_visible = self.globals_visible.max(id + 1);
            return value.map(|v| TStmt::Assign {
                place: Place::Var(VarRef::Global(id)),
                value: v,
                span: name.span,
            });
        }
        self.reject_future_modifiers(mods);
        let persistent = mods.report.or(mods.unshared);
        match (&self.kind, persistent) {
            (BodyKind::Function { .. }, Some(span)) => {
                self.err(
                    Diagnostic::error(
                        "E0316",
                        "`report` and `unshared` variables cannot be declared in functions",
                        span,
                    )
                    .label("per-site state belongs to a probe")
                    .help("declare it in the probe, or as a global"),
                );
            }
            (BodyKind::Global, Some(span)) => {
                self.err(
                    Diagnostic::error("E0316", "`report`/`unshared` variables must be declared at the top level or in a probe", span)
                        .label("inside a block of global code"),
                );
            }
            _ => {}
        }
        self.check_decl_name(name, false);
        if let Some(prev) = self
            .body
            .scopes
            .last()
            .and_then(|s| s.iter().find(|(n, _)| *n == name.name))
        {
            let prev_span = self.body.locals[prev.1].span;
            self.duplicate(
                &format!("`{}`", name.name),
                "declared",
                name.span,
                prev_span,
            );
        }
        let Some(ty) = ty else {
            if let Some(e) = init {
                self.expr(e, None);
            }
            return None;
        };
        self.check_var_type(ty);
        let probe = matches!(self.kind, BodyKind::Probe(_));
        if probe && persistent.is_some() {
            let init = init.map(|e| {
                self.in_setup_init = true;
                let v = self.expr(e, Some(&ty.ty));
                self.in_setup_init = false;
                self.expect_type(&v, &ty.ty, "the initial value");
                if let Err(dynamic) = self.known_at_setup(&v) {
                    self.err(
                        Diagnostic::error("E0317", "this initial value is not known when the probe is set up", dynamic)
                            .label("only known when the probe runs")
                            .note("`unshared` and `report` variables are initialised once per match site, before the program runs")
                            .help("initialise with constants, the site's static values (fid, pc, fname, immN), globals, earlier per-site variables and function calls; assign run-time values in the body"),
                    );
                }
                v
            });
            self.add_local(
                name,
                ty.ty.clone(),
                Storage::Unshared {
                    report: mods.report.is_some(),
                    init,
                },
            );
            return None;
        }
        if matches!(ty.ty, Ty::Map(..)) {
            self.err(
                Diagnostic::error("E0318", "a map cannot be a temporary variable", name.span)
                    .label("would be emptied every time")
                    .help(
                        "declare maps as globals, or as `unshared`/`report` variables in a probe",
                    ),
            );
        }
        let value = init.map(|e| {
            let v = self.expr(e, Some(&ty.ty));
            self.expect_type(&v, &ty.ty, "the initial value");
            v
        });
        let local = self.add_local(name, ty.ty.clone(), Storage::Local);
        Some(TStmt::Let { local, value })
    }

    fn init_call(&mut self, e: &ast::Expr) -> Option<TStmt> {
        let t = self.expr(e, None);
        if !matches!(t.kind, TExprKind::LibCall { .. }) {
            self.err(
                Diagnostic::error("E0212", "`@init` must annotate a library call", e.span)
                    .label("not a library call")
                    .help("write `@init lib.function(args);` after `use lib;`"),
            );
            return None;
        }
        match self.kind {
            BodyKind::Function { .. } => {
                self.err(
                    Diagnostic::error(
                        "E0212",
                        "`@init` calls belong at the top level or in a probe",
                        e.span,
                    )
                    .label("inside a function"),
                );
            }
            BodyKind::Probe(_) => {
                let TExprKind::LibCall { args, .. } = &t.kind else {
                    return None;
                };
                if let Err(dynamic) = args.iter().try_for_each(super::expr::site_static) {
                    self.err(
                        Diagnostic::error(
                            "E0317",
                            "`@init` arguments must be known when the probe is set up",
                            dynamic,
                        )
                        .label("only known when the probe runs"),
                    );
                }
            }
            BodyKind::Global => {}
        }
        Some(TStmt::Init(t))
    }

    fn return_stmt(&mut self, value: Option<&ast::Expr>, span: Span) -> Option<TStmt> {
        match (&self.kind, value) {
            (BodyKind::Global, _) => {
                self.err(
                    Diagnostic::error("E0312", "`return` outside a function or probe", span)
                        .label("global statements cannot return"),
                );
                None
            }
            (BodyKind::Function { ret }, v) => {
                let ret = ret.clone();
                let v = v.map(|e| {
                    let t = self.expr(e, Some(&ret));
                    self.expect_type(&t, &ret, "the returned value");
                    t
                });
                if v.is_none() && ret != Ty::Unit {
                    self.err(
                        Diagnostic::error(
                            "E0301",
                            format!("this function must return {}", super::a(&ret)),
                            span,
                        )
                        .label("`return` without a value"),
                    );
                }
                Some(TStmt::Return(v, span))
            }
            (BodyKind::Probe(_), None) => Some(TStmt::Return(None, span)),
            (BodyKind::Probe(ctx), Some(e)) => {
                let event = ctx.event;
                let is_alt = event.mode.is_some_and(|m| m.name == "alt");
                if !is_alt {
                    self.err(
                        Diagnostic::error("E0319", "only `alt` probes can return a value", e.span)
                            .label("a value here has nowhere to go")
                            .help("an `alt` probe replaces the instruction and its value becomes the result; other probes can only `return;`"),
                    );
                    self.expr(e, None);
                    return None;
                }
                let want = self.alt_result_type();
                let t = self.expr(e, want.as_ref());
                match want {
                    Some(w) => self.expect_type(&t, &w, "the replacement result"),
                    None => self.skip_or_err(
                        Diagnostic::error(
                            "E0404",
                            format!("the results of `{}` depend on the site", event.rule_name()),
                            e.span,
                        )
                        .label("result type unknown")
                        .help("give the result types in the rule, e.g. `call(res0: i32):alt`"),
                    ),
                }
                Some(TStmt::Return(Some(t), span))
            }
        }
    }

    /// The type an `alt` probe must return: the instruction's results, from
    /// the catalog or the rule's `resN` bounds.
    fn alt_result_type(&self) -> Option<Ty> {
        let BodyKind::Probe(ctx) = &self.kind else {
            return None;
        };
        let results: Vec<Ty> = match ctx
            .event
            .event
            .and_then(|e| e.opcode.as_ref())
            .and_then(|o| o.results.clone())
        {
            Some(r) => r.into_iter().map(Ty::from_val_type).collect(),
            None => {
                let mut bounded: Vec<(u32, Ty)> = ctx
                    .bounds
                    .iter()
                    .filter_map(|(n, t)| match super::family_index(n) {
                        Some(("res", i)) => Some((i, t.clone())),
                        _ => None,
                    })
                    .collect();
                bounded.sort_by_key(|(i, _)| *i);
                if bounded.iter().enumerate().any(|(i, (n, _))| i as u32 != *n) {
                    return None;
                }
                if bounded.is_empty() {
                    return None;
                }
                bounded.into_iter().map(|(_, t)| t).collect()
            }
        };
        Some(match results.len() {
            0 => Ty::Unit,
            1 => results.into_iter().next().expect("one"),
            _ => Ty::Tuple(results),
        })
    }

    /// Resolve an assignment target.
    fn place(&mut self, target: &ast::Expr) -> Option<(Place, Ty)> {
        match &target.kind {
            ExprKind::Paren(inner) => self.place(inner),
            ExprKind::Var(id) => {
                let (var, ty) = self.resolve_var(id, true)?;
                Some((Place::Var(var), ty))
            }
            ExprKind::Index { base, index } => {
                let ExprKind::Var(id) = &base.kind else {
                    self.err(
                        Diagnostic::error(
                            "E0321",
                            "only a map variable can be written by key",
                            base.span,
                        )
                        .label("not a variable"),
                    );
                    return None;
                };
                let (var, ty) = self.resolve_var(id, false)?;
                let Ty::Map(k, v) = ty else {
                    self.err(
                        Diagnostic::error(
                            "E0301",
                            format!("`{}` is {}, not a map", id.name, super::a(&ty)),
                            base.span,
                        )
                        .label("cannot be indexed"),
                    );
                    return None;
                };
                let key = self.expr(index, Some(&k));
                self.expect_type(&key, &k, "the map key");
                Some((Place::MapElem { map: var, key }, *v))
            }
            ExprKind::Field { .. } => {
                let mut path = Vec::new();
                let mut cur = target;
                while let ExprKind::Field { base, index, .. } = &cur.kind {
                    path.push((*index, cur.span));
                    cur = base;
                }
                let ExprKind::Var(id) = &cur.kind else {
                    self.err(
                        Diagnostic::error(
                            "E0321",
                            "only a tuple variable's elements can be assigned",
                            cur.span,
                        )
                        .label("not a variable"),
                    );
                    return None;
                };
                let (var, mut ty) = self.resolve_var(id, true)?;
                path.reverse();
                let mut indices = Vec::new();
                for (i, span) in path {
                    ty = self.tuple_element(&ty, i, span)?;
                    indices.push(i);
                }
                Some((Place::Field { var, path: indices }, ty))
            }
            _ => {
                self.err(
                    Diagnostic::error("E0321", "cannot assign to this expression", target.span)
                        .label("not a variable, map element or tuple element"),
                );
                None
            }
        }
    }
}
