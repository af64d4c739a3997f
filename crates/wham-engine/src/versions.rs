//! Two versions of code whose probes can remove themselves
//! (`dyninstr.remove_probe`): the woven one, and the app's own. A counter
//! of live probes per region (each woven function, and each loop in it)
//! picks the version when the region is entered, so once every probe of a
//! region has removed itself the region runs the app's code with no guard
//! left inside it: one load and branch per call and per loop entry, not
//! per instruction. Loops nest: an outer loop's woven version holds its
//! inner loops' two versions, its plain version their plain ones. A
//! function's woven version is a function of its own, appended, which the
//! plain one tail-calls from its entry while the function has live probes.
//!
//! The host decrements a region's counter when one of its probes is
//! removed for the first time (`wham_host::Session::probe_regions`).
//! Counters live in pages added to the end of the probe-flags memory.
//!
//! The plain version is read off the woven code: each app instruction is
//! at the woven pc the code map records, re-encoded for the woven module
//! already. Regions whose branches cannot be renumbered simply (tables of
//! exception handlers, GC branches) keep only the woven version.

use std::collections::HashMap;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{BlockType, CodeSection, DataSection, Encode, Instruction as I, MemArg};
use wasmparser::{ExternalKind, Operator, Parser, Payload};
use wham_rewrite::{CodeMap, Placement};

/// The woven program with its versions.
pub struct Versioned {
    pub bytes: Vec<u8>,
    /// Per defined function: (new pc, woven pc) of each instruction, in
    /// order; `None` when the body is the woven one.
    pub pcs: Vec<Option<Vec<(u32, u32)>>>,
    /// The woven copies appended after the defined functions, in order:
    /// which defined function each copies, and its (new pc, woven pc)s.
    pub copies: Vec<(u32, Vec<(u32, u32)>)>,
    /// Per probe flag (`probe_id`): the counters of the regions its site
    /// is in.
    pub regions: Vec<(u32, Vec<u32>)>,
}

impl Versioned {
    /// The woven (defined function, pc) of a place in defined function
    /// `k` of the versioned program.
    pub fn woven_place(&self, k: u32, pc: u32) -> (u32, u32) {
        let (k, pairs) = match k.checked_sub(self.pcs.len() as u32) {
            Some(j) => match self.copies.get(j as usize) {
                Some((of, pairs)) => (*of, Some(pairs)),
                None => (k, None),
            },
            None => (k, self.pcs.get(k as usize).and_then(Option::as_ref)),
        };
        let pc = match pairs {
            Some(pairs) => match pairs.partition_point(|(new, _)| *new <= pc) {
                0 => pc,
                n => pairs[n - 1].1,
            },
            None => pc,
        };
        (k, pc)
    }
}

/// A function's new body (locals included) and its (new pc, woven pc)
/// pairs.
type NewBody = (Vec<u8>, Vec<(u32, u32)>);

/// One operator of a body: where it starts and ends, from the body's start.
struct Op<'a> {
    op: Operator<'a>,
    at: u32,
    end: u32,
}

fn ops<'a>(body: &wasmparser::FunctionBody<'a>) -> Result<Vec<Op<'a>>, String> {
    let start = body.range().start;
    let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
    let mut out: Vec<Op<'_>> = Vec::new();
    while !reader.eof() {
        let (op, off) = reader.read_with_offset().map_err(|e| e.to_string())?;
        let at = (off - start) as u32;
        if let Some(last) = out.last_mut() {
            last.end = at;
        }
        out.push(Op { op, at, end: 0 });
    }
    let end = (body.range().end - start) as u32;
    if let Some(last) = out.last_mut() {
        last.end = end;
    }
    Ok(out)
}

/// One function's inputs: the app's instructions, the woven ones, and
/// for each app instruction the index of its woven copy.
struct Func<'a> {
    woven_bytes: &'a [u8],
    woven: Vec<Op<'a>>,
    /// Per app instruction: index into `woven`.
    at: Vec<usize>,
    app: Vec<Op<'a>>,
}

/// Whether a function's branches are ones [`Emitter::copy`] renumbers.
fn simple_branches(op: &Operator<'_>) -> bool {
    !matches!(
        op,
        Operator::TryTable { .. }
            | Operator::Try { .. }
            | Operator::Delegate { .. }
            | Operator::Rethrow { .. }
            | Operator::Catch { .. }
            | Operator::CatchAll
            | Operator::BrOnNull { .. }
            | Operator::BrOnNonNull { .. }
            | Operator::BrOnCast { .. }
            | Operator::BrOnCastFail { .. }
            | Operator::BrOnCastDescEq { .. }
            | Operator::BrOnCastDescEqFail { .. }
    )
}

