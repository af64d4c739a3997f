//! The report: every `report` variable, printed once when the program ends
//! in the original's CSV format (`whamm-language.md` §3.1).
//!
//! All of a row except its value is known at instrumentation time, so each
//! row is a prefix string in static data plus where its value lives; the
//! flush function walks a table of rows instead of carrying code per row,
//! which keeps it small when there are hundreds of thousands of sites.

use crate::lower::{R, Unsupported};
use crate::module::{Additions, Body};
use crate::repr::at as m;
use crate::repr::{self, report_type_name, report_wasm_name, val_types};
use crate::runtime::Runtime;
use wasm_encoder::{BlockType, Instruction as I, ValType};
use wham_events::Ty;
use wham_lang::span::Span;

pub const BANNER: &str =
    "================================= REPORT CSV FLUSH ====================================";
pub const COLUMNS: &str =
    "id, id_type, name, whamm_type, wasm_type, script_id, fname, fid, pc, probe_id, value(s)";

/// The match site a per-site variable belongs to.
#[derive(Clone, Debug)]
pub struct RowSite {
    /// As the report prints it: the function's name, or `#<fid>`.
    pub fname: String,
    pub fid: u32,
    pub pc: u32,
    pub probe_id: String,
}

/// Where a reported value lives.
#[derive(Clone, Debug)]
pub enum ValueAt {
    /// A per-site variable at this address of instrumentation memory.
    Mem(u32),
    /// A global variable in these Wasm globals.
    Globals(Vec<u32>),
}

#[derive(Clone, Debug)]
pub struct ReportVar {
    pub name: String,
    pub ty: Ty,
    pub at: ValueAt,
    pub site: Option<RowSite>,
    pub span: Span,
    /// Where the row sorts among the rows of its type: (function,
    /// instruction index, probe number), so the order does not depend on
    /// how the backend visits sites.
    pub order: (u32, u32, u32),
}

/// Bytes of a row record: id, kind, value address, variable text (ptr,
/// len), flags (1: has a site, 2: the id is in the text, 4: the fname text
/// lacks its `, ` and is `#fid` when empty), fname text (ptr,
/// len), fid, pc, probe text (ptr, len).
const ROW: u32 = 48;

/// Row kinds from here on are maps, one per printer.
const MAP_KINDS: u32 = 100;

/// How a value is printed (the row table's kind column).
#[derive(Clone, Copy)]
enum Kind {
    Unsigned32 = 0,
    Signed32 = 1,
    Unsigned64 = 2,
    Signed64 = 3,
    Bool = 4,
    Str = 5,
    Float32 = 6,
    Float64 = 7,
}

fn kind(ty: &Ty, span: Span) -> R<Kind> {
    Ok(match ty {
        Ty::U8 | Ty::U16 | Ty::U32 => Kind::Unsigned32,
        Ty::I8 | Ty::I16 | Ty::I32 => Kind::Signed32,
        Ty::U64 => Kind::Unsigned64,
        Ty::I64 => Kind::Signed64,
        Ty::Bool => Kind::Bool,
        Ty::Str => Kind::Str,
        Ty::F32 => Kind::Float32,
        Ty::F64 => Kind::Float64,
        other => {
            return Err(Unsupported {
                what: format!("reporting a {other} variable"),
                span,
            });
        }
    })
}

/// Row order of the original: per-site variables grouped by type in this
/// order (allocation order within a type), then globals in declaration order.
fn type_rank(ty: &Ty) -> (u32, String) {
    let r = match ty {
        Ty::U8 => 0,
        Ty::I8 => 1,
        Ty::U16 => 2,
        Ty::I16 => 3,
        Ty::U32 => 4,
        Ty::I32 => 5,
        Ty::F32 => 6,
        Ty::U64 => 7,
        Ty::I64 => 8,
        Ty::F64 => 9,
        Ty::Bool => 10,
        Ty::Str => 11,
        Ty::Tuple(_) => 12,
        _ => 13,
    };
    // Tuples and maps group by their type, as dynamic rows do (one list
    // per type), so both targets print the same order.
    let within = if r >= 12 {
        report_type_name(ty)
    } else {
        String::new()
    };
    (r, within)
}

