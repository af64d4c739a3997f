//! The semantic checker: names, types, scoping, rule matching and constant
//! folding. Turns an [`ast::Script`] into a [`CheckedScript`].
//!
//! Each probe is checked once per (event, mode) its rule matches, because
//! what a name means (and its type) depends on the event: `arg0` is an `i32`
//! at `i32.add` and an `f64` at `f64.add`. In a rule that matches several
//! events, an event where a used `argN`/`resN`/`localN` does not exist or has
//! an incompatible type is skipped rather than reported, as the original
//! does; a rule that then matches nothing is an error.

mod expr;
pub mod fold;
mod generic;
pub mod hir;
mod names;
mod stmt;

use crate::ast::{self, Item, StmtKind};

use crate::diag::{Diagnostic, Diagnostics};
use crate::span::Span;
use hir::*;
use std::collections::HashMap;
use wham_events::{Catalog, EventMatch, Ty, catalog};

/// Check a parsed script. Diagnostics go to `diags`; the result is complete
/// only when `diags` has no errors.
pub fn check(script: &ast::Script, diags: &mut Diagnostics) -> CheckedScript<'static> {
    let mut c = Checker::new(catalog());
    c.run(script);
    let mut seen = std::collections::HashSet::new();
    for d in std::mem::take(&mut c.diags).iter() {
        let key = (d.code, d.primary.span, d.message.clone());
        if seen.insert(key) {
            diags.push(d.clone());
        }
    }
    c.out
}

/// What the body being checked is part of.
#[derive(Clone)]
enum BodyKind {
    /// Global statements: run once at start-up.
    Global,
    Function {
        ret: Ty,
    },
    Probe(ProbeCtx),
}

#[derive(Clone)]
struct ProbeCtx {
    event: EventMatch<'static>,
    bounds: Vec<(String, Ty)>,
    /// The rule matched several events: site-dependent problems skip the
    /// event instead of being errors.
    glob: bool,
}

/// Why an expansion was skipped (reported only if every expansion is).
struct Skip;

/// State of the body (probe, function or global code) being checked.
#[derive(Default)]
struct Body {
    locals: Vec<LocalVar>,
    used: Vec<bool>,
    scopes: Vec<Vec<(String, LocalId)>>,
    /// Set when a site-dependent problem means this event is skipped.
    skipped: bool,
}

struct Checker {
    cat: &'static Catalog,
    diags: Diagnostics,
    out: CheckedScript<'static>,
    libs: HashMap<String, Span>,
    global_ids: HashMap<String, GlobalId>,
    /// Globals declared so far while checking global statements in order.
    globals_visible: usize,
    fn_ids: HashMap<String, FuncId>,
    fn_sigs: Vec<(Vec<Ty>, Ty)>,
    body: Body,
    kind: BodyKind,
    /// Names of bound variables that a global also has, warned once.
    warned_shadow: std::collections::HashSet<String>,
    /// Checking an `unshared`/`report` initialiser, which runs when the
    /// probe is set up (so `@static` arguments may be set-up-time values).
    in_setup_init: bool,
}

