//! The catalog itself: the `wasm` provider, its packages and the names in
//! scope everywhere. Built once on first use.

use std::sync::OnceLock;

use crate::{
    BoundFn, BoundVar, Catalog, Event, Package, Provider, Ty, ValueKind,
    ValueKind::{Dynamic, Static},
};

/// The catalog, built on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let wasm = wasm_provider();
        let call = wasm
            .packages
            .iter()
            .flat_map(|p| &p.events)
            .find(|e| e.name == "call")
            .expect("the opcode package has `call`")
            .clone();
        Catalog {
            providers: vec![wasm, crate::wasi::provider(&call)],
            core_vars: core_vars(),
            core_fns: core_fns(),
        }
    })
}

// Small builders so the tables below read as data.
impl BoundVar {
    pub(crate) fn new(name: impl Into<String>, ty: Ty, kind: ValueKind, doc: &str) -> BoundVar {
        BoundVar {
            name: name.into(),
            ty,
            kind,
            family: false,
            derived: None,
            only_in_modes: Vec::new(),
            assignable: false,
            engine_only: false,
            doc: doc.to_string(),
        }
    }

    pub(crate) fn family(mut self) -> BoundVar {
        self.family = true;
        self
    }

    pub(crate) fn derived(mut self, how: impl Into<String>) -> BoundVar {
        self.derived = Some(how.into());
        self
    }