pub fn ordered(vars: &[ReportVar]) -> Vec<&ReportVar> {
    let mut sited: Vec<&ReportVar> = vars.iter().filter(|v| v.site.is_some()).collect();
    sited.sort_by(|a, b| {
        type_rank(&a.ty)
            .cmp(&type_rank(&b.ty))
            .then(a.order.cmp(&b.order))
    });
    // Then the globals as the original lays them out: scalars by name
    // (their global indices follow the names), then maps by name (their
    // map ids do).
    let mut globals: Vec<&ReportVar> = vars.iter().filter(|v| v.site.is_none()).collect();
    globals.sort_by(|a, b| {
        matches!(a.ty, Ty::Map(..))
            .cmp(&matches!(b.ty, Ty::Map(..)))
            .then(a.name.cmp(&b.name))
    });
    sited.extend(globals);
    sited
}

/// A row's text up to its value, in parts shared between rows so a
/// report with a row per instruction stays small: the `id` (printed as a
/// number unless `id_text`), the variable part (`, memaddr, name, type,
/// wasm type, script0, `), and for per-site rows `fname, `, fid, pc and
/// `probe_id, `.
pub struct RowParts {
    pub id: u32,
    pub id_text: bool,
    pub var: String,
    pub site: Option<(String, u32, u32, String)>,
}

/// `map_id`: a global map's number, printed as its `map_id` row.
pub fn row_parts(v: &ReportVar, script_id: usize, map_id: Option<u32>) -> RowParts {
    let ty = format!(
        "{}, {}, {}, script{script_id}, ",
        v.name,
        report_type_name(&v.ty),
        report_wasm_name(&v.ty)
    );
    let (id, id_text, var) = match &v.at {
        ValueAt::Mem(a) => (*a, false, format!(", memaddr, {ty}")),
        ValueAt::Globals(_) if map_id.is_some() => (
            map_id.unwrap_or_default(),
            false,
            format!(", map_id, {ty}, , , , "),
        ),
        ValueAt::Globals(gs) if gs.len() == 1 => {
            (gs[0], false, format!(", global_id, {ty}, , , , "))
        }
        ValueAt::Globals(gs) => {
            let ids = gs.iter().map(u32::to_string).collect::<Vec<_>>().join("; ");
            let kinds = gs
                .iter()
                .map(|_| "global_id")
                .collect::<Vec<_>>()
                .join("; ");
            (0, true, format!("({ids}), ({kinds}), {ty}, , , , "))
        }
    };
    let site = v.site.as_ref().map(|s| {
        (
            format!("{}, ", s.fname),
            s.fid,
            s.pc,
            format!("{}, ", s.probe_id),
        )
    });
    RowParts {
        id,
        id_text,
        var,
        site,
    }
}

/// Row kinds of map and tuple types: one printer each, made on first use.
#[derive(Default)]
pub struct RowKinds {
    printers: Vec<(Ty, u32, bool)>,
    /// Whether a float row exists, so the float printers are needed.
    floats: bool,
}

impl RowKinds {
    /// The kind column for a value of type `ty`.
    pub fn kind(&mut self, add: &mut Additions, rt: &Runtime, ty: &Ty, span: Span) -> R<u32> {
        if !matches!(ty, Ty::Map(..) | Ty::Tuple(_)) {
            self.floats |= matches!(ty, Ty::F32 | Ty::F64);
            return Ok(kind(ty, span)? as u32);
        }
        if let Some(n) = self.printers.iter().position(|(t, ..)| t == ty) {
            return Ok(MAP_KINDS + n as u32);
        }
        let (f, is_map) = match ty {
            Ty::Map(kt, vt) => (
                crate::map_report::build_printer(add, rt, kt, vt, span, false)?,
                true,
            ),
            t => (
                crate::map_report::build_tuple_printer(add, rt, t, span)?,
                false,
            ),
        };
        self.printers.push((ty.clone(), f, is_map));
        Ok(MAP_KINDS + self.printers.len() as u32 - 1)
    }
}

