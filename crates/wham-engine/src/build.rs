//! A script as a monitor module: each probe becomes an exported function
//! whose name says where it goes and what it receives (`abi.rs`); the
//! engine calls it from the sites it weaves into the unmodified app.
//!
//! Everything else — globals, user functions, maps, strings, printing,
//! `wasm:begin`/`wasm:end`, the report — is what the rewriter generates
//! for an app with no functions, so both targets share one code generator.
//!
//! Per probe `k`:
//! * `$pred{k}(static values) -> i32`: the conjuncts of the predicate that
//!   only read static values, called once per candidate site.
//! * `$alloc{k}(static values) -> i32`: per-site state (`unshared`
//!   variables, copies of string values, `@static` results, `@init` calls,
//!   report rows), called once per site; its result is the probe's first
//!   parameter.
//! * the probe: numeric static values, then dynamic ones (`arg0`, `res0`,
//!   `local1`, `effective_addr`), as parameters.

use crate::abi::{Call, Param, ProbeExport};
use std::collections::BTreeMap;
use wasm_encoder::{BlockType, Instruction as I, ValType};
use wham_codegen::eval::StaticFacts;
use wham_codegen::lower::{DynValue, Exit, LocalAlloc, Lowerer, Site};
use wham_codegen::module::{Additions, Body};
use wham_codegen::report::{DYN_ROW, DynRows, ReportVar, RowSite, ValueAt};
use wham_codegen::repr::{self, val_types};
use wham_codegen::uses::{Node, each_expr_mut, each_stmt_expr_mut, walk};
use wham_codegen::{Unsupported, maps};
use wham_events::{Ty, ValueKind};
use wham_lang::check::hir::{
    ExpandedProbe, LocalVar, Place, Storage, TExpr, TExprKind, TStmt, Value, VarRef,
};
use wham_rewrite::support::Support;

/// A bound value a monitor function receives.
#[derive(Clone, Debug, PartialEq)]
struct Bound {
    name: String,
    ty: Ty,
}

/// How one probe is split into monitor functions.
pub struct ProbeAbi {
    index: usize,
    rule: String,
    static_pred: Option<TExpr>,
    dynamic_pred: Option<TExpr>,
    /// Values of `$pred`.
    pred_params: Vec<Bound>,
    /// Values of `$alloc`.
    alloc_params: Vec<Bound>,
    /// String values the body reads, copied into the site's block.
    strings: Vec<String>,
    /// Numeric static, then dynamic values of the probe.
    params: Vec<Bound>,
    needs_alloc: bool,
    /// An `alt` probe: the values it leaves instead of the instruction's.
    alt: Option<Vec<ValType>>,
    /// Event values the probe assigns; it returns their new values.
    returns: Vec<Bound>,
}

/// The events the engine weaves (the rest run inside the monitor).
fn is_sited(p: &ExpandedProbe<'_>) -> bool {
    !matches!(
        p.event.package.name.as_str(),
        "begin" | "end" | "report" | "trap"
    )
}

/// The export the engine calls when the program traps:
/// `(kind_ptr, kind_len, fid, pc)`, the kind in `whamm_buffer`.
pub const TRAP_EXPORT: &str = "wasm:trap";

/// The rule as the export name spells it: the original's form (no mode)
/// for `before`, the mode appended for the others (an extension).
fn export_rule(p: &ExpandedProbe<'_>) -> String {
    let full = p.event.rule_name();
    match p.event.mode.map(|m| m.name) {
        Some("before") => full.trim_end_matches(":before").to_string(),
        _ => full,
    }
}

/// `a && b && c` as its parts.
fn conjuncts(e: &TExpr, out: &mut Vec<TExpr>) {
    match &e.kind {
        TExprKind::Binary {
            op: wham_lang::ast::BinOp::And,
            lhs,
            rhs,
        } => {
            conjuncts(lhs, out);
            conjuncts(rhs, out);
        }
        _ => out.push(e.clone()),
    }
}

fn and_all(mut parts: Vec<TExpr>) -> Option<TExpr> {
    let first = parts.pop()?;
    Some(parts.into_iter().rev().fold(first, |acc, e| TExpr {
        span: e.span,
        ty: Ty::Bool,
        kind: TExprKind::Binary {
            op: wham_lang::ast::BinOp::And,
            lhs: Box::new(e),
            rhs: Box::new(acc),
        },
    }))
}

/// Whether `e` reads only static values of the site (so the engine can
/// decide it once per site).
fn site_static(e: &TExpr) -> bool {
    let mut ok = true;
    walk(Some(e), &[], &mut |n| match n {
        Node::Var(VarRef::Bound { kind, .. }) => ok &= *kind == ValueKind::Static,
        Node::Var(_) => ok = false,
        Node::Expr(x) => match &x.kind {
            TExprKind::Call { .. } | TExprKind::Index { .. } => ok = false,
            TExprKind::Builtin { kind, .. } => ok &= *kind == ValueKind::Static,
            _ => {}
        },
    });
    ok
}