impl Checker {
    fn new(cat: &'static Catalog) -> Self {
        Checker {
            cat,
            diags: Diagnostics::default(),
            out: CheckedScript::default(),
            libs: HashMap::new(),
            global_ids: HashMap::new(),
            globals_visible: 0,
            fn_ids: HashMap::new(),
            fn_sigs: Vec::new(),
            body: Body::default(),
            kind: BodyKind::Global,
            warned_shadow: Default::default(),
            in_setup_init: false,
        }
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn run(&mut self, script: &ast::Script) {
        self.declare_items(script);
        // Global statements, in order.
        self.kind = BodyKind::Global;
        self.body = Body::default();
        self.body.scopes.push(Vec::new());
        let mut init = Vec::new();
        for item in &script.items {
            if let Item::Stmt(s) = item {
                init.extend(self.stmt(s));
            }
        }
        self.out.global_init = init;
        self.out.global_locals = std::mem::take(&mut self.body.locals);
        self.globals_visible = self.out.globals.len();
        for item in &script.items {
            if let Item::Fn(f) = item {
                self.function(f);
            }
        }
        let mut number = 0;
        for (index, item) in script.items.iter().enumerate() {
            if let Item::Probe(p) = item {
                self.probe(p, index, &mut number);
            }
        }
    }

    /// First pass: libraries, global variables and function signatures, so
    /// probes and functions can refer to things defined further down.
    fn declare_items(&mut self, script: &ast::Script) {
        let mut first_probe: Option<Span> = None;
        for item in &script.items {
            match item {
                Item::Use(lib) => {
                    if let Some(p) = first_probe {
                        self.err(
                            Diagnostic::error(
                                "E0313",
                                "`use` must come before the first probe",
                                lib.span,
                            )
                            .label("library imported after a probe")
                            .with_secondary(p, "first probe is here")
                            .help("move this `use` to the top of the script"),
                        );
                    }
                    if let Some(prev) = self.libs.get(&lib.name) {
                        let prev = *prev;
                        self.err(
                            Diagnostic::warning(
                                "W0006",
                                format!("library `{}` is imported twice", lib.name),
                                lib.span,
                            )
                            .label("imported again")
                            .with_secondary(prev, "first imported here"),
                        );
                    } else {
                        self.libs.insert(lib.name.clone(), lib.span);
                        self.out.libs.push(lib.name.clone());
                    }
                }
                Item::Probe(p) => {
                    first_probe.get_or_insert(p.rule.span);
                }
                Item::Stmt(s) => {
                    if let StmtKind::Decl { mods, name, ty, .. } = &s.kind {
                        self.declare_global(mods, name, ty.as_ref());
                    }
                }
                Item::Fn(f) => self.declare_function(f),
            }
        }
        if first_probe.is_none() {
            let end = script.items.last().map(item_span).unwrap_or_default();
            self.err(
                Diagnostic::error(
                    "E0314",
                    "the script has no probe",
                    Span::new(end.end as usize, end.end as usize),
                )
                .label("expected at least one probe")
                .help("add a probe such as `wasm:opcode:call:before { ... }`"),
            );
        }
    }

    fn declare_global(
        &mut self,
        mods: &ast::Modifiers,
        name: &ast::Ident,
        ty: Option<&ast::TypeExpr>,
    ) {
        if let Some(s) = mods.unshared {
            self.err(
                Diagnostic::error("E0315", "`unshared` has no meaning on a global variable", s)
                    .label("global variables already have one instance")
                    .help("use `unshared` inside a probe for per-site state, or remove it here"),
            );
        }
        self.reject_future_modifiers(mods);
        self.check_decl_name(name, true);
        let Some(ty) = ty else { return };
        self.check_var_type(ty);
        if let Some(&prev) = self.global_ids.get(&name.name) {
            let prev_span = self.out.globals[prev].span;
            self.duplicate(
                &format!("`{}`", name.name),
                "declared",
                name.span,
                prev_span,
            );
            return;
        }
        self.global_ids
            .insert(name.name.clone(), self.out.globals.len());
        self.out.globals.push(GlobalVar {
            name: name.name.clone(),
            ty: ty.ty.clone(),
            report: mods.report.is_some(),
            span: name.span,
        });
    }

    /// E0304: `subject` ("`x`", "function `f`") is `verb`ed a second time.
    pub(super) fn duplicate(&mut self, subject: &str, verb: &str, span: Span, first: Span) {
        self.err(
            Diagnostic::error("E0304", format!("{subject} is {verb} twice"), span)
                .label(format!("{verb} again here"))
                .with_secondary(first, format!("first {verb} here")),
        );
    }

    fn reject_future_modifiers(&mut self, mods: &ast::Modifiers) {
        for (span, word) in [(mods.frame, "frame"), (mods.shared, "shared")] {
            if let Some(s) = span {
                self.err(
                    Diagnostic::error(
                        "E0310",
                        format!("`{word}` variables are not supported yet"),
                        s,
                    )
                    .label("reserved for a future version")
                    .help("use `unshared` for per-site state or a global for shared state"),
                );
            }
        }
    }

    fn declare_function(&mut self, f: &ast::FnDef) {
        let name = &f.name.name;
        let builtin = self.cat.core_fns.iter().any(|b| &b.name == name)
            || self.all_event_fn_names().any(|n| n == name)
            || expr::is_str_method(name)
            || name == "memid";
        if builtin {
            self.err(
                Diagnostic::error(
                    "E0302",
                    format!("`{name}` is a compiler-provided function"),
                    f.name.span,
                )
                .label("cannot be redefined")
                .help("choose another name for your function"),
            );
        }
        if let Some(&prev) = self.fn_ids.get(name) {
            let prev_span = self.out.functions[prev].span;
            self.duplicate(
                &format!("function `{name}`"),
                "defined",
                f.name.span,
                prev_span,
            );
            return;
        }
        for t in f.params.iter().map(|p| &p.ty).chain(f.ret.as_ref()) {
            self.check_no_type_param(t);
        }
        let params: Vec<Ty> = f.params.iter().map(|p| p.ty.ty.clone()).collect();
        let ret = f.ret.as_ref().map(|t| t.ty.clone()).unwrap_or(Ty::Unit);
        self.fn_ids.insert(name.clone(), self.out.functions.len());
        self.fn_sigs.push((params, ret.clone()));
        self.out.functions.push(Function {
            name: name.clone(),
            params: Vec::new(),
            ret,
            locals: Vec::new(),
            body: Vec::new(),
            span: f.name.span,
        });
    }

    fn all_event_fn_names(&self) -> impl Iterator<Item = &str> {
        self.cat.providers.iter().flat_map(|p| {
            p.fns
                .iter()
                .map(|f| f.name.as_str())
                .chain(p.packages.iter().flat_map(|pk| {
                    pk.fns.iter().map(|f| f.name.as_str()).chain(
                        pk.events
                            .iter()
                            .flat_map(|e| e.fns.iter().map(|f| f.name.as_str())),
                    )
                }))
        })
    }

    fn function(&mut self, f: &ast::FnDef) {
        let Some(&id) = self.fn_ids.get(&f.name.name) else {
            return;
        };
        if self.out.functions[id].span != f.name.span {
            return; // a duplicate definition, already reported
        }
        let ret = self.fn_sigs[id].1.clone();
        self.kind = BodyKind::Function { ret: ret.clone() };
        self.body = Body::default();
        self.body.scopes.push(Vec::new());
        let mut params = Vec::new();
        for p in &f.params {
            self.check_decl_name(&p.name, false);
            self.check_var_type(&p.ty);
            let id = self.add_local(&p.name, p.ty.ty.clone(), Storage::Local);
            // Parameters are not reported as unused.
            self.body.used[id] = true;
            params.push(id);
        }
        let body = self.block(&f.body);
        if ret != Ty::Unit && !always_returns(&body) {
            self.err(
                Diagnostic::error(
                    "E0311",
                    format!(
                        "function `{}` may end without returning {}",
                        f.name.name,
                        a(&ret)
                    ),
                    f.body.span,
                )
                .label("a path through this body has no `return`")
                .help(format!(
                    "end every path with `return <value>;` ({})",
                    a(&ret)
                )),
            );
        }
        self.warn_unused();
        let func = &mut self.out.functions[id];
        func.params = params;
        func.locals = std::mem::take(&mut self.body.locals);
        func.body = body;
    }

    fn probe(&mut self, p: &ast::Probe, source_index: usize, number: &mut usize) {
        let parts: Vec<Option<&str>> = p.rule.parts.iter().map(|r| r.pattern.as_deref()).collect();
        if !(2..=4).contains(&parts.len()) {
            let (msg, help) = if parts.len() > 4 {
                (
                    "a probe rule has at most four parts",
                    "write `provider:package:event:mode`",
                )
            } else {
                (
                    "a probe rule needs at least two parts",
                    "write `provider:package:event:mode`, e.g. `wasm:opcode:call:before`",
                )
            };
            self.err(
                Diagnostic::error("E0401", msg, p.rule.span)
                    .label("this rule")
                    .help(help),
            );
            return;
        }
        let invalid = p.rule.parts.iter().find_map(|part| {
            let pattern = part.pattern.as_deref()?;
            Some((
                pattern,
                part.span,
                wham_events::glob::pattern_error(pattern)?,
            ))
        });
        if let Some((pattern, span, why)) = invalid {
            self.err(
                Diagnostic::error("E0411", format!("invalid pattern `{pattern}`"), span)
                    .label(why)
                    .help("`[...]` matches one of the listed characters, e.g. `i32.[ls]*`"),
            );
            return;
        }
        let matches = match self.cat.match_rule(&parts) {
            Ok(m) => m,
            Err(e) => {
                let span = p
                    .rule
                    .parts
                    .get(e.part)
                    .map(|r| r.span)
                    .unwrap_or(p.rule.span);
                let mut d =
                    Diagnostic::error("E0402", e.message, span).label("matches nothing here");
                if let Some(h) = e.help {
                    d = d.help(h);
                }
                self.err(d);
                return;
            }
        };
        let header = generic::Header::of(&p.rule, &mut self.diags);
        let bounds = self.rule_bounds(&p.rule, header.as_ref());
        let instances = match &header {
            None => vec![generic::Instance::default()],
            Some(h) => {
                if !h.check_bound(&bounds, &mut self.diags) {
                    return;
                }
                match h.instances(&p.rule, &mut self.diags) {
                    Some(i) => i,
                    None => return,
                }
            }
        };
        let generic = header.is_some();
        let narrowing = header.as_ref().is_some_and(|h| h.narrows_by_use());
        let glob = matches.len() > 1;
        let mut kept = 0;
        let mut first_skip: Option<Diagnostics> = None;
        for m in matches {
            // All instances at one event share the probe's number: at any
            // site at most one of them applies.
            let mut kept_here = false;
            let mut first_failure: Option<Diagnostics> = None;
            let bytecode = m.event.and_then(|e| e.opcode.as_ref()).map(|o| o.bytecode);
            for inst in &instances {
                let owned;
                let probe = if generic || bytecode.is_some() {
                    let inst = generic::Instance {
                        bytecode,
                        ..inst.clone()
                    };
                    owned = inst.probe(p);
                    &owned
                } else {
                    p
                };
                let inst_bounds: Vec<_> = bounds
                    .iter()
                    .map(|(n, t, s)| (n.clone(), inst.ty(t), *s))
                    .collect();
                let outer = std::mem::take(&mut self.diags);
                // An instance whose operand types an event does not have
                // just does not apply there, as with a glob.
                let result = self.expansion(
                    probe,
                    m,
                    &inst_bounds,
                    glob || generic,
                    source_index,
                    *number,
                );
                let mut inner = std::mem::replace(&mut self.diags, outer);
                match result {
                    Ok(_) if generic && inner.has_errors() => {
                        let inner = inner.annotate(&format!(
                            "in the instance of this generic probe where {}",
                            inst.describe()
                        ));
                        if narrowing {
                            first_failure.get_or_insert(inner);
                        } else {
                            inner.iter().for_each(|d| self.diags.push(d.clone()));
                        }
                    }
                    Ok(exp) => {
                        kept_here = true;
                        inner.iter().for_each(|d| self.diags.push(d.clone()));
                        self.out.probes.push(exp);
                    }
                    Err(Skip) if first_skip.is_none() => {
                        if generic && !glob {
                            // Why, as an explicit rule would say it.
                            let outer = std::mem::take(&mut self.diags);
                            let _ = self.expansion(probe, m, &inst_bounds, false, source_index, 0);
                            inner = std::mem::replace(&mut self.diags, outer);
                        }
                        first_skip = Some(inner);
                    }
                    Err(Skip) => {}
                }
            }
            if kept_here {
                kept += 1;
                *number += 1;
            } else if let Some(failure) = first_failure {
                // No type the parameters could take works here.
                failure.iter().for_each(|d| self.diags.push(d.clone()));
                return;
            }
        }
        if kept == 0
            && let Some(skipped) = first_skip
        {
            // Every event was skipped: report why for the first one.
            self.err(
                Diagnostic::error("E0403", "this probe applies to no event", p.rule.span)
                    .label("every matched event was ruled out")
                    .note("the errors below are for the first matched event"),
            );
            for d in skipped.iter() {
                self.diags.push(d.clone());
            }
        }
    }

    /// The `(name: type)` bounds of every rule part; only `argN`, `resN`,
    /// `localN` and `immN` may be bounded.
    fn rule_bounds(
        &mut self,
        rule: &ast::Rule,
        header: Option<&generic::Header>,
    ) -> Vec<(String, Ty, Span)> {
        let mut out: Vec<(String, Ty, Span)> = Vec::new();
        for part in &rule.parts {
            for b in &part.bounds {
                let name = &b.name.name;
                if let Ty::Param(p) = &b.ty.ty
                    && !header.is_some_and(|h| h.params.iter().any(|q| q.name.name == *p))
                {
                    self.unknown_type_param(p, b.ty.span);
                    continue;
                }
                // `immN` too: whamm 2.0.1 has `br_table`'s labels only
                // through bounds (`br_table(imm1: u32)`).
                if !matches!(
                    family_index(name),
                    Some(("arg" | "res" | "local" | "imm", _))
                ) {
                    self.err(
                        Diagnostic::error("E0405", format!("`{name}` cannot be given a type in a rule"), b.name.span)
                            .label("not an operand, result, local or immediate")
                            .help("only `argN`, `resN`, `localN` and `immN` can be bounded, e.g. `call(arg0: i32)`"),
                    );
                    continue;
                }
                if !(b.ty.ty.is_primitive()
                    || matches!(b.ty.ty, Ty::V128 | Ty::Funcref | Ty::Param(_)))
                {
                    self.err(
                        Diagnostic::error(
                            "E0405",
                            format!("`{}` cannot hold a Wasm value", b.ty.ty),
                            b.ty.span,
                        )
                        .label("not a value type")
                        .help("bound with a number type, `bool`, `v128` or `funcref`"),
                    );
                    continue;
                }
                if let Some((_, prev, pspan)) = out.iter().find(|(n, _, _)| n == name) {
                    if *prev != b.ty.ty {
                        let pspan = *pspan;
                        self.err(
                            Diagnostic::error(
                                "E0405",
                                format!("`{name}` is bounded twice with different types"),
                                b.name.span,
                            )
                            .label("second bound")
                            .with_secondary(pspan, "first bound"),
                        );
                    }
                    continue;
                }
                out.push((name.clone(), b.ty.ty.clone(), b.name.span));
            }
        }
        out
    }

    fn expansion(
        &mut self,
        p: &ast::Probe,
        event: EventMatch<'static>,
        bounds: &[(String, Ty, Span)],
        glob: bool,
        source_index: usize,
        number: usize,
    ) -> Result<ExpandedProbe<'static>, Skip> {
        self.body = Body::default();
        self.body.scopes.push(Vec::new());
        let mut checked_bounds = Vec::new();
        for (name, ty, span) in bounds {
            if self.check_bound(&event, name, ty, *span, glob).is_err() {
                return Err(Skip);
            }
            checked_bounds.push((name.clone(), ty.clone()));
        }
        self.kind = BodyKind::Probe(ProbeCtx {
            event,
            bounds: checked_bounds.clone(),
            glob,
        });
        let predicate = p.predicate.as_ref().map(|e| {
            let t = self.expr(e, Some(&Ty::Bool));
            self.expect_type(&t, &Ty::Bool, "a predicate");
            t
        });
        let body = self.block(&p.body);
        if self.body.skipped {
            return Err(Skip);
        }
        self.warn_unused();
        Ok(ExpandedProbe {
            number,
            source_index,
            event,
            predicate,
            locals: std::mem::take(&mut self.body.locals),
            body,
            span: p.span,
            written_rule: None,
            // An immediate's bound has typed a static value; the backends
            // filter sites by the operand bounds only.
            bounds: checked_bounds
                .into_iter()
                .filter(|(n, _)| !matches!(family_index(n), Some(("imm", _))))
                .collect(),
        })
    }

