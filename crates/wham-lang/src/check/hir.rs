//! The checked script: names resolved, every expression typed and
//! constant-folded, probes expanded to one per matched (event, mode).
//!
//! This is what the backends consume. Bound variables stay symbolic
//! ([`TExprKind::Bound`]) with their static/dynamic nature, so a backend can
//! fold the static ones per match site.

use crate::ast::{BinOp, UnOp};
use crate::span::Span;
use wham_events::{EventMatch, Ty, ValueKind};

pub type LocalId = usize;
pub type GlobalId = usize;
pub type FuncId = usize;

/// A compile-time value. Integers are kept normalised to their type's range
/// (a `u8` is 0..=255, an `i8` -128..=127).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i128),
    F32(f32),
    F64(f64),
    Bool(bool),
    Str(Vec<u8>),
    Tuple(Vec<Value>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct TExpr {
    pub kind: TExprKind,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum VarRef {
    Local(LocalId),
    Global(GlobalId),
    /// A variable the event binds (`fid`, `arg0`, `effective_addr`).
    Bound {
        name: String,
        kind: ValueKind,
        /// For `argN`-style names, N.
        index: Option<u32>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum TExprKind {
    Const(Value),
    Var(VarRef),
    Tuple(Vec<TExpr>),
    Unary {
        op: UnOp,
        expr: Box<TExpr>,
    },
    Binary {
        op: BinOp,
        lhs: Box<TExpr>,
        rhs: Box<TExpr>,
    },
    Ternary {
        cond: Box<TExpr>,
        then: Box<TExpr>,
        otherwise: Box<TExpr>,
    },
    Cast {
        expr: Box<TExpr>,
    },
    /// A user-defined function.
    Call {
        func: FuncId,
        args: Vec<TExpr>,
    },
    /// A compiler-provided or event-bound function (`memcpy`, `drop_args`).
    Builtin {
        name: String,
        kind: ValueKind,
        args: Vec<TExpr>,
    },
    /// A function of a `use`d library; `is_static` for `@static` calls.
    LibCall {
        lib: String,
        func: String,
        args: Vec<TExpr>,
        is_static: bool,
    },
    /// A string method (`len`, `addr`, `starts_with`, `ends_with`, `contains`).
    StrMethod {
        recv: Box<TExpr>,
        method: String,
        args: Vec<TExpr>,
    },
    Index {
        map: Box<TExpr>,
        key: Box<TExpr>,
    },
    Field {
        base: Box<TExpr>,
        index: u32,
    },
}

/// Where an assignment writes.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    Var(VarRef),
    MapElem {
        map: VarRef,
        key: TExpr,
    },
    /// `t.0.1 = v`: a path of tuple indices into a variable.
    Field {
        var: VarRef,
        path: Vec<u32>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum TStmt {
    /// A probe-local or function-local declaration: (re)initialise the slot
    /// each time it runs.
    /// `value` is `None` for the type's default (zero, empty, null).
    Let {
        local: LocalId,
        value: Option<TExpr>,
    },
    Assign {
        place: Place,
        value: TExpr,
        span: Span,
    },
    Incr {
        place: Place,
        delta: i8,
        span: Span,
    },
    Expr(TExpr),
    /// `@init lib.f(..)`: runs once when the probe is set up at a site (or at
    /// start-up at global scope).
    Init(TExpr),
    Return(Option<TExpr>, Span),
    If {
        branches: Vec<(TExpr, Vec<TStmt>)>,
        otherwise: Vec<TStmt>,
    },
}

/// How a local variable lives.
#[derive(Clone, Debug, PartialEq)]
pub enum Storage {
    /// Fresh each time the probe or function runs.
    Local,
    /// One instance per match site, kept for the whole run; `init` runs once
    /// at set-up with site-static data only.
    Unshared { report: bool, init: Option<TExpr> },
}

#[derive(Clone, Debug, PartialEq)]
pub struct LocalVar {
    pub name: String,
    pub ty: Ty,
    pub storage: Storage,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GlobalVar {
    pub name: String,
    pub ty: Ty,
    pub report: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    pub params: Vec<LocalId>,
    pub ret: Ty,
    pub locals: Vec<LocalVar>,
    pub body: Vec<TStmt>,
    pub span: Span,
}

/// A probe specialised to one matched (event, mode).
#[derive(Clone, Debug)]
pub struct ExpandedProbe<'c> {
    /// Sequential over the whole script in expansion order (the number in
    /// report `probe_id`s: `3_wasm:opcode:br_if:before`).
    pub number: usize,
    /// Index of the probe in the script (source order).
    pub source_index: usize,
    pub event: EventMatch<'c>,
    /// Type bounds on `argN`/`resN`/`localN` from the rule.
    pub bounds: Vec<(String, Ty)>,
    pub predicate: Option<TExpr>,
    pub locals: Vec<LocalVar>,
    pub body: Vec<TStmt>,
    pub span: Span,
    /// The rule the script wrote when a backend rewrote the probe onto
    /// another event (`wasi:call:fd_write:before` as a `call` probe), so
    /// reports still name it.
    pub written_rule: Option<String>,
}

impl ExpandedProbe<'_> {
    /// `3_wasm:opcode:br_if:at_target`: the probe's number and the rule it
    /// matched, as the script spells it (for listings).
    pub fn listing_name(&self) -> String {
        match &self.written_rule {
            Some(rule) => format!("{}_{}", self.number, rule),
            None => format!("{}_{}", self.number, self.event.rule_name()),
        }
    }

    /// `probe_id` as whamm's engine target prints it: the rule without
    /// its mode (`3_wasm:opcode:br_if`).
    pub fn engine_probe_id(&self) -> String {
        format!("{}_{}", self.number, self.rule_without_mode())
    }

    /// The rule (as written, when a backend moved the probe) less its mode.
    fn rule_without_mode(&self) -> String {
        let rule = self
            .written_rule
            .clone()
            .unwrap_or_else(|| self.event.rule_name());
        match (self.event.mode, rule.rsplit_once(':')) {
            (Some(_), Some((r, _))) => r.to_string(),
            _ => rule,
        }
    }

    /// `3_wasm:opcode:br_if:before` (`<no-mode>` as the original prints for
    /// mode-less events, its internal names for some modes).
    pub fn probe_id(&self) -> String {
        if let Some(rule) = &self.written_rule {
            return format!("{}_{}", self.number, rule);
        }
        let rule = self.rule_without_mode();
        match self.event.mode {
            // whamm prints its internal mode names (`semantic_after` for
            // `after` on a construct and for `at_target`, `block_alt`).
            Some(m) => format!("{}_{rule}:{}", self.number, m.report_name),
            None if self.event.event.is_some() => format!("{}_{rule}:<no-mode>", self.number),
            None => format!("{}_{rule}", self.number),
        }
    }
}

/// The checked script.
#[derive(Clone, Debug, Default)]
pub struct CheckedScript<'c> {
    /// Libraries named by `use`, in order.
    pub libs: Vec<String>,
    pub globals: Vec<GlobalVar>,
    /// The global statements, in order: run once at start-up.
    pub global_init: Vec<TStmt>,
    /// Locals declared in blocks of the global statements (`if` bodies).
    pub global_locals: Vec<LocalVar>,
    pub functions: Vec<Function>,
    pub probes: Vec<ExpandedProbe<'c>>,
}