/// Bound values `code` reads, in first-use order.
fn bound_reads(predicate: Option<&TExpr>, body: &[TStmt], out: &mut Vec<(Bound, ValueKind)>) {
    walk(predicate, body, &mut |n| {
        if let Node::Expr(TExpr {
            kind: TExprKind::Var(VarRef::Bound { name, kind, .. }),
            ty,
            ..
        }) = n
        {
            let b = Bound {
                name: name.clone(),
                ty: ty.clone(),
            };
            if !out.iter().any(|(x, _)| x.name == b.name) {
                out.push((b, *kind));
            }
        }
    });
}

/// Event values the body assigns (`arg0 = 1`), with the assigned type:
/// the probe returns their new values and the engine writes them back.
fn bound_writes(body: &[TStmt], out: &mut Vec<Bound>) {
    for s in body {
        match s {
            TStmt::Assign {
                place: Place::Var(VarRef::Bound { name, .. }),
                value,
                ..
            } if !out.iter().any(|b| &b.name == name) => {
                out.push(Bound {
                    name: name.clone(),
                    ty: value.ty.clone(),
                });
            }
            TStmt::If {
                branches,
                otherwise,
            } => {
                for (_, b) in branches {
                    bound_writes(b, out);
                }
                bound_writes(otherwise, out);
            }
            _ => {}
        }
    }
}

/// The type of the first `return v` in `body` (what an `alt` leaves).
fn returned_type(body: &[TStmt]) -> Option<Ty> {
    body.iter().find_map(|s| match s {
        TStmt::Return(Some(v), _) => Some(v.ty.clone()),
        TStmt::If {
            branches,
            otherwise,
        } => branches
            .iter()
            .find_map(|(_, b)| returned_type(b))
            .or_else(|| returned_type(otherwise)),
        _ => None,
    })
}

/// Replace each `@static` call in `e` by a per-site variable that
/// `$alloc` initialises with the call (made once per site, when the
/// engine attaches the probe, as the original engine does).
fn hoist_static(e: &mut TExpr, locals: &mut Vec<LocalVar>) {
    each_expr_mut(e, &mut |x| {
        let TExprKind::LibCall {
            is_static: true, ..
        } = &x.kind
        else {
            return false;
        };
        let mut call = x.clone();
        unstatic(&mut call);
        locals.push(LocalVar {
            name: format!("@static{}", locals.len()),
            ty: x.ty.clone(),
            storage: Storage::Unshared {
                report: false,
                init: Some(call),
            },
            span: x.span,
        });
        x.kind = TExprKind::Var(VarRef::Local(locals.len() - 1));
        true
    });
}

/// Values the event itself fixes become constants, and `addr` the operand
/// it names, so the export asks only for what Wizard supplies (`pc`, `fid`,
/// `argN`, `immN`, ...; `wizard.rs`).
fn in_terms_wizard_supplies(p: &mut ExpandedProbe<'_>) {
    let Some(event) = p.event.event else {
        return;
    };
    let info = event.opcode.as_ref();
    let addr_arg = info.and_then(|o| o.mem).map(|m| m.addr_arg);
    let rewrite = |x: &mut TExpr| {
        let TExprKind::Var(VarRef::Bound { name, .. }) = &x.kind else {
            return false;
        };
        let constant = match (name.as_str(), info) {
            ("opname", Some(_)) => Value::Str(event.name.as_bytes().to_vec()),
            ("category_id", Some(o)) => Value::Int(o.category.id().into()),
            ("category_name", Some(o)) => Value::Str(o.category.name().as_bytes().to_vec()),
            ("addr", _) => {
                let Some(k) = addr_arg else {
                    return false;
                };
                x.kind = TExprKind::Var(VarRef::Bound {
                    name: format!("arg{k}"),
                    kind: ValueKind::Dynamic,
                    index: Some(k),
                });
                return true;
            }
            _ => return false,
        };
        x.kind = TExprKind::Const(constant);
        true
    };
    each_probe_expr_mut(p, rewrite);
}

/// Apply `f` to every expression of `p` (predicate, body, initialisers),
/// outermost first, not descending where it returns true.
fn each_probe_expr_mut(p: &mut ExpandedProbe<'_>, mut f: impl FnMut(&mut TExpr) -> bool) {
    if let Some(e) = &mut p.predicate {
        each_expr_mut(e, &mut f);
    }
    for l in &mut p.locals {
        if let Storage::Unshared { init: Some(i), .. } = &mut l.storage {
            each_expr_mut(i, &mut f);
        }
    }
    each_stmt_expr_mut(&mut p.body, &mut f);
}

/// `@static` calls in code that already runs at bind time are plain calls.
fn unstatic(e: &mut TExpr) {
    each_expr_mut(e, &mut |x| {
        if let TExprKind::LibCall { is_static, .. } = &mut x.kind {
            *is_static = false;
        }
        false
    });
}

