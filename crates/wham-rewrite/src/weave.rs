//! Weaving: walk every function with the validator (so operand types are
//! known at each instruction), and at each match site splice in the code
//! the generator makes for the probes that apply there.

use crate::app::App;
use crate::facts::SiteFacts;
use crate::plan::{BatchTarget, Plan, ProbePlan, Structured, When};
use crate::{Error, Options, ReportTo};
use std::collections::HashMap;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{BlockType, ConstExpr, Encode, Function, Instruction as I, ValType};
use wasmparser::{Operator, Parser, ValidPayload, Validator, WasmFeatures};
use wham_codegen::eval::{eval, eval_bool};
use wham_codegen::lower::lower_function;
use wham_codegen::module::{Additions, Bases, Body};
use wham_codegen::report::{ReportVar, RowSite, ValueAt};
use wham_codegen::repr::{self, val_types};
use wham_codegen::runtime::{self, OutputVia, Runtime};
use wham_codegen::{DynValue, Exit, LocalAlloc, Lowerer, ScriptState, Unsupported};
use wham_events::{Ty, WasmType, event_for_operator};
use wham_lang::CheckedScript;
use wham_lang::check::hir::{Place, Storage, TStmt, Value, VarRef};

/// What weaving produced, for the assembler.
pub struct Parts {
    pub add: Additions,
    /// New body per defined function of the app (`None`: copy as is).
    pub bodies: Vec<Option<Function>>,
    /// The new start function, if it changes.
    pub start: Option<u32>,
    /// Export the instrumentation memory as `memory` (for WASI).
    pub export_memory: bool,
    /// More names to export it under (a monitor's `whamm_buffer`).
    pub memory_aliases: Vec<String>,
    /// See `Weaver::pc_maps`.
    pub pc_maps: Vec<Option<Vec<(u32, u32)>>>,
    /// Found while weaving (shadows of the host's tables).
    pub warnings: Vec<String>,
    /// Library counters kept in slots of ours until the program ends.
    pub deferred: Vec<crate::DeferredCount>,
    /// Exports of the entry point (`_start`, `main`) and the start
    /// function call this instead.
    pub entry_wrapper: Option<EntryWrapper>,
    pub placements: Vec<crate::Placement>,
}

/// The entry point runs inside a function of ours that prints the report
/// when it returns, however it returns (through a tail call; a recursive
/// entry once, after the outermost activation), as whamm 2.0.1 does.
#[derive(Clone, Copy)]
pub struct EntryWrapper {
    /// The entry function, as the output numbers it.
    pub entry: u32,
    pub wrapper: u32,
    params: u32,
}

pub struct Weaver<'s, 'a> {
    pub(crate) script: &'s CheckedScript<'s>,
    pub(crate) app: &'s App<'a>,
    pub(crate) plan: &'s Plan,
    pub(crate) add: Additions,
    pub(crate) state: ScriptState,
    pub(crate) rt: Option<Runtime>,
    on_exit: Option<u32>,
    /// The function that runs the entry point and then prints the report
    /// (`wham_entry`), and the entry's index in the output.
    entry_wrapper: Option<EntryWrapper>,
    report_fn: Option<u32>,
    pub(crate) report_vars: Vec<ReportVar>,
    bodies: Vec<Option<Function>>,
    pub(crate) errors: Vec<Unsupported>,
    export_memory: bool,
    pub(crate) evaluator: Option<&'s dyn crate::LibEvaluator>,
    /// `@init` calls of probes, per site, run once at start-up.
    init_code: Vec<I<'static>>,
    /// Per-site state shared by all sites of a probe in a function
    /// ([`SiteFacts::per_function`]), by (probe, function).
    per_function_state: HashMap<(usize, u32), Vec<(usize, u32)>>,
    init_alloc: LocalAlloc,
    /// Picks the report's destination when the program ends.
    chooser: Option<u32>,
    /// Slot -> function maps of tables, for `resolved_fid` (`shadow.rs`).
    shadows: crate::shadow::Shadows,
    /// Whether tables the program writes get shadows (the script reads
    /// `resolved_fid`).
    shadow_tables: bool,
    /// Printers of map and tuple report rows.
    pub(crate) row_kinds: wham_codegen::report::RowKinds,
    /// The app's type indices by the validator's canonical type ids.
    type_ids: Option<std::rc::Rc<HashMap<wasmparser::types::CoreTypeId, u32>>>,
    /// Report rows registered at run time (monitor modules).
    pub(crate) dyn_rows: Option<wham_codegen::report::DynRows>,
    /// Per defined function: where its original instructions are in the
    /// output body, as (new pc, original pc) pairs; `None` when the body
    /// is copied unchanged.
    pc_maps: Vec<Option<Vec<(u32, u32)>>>,
    /// Filled while a function is woven.
    pc_pairs: std::cell::RefCell<Vec<(u32, u32)>>,
    /// Counting library functions (`Options::lib_counters`).
    lib_counters: &'s [crate::LibCounter],
    /// Batched library counters: (counter, its address argument).
    lib_slots: Vec<(usize, Option<i64>)>,
    deferred: Vec<crate::DeferredCount>,
    placements: Vec<crate::Placement>,
}

/// For a conditional branch, the code that turns its deciding operand
/// (arg0, on the stack) into "the branch is taken".
fn taken_when(op: &Operator) -> Option<Vec<I<'static>>> {
    let test = |to: &wasmparser::RefType| {
        let heap = RoundtripReencoder.heap_type(to.heap_type()).unwrap_or(
            wasm_encoder::HeapType::Abstract {
                shared: false,
                ty: wasm_encoder::AbstractHeapType::Any,
            },
        );
        if to.is_nullable() {
            I::RefTestNullable(heap)
        } else {
            I::RefTestNonNull(heap)
        }
    };
    Some(match op {
        Operator::BrIf { .. } => vec![],
        Operator::BrOnNull { .. } => vec![I::RefIsNull],
        Operator::BrOnNonNull { .. } => vec![I::RefIsNull, I::I32Eqz],
        Operator::BrOnCast { to_ref_type, .. } => vec![test(to_ref_type)],
        Operator::BrOnCastFail { to_ref_type, .. } => vec![test(to_ref_type), I::I32Eqz],
        _ => return None,
    })
}

/// The validator names concrete types by canonical ids; the output needs
/// the app's own type indices (any of equal types will do).
fn type_ids(
    res: &impl wasmparser::WasmModuleResources,
    count: usize,
) -> HashMap<wasmparser::types::CoreTypeId, u32> {
    use wasmparser::{HeapType, UnpackedIndex};
    (0..count as u32)
        .filter_map(|i| {
            let mut h = HeapType::Concrete(UnpackedIndex::Module(i));
            res.check_heap_type(&mut h, 0).ok()?;
            match h {
                HeapType::Concrete(UnpackedIndex::Id(id)) => Some((id, i)),
                _ => None,
            }
        })
        .collect()
}

/// A type the validator reported, as the output spells it.
fn validator_type(
    vt: wasmparser::ValType,
    ids: &HashMap<wasmparser::types::CoreTypeId, u32>,
) -> ValType {
    use wasmparser::{HeapType, RefType, UnpackedIndex};
    if let wasmparser::ValType::Ref(r) = vt {
        let heap = match r.heap_type() {
            HeapType::Concrete(UnpackedIndex::Id(id)) => ids
                .get(&id)
                .map(|&i| HeapType::Concrete(UnpackedIndex::Module(i))),
            // The inexact type holds the same values and needs no
            // custom-descriptors support from the engine.
            HeapType::Exact(UnpackedIndex::Id(id)) => ids
                .get(&id)
                .map(|&i| HeapType::Concrete(UnpackedIndex::Module(i))),
            HeapType::Exact(UnpackedIndex::Module(i)) => {
                Some(HeapType::Concrete(UnpackedIndex::Module(i)))
            }
            _ => None,
        };
        if let Some(rt) = heap.and_then(|h| RefType::new(r.is_nullable(), h)) {
            return to_encoder(wasmparser::ValType::Ref(rt));
        }
    }
    to_encoder(vt)
}

fn to_encoder(vt: wasmparser::ValType) -> ValType {
    RoundtripReencoder.val_type(vt).unwrap_or(ValType::I32)
}

/// The catalog's name for a Wasm value type.
pub fn wasm_type(vt: wasmparser::ValType) -> WasmType {
    use wasmparser::ValType as V;
    match vt {
        V::I32 => WasmType::I32,
        V::I64 => WasmType::I64,
        V::F32 => WasmType::F32,
        V::F64 => WasmType::F64,
        V::V128 => WasmType::V128,
        V::Ref(r) if r == wasmparser::RefType::FUNCREF => WasmType::Funcref,
        V::Ref(_) => WasmType::Ref,
    }
}

