//! Where memories land in the output. A user library's memory that a
//! script names with `memid(lib)` is imported, and imported memories come
//! first in the index space: after the app's own imported memories, before
//! its defined ones, which move up by one each. The instrumentation memory
//! comes last. Every memory index a script sees (`APP_MEMID`, `memid`,
//! `memory`, the memory immediates) is the output's.

use crate::Error;
use crate::app::App;
use wasm_encoder::MemoryType;
use wham_codegen::lower::Unsupported;
use wham_codegen::uses::{Node, walk};
use wham_lang::CheckedScript;
use wham_lang::check::hir::{TExprKind, Value};
use wham_lang::span::Span;

/// A library memory the output imports.
#[derive(Clone, Debug)]
pub struct LibMemory {
    /// The library's script name.
    pub lib: String,
    /// The module the output imports from (its `memory` export).
    pub module: String,
    pub ty: MemoryType,
}

/// The memories of the user libraries the script names with `memid`, in
/// the order of first use; each must export a memory named `memory`.
pub fn lib_memories(
    script: &CheckedScript<'_>,
    libs: &[crate::UserLib],
) -> Result<Vec<LibMemory>, Error> {
    let mut named: Vec<(String, wham_lang::span::Span)> = Vec::new();
    let mut look = |n: Node<'_>| {
        if let Node::Expr(e) = n
            && let TExprKind::Builtin { name, args, .. } = &e.kind
            && name == "memid"
            && let Some(TExprKind::Const(Value::Str(lib))) = args.first().map(|a| &a.kind)
        {
            let lib = String::from_utf8_lossy(lib).into_owned();
            if lib != crate::plan::CORE && !named.iter().any(|(l, _)| *l == lib) {
                named.push((lib, e.span));
            }
        }
    };
    for p in &script.probes {
        walk(p.predicate.as_ref(), &p.body, &mut look);
    }
    for f in &script.functions {
        walk(None, &f.body, &mut look);
    }
    walk(None, &script.global_init, &mut look);

    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (lib, span) in named {
        let Some(user_lib) = libs.iter().find(|l| l.name == lib) else {
            errors.push(Unsupported {
                what: format!(
                    "`memid({lib})`: no module given for library `{lib}` (add `--user-libs {lib}=PATH.wasm`)"
                ),
                span,
            });
            continue;
        };
        match exported_memory(&user_lib.bytes) {
            Ok(ty) => out.push(LibMemory {
                lib,
                module: user_lib.module.clone(),
                ty,
            }),
            Err(why) => errors.push(Unsupported {
                what: format!("`memid({lib})`: {why}"),
                span,
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Script(errors))
    }
}

/// Built-ins whose first argument is a memory index.
const MEMORY_ARG_FNS: &[&str] = &[
    "mem_size",
    "page_size",
    "active_data_start",
    "active_data_len",
    "read_str",
    "write_str",
    "memcpy",
];

/// Every memory index the script writes as a number, with the built-in
/// that takes it and where.
pub fn literal_memory_indices(script: &CheckedScript<'_>) -> Vec<(String, i128, Span)> {
    let mut out = Vec::new();
    let mut look = |n: Node<'_>| {
        if let Node::Expr(e) = n
            && let TExprKind::Builtin { name, args, .. } = &e.kind
            && MEMORY_ARG_FNS.contains(&name.as_str())
        {
            // memcpy(src_mem, src, dst_mem, dst, len) names two memories.
            let at: &[usize] = if name == "memcpy" { &[0, 2] } else { &[0] };
            for &i in at {
                if let Some(TExprKind::Const(Value::Int(m))) = args.get(i).map(|a| &a.kind) {
                    out.push((name.clone(), *m, args[i].span));
                }
            }
        }
    };
    for p in &script.probes {
        walk(p.predicate.as_ref(), &p.body, &mut look);
    }
    for f in &script.functions {
        walk(None, &f.body, &mut look);
    }
    walk(None, &script.global_init, &mut look);
    out
}

/// The error for a memory index the app does not have.
pub fn missing_memory(name: &str, m: i128, span: Span, count: usize) -> Unsupported {
    Unsupported {
        what: format!(
            "`{name}` names memory {m}, but the program has {count} {} (use `APP_MEMID` for its first, `memid(lib)` for a library's)",
            if count == 1 { "memory" } else { "memories" }
        ),
        span,
    }
}