fn hoist_stmts(ss: &mut [TStmt], locals: &mut Vec<LocalVar>) {
    for s in ss {
        match s {
            TStmt::Let { value: Some(v), .. } => hoist_static(v, locals),
            TStmt::Assign { place, value, .. } => {
                if let Place::MapElem { key, .. } = place {
                    hoist_static(key, locals);
                }
                hoist_static(value, locals);
            }
            TStmt::Expr(e) => hoist_static(e, locals),
            TStmt::Return(Some(e), _) => hoist_static(e, locals),
            TStmt::If {
                branches,
                otherwise,
            } => {
                for (c, b) in branches {
                    hoist_static(c, locals);
                    hoist_stmts(b, locals);
                }
                hoist_stmts(otherwise, locals);
            }
            _ => {}
        }
    }
}

/// Core functions that write the app's memory: the monitor's sandbox
/// forbids them on this target.
fn app_memory_uses(p: &ExpandedProbe<'_>, errors: &mut Vec<Unsupported>) {
    walk(p.predicate.as_ref(), &p.body, &mut |n| {
        if let Node::Expr(TExpr {
            kind: TExprKind::Builtin { name, args, .. },
            span,
            ..
        }) = n
            && APP_MEMORY_FNS.contains(&name.as_str())
            && !into_own_memory(name, args)
        {
            let e = Unsupported {
                what: format!(
                    "`{name}` (it writes the app's memory, which a monitor must not change)"
                ),
                span: *span,
            };
            if !errors.contains(&e) {
                errors.push(e);
            }
        }
    });
}

/// Whether a copy only touches the monitor's own memory (`memid(whamm_core)`
/// as destination; for `memcpy`, as source too).
fn into_own_memory(name: &str, args: &[TExpr]) -> bool {
    let own = |i: usize| {
        matches!(args.get(i).map(|a| &a.kind), Some(TExprKind::Builtin { name, args, .. })
            if name == "memid"
                && matches!(args.first().map(|a| &a.kind),
                    Some(TExprKind::Const(Value::Str(lib))) if lib == wham_rewrite::CORE.as_bytes()))
    };
    match name {
        "write_str" => own(0),
        "memcpy" => own(0) && own(2),
        _ => false,
    }
}

/// Core functions that write the app's memory: a monitor may not (reads
/// go through the host, which copies).
const APP_MEMORY_FNS: &[&str] = &["memcpy", "write_str"];