fn encode_all(code: &[I<'_>], out: &mut Vec<u8>) {
    for i in code {
        i.encode(out);
    }
}

/// Little-endian bytes of a value as laid out in instrumentation memory.
fn value_bytes(add: &mut Additions, v: &Value, ty: &Ty) -> Option<Vec<u8>> {
    Some(match (v, ty) {
        (Value::Int(i), Ty::U64 | Ty::I64) => (*i as i64).to_le_bytes().to_vec(),
        (Value::Int(i), _) => (*i as i32).to_le_bytes().to_vec(),
        (Value::Bool(b), _) => (*b as i32).to_le_bytes().to_vec(),
        (Value::F32(f), Ty::F64) => (*f as f64).to_le_bytes().to_vec(),
        (Value::F32(f), _) => f.to_le_bytes().to_vec(),
        (Value::F64(f), Ty::F32) => (*f as f32).to_le_bytes().to_vec(),
        (Value::F64(f), _) => f.to_le_bytes().to_vec(),
        (Value::Str(s), _) => {
            let (a, l) = add.string(s);
            [a.to_le_bytes(), l.to_le_bytes()].concat()
        }
        (Value::Tuple(vs), Ty::Tuple(ts)) => {
            let mut out = Vec::new();
            for (v, t) in vs.iter().zip(ts) {
                out.extend(value_bytes(add, v, t)?);
            }
            out
        }
        _ => return None,
    })
}

/// How many operands an instruction with a site-dependent signature takes.
fn site_arity(app: &App<'_>, op: &Operator<'_>) -> Option<u32> {
    let params = |t: u32| {
        app.types
            .get(t as usize)?
            .as_ref()
            .map(|s| s.0.len() as u32)
    };
    match op {
        Operator::Call { function_index } | Operator::ReturnCall { function_index } => {
            app.func_sig(*function_index).map(|s| s.0.len() as u32)
        }
        Operator::CallIndirect { type_index, .. }
        | Operator::ReturnCallIndirect { type_index, .. }
        | Operator::CallRef { type_index }
        | Operator::ReturnCallRef { type_index } => params(*type_index).map(|n| n + 1),
        Operator::LocalSet { .. }
        | Operator::LocalTee { .. }
        | Operator::GlobalSet { .. }
        | Operator::Drop => Some(1),
        Operator::Select | Operator::TypedSelect { .. } => Some(3),
        Operator::BrIf { .. } | Operator::BrTable { .. } => Some(1),
        // A construct takes its block type's parameters (and `if` its
        // condition).
        Operator::If { blockty } => block_sig(app, blockty).map(|(p, _)| p.len() as u32 + 1),
        Operator::Block { blockty } | Operator::Loop { blockty } => {
            block_sig(app, blockty).map(|(p, _)| p.len() as u32)
        }
        Operator::TryTable { try_table } => {
            block_sig(app, &try_table.ty).map(|(p, _)| p.len() as u32)
        }
        _ => None,
    }
}

/// (parameters, results) of a block type.
fn block_sig(
    app: &App<'_>,
    bt: &wasmparser::BlockType,
) -> Option<(Vec<wasmparser::ValType>, Vec<wasmparser::ValType>)> {
    match bt {
        wasmparser::BlockType::Empty => Some((vec![], vec![])),
        wasmparser::BlockType::Type(t) => Some((vec![], vec![*t])),
        wasmparser::BlockType::FuncType(i) => app.types.get(*i as usize)?.clone(),
    }
}

/// Result types of a call-like instruction.
fn site_results(app: &App<'_>, op: &Operator<'_>) -> Option<Vec<wasmparser::ValType>> {
    match op {
        Operator::Call { function_index } => app.func_sig(*function_index).map(|s| s.1.clone()),
        Operator::Block { blockty } | Operator::Loop { blockty } | Operator::If { blockty } => {
            block_sig(app, blockty).map(|(_, r)| r)
        }
        Operator::TryTable { try_table } => block_sig(app, &try_table.ty).map(|(_, r)| r),
        Operator::CallIndirect { type_index, .. } | Operator::CallRef { type_index } => app
            .types
            .get(*type_index as usize)?
            .as_ref()
            .map(|s| s.1.clone()),
        _ => None,
    }
}

type FuncValidator = wasmparser::FuncValidator<wasmparser::ValidatorResources>;

/// Operand count of an instruction whose signature the validator knows:
/// `throw` takes its tag's parameters; reads of variables take nothing.
fn typed_arity(v: &FuncValidator, op: &Operator<'_>) -> Option<u32> {
    use wasmparser::WasmModuleResources;
    match op {
        Operator::Throw { tag_index } => {
            Some(v.resources().tag_at(*tag_index)?.params().len() as u32)
        }
        Operator::LocalGet { .. } | Operator::GlobalGet { .. } => Some(0),
        _ => None,
    }
}

/// Result types of an instruction whose results depend on the site: the
/// variable read, or the values `select` chooses between.
fn typed_results(
    v: &FuncValidator,
    op: &Operator<'_>,
    locals: &[wasmparser::ValType],
) -> Option<Vec<wasmparser::ValType>> {
    use wasmparser::WasmModuleResources;
    Some(vec![match op {
        Operator::LocalGet { local_index } | Operator::LocalTee { local_index } => {
            *locals.get(*local_index as usize)?
        }
        Operator::GlobalGet { global_index } => {
            v.resources().global_at(*global_index)?.content_type
        }
        Operator::TypedSelect { ty } => *ty,
        // [.. a b cond]: the chosen value has the type of `b`.
        Operator::Select => v.get_operand_type(1)??,
        _ => return None,
    }])
}

fn catalog_type(wt: WasmType) -> Option<wasmparser::ValType> {
    Some(match wt {
        WasmType::I32 => wasmparser::ValType::I32,
        WasmType::I64 => wasmparser::ValType::I64,
        WasmType::F32 => wasmparser::ValType::F32,
        WasmType::F64 => wasmparser::ValType::F64,
        WasmType::V128 => wasmparser::ValType::V128,
        WasmType::Funcref => wasmparser::ValType::FUNCREF,
        WasmType::Ref => return None,
    })
}

/// Whether control never falls through to the next instruction, or may
/// branch away: the instruction ends its basic block.
fn ends_block(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::Br { .. }
            | Operator::BrIf { .. }
            | Operator::BrTable { .. }
            | Operator::BrOnNull { .. }
            | Operator::BrOnNonNull { .. }
            | Operator::BrOnCast { .. }
            | Operator::BrOnCastFail { .. }
            | Operator::Return
            | Operator::ReturnCall { .. }
            | Operator::ReturnCallIndirect { .. }
            | Operator::ReturnCallRef { .. }
            | Operator::Unreachable
            | Operator::If { .. }
            | Operator::Else
            | Operator::Throw { .. }
            | Operator::ThrowRef
            | Operator::Rethrow { .. }
            | Operator::Catch { .. }
            | Operator::CatchAll
            | Operator::TryTable { .. }
    )
}

