//! The one code generator for probe bodies, predicates, user functions and
//! global statements. Backends differ only in the site glue they wrap
//! around what this emits: where a body's dynamic values come from
//! ([`Site`]) and where its state lives ([`ScriptState`], [`Slots`]).

use crate::eval::{StaticFacts, eval, eval_bool};
use crate::module::Additions;
use crate::repr::{self, val_types};
use wasm_encoder::{BlockType, Instruction as I, ValType};
use wham_events::{Ty, ValueKind};
use wham_lang::ast::{BinOp, UnOp};
use wham_lang::check::hir::{
    LocalId, LocalVar, Place, Storage, TExpr, TExprKind, TStmt, Value, VarRef,
};
use wham_lang::span::Span;

/// A feature the generator cannot produce on this target (yet).
#[derive(Clone, Debug, PartialEq)]
pub struct Unsupported {
    pub what: String,
    pub span: Span,
}

pub type R<T = ()> = Result<T, Unsupported>;

fn unsupported<T>(what: impl Into<String>, span: Span) -> R<T> {
    Err(Unsupported {
        what: what.into(),
        span,
    })
}

/// Where a dynamic bound value (`arg0`, `res0`, `local1`, `effective_addr`)
/// comes from at a site.
#[derive(Clone, Debug)]
pub enum DynValue {
    /// Held in these locals of the host function; assignments write them.
    Locals(Vec<u32>),
    /// Computed by this code (read-only).
    Code(Vec<I<'static>>),
}

/// A match site as the generator sees it.
pub trait Site: StaticFacts {
    fn dynamic(&self, name: &str, index: Option<u32>) -> Option<DynValue>;
    /// Code for `alt_call_by_id(n)` / `alt_call_by_name("f")` at an `alt`
    /// site: push the instruction's operands and call the replacement.
    fn alt_call(&self, name: &str, args: &[Value]) -> Option<Result<Vec<I<'static>>, String>> {
        let _ = (name, args);
        None
    }
    /// `resolve_funcref`: code that reads the function in the table slot
    /// held by local `slot` (-1 when unknown), where the site has a slot
    /// map of its table.
    fn resolve_funcref(&self, slot: u32) -> Option<Vec<I<'static>>> {
        let _ = slot;
        None
    }
    /// Why `name` has no value at this site, when the site knows better
    /// than "not here".
    fn missing(&self, name: &str) -> Option<String> {
        let _ = name;
        None
    }
}

impl Site for crate::eval::NoFacts {
    fn dynamic(&self, _: &str, _: Option<u32>) -> Option<DynValue> {
        None
    }
}

/// Script-wide state: where each global lives and each user function is.
#[derive(Default, Debug)]
pub struct ScriptState {
    /// Global id → its Wasm globals (flattened).
    pub globals: Vec<Vec<u32>>,
    /// Global id → its script type.
    pub global_types: Vec<Ty>,
    /// User function id → function index.
    pub functions: Vec<u32>,
    /// Library functions the code calls: (library, function) → import.
    pub lib_funcs: std::collections::HashMap<(String, String), LibFunc>,
    /// The output runtime, for the built-in `whamm_core` functions.
    pub printing: Option<crate::runtime::Runtime>,
    /// Global maps in declaration order (`whamm_core.print_map(id)`):
    /// (map id, map type).
    pub maps_by_id: Vec<(u32, Ty)>,
}

/// An imported library function.
#[derive(Clone, Debug)]
pub struct LibFunc {
    pub index: u32,
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

/// New locals of the function being generated into. Locals are reused
/// between sites (each site initialises what it reads) so a heavily
/// instrumented function does not grow a local per site.
#[derive(Debug)]
pub struct LocalAlloc {
    /// Index of the first added local (params + original locals).
    pub first: u32,
    pub types: Vec<ValType>,
    in_use: Vec<bool>,
}

impl LocalAlloc {
    pub fn new(first: u32) -> LocalAlloc {
        LocalAlloc {
            first,
            types: Vec::new(),
            in_use: Vec::new(),
        }
    }

    pub fn get(&mut self, vt: ValType) -> u32 {
        for (i, t) in self.types.iter().enumerate() {
            if *t == vt && !self.in_use[i] {
                self.in_use[i] = true;
                return self.first + i as u32;
            }
        }
        self.types.push(vt);
        self.in_use.push(true);
        self.first + self.types.len() as u32 - 1
    }

    /// Frees every local for the next site.
    pub fn release_all(&mut self) {
        self.in_use.iter_mut().for_each(|u| *u = false);
    }
}

/// Where a body's variables live.
#[derive(Clone, Debug)]
pub enum Slot {
    Locals(Vec<u32>),
    /// Per-site (`unshared`) state at this address of instrumentation memory.
    Mem(u32),
}

/// How `return` leaves the code being generated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Exit {
    /// A probe body wrapped in a block: `return` branches out of it.
    ProbeBlock,
    /// A real function: `return` returns.
    Function,
    /// An `alt` body inside a block typed with the instruction's results:
    /// `return v` leaves `v` as the result.
    Alt,
}

pub struct Lowerer<'a> {
    pub add: &'a mut Additions,
    pub state: &'a ScriptState,
    pub site: &'a dyn Site,
    pub alloc: &'a mut LocalAlloc,
    pub code: Vec<I<'static>>,
    slots: Vec<Option<Slot>>,
    local_types: Vec<Ty>,
    exit: Exit,
    alt_results: Vec<ValType>,
    /// `@init` statements are generated elsewhere (once per site).
    pub inits_elsewhere: bool,
    /// Blocks open since the body started (for `return` as a branch).
    depth: u32,
    /// Where per-site state is when it is not at fixed addresses: a local
    /// holding the site's block (monitor modules allocate it when the
    /// engine attaches the probe); slot addresses are then offsets.
    pub unshared_base: Option<u32>,
}

