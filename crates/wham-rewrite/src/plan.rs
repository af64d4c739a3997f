//! Which probes apply to which events, what each needs at its sites, and
//! what the module must gain (an `fd_write` import, an exit hook).

use crate::Error;
use crate::app::App;
use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};
use wham_codegen::Unsupported;
use wham_codegen::uses::dynamic_uses;
use wham_lang::CheckedScript;
use wham_lang::check::hir::{ExpandedProbe, Storage};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    Before,
    After,
    /// Replaces the instruction.
    Alt,
    /// At the branch target, when the branch is taken.
    AtTarget,
}

/// Where a probe on a block-structured instruction runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Structured {
    /// First thing inside the body (`entry`).
    Entry,
    /// Last thing inside the body, when it falls through (`exit`).
    Exit,
    /// After the construct's `end`, however it was left (`after`).
    After,
}

/// Block-structured instructions: their `after` is after the matching end.
pub const STRUCTURED: &[&str] = &[
    "block",
    "loop",
    "if",
    "else",
    "try_table",
    "try",
    "catch",
    "catch_all",
];

pub struct ProbePlan {
    /// Index into the script's expanded probes.
    pub index: usize,
    pub when: When,
    /// Operands it reads (counted from the top of the stack).
    pub args: u32,
    /// Results it reads (`after` probes).
    pub results: u32,
    pub uses: BTreeSet<String>,
    /// When the probe only adds a constant to a counter nothing else reads,
    /// the counter it adds to: all such additions in a basic block are
    /// made once, at the block's start.
    pub batch: Option<(BatchTarget, i8)>,
}

/// A counter batched per basic block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BatchTarget {
    Global(usize),
    /// A per-site variable (local id of the probe): one slot per block,
    /// shared by the sites of the block (they run equally often).
    Unshared(usize),
    /// A call of a counting library function (`Options::lib_counters`).
    Lib(usize),
}

pub const WASI: &str = "wasi_snapshot_preview1";

pub struct Plan {
    /// Opcode event name → probes on it, in script order.
    pub opcode: HashMap<String, Vec<ProbePlan>>,
    /// (block-structured event, where) → probes, in script order.
    pub structured: HashMap<(String, Structured), Vec<ProbePlan>>,
    pub func_entry: Vec<ProbePlan>,
    pub func_exit: Vec<ProbePlan>,
    pub block_start: Vec<ProbePlan>,
    pub block_end: Vec<ProbePlan>,
    pub begin: Vec<usize>,
    pub end: Vec<usize>,
    pub report: Vec<usize>,
    /// Whether the module prints (a report, or `whamm_core` output).
    pub prints: bool,
    /// Whether the default report is printed (no `wasm:report` probe).
    pub default_report: bool,
    /// Whether an exit hook is needed (report, `wasm:end`, `wasm:report`).
    pub on_exit: bool,
    /// `fd_write`'s function index in the output.
    pub fd_write: Option<u32>,
    /// The WASI calls that choose the report's destination at the end.
    pub destination: Option<wham_codegen::destination::WasiCalls>,
    /// Function imports the output adds after the app's own:
    /// (module, name, params, results).
    pub imports: Vec<AddedImport>,
    /// Function index of `proc_exit` in the app, if imported.
    pub proc_exit: Option<u32>,
    /// A monitor's imports for reading the app's memory through the host:
    /// (size, read) (see `wham_codegen::eval::AppMemoryHost`).
    pub app_memory_host: Option<(u32, u32)>,
    /// The function whose exits end the program (`_start`, `main`, start).
    pub entry: Option<u32>,
    pub warnings: Vec<String>,
    pub sites_woven: Cell<usize>,
}

impl Plan {
    /// A function index of the app in the output.
    pub fn func(&self, app: &App<'_>, old: u32) -> u32 {
        if old >= app.num_func_imports() {
            old + self.imports.len() as u32
        } else {
            old
        }
    }

    /// Whether the app's functions move (an import was added).
    pub fn shifts(&self) -> bool {
        !self.imports.is_empty()
    }