/// Basic blocks as (first, last) instruction indices. A block starts at
/// the first instruction, after an instruction that ends one, and at each
/// `loop` and `end` (branch targets).
fn basic_blocks(ops: &[(Operator<'_>, usize)]) -> Vec<(usize, usize)> {
    let n = ops.len();
    let mut leader = vec![false; n];
    if n > 0 {
        leader[0] = true;
    }
    for (i, (op, _)) in ops.iter().enumerate() {
        if matches!(op, Operator::Loop { .. } | Operator::End) {
            leader[i] = true;
        }
        if ends_block(op) && i + 1 < n {
            leader[i + 1] = true;
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, is_leader) in leader.iter().enumerate().skip(1) {
        if *is_leader {
            out.push((start, i - 1));
            start = i;
        }
    }
    if n > 0 {
        out.push((start, n - 1));
    }
    out
}

/// Whether control may leave in the middle of a basic block while the
/// program goes on: a call (it may throw, or exit the program) or a throw
/// or stack switch. Instructions that can only trap are not cuts: a trap
/// ends the program, so at worst the counts of the block it stopped in
/// include the instructions after it (`--no-batching` counts exactly).
fn may_interrupt(op: &Operator<'_>) -> bool {
    let Some(event) = event_for_operator(op) else {
        return true;
    };
    let name = event.name.as_str();
    name.contains("call")
        || matches!(name, "throw" | "throw_ref" | "rethrow" | "delegate")
        || name.starts_with("resume")
        || name.starts_with("suspend")
        || name.starts_with("switch")
}

/// A site of the mode-less events (function entry/exit, basic blocks).
#[derive(Clone, Copy)]
struct PlainSite {
    fid: u32,
    pc: u32,
    opidx: u32,
    at_func_end: bool,
    instr_count: Option<u32>,
    /// See [`SiteFacts::row_pc`] and [`SiteFacts::per_function`].
    row_pc: Option<u32>,
    per_function: bool,
}

/// Where a batched counter lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum BatchSlot {
    /// A Wasm global of this script type.
    Global(u32, BatchTy),
    /// An address in instrumentation memory.
    Mem(u32, BatchTy),
    /// A counting library function's counter (`Weaver::lib_slots`).
    Lib(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct BatchTy(u8);

fn batch_ty(ty: &Ty) -> BatchTy {
    BatchTy(match ty {
        Ty::U8 => 0,
        Ty::I8 => 1,
        Ty::U16 => 2,
        Ty::I16 => 3,
        Ty::U32 => 4,
        Ty::I32 => 5,
        Ty::U64 => 6,
        _ => 7,
    })
}

fn batch_script_ty(t: BatchTy) -> Ty {
    match t.0 {
        0 => Ty::U8,
        1 => Ty::I8,
        2 => Ty::U16,
        3 => Ty::I16,
        4 => Ty::U32,
        5 => Ty::I32,
        6 => Ty::U64,
        _ => Ty::I64,
    }
}

/// An open block-structured instruction, for its entry/exit/after probes.
struct Frame {
    event: &'static wham_events::Event,
    pc: u32,
    index: u32,
    imms: Vec<(&'static str, wham_events::ImmValue)>,
    /// The `else` instruction's (pc, index) once it is passed: where
    /// `else` probes are sited.
    else_at: Option<(u32, u32)>,
}

/// How an instruction changes the number of open blocks (`delegate`
/// closes its `try` as an `end` would).
fn nesting(op: &Operator<'_>) -> i32 {
    match op {
        Operator::Block { .. }
        | Operator::Loop { .. }
        | Operator::If { .. }
        | Operator::TryTable { .. }
        | Operator::Try { .. } => 1,
        Operator::End | Operator::Delegate { .. } => -1,
        _ => 0,
    }
}

/// What an `alt` probe did at a site.
#[derive(Clone, Copy, PartialEq)]
enum Alt {
    /// Its predicate is false here: the instruction stays.
    NotHere,
    /// The instruction (or whole construct) is gone.
    Replaced,
    /// A run-time predicate chooses: the construct is woven inside a
    /// block that must close after its `end`.
    Wrapped,
}

/// The control-flow exits of a function at an instruction.
enum ExitAt {
    /// Leaves the function (return, final end, branch to the body label).
    Always { flush: bool },
    /// `br_if` to the body label: only when the condition holds.
    IfTaken,
    /// `br_table` with some labels the body's: only when the index picks
    /// one of `hits`, or the default when `default_hit` (index >= `n`).
    IfIndexIn {
        hits: Vec<u32>,
        default_hit: bool,
        n: u32,
    },
}

impl<'s, 'a> Weaver<'s, 'a> {
    pub fn new(
        script: &'s CheckedScript<'s>,
        app: &'s App<'a>,
        plan: &'s Plan,
        options: &'s Options,
    ) -> Result<Self, Error> {
        let nfi = app.num_func_imports() + plan.imports.len() as u32;
        let bases = Bases {
            types: app.types.len() as u32,
            funcs: nfi + app.bodies.len() as u32,
            globals: app.num_globals,
            instr_mem: app.instr_memory(),
        };
        let mut w = Weaver {
            script,
            app,
            plan,
            add: Additions::new(bases),
            state: ScriptState::default(),
            rt: None,
            on_exit: None,
            entry_wrapper: None,
            report_fn: None,
            report_vars: Vec::new(),
            bodies: Vec::new(),
            errors: Vec::new(),
            export_memory: false,
            evaluator: options.evaluator.as_deref(),
            init_code: Vec::new(),
            per_function_state: HashMap::new(),
            init_alloc: LocalAlloc::new(0),
            chooser: None,
            shadows: Default::default(),
            shadow_tables: plan
                .opcode
                .values()
                .flatten()
                .any(|p| p.uses.contains("resolved_fid") || p.uses.contains("resolve_funcref")),
            row_kinds: Default::default(),
            type_ids: None,
            dyn_rows: None,
            pc_maps: Vec::new(),
            pc_pairs: Default::default(),
            lib_counters: &options.lib_counters,
            lib_slots: Vec::new(),
            deferred: Vec::new(),
            placements: Vec::new(),
        };
        // The imports' types come first, before anything else is added.
        for (k, imp) in plan.imports.iter().enumerate() {
            let ty = w.add.type_for(&imp.params, &imp.results);
            w.add.import_types.push(ty);
            if let Some(key) = &imp.lib {
                w.state.lib_funcs.insert(
                    key.clone(),
                    wham_codegen::lower::LibFunc {
                        index: app.num_func_imports() + k as u32,
                        params: imp.params.clone(),
                        results: imp.results.clone(),
                    },
                );
            }
        }
        if let Some(fd_write) = plan.fd_write {
            let via = match app
                .exports
                .iter()
                .find(|(n, k, _)| n == "memory" && *k == wasmparser::ExternalKind::Memory)
            {
                Some((_, _, m)) => OutputVia::AppMemory(app.memory(*m)),
                None => {
                    w.export_memory = true;
                    OutputVia::OwnMemory
                }
            };
            let fd = match options.report_to {
                ReportTo::Stdout | ReportTo::File(_) => 1,
                ReportTo::Stderr => 2,
            };
            let rt = runtime::build(&mut w.add, fd_write, via, fd);
            w.rt = Some(rt);
            w.state.printing = w.rt;
            if let Some(calls) = &plan.destination {
                let file = match &options.report_to {
                    ReportTo::File(path) => Some(path.as_str()),
                    _ => None,
                };
                w.chooser = Some(wham_codegen::destination::build_chooser(
                    &mut w.add, &rt, via, calls, file,
                ));
            }
        }
        w.declare_globals();
        w.declare_functions();
        if plan.on_exit {
            w.on_exit = Some(w.add.reserve_func("wham_on_exit", &[], &[]));
            w.entry_wrapper = w.reserve_entry_wrapper();
            if plan.default_report {
                w.report_fn = Some(w.add.reserve_func("wham_report", &[], &[]));
            }
        }
        if !w.errors.is_empty() {
            return Err(Error::Script(std::mem::take(&mut w.errors)));
        }
        Ok(w)
    }

    fn declare_globals(&mut self) {
        for (id, g) in self.script.globals.iter().enumerate() {
            let mut idx = Vec::new();
            for (k, vt) in val_types(&g.ty).into_iter().enumerate() {
                let init = match vt {
                    // A map global holds the id (header address) of its map.
                    _ if matches!(g.ty, Ty::Map(..)) => {
                        let header = wham_codegen::maps::new_map(&mut self.add);
                        // `whamm_core.print_map(n)`: the n-th global map
                        self.state.maps_by_id.push((header, g.ty.clone()));
                        ConstExpr::i32_const(header as i32)
                    }
                    ValType::I64 => ConstExpr::i64_const(0),
                    ValType::F32 => ConstExpr::f32_const(0.0f32.into()),
                    ValType::F64 => ConstExpr::f64_const(0.0f64.into()),
                    ValType::V128 => ConstExpr::v128_const(0),
                    ValType::Ref(r) => ConstExpr::ref_null(r.heap_type),
                    _ => ConstExpr::i32_const(0),
                };
                let name = if k == 0 {
                    g.name.clone()
                } else {
                    format!("{}.{k}", g.name)
                };
                idx.push(self.add.add_global(&name, vt, init));
            }
            if g.report {
                self.report_vars.push(ReportVar {
                    name: g.name.clone(),
                    ty: g.ty.clone(),
                    at: ValueAt::Globals(idx.clone()),
                    site: None,
                    span: g.span,
                    order: (0, 0, id as u32),
                });
            }
            self.state.globals.push(idx);
            self.state.global_types.push(g.ty.clone());
        }
    }

    fn declare_functions(&mut self) {
        for f in &self.script.functions {
            let params: Vec<ValType> = f
                .params
                .iter()
                .flat_map(|p| val_types(&f.locals[*p].ty))
                .collect();
            let idx = self.add.reserve_func(&f.name, &params, &val_types(&f.ret));
            self.state.functions.push(idx);
        }
        for (f, &idx) in self
            .script
            .functions
            .iter()
            .zip(&self.state.functions.clone())
        {
            if let Err(e) = lower_function(&mut self.add, &self.state, f, idx) {
                self.errors.push(e);
            }
        }
    }

    /// Add `stmts` of probe `index` at this site to the start-up code, with
    /// the site's per-site variables at `unshared`.
    fn at_startup(
        &mut self,
        index: usize,
        facts: &SiteFacts<'_, '_>,
        unshared: &[(usize, u32)],
        stmts: &[TStmt],
    ) {
        if stmts.is_empty() {
            return;
        }
        let p = &self.script.probes[index];
        let mut lw = Lowerer::new(
            &mut self.add,
            &self.state,
            facts,
            &mut self.init_alloc,
            Exit::ProbeBlock,
        );
        lw.bind_vars(&p.locals, &[], unshared);
        match lw.stmts(stmts) {
            Ok(()) => self.init_code.append(&mut lw.code),
            Err(e) => self.errors.push(e),
        }
    }

    /// Per-site (`unshared`) variables of a probe at a site: allocated,
    /// initialised from the site's static facts, and registered for the
    /// report when they are `report` variables.
    fn alloc_unshared(&mut self, index: usize, facts: &SiteFacts<'_, '_>) -> Vec<(usize, u32)> {
        if facts.per_function
            && let Some(shared) = self.per_function_state.get(&(index, facts.fid))
        {
            return shared.clone();
        }
        let p = &self.script.probes[index];
        let mut unshared = Vec::new();
        // Initialisers that need code (globals, library calls, `mem_size`)
        // run at start-up, once per site, after the global statements.
        let mut at_startup = Vec::new();
        for (id, l) in p.locals.iter().enumerate() {
            let Storage::Unshared { report, init } = &l.storage else {
                continue;
            };
            if !repr::storable(&l.ty) {
                self.errors.push(Unsupported {
                    what: format!("per-site variables of type {}", l.ty),
                    span: l.span,
                });
                continue;
            }
            let addr = self.add.alloc(repr::mem_size(&l.ty), 8);
            if matches!(l.ty, Ty::Map(..)) {
                let map = wham_codegen::maps::new_map(&mut self.add);
                self.add.init_bytes(addr, &map.to_le_bytes());
            }
            if let Some(init) = init {
                match eval(init, facts).and_then(|v| value_bytes(&mut self.add, &v, &l.ty)) {
                    Some(bytes) => self.add.init_bytes(addr, &bytes),
                    None => at_startup.push(TStmt::Assign {
                        place: Place::Var(VarRef::Local(id)),
                        value: init.clone(),
                        span: init.span,
                    }),
                }
            }
            if *report {
                let fname = match self.app.func_names.get(&facts.fid) {
                    Some(n) if !n.is_empty() => n.clone(),
                    _ => format!("#{}", facts.fid),
                };
                let site = match p.event.package.name.as_str() {
                    "begin" | "end" | "report" => None,
                    _ => Some(RowSite {
                        fname,
                        fid: facts.fid,
                        pc: facts.pc,
                        probe_id: p.probe_id(),
                    }),
                };
                self.report_vars.push(ReportVar {
                    name: l.name.clone(),
                    ty: l.ty.clone(),
                    at: ValueAt::Mem(addr),
                    site: site
                        .map(|s| RowSite {
                            pc: facts.row_pc.unwrap_or(s.pc),
                            ..s
                        })
                        .or(Some(RowSite {
                            fname: String::new(),
                            fid: 0,
                            pc: 0,
                            probe_id: p.probe_id(),
                        })),
                    span: l.span,
                    // By pc, which grows with the instruction index, as the
                    // engine orders its rows (the engine interface has no
                    // instruction index); whamm allocates a function's exit
                    // state at its start.
                    order: (
                        facts.fid,
                        if facts.per_function { 0 } else { facts.pc },
                        p.number as u32,
                    ),
                });
            }
            unshared.push((id, addr));
        }
        self.at_startup(index, facts, &unshared, &at_startup);
        if facts.per_function {
            self.per_function_state
                .insert((index, facts.fid), unshared.clone());
        }
        unshared
    }

    /// The `entry`/`exit`/`after` probes of construct `f` (as event `ev`:
    /// the opener, or `else`), sited at the opening instruction (the
    /// `else` itself for `else` probes).
    #[allow(clippy::too_many_arguments)]
    fn structured_probes(
        &mut self,
        app: &'s App<'a>,
        fid: u32,
        f: &Frame,
        ev: &str,
        at: Structured,
        alloc: &mut LocalAlloc,
        locals: &[wasmparser::ValType],
    ) -> Vec<I<'static>> {
        let mut out = Vec::new();
        let Some(probes) = self.plan.structured.get(&(ev.to_string(), at)) else {
            return out;
        };
        let (pc, index) = match f.else_at {
            Some(at) if ev == "else" => at,
            _ => (f.pc, f.index),
        };
        for pp in probes {
            let mut facts = SiteFacts::new(self.evaluator, app, fid, pc, index);
            facts.event = if ev == f.event.name {
                Some(f.event)
            } else {
                event_for_operator(&Operator::Else)
            };
            facts.imms = f.imms.clone();
            facts.add_locals(locals.len());
            alloc.release_all();
            if pp.args == 0 && pp.results == 0 && self.bounds_fit(pp, &[], &[], locals) {
                self.emit_probe(&mut out, alloc, &facts, pp.index);
            }
        }
        out
    }

    /// Find the batched counter updates of a function: for each basic
    /// block, the total each counter gains when the block runs. Sites
    /// whose predicate is only known at run time are left to the ordinary
    /// path.
    #[allow(clippy::too_many_arguments)]
    fn plan_batches(
        &mut self,
        ops: &[(Operator<'a>, usize)],
        blocks: &[(usize, usize)],
        fid: u32,
        body_start: usize,
        ev: Option<&'s dyn crate::LibEvaluator>,
        batch_at: &mut HashMap<usize, Vec<(BatchSlot, i64)>>,
        batched: &mut std::collections::HashSet<(usize, usize)>,
    ) {
        let app = self.app;
        // Counting once per region is exact only if a region runs all or
        // nothing: split blocks after anything that may leave it while the
        // program goes on (a trap ends it: see `may_interrupt`).
        let mut regions = Vec::new();
        for &(start, end) in blocks {
            let mut s0 = start;
            for (k, (op, _)) in ops.iter().enumerate().take(end).skip(start) {
                if may_interrupt(op) {
                    regions.push((s0, k));
                    s0 = k + 1;
                }
            }
            regions.push((s0, end));
        }
        for (start, end) in regions {
            // (probe, local) -> the region's shared slot
            let mut slots: HashMap<(usize, usize), u32> = HashMap::new();
            // (adder, delta) -> the region's count of deferred counters
            let mut lib_regions: HashMap<(&str, i64), u32> = HashMap::new();
            let mut sums: Vec<(BatchSlot, i64)> = Vec::new();
            for i in start..=end {
                let (op, off) = (&ops[i].0, ops[i].1);
                // A region that starts at a `loop` or an inner `end` is
                // entered by branches that skip that instruction itself:
                // its own probes stay per instruction.
                let entered_after = i == start
                    && (matches!(op, Operator::Loop { .. })
                        || (matches!(op, Operator::End) && i + 1 < ops.len()));
                if entered_after {
                    continue;
                }
                let Some(event) = event_for_operator(op) else {
                    continue;
                };
                let Some(probes) = self.plan.opcode.get(&event.name) else {
                    continue;
                };
                let pc = (off - body_start) as u32;
                for pp in probes {
                    let Some((target, delta)) = pp.batch else {
                        continue;
                    };
                    let p = &self.script.probes[pp.index];
                    let mut facts = SiteFacts::new(ev, app, fid, pc, i as u32);
                    facts.event = Some(event);
                    facts.imms = app.immediates(op);
                    facts.at_func_end = i + 1 == ops.len();
                    match p.predicate.as_ref().map(|pr| eval_bool(pr, &facts)) {
                        None | Some(Some(true)) => {}
                        Some(Some(false)) => {
                            batched.insert((i, pp.index));
                            continue;
                        }
                        Some(None) => continue,
                    }
                    let slot = match target {
                        BatchTarget::Lib(k) => {
                            let c = &self.lib_counters[k];
                            // Every argument is made here, bind-time calls
                            // included, though the count uses only the address.
                            let Some(TStmt::Expr(wham_lang::check::hir::TExpr {
                                kind: wham_lang::check::hir::TExprKind::LibCall { args, .. },
                                ..
                            })) = p.body.first()
                            else {
                                continue;
                            };
                            let Some(values) = args
                                .iter()
                                .map(|e| eval(e, &facts))
                                .collect::<Option<Vec<_>>>()
                            else {
                                // Known only at run time: called per site.
                                continue;
                            };
                            let address = match c.address_arg.map(|a| values.get(a as usize)) {
                                None => None,
                                Some(Some(Value::Int(v))) => Some(*v as i64),
                                Some(_) => continue,
                            };
                            if let (true, Some(address)) = (c.deferrable, address) {
                                // The region's sites share one count of
                                // ours; each site's counter gets it at the end.
                                let first = !lib_regions.contains_key(&(c.adder.as_str(), c.delta));
                                let slot_addr = *lib_regions
                                    .entry((c.adder.as_str(), c.delta))
                                    .or_insert_with(|| self.add.alloc(8, 8));
                                if first {
                                    sums.push((BatchSlot::Mem(slot_addr, batch_ty(&Ty::U64)), 1));
                                }
                                self.deferred.push(crate::DeferredCount {
                                    slot: slot_addr,
                                    lib: c.lib.clone(),
                                    adder: c.adder.clone(),
                                    address: address as i32,
                                    delta: c.delta,
                                    wide: c.wide,
                                });
                                batched.insert((i, pp.index));
                                self.plan.sites_woven.set(self.plan.sites_woven.get() + 1);
                                continue;
                            }
                            // Counters with one adder count in one place.
                            let same = |(k2, a2): &(usize, Option<i64>)| {
                                self.lib_counters[*k2].adder == c.adder && *a2 == address
                            };
                            let id = match self.lib_slots.iter().position(same) {
                                Some(id) => id,
                                None => {
                                    self.lib_slots.push((k, address));
                                    self.lib_slots.len() - 1
                                }
                            };
                            let slot = BatchSlot::Lib(id as u32);
                            match sums.iter_mut().find(|(s, _)| *s == slot) {
                                Some((_, n)) => *n = n.wrapping_add(c.delta),
                                None => sums.push((slot, c.delta)),
                            }
                            batched.insert((i, pp.index));
                            self.plan.sites_woven.set(self.plan.sites_woven.get() + 1);
                            continue;
                        }
                        BatchTarget::Global(g) => BatchSlot::Global(
                            self.state.globals[g][0],
                            batch_ty(&self.script.globals[g].ty),
                        ),
                        BatchTarget::Unshared(id) => {
                            let l = &p.locals[id];
                            // The region's sites share one slot, which gains
                            // the probe's delta once per run of the region.
                            let first = !slots.contains_key(&(pp.index, id));
                            let addr = *slots
                                .entry((pp.index, id))
                                .or_insert_with(|| self.add.alloc(repr::mem_size(&l.ty), 8));
                            if matches!(l.storage, Storage::Unshared { report: true, .. }) {
                                let fname = match app.func_names.get(&fid) {
                                    Some(n) if !n.is_empty() => n.clone(),
                                    _ => format!("#{fid}"),
                                };
                                self.report_vars.push(ReportVar {
                                    name: l.name.clone(),
                                    ty: l.ty.clone(),
                                    at: ValueAt::Mem(addr),
                                    site: Some(RowSite {
                                        fname,
                                        fid,
                                        pc,
                                        probe_id: p.probe_id(),
                                    }),
                                    span: l.span,
                                    order: (fid, pc, p.number as u32),
                                });
                            }
                            let slot = BatchSlot::Mem(addr, batch_ty(&l.ty));
                            if first {
                                sums.push((slot, delta as i64));
                            }
                            batched.insert((i, pp.index));
                            self.plan.sites_woven.set(self.plan.sites_woven.get() + 1);
                            continue;
                        }
                    };
                    match sums.iter_mut().find(|(s, _)| *s == slot) {
                        Some((_, n)) => *n += delta as i64,
                        None => sums.push((slot, delta as i64)),
                    }
                    batched.insert((i, pp.index));
                    self.plan.sites_woven.set(self.plan.sites_woven.get() + 1);
                }
            }
            if !sums.is_empty() {
                batch_at.insert(start, sums);
            }
        }
    }

    /// The code that adds a block's batched totals to their counters.
    fn batch_code(&self, sums: Option<&Vec<(BatchSlot, i64)>>) -> Vec<I<'static>> {
        let mut c = Vec::new();
        let im = self.add.instr_mem();
        for (slot, n) in sums.into_iter().flatten() {
            if let BatchSlot::Lib(id) = slot {
                let (k, address) = self.lib_slots[*id as usize];
                let counter = &self.lib_counters[k];
                let key = (counter.lib.clone(), counter.adder.clone());
                let Some(adder) = self.state.lib_funcs.get(&key) else {
                    continue;
                };
                if let Some(a) = address {
                    c.push(I::I32Const(a as i32));
                }
                c.push(if counter.wide {
                    I::I64Const(*n)
                } else {
                    I::I32Const(*n as i32)
                });
                c.push(I::Call(adder.index));
                continue;
            }
            let (ty, wide) = match slot {
                BatchSlot::Lib(_) => unreachable!("handled above"),
                BatchSlot::Global(_, t) | BatchSlot::Mem(_, t) => {
                    let ty = batch_script_ty(*t);
                    let wide = matches!(ty, Ty::U64 | Ty::I64);
                    (ty, wide)
                }
            };
            let add = if wide {
                vec![I::I64Const(*n), I::I64Add]
            } else {
                let mut v = vec![I::I32Const(*n as i32), I::I32Add];
                v.extend(repr::normalize(&ty));
                v
            };
            let vt = if wide { ValType::I64 } else { ValType::I32 };
            match slot {
                BatchSlot::Global(g, _) => {
                    c.push(I::GlobalGet(*g));
                    c.extend(add);
                    c.push(I::GlobalSet(*g));
                }
                BatchSlot::Lib(_) => {}
                BatchSlot::Mem(a, _) => {
                    c.extend([I::I32Const(*a as i32), I::I32Const(*a as i32)]);
                    c.push(repr::load(vt, repr::memarg(im, 0, vt)));
                    c.extend(add);
                    c.push(repr::store(vt, repr::memarg(im, 0, vt)));
                }
            }
        }
        c
    }

    /// Generate mode-less probes (function entry/exit, basic blocks) at a
    /// site; the site's locals are all they can read.
    fn plain_probes(
        &mut self,
        probes: &[ProbePlan],
        at: PlainSite,
        alloc: &mut LocalAlloc,
        locals: &[wasmparser::ValType],
    ) -> Vec<I<'static>> {
        let mut out = Vec::new();
        for pp in probes {
            let mut facts = SiteFacts::new(self.evaluator, self.app, at.fid, at.pc, at.opidx);
            facts.at_func_end = at.at_func_end;
            facts.instr_count = at.instr_count;
            facts.row_pc = at.row_pc;
            facts.per_function = at.per_function;
            facts.add_locals(locals.len());
            alloc.release_all();
            if self.bounds_fit(pp, &[], &[], locals) {
                self.emit_probe(&mut out, alloc, &facts, pp.index);
            }
        }
        out
    }

    /// A probe was woven in at the site of `facts`.
    fn placed(&mut self, facts: &SiteFacts<'_, '_>) {
        self.plan.sites_woven.set(self.plan.sites_woven.get() + 1);
        self.placements.push(crate::Placement {
            fid: facts.fid,
            pc: facts.pc,
            slot: facts.probe_slot.get(),
        });
    }

    /// Generate one probe at one site into `out`.
    fn emit_probe(
        &mut self,
        out: &mut Vec<I<'static>>,
        alloc: &mut LocalAlloc,
        facts: &SiteFacts<'_, '_>,
        index: usize,
    ) {
        let p = &self.script.probes[index];
        let residual = match &p.predicate {
            None => None,
            Some(pr) => match eval_bool(pr, facts) {
                Some(false) => return,
                Some(true) => None,
                None => Some(pr),
            },
        };
        // A site sharing its function's state was set up already.
        let set_up =
            facts.per_function && self.per_function_state.contains_key(&(index, facts.fid));
        let unshared = self.alloc_unshared(index, facts);
        facts.probe_slot.set(unshared.first().map(|u| u.1));
        // `@init` calls run once per site at start-up, with this site's facts.
        if !set_up {
            let inits: Vec<TStmt> = p
                .body
                .iter()
                .filter(|s| matches!(s, TStmt::Init(_)))
                .cloned()
                .collect();
            self.at_startup(index, facts, &unshared, &inits);
        }
        let mut lw = Lowerer::new(&mut self.add, &self.state, facts, alloc, Exit::ProbeBlock);
        lw.bind_vars(&p.locals, &[], &unshared);
        lw.inits_elsewhere = true;
        let result = (|| {
            if let Some(pr) = residual {
                lw.expr(pr)?;
                lw.code.push(I::If(BlockType::Empty));
                lw.probe_body(&p.body)?;
                lw.code.push(I::End);
            } else {
                lw.probe_body(&p.body)?;
            }
            Ok(())
        })();
        match result {
            Ok(()) => {
                out.append(&mut lw.code);
                self.placed(facts);
            }
            Err(e) => {
                if !self.errors.contains(&e) {
                    self.errors.push(e)
                }
            }
        }
    }

    /// Replace the instruction by an alt probe's body, into `out`. Returns
    /// [`Alt::NotHere`] (emitting nothing) where the predicate is
    /// statically false. `restore` pushes the operands back and `original`
    /// (bytes, valid inside one more block when `original_ok`) re-runs the
    /// instruction where a run-time predicate is false. For a construct
    /// (`block` ... `end`) `original` is its opening instruction: the
    /// caller drops the rest of it ([`Alt::Replaced`]) or, with a run-time
    /// predicate, weaves it and closes the wrapping block after its `end`
    /// ([`Alt::Wrapped`]).
    #[allow(clippy::too_many_arguments)]
    fn emit_alt(
        &mut self,
        out: &mut Vec<u8>,
        alloc: &mut LocalAlloc,
        facts: &SiteFacts<'_, '_>,
        index: usize,
        results: &[ValType],
        restore: &[I<'static>],
        original: &[u8],
        original_ok: bool,
        construct: bool,
    ) -> Alt {
        let p = &self.script.probes[index];
        let residual = match &p.predicate {
            None => None,
            Some(pr) => match eval_bool(pr, facts) {
                Some(false) => return Alt::NotHere,
                Some(true) => None,
                None => Some(pr),
            },
        };
        if residual.is_some() && !original_ok {
            self.errors.push(Unsupported {
                what: if construct {
                    "a predicated `alt` on this construct (its catch labels would move)".into()
                } else {
                    "a predicated `alt` on this branch instruction".into()
                },
                span: p.span,
            });
            return Alt::Replaced;
        }
        // Scripts have no values of these types to return, and no default.
        if results
            .iter()
            .any(|r| matches!(r, ValType::Ref(rt) if !rt.nullable))
        {
            self.errors.push(Unsupported {
                what: "an `alt` whose result is a non-nullable reference".into(),
                span: p.span,
            });
            return Alt::Replaced;
        }
        let unshared = self.alloc_unshared(index, facts);
        facts.probe_slot.set(unshared.first().map(|u| u.1));
        let bt = match results {
            [] => BlockType::Empty,
            [one] => BlockType::Result(*one),
            many => BlockType::FunctionType(self.add.type_for(&[], many)),
        };
        let mut lw = Lowerer::new(&mut self.add, &self.state, facts, alloc, Exit::Alt);
        lw.bind_vars(&p.locals, &[], &unshared);
        let result = (|| {
            lw.code.push(I::Block(bt));
            if let Some(pr) = residual {
                lw.expr(pr)?;
                lw.code.push(I::If(BlockType::Empty));
                lw.alt_body(&p.body, results, 1)?;
                lw.code.push(I::End);
                lw.code.extend(restore.iter().cloned());
                encode_all(&lw.code, out);
                out.extend_from_slice(original);
                lw.code.clear();
                if construct {
                    // The block closes after the construct's `end`.
                    return Ok(());
                }
            } else {
                lw.alt_body(&p.body, results, 0)?;
            }
            lw.code.push(I::End);
            encode_all(&lw.code, out);
            Ok(())
        })();
        match result {
            Ok(()) => self.placed(facts),
            Err(e) => {
                if !self.errors.contains(&e) {
                    self.errors.push(e)
                }
            }
        }
        match (construct, residual) {
            (true, Some(_)) => Alt::Wrapped,
            _ => Alt::Replaced,
        }
    }

    pub fn weave_all(&mut self) -> Result<(), Error> {
        let mut validator = Validator::new_with_features(WasmFeatures::all());
        let bad = |e: wasmparser::BinaryReaderError| Error::BadModule(e.message().to_string());
        let mut k = 0u32;
        for payload in Parser::new(0).parse_all(self.app.bytes) {
            let payload = payload.map_err(bad)?;
            if let ValidPayload::Func(fv, body) = validator.payload(&payload).map_err(bad)? {
                self.pc_pairs.borrow_mut().clear();
                let f = self.weave_function(k, fv, body).map_err(bad)?;
                self.pc_maps.push(f.as_ref().map(|(_, header)| {
                    self.pc_pairs
                        .borrow()
                        .iter()
                        .map(|(new, old)| (new + header, *old))
                        .collect()
                }));
                self.bodies.push(f.map(|(f, _)| f));
                k += 1;
            }
        }
        if !self.errors.is_empty() {
            return Err(Error::Script(std::mem::take(&mut self.errors)));
        }
        Ok(())
    }

    fn weave_function(
        &mut self,
        k: u32,
        fv: wasmparser::FuncToValidate<wasmparser::ValidatorResources>,
        body: wasmparser::FunctionBody<'a>,
    ) -> wasmparser::Result<Option<(Function, u32)>> {
        let app = self.app;
        let plan = self.plan;
        let ev = self.evaluator;
        let fid = app.num_func_imports() + k;
        let mut v = fv.into_validator(Default::default());
        let ids = self
            .type_ids
            .get_or_insert_with(|| std::rc::Rc::new(type_ids(v.resources(), app.types.len())))
            .clone();
        let mut local_types: Vec<wasmparser::ValType> =
            app.func_sig(fid).map(|s| s.0.clone()).unwrap_or_default();
        let mut groups = Vec::new();
        let mut lr = body.get_locals_reader()?;
        for _ in 0..lr.get_count() {
            let offset = lr.original_position();
            let (count, ty) = lr.read()?;
            v.define_locals(offset, count, ty)?;
            groups.push((count, to_encoder(ty)));
            local_types.extend(std::iter::repeat_n(ty, count as usize));
        }
        let mut ops = Vec::new();
        let mut reader = body.get_operators_reader()?;
        while !reader.eof() {
            ops.push(reader.read_with_offset()?);
        }
        let body_start = body.range().start;
        let body_end = body.range().end;
        // The report is printed at the entry's exits only when no wrapper
        // can print it after the entry returns.
        let flush_at_exits = plan.entry == Some(fid) && self.entry_wrapper.is_none();
        let interesting = flush_at_exits
            || !plan.func_entry.is_empty()
            || !plan.block_start.is_empty()
            || !plan.block_end.is_empty()
            || !plan.structured.is_empty()
            || !plan.func_exit.is_empty()
            || ops.iter().any(|(op, _)| {
                event_for_operator(op).is_some_and(|e| plan.opcode.contains_key(&e.name))
                    || (self.shadow_tables && crate::shadow::writes_table(op))
                    || matches!(op, Operator::Call { function_index } if Some(*function_index) == plan.proc_exit && plan.on_exit)
            });
        if !interesting {
            // Nothing to weave (the whole module was validated on reading);
            // only function references may need renumbering.
            if !plan.shifts() && !app.memories_move() {
                return Ok(None);
            }
            let refers = app.memories_move()
                || ops.iter().any(|(op, _)| {
                    matches!(
                        op,
                        Operator::Call { .. }
                            | Operator::ReturnCall { .. }
                            | Operator::RefFunc { .. }
                    )
                });
            if !refers {
                return Ok(None);
            }
        }
        // Counts per basic block would include constructs an alt removes.
        let construct_alt = ["block", "loop", "if", "try_table"].iter().any(|ev| {
            plan.opcode
                .get(*ev)
                .is_some_and(|ps| ps.iter().any(|p| p.when == When::Alt))
        });
        let batching = !construct_alt && plan.opcode.values().flatten().any(|p| p.batch.is_some());
        let blocks = if plan.block_start.is_empty() && plan.block_end.is_empty() && !batching {
            Vec::new()
        } else {
            basic_blocks(&ops)
        };
        // Per instruction: (block first index, block last index) when it
        // starts or ends a block.
        let mut starts_at = vec![None; ops.len()];
        let mut ends_at = vec![None; ops.len()];
        for &(s, e) in &blocks {
            starts_at[s] = Some((s, e));
            ends_at[e] = Some((s, e));
        }
        // Batched counters: per block start, the additions to make there;
        // and the (instruction, probe) pairs they stand for.
        let mut batch_at: HashMap<usize, Vec<(BatchSlot, i64)>> = HashMap::new();
        let mut batched: std::collections::HashSet<(usize, usize)> =
            std::collections::HashSet::new();
        if batching {
            self.plan_batches(
                &ops,
                &blocks,
                fid,
                body_start,
                ev,
                &mut batch_at,
                &mut batched,
            );
        }
        let mut alloc = LocalAlloc::new(local_types.len() as u32);
        let mut code: Vec<u8> = Vec::new();
        let mut depth = 0u32;
        // A construct an alt replaced is skipped up to its `end`: the depth
        // outside it.
        let mut skip: Option<u32> = None;
        // Constructs woven inside an alt's block (a run-time predicate
        // chooses): the depth outside each, and the probe's span.
        let mut wraps: Vec<(u32, wham_lang::span::Span)> = Vec::new();
        // Open blocks (not the function body): for entry/exit/after probes.
        let mut frames: Vec<Frame> = Vec::new();
        let n = ops.len();
        let first_pc = ops.first().map_or(0, |o| (o.1 - body_start) as u32);
        for i in 0..n {
            let (op, off) = (&ops[i].0, ops[i].1);
            let next = if i + 1 < n { ops[i + 1].1 } else { body_end };
            let pc = (off - body_start) as u32;
            let is_last = i + 1 == n;
            if let Some(outside) = skip {
                depth = depth.saturating_add_signed(nesting(op));
                if nesting(op) < 0 && depth == outside {
                    skip = None;
                }
                v.op(off, op)?;
                continue;
            }
            let mut site_code: Vec<I<'static>> = Vec::new();
            if i == 0 {
                let at = PlainSite {
                    fid,
                    pc: 0,
                    opidx: 0,
                    at_func_end: false,
                    instr_count: None,
                    row_pc: Some(pc),
                    per_function: false,
                };
                site_code.extend(self.plain_probes(&plan.func_entry, at, &mut alloc, &local_types));
            }
            // A block that starts at a `loop` or a non-final `end` is entered
            // by branches to just after that instruction: its start probe
            // goes there.
            let start_after = starts_at[i].is_some()
                && (matches!(op, Operator::Loop { .. })
                    || (matches!(op, Operator::End) && !is_last));
            let here = |instr_count: Option<u32>| PlainSite {
                fid,
                pc,
                opidx: i as u32,
                at_func_end: is_last,
                instr_count,
                row_pc: None,
                per_function: false,
            };
            let block_start_code = |this: &mut Self, alloc: &mut LocalAlloc| match starts_at[i] {
                Some((s, e)) => {
                    let at = here(Some((e - s + 1) as u32));
                    this.plain_probes(&plan.block_start, at, alloc, &local_types)
                }
                None => Vec::new(),
            };
            if !start_after {
                site_code.extend(self.batch_code(batch_at.get(&i)));
                let c = block_start_code(self, &mut alloc);
                site_code.extend(c);
            }
            // A block's end probe runs before its last instruction when that
            // instruction leaves the block (a branch, the final end), else
            // right after it.
            // A `proc_exit` call never returns: its block ends before it.
            let leaves = ends_block(op)
                || is_last
                || matches!(op, Operator::Call { function_index } if Some(*function_index) == plan.proc_exit);
            let block_end_here = ends_at[i].map(|(s, e)| (s, e, leaves));
            let block_end_code = |this: &mut Self, alloc: &mut LocalAlloc| match block_end_here {
                Some((s, e, _)) => {
                    let at = here(Some((e - s + 1) as u32));
                    this.plain_probes(&plan.block_end, at, alloc, &local_types)
                }
                None => Vec::new(),
            };
            if block_end_here.is_some_and(|(_, _, before)| before) {
                let c = block_end_code(self, &mut alloc);
                site_code.extend(c);
            }
            // `exit` probes of the innermost construct run last inside it.
            if !plan.structured.is_empty()
                && matches!(op, Operator::Else | Operator::End)
                && !is_last
                && let Some(f) = frames.last()
            {
                let ev = if f.else_at.is_some() {
                    "else"
                } else {
                    f.event.name.as_str()
                };
                let c = self.structured_probes(
                    app,
                    fid,
                    f,
                    ev,
                    Structured::Exit,
                    &mut alloc,
                    &local_types,
                );
                site_code.extend(c);
            }
            let mut pending_exit: Vec<I<'static>> = Vec::new();
            let mut conditional_exit = false;
            let exit = match op {
                Operator::Return => Some(ExitAt::Always { flush: true }),
                Operator::End if is_last => Some(ExitAt::Always { flush: true }),
                Operator::Br { relative_depth } if *relative_depth == depth => {
                    Some(ExitAt::Always { flush: true })
                }
                Operator::BrIf { relative_depth } if *relative_depth == depth => {
                    Some(ExitAt::IfTaken)
                }
                Operator::BrTable { targets } => {
                    let labels: Vec<u32> = targets.targets().filter_map(Result::ok).collect();
                    let hits: Vec<u32> = (0..labels.len() as u32)
                        .filter(|k| labels[*k as usize] == depth)
                        .collect();
                    let default_hit = targets.default() == depth;
                    match (hits.len() == labels.len(), default_hit, hits.is_empty()) {
                        (true, true, _) => Some(ExitAt::Always { flush: true }),
                        (_, false, true) => None,
                        _ => Some(ExitAt::IfIndexIn {
                            hits,
                            default_hit,
                            n: labels.len() as u32,
                        }),
                    }
                }
                Operator::ReturnCall { .. }
                | Operator::ReturnCallIndirect { .. }
                | Operator::ReturnCallRef { .. } => Some(ExitAt::Always { flush: false }),
                Operator::Call { function_index } if Some(*function_index) == plan.proc_exit => {
                    Some(ExitAt::Always { flush: true })
                }
                _ => None,
            };
            if let Some(exit) = exit {
                let mut exit_code = Vec::new();
                let proc_exit = matches!(op, Operator::Call { function_index } if Some(*function_index) == plan.proc_exit);
                // A function's exits are one site, as in whamm (whose rows
                // show the first instruction's pc); leaving the program
                // through `proc_exit` is a site of its own.
                let site = PlainSite {
                    row_pc: (!proc_exit).then_some(first_pc),
                    per_function: !proc_exit,
                    ..here(None)
                };
                exit_code.extend(self.plain_probes(
                    &plan.func_exit,
                    site,
                    &mut alloc,
                    &local_types,
                ));
                let flush = !matches!(exit, ExitAt::Always { flush: false });
                if let Some(on_exit) = self.on_exit
                    && flush
                    && (flush_at_exits || proc_exit)
                {
                    exit_code.push(I::Call(on_exit));
                }
                // Runs last before the instruction, after its own probes.
                match exit {
                    ExitAt::Always { .. } => pending_exit = exit_code,
                    ExitAt::IfTaken if !exit_code.is_empty() => {
                        // a local the exit code does not use
                        let t = alloc.get(ValType::I32);
                        pending_exit.extend([I::LocalTee(t), I::If(BlockType::Empty)]);
                        pending_exit.extend(exit_code);
                        pending_exit.extend([I::End, I::LocalGet(t)]);
                        conditional_exit = true;
                    }
                    ExitAt::IfIndexIn {
                        hits,
                        default_hit,
                        n,
                    } if !exit_code.is_empty() => {
                        let t = alloc.get(ValType::I32);
                        pending_exit.extend([I::LocalSet(t), I::I32Const(0)]);
                        for k in hits {
                            pending_exit.extend([
                                I::LocalGet(t),
                                I::I32Const(k as i32),
                                I::I32Eq,
                                I::I32Or,
                            ]);
                        }
                        if default_hit {
                            pending_exit.extend([
                                I::LocalGet(t),
                                I::I32Const(n as i32),
                                I::I32GeU,
                                I::I32Or,
                            ]);
                        }
                        pending_exit.push(I::If(BlockType::Empty));
                        pending_exit.extend(exit_code);
                        pending_exit.extend([I::End, I::LocalGet(t)]);
                        conditional_exit = true;
                    }
                    ExitAt::IfTaken | ExitAt::IfIndexIn { .. } => {}
                }
            }
            encode_all(&site_code, &mut code);
            // Opcode probes around the instruction itself.
            let event = event_for_operator(op);
            let probes = event.and_then(|e| plan.opcode.get(&e.name));
            let mut before: Vec<&ProbePlan> = Vec::new();
            let mut after: Vec<&ProbePlan> = Vec::new();
            let mut alt: Vec<&ProbePlan> = Vec::new();
            let mut at_target: Vec<&ProbePlan> = Vec::new();
            let mut alt_arity = 0u32;
            let mut alt_results: Vec<ValType> = Vec::new();
            let mut arg_types: Vec<wasmparser::ValType> = Vec::new();
            let mut res_types: Vec<wasmparser::ValType> = Vec::new();
            if let (Some(event), Some(probes)) = (event, probes) {
                let info = event.opcode.as_ref();
                let arity = info
                    .and_then(|o| o.operands.as_ref().map(|ops| ops.len() as u32))
                    .or_else(|| site_arity(app, op))
                    .or_else(|| typed_arity(&v, op));
                let results: Option<Vec<wasmparser::ValType>> = info
                    .and_then(|o| o.results.as_ref())
                    .map(|rs| rs.iter().filter_map(|w| catalog_type(*w)).collect())
                    .or_else(|| site_results(app, op))
                    .or_else(|| typed_results(&v, op, &local_types));
                for pp in probes {
                    if batched.contains(&(i, pp.index)) {
                        continue;
                    }
                    // Implicit filtering: the site must have what the probe reads.
                    if pp.args > 0 && arity.is_none_or(|a| pp.args > a) {
                        continue;
                    }
                    if pp.results > 0
                        && results
                            .as_ref()
                            .is_none_or(|r| pp.results as usize > r.len())
                    {
                        continue;
                    }
                    // An alt probe takes every operand off the stack.
                    let wanted = if pp.when == When::AtTarget && taken_when(op).is_some() {
                        // arg0 decides whether the branch is taken
                        pp.args.max(1)
                    } else if pp.when == When::Alt {
                        match (arity, &results) {
                            (Some(a), Some(_)) => pp.args.max(a),
                            _ => continue,
                        }
                    } else {
                        pp.args
                    };
                    // Only operands of the current block are the
                    // instruction's; in unreachable code, below the block's
                    // base, their types are unknown.
                    let own = v.get_control_frame(0).map_or(0, |f| {
                        (v.operand_stack_height() as usize).saturating_sub(f.height)
                    });
                    let mut types_ok = wanted as usize <= own;
                    for d in 0..wanted.min(own as u32) {
                        match v.get_operand_type(d as usize) {
                            Some(Some(t)) => {
                                if arg_types.len() <= d as usize {
                                    arg_types.push(t);
                                }
                            }
                            _ => types_ok = false,
                        }
                    }
                    if !types_ok
                        || !self.bounds_fit(
                            pp,
                            &arg_types,
                            results.as_deref().unwrap_or(&[]),
                            &local_types,
                        )
                    {
                        continue;
                    }
                    if pp.results > 0
                        && let Some(r) = &results
                    {
                        // results as the stack holds them, top first
                        let top_first: Vec<_> = r.iter().rev().copied().collect();
                        if res_types.len() < top_first.len() {
                            res_types = top_first;
                        }
                    }
                    match pp.when {
                        When::Before => before.push(pp),
                        When::After => after.push(pp),
                        When::AtTarget => at_target.push(pp),
                        When::Alt => {
                            alt_arity = arity.unwrap_or(0);
                            alt_results = results
                                .iter()
                                .flatten()
                                .map(|t| validator_type(*t, &ids))
                                .collect();
                            alt.push(pp);
                        }
                    }
                }
            }
            let prev_ref_func = match i.checked_sub(1).map(|k| &ops[k].0) {
                Some(Operator::RefFunc { function_index }) => Some(*function_index),
                _ => None,
            };
            if alt.len() > 1 {
                // Alts whose predicates are false here do not compete.
                let mut facts = SiteFacts::new(ev, app, fid, pc, i as u32);
                facts.event = event;
                facts.imms = app.immediates(op);
                facts.at_func_end = is_last;
                facts.prev_ref_func = prev_ref_func;
                let script = self.script;
                alt.retain(|pp| {
                    let pred = script.probes[pp.index].predicate.as_ref();
                    pred.and_then(|p| eval_bool(p, &facts)) != Some(false)
                });
            }
            if alt.len() > 1 {
                let p = &self.script.probes[alt[1].index];
                self.errors.push(Unsupported {
                    what: format!(
                        "a second `alt` probe at one instruction (function {fid}, pc {pc}); only one can replace it"
                    ),
                    span: p.span,
                });
            }
            let need_args = before
                .iter()
                .chain(&after)
                .map(|p| p.args)
                .chain(alt.first().map(|_| alt_arity))
                .chain(at_target.iter().map(|p| {
                    if taken_when(op).is_some() {
                        p.args.max(1)
                    } else {
                        p.args
                    }
                }))
                .max()
                .unwrap_or(0);
            let need_res = after.iter().map(|p| p.results).max().unwrap_or(0);
            let mut site_code: Vec<I<'static>> = Vec::new();
            alloc.release_all();
            let arg_locals: Vec<u32> = (0..need_args)
                .map(|d| alloc.get(validator_type(arg_types[d as usize], &ids)))
                .collect();
            for l in &arg_locals {
                site_code.push(I::LocalSet(*l));
            }
            let imms = app.immediates(op);
            // The slots of the table an indirect call or table.get reads,
            // for resolved_fid.
            let instr_mem = self.add.instr_mem();
            let slots = match op {
                Operator::CallIndirect { table_index: t, .. }
                | Operator::ReturnCallIndirect { table_index: t, .. }
                | Operator::TableGet { table: t } => {
                    self.shadows
                        .slots(&mut self.add, app, *t, self.shadow_tables)
                }
                _ => None,
            };
            let make_facts = |res_locals: &[u32]| {
                let mut facts = SiteFacts::new(ev, app, fid, pc, i as u32);
                facts.prev_ref_func = prev_ref_func;
                facts.slots = slots.map(|(a, l)| (a, l, instr_mem));
                facts.at_func_end = is_last;
                facts.event = event;
                facts.imms = imms.clone();
                for (d, l) in arg_locals.iter().enumerate() {
                    facts
                        .dynamic
                        .insert(format!("arg{d}"), DynValue::Locals(vec![*l]));
                }
                for (d, l) in res_locals.iter().enumerate() {
                    facts
                        .dynamic
                        .insert(format!("res{d}"), DynValue::Locals(vec![*l]));
                }
                facts.add_locals(local_types.len());
                if let Some(mem) = event.and_then(|e| e.opcode.as_ref()).and_then(|o| o.mem)
                    && let Some(&a) = arg_locals.get(mem.addr_arg as usize)
                {
                    facts
                        .dynamic
                        .insert("addr".into(), DynValue::Locals(vec![a]));
                    let offset = imms.iter().find_map(|(_, iv)| match iv {
                        wham_events::ImmValue::MemArg { offset, .. } => Some(*offset),
                        _ => None,
                    });
                    facts.dynamic.insert(
                        "effective_addr".into(),
                        DynValue::Code(vec![
                            I::LocalGet(a),
                            I::I32Const(offset.unwrap_or(0) as i32),
                            I::I32Add,
                        ]),
                    );
                }
                if let Some(&a) = arg_locals.first() {
                    facts
                        .dynamic
                        .insert("table_entry_idx".into(), DynValue::Locals(vec![a]));
                    // the slot an indirect call or table.get reads
                    let table = match op {
                        Operator::CallIndirect { table_index, .. }
                        | Operator::ReturnCallIndirect { table_index, .. } => Some(*table_index),
                        Operator::TableGet { table } => Some(*table),
                        _ => None,
                    };
                    if let Some(t) = table {
                        facts.dynamic.insert(
                            "target_funcref".into(),
                            DynValue::Code(vec![I::LocalGet(a), I::TableGet(t)]),
                        );
                        if let Some((addr, len)) = slots {
                            facts.dynamic.insert(
                                "resolved_fid".into(),
                                DynValue::Code(crate::shadow::Shadows::lookup(
                                    addr, len, instr_mem, a,
                                )),
                            );
                        }
                    }
                    if let Some((targets, _)) = imms.iter().find_map(|(_, iv)| match iv {
                        wham_events::ImmValue::Targets(t, d) => Some((t.len() as i32, *d)),
                        _ => None,
                    }) {
                        // Out-of-range indices select the default, numbered num_targets.
                        facts.dynamic.insert(
                            "target".into(),
                            DynValue::Code(vec![
                                I::LocalGet(a),
                                I::I32Const(targets),
                                I::LocalGet(a),
                                I::I32Const(targets),
                                I::I32LtU,
                                I::Select,
                            ]),
                        );
                    }
                }
                if let Some(&r) = res_locals.first() {
                    facts.dynamic.insert(
                        "failed".into(),
                        DynValue::Code(vec![I::LocalGet(r), I::I32Const(-1), I::I32Eq]),
                    );
                }
                facts
            };
            let facts = make_facts(&[]);
            for pp in &before {
                self.emit_probe(&mut site_code, &mut alloc, &facts, pp.index);
            }
            // at_target: the branch is taken (always for br and br_table; for
            // conditional branches when arg0 says so), so the body runs just
            // before it leaves.
            for pp in &at_target {
                if let Some(test) = taken_when(op) {
                    let mut body = Vec::new();
                    self.emit_probe(&mut body, &mut alloc, &facts, pp.index);
                    if !body.is_empty() {
                        site_code.push(I::LocalGet(arg_locals[0]));
                        site_code.extend(test);
                        site_code.push(I::If(BlockType::Empty));
                        site_code.extend(body);
                        site_code.push(I::End);
                    }
                } else {
                    self.emit_probe(&mut site_code, &mut alloc, &facts, pp.index);
                }
            }
            // The instruction itself: its bytes, unless a function index moved
            // or it is re-emitted inside an alt block (`nest` more labels).
            // Labels outside a construct woven inside an alt's block are
            // one block further away for each such block in between.
            let outside: Vec<u32> = wraps.iter().map(|w| w.0).collect();
            let relabel = !outside.is_empty();
            let moved = move |r: u32, nest: u32| {
                r + nest + outside.iter().filter(|&&o| r >= depth - o).count() as u32
            };
            let original = |code: &mut Vec<u8>, nest: u32| -> bool {
                let relabel = relabel || nest > 0;
                match op {
                    Operator::Call { function_index } if plan.shifts() => {
                        I::Call(plan.func(app, *function_index)).encode(code)
                    }
                    Operator::ReturnCall { function_index } if plan.shifts() => {
                        I::ReturnCall(plan.func(app, *function_index)).encode(code)
                    }
                    Operator::RefFunc { function_index } if plan.shifts() => {
                        I::RefFunc(plan.func(app, *function_index)).encode(code)
                    }
                    Operator::Br { relative_depth } if relabel => {
                        I::Br(moved(*relative_depth, nest)).encode(code)
                    }
                    Operator::BrIf { relative_depth } if relabel => {
                        I::BrIf(moved(*relative_depth, nest)).encode(code)
                    }
                    Operator::BrTable { targets } if relabel => {
                        let ts: Vec<u32> = targets
                            .targets()
                            .filter_map(Result::ok)
                            .map(|t| moved(t, nest))
                            .collect();
                        I::BrTable(ts.into(), moved(targets.default(), nest)).encode(code)
                    }
                    Operator::BrOnNull { .. }
                    | Operator::BrOnNonNull { .. }
                    | Operator::BrOnCast { .. }
                    | Operator::BrOnCastFail { .. }
                    | Operator::BrOnCastDescEq { .. }
                    | Operator::BrOnCastDescEqFail { .. }
                    | Operator::Resume { .. }
                    | Operator::ResumeThrow { .. }
                    | Operator::ResumeThrowRef { .. }
                    | Operator::Delegate { .. }
                    | Operator::Rethrow { .. }
                    | Operator::TryTable { .. }
                        if relabel =>
                    {
                        return false;
                    }
                    // Memory indices moved (an imported library memory).
                    _ if app.memories_move() => {
                        use wasm_encoder::reencode::Reencode;
                        match crate::assemble::Shift::new(app, plan).instruction(op.clone()) {
                            Ok(ins) => ins.encode(code),
                            Err(_) => return false,
                        }
                    }
                    _ => code.extend_from_slice(&app.bytes[off..next]),
                }
                true
            };
            let mut replaced = false;
            if let Some(pp) = alt.first() {
                let mut facts = make_facts(&[]);
                // operands bottom first
                facts.alt_operands = arg_locals[..alt_arity as usize]
                    .iter()
                    .rev()
                    .copied()
                    .collect();
                let remap = |f: u32| plan.func(app, f);
                facts.func_index = Some(&remap);
                let restore: Vec<I<'static>> = arg_locals[..alt_arity as usize]
                    .iter()
                    .rev()
                    .map(|l| I::LocalGet(*l))
                    .collect();
                let mut orig = Vec::new();
                // A branch that may leave the function keeps its exit code
                // where the alt re-runs it.
                if conditional_exit {
                    encode_all(&pending_exit, &mut orig);
                }
                let ok = original(&mut orig, 1);
                let construct = matches!(
                    op,
                    Operator::Block { .. }
                        | Operator::Loop { .. }
                        | Operator::If { .. }
                        | Operator::TryTable { .. }
                );
                // operands below the alt's arity (spilled for other probes) go back first
                for l in arg_locals[alt_arity as usize..].iter().rev() {
                    site_code.push(I::LocalGet(*l));
                }
                let mut alt_code = Vec::new();
                let how = self.emit_alt(
                    &mut alt_code,
                    &mut alloc,
                    &facts,
                    pp.index,
                    &alt_results,
                    &restore,
                    &orig,
                    ok,
                    construct,
                );
                replaced = how != Alt::NotHere;
                if construct && how == Alt::Replaced {
                    // The body stands for the whole construct: drop the
                    // rest of it, up to its `end`.
                    encode_all(&site_code, &mut code);
                    code.extend(alt_code);
                    skip = Some(depth);
                    depth += 1;
                    v.op(off, op)?;
                    continue;
                }
                if how == Alt::Wrapped {
                    wraps.push((depth, self.script.probes[pp.index].span));
                }
                if replaced {
                    if !conditional_exit {
                        site_code.append(&mut pending_exit);
                    }
                    encode_all(&site_code, &mut code);
                    code.extend(alt_code);
                } else {
                    site_code.extend(restore);
                    site_code.append(&mut pending_exit);
                    encode_all(&site_code, &mut code);
                    self.pc_pairs.borrow_mut().push((code.len() as u32, pc));
                    original(&mut code, 0);
                    replaced = true;
                }
            }
            if !replaced {
                for l in arg_locals.iter().rev() {
                    site_code.push(I::LocalGet(*l));
                }
                site_code.append(&mut pending_exit);
                if self.shadow_tables && crate::shadow::writes_table(op) {
                    // the reference operand of table.set / table.fill
                    let depth = usize::from(matches!(op, Operator::TableFill { .. }));
                    let ref_type = match v.get_operand_type(depth) {
                        Some(Some(t)) => Some(validator_type(t, &ids)),
                        _ => None,
                    };
                    // What pushed the reference: for table.fill it is below
                    // the count, which is usually a constant or a local.
                    let back = match (op, i.checked_sub(1).map(|k| &ops[k].0)) {
                        (
                            Operator::TableFill { .. },
                            Some(
                                Operator::I32Const { .. }
                                | Operator::LocalGet { .. }
                                | Operator::GlobalGet { .. },
                            ),
                        ) => 2,
                        _ => 1,
                    };
                    let prev = i.checked_sub(back).map(|k| &ops[k].0);
                    site_code.extend(self.shadows.update(
                        &mut self.add,
                        app,
                        op,
                        prev,
                        &mut alloc,
                        ref_type,
                    ));
                }
                encode_all(&site_code, &mut code);
                self.pc_pairs.borrow_mut().push((code.len() as u32, pc));
                if !original(&mut code, 0)
                    && let Some((_, span)) = wraps.last()
                {
                    self.errors.push(Unsupported {
                        what: format!(
                            "a predicated `alt` on a construct that contains `{}` (its labels would move)",
                            event.map_or("this instruction", |e| e.name.as_str())
                        ),
                        span: *span,
                    });
                }
            }
            if !after.is_empty() {
                let mut site_code = Vec::new();
                let res_locals: Vec<u32> = (0..need_res)
                    .map(|d| alloc.get(validator_type(res_types[d as usize], &ids)))
                    .collect();
                for l in &res_locals {
                    site_code.push(I::LocalSet(*l));
                }
                let facts = make_facts(&res_locals);
                for pp in &after {
                    self.emit_probe(&mut site_code, &mut alloc, &facts, pp.index);
                }
                for l in res_locals.iter().rev() {
                    site_code.push(I::LocalGet(*l));
                }
                encode_all(&site_code, &mut code);
            }
            // Constructs: entry probes after the opening instruction (or
            // `else`), after probes after the matching `end`.
            if !plan.structured.is_empty() {
                match op {
                    Operator::Block { .. }
                    | Operator::Loop { .. }
                    | Operator::If { .. }
                    | Operator::TryTable { .. }
                    | Operator::Try { .. } => {
                        let f = Frame {
                            event: event.expect("structured opcodes are events"),
                            pc,
                            index: i as u32,
                            imms: app.immediates(op),
                            else_at: None,
                        };
                        let c = self.structured_probes(
                            app,
                            fid,
                            &f,
                            &f.event.name.clone(),
                            Structured::Entry,
                            &mut alloc,
                            &local_types,
                        );
                        encode_all(&c, &mut code);
                        frames.push(f);
                    }
                    Operator::Else => {
                        if let Some(f) = frames.last_mut() {
                            f.else_at = Some((pc, i as u32));
                        }
                        if let Some(f) = frames.last() {
                            let c = self.structured_probes(
                                app,
                                fid,
                                f,
                                "else",
                                Structured::Entry,
                                &mut alloc,
                                &local_types,
                            );
                            encode_all(&c, &mut code);
                        }
                    }
                    // `delegate` closes its `try` without probes of its own.
                    Operator::Delegate { .. } => {
                        frames.pop();
                    }
                    Operator::End if !is_last => {
                        if let Some(f) = frames.pop() {
                            let mut c = self.structured_probes(
                                app,
                                fid,
                                &f,
                                &f.event.name.clone(),
                                Structured::After,
                                &mut alloc,
                                &local_types,
                            );
                            if f.else_at.is_some() {
                                c.extend(self.structured_probes(
                                    app,
                                    fid,
                                    &f,
                                    "else",
                                    Structured::After,
                                    &mut alloc,
                                    &local_types,
                                ));
                            }
                            encode_all(&c, &mut code);
                        }
                    }
                    _ => {}
                }
            }
            if start_after {
                let mut c = self.batch_code(batch_at.get(&i));
                c.extend(block_start_code(self, &mut alloc));
                encode_all(&c, &mut code);
            }
            if block_end_here.is_some_and(|(_, _, before)| !before) {
                let c = block_end_code(self, &mut alloc);
                encode_all(&c, &mut code);
            }
            // The end of a construct woven inside an alt's block closes that
            // block too, after the construct's `after` probes: like its other
            // probes, they run only where the construct itself ran.
            if matches!(op, Operator::End) && wraps.last().is_some_and(|w| w.0 + 1 == depth) {
                I::End.encode(&mut code);
                wraps.pop();
            }
            depth = depth.saturating_add_signed(nesting(op));
            v.op(off, op)?;
        }
        groups.extend(alloc.types.iter().map(|t| (1u32, *t)));
        // Bytes of the locals declaration: pcs count from the body's start.
        let header = Function::new(groups.clone()).into_raw_body().len() as u32;
        let mut f = Function::new(groups);
        f.raw(code);
        Ok(Some((f, header)))
    }

    /// Type bounds (`call(arg0: i32)`) filter sites: every bounded value
    /// the probe names must exist at the site with a compatible type.
    fn bounds_fit(
        &self,
        pp: &ProbePlan,
        args: &[wasmparser::ValType],
        results: &[wasmparser::ValType],
        locals: &[wasmparser::ValType],
    ) -> bool {
        let p = &self.script.probes[pp.index];
        for name in &pp.uses {
            if let Some(n) = name
                .strip_prefix("local")
                .and_then(|n| n.parse::<usize>().ok())
                && n >= locals.len()
            {
                return false;
            }
        }
        for (name, ty) in &p.bounds {
            let family = |prefix: &str| {
                name.strip_prefix(prefix)
                    .and_then(|n| n.parse::<usize>().ok())
            };
            let actual = if let Some(n) = family("arg") {
                args.get(n).copied()
            } else if let Some(n) = family("res") {
                results.iter().rev().nth(n).copied()
            } else if let Some(n) = family("local") {
                match locals.get(n) {
                    Some(t) => Some(*t),
                    None => return false,
                }
            } else {
                continue;
            };
            if let Some(t) = actual
                && !ty.fits_wasm(wasm_type(t))
            {
                return false;
            }
        }
        true
    }

    /// Reserve `wham_entry` for an entry point whose signature has only
    /// numbers (ours has no way to name the app's own types there).
    fn reserve_entry_wrapper(&mut self) -> Option<EntryWrapper> {
        let entry = self.plan.entry?;
        let (params, results) = self.app.func_sig(entry)?;
        let numeric = |ts: &[wasmparser::ValType]| -> Option<Vec<ValType>> {
            ts.iter()
                .map(|t| match t {
                    wasmparser::ValType::Ref(_) => None,
                    t => RoundtripReencoder.val_type(*t).ok(),
                })
                .collect()
        };
        let (p, r) = (numeric(params)?, numeric(results)?);
        Some(EntryWrapper {
            entry: self.plan.func(self.app, entry),
            wrapper: self.add.reserve_func("wham_entry", &p, &r),
            params: p.len() as u32,
        })
    }

    /// What a call of the app's function `f` from our code calls: the
    /// wrapper for the entry point.
    fn call_target(&self, f: u32) -> u32 {
        let f = self.plan.func(self.app, f);
        match self.entry_wrapper {
            Some(w) if w.entry == f => w.wrapper,
            _ => f,
        }
    }

    /// The host functions that read the app's memory, if the script uses
    /// them.
    fn app_memory_host(&self) -> Option<wham_codegen::eval::AppMemoryHost> {
        self.plan
            .app_memory_host
            .map(|(size, read)| wham_codegen::eval::AppMemoryHost { size, read })
    }

    /// Everything after the functions: init, exit hook, report, start.
    pub fn finish(mut self) -> Result<Parts, Error> {
        let mut start = None;
        // Global statements and `wasm:begin` run once, before anything else.
        let has_init = !self.script.global_init.is_empty()
            || !self.plan.begin.is_empty()
            || !self.init_code.is_empty();
        if has_init {
            let init = self.add.reserve_func("wham_init", &[], &[]);
            let mut alloc = std::mem::replace(&mut self.init_alloc, LocalAlloc::new(0));
            alloc.release_all();
            let mut code = Vec::new();
            {
                let mut facts = SiteFacts::new(self.evaluator, self.app, 0, 0, 0);
                facts.host = self.app_memory_host();
                let mut lw = Lowerer::new(
                    &mut self.add,
                    &self.state,
                    &facts,
                    &mut alloc,
                    Exit::ProbeBlock,
                );
                lw.bind_vars(&self.script.global_locals, &[], &[]);
                if let Err(e) = lw.probe_body(&self.script.global_init) {
                    self.errors.push(e);
                }
                code.append(&mut lw.code);
            }
            // Per-site set-up (`@init`, initialisers) sees the globals' values.
            code.append(&mut self.init_code);
            for &b in &self.plan.begin.clone() {
                let mut facts = SiteFacts::new(self.evaluator, self.app, 0, 0, 0);
                facts.host = self.app_memory_host();
                alloc.release_all();
                self.emit_probe(&mut code, &mut alloc, &facts, b);
            }
            if let Some(s) = self.app.start {
                code.push(I::Call(self.call_target(s)));
            }
            let body = Body {
                locals: alloc.types.clone(),
                code,
            };
            self.add.define(init, body.finish());
            start = Some(init);
        }
        if let (Some(w), Some(on_exit)) = (self.entry_wrapper, self.on_exit) {
            let mut code: Vec<I<'static>> = (0..w.params).map(I::LocalGet).collect();
            code.extend([I::Call(w.entry), I::Call(on_exit)]);
            let body = Body {
                locals: Vec::new(),
                code,
            };
            self.add.define(w.wrapper, body.finish());
            if start.is_none()
                && self
                    .app
                    .start
                    .is_some_and(|s| self.plan.func(self.app, s) == w.entry)
            {
                start = Some(w.wrapper);
            }
        }
        if let Some(on_exit) = self.on_exit {
            let done = self
                .add
                .add_global("wham_exited", ValType::I32, ConstExpr::i32_const(0));
            let mut alloc = LocalAlloc::new(0);
            let mut code = vec![
                I::GlobalGet(done),
                I::If(BlockType::Empty),
                I::Return,
                I::End,
                I::I32Const(1),
                I::GlobalSet(done),
            ];
            if let Some(choose) = self.chooser {
                code.push(I::Call(choose));
            }
            for &e in self
                .plan
                .end
                .clone()
                .iter()
                .chain(&self.plan.report.clone())
            {
                let mut facts = SiteFacts::new(self.evaluator, self.app, 0, 0, 0);
                facts.host = self.app_memory_host();
                alloc.release_all();
                self.emit_probe(&mut code, &mut alloc, &facts, e);
            }
            // As whamm 2.0.1 does when rewriting: with no row to print (no
            // global report variable, no site matched), not even the banner.
            // A monitor's rows come at bind time, so it always prints.
            let rows = !self.report_vars.is_empty() || self.dyn_rows.is_some();
            if let Some(r) = self.report_fn.filter(|_| rows) {
                code.push(I::Call(r));
            } else if let Some(rt) = self.rt {
                // what `wasm:report` probes printed
                code.push(I::Call(rt.flush));
            }
            let body = Body {
                locals: alloc.types.clone(),
                code,
            };
            self.add.define(on_exit, body.finish());
            self.add
                .exports
                .push((crate::FLUSH_EXPORT.to_string(), on_exit));
        }
        if let (Some(r), Some(rt)) = (self.report_fn, self.rt) {
            let vars = std::mem::take(&mut self.report_vars);
            if let Err(e) = wham_codegen::report::build_flush(
                &mut self.add,
                &rt,
                &vars,
                r,
                std::mem::take(&mut self.row_kinds),
                self.dyn_rows.as_ref(),
            ) {
                self.errors.push(e);
            }
        }
        if !self.errors.is_empty() {
            return Err(Error::Script(self.errors));
        }
        // The map heap starts after all static data, now that it is final.
        if let Some(maps) = self.add.maps {
            let end = self.add.data_end().div_ceil(8) * 8;
            let g = (maps.heap_top - self.add.bases.globals) as usize;
            self.add.globals[g].init = ConstExpr::i32_const(end as i32);
        }
        Ok(Parts {
            entry_wrapper: self.entry_wrapper,
            add: self.add,
            bodies: self.bodies,
            start,
            export_memory: self.export_memory,
            memory_aliases: Vec::new(),
            pc_maps: std::mem::take(&mut self.pc_maps),
            warnings: std::mem::take(&mut self.shadows.warnings),
            deferred: std::mem::take(&mut self.deferred),
            placements: std::mem::take(&mut self.placements),
        })
    }
}
