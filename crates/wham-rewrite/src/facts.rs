//! The facts of one match site: static values folded into the probe, and
//! where each dynamic value comes from.

use crate::app::App;
use std::collections::HashMap;
use wasm_encoder::Instruction as I;
use wham_codegen::{DynValue, Site, StaticFacts};
use wham_events::{Event, ImmValue, Ty};
use wham_lang::check::hir::Value;

pub struct SiteFacts<'s, 'a> {
    pub evaluator: Option<&'s dyn crate::LibEvaluator>,
    /// Results of `@static` calls at this site, by position in the script:
    /// each call runs once per site however often it is folded.
    memo: std::cell::RefCell<HashMap<usize, Option<Value>>>,
    pub app: &'s App<'a>,
    pub fid: u32,
    pub pc: u32,
    pub opidx: u32,
    pub at_func_end: bool,
    /// Instructions in the basic block (`wasm:block:end`).
    pub instr_count: Option<u32>,
    pub event: Option<&'static Event>,
    pub imms: Vec<(&'static str, ImmValue)>,
    pub dynamic: HashMap<String, DynValue>,
    /// The function a directly preceding `ref.func` names (`call_ref`,
    /// `table.set`: their `resolved_fid`).
    pub prev_ref_func: Option<u32>,
    /// At an `alt` site: the locals holding the operands, bottom first.
    pub alt_operands: Vec<u32>,
    /// Output index of an app function (after an added import).
    pub func_index: Option<&'s dyn Fn(u32) -> u32>,
    /// The address of the probe's first per-site slot here, once
    /// allocated: the engine target's `probe_id` (its removal flag).
    pub probe_slot: std::cell::Cell<Option<u32>>,
    /// In a monitor: the host functions that read the app's memory.
    pub host: Option<wham_codegen::eval::AppMemoryHost>,
    /// The slot map of the table this site reads, (address, slots,
    /// memory), for `resolve_funcref` (see `shadow::Shadows::slots`).
    pub slots: Option<(u32, u32, u32)>,
    /// The report row's `pc` when it is not the site's: a function-level
    /// event's rows show its first instruction's, as whamm's do.
    pub row_pc: Option<u32>,
    /// All sites of this event in the function share one instance of the
    /// probe's per-site state (`func:exit`'s exits).
    pub per_function: bool,
}

impl<'s, 'a> SiteFacts<'s, 'a> {
    pub fn new(
        evaluator: Option<&'s dyn crate::LibEvaluator>,
        app: &'s App<'a>,
        fid: u32,
        pc: u32,
        opidx: u32,
    ) -> Self {
        SiteFacts {
            evaluator,
            memo: Default::default(),
            probe_slot: Default::default(),
            host: None,
            slots: None,
            row_pc: None,
            per_function: false,
            app,
            fid,
            pc,
            opidx,
            at_func_end: false,
            instr_count: None,
            event: None,
            imms: Vec::new(),
            dynamic: HashMap::new(),
            alt_operands: Vec::new(),
            prev_ref_func: None,
            func_index: None,
        }
    }

    /// `localN` reads the app function's own locals.
    pub fn add_locals(&mut self, count: usize) {
        for n in 0..count {
            self.dynamic
                .insert(format!("local{n}"), DynValue::Locals(vec![n as u32]));
        }
    }

    fn imm(&self, field: &str) -> Option<&ImmValue> {
        self.imms.iter().find(|(f, _)| *f == field).map(|(_, v)| v)
    }

    fn memarg(&self) -> Option<(u64, u8, u32)> {
        self.imms.iter().find_map(|(_, v)| match v {
            ImmValue::MemArg {
                offset,
                align,
                memory,
            } => Some((*offset, *align, *memory)),
            _ => None,
        })
    }

    fn targets(&self) -> Option<(&Vec<u32>, u32)> {
        self.imms.iter().find_map(|(_, v)| match v {
            ImmValue::Targets(t, d) => Some((t, *d)),
            _ => None,
        })
    }

    /// The callee of a direct call at this site.
    fn callee(&self) -> Option<u32> {
        match self.imm("function_index")? {
            ImmValue::Int(i) => Some(*i as u32),
            _ => None,
        }
    }