/// Rows registered while the program runs (a monitor module's per-site
/// variables, allocated when the engine attaches a probe): one linked list
/// per type, flushed in the original's type order before the global rows.
pub struct DynRows {
    /// (head, tail) row pointers per type, at this address.
    pub lists: u32,
    /// The types, in report order; a row goes to the list of its type.
    pub types: Vec<Ty>,
}

/// A dynamic row: a row record, the next row's address and (at
/// `DYN_KEY`) an i64 sort key: the order the rewriter gives the same rows.
pub const DYN_ROW: u32 = ROW + 16;
const DYN_KEY: u64 = ROW as u64 + 8;

impl DynRows {
    /// Lists for rows of these types.
    pub fn new(add: &mut Additions, mut types: Vec<Ty>) -> DynRows {
        types.sort_by_key(type_rank);
        types.dedup();
        let lists = add.alloc(8 * types.len().max(1) as u32, 4);
        DynRows { lists, types }
    }

    /// The sort key of a row: (function, place in it, probe number), as
    /// the rewriter orders rows, packed into an i64. The place is the
    /// instruction's index or its `pc`, which grows with it.
    pub fn key_code(fid: u32, opidx: u32, probe: u32) -> Vec<I<'static>> {
        vec![
            I::LocalGet(fid),
            I::I64ExtendI32U,
            I::I64Const(40),
            I::I64Shl,
            I::LocalGet(opidx),
            I::I64ExtendI32U,
            I::I64Const(12),
            I::I64Shl,
            I::I64Or,
            I::I64Const(probe.min(4095) as i64),
            I::I64Or,
        ]
    }

    /// Code that fills the row record at local `row` (`DYN_ROW` bytes) and
    /// inserts it into its type's list, kept sorted by the i64 in local
    /// `key` (rows mostly arrive in order, so usually at the tail).
    /// `value` holds the value's address; `fname` its (ptr, len) locals;
    /// `fid`, `pc` their locals; `cur`, `prev` are scratch i32 locals.
    #[allow(clippy::too_many_arguments)]
    pub fn append(
        &self,
        add: &mut Additions,
        v: &ReportVar,
        kind: u32,
        row: u32,
        value: u32,
        fname: (u32, u32),
        fid: u32,
        pc: u32,
        (key, cur, prev): (u32, u32, u32),
    ) -> Vec<I<'static>> {
        let im = add.instr_mem();
        let parts = row_parts(v, 0, None);
        let (va, vl) = add.string(parts.var.as_bytes());
        let probe = parts.site.map(|s| s.3).unwrap_or_default();
        let (pa, pl) = add.string(probe.as_bytes());
        let list = self.lists
            + 8 * self
                .types
                .iter()
                .position(|t| *t == v.ty)
                .unwrap_or_default() as u32;
        let mut code = Vec::new();
        let mut field = |off: u64, val: I<'static>| {
            code.extend([I::LocalGet(row), val, I::I32Store(m(im, off, 2))]);
        };
        field(0, I::LocalGet(value));
        field(4, I::I32Const(kind as i32));
        field(8, I::LocalGet(value));
        field(12, I::I32Const(va as i32));
        field(16, I::I32Const(vl as i32));
        // flags: has a site, fname text without its `, ` (`#fid` if empty)
        field(20, I::I32Const(1 | 4));
        field(24, I::LocalGet(fname.0));
        field(28, I::LocalGet(fname.1));
        field(32, I::LocalGet(fid));
        field(36, I::LocalGet(pc));
        field(40, I::I32Const(pa as i32));
        field(44, I::I32Const(pl as i32));
        field(ROW as u64, I::I32Const(0));
        code.extend([
            I::LocalGet(row),
            I::LocalGet(key),
            I::I64Store(m(im, DYN_KEY, 3)),
        ]);
        let key_of = |r: u32| [I::LocalGet(r), I::I64Load(m(im, DYN_KEY, 3))];
        // Fast path: the list is empty or the row sorts last.
        code.extend([
            I::I32Const(list as i32),
            I::I32Load(m(im, 4, 2)),
            I::LocalSet(prev),
        ]);
        code.extend([I::LocalGet(prev), I::I32Eqz, I::If(BlockType::Empty)]);
        code.extend([
            I::I32Const(list as i32),
            I::LocalGet(row),
            I::I32Store(m(im, 0, 2)),
            I::I32Const(list as i32),
            I::LocalGet(row),
            I::I32Store(m(im, 4, 2)),
            I::Else,
        ]);
        code.extend(key_of(prev));
        code.extend([I::LocalGet(key), I::I64LeS, I::If(BlockType::Empty)]);
        code.extend([
            I::LocalGet(prev),
            I::LocalGet(row),
            I::I32Store(m(im, ROW as u64, 2)),
            I::I32Const(list as i32),
            I::LocalGet(row),
            I::I32Store(m(im, 4, 2)),
            I::Else,
            // Walk from the head to the first row that sorts after it.
            I::I32Const(0),
            I::LocalSet(prev),
            I::I32Const(list as i32),
            I::I32Load(m(im, 0, 2)),
            I::LocalSet(cur),
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
        ]);
        code.extend(key_of(cur));
        code.extend([
            I::LocalGet(key),
            I::I64GtS,
            I::BrIf(1),
            I::LocalGet(cur),
            I::LocalSet(prev),
            I::LocalGet(cur),
            I::I32Load(m(im, ROW as u64, 2)),
            I::LocalSet(cur),
            I::Br(0),
            I::End,
            I::End,
            I::LocalGet(row),
            I::LocalGet(cur),
            I::I32Store(m(im, ROW as u64, 2)),
            I::LocalGet(prev),
            I::I32Eqz,
            I::If(BlockType::Empty),
            I::I32Const(list as i32),
            I::LocalGet(row),
            I::I32Store(m(im, 0, 2)),
            I::Else,
            I::LocalGet(prev),
            I::LocalGet(row),
            I::I32Store(m(im, ROW as u64, 2)),
            I::End,
            I::End,
            I::End,
        ]);
        code
    }
}