    /// `engine_libs`: the engine's own libraries (`whamm:dyninstr`) may be
    /// imported (monitor modules; the engine links them).
    pub fn new(
        script: &CheckedScript<'_>,
        app: &App<'_>,
        libs: &[crate::UserLib],
        counters: &[crate::LibCounter],
        engine_libs: bool,
    ) -> Result<Plan, Error> {
        if app.memories.iter().any(|m| m.memory64) {
            return Err(Error::Unsupported("64-bit memories (memory64)".into()));
        }
        let mut errors = Vec::new();
        let mut plan = Plan {
            opcode: HashMap::new(),
            structured: HashMap::new(),
            func_entry: Vec::new(),
            func_exit: Vec::new(),
            block_start: Vec::new(),
            block_end: Vec::new(),
            begin: Vec::new(),
            end: Vec::new(),
            report: Vec::new(),
            prints: false,
            default_report: false,
            on_exit: false,
            fd_write: None,
            destination: None,
            imports: Vec::new(),
            proc_exit: app.imported(WASI, "proc_exit"),
            app_memory_host: None,
            entry: None,
            warnings: Vec::new(),
            sites_woven: Cell::new(0),
        };
        for (index, p) in script.probes.iter().enumerate() {
            let package = p.event.package.name.as_str();
            let event = p.event.event.map(|e| e.name.as_str());
            let mode = p.event.mode.map(|m| m.name);
            match (package, event, mode) {
                ("begin", ..) => plan.begin.push(index),
                ("end", ..) => plan.end.push(index),
                ("report", ..) => plan.report.push(index),
                // The engine calls these itself (the monitor's `wasm:trap`).
                ("trap", ..) if engine_libs => {}
                ("trap", ..) => errors.push(Unsupported {
                    what: "`wasm:trap` probes outside the engine target (a rewritten program cannot see its own traps; use `--target engine`)".into(),
                    span: p.span,
                }),
                ("func", Some("entry"), _) => {
                    plan.func_entry
                        .push(probe_plan(index, p, When::Before, &mut errors))
                }
                ("func", Some("exit"), _) => {
                    plan.func_exit
                        .push(probe_plan(index, p, When::Before, &mut errors))
                }
                ("block", Some("start"), _) => {
                    plan.block_start
                        .push(probe_plan(index, p, When::Before, &mut errors))
                }
                ("block", Some("end"), _) => {
                    plan.block_end
                        .push(probe_plan(index, p, When::Before, &mut errors))
                }
                ("opcode", Some(ev), Some("alt")) if matches!(ev, "else" | "end" | "try") => {
                    errors.push(Unsupported {
                        what: format!(
                            "`alt` on `{ev}` (replace the whole construct with an `alt` on its opening instruction)"
                        ),
                        span: p.span,
                    })
                }
                ("opcode", Some(ev), Some(m @ ("entry" | "exit" | "after")))
                    if STRUCTURED.contains(&ev) =>
                {
                    let at = match m {
                        "entry" => Structured::Entry,
                        "exit" => Structured::Exit,
                        _ => Structured::After,
                    };
                    let pp = probe_plan(index, p, When::Before, &mut errors);
                    plan.structured
                        .entry((ev.to_string(), at))
                        .or_default()
                        .push(pp);
                }
                (
                    "opcode",
                    Some(
                        ev @ ("br" | "br_if" | "br_table" | "br_on_null" | "br_on_non_null"
                        | "br_on_cast" | "br_on_cast_fail"),
                    ),
                    Some("at_target"),
                ) => {
                    let pp = probe_plan(index, p, When::AtTarget, &mut errors);
                    plan.opcode.entry(ev.to_string()).or_default().push(pp);
                }
                ("opcode", Some(ev), Some(m @ ("before" | "after" | "alt"))) => {
                    let when = match m {
                        "before" => When::Before,
                        "after" => When::After,
                        _ => When::Alt,
                    };
                    let pp = probe_plan(index, p, when, &mut errors);
                    plan.opcode.entry(ev.to_string()).or_default().push(pp);
                }
                _ => errors.push(Unsupported {
                    what: format!("`{}` probes", p.event.rule_name()),
                    span: p.span,
                }),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Script(errors));
        }
        let has_report_var = script.globals.iter().any(|g| g.report)
            || script.probes.iter().any(|p| {
                p.locals
                    .iter()
                    .any(|l| matches!(l.storage, Storage::Unshared { report: true, .. }))
            });
        plan.default_report = has_report_var && plan.report.is_empty();
        let uses_core = uses_builtin_core(script, libs);
        plan.prints = plan.default_report || uses_core;
        plan.on_exit = plan.prints || !plan.end.is_empty() || !plan.report.is_empty();
        if plan.prints {
            use wasm_encoder::ValType::{I32, I64};
            plan.fd_write = Some(plan.wasi(app, "fd_write", &[I32; 4]));
            plan.destination = Some(wham_codegen::destination::WasiCalls {
                environ_sizes_get: plan.wasi(app, "environ_sizes_get", &[I32; 2]),
                environ_get: plan.wasi(app, "environ_get", &[I32; 2]),
                fd_prestat_get: plan.wasi(app, "fd_prestat_get", &[I32; 2]),
                path_open: plan.wasi(
                    app,
                    "path_open",
                    &[I32, I32, I32, I32, I32, I64, I64, I32, I32],
                ),
            });
        }
        plan.import_libs(script, libs, counters, engine_libs, &mut errors);
        if engine_libs && reads_app_memory(script) {
            use wasm_encoder::ValType::I32;
            let mut host = |name: &str, params: &[wasm_encoder::ValType]| {
                plan.imports.push(AddedImport {
                    module: HOST_MODULE.into(),
                    name: name.into(),
                    params: params.to_vec(),
                    results: vec![I32],
                    lib: None,
                });
                app.num_func_imports() + plan.imports.len() as u32 - 1
            };
            let size = host("app_mem_size", &[I32]);
            let read = host("app_read", &[I32, I32, I32]);
            plan.app_memory_host = Some((size, read));
        }
        if !errors.is_empty() {
            return Err(Error::Script(errors));
        }
        plan.entry = app
            .exported_func("_start")
            .or_else(|| app.exported_func("main"))
            .or(app.start)
            .filter(|f| *f >= app.num_func_imports());
        if plan.on_exit && plan.entry.is_none() {
            plan.warnings.push(format!(
                "the app has no entry point (`_start`, `main` or a start function): the report is printed only when the host calls the exported `{}` function",
                crate::FLUSH_EXPORT
            ));
        }
        Ok(plan)
    }
}