/// The script as the monitor runs it: `@static` calls of sited probes
/// hoisted into per-site state; static predicate conjuncts split off.
pub fn prepare<'c>(
    script: &wham_lang::CheckedScript<'c>,
) -> Result<(wham_lang::CheckedScript<'c>, Vec<ProbeAbi>), Vec<Unsupported>> {
    let mut script = script.clone();
    let mut abis = Vec::new();
    let mut errors = Vec::new();
    for (index, p) in script.probes.iter_mut().enumerate() {
        if !is_sited(p) {
            continue;
        }
        in_terms_wizard_supplies(p);
        let is_alt = p.event.mode.map(|m| m.name) == Some("alt");
        let mut returns = Vec::new();
        bound_writes(&p.body, &mut returns);
        let mut parts = Vec::new();
        if let Some(pr) = &p.predicate {
            conjuncts(pr, &mut parts);
        }
        let (stat, dynamic): (Vec<TExpr>, Vec<TExpr>) = parts.into_iter().partition(site_static);
        let static_pred = and_all(stat).map(|mut e| {
            // Bind-time code calls libraries directly.
            unstatic(&mut e);
            e
        });
        let mut dynamic_pred = and_all(dynamic);
        if let Some(d) = &mut dynamic_pred {
            hoist_static(d, &mut p.locals);
        }
        hoist_stmts(&mut p.body, &mut p.locals);
        // Initialisers and `@init` calls run in `$alloc`, at bind time.
        for l in &mut p.locals {
            if let Storage::Unshared { init: Some(i), .. } = &mut l.storage {
                unstatic(i);
            }
        }
        for s in &mut p.body {
            if let TStmt::Init(e) = s {
                unstatic(e);
            }
        }
        // The plan looks here for the library calls to import.
        p.predicate = and_all(static_pred.iter().chain(&dynamic_pred).cloned().collect());
        app_memory_uses(p, &mut errors);

        let mut pred_reads = Vec::new();
        bound_reads(static_pred.as_ref(), &[], &mut pred_reads);
        let mut body_reads = Vec::new();
        bound_reads(dynamic_pred.as_ref(), &p.body, &mut body_reads);
        let mut alloc_reads = Vec::new();
        let inits: Vec<TStmt> = p
            .body
            .iter()
            .filter(|s| matches!(s, TStmt::Init(_)))
            .cloned()
            .collect();
        for l in &p.locals {
            if let Storage::Unshared { init: Some(i), .. } = &l.storage {
                bound_reads(Some(i), &[], &mut alloc_reads);
            }
        }
        bound_reads(None, &inits, &mut alloc_reads);
        let unshared = p
            .locals
            .iter()
            .any(|l| matches!(l.storage, Storage::Unshared { .. }));
        let reports = p
            .locals
            .iter()
            .any(|l| matches!(l.storage, Storage::Unshared { report: true, .. }));
        let mut strings: Vec<String> = body_reads
            .iter()
            .filter(|(b, _)| b.ty == Ty::Str)
            .map(|(b, _)| b.name.clone())
            .collect();
        if reports && !strings.iter().any(|s| s == "fname") {
            strings.push("fname".into());
        }
        let needs_alloc = unshared || !strings.is_empty() || !inits.is_empty();
        let mut alloc_params: Vec<Bound> = alloc_reads.into_iter().map(|(b, _)| b).collect();
        // Strings that per-site initialisers read (`= opname`) are copied
        // too: the engine reuses its buffer for the next site.
        for b in &alloc_params {
            if b.ty == Ty::Str && !strings.contains(&b.name) {
                strings.push(b.name.clone());
            }
        }
        let mut need = |name: &str, ty: Ty| {
            if !alloc_params.iter().any(|b| b.name == name) {
                alloc_params.push(Bound {
                    name: name.into(),
                    ty,
                });
            }
        };
        if reports {
            need("fid", Ty::U32);
            // Rows sort by (fid, pc, probe): `pc` grows with the
            // instruction index, and Wizard supplies no `opidx`.
            need("pc", Ty::U32);
        }
        for s in &strings {
            need(s, Ty::Str);
        }
        // Assigned values are passed in so the probe can return them.
        for r in &returns {
            if !body_reads.iter().any(|(b, _)| b.name == r.name) {
                body_reads.push((r.clone(), ValueKind::Dynamic));
            }
        }
        // A bounded operand filters sites even when the body never reads
        // it; the engine filters on the types of what it passes.
        for (name, ty) in &p.bounds {
            // An alt's `resN` bounds type its result, which the export's
            // own result type already says.
            if is_alt && name.starts_with("res") {
                continue;
            }
            if !body_reads.iter().any(|(b, _)| &b.name == name) {
                body_reads.push((
                    Bound {
                        name: name.clone(),
                        ty: ty.clone(),
                    },
                    ValueKind::Dynamic,
                ));
            }
        }
        let params = body_reads
            .iter()
            .filter(|(b, k)| *k == ValueKind::Static && b.ty != Ty::Str)
            .chain(body_reads.iter().filter(|(_, k)| *k == ValueKind::Dynamic))
            .map(|(b, _)| b.clone())
            .collect();
        abis.push(ProbeAbi {
            index,
            rule: export_rule(p),
            static_pred,
            dynamic_pred,
            pred_params: pred_reads.into_iter().map(|(b, _)| b).collect(),
            alloc_params,
            strings,
            params,
            needs_alloc,
            alt: is_alt.then(|| {
                returned_type(&p.body)
                    .map(|t| val_types(&t))
                    .unwrap_or_default()
            }),
            returns,
        });
    }
    // Global statements run when the monitor starts, before binding.
    for s in &mut script.global_init {
        match s {
            TStmt::Init(e) | TStmt::Expr(e) => unstatic(e),
            TStmt::Assign { value, .. } => unstatic(value),
            TStmt::Let { value: Some(v), .. } => unstatic(v),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok((script, abis))
    } else {
        Err(errors)
    }
}

/// A monitor function's view of its site: every value is a parameter (or
/// a string copied into the site's block); nothing is known statically.
struct MonitorSite {
    values: BTreeMap<String, DynValue>,
    host: Option<wham_codegen::eval::AppMemoryHost>,
}

impl StaticFacts for MonitorSite {
    fn static_value(&self, name: &str, _: Option<u32>) -> Option<wham_lang::check::hir::Value> {
        // The one value that does not depend on the site: the engine
        // numbers the program's memories as the program does.
        (name == "APP_MEMID").then_some(wham_lang::check::hir::Value::Int(0))
    }
    fn app_memory_host(&self) -> Option<wham_codegen::eval::AppMemoryHost> {
        self.host
    }
    fn static_call(
        &self,
        name: &str,
        args: &[wham_lang::check::hir::Value],
    ) -> Option<wham_lang::check::hir::Value> {
        use wham_lang::check::hir::Value;
        match (name, args) {
            ("memid", [Value::Str(lib)]) if lib == wham_rewrite::CORE.as_bytes() => {
                Some(Value::Int(wham_codegen::eval::MONITOR_MEMORY.into()))
            }
            _ => None,
        }
    }
}

impl Site for MonitorSite {
    fn dynamic(&self, name: &str, _: Option<u32>) -> Option<DynValue> {
        self.values.get(name).cloned()
    }

    fn alt_call(
        &self,
        name: &str,
        _: &[wham_lang::check::hir::Value],
    ) -> Option<Result<Vec<I<'static>>, String>> {
        Some(Err(format!(
            "`{name}` (a monitor cannot call the app's functions)"
        )))
    }
}