/// A memory index written as a number must name a memory there is: one
/// of the app's, a library's (`memid`) or the instrumentation's.
pub fn check_memory_indices(script: &CheckedScript<'_>, app: &App) -> Result<(), Error> {
    let known = |m: u32| {
        app.app_memory_at(m).is_some() || app.lib_memory_at(m).is_some() || m == app.instr_memory()
    };
    let errors: Vec<Unsupported> = literal_memory_indices(script)
        .into_iter()
        .filter(|(_, m, _)| !u32::try_from(*m).is_ok_and(known))
        .map(|(name, m, span)| missing_memory(&name, m, span, app.memories.len()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Misfit(errors))
    }
}

/// The type of the memory a library exports as `memory`.
fn exported_memory(bytes: &[u8]) -> Result<MemoryType, String> {
    use wasmparser::{ExternalKind, Parser, Payload, TypeRef};
    let mut memories = Vec::new();
    let mut export = None;
    for payload in Parser::new(0).parse_all(bytes) {
        let bad = |e: wasmparser::BinaryReaderError| format!("the library module is invalid: {e}");
        match payload.map_err(bad)? {
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    if let TypeRef::Memory(m) = imp.map_err(bad)?.ty {
                        memories.push(m);
                    }
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    memories.push(m.map_err(bad)?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(bad)?;
                    if e.name == "memory" && e.kind == ExternalKind::Memory {
                        export = Some(e.index);
                    }
                }
            }
            _ => {}
        }
    }
    let m = export
        .and_then(|i| memories.get(i as usize))
        .ok_or("the library exports no memory named `memory`")?;
    Ok(MemoryType {
        minimum: m.initial,
        maximum: m.maximum,
        memory64: m.memory64,
        shared: m.shared,
        page_size_log2: m.page_size_log2,
    })
}

impl App<'_> {
    /// The output index of the app's memory `m`.
    pub fn memory(&self, m: u32) -> u32 {
        if m < self.num_imported_memories {
            m
        } else {
            m + self.lib_memories.len() as u32
        }
    }

    /// The app's memory at output index `out`, if it is one.
    pub fn app_memory_at(&self, out: u32) -> Option<u32> {
        let libs = self.lib_memories.len() as u32;
        let m = if out < self.num_imported_memories {
            out
        } else {
            out.checked_sub(libs)
                .filter(|m| *m >= self.num_imported_memories)?
        };
        ((m as usize) < self.memories.len()).then_some(m)
    }

    /// The output index of library `lib`'s memory (`memid(lib)`).
    pub fn lib_memory(&self, lib: &str) -> Option<u32> {
        let k = self.lib_memories.iter().position(|l| l.lib == lib)?;
        Some(self.num_imported_memories + k as u32)
    }

    /// The output index of the instrumentation memory.
    pub fn instr_memory(&self) -> u32 {
        (self.memories.len() + self.lib_memories.len()) as u32
    }

    /// Whether the app's memories move (a library memory was imported).
    pub fn memories_move(&self) -> bool {
        !self.lib_memories.is_empty() && self.num_imported_memories < self.memories.len() as u32
    }

    /// The library memory at output index `out`, if it is one.
    pub fn lib_memory_at(&self, out: u32) -> Option<&LibMemory> {
        let k = out.checked_sub(self.num_imported_memories)?;
        self.lib_memories.get(k as usize)
    }

    /// An instruction's immediates as a script sees them: memory indices
    /// are the output's.
    pub fn immediates(
        &self,
        op: &wasmparser::Operator<'_>,
    ) -> Vec<(&'static str, wham_events::ImmValue)> {
        use wham_events::ImmValue;
        let mut imms = wham_events::immediates(op);
        if self.lib_memories.is_empty() {
            return imms;
        }
        for (name, v) in &mut imms {
            match v {
                ImmValue::MemArg { memory, .. } => *memory = self.memory(*memory),
                ImmValue::Int(m) if matches!(*name, "mem" | "dst_mem" | "src_mem") => {
                    *m = self.memory(*m as u32) as i64
                }
                _ => {}
            }
        }
        imms
    }
}