    /// Check a rule bound against the event. `Err` means skip the event.
    fn check_bound(
        &mut self,
        event: &EventMatch<'static>,
        name: &str,
        ty: &Ty,
        span: Span,
        glob: bool,
    ) -> Result<(), ()> {
        use wham_events::VarLookup;
        let problem = match event.find_var(name) {
            VarLookup::Found { var, .. } => {
                if var.ty == Ty::Unknown || wasm_repr(&var.ty) == wasm_repr(ty) {
                    return Ok(());
                }
                Diagnostic::error(
                    "E0406",
                    format!(
                        "`{name}` is {} at `{}`, not {}",
                        a(&var.ty),
                        event.rule_name(),
                        a(ty)
                    ),
                    span,
                )
                .label("type does not match this event")
            }
            VarLookup::OutOfRange { family, count } => Diagnostic::error(
                "E0406",
                format!("`{}` has no `{name}`", event.rule_name()),
                span,
            )
            .label(format!("it has {count} `{family}` value(s)")),
            // In an `alt` probe a `resN` bound is not read: it gives the
            // type the replacement must return (`call(res0: i32):alt`).
            VarLookup::WrongMode { .. }
                if name.starts_with("res") && event.mode.is_some_and(|m| m.name == "alt") =>
            {
                return Ok(());
            }
            VarLookup::WrongMode { modes, .. } => {
                let d = Diagnostic::error(
                    "E0407",
                    format!("`{name}` is not available in this mode"),
                    span,
                )
                .label(format!("only in: {}", modes.join(", ")));
                self.err(d);
                return Err(());
            }
            VarLookup::NotFound => Diagnostic::error(
                "E0406",
                format!("`{}` has no `{name}`", event.rule_name()),
                span,
            )
            .label("not bound at this event"),
        };
        if !glob {
            self.err(problem);
        }
        Err(())
    }

