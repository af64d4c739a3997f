//! Binding a monitor to an app: each probe export becomes a probe of a
//! synthesized script whose predicate is the bind-time `$pred` call and
//! whose body calls the export with the site's values. `$...` calls are
//! `@static` library calls, so the weaver makes them once per site through
//! the evaluator, which runs them in the live monitor instance; the
//! remaining call becomes an import the engine binds to that instance.

use crate::abi::{self, Call, Param};
use crate::run::EngineError;
use wasmparser::{ExternalKind, Parser, Payload, TypeRef, ValType as WT};
use wham_events::{Ty, ValueKind, VarLookup};
use wham_lang::ast::BinOp;
use wham_lang::check::hir::{
    CheckedScript, ExpandedProbe, LocalVar, Place, Storage, TExpr, TExprKind, TStmt, Value, VarRef,
};
use wham_lang::span::Span;
use wham_rewrite::{Error, Instrumented, LibEvaluator, Options, UserLib};

/// The library name (and import module) the monitor is linked under.
pub const MONITOR: &str = "wham:monitor";

/// A function export: (name, parameter types, result types).
type FuncExport = (String, Vec<WT>, Vec<WT>);

/// The monitor's function exports, and whether it imports the engine's
/// `whamm:dyninstr` (so its probes can be removed while the app runs).
fn func_exports(monitor: &[u8]) -> Result<(Vec<FuncExport>, bool, bool), Error> {
    let mut dyninstr = false;
    let mut reads_app = false;
    let bad = |e: wasmparser::BinaryReaderError| {
        Error::BadModule(format!("the monitor: {}", e.message()))
    };
    let mut types: Vec<(Vec<WT>, Vec<WT>)> = Vec::new();
    let mut funcs: Vec<u32> = Vec::new();
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(monitor) {
        match payload.map_err(bad)? {
            Payload::TypeSection(r) => {
                for ty in r.into_iter_err_on_gc_types() {
                    let f = ty.map_err(bad)?;
                    types.push((f.params().to_vec(), f.results().to_vec()));
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp.map_err(bad)?;
                    dyninstr |= imp.module == wham_rewrite::DYNINSTR_MODULE;
                    reads_app |= imp.module == wham_rewrite::HOST_MODULE;
                    if let TypeRef::Func(t) = imp.ty {
                        funcs.push(t);
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    funcs.push(t.map_err(bad)?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(bad)?;
                    if e.kind == ExternalKind::Func {
                        exports.push((e.name.to_string(), e.index));
                    }
                }
            }
            _ => {}
        }
    }
    let exports = exports
        .into_iter()
        .filter_map(|(name, f)| {
            let (p, r) = types.get(*funcs.get(f as usize)? as usize)?.clone();
            Some((name, p, r))
        })
        .collect();
    Ok((exports, dyninstr, reads_app))
}

/// The name the woven app exports its probe flags under; `probe_id` is
/// the address of a probe's flag at a site, and the engine's
/// `remove_probe(probe_id)` sets it (`wham_host::PROBE_FLAGS_EXPORT`,
/// the same name: a test checks).
pub const FLAGS_EXPORT: &str = "wham:probe_flags";

/// `first && then` (just `then` without a first condition).
fn and_then(first: Option<TExpr>, then: TExpr) -> TExpr {
    match first {
        Some(p) => TExpr {
            kind: TExprKind::Binary {
                op: BinOp::And,
                lhs: Box::new(p),
                rhs: Box::new(then),
            },
            ty: Ty::Bool,
            span: Span::new(0, 0),
        },
        None => then,
    }
}

fn script_ty(vt: WT) -> Option<Ty> {
    Some(match vt {
        WT::I32 => Ty::I32,
        WT::I64 => Ty::I64,
        WT::F32 => Ty::F32,
        WT::F64 => Ty::F64,
        _ => return None,
    })
}

/// Builds the synthesized probes; `next_span` gives each bind-time call
/// its own identity (the weaver makes each once per site).
struct Binder<'e> {
    exports: &'e [FuncExport],
    next_span: usize,
    /// Bind-time calls of the export being bound, by text: the same call
    /// written twice (a check and its probe) is made once per site.
    calls: std::collections::HashMap<String, Span>,
    /// Guard every probe with a removal flag.
    removable: bool,
}

impl Binder<'_> {
    fn span_for(&mut self, call: &Call) -> Span {
        let next = self.next_span + 1;
        let span = *self
            .calls
            .entry(call.to_string())
            .or_insert_with(|| Span::new(next, next + 1));
        self.next_span = self.next_span.max(span.start as usize);
        span
    }

    fn signature(&self, name: &str) -> Result<&FuncExport, String> {
        self.exports
            .iter()
            .find(|(n, ..)| n == name)
            .ok_or_else(|| format!("the monitor exports no function `{name}`"))
    }

    /// The values `params` name, typed by the function's parameters
    /// `types`; strings take two (pointer, length).
    fn args(
        &mut self,
        event: &wham_events::EventMatch<'static>,
        params: &[Param],
        types: &[WT],
        bounds: &mut Vec<(String, Ty)>,
    ) -> Result<Vec<TExpr>, String> {
        let mut out = Vec::new();
        let mut at = 0usize;
        for p in params {
            match p {
                Param::Call(c) => {
                    out.push(self.call(event, c, bounds)?);
                    at += 1;
                }
                Param::Var(name) => {
                    let (kind, catalog_ty, index) = match event.find_var(name) {
                        VarLookup::Found { var, index } => (var.kind, var.ty.clone(), index),
                        _ => return Err(format!("`{name}` is not a value of this event")),
                    };
                    let ty = if catalog_ty == Ty::Str {
                        at += 2;
                        Ty::Str
                    } else {
                        let vt = *types
                            .get(at)
                            .ok_or_else(|| "more names than parameters".to_string())?;
                        at += 1;
                        if catalog_ty.fits_wasm(wham_rewrite::wasm_type(vt)) {
                            catalog_ty
                        } else {
                            script_ty(vt).ok_or_else(|| format!("`{name}`: unsupported type"))?
                        }
                    };
                    if kind == ValueKind::Dynamic
                        && ["arg", "res", "local"].iter().any(|f| {
                            name.strip_prefix(f)
                                .is_some_and(|n| n.parse::<u32>().is_ok())
                        })
                    {
                        // Sites where the value has another type do not match.
                        bounds.push((name.clone(), ty.clone()));
                    }
                    out.push(TExpr {
                        kind: TExprKind::Var(VarRef::Bound {
                            name: name.clone(),
                            kind,
                            index,
                        }),
                        ty,
                        span: Span::new(0, 0),
                    });
                }
            }
        }
        if at != types.len() {
            return Err(format!(
                "{} parameter values named, the function takes {}",
                at,
                types.len()
            ));
        }
        Ok(out)
    }

    /// A bind-time call `$f(...)`: an `@static` call of the monitor.
    fn call(
        &mut self,
        event: &wham_events::EventMatch<'static>,
        c: &Call,
        bounds: &mut Vec<(String, Ty)>,
    ) -> Result<TExpr, String> {
        let func = format!("${}", c.func);
        let (_, params, results) = self.signature(&func)?.clone();
        let ty = match results.as_slice() {
            [WT::I32] => Ty::I32,
            [WT::I64] => Ty::I64,
            _ => return Err(format!("`{func}` must return one i32 or i64")),
        };
        let args = self.args(event, &c.args, &params, bounds)?;
        Ok(TExpr {
            kind: TExprKind::LibCall {
                lib: MONITOR.into(),
                func,
                args,
                is_static: true,
            },
            ty,
            span: self.span_for(c),
        })
    }

    fn probe(
        &mut self,
        number: usize,
        name: &str,
        params: &[WT],
        results: &[WT],
    ) -> Result<Option<ExpandedProbe<'static>>, String> {
        let Some(parsed) = abi::parse(name) else {
            return Ok(None);
        };
        let export = parsed?;
        let mut parts: Vec<&str> = export.rule.split(':').collect();
        // The original's rules carry no mode: opcode probes are `before`.
        if parts.get(1) == Some(&"opcode") && parts.len() == 3 {
            parts.push("before");
        }
        let parts: Vec<Option<&str>> = parts.into_iter().map(Some).collect();
        let matches = wham_events::catalog()
            .match_rule(&parts)
            .map_err(|e| e.message)?;
        let [event] = matches.as_slice() else {
            return Err(format!("`{}` names no single event", export.rule));
        };
        let mut bounds = Vec::new();
        self.calls.clear();
        let predicate = match &export.predicate {
            Some(c) => {
                let mut e = self.call(event, c, &mut bounds)?;
                e.ty = Ty::Bool;
                Some(e)
            }
            None => None,
        };
        // The run-time check: a plain call each time the site is reached.
        let predicate = match &export.check {
            Some(c) => {
                let func = format!("${}", c.func);
                let (_, params, _) = self.signature(&func)?.clone();
                let args = self.args(event, &c.args, &params, &mut bounds)?;
                let check = TExpr {
                    kind: TExprKind::LibCall {
                        lib: MONITOR.into(),
                        func,
                        args,
                        is_static: false,
                    },
                    ty: Ty::Bool,
                    span: Span::new(0, 0),
                };
                Some(and_then(predicate, check))
            }
            None => predicate,
        };
        let args = self.args(event, &export.params, params, &mut bounds)?;
        let mut locals = Vec::new();
        let predicate = if self.removable {
            // A per-site flag: the probe runs while it is 0.
            locals.push(LocalVar {
                name: "removed".into(),
                ty: Ty::I32,
                storage: Storage::Unshared {
                    report: false,
                    init: None,
                },
                span: Span::new(0, 0),
            });
            let flag = TExpr {
                kind: TExprKind::Binary {
                    op: BinOp::Eq,
                    lhs: Box::new(TExpr {
                        kind: TExprKind::Var(VarRef::Local(0)),
                        ty: Ty::I32,
                        span: Span::new(0, 0),
                    }),
                    rhs: Box::new(TExpr {
                        kind: TExprKind::Const(Value::Int(0)),
                        ty: Ty::I32,
                        span: Span::new(0, 0),
                    }),
                },
                ty: Ty::Bool,
                span: Span::new(0, 0),
            };
            Some(and_then(predicate, flag))
        } else {
            predicate
        };
        let result_ty = match results {
            [] => Ty::Unit,
            [one] => script_ty(*one).ok_or("an unsupported result type")?,
            _ => return Err("more than one result is not supported yet".into()),
        };
        let call = TExpr {
            kind: TExprKind::LibCall {
                lib: MONITOR.into(),
                func: name.to_string(),
                args,
                is_static: false,
            },
            ty: result_ty.clone(),
            span: Span::new(0, 0),
        };
        let is_alt = parts.get(3) == Some(&Some("alt"));
        let body = match export.returns.as_slice() {
            // The probe's result is the instruction's (wham's `alt` extension).
            [] if is_alt && result_ty != Ty::Unit => {
                bounds.push(("res0".into(), result_ty));
                vec![TStmt::Return(Some(call), Span::new(0, 0))]
            }
            [] => vec![TStmt::Expr(call)],
            // The new value of an event value the probe assigned.
            [value] if result_ty != Ty::Unit => {
                let (kind, index) = match event.find_var(value) {
                    VarLookup::Found { var, index } if var.assignable => (var.kind, index),
                    _ => return Err(format!("`{value}` cannot be assigned at this event")),
                };
                bounds.push((value.clone(), result_ty));
                vec![TStmt::Assign {
                    place: Place::Var(VarRef::Bound {
                        name: value.clone(),
                        kind,
                        index,
                    }),
                    value: call,
                    span: Span::new(0, 0),
                }]
            }
            _ => return Err("returning more than one value is not supported yet".into()),
        };
        Ok(Some(ExpandedProbe {
            number,
            source_index: number,
            event: *event,
            bounds,
            predicate,
            locals,
            body,
            span: Span::new(0, 0),
            written_rule: None,
        }))
    }
}