/// Build the function that prints the report: `() -> ()`. Rows of
/// `dynamic` lists (if any) come first, then `vars` in report order.
pub fn build_flush(
    add: &mut Additions,
    rt: &Runtime,
    vars: &[ReportVar],
    func_index: u32,
    mut kinds: RowKinds,
    dynamic: Option<&DynRows>,
) -> R {
    let im = add.instr_mem();
    let rows = ordered(vars);
    let mut code: Vec<I<'static>> = Vec::new();
    let header = format!("\n{BANNER}\n{COLUMNS}\n");
    let (ha, hl) = add.string(header.as_bytes());
    code.extend([
        I::I32Const(ha as i32),
        I::I32Const(hl as i32),
        I::Call(rt.put_bytes),
    ]);

    // Rows: 12 u32s each (see ROW); strings are shared between rows.
    let table = add.alloc(ROW * rows.len() as u32, 4);
    let mut maps = 0u32;
    for (i, v) in rows.iter().enumerate() {
        let map_id = (v.site.is_none() && matches!(v.ty, Ty::Map(..))).then(|| {
            maps += 1;
            maps - 1
        });
        let k = kinds.kind(add, rt, &v.ty, v.span)?;
        let addr = match &v.at {
            ValueAt::Mem(a) => *a,
            ValueAt::Globals(gs) => {
                // Globals are copied into a mirror slot at flush time so
                // every row reads its value from memory.
                let mirror = add.alloc(repr::mem_size(&v.ty), 8);
                let mut off = 0u64;
                for (g, vt) in gs.iter().zip(val_types(&v.ty)) {
                    code.extend([I::I32Const(mirror as i32), I::GlobalGet(*g)]);
                    code.push(repr::store(vt, repr::memarg(im, off, vt)));
                    off += repr::val_size(vt) as u64;
                }
                mirror
            }
        };
        let parts = row_parts(v, 0, map_id);
        let (va_, vl) = add.string(parts.var.as_bytes());
        let (flags, fa_, fl, fid, pc, pa_, pl) = match &parts.site {
            Some((fname, fid, pc, probe)) => {
                let (fa_, fl) = add.string(fname.as_bytes());
                let (pa_, pl) = add.string(probe.as_bytes());
                (1, fa_, fl, *fid, *pc, pa_, pl)
            }
            None => (0, 0, 0, 0, 0, 0, 0),
        };
        let flags = flags | if parts.id_text { 2 } else { 0 };
        let rec: Vec<u8> = [parts.id, k, addr, va_, vl, flags, fa_, fl, fid, pc, pa_, pl]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        add.init_bytes(table + ROW * i as u32, &rec);
    }
    let print_row = build_row_printer(add, rt, &kinds);
    // locals: 0 row ptr
    let row = 0;
    if let Some(d) = dynamic {
        for k in 0..d.types.len() as u32 {
            code.extend([
                I::I32Const((d.lists + 8 * k) as i32),
                I::I32Load(m(im, 0, 2)),
                I::LocalSet(row),
                I::Block(BlockType::Empty),
                I::Loop(BlockType::Empty),
                I::LocalGet(row),
                I::I32Eqz,
                I::BrIf(1),
                I::LocalGet(row),
                I::Call(print_row),
                I::LocalGet(row),
                I::I32Load(m(im, ROW as u64, 2)),
                I::LocalSet(row),
                I::Br(0),
                I::End,
                I::End,
            ]);
        }
    }
    let end_addr = table + ROW * rows.len() as u32;
    code.extend([
        I::I32Const(table as i32),
        I::LocalSet(row),
        I::Block(BlockType::Empty),
        I::Loop(BlockType::Empty),
        I::LocalGet(row),
        I::I32Const(end_addr as i32),
        I::I32GeU,
        I::BrIf(1),
        I::LocalGet(row),
        I::Call(print_row),
        I::LocalGet(row),
        I::I32Const(ROW as i32),
        I::I32Add,
        I::LocalSet(row),
        I::Br(0),
        I::End,
        I::End,
        I::Call(rt.flush),
    ]);
    let body = Body {
        locals: vec![ValType::I32],
        code,
    };
    add.define(func_index, body.finish());
    Ok(())
}