    // ----- shared helpers ----------------------------------------------

    fn add_local(&mut self, name: &ast::Ident, ty: Ty, storage: Storage) -> LocalId {
        let id = self.body.locals.len();
        self.body.locals.push(LocalVar {
            name: name.name.clone(),
            ty,
            storage,
            span: name.span,
        });
        self.body.used.push(false);
        if let Some(scope) = self.body.scopes.last_mut() {
            scope.push((name.name.clone(), id));
        }
        id
    }

    /// Names a declaration may not take.
    fn check_decl_name(&mut self, name: &ast::Ident, global: bool) {
        let n = &name.name;
        if family_index(n).is_some() {
            self.err(
                Diagnostic::error("E0303", format!("`{n}` is a reserved name"), name.span)
                    .label("reserved for event values")
                    .help("`argN`, `resN`, `immN` and `localN` name the event's operands, results, immediates and locals; choose another name"),
            );
            return;
        }
        let provider_var = self.cat.core_vars.iter().any(|v| &v.name == n)
            || self
                .cat
                .providers
                .iter()
                .any(|p| p.vars.iter().any(|v| !v.family && &v.name == n));
        let (event_var, event_fn) = match &self.kind {
            BodyKind::Probe(ctx) if !global => (
                matches!(ctx.event.find_var(n), wham_events::VarLookup::Found { .. }),
                ctx.event.find_fn(n).is_some(),
            ),
            _ => (false, false),
        };
        let core_fn = self.cat.core_fns.iter().any(|f| &f.name == n);
        if provider_var || event_var {
            self.err(
                Diagnostic::error("E0305", format!("`{n}` is a bound variable"), name.span)
                    .label("would hide the value the event provides")
                    .help("choose another name"),
            );
        } else if event_fn || core_fn {
            self.err(
                Diagnostic::error(
                    "E0305",
                    format!("`{n}` is a compiler-provided function"),
                    name.span,
                )
                .label("a variable cannot take this name")
                .help("choose another name"),
            );
        }
    }