/// Weave calls to `monitor`'s probes into `app`. `evaluator` runs
/// bind-time calls in the live monitor instance (library `MONITOR`), the
/// one the woven app is then linked to. An export in the probe namespace
/// (`wasm:`) whose name does not parse is an error.
pub fn weave_calls(
    app: &[u8],
    prepared: &crate::prepare::Prepared,
    evaluator: Box<dyn LibEvaluator>,
    no_batching: bool,
) -> Result<Instrumented, EngineError> {
    let monitor = &prepared.bytes;
    let (exports, removable, reads_app) = func_exports(monitor).map_err(EngineError::Weave)?;
    let mut binder = Binder {
        exports: &exports,
        next_span: 0,
        calls: Default::default(),
        removable,
    };
    let mut script = CheckedScript {
        libs: vec![MONITOR.to_string()],
        ..Default::default()
    };
    for (name, params, results) in &exports {
        match binder.probe(script.probes.len(), name, params, results) {
            Ok(Some(p)) => script.probes.push(p),
            Ok(None) => {}
            // A probe the user meant but wrote wrong would silently not
            // fire; nothing runs instead.
            Err(why) => {
                return Err(EngineError::Monitor(format!(
                    "its export `{name}` is not a probe wham understands: {why}"
                )));
            }
        }
    }
    let options = Options {
        libs: vec![UserLib {
            name: MONITOR.into(),
            module: MONITOR.into(),
            bytes: monitor.to_vec(),
        }],
        evaluator: Some(evaluator),
        no_batching,
        // Counting probes count once per basic block through their adders.
        lib_counters: prepared
            .counting
            .iter()
            .map(|c| wham_rewrite::LibCounter {
                lib: MONITOR.into(),
                func: c.export.clone(),
                adder: c.adder.clone(),
                delta: c.counter.delta,
                wide: c.counter.wide,
                address_arg: match c.counter.place {
                    crate::counters::Place::Memory { param, .. } => param,
                    crate::counters::Place::Global(_) => None,
                },
                deferrable: c.deferrable,
            })
            .collect(),
        // The host writes probe flags there and reads deferred counts.
        export_instr_memory: Some(FLAGS_EXPORT.to_string()),
        export_app_memories: reads_app,
        ..Default::default()
    };
    let mut out = wham_rewrite::instrument(&script, app, &options).map_err(EngineError::Weave)?;
    // The woven copy only runs here; dropping its debug sections is no
    // news to the user, whose file is untouched.
    out.warnings.retain(|w| !w.contains("DWARF"));
    Ok(out)
}