impl Plan {
    /// A monitor module always has an exit hook (the engine calls it) and
    /// no entry point of its own.
    pub fn for_monitor(&mut self) {
        self.on_exit = true;
        self.warnings.clear();
    }
}

/// A function import the output adds.
pub struct AddedImport {
    pub module: String,
    pub name: String,
    pub params: Vec<wasm_encoder::ValType>,
    pub results: Vec<wasm_encoder::ValType>,
    /// For library functions, (script library name, function).
    pub lib: Option<(String, String)>,
}

impl Plan {
    /// A WASI preview 1 function returning an errno: the app's own import
    /// if it has one, else one we add.
    fn wasi(&mut self, app: &App<'_>, name: &str, params: &[wasm_encoder::ValType]) -> u32 {
        if let Some(i) = app.imported(WASI, name)
            && app
                .func_sig(i)
                .is_some_and(|(p, r)| p.len() == params.len() && r.len() == 1)
        {
            return i;
        }
        self.imports.push(AddedImport {
            module: WASI.into(),
            name: name.into(),
            params: params.to_vec(),
            results: vec![wasm_encoder::ValType::I32],
            lib: None,
        });
        app.num_func_imports() + self.imports.len() as u32 - 1
    }

    /// Import every library function the script calls at run time, with
    /// the signature the library exports.
    fn import_libs(
        &mut self,
        script: &CheckedScript<'_>,
        libs: &[crate::UserLib],
        counters: &[crate::LibCounter],
        engine_libs: bool,
        errors: &mut Vec<Unsupported>,
    ) {
        let mut calls = Vec::new();
        for p in &script.probes {
            wham_codegen::uses::lib_calls(p.predicate.as_ref(), &p.body, &mut calls);
            for l in &p.locals {
                if let Storage::Unshared { init: Some(i), .. } = &l.storage {
                    let from = calls.len();
                    wham_codegen::uses::lib_calls(Some(i), &[], &mut calls);
                    // A `@static` call given a global or a per-site
                    // variable is made by the set-up code, so imported.
                    if reads_variables(i) {
                        calls[from..].iter_mut().for_each(|c| c.2 = false);
                    }
                }
            }
        }
        for f in &script.functions {
            wham_codegen::uses::lib_calls(None, &f.body, &mut calls);
        }
        wham_codegen::uses::lib_calls(None, &script.global_init, &mut calls);
        // A counting function's adder comes with it (batched sites call it).
        let adders: Vec<_> = calls
            .iter()
            .filter_map(|(lib, func, _, span)| {
                let c = counters.iter().find(|c| &c.lib == lib && &c.func == func)?;
                Some((lib.clone(), c.adder.clone(), false, *span))
            })
            .collect();
        calls.extend(adders);
        let mut parsed: HashMap<String, Result<App<'_>, String>> = HashMap::new();
        for (lib, func, is_static, span) in calls {
            if lib == CORE && !libs.iter().any(|l| l.name == CORE) {
                if !wham_codegen::core_lib::provides(&func) {
                    errors.push(Unsupported {
                        what: format!(
                            "`whamm_core.{func}` (wham's built-in whamm_core has: {})",
                            wham_codegen::core_lib::FUNCTIONS.join(", ")
                        ),
                        span,
                    });
                }
                continue;
            }
            if lib == DYNINSTR && !libs.iter().any(|l| l.name == lib) {
                let known = func == "remove_probe";
                if known && engine_libs && !self.imports.iter().any(|i| i.name == func) {
                    self.imports.push(AddedImport {
                        module: DYNINSTR_MODULE.into(),
                        name: func.clone(),
                        params: vec![wasm_encoder::ValType::I32],
                        results: Vec::new(),
                        lib: Some((lib, func)),
                    });
                } else if !known || !engine_libs {
                    let e = Unsupported {
                        what: if known {
                            "`dyninstr.remove_probe` outside the engine target (probes are only removable there)".into()
                        } else {
                            format!("`dyninstr.{func}` (the engine library has `remove_probe`)")
                        },
                        span,
                    };
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                }
                continue;
            }
            let Some(user_lib) = libs.iter().find(|l| l.name == lib) else {
                errors.push(Unsupported {
                    what: format!("library `{lib}`: no module given for it (add `--user-libs {lib}=PATH.wasm`)"),
                    span,
                });
                continue;
            };
            if is_static {
                continue;
            }
            if self
                .imports
                .iter()
                .any(|i| i.lib.as_ref() == Some(&(lib.clone(), func.clone())))
            {
                continue;
            }
            let lib_app = parsed.entry(lib.clone()).or_insert_with(|| {
                App::parse(&user_lib.bytes)
                    .map_err(|e| format!("the library module is invalid: {e}"))
            });
            let sig = match lib_app {
                Ok(a) => crate::app::export_signature_in(a, &func),
                Err(e) => Err(e.clone()),
            };
            match sig {
                Ok((params, results)) => self.imports.push(AddedImport {
                    module: user_lib.module.clone(),
                    name: func.clone(),
                    params,
                    results,
                    lib: Some((lib, func)),
                }),
                Err(why) => errors.push(Unsupported { what: why, span }),
            }
        }
    }
}