/// Parameter locals for `params` starting at local `first`.
fn param_locals(params: &[Bound], first: u32, site: &mut MonitorSite) -> (Vec<ValType>, u32) {
    let mut types = Vec::new();
    let mut next = first;
    for b in params {
        let vts = val_types(&b.ty);
        let locals: Vec<u32> = (next..next + vts.len() as u32).collect();
        next += vts.len() as u32;
        types.extend(vts);
        site.values.insert(b.name.clone(), DynValue::Locals(locals));
    }
    (types, next)
}

/// The strings a probe reads, as (ptr, len) pairs at the start of the
/// site's block in local `base`.
fn string_values(strings: &[String], base: u32, im: u32) -> BTreeMap<String, DynValue> {
    strings
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let off = 8 * i as u64;
            (
                s.clone(),
                DynValue::Code(vec![
                    I::LocalGet(base),
                    I::I32Load(repr::at(im, off, 2)),
                    I::LocalGet(base),
                    I::I32Load(repr::at(im, off + 4, 2)),
                ]),
            )
        })
        .collect()
}

/// `(size) -> ptr`: per-site blocks, carved one after another out of
/// chunks of the heap, so the blocks of neighbouring sites share cache
/// lines (the row records the report needs are allocated elsewhere; a
/// probe that writes its site's flag at every instruction touches a few
/// lines, not one per site). Generated once per monitor.
fn site_block_allocator(add: &mut Additions, heap_alloc: u32) -> u32 {
    const NAME: &str = "wham_site_block";
    const CHUNK: i32 = 4096;
    if let Some(k) = add.funcs.iter().position(|f| f.name == NAME) {
        return add.bases.funcs + k as u32;
    }
    let zero = wasm_encoder::ConstExpr::i32_const(0);
    let next = add.add_global("wham_site_next", ValType::I32, zero.clone());
    let end = add.add_global("wham_site_end", ValType::I32, zero);
    let f = add.reserve_func(NAME, &[ValType::I32], &[ValType::I32]);
    // params: 0 size. locals: 1 chunk
    let (size, chunk) = (0, 1);
    let code = vec![
        // size rounded up to 8
        I::LocalGet(size),
        I::I32Const(7),
        I::I32Add,
        I::I32Const(-8),
        I::I32And,
        I::LocalSet(size),
        I::GlobalGet(next),
        I::LocalGet(size),
        I::I32Add,
        I::GlobalGet(end),
        I::I32GtU,
        I::If(wasm_encoder::BlockType::Empty),
        I::LocalGet(size),
        I::I32Const(CHUNK),
        I::LocalGet(size),
        I::I32Const(CHUNK),
        I::I32GtU,
        I::Select,
        I::LocalTee(chunk),
        I::Call(heap_alloc),
        I::GlobalSet(next),
        I::GlobalGet(next),
        I::LocalGet(chunk),
        I::I32Add,
        I::GlobalSet(end),
        I::End,
        I::GlobalGet(next),
        I::GlobalGet(next),
        I::LocalGet(size),
        I::I32Add,
        I::GlobalSet(next),
    ];
    add.define(
        f,
        Body {
            locals: vec![ValType::I32],
            code,
        }
        .finish(),
    );
    f
}

fn vars(params: &[Bound]) -> Vec<Param> {
    params.iter().map(|b| Param::Var(b.name.clone())).collect()
}

/// The monitor's own functions, generated into the support module.
trait ProbeFunctions {
    fn export_function(
        &mut self,
        name: &str,
        params: &[ValType],
        results: &[ValType],
        alloc: &LocalAlloc,
        code: Vec<I<'static>>,
        export: String,
    );
    fn probe_site(&self, abi: &ProbeAbi, first: u32) -> (MonitorSite, Vec<ValType>, u32);
    fn monitor_probes(&mut self, abis: &[ProbeAbi]);
    fn monitor_trap(&mut self);
    fn monitor_probe(&mut self, abi: &ProbeAbi) -> Result<(), Unsupported>;
    fn monitor_pred(
        &mut self,
        name: &str,
        pred: &TExpr,
        values: &[Bound],
    ) -> Result<(), Unsupported>;
    fn monitor_alloc(
        &mut self,
        name: &str,
        abi: &ProbeAbi,
        offsets: &[(usize, u32)],
        size: u32,
        string_values: &dyn Fn(u32) -> BTreeMap<String, DynValue>,
    ) -> Result<(), Unsupported>;
}