fn opens(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. }
    )
}

/// Writes a new body, renumbering branches: each open construct knows
/// whether an `if` was put around it, and a branch out of such constructs
/// is one label further per `if` it now leaves.
struct Emitter<'f> {
    bytes: &'f [u8],
    out: Vec<u8>,
    /// (new pc, woven pc), pcs from the body's start.
    pcs: Vec<(u32, u32)>,
    /// Open constructs, outermost first: whether an `if` wraps it.
    open: Vec<bool>,
}

impl Emitter<'_> {
    /// Copy woven instruction `op`; `wrapped` when an `if` was just put
    /// around the construct it opens.
    fn copy(&mut self, op: &Op<'_>, wrapped: bool) {
        self.pcs.push((self.out.len() as u32, op.at));
        let n = self.open.len();
        // A branch to the `r`-th enclosing label leaves the innermost `r`
        // constructs, and the `if` around each wrapped one.
        let moved = |r: u32| {
            let left = (r as usize).min(n);
            r + self.open[n - left..].iter().filter(|w| **w).count() as u32
        };
        match &op.op {
            Operator::Br { relative_depth } => I::Br(moved(*relative_depth)).encode(&mut self.out),
            Operator::BrIf { relative_depth } => {
                I::BrIf(moved(*relative_depth)).encode(&mut self.out)
            }
            Operator::BrTable { targets } => {
                let ts: Vec<u32> = targets
                    .targets()
                    .filter_map(Result::ok)
                    .map(moved)
                    .collect();
                I::BrTable(ts.into(), moved(targets.default())).encode(&mut self.out)
            }
            _ => self
                .out
                .extend_from_slice(&self.bytes[op.at as usize..op.end as usize]),
        }
        if opens(&op.op) {
            self.open.push(wrapped);
        } else if matches!(op.op, Operator::End) {
            self.open.pop();
        }
    }
}

/// A loop chosen by a counter: the app instructions `first..=last`.
struct Region {
    counter: u32,
    first: usize,
    last: usize,
}

impl Func<'_> {
    /// The woven body, with the loops of `loops` (keyed by their woven
    /// index) versioned.
    fn woven_body(&self, e: &mut Emitter<'_>, loops: &HashMap<usize, &Region>, mem: u32) {
        // Regions whose woven version is being written, innermost last.
        let mut inside: Vec<&Region> = Vec::new();
        for (w, op) in self.woven.iter().enumerate() {
            let region = loops.get(&w).copied();
            if let Some(r) = region {
                let Operator::Loop { blockty } = op.op else {
                    unreachable!("regions start at a loop")
                };
                let bt = RoundtripReencoder
                    .block_type(blockty)
                    .unwrap_or(BlockType::Empty);
                guard(&mut e.out, r.counter, mem, bt);
                inside.push(r);
            }
            e.copy(op, region.is_some());
            while let Some(r) = inside.last().copied().filter(|r| self.at[r.last] == w) {
                inside.pop();
                // The loop's own `end` closed it; the plain one follows,
                // inside the same `if`.
                I::Else.encode(&mut e.out);
                self.plain_range(e, r.first, r.last, true);
                I::End.encode(&mut e.out);
            }
        }
    }

    /// The app's own instructions `first..=last`, read at their woven pcs;
    /// `wrapped`: an `if` is around the first, a loop.
    fn plain_range(&self, e: &mut Emitter<'_>, first: usize, last: usize, wrapped: bool) {
        for a in first..=last {
            let op = &self.woven[self.at[a]];
            e.copy(op, wrapped && a == first);
        }
    }
}

/// `if (counter != 0)`: the woven version follows, the plain one after
/// `else`.
fn guard(out: &mut Vec<u8>, counter: u32, mem: u32, bt: BlockType) {
    I::I32Const(counter as i32).encode(out);
    I::I32Load(MemArg {
        offset: 0,
        align: 2,
        memory_index: mem,
    })
    .encode(out);
    I::If(bt).encode(out);
}