impl<'a> Lowerer<'a> {
    /// `unshared` gives the address of each per-site variable of `vars`.
    pub fn new(
        add: &'a mut Additions,
        state: &'a ScriptState,
        site: &'a dyn Site,
        alloc: &'a mut LocalAlloc,
        exit: Exit,
    ) -> Lowerer<'a> {
        Lowerer {
            add,
            state,
            site,
            alloc,
            code: Vec::new(),
            slots: Vec::new(),
            local_types: Vec::new(),
            exit,
            alt_results: Vec::new(),
            inits_elsewhere: false,
            depth: 0,
            unshared_base: None,
        }
    }

    /// Give the body's variables their places: `Local` storage gets fresh
    /// locals (or `fixed` ones, for parameters), per-site state the
    /// addresses in `unshared`.
    pub fn bind_vars(
        &mut self,
        vars: &[LocalVar],
        fixed: &[(LocalId, Vec<u32>)],
        unshared: &[(LocalId, u32)],
    ) {
        self.slots = vec![None; vars.len()];
        self.local_types = vars.iter().map(|v| v.ty.clone()).collect();
        for (id, locals) in fixed {
            self.slots[*id] = Some(Slot::Locals(locals.clone()));
        }
        for (id, addr) in unshared {
            self.slots[*id] = Some(Slot::Mem(*addr));
        }
        for (id, v) in vars.iter().enumerate() {
            if self.slots[id].is_none() && v.storage == Storage::Local {
                let locals = val_types(&v.ty)
                    .into_iter()
                    .map(|t| self.alloc.get(t))
                    .collect();
                self.slots[id] = Some(Slot::Locals(locals));
            }
        }
    }

    /// The address of per-site slot `addr` (an offset from the site's
    /// block when state is allocated at run time).
    fn push_slot_address(&mut self, addr: u32) {
        self.emit(I::I32Const(addr as i32));
        if let Some(base) = self.unshared_base {
            self.emit(I::LocalGet(base));
            self.emit(I::I32Add);
        }
    }

    pub(crate) fn emit(&mut self, i: I<'static>) {
        self.code.push(i);
    }

    // ----- statements ---------------------------------------------------

    /// A probe body: wrapped in a block so `return` can leave it.
    pub fn probe_body(&mut self, stmts: &[TStmt]) -> R {
        self.emit(I::Block(BlockType::Empty));
        self.depth = 0;
        self.stmts(stmts)?;
        self.emit(I::End);
        Ok(())
    }

    /// The body of an `alt` probe, inside a block the caller opened with
    /// the instruction's result types; falling off the end yields zeros.
    /// `depth` is how many blocks the caller opened inside the alt block.
    pub fn alt_body(&mut self, stmts: &[TStmt], results: &[ValType], depth: u32) -> R {
        self.depth = depth;
        self.alt_results = results.to_vec();
        self.stmts(stmts)?;
        for vt in results {
            self.emit(repr::zero(*vt));
        }
        if depth > 0 {
            self.emit(I::Br(depth));
        }
        Ok(())
    }

    pub fn stmts(&mut self, stmts: &[TStmt]) -> R {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &TStmt) -> R {
        match s {
            TStmt::Let { local, value } => {
                let Some(Slot::Locals(locals)) = self.slots.get(*local).cloned().flatten() else {
                    return Ok(());
                };
                match value {
                    Some(v) => self.expr(v)?,
                    None => {
                        for l in &locals {
                            let vt = self.local_type(*l);
                            self.emit(repr::zero(vt));
                        }
                    }
                }
                for l in locals.iter().rev() {
                    self.emit(I::LocalSet(*l));
                }
                Ok(())
            }
            TStmt::Assign { place, value, span } => {
                let ty = value.ty.clone();
                self.expr(value)?;
                self.store_place(place, &ty, *span)
            }
            TStmt::Incr {
                place: Place::MapElem { map, key },
                delta,
                span,
            } => {
                let (_, vty) = self.map_types(map, *span)?;
                if !vty.is_numeric() {
                    return unsupported(format!("`++`/`--` on {vty}"), *span);
                }
                let vp = self.map_value_ptr(map, key, &vty, true, *span)?;
                let vt = val_types(&vty)[0];
                let im = self.add.instr_mem();
                self.emit(I::LocalGet(vp));
                self.emit(I::LocalGet(vp));
                self.emit(repr::load(vt, repr::memarg(im, 0, vt)));
                let one = match vty {
                    Ty::F32 => Value::F32(*delta as f32),
                    Ty::F64 => Value::F64(*delta as f64),
                    _ => Value::Int(*delta as i128),
                };
                self.push_const(&one, &vty, *span)?;
                self.arith(BinOp::Add, &vty, *span)?;
                self.emit(repr::store(vt, repr::memarg(im, 0, vt)));
                Ok(())
            }
            TStmt::Incr { place, delta, span } => {
                let ty = self.place_type(place, *span)?;
                if !ty.is_numeric() {
                    return unsupported(format!("`++`/`--` on {ty}"), *span);
                }
                self.load_place(place, &ty, *span)?;
                let one = match ty {
                    Ty::F32 => Value::F32(*delta as f32),
                    Ty::F64 => Value::F64(*delta as f64),
                    _ => Value::Int(*delta as i128),
                };
                self.push_const(&one, &ty, *span)?;
                self.arith(BinOp::Add, &ty, *span)?;
                self.store_place(place, &ty, *span)
            }
            TStmt::Expr(TExpr {
                kind:
                    TExprKind::LibCall {
                        lib,
                        func,
                        args,
                        is_static: false,
                    },
                span,
                ..
            }) => {
                // Whatever it returns is dropped.
                for _ in self.lib_call(lib, func, args, *span)? {
                    self.emit(I::Drop);
                }
                Ok(())
            }
            TStmt::Expr(e) => {
                self.expr(e)?;
                for _ in val_types(&e.ty) {
                    self.emit(I::Drop);
                }
                Ok(())
            }
            // Hoisted to start-up by the backend, or (global code) run here.
            TStmt::Init(_) if self.inits_elsewhere => Ok(()),
            TStmt::Init(e) => self.stmt(&TStmt::Expr(e.clone())),
            TStmt::Return(value, span) => {
                match (self.exit, value) {
                    (Exit::ProbeBlock, Some(_)) => {
                        return unsupported(
                            "returning a value from this probe (only `alt` probes replace a result)",
                            *span,
                        );
                    }
                    (Exit::Alt, Some(v)) => {
                        if val_types(&v.ty) != self.alt_results {
                            return unsupported(
                                format!(
                                    "returning {} where the instruction leaves other values",
                                    v.ty
                                ),
                                *span,
                            );
                        }
                        self.expr(v)?;
                    }
                    (Exit::Alt, None) => {
                        for vt in self.alt_results.clone() {
                            self.emit(repr::zero(vt));
                        }
                    }
                    (_, Some(v)) => self.expr(v)?,
                    _ => {}
                }
                match self.exit {
                    Exit::ProbeBlock | Exit::Alt => self.emit(I::Br(self.depth)),
                    Exit::Function => self.emit(I::Return),
                }
                Ok(())
            }
            TStmt::If {
                branches,
                otherwise,
            } => self.if_chain(branches, otherwise),
        }
    }

    fn if_chain(&mut self, branches: &[(TExpr, Vec<TStmt>)], otherwise: &[TStmt]) -> R {
        let Some(((cond, body), rest)) = branches.split_first() else {
            return self.stmts(otherwise);
        };
        match eval_bool(cond, self.site) {
            Some(true) => self.stmts(body),
            Some(false) => self.if_chain(rest, otherwise),
            None => {
                self.expr(cond)?;
                self.emit(I::If(BlockType::Empty));
                self.depth += 1;
                self.stmts(body)?;
                if !rest.is_empty() || !otherwise.is_empty() {
                    self.emit(I::Else);
                    self.if_chain(rest, otherwise)?;
                }
                self.depth -= 1;
                self.emit(I::End);
                Ok(())
            }
        }
    }

    fn local_type(&self, l: u32) -> ValType {
        self.alloc.types[(l - self.alloc.first) as usize]
    }

    /// The declared type of what a place names.
    fn place_type(&self, place: &Place, span: Span) -> R<Ty> {
        match place {
            Place::Var(v) => self.declared_type(v, span),
            Place::Field { var, path } => {
                let mut ty = self.declared_type(var, span)?;
                for &i in path {
                    let Ty::Tuple(items) = ty else {
                        return unsupported("this tuple access", span);
                    };
                    ty = items[i as usize].clone();
                }
                Ok(ty)
            }
            Place::MapElem { map, .. } => Ok(self.map_types(map, span)?.1),
        }
    }

    fn declared_type(&self, var: &VarRef, span: Span) -> R<Ty> {
        let found = match var {
            VarRef::Local(id) => self.local_types.get(*id),
            VarRef::Global(id) => self.state.global_types.get(*id),
            VarRef::Bound { .. } => None,
        };
        match found {
            Some(t) => Ok(t.clone()),
            None => unsupported(
                "updating this event value in place (assign it instead)",
                span,
            ),
        }
    }

    // ----- places -------------------------------------------------------

    fn load_place(&mut self, place: &Place, ty: &Ty, span: Span) -> R {
        match place {
            Place::Var(v) => self.load_var(v, ty, span),
            Place::Field { var, path } => {
                let (base_ty, range) = self.field_range(var, path, span)?;
                self.load_var(var, &base_ty, span)?;
                self.keep_range(&base_ty, range);
                Ok(())
            }
            Place::MapElem { map, key } => {
                let index = TExpr {
                    kind: TExprKind::Index {
                        map: Box::new(TExpr {
                            kind: TExprKind::Var(map.clone()),
                            ty: self.declared_type(map, span)?,
                            span,
                        }),
                        key: Box::new(key.clone()),
                    },
                    ty: ty.clone(),
                    span,
                };
                self.expr(&index)
            }
        }
    }

    fn store_place(&mut self, place: &Place, ty: &Ty, span: Span) -> R {
        match place {
            Place::Var(v) => {
                let n = val_types(ty).len();
                self.store_var(v, ty, span, 0..n)
            }
            Place::Field { var, path } => {
                let (base_ty, range) = self.field_range(var, path, span)?;
                self.store_var(var, &base_ty, span, range)
            }
            Place::MapElem { map, key } => {
                let (_, vty) = self.map_types(map, span)?;
                let vts = val_types(&vty);
                let temps: Vec<u32> = vts.iter().map(|v| self.alloc.get(*v)).collect();
                for t in temps.iter().rev() {
                    self.emit(I::LocalSet(*t));
                }
                let vp = self.map_value_ptr(map, key, &vty, true, span)?;
                let im = self.add.instr_mem();
                let mut off = 0u64;
                for (t, vt) in temps.iter().zip(vts) {
                    self.emit(I::LocalGet(vp));
                    self.emit(I::LocalGet(*t));
                    self.emit(repr::store(vt, repr::memarg(im, off, vt)));
                    off += repr::val_size(vt) as u64;
                }
                Ok(())
            }
        }
    }

    /// Key and value types of a map variable.
    fn map_types(&self, map: &VarRef, span: Span) -> R<(Ty, Ty)> {
        match self.declared_type(map, span)? {
            Ty::Map(k, v) => Ok((*k, *v)),
            other => unsupported(format!("indexing {other}"), span),
        }
    }

    /// Serialise `key` at the heap top; leaves (key_ptr, key_len) locals.
    fn serialize_key(&mut self, key: &TExpr, key_ty: &Ty) -> R<(u32, u32)> {
        use crate::maps::{MapRuntime, Part, key_parts};
        let rt = MapRuntime::get(self.add);
        let im = self.add.instr_mem();
        self.expr(key)?;
        let vts = val_types(key_ty);
        let temps: Vec<u32> = vts.iter().map(|v| self.alloc.get(*v)).collect();
        for t in temps.iter().rev() {
            self.emit(I::LocalSet(*t));
        }
        let parts = key_parts(key_ty);
        let (kp, klen) = (self.alloc.get(ValType::I32), self.alloc.get(ValType::I32));
        self.emit(I::GlobalGet(rt.heap_top));
        self.emit(I::LocalSet(kp));
        let mut t = temps.iter();
        if !parts.contains(&Part::Str) {
            let size: u32 = vts.iter().map(|v| repr::val_size(*v)).sum();
            self.code
                .extend([I::I32Const(size as i32), I::Call(rt.reserve)]);
            let mut off = 0u64;
            for vt in &vts {
                let tl = *t.next().expect("one temp per value");
                self.code.extend([I::LocalGet(kp), I::LocalGet(tl)]);
                self.emit(repr::store(*vt, repr::memarg(im, off, *vt)));
                off += repr::val_size(*vt) as u64;
            }
            self.code
                .extend([I::I32Const(size as i32), I::LocalSet(klen)]);
        } else {
            // klen doubles as the write offset
            self.code.extend([I::I32Const(0), I::LocalSet(klen)]);
            for part in parts {
                match part {
                    Part::Val(vt) => {
                        let size = repr::val_size(vt) as i32;
                        let tl = *t.next().expect("one temp per value");
                        self.code.extend([
                            I::LocalGet(klen),
                            I::I32Const(size),
                            I::I32Add,
                            I::Call(rt.reserve),
                            I::LocalGet(kp),
                            I::LocalGet(klen),
                            I::I32Add,
                            I::LocalGet(tl),
                        ]);
                        self.emit(repr::store(vt, repr::memarg(im, 0, vt)));
                        self.code.extend([
                            I::LocalGet(klen),
                            I::I32Const(size),
                            I::I32Add,
                            I::LocalSet(klen),
                        ]);
                    }
                    Part::Str => {
                        let a = *t.next().expect("string address");
                        let l = *t.next().expect("string length");
                        self.code.extend([
                            I::LocalGet(klen),
                            I::I32Const(4),
                            I::I32Add,
                            I::LocalGet(l),
                            I::I32Add,
                            I::Call(rt.reserve),
                            I::LocalGet(kp),
                            I::LocalGet(klen),
                            I::I32Add,
                            I::LocalGet(l),
                            I::I32Store(repr::memarg(im, 0, ValType::I32)),
                            I::LocalGet(kp),
                            I::LocalGet(klen),
                            I::I32Add,
                            I::I32Const(4),
                            I::I32Add,
                            I::LocalGet(a),
                            I::LocalGet(l),
                            I::MemoryCopy {
                                src_mem: im,
                                dst_mem: im,
                            },
                            I::LocalGet(klen),
                            I::I32Const(4),
                            I::I32Add,
                            I::LocalGet(l),
                            I::I32Add,
                            I::LocalSet(klen),
                        ]);
                    }
                }
            }
        }
        Ok((kp, klen))
    }

    /// The entries of an event's static map at this site, when the site
    /// knows them (`targets` of a `br_table`: its labels, default aside).
    fn static_table(&self, name: &str) -> Option<Vec<u32>> {
        let count = |n: &str| match self.site.static_value(n, None) {
            Some(Value::Int(n)) => u32::try_from(n).ok(),
            _ => None,
        };
        let n = match name {
            "targets" => count("num_targets")?,
            _ => return None,
        };
        (0..n)
            .map(|i| match self.site.static_value(name, Some(i)) {
                Some(Value::Int(v)) => u32::try_from(v).ok(),
                _ => None,
            })
            .collect()
    }

    /// `table[key]` with the key known only at run time: the entries sit
    /// in instrumentation memory; an index past them reads 0, as a
    /// missing map key does.
    fn table_lookup(&mut self, table: &[u32], key: &TExpr) -> R<()> {
        let bytes: Vec<u8> = table.iter().flat_map(|v| v.to_le_bytes()).collect();
        let (at, _) = self.add.string(&bytes);
        let im = self.add.instr_mem();
        let k = self.alloc.get(ValType::I32);
        self.expr(key)?;
        self.code.extend([
            I::LocalSet(k),
            I::LocalGet(k),
            I::I32Const(table.len() as i32),
            I::I32LtU,
            I::If(BlockType::Result(ValType::I32)),
            I::LocalGet(k),
            I::I32Const(4),
            I::I32Mul,
            I::I32Load(repr::memarg(im, at as u64, ValType::I32)),
            I::Else,
            I::I32Const(0),
            I::End,
        ]);
        Ok(())
    }

    /// A local holding the address of `map[key]`'s value: inserted (zero)
    /// when `insert`, else 0 when absent.
    fn map_value_ptr(
        &mut self,
        map: &VarRef,
        key: &TExpr,
        vty: &Ty,
        insert: bool,
        span: Span,
    ) -> R<u32> {
        if let VarRef::Bound { name, .. } = map {
            // Entries of an event's static map fold at each site; here
            // the site is not known (e.g. in a monitor module).
            return unsupported(format!("reading `{name}[...]` here"), span);
        }
        let rt = crate::maps::MapRuntime::get(self.add);
        let (kty, _) = self.map_types(map, span)?;
        let (kp, klen) = self.serialize_key(key, &kty)?;
        let id = self.alloc.get(ValType::I32);
        self.load_var(map, &Ty::Map(Box::new(kty), Box::new(vty.clone())), span)?;
        self.emit(I::LocalSet(id));
        self.code
            .extend([I::LocalGet(id), I::LocalGet(kp), I::LocalGet(klen)]);
        if insert {
            self.emit(I::I32Const(repr::mem_size(vty) as i32));
            self.emit(I::Call(rt.upsert));
        } else {
            self.emit(I::Call(rt.find));
        }
        let vp = self.alloc.get(ValType::I32);
        self.emit(I::LocalSet(vp));
        Ok(vp)
    }

    /// The flattened range of values that `path` selects in `var`.
    fn field_range(
        &self,
        var: &VarRef,
        path: &[u32],
        span: Span,
    ) -> R<(Ty, std::ops::Range<usize>)> {
        let base = self.declared_type(var, span)?;
        let mut ty = &base;
        let mut start = 0;
        for &i in path {
            let Ty::Tuple(items) = ty else {
                return unsupported("this tuple access", span);
            };
            start += items[..i as usize]
                .iter()
                .map(|t| val_types(t).len())
                .sum::<usize>();
            ty = &items[i as usize];
        }
        let len = val_types(ty).len();
        Ok((base.clone(), start..start + len))
    }

    /// With all of `ty`'s values on the stack, keep only those in `range`.
    fn keep_range(&mut self, ty: &Ty, range: std::ops::Range<usize>) {
        let vts = val_types(ty);
        let temps: Vec<u32> = vts.iter().map(|v| self.alloc.get(*v)).collect();
        for t in temps.iter().rev() {
            self.emit(I::LocalSet(*t));
        }
        for t in &temps[range] {
            self.emit(I::LocalGet(*t));
        }
    }

    fn load_var(&mut self, v: &VarRef, ty: &Ty, span: Span) -> R {
        match v {
            VarRef::Local(id) => match self.slots.get(*id).cloned().flatten() {
                Some(Slot::Locals(ls)) => {
                    ls.iter().for_each(|l| self.code.push(I::LocalGet(*l)));
                    Ok(())
                }
                Some(Slot::Mem(addr)) => {
                    let im = self.add.instr_mem();
                    let mut off = 0;
                    for vt in val_types(&self.local_types[*id]) {
                        self.push_slot_address(addr);
                        self.emit(repr::load(vt, repr::memarg(im, off as u64, vt)));
                        off += repr::val_size(vt);
                    }
                    Ok(())
                }
                None => unsupported("this variable here", span),
            },
            VarRef::Global(id) => {
                for g in self.state.globals[*id].clone() {
                    self.emit(I::GlobalGet(g));
                }
                Ok(())
            }
            VarRef::Bound { name, kind, index } => {
                if *kind == ValueKind::Static
                    && let Some(val) = self.site.static_value(name, *index)
                {
                    return self.push_const(&val, ty, span);
                }
                // A static value not known here (a monitor module's probe
                // receives it as a parameter) is read like a dynamic one.
                match self.site.dynamic(name, *index) {
                    Some(DynValue::Locals(ls)) => {
                        ls.iter().for_each(|l| self.code.push(I::LocalGet(*l)));
                        Ok(())
                    }
                    Some(DynValue::Code(code)) => {
                        self.code.extend(code);
                        Ok(())
                    }
                    None => unsupported(
                        self.site
                            .missing(name)
                            .unwrap_or_else(|| format!("`{name}` at this site")),
                        span,
                    ),
                }
            }
        }
    }

    /// Pop values for the `range` part of variable `v` (of type `ty`).
    fn store_var(&mut self, v: &VarRef, ty: &Ty, span: Span, range: std::ops::Range<usize>) -> R {
        let vts = val_types(ty);
        match v {
            VarRef::Local(id) => match self.slots.get(*id).cloned().flatten() {
                Some(Slot::Locals(ls)) => {
                    for l in ls[range].iter().rev() {
                        self.emit(I::LocalSet(*l));
                    }
                    Ok(())
                }
                Some(Slot::Mem(addr)) => {
                    let im = self.add.instr_mem();
                    let offsets: Vec<u32> = vts
                        .iter()
                        .scan(0, |o, vt| {
                            let here = *o;
                            *o += repr::val_size(*vt);
                            Some(here)
                        })
                        .collect();
                    for i in range.rev() {
                        let vt = vts[i];
                        let t = self.alloc.get(vt);
                        self.emit(I::LocalSet(t));
                        self.push_slot_address(addr);
                        self.emit(I::LocalGet(t));
                        self.emit(repr::store(vt, repr::memarg(im, offsets[i] as u64, vt)));
                    }
                    Ok(())
                }
                None => unsupported("this variable here", span),
            },
            VarRef::Global(id) => {
                for g in self.state.globals[*id][range].iter().rev() {
                    self.emit(I::GlobalSet(*g));
                }
                Ok(())
            }
            VarRef::Bound { name, index, .. } => match self.site.dynamic(name, *index) {
                Some(DynValue::Locals(ls)) => {
                    for l in ls[range].iter().rev() {
                        self.emit(I::LocalSet(*l));
                    }
                    Ok(())
                }
                _ => unsupported(format!("assigning `{name}` here"), span),
            },
        }
    }

    // ----- expressions --------------------------------------------------

    /// Push the values of `e` (flattened).
    pub fn expr(&mut self, e: &TExpr) -> R {
        if !matches!(e.kind, TExprKind::Const(_))
            && let Some(v) = eval(e, self.site)
        {
            return self.push_const(&v, &e.ty, e.span);
        }
        match &e.kind {
            TExprKind::Const(v) => self.push_const(v, &e.ty, e.span),
            TExprKind::Var(v) => self.load_var(v, &e.ty, e.span),
            TExprKind::Tuple(items) => items.iter().try_for_each(|i| self.expr(i)),
            TExprKind::Unary { op, expr } => self.unary(*op, expr, &e.ty, e.span),
            TExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, &e.ty, e.span),
            TExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond)?;
                let vts = val_types(&e.ty);
                let bt = match vts.as_slice() {
                    [] => BlockType::Empty,
                    [one] => BlockType::Result(*one),
                    many => BlockType::FunctionType(self.add.type_for(&[], many)),
                };
                self.emit(I::If(bt));
                self.depth += 1;
                self.expr(then)?;
                self.emit(I::Else);
                self.expr(otherwise)?;
                self.depth -= 1;
                self.emit(I::End);
                Ok(())
            }
            TExprKind::Cast { expr } => {
                self.expr(expr)?;
                self.cast(&expr.ty, &e.ty, e.span)
            }
            TExprKind::Call { func, args } => {
                for a in args {
                    self.expr(a)?;
                }
                self.emit(I::Call(self.state.functions[*func]));
                Ok(())
            }
            TExprKind::Builtin { name, args, .. } => self.builtin(name, args, e.span),
            TExprKind::LibCall {
                lib,
                func,
                args,
                is_static,
                ..
            } => {
                // `eval` above found no value. With arguments known only at
                // set-up time (an initialiser reading a global), the call is
                // made then, as a plain call in the set-up code.
                let args_known = args.iter().all(|a| eval(a, self.site).is_some());
                if *is_static && args_known {
                    // The call could not be made.
                    return unsupported(
                        format!("`@static {lib}.{func}` (no library evaluator for this target)"),
                        e.span,
                    );
                }
                let results = self.lib_call(lib, func, args, e.span)?;
                let want = val_types(&e.ty);
                if results == want {
                    Ok(())
                } else if results.is_empty() {
                    // A function without a result reads as zero.
                    want.iter().for_each(|vt| self.code.push(repr::zero(*vt)));
                    Ok(())
                } else {
                    unsupported(
                        format!(
                            "`{lib}.{func}` returns {results:?}, but {} is needed here",
                            e.ty
                        ),
                        e.span,
                    )
                }
            }
            TExprKind::StrMethod { recv, method, args } => match method.as_str() {
                "len" | "addr" => {
                    self.expr(recv)?;
                    let (a, l) = (self.alloc.get(ValType::I32), self.alloc.get(ValType::I32));
                    self.emit(I::LocalSet(l));
                    self.emit(I::LocalSet(a));
                    self.emit(I::LocalGet(if method == "len" { l } else { a }));
                    Ok(())
                }
                "starts_with" | "ends_with" | "contains" if args.len() == 1 => {
                    let im = self.add.instr_mem();
                    self.str_search(method, recv, im, &args[0])
                }
                _ => unsupported(
                    format!("`{method}` on a string only known at run time"),
                    e.span,
                ),
            },
            TExprKind::Index { map, key } => {
                let TExprKind::Var(var) = &map.kind else {
                    return unsupported("indexing a map that is not a variable", e.span);
                };
                if let VarRef::Bound { name, .. } = var
                    && let Some(table) = self.static_table(name)
                {
                    return self.table_lookup(&table, key);
                }
                let vp = self.map_value_ptr(var, key, &e.ty, false, e.span)?;
                let vts = val_types(&e.ty);
                let bt = match vts.as_slice() {
                    [one] => BlockType::Result(*one),
                    many => BlockType::FunctionType(self.add.type_for(&[], many)),
                };
                let im = self.add.instr_mem();
                self.code.extend([I::LocalGet(vp), I::If(bt)]);
                let mut off = 0u64;
                for vt in &vts {
                    self.emit(I::LocalGet(vp));
                    self.emit(repr::load(*vt, repr::memarg(im, off, *vt)));
                    off += repr::val_size(*vt) as u64;
                }
                self.emit(I::Else);
                for vt in &vts {
                    self.emit(repr::zero(*vt));
                }
                self.emit(I::End);
                Ok(())
            }
            TExprKind::Field { base, index } => {
                self.expr(base)?;
                let Ty::Tuple(items) = &base.ty else {
                    return unsupported("this field access", e.span);
                };
                let start: usize = items[..*index as usize]
                    .iter()
                    .map(|t| val_types(t).len())
                    .sum();
                let len = val_types(&items[*index as usize]).len();
                self.keep_range(&base.ty, start..start + len);
                Ok(())
            }
        }
    }

    pub fn push_const(&mut self, v: &Value, ty: &Ty, span: Span) -> R {
        match (v, ty) {
            (Value::Int(i), Ty::U64 | Ty::I64) => self.emit(I::I64Const(*i as i64)),
            (Value::Int(i), t) if t.is_integer() || *t == Ty::Bool => {
                self.emit(I::I32Const(*i as i32))
            }
            (Value::Int(i), Ty::F32) => self.emit(I::F32Const((*i as f32).into())),
            (Value::Int(i), Ty::F64) => self.emit(I::F64Const((*i as f64).into())),
            (Value::Bool(b), _) => self.emit(I::I32Const(*b as i32)),
            (Value::F32(f), Ty::F64) => self.emit(I::F64Const((*f as f64).into())),
            (Value::F32(f), _) => self.emit(I::F32Const((*f).into())),
            (Value::F64(f), Ty::F32) => self.emit(I::F32Const((*f as f32).into())),
            (Value::F64(f), _) => self.emit(I::F64Const((*f).into())),
            (Value::Str(s), _) => {
                let (a, l) = self.add.string(s);
                self.emit(I::I32Const(a as i32));
                self.emit(I::I32Const(l as i32));
            }
            (Value::Tuple(vs), Ty::Tuple(ts)) if vs.len() == ts.len() => {
                for (v, t) in vs.iter().zip(ts) {
                    self.push_const(v, t, span)?;
                }
            }
            _ => return unsupported(format!("a constant of type {ty}"), span),
        }
        Ok(())
    }

    fn unary(&mut self, op: UnOp, inner: &TExpr, ty: &Ty, span: Span) -> R {
        match op {
            UnOp::Not => {
                self.expr(inner)?;
                self.emit(I::I32Eqz);
            }
            UnOp::BitNot => {
                self.expr(inner)?;
                match ty {
                    Ty::U64 | Ty::I64 => {
                        self.emit(I::I64Const(-1));
                        self.emit(I::I64Xor);
                    }
                    _ => {
                        self.emit(I::I32Const(-1));
                        self.emit(I::I32Xor);
                        self.code.extend(repr::normalize(ty));
                    }
                }
            }
            UnOp::Neg => match ty {
                Ty::F32 => {
                    self.expr(inner)?;
                    self.emit(I::F32Neg);
                }
                Ty::F64 => {
                    self.expr(inner)?;
                    self.emit(I::F64Neg);
                }
                _ => {
                    self.push_const(&Value::Int(0), ty, span)?;
                    self.expr(inner)?;
                    self.arith(BinOp::Sub, ty, span)?;
                }
            },
        }
        Ok(())
    }

    fn binary(&mut self, op: BinOp, lhs: &TExpr, rhs: &TExpr, ty: &Ty, span: Span) -> R {
        match op {
            BinOp::And | BinOp::Or => {
                // Short-circuit, as the language promises.
                match eval_bool(lhs, self.site) {
                    Some(true) if op == BinOp::And => return self.expr(rhs),
                    Some(false) if op == BinOp::Or => return self.expr(rhs),
                    _ => {}
                }
                self.expr(lhs)?;
                self.emit(I::If(BlockType::Result(ValType::I32)));
                self.depth += 1;
                if op == BinOp::And {
                    self.expr(rhs)?;
                    self.emit(I::Else);
                    self.emit(I::I32Const(0));
                } else {
                    self.emit(I::I32Const(1));
                    self.emit(I::Else);
                    self.expr(rhs)?;
                }
                self.depth -= 1;
                self.emit(I::End);
                Ok(())
            }
            BinOp::Eq | BinOp::Ne if lhs.ty == Ty::Str => {
                let im = self.add.instr_mem();
                let eq = crate::strings::equal(self.add, im, im);
                self.expr(lhs)?;
                self.expr(rhs)?;
                self.emit(I::Call(eq));
                if op == BinOp::Ne {
                    self.emit(I::I32Eqz);
                }
                Ok(())
            }
            _ if op.is_comparison() => {
                let operand = lhs.ty.clone();
                if !(operand.is_numeric() || operand == Ty::Bool) {
                    return unsupported(
                        format!("comparing {operand} values only known at run time"),
                        span,
                    );
                }
                self.expr(lhs)?;
                self.expr(rhs)?;
                self.compare(op, &operand, span)
            }
            _ => {
                self.expr(lhs)?;
                self.expr(rhs)?;
                self.arith(op, ty, span)
            }
        }
    }

    fn compare(&mut self, op: BinOp, ty: &Ty, span: Span) -> R {
        let signed = ty.is_signed();
        let i = match ty {
            Ty::U64 | Ty::I64 => match (op, signed) {
                (BinOp::Eq, _) => I::I64Eq,
                (BinOp::Ne, _) => I::I64Ne,
                (BinOp::Lt, true) => I::I64LtS,
                (BinOp::Lt, false) => I::I64LtU,
                (BinOp::Le, true) => I::I64LeS,
                (BinOp::Le, false) => I::I64LeU,
                (BinOp::Gt, true) => I::I64GtS,
                (BinOp::Gt, false) => I::I64GtU,
                (BinOp::Ge, true) => I::I64GeS,
                _ => I::I64GeU,
            },
            Ty::F32 => match op {
                BinOp::Eq => I::F32Eq,
                BinOp::Ne => I::F32Ne,
                BinOp::Lt => I::F32Lt,
                BinOp::Le => I::F32Le,
                BinOp::Gt => I::F32Gt,
                _ => I::F32Ge,
            },
            Ty::F64 => match op {
                BinOp::Eq => I::F64Eq,
                BinOp::Ne => I::F64Ne,
                BinOp::Lt => I::F64Lt,
                BinOp::Le => I::F64Le,
                BinOp::Gt => I::F64Gt,
                _ => I::F64Ge,
            },
            t if t.is_integer() || *t == Ty::Bool => match (op, signed) {
                (BinOp::Eq, _) => I::I32Eq,
                (BinOp::Ne, _) => I::I32Ne,
                (BinOp::Lt, true) => I::I32LtS,
                (BinOp::Lt, false) => I::I32LtU,
                (BinOp::Le, true) => I::I32LeS,
                (BinOp::Le, false) => I::I32LeU,
                (BinOp::Gt, true) => I::I32GtS,
                (BinOp::Gt, false) => I::I32GtU,
                (BinOp::Ge, true) => I::I32GeS,
                _ => I::I32GeU,
            },
            _ => return unsupported(format!("comparing {ty} values"), span),
        };
        self.emit(i);
        Ok(())
    }

    /// With both operands on the stack, apply an arithmetic or bitwise op.
    fn arith(&mut self, op: BinOp, ty: &Ty, span: Span) -> R {
        let signed = ty.is_signed();
        let i = match ty {
            Ty::U64 | Ty::I64 => match op {
                BinOp::Add => I::I64Add,
                BinOp::Sub => I::I64Sub,
                BinOp::Mul => I::I64Mul,
                BinOp::Div if signed => I::I64DivS,
                BinOp::Div => I::I64DivU,
                BinOp::Rem if signed => I::I64RemS,
                BinOp::Rem => I::I64RemU,
                BinOp::BitAnd => I::I64And,
                BinOp::BitOr => I::I64Or,
                BinOp::BitXor => I::I64Xor,
                BinOp::Shl => I::I64Shl,
                BinOp::Shr if signed => I::I64ShrS,
                BinOp::Shr => I::I64ShrU,
                _ => return unsupported(format!("`{}` on {ty}", op.symbol()), span),
            },
            Ty::F32 | Ty::F64 => return self.float_arith(op, ty, span),
            t if t.is_integer() => match op {
                BinOp::Add => I::I32Add,
                BinOp::Sub => I::I32Sub,
                BinOp::Mul => I::I32Mul,
                BinOp::Div if signed => I::I32DivS,
                BinOp::Div => I::I32DivU,
                BinOp::Rem if signed => I::I32RemS,
                BinOp::Rem => I::I32RemU,
                BinOp::BitAnd => I::I32And,
                BinOp::BitOr => I::I32Or,
                BinOp::BitXor => I::I32Xor,
                // A narrow shift counts modulo its own width.
                BinOp::Shl | BinOp::Shr if t.int_bits() != Some(32) => {
                    let bits = t.int_bits().unwrap_or(32) as i32;
                    self.emit(I::I32Const(bits));
                    self.emit(I::I32RemU);
                    if op == BinOp::Shl {
                        I::I32Shl
                    } else if signed {
                        I::I32ShrS
                    } else {
                        I::I32ShrU
                    }
                }
                BinOp::Shl => I::I32Shl,
                BinOp::Shr if signed => I::I32ShrS,
                BinOp::Shr => I::I32ShrU,
                _ => return unsupported(format!("`{}` on {ty}", op.symbol()), span),
            },
            _ => return unsupported(format!("`{}` on {ty}", op.symbol()), span),
        };
        self.emit(i);
        self.code.extend(repr::normalize(ty));
        Ok(())
    }

    fn float_arith(&mut self, op: BinOp, ty: &Ty, span: Span) -> R {
        let f64 = *ty == Ty::F64;
        let i = match op {
            BinOp::Add => {
                if f64 {
                    I::F64Add
                } else {
                    I::F32Add
                }
            }
            BinOp::Sub => {
                if f64 {
                    I::F64Sub
                } else {
                    I::F32Sub
                }
            }
            BinOp::Mul => {
                if f64 {
                    I::F64Mul
                } else {
                    I::F32Mul
                }
            }
            BinOp::Div => {
                if f64 {
                    I::F64Div
                } else {
                    I::F32Div
                }
            }
            BinOp::Rem => {
                // x - trunc(x / y) * y, with the sign of x (as fmod: -4 % 2
                // is -0)
                let vt = if f64 { ValType::F64 } else { ValType::F32 };
                let (x, y) = (self.alloc.get(vt), self.alloc.get(vt));
                self.emit(I::LocalSet(y));
                self.emit(I::LocalSet(x));
                self.emit(I::LocalGet(x));
                self.emit(I::LocalGet(x));
                self.emit(I::LocalGet(y));
                if f64 {
                    self.code.extend([
                        I::F64Div,
                        I::F64Trunc,
                        I::LocalGet(y),
                        I::F64Mul,
                        I::F64Sub,
                        I::LocalGet(x),
                        I::F64Copysign,
                    ]);
                } else {
                    self.code.extend([
                        I::F32Div,
                        I::F32Trunc,
                        I::LocalGet(y),
                        I::F32Mul,
                        I::F32Sub,
                        I::LocalGet(x),
                        I::F32Copysign,
                    ]);
                }
                return Ok(());
            }
            _ => return unsupported(format!("`{}` on {ty}", op.symbol()), span),
        };
        self.emit(i);
        Ok(())
    }

    /// Convert the value on the stack from `from` to `to`.
    pub fn cast(&mut self, from: &Ty, to: &Ty, span: Span) -> R {
        if from == to {
            return Ok(());
        }
        let from_wide = matches!(from, Ty::U64 | Ty::I64);
        let from_int = from.is_integer() || *from == Ty::Bool;
        match to {
            Ty::Bool => match from {
                Ty::F32 => self.code.extend([I::F32Const(0.0f32.into()), I::F32Ne]),
                Ty::F64 => self.code.extend([I::F64Const(0.0f64.into()), I::F64Ne]),
                _ if from_wide => self.code.extend([I::I64Const(0), I::I64Ne]),
                _ => self.code.extend([I::I32Const(0), I::I32Ne]),
            },
            Ty::F32 | Ty::F64 => {
                let f64 = *to == Ty::F64;
                let s = from.is_signed();
                let i = match from {
                    Ty::F32 => I::F64PromoteF32,
                    Ty::F64 => I::F32DemoteF64,
                    _ if from_wide => match (f64, s) {
                        (true, true) => I::F64ConvertI64S,
                        (true, false) => I::F64ConvertI64U,
                        (false, true) => I::F32ConvertI64S,
                        (false, false) => I::F32ConvertI64U,
                    },
                    _ => match (f64, s) {
                        (true, true) => I::F64ConvertI32S,
                        (true, false) => I::F64ConvertI32U,
                        (false, true) => I::F32ConvertI32S,
                        (false, false) => I::F32ConvertI32U,
                    },
                };
                self.emit(i);
            }
            t if t.is_integer() => {
                let to_wide = matches!(t, Ty::U64 | Ty::I64);
                if from_int {
                    match (from_wide, to_wide) {
                        (false, true) => self.emit(if from.is_signed() {
                            I::I64ExtendI32S
                        } else {
                            I::I64ExtendI32U
                        }),
                        (true, false) => self.emit(I::I32WrapI64),
                        _ => {}
                    }
                    self.code.extend(repr::normalize(t));
                } else {
                    self.float_to_int(from, t);
                }
            }
            _ => return unsupported(format!("casting {from} to {to}"), span),
        }
        Ok(())
    }

    /// Saturating float → integer (NaN → 0), clamped to narrow ranges too.
    fn float_to_int(&mut self, from: &Ty, to: &Ty) {
        let f64 = *from == Ty::F64;
        let s = to.is_signed();
        let i = match (matches!(to, Ty::U64 | Ty::I64), f64, s) {
            (true, true, true) => I::I64TruncSatF64S,
            (true, true, false) => I::I64TruncSatF64U,
            (true, false, true) => I::I64TruncSatF32S,
            (true, false, false) => I::I64TruncSatF32U,
            (false, true, true) => I::I32TruncSatF64S,
            (false, true, false) => I::I32TruncSatF64U,
            (false, false, true) => I::I32TruncSatF32S,
            (false, false, false) => I::I32TruncSatF32U,
        };
        self.emit(i);
        let bits = to.int_bits().unwrap_or(32);
        if bits < 32 {
            let (lo, hi) = if s {
                (-(1i32 << (bits - 1)), (1i32 << (bits - 1)) - 1)
            } else {
                (0, (1i32 << bits) - 1)
            };
            let t = self.alloc.get(ValType::I32);
            // max(lo, min(hi, v)), signed compare (v fits i32 after sat)
            self.code.extend([
                I::LocalSet(t),
                I::I32Const(hi),
                I::LocalGet(t),
                I::LocalGet(t),
                I::I32Const(hi),
                I::I32GtS,
                I::Select,
                I::LocalSet(t),
                I::I32Const(lo),
                I::LocalGet(t),
                I::LocalGet(t),
                I::I32Const(lo),
                I::I32LtS,
                I::Select,
            ]);
        }
    }

    /// `s.starts_with(x)`, `s.ends_with(x)`, `s.contains(x)`: the receiver
    /// in memory `mem`, the argument a script string.
    fn str_search(&mut self, method: &str, recv: &TExpr, mem: u32, arg: &TExpr) -> R {
        let im = self.add.instr_mem();
        let (pa, la, pb, lb) = (
            self.alloc.get(ValType::I32),
            self.alloc.get(ValType::I32),
            self.alloc.get(ValType::I32),
            self.alloc.get(ValType::I32),
        );
        self.expr(recv)?;
        self.emit(I::LocalSet(la));
        self.emit(I::LocalSet(pa));
        self.expr(arg)?;
        self.emit(I::LocalSet(lb));
        self.emit(I::LocalSet(pb));
        if method == "contains" {
            let f = crate::strings::contains(self.add, mem, im);
            self.code.extend([
                I::LocalGet(pa),
                I::LocalGet(la),
                I::LocalGet(pb),
                I::LocalGet(lb),
                I::Call(f),
            ]);
            return Ok(());
        }
        let eq = crate::strings::equal(self.add, mem, im);
        // la >= lb && eq(start, lb, pb, lb), start = pa or pa + la - lb
        self.code.extend([
            I::LocalGet(la),
            I::LocalGet(lb),
            I::I32GeU,
            I::If(BlockType::Result(ValType::I32)),
            I::LocalGet(pa),
        ]);
        if method == "ends_with" {
            self.code
                .extend([I::LocalGet(la), I::I32Add, I::LocalGet(lb), I::I32Sub]);
        }
        self.code.extend([
            I::LocalGet(lb),
            I::LocalGet(pb),
            I::LocalGet(lb),
            I::Call(eq),
            I::Else,
            I::I32Const(0),
            I::End,
        ]);
        Ok(())
    }

    /// Call an imported library function; returns its result types.
    fn lib_call(&mut self, lib: &str, func: &str, args: &[TExpr], span: Span) -> R<Vec<ValType>> {
        let Some(f) = self
            .state
            .lib_funcs
            .get(&(lib.to_string(), func.to_string()))
            .cloned()
        else {
            if lib == "whamm_core" {
                return crate::core_lib::call(self, func, args, span);
            }
            return unsupported(format!("`{lib}.{func}` (library not linked)"), span);
        };
        let given: Vec<ValType> = args.iter().flat_map(|a| val_types(&a.ty)).collect();
        if given != f.params {
            return unsupported(
                format!(
                    "calling `{lib}.{func}` with {given:?}: it takes {:?} (add casts)",
                    f.params
                ),
                span,
            );
        }
        for a in args {
            self.expr(a)?;
        }
        self.emit(I::Call(f.index));
        Ok(f.results)
    }

    /// A memory index as the output numbers it: a monitor's own memory is
    /// its instrumentation memory.
    fn own_memory(&mut self, m: u32) -> u32 {
        if m == crate::eval::MONITOR_MEMORY {
            self.add.instr_mem()
        } else {
            m
        }
    }

    fn builtin(&mut self, name: &str, args: &[TExpr], span: Span) -> R {
        let static_u32 = |lw: &Self, i: usize| match args.get(i).and_then(|a| eval(a, lw.site)) {
            Some(Value::Int(v)) => Some(v as u32),
            _ => None,
        };
        match name {
            "mem_size" => {
                let Some(m) = static_u32(self, 0) else {
                    return unsupported("`mem_size` of a memory chosen at run time", span);
                };
                let host = self.site.app_memory_host();
                match host.filter(|_| m != crate::eval::MONITOR_MEMORY) {
                    Some(host) => {
                        self.emit(I::I32Const(m as i32));
                        self.emit(I::Call(host.size));
                    }
                    None => {
                        let m = self.own_memory(m);
                        self.emit(I::MemorySize(m));
                    }
                }
                Ok(())
            }
            "memcpy" => {
                let (Some(src), Some(dst)) = (static_u32(self, 0), static_u32(self, 2)) else {
                    return unsupported("`memcpy` between memories chosen at run time", span);
                };
                let (src, dst) = (self.own_memory(src), self.own_memory(dst));
                self.expr(&args[3])?;
                self.expr(&args[1])?;
                self.expr(&args[4])?;
                self.emit(I::MemoryCopy {
                    src_mem: src,
                    dst_mem: dst,
                });
                Ok(())
            }
            // The operands are already off the stack in an alt probe.
            "drop_args" => Ok(()),
            // (addr, len) in the app's memory against a script string.
            "strcmp" | "strcontains" if self.site.app_memory_host().is_some() => {
                let host = self.site.app_memory_host().expect("checked");
                let im = self.add.instr_mem();
                let f = if name == "strcmp" {
                    crate::strings::equal(self.add, im, im)
                } else {
                    crate::strings::contains(self.add, im, im)
                };
                // A copy of the app's bytes, then compared here; a program
                // without a memory holds no string (false, as rewritten).
                let len = self.alloc.get(ValType::I32);
                self.code.extend([
                    I::I32Const(0),
                    I::Call(host.size),
                    I::I32Const(-1),
                    I::I32Eq,
                    I::If(BlockType::Result(ValType::I32)),
                    I::I32Const(0),
                    I::Else,
                ]);
                self.expr(&args[0])?;
                self.code.extend([
                    I::LocalTee(len),
                    I::I32Const(0),
                    I::Call(host.read),
                    I::LocalGet(len),
                ]);
                self.expr(&args[1])?;
                self.emit(I::Call(f));
                self.emit(I::End);
                Ok(())
            }
            "strcmp" | "strcontains" => {
                let Some(app) = self.site.app_memory() else {
                    // No memory, no string in it: false (whamm reads its
                    // own memory instead and answers by accident).
                    self.code.push(I::I32Const(0));
                    return Ok(());
                };
                let im = self.add.instr_mem();
                let f = if name == "strcmp" {
                    crate::strings::equal(self.add, app, im)
                } else {
                    crate::strings::contains(self.add, app, im)
                };
                self.expr(&args[0])?;
                self.expr(&args[1])?;
                self.emit(I::Call(f));
                Ok(())
            }
            // Copy bytes of a memory into a new script string.
            "read_str" => {
                let Some(src) = static_u32(self, 0) else {
                    return unsupported("`read_str` from a memory chosen at run time", span);
                };
                if let Some(host) = self.site.app_memory_host()
                    && src != crate::eval::MONITOR_MEMORY
                {
                    let len = self.alloc.get(ValType::I32);
                    self.expr(&args[1])?;
                    self.expr(&args[2])?;
                    self.code.extend([
                        I::LocalTee(len),
                        I::I32Const(src as i32),
                        I::Call(host.read),
                        I::LocalGet(len),
                    ]);
                    return Ok(());
                }
                let src = self.own_memory(src);
                let rt = crate::maps::MapRuntime::get(self.add);
                let im = self.add.instr_mem();
                let (ptr, len, dst) = (
                    self.alloc.get(ValType::I32),
                    self.alloc.get(ValType::I32),
                    self.alloc.get(ValType::I32),
                );
                self.expr(&args[1])?;
                self.emit(I::LocalSet(ptr));
                self.expr(&args[2])?;
                self.emit(I::LocalTee(len));
                self.emit(I::Call(rt.alloc));
                self.emit(I::LocalTee(dst));
                self.code.extend([
                    I::LocalGet(ptr),
                    I::LocalGet(len),
                    I::MemoryCopy {
                        src_mem: src,
                        dst_mem: im,
                    },
                    I::LocalGet(dst),
                    I::LocalGet(len),
                ]);
                Ok(())
            }
            // Copy a script string's bytes into a memory.
            "write_str" => {
                let Some(dst) = static_u32(self, 0) else {
                    return unsupported("`write_str` to a memory chosen at run time", span);
                };
                let dst = self.own_memory(dst);
                let im = self.add.instr_mem();
                let (a, l) = (self.alloc.get(ValType::I32), self.alloc.get(ValType::I32));
                self.expr(&args[2])?;
                self.emit(I::LocalSet(l));
                self.emit(I::LocalSet(a));
                self.expr(&args[1])?;
                self.code.extend([
                    I::LocalGet(a),
                    I::LocalGet(l),
                    I::MemoryCopy {
                        src_mem: im,
                        dst_mem: dst,
                    },
                ]);
                Ok(())
            }
            "alt_call_by_id" | "alt_call_by_name" => {
                let vals: Option<Vec<Value>> = args.iter().map(|a| eval(a, self.site)).collect();
                let Some(vals) = vals else {
                    return unsupported(format!("`{name}` with a target chosen at run time"), span);
                };
                match self.site.alt_call(name, &vals) {
                    Some(Ok(code)) if self.exit == Exit::Alt => {
                        self.code.extend(code);
                        // The call's results are the instruction's results.
                        self.emit(I::Br(self.depth));
                        Ok(())
                    }
                    Some(Err(why)) => unsupported(why, span),
                    _ => unsupported(format!("`{name}` outside an `alt` probe"), span),
                }
            }
            // The bulk-memory instruction again, its destination moved to
            // (mem, addr): the operands are the site's (arg2 dest, arg1
            // source/value/offset, arg0 length).
            "dup_at" => {
                let imm = |lw: &Self, n: &str| match lw.site.static_value(n, None) {
                    Some(Value::Int(v)) => Some(v as u32),
                    _ => None,
                };
                let op = match self.site.static_value("opname", None) {
                    Some(Value::Str(s)) => String::from_utf8_lossy(&s).into_owned(),
                    _ => String::new(),
                };
                if op.is_empty() {
                    // Only a monitor module does not know its instruction.
                    return unsupported(
                        "`dup_at`: it writes the program's memory, which a monitor must not change",
                        span,
                    );
                }
                let Some(mem) = static_u32(self, 0) else {
                    return unsupported("`dup_at` into a memory chosen at run time", span);
                };
                if mem > self.add.instr_mem() {
                    // The program's memories, then the instrumentation
                    // memory (`memid(whamm_core)`).
                    return unsupported(
                        format!("`dup_at` into memory {mem}: the program has no such memory"),
                        span,
                    );
                }
                let redo = match (op.as_str(), imm(self, "imm0"), imm(self, "imm1")) {
                    ("memory.fill", ..) => I::MemoryFill(mem),
                    ("memory.copy", _, Some(src)) => I::MemoryCopy {
                        src_mem: src,
                        dst_mem: mem,
                    },
                    ("memory.init", Some(data), _) => I::MemoryInit {
                        mem,
                        data_index: data,
                    },
                    _ => {
                        return unsupported(
                            "`dup_at` here: it repeats a memory.copy, memory.fill or memory.init",
                            span,
                        );
                    }
                };
                self.expr(&args[1])?;
                for n in ["arg1", "arg0"] {
                    match self.site.dynamic(n, None) {
                        Some(DynValue::Locals(ls)) => {
                            ls.iter().for_each(|l| self.code.push(I::LocalGet(*l)))
                        }
                        Some(DynValue::Code(c)) => self.code.extend(c),
                        None => return unsupported(format!("`dup_at`: `{n}` at this site"), span),
                    }
                }
                self.emit(redo);
                Ok(())
            }
            // The slot decides: wasm cannot compare function references,
            // so the reference itself is evaluated and dropped.
            "resolve_funcref" => {
                let slot = self.alloc.get(ValType::I32);
                self.expr(&args[0])?;
                self.emit(I::Drop);
                self.expr(&args[1])?;
                self.emit(I::LocalSet(slot));
                match self.site.resolve_funcref(slot) {
                    Some(code) => {
                        self.code.extend(code);
                        Ok(())
                    }
                    None if self.site.app_memory_host().is_some() => unsupported(
                        "`resolve_funcref` in a monitor, which cannot see the program's tables (`resolved_fid` works)",
                        span,
                    ),
                    None => unsupported(
                        self.site.missing("resolved_fid").unwrap_or_else(|| {
                            "`resolve_funcref` here (the site's table has no slot map)".into()
                        }),
                        span,
                    ),
                }
            }
            "memid" => unsupported(
                "`memid` of a user library in a monitor (the engine target links a library to the monitor, not to the program; `memid(whamm_core)` works)",
                span,
            ),
            "page_size" | "active_data_start" | "active_data_len" => unsupported(
                format!(
                    "`{name}` of a memory not known when instrumenting (a monitor module is built without the program)"
                ),
                span,
            ),
            other => unsupported(format!("`{other}`"), span),
        }
    }
}

/// Compile a user function into `func_index` (already reserved).
pub fn lower_function(
    add: &mut Additions,
    state: &ScriptState,
    f: &wham_lang::check::hir::Function,
    func_index: u32,
) -> R {
    let mut fixed = Vec::new();
    let mut next = 0u32;
    for &p in &f.params {
        let n = val_types(&f.locals[p].ty).len() as u32;
        fixed.push((p, (next..next + n).collect::<Vec<_>>()));
        next += n;
    }
    let mut alloc = LocalAlloc::new(next);
    let facts = crate::eval::NoFacts;
    let mut lw = Lowerer::new(add, state, &facts, &mut alloc, Exit::Function);
    lw.bind_vars(&f.locals, &fixed, &[]);
    lw.stmts(&f.body)?;
    // A function with a result that falls off its end returns the zero
    // value (the checker warns); keep the module valid.
    let results = val_types(&f.ret);
    let mut code = std::mem::take(&mut lw.code);
    if !results.is_empty() {
        code.push(I::Unreachable);
    }
    let body = crate::module::Body {
        locals: alloc.types.clone(),
        code,
    };
    add.define(func_index, body.finish());
    Ok(())
}