impl ProbeFunctions for Support<'_> {
    /// Add a function with `alloc`'s locals and `code`, exported as `export`.
    fn export_function(
        &mut self,
        name: &str,
        params: &[ValType],
        results: &[ValType],
        alloc: &LocalAlloc,
        code: Vec<I<'static>>,
        mut export: String,
    ) {
        // Two probes can spell the same export (the same rule and value
        // names with other types, or identical probes); the grammar allows
        // spaces between tokens, so a trailing one keeps names unique.
        while self.add.exports.iter().any(|(e, _)| *e == export) {
            export.push(' ');
        }
        let f = self.add.reserve_func(name, params, results);
        self.add.define(
            f,
            Body {
                locals: alloc.types.clone(),
                code,
            }
            .finish(),
        );
        self.add.exports.push((export, f));
    }

    /// What the probe (and its `$check`) sees: strings from the site's
    /// block in local 0 (when it has one), then its parameters from local
    /// `first` on. Also the parameters' types and the next free local.
    fn probe_site(&self, abi: &ProbeAbi, first: u32) -> (MonitorSite, Vec<ValType>, u32) {
        let mut site = MonitorSite {
            host: self.app_memory_host,
            values: if abi.needs_alloc {
                string_values(&abi.strings, 0, self.add.instr_mem())
            } else {
                BTreeMap::new()
            },
        };
        let (types, next) = param_locals(&abi.params, first, &mut site);
        (site, types, next)
    }

    /// Generate and export the functions of every sited probe.
    fn monitor_probes(&mut self, abis: &[ProbeAbi]) {
        let reported: Vec<Ty> = abis
            .iter()
            .flat_map(|a| &self.script.probes[a.index].locals)
            .filter(|l| matches!(l.storage, Storage::Unshared { report: true, .. }))
            .map(|l| l.ty.clone())
            .collect();
        if !reported.is_empty() {
            *self.dyn_rows = Some(DynRows::new(self.add, reported));
        }
        for abi in abis {
            if let Err(e) = self.monitor_probe(abi)
                && !self.errors.contains(&e)
            {
                self.errors.push(e);
            }
        }
    }

    /// `wasm:trap(kind_ptr, kind_len, fid, pc)`: every `wasm:trap` probe,
    /// in script order.
    fn monitor_trap(&mut self) {
        let traps: Vec<usize> = (0..self.script.probes.len())
            .filter(|&i| self.script.probes[i].event.package.name == "trap")
            .collect();
        if traps.is_empty() {
            return;
        }
        let mut site = MonitorSite {
            host: self.app_memory_host,
            values: BTreeMap::new(),
        };
        site.values
            .insert("trap_kind".into(), DynValue::Locals(vec![0, 1]));
        site.values.insert("fid".into(), DynValue::Locals(vec![2]));
        site.values.insert("pc".into(), DynValue::Locals(vec![3]));
        let mut alloc = LocalAlloc::new(4);
        let mut code = Vec::new();
        for i in traps {
            let p = &self.script.probes[i];
            if let Some(l) = p
                .locals
                .iter()
                .find(|l| matches!(l.storage, Storage::Unshared { .. }))
            {
                self.errors.push(Unsupported {
                    what: "per-site variables in `wasm:trap` (it has no site; use a global)".into(),
                    span: l.span,
                });
                continue;
            }
            alloc.release_all();
            let mut lw = Lowerer::new(self.add, self.state, &site, &mut alloc, Exit::ProbeBlock);
            lw.bind_vars(&p.locals, &[], &[]);
            let done = match &p.predicate {
                Some(pr) => lw.expr(pr).and_then(|()| {
                    lw.code.push(I::If(BlockType::Empty));
                    lw.probe_body(&p.body)?;
                    lw.code.push(I::End);
                    Ok(())
                }),
                None => lw.probe_body(&p.body),
            };
            match done {
                Ok(()) => code.append(&mut lw.code),
                Err(e) => self.errors.push(e),
            }
        }
        self.export_function(
            "wasm_trap",
            &[ValType::I32; 4],
            &[],
            &alloc,
            code,
            TRAP_EXPORT.to_string(),
        );
    }

    fn monitor_probe(&mut self, abi: &ProbeAbi) -> Result<(), Unsupported> {
        let p = &self.script.probes[abi.index];
        // The position, not the number: the instances of a generic probe
        // share its number.
        let k = abi.index;
        // Per-site block: copied strings (ptr, len) first, then the
        // `unshared` variables.
        let mut offsets = Vec::new();
        let mut size = 8 * abi.strings.len() as u32;
        for (id, l) in p.locals.iter().enumerate() {
            if let Storage::Unshared { .. } = l.storage {
                if !repr::storable(&l.ty) {
                    return Err(Unsupported {
                        what: format!("per-site variables of type {}", l.ty),
                        span: l.span,
                    });
                }
                size = size.div_ceil(8) * 8;
                offsets.push((id, size));
                size += repr::mem_size(&l.ty).max(1);
            }
        }
        let im = self.add.instr_mem();
        let string_values = |base: u32| string_values(&abi.strings, base, im);
        let mut params = Vec::new();
        let mut export = ProbeExport {
            rule: abi.rule.clone(),
            predicate: None,
            check: None,
            params: Vec::new(),
            returns: abi.returns.iter().map(|b| b.name.clone()).collect(),
        };
        if let Some(pred) = &abi.static_pred {
            let name = format!("pred{k}");
            self.monitor_pred(&name, pred, &abi.pred_params)?;
            export.predicate = Some(Call {
                func: name,
                args: vars(&abi.pred_params),
            });
        }
        if abi.needs_alloc {
            let name = format!("alloc{k}");
            self.monitor_alloc(&name, abi, &offsets, size, &string_values)?;
            export.params.push(Param::Call(Call {
                func: name,
                args: vars(&abi.alloc_params),
            }));
            params.push(ValType::I32);
        }
        export.params.extend(vars(&abi.params));
        // An `alt` whose predicate reads run-time values: the engine asks
        // `$check` first and runs the instruction itself when it says no.
        if let (Some(_), Some(pred)) = (&abi.alt, &abi.dynamic_pred) {
            let name = format!("check{k}");
            let (site, types, next) = self.probe_site(abi, params.len() as u32);
            let mut check_params = params.clone();
            check_params.extend(types);
            let p = &self.script.probes[abi.index];
            let mut alloc = LocalAlloc::new(next);
            let mut lw = Lowerer::new(self.add, self.state, &site, &mut alloc, Exit::Function);
            lw.unshared_base = abi.needs_alloc.then_some(0);
            lw.bind_vars(&p.locals, &[], &offsets);
            lw.expr(pred)?;
            let code = std::mem::take(&mut lw.code);
            self.export_function(
                &name,
                &check_params,
                &[ValType::I32],
                &alloc,
                code,
                format!("${name}"),
            );
            export.check = Some(Call {
                func: name,
                args: export.params.clone(),
            });
        }

        // The probe itself.
        let p = &self.script.probes[abi.index];
        let (site, types, next) = self.probe_site(abi, params.len() as u32);
        params.extend(types);
        let results: Vec<ValType> = match &abi.alt {
            Some(r) => r.clone(),
            None => abi.returns.iter().flat_map(|b| val_types(&b.ty)).collect(),
        };
        let alt_block = match results.as_slice() {
            [] => BlockType::Empty,
            [one] => BlockType::Result(*one),
            many => BlockType::FunctionType(self.add.type_for(&[], many)),
        };
        let mut alloc = LocalAlloc::new(next);
        let exit = if abi.alt.is_some() {
            Exit::Alt
        } else {
            Exit::ProbeBlock
        };
        let mut lw = Lowerer::new(self.add, self.state, &site, &mut alloc, exit);
        lw.unshared_base = abi.needs_alloc.then_some(0);
        lw.bind_vars(&p.locals, &[], &offsets);
        lw.inits_elsewhere = true;
        if abi.alt.is_some() {
            lw.code.push(I::Block(alt_block));
            lw.alt_body(&p.body, &results, 0)?;
            lw.code.push(I::End);
        } else if let Some(pr) = &abi.dynamic_pred {
            lw.expr(pr)?;
            lw.code.push(I::If(BlockType::Empty));
            lw.probe_body(&p.body)?;
            lw.code.push(I::End);
        } else {
            lw.probe_body(&p.body)?;
        }
        // The new values of assigned event values.
        for b in &abi.returns {
            if let Some(DynValue::Locals(ls)) = site.values.get(&b.name) {
                lw.code.extend(ls.iter().map(|l| I::LocalGet(*l)));
            }
        }
        let code = std::mem::take(&mut lw.code);
        let name = export.to_string();
        self.export_function(&format!("probe{k}"), &params, &results, &alloc, code, name);
        Ok(())
    }

    /// `$pred{k}(values) -> i32`.
    fn monitor_pred(
        &mut self,
        name: &str,
        pred: &TExpr,
        values: &[Bound],
    ) -> Result<(), Unsupported> {
        let mut site = MonitorSite {
            host: self.app_memory_host,
            values: BTreeMap::new(),
        };
        let (params, next) = param_locals(values, 0, &mut site);
        let mut alloc = LocalAlloc::new(next);
        let mut lw = Lowerer::new(self.add, self.state, &site, &mut alloc, Exit::Function);
        lw.expr(pred)?;
        let code = std::mem::take(&mut lw.code);
        self.export_function(
            name,
            &params,
            &[ValType::I32],
            &alloc,
            code,
            format!("${name}"),
        );
        Ok(())
    }

    /// `$alloc{k}(values) -> block`: the site's state, set up.
    fn monitor_alloc(
        &mut self,
        name: &str,
        abi: &ProbeAbi,
        offsets: &[(usize, u32)],
        size: u32,
        string_values: &dyn Fn(u32) -> BTreeMap<String, DynValue>,
    ) -> Result<(), Unsupported> {
        let p = &self.script.probes[abi.index];
        let heap = maps::MapRuntime::get(self.add);
        let mut site = MonitorSite {
            host: self.app_memory_host,
            values: BTreeMap::new(),
        };
        let (params, next) = param_locals(&abi.alloc_params, 0, &mut site);
        let mut alloc = LocalAlloc::new(next);
        let block = alloc.get(ValType::I32);
        let copy = alloc.get(ValType::I32);
        let im = self.add.instr_mem();
        let site_block = site_block_allocator(self.add, heap.alloc);
        let mut code = vec![
            I::I32Const(size.max(8) as i32),
            I::Call(site_block),
            I::LocalSet(block),
        ];
        // Strings the engine wrote into the shared buffer are copied.
        for (i, s) in abi.strings.iter().enumerate() {
            let Some(DynValue::Locals(ls)) = site.values.get(s).cloned() else {
                continue;
            };
            let (ptr, len) = (ls[0], ls[1]);
            code.extend([
                I::LocalGet(len),
                I::Call(heap.alloc),
                I::LocalSet(copy),
                I::LocalGet(copy),
                I::LocalGet(ptr),
                I::LocalGet(len),
                I::MemoryCopy {
                    src_mem: im,
                    dst_mem: im,
                },
                I::LocalGet(block),
                I::LocalGet(copy),
                I::I32Store(repr::at(im, 8 * i as u64, 2)),
                I::LocalGet(block),
                I::LocalGet(len),
                I::I32Store(repr::at(im, 8 * i as u64 + 4, 2)),
            ]);
        }
        // From here on strings are read from the block.
        site.values.extend(string_values(block));
        for (id, l) in p.locals.iter().enumerate() {
            if matches!(l.storage, Storage::Unshared { .. }) && matches!(l.ty, Ty::Map(..)) {
                let off = offsets.iter().find(|(i, _)| *i == id).map_or(0, |o| o.1);
                code.extend(maps::new_map_code(self.add, copy));
                code.extend([
                    I::LocalGet(block),
                    I::LocalGet(copy),
                    I::I32Store(repr::at(im, off as u64, 2)),
                ]);
            }
        }
        let mut stmts: Vec<TStmt> = Vec::new();
        for (id, l) in p.locals.iter().enumerate() {
            if let Storage::Unshared { init: Some(v), .. } = &l.storage {
                stmts.push(TStmt::Assign {
                    place: Place::Var(VarRef::Local(id)),
                    value: v.clone(),
                    span: v.span,
                });
            }
        }
        stmts.extend(
            p.body
                .iter()
                .filter(|s| matches!(s, TStmt::Init(_)))
                .cloned(),
        );
        {
            let mut lw = Lowerer::new(self.add, self.state, &site, &mut alloc, Exit::ProbeBlock);
            lw.unshared_base = Some(block);
            lw.bind_vars(&p.locals, &[], offsets);
            lw.probe_body(&stmts)?;
            code.append(&mut lw.code);
        }
        // Report rows.
        let rt = self.rt;
        for (id, l) in p.locals.iter().enumerate() {
            let Storage::Unshared { report: true, .. } = l.storage else {
                continue;
            };
            let (Some(rt), Some(rows)) = (rt, self.dyn_rows.as_ref()) else {
                continue;
            };
            let off = offsets.iter().find(|(i, _)| *i == id).map_or(0, |o| o.1);
            let kind = self.row_kinds.kind(self.add, &rt, &l.ty, l.span)?;
            let v = ReportVar {
                name: l.name.clone(),
                ty: l.ty.clone(),
                at: ValueAt::Mem(0),
                site: Some(RowSite {
                    fname: String::new(),
                    fid: 0,
                    pc: 0,
                    probe_id: p.engine_probe_id(),
                }),
                span: l.span,
                order: (0, 0, 0),
            };
            let row = alloc.get(ValType::I32);
            let key = alloc.get(ValType::I64);
            let scratch = (alloc.get(ValType::I32), alloc.get(ValType::I32));
            let value = alloc.get(ValType::I32);
            let fname = (alloc.get(ValType::I32), alloc.get(ValType::I32));
            let fi = abi.strings.iter().position(|s| s == "fname").unwrap_or(0) as u64;
            let local = |n: &str| match site.values.get(n) {
                Some(DynValue::Locals(ls)) => ls[0],
                _ => 0,
            };
            code.extend(DynRows::key_code(
                local("fid"),
                local("pc"),
                p.number as u32,
            ));
            code.push(I::LocalSet(key));
            code.extend([
                I::I32Const(DYN_ROW as i32),
                I::Call(heap.alloc),
                I::LocalSet(row),
                I::LocalGet(block),
                I::I32Const(off as i32),
                I::I32Add,
                I::LocalSet(value),
                I::LocalGet(block),
                I::I32Load(repr::at(im, 8 * fi, 2)),
                I::LocalSet(fname.0),
                I::LocalGet(block),
                I::I32Load(repr::at(im, 8 * fi + 4, 2)),
                I::LocalSet(fname.1),
            ]);
            code.extend(rows.append(
                self.add,
                &v,
                kind,
                row,
                value,
                fname,
                local("fid"),
                local("pc"),
                (key, scratch.0, scratch.1),
            ));
        }
        code.push(I::LocalGet(block));
        self.export_function(
            name,
            &params,
            &[ValType::I32],
            &alloc,
            code,
            format!("${name}"),
        );
        Ok(())
    }
}

/// Generate and export every sited probe's functions and `wasm:trap`.
pub(crate) fn probe_functions(s: &mut Support<'_>, abis: &[ProbeAbi]) {
    s.monitor_probes(abis);
    s.monitor_trap();
}