/// The app's loops, as (first, last) instruction indices.
fn app_loops(app: &[Op<'_>]) -> Vec<(usize, usize)> {
    // Open constructs: their first instruction, if it is a loop.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut out = Vec::new();
    for (i, op) in app.iter().enumerate() {
        match op.op {
            Operator::Loop { .. } => open.push(Some(i)),
            Operator::Block { .. }
            | Operator::If { .. }
            | Operator::Try { .. }
            | Operator::TryTable { .. } => open.push(None),
            Operator::End => {
                if let Some(Some(first)) = open.pop() {
                    out.push((first, i));
                }
            }
            _ => {}
        }
    }
    out
}

/// Counters allocated so far and the flag -> counters map.
struct Counters {
    base: u32,
    initial: Vec<u32>,
    regions: HashMap<u32, Vec<u32>>,
}

impl Counters {
    /// Pages the counters take, added to the flags memory.
    fn pages(&self) -> u64 {
        (4 * self.initial.len() as u64).div_ceil(65536)
    }

    /// A counter for a region with these placements; `None` when it has
    /// none (nothing to version).
    fn add(&mut self, placements: &[&Placement]) -> Option<u32> {
        if placements.is_empty() {
            return None;
        }
        let addr = self.base + 4 * self.initial.len() as u32;
        self.initial.push(placements.len() as u32);
        for p in placements {
            // A probe without a flag never goes: the region stays woven.
            if let Some(flag) = p.slot {
                self.regions.entry(flag).or_default().push(addr);
            }
        }
        Some(addr)
    }
}

/// Version the woven program (`None`: nothing to version). `app` is the
/// program as the user gave it, `flags` the export name of the memory
/// that holds the probe flags.
pub fn version(
    woven: &[u8],
    app: &[u8],
    code_map: &CodeMap,
    placements: &[Placement],
    flags: &str,
) -> Result<Option<Versioned>, String> {
    let err = |e: wasmparser::BinaryReaderError| e.to_string();
    // The flags memory: its index and where pages added to it start.
    let mut memories = Vec::new();
    let mut flags_memory = None;
    let mut woven_bodies = Vec::new();
    // Per type: its number of parameters; per defined function: its type.
    let mut params = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imported_funcs = 0u32;
    for payload in Parser::new(0).parse_all(woven) {
        match payload.map_err(err)? {
            Payload::TypeSection(r) => {
                for group in r {
                    for t in group.map_err(err)?.into_types() {
                        params.push(match t.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => Some(f.params().len()),
                            _ => None,
                        });
                    }
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    func_types.push(t.map_err(err)?);
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    match imp.map_err(err)?.ty {
                        wasmparser::TypeRef::Memory(m) => memories.push(Some(m)),
                        wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_) => {
                            imported_funcs += 1
                        }
                        _ => {}
                    }
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    memories.push(Some(m.map_err(err)?));
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(err)?;
                    if e.kind == ExternalKind::Memory && e.name == flags {
                        flags_memory = Some(e.index);
                    }
                }
            }
            Payload::CodeSectionEntry(b) => woven_bodies.push(b),
            _ => {}
        }
    }
    let Some(mem) = flags_memory else {
        return Ok(None);
    };
    let Some(Some(ty)) = memories.get(mem as usize).copied() else {
        return Ok(None);
    };
    if ty.memory64 || ty.shared || ty.page_size_log2.is_some() {
        return Ok(None);
    }
    let app_bodies: Vec<_> = Parser::new(0)
        .parse_all(app)
        .filter_map(|p| match p {
            Ok(Payload::CodeSectionEntry(b)) => Some(b),
            _ => None,
        })
        .collect();
    let mut counters = Counters {
        base: (ty.initial * 65536) as u32,
        initial: Vec::new(),
        regions: HashMap::new(),
    };
    let mut by_func: HashMap<u32, Vec<&Placement>> = HashMap::new();
    for p in placements {
        by_func.entry(p.fid).or_default().push(p);
    }
    let mut bodies: Vec<Option<NewBody>> = Vec::new();
    // Woven copies appended as functions: (type, copied function, body).
    let mut copies: Vec<(u32, u32, NewBody)> = Vec::new();
    let defined = woven_bodies.len() as u32;
    for (k, woven_body) in woven_bodies.iter().enumerate() {
        let fid = code_map.app_imports + k as u32;
        let ty = func_types.get(k).copied().unwrap_or_default();
        let copy_index = imported_funcs + defined + copies.len() as u32;
        let shape = Shape {
            params: params.get(ty as usize).copied().flatten(),
            copy_index,
            mem,
        };
        let body = match (code_map.pcs.get(k), app_bodies.get(k), by_func.get(&fid)) {
            (Some(Some(pairs)), Some(app_body), Some(here)) => one_function(
                woven_body,
                app_body,
                pairs,
                here,
                woven,
                &shape,
                &mut counters,
            )?,
            _ => None,
        };
        bodies.push(body.map(|v| {
            if let Some(copy) = v.copy {
                copies.push((ty, k as u32, copy));
            }
            v.body
        }));
    }
    // The counters need pages the memory may not have room for.
    let room = ty
        .maximum
        .is_none_or(|m| m >= ty.initial + counters.pages());
    if counters.initial.is_empty() || !room {
        return Ok(None);
    }
    let bytes = assemble(woven, mem, &bodies, &copies, &counters)?;
    Ok(Some(Versioned {
        bytes,
        pcs: bodies.into_iter().map(|b| b.map(|(_, pcs)| pcs)).collect(),
        copies: copies
            .into_iter()
            .map(|(_, k, (_, pcs))| (k, pcs))
            .collect(),
        regions: counters.regions.into_iter().collect(),
    }))
}