/// The name of the original's core library, which wham provides built in.
pub const CORE: &str = "whamm_core";

/// The engine's functions a monitor reads the app's memory with.
pub const HOST_MODULE: &str = "wham:host";

/// Whether `e` reads a global or a local variable anywhere.
fn reads_variables(e: &wham_lang::check::hir::TExpr) -> bool {
    use wham_lang::check::hir::{TExprKind, VarRef};
    let mut found = false;
    wham_codegen::uses::walk(Some(e), &[], &mut |n| {
        if let wham_codegen::uses::Node::Expr(x) = n
            && matches!(x.kind, TExprKind::Var(VarRef::Global(_) | VarRef::Local(_)))
        {
            found = true;
        }
    });
    found
}

/// Core functions that read the app's memory; a monitor makes them
/// through the host, which copies.
pub const APP_MEMORY_READS: &[&str] = &["mem_size", "read_str", "strcmp", "strcontains"];

fn reads_app_memory(script: &CheckedScript<'_>) -> bool {
    let mut found = false;
    let mut look = |n: wham_codegen::uses::Node<'_>| {
        if let wham_codegen::uses::Node::Expr(e) = n
            && let wham_lang::check::hir::TExprKind::Builtin { name, .. } = &e.kind
            && APP_MEMORY_READS.contains(&name.as_str())
        {
            found = true;
        }
    };
    for p in &script.probes {
        wham_codegen::uses::walk(p.predicate.as_ref(), &p.body, &mut look);
        for l in &p.locals {
            if let Storage::Unshared { init: Some(i), .. } = &l.storage {
                wham_codegen::uses::walk(Some(i), &[], &mut look);
            }
        }
    }
    for f in &script.functions {
        wham_codegen::uses::walk(None, &f.body, &mut look);
    }
    wham_codegen::uses::walk(None, &script.global_init, &mut look);
    found
}

