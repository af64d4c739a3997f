//! The event catalog: every provider, package, event and mode a probe rule can
//! name, with the variables and functions each binds.
//!
//! The catalog is data. Opcode events are generated from wasmparser's operator
//! list (`for_each_operator!`), so every operator the parser can decode is an
//! event; the other events are a short table. The language checker asks the
//! catalog two questions: which events does a rule match, and what does a
//! name mean at a matched event.

mod types;
pub use types::{Ty, WasmType};

mod catalog;
pub use catalog::catalog;
pub mod wasi;

/// Whether a bound value is known when the script is compiled against a site
/// (static: folded into the instrumentation) or only when the probe fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    Static,
    Dynamic,
}

/// A variable a probe can read (and for some, assign) at a matched event.
#[derive(Clone, Debug)]
pub struct BoundVar {
    /// The name scripts use. For a family (`family == true`) this is the
    /// prefix (`arg`, `res`, `imm`, `local`) and any decimal suffix matches.
    pub name: String,
    pub ty: Ty,
    pub kind: ValueKind,
    pub family: bool,
    /// For derived values, how they are computed (`addr + offset`).
    pub derived: Option<String>,
    /// Modes the variable exists in; empty means every mode of the event.
    pub only_in_modes: Vec<&'static str>,
    /// Whether a probe may assign it (`argN` in `before`, `resN` in `after`).
    pub assignable: bool,
    /// Only the engine target provides it (e.g. `probe_id`).
    pub engine_only: bool,
    pub doc: String,
}

/// A function a probe can call at a matched event (or anywhere, for core
/// functions).
#[derive(Clone, Debug)]
pub struct BoundFn {
    pub name: String,
    pub params: Vec<(String, Ty)>,
    pub ret: Ty,
    /// Static functions can be evaluated at instrumentation time when their
    /// arguments are static.
    pub kind: ValueKind,
    pub doc: String,
}

/// A mode of an event: where, relative to the event, the probe runs.
#[derive(Clone, Debug)]
pub struct Mode {
    pub name: &'static str,
    pub doc: &'static str,
    /// The name report rows print in `probe_id`: whamm's internal one,
    /// which differs for `after` and `alt` on constructs and `at_target`.
    pub report_name: &'static str,
}

/// Opcode categories, numbered as the original (`category_id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Arith = 0,
    Atomic = 1,
    Compare = 2,
    Const = 3,
    Control = 4,
    Convert = 5,
    Exn = 6,
    Gc = 7,
    Global = 8,
    Load = 9,
    Local = 10,
    Memory = 11,
    Misc = 12,
    Ref = 13,
    Simd = 14,
    Store = 15,
    Table = 16,
}

impl Category {
    pub fn id(self) -> u32 {
        self as u32
    }

    pub fn name(self) -> &'static str {
        match self {
            Category::Arith => "arith",
            Category::Atomic => "atomic",
            Category::Compare => "compare",
            Category::Const => "const",
            Category::Control => "control",
            Category::Convert => "convert",
            Category::Exn => "exn",
            Category::Gc => "gc",
            Category::Global => "global",
            Category::Load => "load",
            Category::Local => "local",
            Category::Memory => "memory",
            Category::Misc => "misc",
            Category::Ref => "ref",
            Category::Simd => "simd",
            Category::Store => "store",
            Category::Table => "table",
        }
    }
}

/// One immediate of an opcode, exposed to scripts as `immN`.
#[derive(Clone, Debug)]
pub struct Imm {
    pub name: String,
    pub ty: Ty,
    pub doc: String,
    /// The wasmparser `Operator` field it comes from (`function_index`).
    /// For `br_table` the name is the family prefix `imm` and the field is
    /// `targets`: one `immN` per non-default target.
    pub field: &'static str,
}

/// How a memory-accessing opcode (load, store, atomic, SIMD lane access)
/// touches linear memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemAccess {
    /// Bytes read or written (`data_size`).
    pub size: u32,
    /// Whether it writes memory (`is_write`; read-modify-writes do).
    pub is_write: bool,
    /// Which `argN` is the address operand, counted from the top of the
    /// stack (`addr`): 0 for loads, 1 for stores, 2 for `cmpxchg`.
    pub addr_arg: u32,
}