    fn imm_value(&self, n: u32) -> Option<Value> {
        let info = self.event?.opcode.as_ref()?;
        // As whamm numbers them: the labels, then the default.
        if let Some((targets, default)) = self.targets() {
            let n = n as usize;
            let label = targets
                .get(n)
                .copied()
                .or((n == targets.len()).then_some(default));
            return label.map(|t| Value::Int(t as i128));
        }
        let imm = info.imms.iter().find(|i| i.name == format!("imm{n}"))?;
        Some(match (self.imm(imm.field)?, &imm.ty) {
            (ImmValue::Int(i), Ty::U32) => Value::Int(*i as u32 as i128),
            (ImmValue::Int(i), _) => Value::Int(*i as i128),
            (ImmValue::F32(f), _) => Value::F32(*f),
            (ImmValue::F64(f), _) => Value::F64(*f),
            _ => return None,
        })
    }
}

fn int(v: impl Into<i128>) -> Option<Value> {
    Some(Value::Int(v.into()))
}

fn string(s: &str) -> Option<Value> {
    Some(Value::Str(s.as_bytes().to_vec()))
}

impl StaticFacts for SiteFacts<'_, '_> {
    fn static_value(&self, name: &str, index: Option<u32>) -> Option<Value> {
        let info = self.event.and_then(|e| e.opcode.as_ref());
        match name {
            "fid" => int(self.fid),
            "pc" => int(self.pc),
            "opidx" => int(self.opidx),
            "instr_count" => int(self.instr_count?),
            "at_func_end" => Some(Value::Bool(self.at_func_end)),
            "fname" => string(
                self.app
                    .func_names
                    .get(&self.fid)
                    .map_or("", |s| s.as_str()),
            ),
            "APP_MEMID" => int(self.app.memory(0)),
            "opname" => string(&self.event?.name),
            "bytecode" => int(info?.bytecode),
            "category_id" => int(info?.category.id()),
            "category_name" => string(info?.category.name()),
            "offset" => int(self.memarg()?.0),
            "align" => int(self.memarg()?.1),
            // The immediates' memory indices are the output's (see
            // `memories.rs`).
            "memory" => int(self.memarg()?.2),
            "data_size" => int(info?.mem?.size),
            "is_write" => Some(Value::Bool(info?.mem?.is_write)),
            // `targets[k]`: a map, so a missing index reads as 0.
            "targets" => {
                let (targets, _) = self.targets()?;
                int(targets.get(index? as usize).copied().unwrap_or(0))
            }
            "num_targets" => int(self.targets()?.0.len() as u32),
            "default_target" => int(self.targets()?.1),
            "target_fn_type" => {
                let c = self.callee()?;
                string(if c < self.app.num_func_imports() {
                    "import"
                } else {
                    "local"
                })
            }
            "target_imp_module" => {
                let c = self.callee()?;
                string(
                    self.app
                        .func_imports
                        .get(c as usize)
                        .map_or("", |i| i.module.as_str()),
                )
            }
            "target_fn_name" => {
                let c = self.callee()?;
                match self.app.func_imports.get(c as usize) {
                    Some(i) => string(&i.name),
                    None => string(self.app.func_names.get(&c).map_or("", |s| s.as_str())),
                }
            }
            "resolved_fid" => match self.event.map(|e| e.name.as_str()) {
                Some("ref.func") => self.imm_value(0),
                _ => int(self.prev_ref_func.map_or(-1, |f| f as i64)),
            },
            "probe_id" => int(self.probe_slot.get()?),
            "tid" => self.imm_value(0),
            "field_idx" => self.imm_value(1),
            n if n.starts_with("imm") => {
                let i = index.or_else(|| n[3..].parse().ok())?;
                self.imm_value(i)
            }
            _ => None,
        }
    }

    fn lib_call(&self, lib: &str, func: &str, args: &[Value], ty: &Ty, at: usize) -> Option<Value> {
        if let Some(v) = self.memo.borrow().get(&at) {
            return v.clone();
        }
        let result = self.evaluator.and_then(|ev| {
            let wargs: Vec<crate::WasmVal> = args.iter().map(to_wasm).collect::<Option<_>>()?;
            let out = ev.call(lib, func, &wargs).ok()?;
            from_wasm(out.first()?, ty)
        });
        self.memo.borrow_mut().insert(at, result.clone());
        result
    }

    fn app_memory(&self) -> Option<u32> {
        (!self.app.memories.is_empty()).then(|| self.app.memory(0))
    }

    fn app_memory_host(&self) -> Option<wham_codegen::eval::AppMemoryHost> {
        self.host
    }