    /// E0324: a type parameter this probe does not declare (or any outside
    /// a generic probe).
    pub(super) fn unknown_type_param(&mut self, name: &str, span: Span) {
        let help = match crate::parser::unknown_type_help(name) {
            h if h.starts_with("use ") => h.to_string(),
            _ => format!(
                "declare it in the probe's rule, e.g. `wasm:opcode:local.set<{name}: int>(arg0: {name}):before`"
            ),
        };
        self.err(
            Diagnostic::error("E0324", format!("unknown type `{name}`"), span)
                .label("not a type or a type parameter of this probe")
                .help(help),
        );
    }

    /// Whether `ty` names no undeclared type parameter (reporting one).
    pub(super) fn check_no_type_param(&mut self, ty: &ast::TypeExpr) -> bool {
        match first_type_param(&ty.ty) {
            Some(name) => {
                self.unknown_type_param(&name, ty.span);
                false
            }
            None => true,
        }
    }

    /// Map keys and values must be storable; nothing can hold `()`.
    fn check_var_type(&mut self, ty: &ast::TypeExpr) {
        if !self.check_no_type_param(ty) {
            return;
        }
        if let Some(msg) = invalid_var_type(&ty.ty, false) {
            self.err(
                Diagnostic::error("E0308", msg, ty.span)
                    .label("not allowed here")
                    .help("map keys: numbers, bool, str or tuples of those; values: numbers, bool, str or tuples"),
            );
        }
    }