/// What a function's versions need to know of the module.
struct Shape {
    /// Its number of parameters (`None`: not a function type we read).
    params: Option<usize>,
    /// The index its woven copy gets, if it has one.
    copy_index: u32,
    mem: u32,
}

/// A function's new body and, when the whole function is versioned, the
/// woven copy its guard tail-calls.
struct Versions {
    body: NewBody,
    copy: Option<NewBody>,
}

/// One function's new body, or `None` to keep the woven one.
#[allow(clippy::too_many_arguments)]
fn one_function(
    woven_body: &wasmparser::FunctionBody<'_>,
    app_body: &wasmparser::FunctionBody<'_>,
    pairs: &[(u32, u32)],
    here: &[&Placement],
    woven: &[u8],
    shape: &Shape,
    counters: &mut Counters,
) -> Result<Option<Versions>, String> {
    let mem = shape.mem;
    let woven_ops = ops(woven_body)?;
    let app_ops = ops(app_body)?;
    let index_of: HashMap<u32, usize> = woven_ops
        .iter()
        .enumerate()
        .map(|(i, o)| (o.at, i))
        .collect();
    let woven_at: HashMap<u32, u32> = pairs.iter().map(|&(w, a)| (a, w)).collect();
    let mut at = Vec::with_capacity(app_ops.len());
    for op in &app_ops {
        match woven_at.get(&op.at).and_then(|w| index_of.get(w)) {
            // The woven copy must be the same instruction (an `alt`
            // replaced it, or its labels moved, otherwise).
            Some(&w) if same_kind(&woven_ops[w].op, &op.op) => at.push(w),
            _ => return Ok(None),
        }
    }
    if app_ops.iter().any(|o| !simple_branches(&o.op)) {
        return Ok(None);
    }
    let range = woven_body.range();
    let f = Func {
        woven_bytes: &woven[range.start..range.end],
        woven: woven_ops,
        at,
        app: app_ops,
    };
    let mut loops = Vec::new();
    for (first, last) in app_loops(&f.app) {
        let (lo, hi) = (f.app[first].at, f.app[last].at);
        let inside: Vec<&Placement> = here
            .iter()
            .copied()
            .filter(|p| (lo..=hi).contains(&p.pc))
            .collect();
        if let Some(counter) = counters.add(&inside) {
            loops.push(Region {
                counter,
                first,
                last,
            });
        }
    }
    let whole = counters.add(here);
    let loops_at: HashMap<usize, &Region> = loops.iter().map(|r| (f.at[r.first], r)).collect();
    let header = f.woven[0].at;
    let emitter = || Emitter {
        bytes: f.woven_bytes,
        out: f.woven_bytes[..header as usize].to_vec(),
        pcs: Vec::new(),
        open: Vec::new(),
    };
    let mut woven_version = emitter();
    f.woven_body(&mut woven_version, &loops_at, mem);
    let woven_version = (woven_version.out, woven_version.pcs);
    match (whole, shape.params) {
        // The function itself: the app's code, whose entry tail-calls the
        // woven copy while any of its probes is live. Two functions, not
        // one with both: a call of the plain one pays only its own frame.
        (Some(counter), Some(params)) => {
            let mut e = emitter();
            guard(&mut e.out, counter, mem, BlockType::Empty);
            for p in 0..params as u32 {
                I::LocalGet(p).encode(&mut e.out);
            }
            I::ReturnCall(shape.copy_index).encode(&mut e.out);
            I::End.encode(&mut e.out);
            f.plain_range(&mut e, 0, f.app.len() - 1, false);
            Ok(Some(Versions {
                body: (e.out, e.pcs),
                copy: Some(woven_version),
            }))
        }
        _ => Ok(Some(Versions {
            body: woven_version,
            copy: None,
        })),
    }
}