/// `(row) -> ()`: print one row record and its newline.
fn build_row_printer(add: &mut Additions, rt: &Runtime, kinds: &RowKinds) -> u32 {
    let im = add.instr_mem();
    let func = add.reserve_func("wham_report_row", &[ValType::I32], &[]);
    let (ta, _) = add.string(b"true");
    let (fa, _) = add.string(b"false");
    let (nl, _) = add.string(b"\n");
    let (comma, _) = add.string(b", ");
    let (hash, _) = add.string(b"#");
    // locals: 0 row ptr (param), 1 value addr, 2 kind
    let (va, kd) = (1, 2);
    let field = |off: u64| [I::LocalGet(0), I::I32Load(m(im, off, 2))];
    let mut code: Vec<I<'static>> = vec![
        // id (unless it is part of the text), then the variable's part
        I::LocalGet(0),
        I::I32Load(m(im, 20, 2)),
        I::I32Const(2),
        I::I32And,
        I::I32Eqz,
        I::If(BlockType::Empty),
    ];
    code.extend(field(0));
    code.extend([I::I64ExtendI32U, I::Call(rt.put_u64), I::End]);
    code.extend(field(12));
    code.extend(field(16));
    code.push(I::Call(rt.put_bytes));
    // the site: `fname, fid, pc, probe_id, `
    code.extend(field(20));
    code.extend([I::I32Const(1), I::I32And, I::If(BlockType::Empty)]);
    code.extend(field(20));
    code.extend([I::I32Const(4), I::I32And, I::If(BlockType::Empty)]);
    code.extend(field(28));
    code.extend([I::I32Eqz, I::If(BlockType::Empty)]);
    code.extend([
        I::I32Const(hash as i32),
        I::I32Const(1),
        I::Call(rt.put_bytes),
    ]);
    code.extend(field(32));
    code.extend([I::I64ExtendI32U, I::Call(rt.put_u64), I::Else]);
    code.extend(field(24));
    code.extend(field(28));
    code.extend([
        I::Call(rt.put_bytes),
        I::End,
        I::I32Const(comma as i32),
        I::I32Const(2),
        I::Call(rt.put_bytes),
        I::Else,
    ]);
    code.extend(field(24));
    code.extend(field(28));
    code.extend([I::Call(rt.put_bytes), I::End]);
    code.extend(field(32));
    code.extend([
        I::I64ExtendI32U,
        I::Call(rt.put_u64),
        I::I32Const(comma as i32),
        I::I32Const(2),
        I::Call(rt.put_bytes),
    ]);
    code.extend(field(36));
    code.extend([
        I::I64ExtendI32U,
        I::Call(rt.put_u64),
        I::I32Const(comma as i32),
        I::I32Const(2),
        I::Call(rt.put_bytes),
    ]);
    code.extend(field(40));
    code.extend(field(44));
    code.extend([I::Call(rt.put_bytes), I::End]);
    code.extend(field(8));
    code.push(I::LocalSet(va));
    code.extend(field(4));
    code.push(I::LocalSet(kd));
    let case = |k: Kind, body: Vec<I<'static>>| -> Vec<I<'static>> {
        let mut c = vec![
            I::LocalGet(kd),
            I::I32Const(k as i32),
            I::I32Eq,
            I::If(BlockType::Empty),
        ];
        c.extend(body);
        c.push(I::End);
        c
    };
    code.extend(case(
        Kind::Unsigned32,
        vec![
            I::LocalGet(va),
            I::I32Load(m(im, 0, 2)),
            I::I64ExtendI32U,
            I::Call(rt.put_u64),
        ],
    ));
    code.extend(case(
        Kind::Signed32,
        vec![
            I::LocalGet(va),
            I::I32Load(m(im, 0, 2)),
            I::I64ExtendI32S,
            I::Call(rt.put_i64),
        ],
    ));
    code.extend(case(
        Kind::Unsigned64,
        vec![
            I::LocalGet(va),
            I::I64Load(m(im, 0, 3)),
            I::Call(rt.put_u64),
        ],
    ));
    code.extend(case(
        Kind::Signed64,
        vec![
            I::LocalGet(va),
            I::I64Load(m(im, 0, 3)),
            I::Call(rt.put_i64),
        ],
    ));
    code.extend(case(
        Kind::Bool,
        vec![
            I::LocalGet(va),
            I::I32Load(m(im, 0, 2)),
            I::If(BlockType::Empty),
            I::I32Const(ta as i32),
            I::I32Const(4),
            I::Call(rt.put_bytes),
            I::Else,
            I::I32Const(fa as i32),
            I::I32Const(5),
            I::Call(rt.put_bytes),
            I::End,
        ],
    ));
    code.extend(case(
        Kind::Str,
        vec![
            I::LocalGet(va),
            I::I32Load(m(im, 0, 2)),
            I::LocalGet(va),
            I::I32Load(m(im, 4, 2)),
            I::Call(rt.put_bytes),
        ],
    ));
    if kinds.floats {
        let fp = crate::float_text::printers(add, rt);
        let load = |k: Kind, load: I<'static>, put: u32| {
            case(k, vec![I::LocalGet(va), load, I::Call(put)])
        };
        code.extend(load(Kind::Float32, I::F32Load(m(im, 0, 2)), fp.put_f32));
        code.extend(load(Kind::Float64, I::F64Load(m(im, 0, 3)), fp.put_f64));
    }
    for (n, (_, f, is_map)) in kinds.printers.iter().enumerate() {
        code.extend([
            I::LocalGet(kd),
            I::I32Const((MAP_KINDS + n as u32) as i32),
            I::I32Eq,
            I::If(BlockType::Empty),
            I::LocalGet(va),
        ]);
        if *is_map {
            code.push(I::I32Load(m(im, 0, 2)));
        }
        code.extend([I::Call(*f), I::End]);
    }
    code.extend([
        I::I32Const(nl as i32),
        I::I32Const(1),
        I::Call(rt.put_bytes),
    ]);
    let body = Body {
        locals: vec![ValType::I32; 2],
        code,
    };
    add.define(func, body.finish());
    func
}