/// The engine's library for changing instrumentation while the program
/// runs, by its script name and import module.
pub const DYNINSTR: &str = "dyninstr";
pub const DYNINSTR_MODULE: &str = "whamm:dyninstr";

/// Whether the script calls the built-in `whamm_core` (not a user-given one).
fn uses_builtin_core(script: &CheckedScript<'_>, libs: &[crate::UserLib]) -> bool {
    if libs.iter().any(|l| l.name == CORE) {
        return false;
    }
    let mut calls = Vec::new();
    for p in &script.probes {
        wham_codegen::uses::lib_calls(p.predicate.as_ref(), &p.body, &mut calls);
    }
    for f in &script.functions {
        wham_codegen::uses::lib_calls(None, &f.body, &mut calls);
    }
    wham_codegen::uses::lib_calls(None, &script.global_init, &mut calls);
    calls.iter().any(|(lib, ..)| lib == CORE)
}

fn probe_plan(
    index: usize,
    p: &ExpandedProbe<'_>,
    when: When,
    errors: &mut Vec<Unsupported>,
) -> ProbePlan {
    let mut uses = dynamic_uses(p.predicate.as_ref(), &p.body);
    // A bounded operand filters sites even when the body never reads it,
    // so its type must be looked at too.
    uses.extend(p.bounds.iter().map(|(n, _)| n.clone()));
    let mut args = 0;
    let mut results = 0;
    let addr_arg = p
        .event
        .event
        .and_then(|e| e.opcode.as_ref())
        .and_then(|o| o.mem)
        .map(|m| m.addr_arg);
    for name in &uses {
        let family = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|n| n.parse::<u32>().ok())
        };
        if let Some(n) = family("arg") {
            args = args.max(n + 1);
        } else if let Some(n) = family("res") {
            results = results.max(n + 1);
        } else if family("local").is_some() {
        } else {
            match name.as_str() {
                "addr" | "effective_addr" => args = args.max(addr_arg.unwrap_or(0) + 1),
                "table_entry_idx" | "target" | "target_funcref" | "resolved_fid" => {
                    args = args.max(1)
                }
                "failed" => results = results.max(1),
                // It repeats the instruction with the site's operands.
                "dup_at" => args = args.max(3),
                "resolve_funcref" => {}
                other => errors.push(Unsupported {
                    what: format!("`{other}`"),
                    span: p.span,
                }),
            }
        }
    }
    ProbePlan {
        index,
        when,
        args,
        results,
        uses,
        batch: None,
    }
}