    fn warn_unused(&mut self) {
        for (i, l) in self.body.locals.iter().enumerate() {
            if !self.body.used[i] && l.storage == Storage::Local && !l.name.starts_with('_') {
                self.diags.push(
                    Diagnostic::warning("W0001", format!("unused variable `{}`", l.name), l.span)
                        .label("declared but never read")
                        .help(format!("remove it, or name it `_{}` to keep it", l.name)),
                );
            }
        }
    }

    /// Report a type mismatch between `t` and `want`.
    fn expect_type(&mut self, t: &TExpr, want: &Ty, what: &str) {
        if t.ty == *want || t.ty == Ty::Unknown || want == &Ty::Unknown {
            return;
        }
        let mut d = Diagnostic::error(
            "E0301",
            format!("{what} must be {}, but this is {}", a(want), a(&t.ty)),
            t.span,
        )
        .label(format!("this is {}", a(&t.ty)));
        if t.ty.is_primitive() && want.is_primitive() {
            d = d.help(format!("add `as {want}` to convert it"));
        }
        self.err(d);
    }
}

/// `argN`/`resN`/`immN`/`localN` → (family, N).
pub(crate) fn family_index(name: &str) -> Option<(&str, u32)> {
    for fam in ["arg", "res", "imm", "local"] {
        if let Some(rest) = name.strip_prefix(fam)
            && !rest.is_empty()
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            return rest.parse().ok().map(|n| (fam, n));
        }
    }
    None
}