/// Facts about the Wasm operator behind an opcode event.
#[derive(Clone, Debug)]
pub struct OpcodeInfo {
    /// wasmparser's `Operator` variant name (`I32Load8S`).
    pub variant: &'static str,
    /// The Wasm proposal that defines it (`mvp`, `simd`, `gc`, ...).
    pub proposal: &'static str,
    /// The opcode: one byte, or `prefix << 8 | sub` for prefixed ones
    /// (`0xFC08` memory.init, `0xFD0C` v128.const); sub-opcodes above 0xFF
    /// (relaxed SIMD) are `prefix << 16 | sub` (`0xFD0100`) so no two
    /// opcodes share a number.
    pub bytecode: u32,
    pub category: Category,
    /// Operand types bottom-to-top as the instruction pops them, when fixed
    /// for every site; `None` when they depend on the site (calls, locals).
    pub operands: Option<Vec<WasmType>>,
    /// Result types when fixed; `None` when they depend on the site.
    pub results: Option<Vec<WasmType>>,
    pub imms: Vec<Imm>,
    /// Memory access facts, for opcodes with a memory argument (`memarg`).
    pub mem: Option<MemAccess>,
}

/// An event of a package (an opcode, `entry`, `start`, ...).
#[derive(Clone, Debug)]
pub struct Event {
    pub name: String,
    pub doc: String,
    pub opcode: Option<OpcodeInfo>,
    /// The modes a probe may use; empty for mode-less events (3-part rules).
    pub modes: Vec<Mode>,
    pub vars: Vec<BoundVar>,
    pub fns: Vec<BoundFn>,
}

/// A package of a provider (`opcode`, `func`, `block`, `begin`, ...).
#[derive(Clone, Debug)]
pub struct Package {
    pub name: String,
    pub doc: String,
    /// Empty for event-less packages (2-part rules such as `wasm:begin`).
    pub events: Vec<Event>,
    pub vars: Vec<BoundVar>,
    pub fns: Vec<BoundFn>,
}

/// A provider (`wasm`).
#[derive(Clone, Debug)]
pub struct Provider {
    pub name: String,
    pub doc: String,
    pub packages: Vec<Package>,
    pub vars: Vec<BoundVar>,
    pub fns: Vec<BoundFn>,
}

/// The whole catalog.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub providers: Vec<Provider>,
    /// Variables in scope everywhere (`APP_MEMID`).
    pub core_vars: Vec<BoundVar>,
    /// Functions in scope everywhere (`memcpy`, `read_str`, `mem_size`, ...).
    pub core_fns: Vec<BoundFn>,
}

/// One (event, mode) a rule matched. `event` is `None` for event-less packages
/// and `mode` is `None` for mode-less events.
#[derive(Clone, Copy, Debug)]
pub struct EventMatch<'c> {
    pub provider: &'c Provider,
    pub package: &'c Package,
    pub event: Option<&'c Event>,
    pub mode: Option<&'c Mode>,
}

/// What a name means at a matched event.
#[derive(Clone, Debug)]
pub enum VarLookup<'c> {
    /// A bound variable. `index` is the family index for `argN`-style names.
    Found {
        var: &'c BoundVar,
        index: Option<u32>,
    },
    /// A family member past the event's fixed count (`arg2` of `i32.add`).
    OutOfRange {
        family: String,
        count: u32,
    },
    /// Bound at this event but not in this mode (`res0` in `before`).
    WrongMode {
        var: &'c BoundVar,
        modes: Vec<&'static str>,
    },
    NotFound,
}

/// Which part of a rule failed to match. `part` is the 0-based index of the
/// rule part to underline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchError {
    pub part: usize,
    pub message: String,
    pub help: Option<String>,
}

pub mod glob;
mod info;
mod matching;
mod opcodes;
mod operator;

pub use glob::glob_matches;
pub use info::describe;
pub use matching::split_rule;
pub use matching::suggest::closest as closest_name;
#[doc(hidden)]
pub use opcodes::sample_encoding;
pub use operator::{ImmValue, event_for_operator, immediates, variant_name};
