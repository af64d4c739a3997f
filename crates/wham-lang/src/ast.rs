//! The syntax tree, as written: every node keeps its span. Names are not
//! resolved and types not checked here; see [`crate::check`].

use crate::span::Span;
pub use wham_events::Ty;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A type as written (`u32`, `map<(u32, bool), str>`).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Script {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Use(Ident),
    Stmt(Stmt),
    Fn(FnDef),
    Probe(Probe),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FnDef {
    pub name: Ident,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub rule: Rule,
    pub predicate: Option<Expr>,
    pub body: Block,
    pub span: Span,
}

/// `provider:package:event:mode`, 1 to 4 parts (the checker wants 2 to 4).
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub parts: Vec<RulePart>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RulePart {
    /// The glob pattern; `None` for an empty part (matches everything).
    pub pattern: Option<String>,
    /// Type parameters of a generic probe (`local.set<T: int>`), declared
    /// between the part's name and its bounds.
    pub generics: Vec<TypeParam>,
    /// Typed bounds such as `(arg0: i32, local1: f64)`.
    pub bounds: Vec<Param>,
    pub span: Span,
}

/// `T` or `T: int` in a generic header.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeParam {
    pub name: Ident,
    pub constraint: Option<Constraint>,
}

/// What a type parameter may stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// `i32` or `i64`.
    Int,
    /// `f32` or `f64`.
    Float,
    /// Any of the four.
    Numeric,
}

impl Constraint {
    pub fn parse(word: &str) -> Option<Constraint> {
        match word {
            "int" => Some(Constraint::Int),
            "float" => Some(Constraint::Float),
            "numeric" => Some(Constraint::Numeric),
            _ => None,
        }
    }

    /// The Wasm number types it admits, in the order instances are made.
    pub fn admits(self) -> &'static [Ty] {
        match self {
            Constraint::Int => &[Ty::I32, Ty::I64],
            Constraint::Float => &[Ty::F32, Ty::F64],
            Constraint::Numeric => &[Ty::I32, Ty::I64, Ty::F32, Ty::F64],
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Modifiers {
    pub report: Option<Span>,
    pub unshared: Option<Span>,
    /// Reserved for per-activation state; rejected by the checker for now.
    pub frame: Option<Span>,
    /// Reserved; rejected by the checker for now.
    pub shared: Option<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Decl {
        mods: Modifiers,
        name: Ident,
        ty: Option<TypeExpr>,
        init: Option<Expr>,
    },
    Assign {
        target: Expr,
        value: Expr,
    },
    /// `x++` (`delta` 1) and `x--` (`delta` -1).
    Incr {
        target: Expr,
        delta: i8,
    },
    /// A call used as a statement (its result, if any, is dropped).
    Expr(Expr),
    /// `@init lib.f(..);`: runs when the probe is set up at a site.
    Init(Expr),
    Return(Option<Expr>),
    If {
        branches: Vec<(Expr, Block)>,
        otherwise: Option<Block>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    BitNot,
    Neg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    BitOr,
    BitXor,
    BitAnd,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Shl,
    Shr,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::And => "&&",
            BinOp::Or => "||",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::BitAnd => "&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }

    pub fn is_logical(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or)
    }

    pub fn is_bitwise(self) -> bool {
        matches!(
            self,
            BinOp::BitOr | BinOp::BitXor | BinOp::BitAnd | BinOp::Shl | BinOp::Shr
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// The `radix` of an event constant read as a literal: taken as a bit
/// pattern like a hex literal, and where it does not fit, the event is
/// skipped by a glob rule rather than an error.
pub const EVENT_CONSTANT: u32 = 0;

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An untyped integer literal; the checker gives it a type from context.
    /// `radix` is [`EVENT_CONSTANT`] for an event's constant the checker put
    /// in (`bytecode`).
    Int {
        value: i128,
        radix: u32,
    },
    Float(f64),
    Bool(bool),
    Str(Vec<u8>),
    Tuple(Vec<Expr>),
    Var(Ident),
    Paren(Box<Expr>),
    Unary {
        op: UnOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Ternary {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Cast {
        expr: Box<Expr>,
        ty: TypeExpr,
    },
    /// A call of a user, compiler-provided or event-bound function.
    Call {
        callee: Ident,
        args: Vec<Expr>,
    },
    /// `lib.f(args)`, `@static lib.f(args)`.
    LibCall {
        lib: Ident,
        func: Ident,
        args: Vec<Expr>,
        is_static: bool,
    },
    /// `s.len()`, `s.starts_with("x")`.
    Method {
        recv: Box<Expr>,
        method: Ident,
        args: Vec<Expr>,
    },
    /// `m[k]`
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// `t.0`
    Field {
        base: Box<Expr>,
        index: u32,
        index_span: Span,
    },
    /// Stands in for an expression that failed to parse.
    Error,
}

impl Expr {
    /// Where this expression reads the variable `name`, if it does.
    pub fn find_var(&self, name: &str) -> Option<Span> {
        let any = |es: &[Expr]| es.iter().find_map(|e| e.find_var(name));
        match &self.kind {
            ExprKind::Var(id) if id.name == name => Some(id.span),
            ExprKind::Int { .. }
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::Str(_)
            | ExprKind::Var(_)
            | ExprKind::Error => None,
            ExprKind::Tuple(es) => any(es),
            ExprKind::Paren(e)
            | ExprKind::Unary { expr: e, .. }
            | ExprKind::Cast { expr: e, .. } => e.find_var(name),
            ExprKind::Field { base, .. } => base.find_var(name),
            ExprKind::Binary { lhs, rhs, .. } => lhs.find_var(name).or_else(|| rhs.find_var(name)),
            ExprKind::Index { base, index } => base.find_var(name).or_else(|| index.find_var(name)),
            ExprKind::Ternary {
                cond,
                then,
                otherwise,
            } => cond
                .find_var(name)
                .or_else(|| then.find_var(name))
                .or_else(|| otherwise.find_var(name)),
            ExprKind::Call { args, .. } | ExprKind::LibCall { args, .. } => any(args),
            ExprKind::Method { recv, args, .. } => recv.find_var(name).or_else(|| any(args)),
        }
    }
}