/// The Wasm value type that holds a script type, if it is a scalar.
pub(crate) fn wasm_repr(ty: &Ty) -> Option<wham_events::WasmType> {
    use wham_events::WasmType::*;
    Some(match ty {
        Ty::U8 | Ty::I8 | Ty::U16 | Ty::I16 | Ty::U32 | Ty::I32 | Ty::Bool => I32,
        Ty::U64 | Ty::I64 => I64,
        Ty::F32 => F32,
        Ty::F64 => F64,
        Ty::V128 => V128,
        Ty::Funcref => Funcref,
        _ => return None,
    })
}

/// The first type parameter `ty` mentions.
fn first_type_param(ty: &Ty) -> Option<String> {
    match ty {
        Ty::Param(n) => Some(n.clone()),
        Ty::Tuple(items) => items.iter().find_map(first_type_param),
        Ty::Map(k, v) => first_type_param(k).or_else(|| first_type_param(v)),
        _ => None,
    }
}

/// Why a variable cannot have this type, if it cannot.
fn invalid_var_type(ty: &Ty, in_tuple: bool) -> Option<String> {
    match ty {
        Ty::Unit if !in_tuple => Some("a variable cannot have type `()`".into()),
        Ty::Unknown => Some("a variable needs a concrete type".into()),
        Ty::Tuple(items) => items.iter().find_map(|t| {
            if matches!(t, Ty::Map(..)) {
                Some("tuples cannot contain maps".into())
            } else {
                invalid_var_type(t, true)
            }
        }),
        Ty::Map(k, v) => {
            let key_ok = |t: &Ty| t.is_primitive() || *t == Ty::Str;
            let k_ok = key_ok(k) || matches!(&**k, Ty::Tuple(items) if items.iter().all(key_ok));
            let v_ok = key_ok(v)
                || matches!(&**v, Ty::Tuple(items) if items.iter().all(|t| key_ok(t) || matches!(t, Ty::Tuple(_))));
            if !k_ok {
                Some(format!("`{k}` cannot be a map key"))
            } else if !v_ok {
                Some(format!("`{v}` cannot be a map value"))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Whether every path through `stmts` ends in `return`.
fn always_returns(stmts: &[TStmt]) -> bool {
    stmts.iter().any(|s| match s {
        TStmt::Return(..) => true,
        TStmt::If {
            branches,
            otherwise,
        } => {
            !otherwise.is_empty()
                && branches.iter().all(|(_, b)| always_returns(b))
                && always_returns(otherwise)
        }
        _ => false,
    })
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Use(i) => i.span,
        Item::Stmt(s) => s.span,
        Item::Fn(f) => f.span,
        Item::Probe(p) => p.span,
    }
}

/// "a `u32`", "an `i32`": the type with its article, for messages.
pub(crate) fn a(ty: &Ty) -> String {
    let text = ty.to_string();
    let article = if text.starts_with(['i', 'f', 'e', 'a', 'o']) {
        "an"
    } else {
        "a"
    };
    format!("{article} `{text}`")
}