    pub(crate) fn only_in(mut self, modes: &[&'static str]) -> BoundVar {
        self.only_in_modes = modes.to_vec();
        self
    }

    pub(crate) fn assignable(mut self) -> BoundVar {
        self.assignable = true;
        self
    }

    fn engine_only(mut self) -> BoundVar {
        self.engine_only = true;
        self
    }
}

impl BoundFn {
    pub(crate) fn new(
        name: &str,
        params: &[(&str, Ty)],
        ret: Ty,
        kind: ValueKind,
        doc: &str,
    ) -> BoundFn {
        BoundFn {
            name: name.to_string(),
            params: params
                .iter()
                .map(|(n, t)| ((*n).to_string(), t.clone()))
                .collect(),
            ret,
            kind,
            doc: doc.to_string(),
        }
    }
}

fn package(name: &str, doc: &str, events: Vec<Event>) -> Package {
    Package {
        name: name.to_string(),
        doc: doc.to_string(),
        events,
        vars: Vec::new(),
        fns: Vec::new(),
    }
}

/// A mode-less event (3-part rule).
fn plain_event(name: &str, doc: &str, vars: Vec<BoundVar>) -> Event {
    Event {
        name: name.to_string(),
        doc: doc.to_string(),
        opcode: None,
        modes: Vec::new(),
        vars,
        fns: Vec::new(),
    }
}

/// `wasm:trap`: seen by the engine when the program traps, before the
/// report; rewriting cannot see it (the trap ends the module's code).
fn trap_package() -> Package {
    let mut pkg = package(
        "trap",
        "runs when the program traps, before `wasm:end` and the report (engine target only)",
        Vec::new(),
    );
    pkg.vars = vec![
        BoundVar::new(
            "trap_kind",
            Ty::Str,
            Dynamic,
            "what went wrong, e.g. \"unreachable\", \"integer divide by zero\", \"out of bounds memory access\"",
        )
        .engine_only(),
        BoundVar::new(
            "fid",
            Ty::U32,
            Dynamic,
            "the function that trapped (innermost frame of the program)",
        )
        .engine_only(),
        BoundVar::new(
            "pc",
            Ty::U32,
            Dynamic,
            "the byte offset in that function of the instruction that trapped",
        )
        .engine_only(),
    ];
    pkg
}

fn wasm_provider() -> Provider {
    let instr_count = BoundVar::new(
        "instr_count",
        Ty::U32,
        Static,
        "number of instructions in the basic block",
    );
    let packages = vec![
        opcode_package(),
        package(
            "func",
            "function boundaries",
            vec![
                plain_event(
                    "entry",
                    "runs at the start of every function, before its first instruction (pc = 0)",
                    Vec::new(),
                ),
                plain_event(
                    "exit",
                    "runs wherever a function is left: returns, its final end, and before proc_exit calls",
                    Vec::new(),
                ),
            ],
        ),
        package(
            "block",
            "basic blocks: straight-line instruction runs with one entry and one exit",
            vec![
                plain_event("start", "runs at the start of each basic block", Vec::new()),
                plain_event(
                    "end",
                    "runs at the end of each basic block, before the instruction that ends it",
                    vec![instr_count],
                ),
            ],
        ),
        package(
            "begin",
            "runs once when the program starts, before any of its code",
            Vec::new(),
        ),
        package("end", "runs once when the program terminates", Vec::new()),
        trap_package(),
        package(
            "report",
            "replaces the default report printing at program exit",
            Vec::new(),
        ),
    ];
    Provider {
        name: "wasm".to_string(),
        doc: "the WebAssembly program being instrumented".to_string(),
        packages,
        vars: provider_vars(),
        fns: Vec::new(),
    }
}

fn opcode_package() -> Package {
    let mut pkg = package(
        "opcode",
        "one event per WebAssembly instruction, at every place it occurs",
        crate::opcodes::opcode_events(),
    );
    pkg.vars = vec![
        BoundVar::new(
            "opname",
            Ty::Str,
            Static,
            "the instruction's mnemonic, e.g. \"i32.load\"",
        ),
        BoundVar::new(
            "bytecode",
            Ty::U32,
            Static,
            "the opcode: one byte, prefix << 8 | sub (0xFC08), or prefix << 16 | sub when sub > 0xFF (0xFD0100)",
        ),
        BoundVar::new(
            "category_id",
            Ty::U32,
            Static,
            "number of the instruction's category (arith 0 ... table 16)",
        ),
        BoundVar::new(
            "category_name",
            Ty::Str,
            Static,
            "name of the instruction's category, e.g. \"load\"",
        ),
    ];
    pkg.fns = vec![BoundFn::new(
        "drop_args",
        &[],
        Ty::Unit,
        Dynamic,
        "in an alt probe, discard the operands the body has not consumed",
    )];
    pkg
}

fn provider_vars() -> Vec<BoundVar> {
    vec![
        BoundVar::new(
            "fid",
            Ty::U32,
            Static,
            "index of the function containing the site (imports counted)",
        ),
        BoundVar::new(
            "pc",
            Ty::U32,
            Static,
            "byte offset of the instruction in the function body (0 at func:entry)",
        ),
        BoundVar::new(
            "opidx",
            Ty::U32,
            Static,
            "index of the instruction within its function",
        ),
        BoundVar::new(
            "at_func_end",
            Ty::Bool,
            Static,
            "whether the site is the function's final end",
        ),
        BoundVar::new(
            "fname",
            Ty::Str,
            Static,
            "the function's name from the name section (\"\" when it has none)",
        ),
        BoundVar::new(
            "local",
            Ty::Unknown,
            Dynamic,
            "value of local N (params first); type it with a bound such as wasm(local0: i32)",
        )
        .family(),
        BoundVar::new(
            "probe_id",
            Ty::I32,
            Static,
            "id of the attached probe, e.g. to remove it at run time",
        )
        .engine_only(),
    ]
}

fn core_vars() -> Vec<BoundVar> {
    vec![BoundVar::new(
        "APP_MEMID",
        Ty::U32,
        Static,
        "index of the app's first memory",
    )]
}

fn core_fns() -> Vec<BoundFn> {
    let pair = Ty::Tuple(vec![Ty::I32, Ty::I32]);
    vec![
        BoundFn::new(
            "memid",
            &[("lib", Ty::Str)],
            Ty::U32,
            Static,
            "index under which a library's memory is imported",
        ),
        BoundFn::new(
            "memcpy",
            &[
                ("src_mem", Ty::U32),
                ("src_ptr", Ty::U32),
                ("dst_mem", Ty::U32),
                ("dst_ptr", Ty::U32),
                ("len", Ty::U32),
            ],
            Ty::Unit,
            Dynamic,
            "copy len bytes between any two memories",
        ),
        BoundFn::new(
            "write_str",
            &[("dst_mem", Ty::U32), ("ptr", Ty::I32), ("s", Ty::Str)],
            Ty::Unit,
            Dynamic,
            "copy a string's bytes into another memory",
        ),
        BoundFn::new(
            "read_str",
            &[("src_mem", Ty::U32), ("ptr", Ty::I32), ("len", Ty::U32)],
            Ty::Str,
            Dynamic,
            "copy len bytes out of another memory into a string",
        ),
        BoundFn::new(
            "strcmp",
            &[("s", pair.clone()), ("lit", Ty::Str)],
            Ty::Bool,
            Dynamic,
            "whether the app-memory string (addr, len) equals a string",
        ),
        BoundFn::new(
            "strcontains",
            &[("s", pair), ("needle", Ty::Str)],
            Ty::Bool,
            Dynamic,
            "whether the app-memory string (addr, len) contains a string",
        ),
        BoundFn::new(
            "active_data_start",
            &[("memid", Ty::U32)],
            Ty::U32,
            Static,
            "start address of the active data segments of a memory",
        ),
        BoundFn::new(
            "active_data_len",
            &[("memid", Ty::U32)],
            Ty::U32,
            Static,
            "length in bytes spanned by the active data segments of a memory",
        ),
        BoundFn::new(
            "page_size",
            &[("memid", Ty::U32)],
            Ty::U32,
            Static,
            "page size of a memory in bytes (65536 unless custom)",
        ),
        BoundFn::new(
            "mem_size",
            &[("memid", Ty::U32)],
            Ty::U32,
            Dynamic,
            "current size of a memory in pages",
        ),
    ]
}