/// The counter a probe batches, if its body is just `x++`/`x--` on an
/// integer counter that is a global or an uninitialised per-site variable.
fn batch_target(
    p: &ExpandedProbe<'_>,
    script: &CheckedScript<'_>,
    counters: &[crate::LibCounter],
) -> Option<(BatchTarget, i8)> {
    use wham_lang::check::hir::{Place, TExpr, TExprKind, TStmt, VarRef};
    if let [
        TStmt::Expr(TExpr {
            kind:
                TExprKind::LibCall {
                    lib,
                    func,
                    is_static: false,
                    ..
                },
            ..
        }),
    ] = p.body.as_slice()
    {
        let k = counters
            .iter()
            .position(|c| &c.lib == lib && &c.func == func)?;
        return p.locals.is_empty().then_some((BatchTarget::Lib(k), 1));
    }
    let [
        TStmt::Incr {
            place: Place::Var(v),
            delta,
            ..
        },
    ] = p.body.as_slice()
    else {
        return None;
    };
    // Other per-site variables (`report unshared var s: str = opname;`)
    // need their own storage and rows, which a batched counter skips.
    let counter = match v {
        VarRef::Local(id) => Some(*id),
        _ => None,
    };
    let others_unshared = p
        .locals
        .iter()
        .enumerate()
        .any(|(i, l)| Some(i) != counter && matches!(l.storage, Storage::Unshared { .. }));
    if others_unshared {
        return None;
    }
    match v {
        VarRef::Global(g) if script.globals[*g].ty.is_integer() => {
            Some((BatchTarget::Global(*g), *delta))
        }
        VarRef::Local(id) => {
            let l = &p.locals[*id];
            let plain = matches!(l.storage, Storage::Unshared { init: None, .. });
            (plain && l.ty.is_integer()).then_some((BatchTarget::Unshared(*id), *delta))
        }
        _ => None,
    }
}

impl Plan {
    /// Mark `before` probes whose counters can be batched per basic block:
    /// global counters only when no other code mentions them.
    pub fn find_batches(&mut self, script: &CheckedScript<'_>, counters: &[crate::LibCounter]) {
        let mut candidates: Vec<(String, usize)> = Vec::new();
        for (ev, probes) in &self.opcode {
            for (k, pp) in probes.iter().enumerate() {
                if pp.when == When::Before
                    && pp.uses.is_empty()
                    && batch_target(&script.probes[pp.index], script, counters).is_some()
                {
                    candidates.push((ev.clone(), k));
                }
            }
        }
        let batched: std::collections::HashSet<usize> = candidates
            .iter()
            .map(|(ev, k)| self.opcode[ev][*k].index)
            .collect();
        let mut mentioned = BTreeSet::new();
        for (i, p) in script.probes.iter().enumerate() {
            if !batched.contains(&i) {
                wham_codegen::uses::globals_mentioned(
                    p.predicate.as_ref(),
                    &p.body,
                    &mut mentioned,
                );
            } else {
                wham_codegen::uses::globals_mentioned(p.predicate.as_ref(), &[], &mut mentioned);
            }
        }
        for f in &script.functions {
            wham_codegen::uses::globals_mentioned(None, &f.body, &mut mentioned);
        }
        wham_codegen::uses::globals_mentioned(None, &script.global_init, &mut mentioned);
        for (ev, k) in candidates {
            let pp = &mut self.opcode.get_mut(&ev).expect("candidate event")[k];
            let target = batch_target(&script.probes[pp.index], script, counters);
            if let Some((BatchTarget::Global(g), _)) = target
                && mentioned.contains(&g)
            {
                continue;
            }
            pp.batch = target;
        }
    }
}