/// Whether a woven instruction is the app's (same operator, indices
/// aside; branch depths equal).
fn same_kind(woven: &Operator<'_>, app: &Operator<'_>) -> bool {
    match (woven, app) {
        (Operator::Br { relative_depth: a }, Operator::Br { relative_depth: b })
        | (Operator::BrIf { relative_depth: a }, Operator::BrIf { relative_depth: b }) => a == b,
        (Operator::BrTable { targets: a }, Operator::BrTable { targets: b }) => {
            a.default() == b.default()
                && a.targets()
                    .filter_map(Result::ok)
                    .eq(b.targets().filter_map(Result::ok))
        }
        _ => std::mem::discriminant(woven) == std::mem::discriminant(app),
    }
}

/// The woven module with the new bodies, pages more of the flags memory
/// and the counters' first values in it.
fn assemble(
    woven: &[u8],
    mem: u32,
    bodies: &[Option<NewBody>],
    copies: &[(u32, u32, NewBody)],
    counters: &Counters,
) -> Result<Vec<u8>, String> {
    let err = |e: wasmparser::BinaryReaderError| e.to_string();
    let mut module = wasm_encoder::Module::new();
    let mut imported_memories = 0u32;
    let mut code = CodeSection::new();
    let mut k = 0usize;
    let mut data = DataSection::new();
    let init: Vec<u8> = counters
        .initial
        .iter()
        .flat_map(|c| c.to_le_bytes())
        .collect();
    let counters_segment = |data: &mut DataSection| {
        data.active(
            mem,
            &wasm_encoder::ConstExpr::i32_const(counters.base as i32),
            init.iter().copied(),
        );
    };
    let mut wrote_data = false;
    for payload in Parser::new(0).parse_all(woven) {
        let payload = payload.map_err(err)?;
        match &payload {
            Payload::ImportSection(r) => {
                for imp in r.clone().into_imports() {
                    if matches!(imp.map_err(err)?.ty, wasmparser::TypeRef::Memory(_)) {
                        imported_memories += 1;
                    }
                }
            }
            Payload::MemorySection(r) => {
                let mut s = wasm_encoder::MemorySection::new();
                for (i, m) in r.clone().into_iter().enumerate() {
                    let mut m = RoundtripReencoder
                        .memory_type(m.map_err(err)?)
                        .map_err(|e| e.to_string())?;
                    if imported_memories + i as u32 == mem {
                        m.minimum += counters.pages();
                    }
                    s.memory(m);
                }
                module.section(&s);
                continue;
            }
            Payload::FunctionSection(r) => {
                let mut s = wasm_encoder::FunctionSection::new();
                for t in r.clone() {
                    s.function(t.map_err(err)?);
                }
                for (ty, ..) in copies {
                    s.function(*ty);
                }
                module.section(&s);
                continue;
            }
            Payload::DataCountSection { count, .. } => {
                module.section(&wasm_encoder::DataCountSection { count: count + 1 });
                continue;
            }
            Payload::CodeSectionStart { .. } => continue,
            Payload::CodeSectionEntry(b) => {
                match bodies.get(k).and_then(Option::as_ref) {
                    Some((bytes, _)) => code.raw(bytes),
                    None => code.raw(&woven[b.range().start..b.range().end]),
                };
                k += 1;
                if k == bodies.len() {
                    for (_, _, (bytes, _)) in copies {
                        code.raw(bytes);
                    }
                    module.section(&code);
                }
                continue;
            }
            Payload::DataSection(r) => {
                for d in r.clone().into_iter_with_offsets() {
                    let (_, d) = d.map_err(err)?;
                    RoundtripReencoder
                        .parse_data(&mut data, d)
                        .map_err(|e| e.to_string())?;
                }
                counters_segment(&mut data);
                module.section(&data);
                wrote_data = true;
                continue;
            }
            Payload::End(_) => break,
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            // A custom section after the code goes after the data we add.
            if id == 0 && k == bodies.len() && !wrote_data {
                counters_segment(&mut data);
                module.section(&data);
                wrote_data = true;
            }
            module.section(&wasm_encoder::RawSection {
                id,
                data: &woven[range],
            });
        }
    }
    if !wrote_data {
        counters_segment(&mut data);
        module.section(&data);
    }
    Ok(module.finish())
}