    fn static_call(&self, name: &str, args: &[Value]) -> Option<Value> {
        // The built-in whamm_core's memory is the instrumentation memory,
        // which comes last; a user library's is imported (`memories.rs`).
        if name == "memid" {
            return match args.first() {
                // A monitor (it reads the app through the host) names its
                // own memory apart from the app's.
                Some(Value::Str(lib)) if lib == crate::plan::CORE.as_bytes() => {
                    if self.host.is_some() {
                        int(wham_codegen::eval::MONITOR_MEMORY)
                    } else {
                        int(self.app.instr_memory())
                    }
                }
                Some(Value::Str(lib)) => int(self.app.lib_memory(&String::from_utf8_lossy(lib))?),
                _ => None,
            };
        }
        let out = match args.first() {
            Some(Value::Int(m)) => u32::try_from(*m).ok()?,
            _ => return None,
        };
        if name == "page_size"
            && let Some(lib) = self.app.lib_memory_at(out)
        {
            return int(1u64 << lib.ty.page_size_log2.unwrap_or(16));
        }
        let mem = self.app.app_memory_at(out)? as usize;
        match name {
            // Only ever static in a `@static` call's arguments: computed
            // before the program runs, so the initial size.
            "mem_size" => int(u32::try_from(self.app.memories.get(mem)?.initial).ok()?),
            "page_size" => {
                let m = self.app.memories.get(mem)?;
                int(1u64 << m.page_size_log2.unwrap_or(16))
            }
            "active_data_start" | "active_data_len" => {
                // No such memory (or no app: a monitor) is no value at all.
                self.app.memories.get(mem)?;
                let segs: Vec<_> = self
                    .app
                    .active_data
                    .iter()
                    .filter(|d| d.0 as usize == mem)
                    .collect();
                let start = segs.iter().map(|d| d.1).min().unwrap_or(0);
                let end = segs.iter().map(|d| d.2).max().unwrap_or(0);
                if name == "active_data_start" {
                    int(start as u32)
                } else {
                    int((end - start) as u32)
                }
            }
            _ => None,
        }
    }
}

impl Site for SiteFacts<'_, '_> {
    fn dynamic(&self, name: &str, index: Option<u32>) -> Option<DynValue> {
        let _ = index;
        self.dynamic.get(name).cloned()
    }

    fn missing(&self, name: &str) -> Option<String> {
        let table = match self.event.map(|e| e.name.as_str())? {
            "call_indirect" | "return_call_indirect" => self.static_value("imm1", None),
            "table.get" => self.static_value("imm0", None),
            _ => None,
        };
        match (name, table) {
            ("resolved_fid", Some(Value::Int(t)))
                if self.app.tables_opaque.contains(&(t as u32)) =>
            {
                Some(format!(
                    "`resolved_fid` through table {t}: its element segments are placed at offsets known only at run time"
                ))
            }
            _ => None,
        }
    }

    fn resolve_funcref(&self, slot: u32) -> Option<Vec<I<'static>>> {
        let (addr, len, im) = self.slots?;
        Some(crate::shadow::Shadows::lookup(addr, len, im, slot))
    }

    fn alt_call(&self, name: &str, args: &[Value]) -> Option<Result<Vec<I<'static>>, String>> {
        let callee = self.callee()?;
        let target = match (name, args) {
            ("alt_call_by_id", [Value::Int(n)]) => u32::try_from(*n).ok(),
            ("alt_call_by_name", [Value::Str(s)]) => {
                let s = String::from_utf8_lossy(s);
                self.app.func_index_by_name(&s)
            }
            _ => None,
        };
        let Some(target) = target.filter(|t| (*t as usize) < self.app.func_types.len()) else {
            return Some(Err(format!("`{name}` names no function of this app")));
        };
        if self.app.func_sig(target) != self.app.func_sig(callee) {
            return Some(Err(format!(
                "`{name}` names function {target}, whose type differs from the called function {callee}"
            )));
        }
        let mut code: Vec<I<'static>> = self.alt_operands.iter().map(|l| I::LocalGet(*l)).collect();
        let index = self.func_index.map_or(target, |f| f(target));
        code.push(I::Call(index));
        Some(Ok(code))
    }
}

fn to_wasm(v: &Value) -> Option<crate::WasmVal> {
    use crate::WasmVal as W;
    Some(match v {
        // Integers pass as i32 unless they need 64 bits.
        Value::Int(i) if i32::try_from(*i).is_ok() || u32::try_from(*i).is_ok() => {
            W::I32(*i as i32)
        }
        Value::Int(i) => W::I64(*i as i64),
        Value::Bool(b) => W::I32(*b as i32),
        Value::F32(f) => W::F32(*f),
        Value::F64(f) => W::F64(*f),
        Value::Str(s) => W::Str(s.clone()),
        _ => return None,
    })
}

fn from_wasm(v: &crate::WasmVal, ty: &Ty) -> Option<Value> {
    use crate::WasmVal as W;
    let int = |i: i128| Some(Value::Int(wham_lang::check::fold::normalize(ty, i)));
    match (v, ty) {
        (W::I32(i), Ty::Bool) => Some(Value::Bool(*i != 0)),
        (W::I32(i), t) if t.is_integer() => int(if t.is_signed() {
            *i as i128
        } else {
            *i as u32 as i128
        }),
        (W::I64(i), t) if t.is_integer() => int(*i as i128),
        (W::F32(f), Ty::F32) => Some(Value::F32(*f)),
        (W::F64(f), Ty::F64) => Some(Value::F64(*f)),
        _ => None,
    }
}
