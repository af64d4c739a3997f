//! The parser: tokens to [`ast::Script`], with recovery.
//!
//! Recursive descent; expressions by precedence climbing with the original
//! language's levels (`&&` and `||` share one level). After an error the
//! parser skips to the end of the statement (or item) and goes on, so one
//! run reports every independent mistake.

use crate::ast::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::lexer::{Kw, Lexer, Tok, Token};
use crate::span::Span;

/// Deeper nesting than this is refused rather than risking the stack.
const MAX_DEPTH: u32 = 200;

/// Marks a parse failure already reported as a diagnostic.
#[derive(Debug)]
struct Reported;
type PResult<T> = Result<T, Reported>;

/// Parse a whole script. Problems go to `diags`; the tree is as complete as
/// recovery allowed.
pub fn parse(src: &str, diags: &mut Diagnostics) -> Script {
    let mut p = Parser::new(Lexer::new(src), src, diags);
    p.script()
}

struct Parser<'s, 'd> {
    lx: Lexer<'s>,
    src: &'s str,
    diags: &'d mut Diagnostics,
    peeked: Option<Token>,
    /// End of the last consumed token (for spans and "expected `;`" labels).
    prev_end: usize,
    /// In a predicate `/ ... /` a bare `/` ends the predicate.
    no_slash: bool,
    depth: u32,
}

impl<'s, 'd> Parser<'s, 'd> {
    fn new(lx: Lexer<'s>, src: &'s str, diags: &'d mut Diagnostics) -> Self {
        let prev_end = lx.pos();
        Parser {
            lx,
            src,
            diags,
            peeked: None,
            prev_end,
            no_slash: false,
            depth: 0,
        }
    }

    // ----- token plumbing -------------------------------------------------

    fn peek(&mut self) -> &Token {
        if self.peeked.is_none() {
            let t = self.lx.next_token(self.diags);
            self.peeked = Some(t);
        }
        self.peeked.as_ref().expect("just filled")
    }

    fn peek_tok(&mut self) -> Tok {
        self.peek().tok.clone()
    }

    fn bump(&mut self) -> Token {
        let t = match self.peeked.take() {
            Some(t) => t,
            None => self.lx.next_token(self.diags),
        };
        if t.tok != Tok::Eof {
            self.prev_end = t.span.end as usize;
        }
        t
    }

    /// Forget the peeked token so the lexer can rescan from its start.
    fn unpeek(&mut self) {
        if let Some(t) = self.peeked.take() {
            self.lx.reset(t.span.start as usize);
        }
    }

    fn at_punct(&mut self, p: &str) -> bool {
        matches!(&self.peek().tok, Tok::Punct(q) if *q == p)
    }

    fn at_kw(&mut self, k: Kw) -> bool {
        self.peek().tok == Tok::Kw(k)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        if self.at_punct(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn error_here(&mut self, code: &'static str, what: &str) -> Reported {
        let t = self.peek().clone();
        self.diags.push(
            Diagnostic::error(
                code,
                format!("expected {what}, found {}", t.tok.describe()),
                t.span,
            )
            .label(format!("expected {what}")),
        );
        Reported
    }

    fn expect_punct(&mut self, p: &'static str) -> PResult<Span> {
        if self.at_punct(p) {
            return Ok(self.bump().span);
        }
        if p == ";" {
            // Point just after the previous token: that is where `;` belongs.
            let at = Span::new(self.prev_end, self.prev_end);
            let found = self.peek().tok.describe();
            self.diags.push(
                Diagnostic::error("E0201", format!("expected `;`, found {found}"), at)
                    .label("add `;` here"),
            );
            return Err(Reported);
        }
        Err(self.error_here("E0201", &format!("`{p}`")))
    }

    fn expect_ident(&mut self, what: &str) -> PResult<Ident> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Ident(name) => {
                self.bump();
                Ok(Ident { name, span: t.span })
            }
            Tok::Kw(k) => {
                self.diags.push(
                    Diagnostic::error(
                        "E0202",
                        format!("`{}` is a keyword and cannot be used as {what}", k.as_str()),
                        t.span,
                    )
                    .label("reserved word"),
                );
                Err(Reported)
            }
            _ => Err(self.error_here("E0201", what)),
        }
    }

    fn enter(&mut self, span: Span) -> PResult<()> {
        if self.depth >= MAX_DEPTH {
            self.diags.push(
                Diagnostic::error("E0203", "nested too deeply", span)
                    .label(format!("more than {MAX_DEPTH} levels of nesting")),
            );
            return Err(Reported);
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Skip to the end of the current statement: past the next `;` at this
    /// nesting level, or up to (not past) a `}` closing the enclosing block.
    fn recover_stmt(&mut self) {
        let mut depth = 0i32;
        loop {
            match self.peek_tok() {
                Tok::Eof => return,
                Tok::Punct(";") if depth == 0 => {
                    self.bump();
                    return;
                }
                Tok::Punct("{") => depth += 1,
                Tok::Punct("}") => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        // A block-ended construct (if/loop) is over.
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }

    // ----- items ----------------------------------------------------------

    fn script(&mut self) -> Script {
        let mut items = Vec::new();
        loop {
            self.unpeek();
            if let Some(rule_span) = self.lx.scan_rule(self.diags) {
                self.prev_end = rule_span.end as usize;
                if let Some(p) = self.probe(rule_span) {
                    items.push(Item::Probe(p));
                }
                continue;
            }
            match self.peek_tok() {
                Tok::Eof => break,
                Tok::Kw(Kw::Use) => {
                    if let Ok(i) = self.use_item() {
                        items.push(Item::Use(i));
                    } else {
                        self.recover_stmt();
                    }
                }
                Tok::Kw(Kw::Fn) => {
                    if let Some(f) = self.fn_def() {
                        items.push(Item::Fn(f));
                    }
                }
                Tok::Punct("}") => {
                    let t = self.bump();
                    self.diags.push(
                        Diagnostic::error("E0204", "unmatched `}`", t.span)
                            .label("no block is open here"),
                    );
                }
                Tok::Ident(name) if self.looks_like_one_part_rule() => {
                    let t = self.bump();
                    self.diags.push(
                        Diagnostic::error(
                            "E0205",
                            format!("`{name}` is not a complete probe rule"),
                            t.span,
                        )
                        .label("a rule needs at least two parts")
                        .help(
                            "write `provider:package:event:mode`, e.g. `wasm:opcode:call:before`",
                        ),
                    );
                    self.skip_block();
                }
                _ => match self.stmt() {
                    Ok(s) => items.push(Item::Stmt(s)),
                    Err(Reported) => self.recover_stmt(),
                },
            }
        }
        Script { items }
    }

    /// `wasm { .. }`: an identifier directly followed by a body.
    fn looks_like_one_part_rule(&mut self) -> bool {
        let t = self.peek().clone();
        let rest = &self.src[t.span.end as usize..];
        rest.trim_start().starts_with('{')
    }

    /// Skip a `{ ... }` block if one follows (error recovery).
    fn skip_block(&mut self) {
        if !self.at_punct("{") {
            return;
        }
        let mut depth = 0;
        loop {
            match self.bump().tok {
                Tok::Eof => return,
                Tok::Punct("{") => depth += 1,
                Tok::Punct("}") => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn use_item(&mut self) -> PResult<Ident> {
        self.bump();
        let name = self.expect_ident("a library name")?;
        self.expect_punct(";")?;
        Ok(name)
    }

    fn fn_def(&mut self) -> Option<FnDef> {
        let start = self.bump().span;
        let header = (|| -> PResult<(Ident, Vec<Param>, Option<TypeExpr>)> {
            let name = self.expect_ident("a function name")?;
            self.expect_punct("(")?;
            let params = self.params(")")?;
            self.expect_punct(")")?;
            let ret = if self.eat_punct("->") {
                Some(self.type_expr()?)
            } else {
                None
            };
            Ok((name, params, ret))
        })();
        let Ok((name, params, ret)) = header else {
            self.skip_to_block_and_drop();
            return None;
        };
        let body = self.block().ok()?;
        Some(FnDef {
            span: start.to(body.span),
            name,
            params,
            ret,
            body,
        })
    }

    /// After a broken item header: skip to its `{ .. }` body and past it.
    fn skip_to_block_and_drop(&mut self) {
        loop {
            match self.peek_tok() {
                Tok::Eof => return,
                Tok::Punct("{") => {
                    self.skip_block();
                    return;
                }
                Tok::Punct(";") => {
                    self.bump();
                    return;
                }
                _ => {
                    self.bump();
                }
            }
        }
    }

    /// `name: type, ...` up to (not including) `close`.
    fn params(&mut self, close: &str) -> PResult<Vec<Param>> {
        let mut params = Vec::new();
        while !self.at_punct(close) && self.peek().tok != Tok::Eof {
            let name = self.expect_ident("a parameter name")?;
            self.expect_punct(":")?;
            let ty = self.type_expr()?;
            params.push(Param { name, ty });
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(params)
    }

    fn probe(&mut self, rule_span: Span) -> Option<Probe> {
        let rule = self.rule(rule_span);
        let predicate = if self.at_punct("/") {
            self.bump();
            let saved = self.no_slash;
            self.no_slash = true;
            let e = self.expr();
            self.no_slash = saved;
            match e.and_then(|e| self.expect_punct("/").map(|_| e)) {
                Ok(e) => Some(e),
                Err(Reported) => {
                    self.skip_to_block_and_drop();
                    return None;
                }
            }
        } else {
            None
        };
        let body = match self.block() {
            Ok(b) => b,
            Err(Reported) => {
                self.skip_to_block_and_drop();
                return None;
            }
        };
        Some(Probe {
            span: rule_span.to(body.span),
            rule,
            predicate,
            body,
        })
    }

    /// Split the rule text into parts at top-level `:` and parse each part's
    /// optional typed bounds.
    fn rule(&mut self, span: Span) -> Rule {
        let text = &self.src[span.range()];
        let mut parts = Vec::new();
        let mut depth = 0;
        let mut part_start = 0;
        let bytes = text.as_bytes();
        for i in 0..=bytes.len() {
            let at_end = i == bytes.len();
            match bytes.get(i) {
                Some(b'(' | b'<') => depth += 1,
                Some(b')' | b'>') => depth -= 1,
                _ => {}
            }
            if at_end || (bytes[i] == b':' && depth == 0) {
                let s = span.start as usize + part_start;
                let e = span.start as usize + i;
                parts.push(self.rule_part(Span::new(s, e)));
                part_start = i + 1;
            }
        }
        // `:::` would match every event there is: a slip, not a wish (as
        // whamm 2.0.1 says too). `*` asks for everything.
        if parts
            .iter()
            .all(|p| p.pattern.is_none() && p.bounds.is_empty() && p.generics.is_empty())
        {
            self.diags.push(
                Diagnostic::error("E0218", "empty probe specification", span)
                    .label("no provider, package, event or mode named")
                    .help("name at least one part, e.g. `wasm:opcode:*:before`"),
            );
        }
        Rule { parts, span }
    }

    fn rule_part(&mut self, span: Span) -> RulePart {
        let whole = &self.src[span.range()];
        // `NAME <generics>? (bounds)?`: the header sits between the name
        // and the bounds.
        let (name_end, generics, rest_at) = match (whole.find('<'), whole.find('>')) {
            (Some(open), Some(close))
                if close > open && whole.find('(').is_none_or(|b| b > close) =>
            {
                let inner = Span::new(span.start as usize + open + 1, span.start as usize + close);
                (Some(open), self.generic_header(inner), close + 1)
            }
            _ => (None, Vec::new(), 0),
        };
        let text = &whole[rest_at..];
        let span_rest = Span::new(span.start as usize + rest_at, span.end as usize);
        let (pattern, bounds) = match text.find('(') {
            None => (text, Vec::new()),
            Some(open) => {
                let close = text.rfind(')').unwrap_or(text.len());
                let inner = Span::new(
                    span_rest.start as usize + open + 1,
                    span_rest.start as usize + close.max(open + 1),
                );
                if close + 1 != text.len() {
                    let after = Span::new(span_rest.start as usize + close + 1, span.end as usize);
                    self.diags.push(
                        Diagnostic::error("E0206", "unexpected text after rule bounds", after)
                            .label("the `(...)` bounds must end the rule part"),
                    );
                }
                let mut sub = Parser::new(Lexer::sub(self.src, inner), self.src, self.diags);
                let bounds = sub.params(")").unwrap_or_default();
                if sub.peek().tok != Tok::Eof {
                    let _ = sub.error_here("E0201", "`,` or `)` in rule bounds");
                }
                (&text[..open], bounds)
            }
        };
        let pattern = match name_end {
            Some(open) => &whole[..open],
            None => pattern,
        };
        if name_end.is_some() && !text.is_empty() && !text.starts_with('(') {
            self.diags.push(
                Diagnostic::error("E0206", "unexpected text after a generic header", span_rest)
                    .label("only `(...)` bounds may follow `<...>`"),
            );
        }
        RulePart {
            pattern: (!pattern.is_empty()).then(|| pattern.to_string()),
            generics,
            bounds,
            span,
        }
    }

    /// `T, U: int` inside `<...>`.
    fn generic_header(&mut self, inner: Span) -> Vec<TypeParam> {
        let mut sub = Parser::new(Lexer::sub(self.src, inner), self.src, self.diags);
        let mut out = Vec::new();
        while sub.peek().tok != Tok::Eof {
            let Ok(name) = sub.expect_ident("a type parameter") else {
                break;
            };
            if !name.name.starts_with(|c: char| c.is_ascii_uppercase()) {
                sub.diags.push(
                    Diagnostic::error(
                        "E0219",
                        format!(
                            "type parameter `{}` must start with an upper-case letter",
                            name.name
                        ),
                        name.span,
                    )
                    .label("not a type parameter name")
                    .help("name type parameters like types: `<T: int>`"),
                );
            }
            let mut constraint = None;
            if sub.eat_punct(":") {
                let Ok(word) = sub.expect_ident("a constraint") else {
                    break;
                };
                constraint = Constraint::parse(&word.name);
                if constraint.is_none() {
                    sub.diags.push(
                        Diagnostic::error(
                            "E0220",
                            format!("unknown generic constraint `{}`", word.name),
                            word.span,
                        )
                        .label("not a constraint")
                        .help("expected one of `numeric`, `int`, `float`"),
                    );
                }
            }
            out.push(TypeParam { name, constraint });
            if !sub.eat_punct(",") {
                break;
            }
        }
        if sub.peek().tok != Tok::Eof {
            let _ = sub.error_here("E0201", "`,` or `>` in a generic header");
        }
        out
    }

    // ----- types ----------------------------------------------------------

    fn type_expr(&mut self) -> PResult<TypeExpr> {
        let at = self.peek().span;
        self.enter(at)?;
        let r = self.type_expr_inner();
        self.leave();
        r
    }

    fn type_expr_inner(&mut self) -> PResult<TypeExpr> {
        let t = self.peek().clone();
        let start = t.span;
        let ty = match t.tok {
            Tok::Ident(name) => {
                self.bump();
                match primitive_type(&name) {
                    Some(ty) => ty,
                    // A type parameter; the checker knows which exist.
                    None if name.starts_with(|c: char| c.is_ascii_uppercase()) => Ty::Param(name),
                    None => {
                        self.diags.push(
                            Diagnostic::error("E0207", format!("unknown type `{name}`"), t.span)
                                .label("not a type")
                                .help(unknown_type_help(&name)),
                        );
                        return Err(Reported);
                    }
                }
            }
            Tok::Kw(Kw::Map) => {
                self.bump();
                self.expect_punct("<")?;
                let k = self.type_expr()?;
                self.expect_punct(",")?;
                let v = self.type_expr()?;
                // `map<u32, map<u32, u32>>` lexes its end as `>>`.
                if self.at_punct(">>") {
                    let t = self.bump();
                    self.peeked = Some(Token {
                        tok: Tok::Punct(">"),
                        span: Span::new(t.span.start as usize + 1, t.span.end as usize),
                    });
                } else {
                    self.expect_punct(">")?;
                }
                Ty::Map(Box::new(k.ty), Box::new(v.ty))
            }
            Tok::Punct("(") => {
                self.bump();
                let mut items = Vec::new();
                while !self.at_punct(")") {
                    items.push(self.type_expr()?.ty);
                    if !self.eat_punct(",") {
                        break;
                    }
                }
                self.expect_punct(")")?;
                if items.is_empty() {
                    Ty::Unit
                } else {
                    Ty::Tuple(items)
                }
            }
            _ => return Err(self.error_here("E0201", "a type")),
        };
        Ok(TypeExpr {
            ty,
            span: start.to(Span::new(self.prev_end, self.prev_end)),
        })
    }

    // ----- statements -----------------------------------------------------

    fn block(&mut self) -> PResult<Block> {
        let open = self.expect_punct("{")?;
        self.enter(open)?;
        let mut stmts = Vec::new();
        loop {
            match self.peek_tok() {
                Tok::Punct("}") => break,
                Tok::Eof => {
                    self.leave();
                    let at = self.peek().span;
                    self.diags.push(
                        Diagnostic::error("E0208", "unclosed block: expected `}`", at)
                            .label("file ends here")
                            .with_secondary(open, "block opened here"),
                    );
                    return Err(Reported);
                }
                _ => match self.stmt() {
                    Ok(s) => stmts.push(s),
                    Err(Reported) => self.recover_stmt(),
                },
            }
        }
        self.leave();
        let close = self.bump().span;
        Ok(Block {
            stmts,
            span: open.to(close),
        })
    }

    fn stmt(&mut self) -> PResult<Stmt> {
        let t = self.peek().clone();
        let start = t.span;
        let kind = match t.tok {
            Tok::Kw(Kw::Var | Kw::Report | Kw::Unshared | Kw::Frame | Kw::Shared) => {
                return self.decl();
            }
            Tok::Kw(Kw::If) => return self.if_stmt(),
            Tok::Kw(Kw::Return) => {
                self.bump();
                let value = if self.at_punct(";") {
                    None
                } else {
                    Some(self.expr()?)
                };
                self.expect_punct(";")?;
                StmtKind::Return(value)
            }
            Tok::Kw(k @ (Kw::While | Kw::For)) => {
                self.bump();
                self.diags.push(
                    Diagnostic::error(
                        "E0209",
                        format!("`{}` loops are not part of the language", k.as_str()),
                        t.span,
                    )
                    .label("no loops in scripts")
                    .help("probes run once per event; keep state in `unshared` variables or maps instead"),
                );
                // Skip the loop header (which may contain `;`) and its body.
                while !matches!(
                    self.peek_tok(),
                    Tok::Punct("{") | Tok::Punct("}") | Tok::Eof
                ) {
                    self.bump();
                }
                self.skip_block();
                return Err(Reported);
            }
            Tok::Kw(Kw::Use) => {
                self.diags.push(
                    Diagnostic::error(
                        "E0210",
                        "`use` is only allowed at the top of a script",
                        t.span,
                    )
                    .label("inside a block")
                    .help("move `use` before the first probe"),
                );
                return Err(Reported);
            }
            Tok::Kw(Kw::Fn) => {
                self.diags.push(
                    Diagnostic::error(
                        "E0211",
                        "functions cannot be defined inside a block",
                        t.span,
                    )
                    .label("nested function")
                    .help("define functions at the top level of the script"),
                );
                self.bump();
                self.skip_to_block_and_drop();
                return Err(Reported);
            }
            Tok::Punct("@") => {
                let (name, span) = self.annotation()?;
                if name == "init" {
                    let call = self.postfix_expr()?;
                    if !matches!(
                        call.kind,
                        ExprKind::Method { .. } | ExprKind::LibCall { .. }
                    ) {
                        self.diags.push(
                            Diagnostic::error(
                                "E0212",
                                "`@init` must annotate a library call",
                                call.span,
                            )
                            .label("not a library call")
                            .help("write `@init lib.function(args);`"),
                        );
                        return Err(Reported);
                    }
                    self.expect_punct(";")?;
                    StmtKind::Init(call)
                } else {
                    // `@static lib.f(..);` as a statement: an expression statement.
                    let e = self.lib_call_after_static(span)?;
                    self.expect_punct(";")?;
                    StmtKind::Expr(e)
                }
            }
            _ => {
                let target = self.expr()?;
                if self.eat_punct("=") {
                    let value = self.expr()?;
                    self.expect_punct(";")?;
                    StmtKind::Assign { target, value }
                } else if self.at_punct("++") || self.at_punct("--") {
                    let delta = if self.bump().tok == Tok::Punct("++") {
                        1
                    } else {
                        -1
                    };
                    self.expect_punct(";")?;
                    StmtKind::Incr { target, delta }
                } else if self.at_punct(";") {
                    if !matches!(
                        target.kind,
                        ExprKind::Call { .. } | ExprKind::LibCall { .. } | ExprKind::Method { .. }
                    ) {
                        self.diags.push(
                            Diagnostic::error("E0213", "this expression does nothing as a statement", target.span)
                                .label("value is computed and thrown away")
                                .help("only calls, assignments, `++`/`--`, declarations and control flow are statements"),
                        );
                        self.bump();
                        return Err(Reported);
                    }
                    self.bump();
                    StmtKind::Expr(target)
                } else {
                    let found = self.peek().tok.describe();
                    let at = Span::new(self.prev_end, self.prev_end);
                    self.diags.push(
                        Diagnostic::error(
                            "E0201",
                            format!("expected `;`, `=`, `++` or `--`, found {found}"),
                            at,
                        )
                        .label("statement is incomplete here"),
                    );
                    return Err(Reported);
                }
            }
        };
        Ok(Stmt {
            kind,
            span: start.to(Span::new(self.prev_end, self.prev_end)),
        })
    }

    /// `@name`; returns the annotation name and its span. Only `static` and
    /// `init` exist.
    fn annotation(&mut self) -> PResult<(String, Span)> {
        let at = self.bump().span;
        let name = self.expect_ident("an annotation name")?;
        let span = at.to(name.span);
        if name.name != "static" && name.name != "init" {
            self.diags.push(
                Diagnostic::error(
                    "E0214",
                    format!("unknown annotation `@{}`", name.name),
                    span,
                )
                .label("not an annotation")
                .help("the annotations are `@static` and `@init`"),
            );
            return Err(Reported);
        }
        Ok((name.name, span))
    }

    fn lib_call_after_static(&mut self, at: Span) -> PResult<Expr> {
        let call = self.postfix_expr()?;
        match call.kind {
            ExprKind::Method { recv, method, args } => match recv.kind {
                ExprKind::Var(lib) => Ok(Expr {
                    span: at.to(call.span),
                    kind: ExprKind::LibCall {
                        lib,
                        func: method,
                        args,
                        is_static: true,
                    },
                }),
                _ => Err(self.static_misuse(call.span)),
            },
            _ => Err(self.static_misuse(call.span)),
        }
    }

    fn static_misuse(&mut self, span: Span) -> Reported {
        self.diags.push(
            Diagnostic::error("E0212", "`@static` must annotate a library call", span)
                .label("not a library call")
                .help("write `@static lib.function(args)`"),
        );
        Reported
    }

    fn decl(&mut self) -> PResult<Stmt> {
        let start = self.peek().span;
        let mut mods = Modifiers::default();
        loop {
            let t = self.peek().clone();
            let slot = match t.tok {
                Tok::Kw(Kw::Report) => &mut mods.report,
                Tok::Kw(Kw::Unshared) => &mut mods.unshared,
                Tok::Kw(Kw::Frame) => &mut mods.frame,
                Tok::Kw(Kw::Shared) => &mut mods.shared,
                _ => break,
            };
            self.bump();
            if let Some(first) = *slot {
                let word = &self.src[t.span.range()];
                self.diags.push(
                    Diagnostic::error("E0215", format!("`{word}` is given twice"), t.span)
                        .label("repeated modifier")
                        .with_secondary(first, "first given here"),
                );
                return Err(Reported);
            }
            *slot = Some(t.span);
        }
        if !self.at_kw(Kw::Var) {
            return Err(self.error_here("E0201", "`var`"));
        }
        self.bump();
        let name = self.expect_ident("a variable name")?;
        let ty = if self.eat_punct(":") {
            Some(self.type_expr()?)
        } else {
            self.diags.push(
                Diagnostic::error("E0216", format!("`{}` needs a type", name.name), name.span)
                    .label("no type given")
                    .help(format!("add a type, e.g. `var {}: u32`", name.name)),
            );
            None
        };
        let init = if self.eat_punct("=") {
            Some(self.expr()?)
        } else {
            None
        };
        self.expect_punct(";")?;
        Ok(Stmt {
            kind: StmtKind::Decl {
                mods,
                name,
                ty,
                init,
            },
            span: start.to(Span::new(self.prev_end, self.prev_end)),
        })
    }

    fn if_stmt(&mut self) -> PResult<Stmt> {
        let start = self.bump().span;
        let mut branches = Vec::new();
        let cond = self.expr()?;
        let body = self.block()?;
        branches.push((cond, body));
        let mut otherwise = None;
        loop {
            if self.at_kw(Kw::Elif) {
                self.bump();
                let cond = self.expr()?;
                let body = self.block()?;
                branches.push((cond, body));
            } else if self.at_kw(Kw::Else) {
                self.bump();
                if self.at_kw(Kw::If) {
                    // `else if` reads naturally; treat it as `elif`.
                    self.bump();
                    let cond = self.expr()?;
                    let body = self.block()?;
                    branches.push((cond, body));
                    continue;
                }
                otherwise = Some(self.block()?);
                break;
            } else {
                break;
            }
        }
        let end = self.prev_end;
        if self.at_punct(";") {
            let semi = self.bump().span;
            self.diags.push(
                Diagnostic::warning("W0004", "unnecessary `;` after a block", semi)
                    .label("remove this `;`"),
            );
        }
        Ok(Stmt {
            kind: StmtKind::If {
                branches,
                otherwise,
            },
            span: start.to(Span::new(end, end)),
        })
    }

    // ----- expressions ----------------------------------------------------

    pub fn expr(&mut self) -> PResult<Expr> {
        let start = self.peek().span;
        self.enter(start)?;
        let r = self.ternary();
        self.leave();
        r
    }

    fn ternary(&mut self) -> PResult<Expr> {
        let cond = self.binary(0)?;
        if !self.eat_punct("?") {
            return Ok(cond);
        }
        let then = self.expr()?;
        self.expect_punct(":")?;
        let otherwise = self.expr()?;
        Ok(Expr {
            span: cond.span.to(otherwise.span),
            kind: ExprKind::Ternary {
                cond: Box::new(cond),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
        })
    }

    /// The binary operator at the current token, with its level (1 = lowest).
    fn binop_here(&mut self) -> Option<(BinOp, u8)> {
        let Tok::Punct(p) = self.peek().tok else {
            return None;
        };
        Some(match p {
            "&&" => (BinOp::And, 1),
            "||" => (BinOp::Or, 1),
            "|" => (BinOp::BitOr, 2),
            "^" => (BinOp::BitXor, 3),
            "&" => (BinOp::BitAnd, 4),
            "==" => (BinOp::Eq, 5),
            "!=" => (BinOp::Ne, 5),
            "<" => (BinOp::Lt, 5),
            "<=" => (BinOp::Le, 5),
            ">" => (BinOp::Gt, 5),
            ">=" => (BinOp::Ge, 5),
            "<<" => (BinOp::Shl, 6),
            ">>" => (BinOp::Shr, 6),
            "+" => (BinOp::Add, 7),
            "-" => (BinOp::Sub, 7),
            "*" => (BinOp::Mul, 8),
            "/" if !self.no_slash => (BinOp::Div, 8),
            "%" => (BinOp::Rem, 8),
            _ => return None,
        })
    }

    /// Precedence climbing over left-associative levels above `min`.
    fn binary(&mut self, min: u8) -> PResult<Expr> {
        // A long chain `a + b + c ...` builds a deep tree: count each link
        // as a nesting level so later recursive passes stay bounded.
        let saved = self.depth;
        let r = self.binary_chain(min);
        self.depth = saved;
        r
    }

    fn binary_chain(&mut self, min: u8) -> PResult<Expr> {
        let mut lhs = self.prefix()?;
        while let Some((op, level)) = self.binop_here() {
            if level <= min {
                break;
            }
            if op.is_logical() {
                lhs = self.logical_run(lhs, op, level)?;
                continue;
            }
            let op_span = self.bump().span;
            self.enter(op_span)?;
            let rhs = self.binary(level)?;
            if op.is_logical() {
                self.warn_mixed_logic(&lhs, op, op_span);
            }
            lhs = Expr {
                span: lhs.span.to(rhs.span),
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
            };
        }
        Ok(lhs)
    }

    /// A run `a || b || c ...` of one logical operator after `first`: as a
    /// balanced tree, so generated predicates with thousands of terms nest
    /// only logarithmically deep (as whamm 2.0.1 does). The operator is
    /// associative, and in-order evaluation keeps the order and the
    /// short-circuiting.
    fn logical_run(&mut self, first: Expr, op: BinOp, level: u8) -> PResult<Expr> {
        let mut operands = vec![first];
        while let Some((next, _)) = self.binop_here() {
            if next != op {
                break;
            }
            let op_span = self.bump().span;
            if operands.len() == 1 {
                self.warn_mixed_logic(&operands[0], op, op_span);
            }
            operands.push(self.binary(level)?);
        }
        Ok(balanced(op, operands))
    }

    /// `a || b && c` groups as `(a || b) && c` here, unlike C: say so.
    fn warn_mixed_logic(&mut self, lhs: &Expr, op: BinOp, op_span: Span) {
        if let ExprKind::Binary { op: prev, .. } = &lhs.kind
            && prev.is_logical()
            && *prev != op
        {
            self.diags.push(
                Diagnostic::warning(
                    "W0003",
                    format!("`{}` and `{}` have the same precedence", prev.symbol(), op.symbol()),
                    op_span,
                )
                .label(format!("this groups as `(...) {} ...`", op.symbol()))
                .with_secondary(lhs.span, "evaluated first")
                .help("add parentheses to say which you mean (unlike C, `&&` does not bind tighter than `||`)"),
            );
        }
    }

    fn prefix(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        let op = match t.tok {
            Tok::Punct("!") => UnOp::Not,
            Tok::Punct("~") => UnOp::BitNot,
            Tok::Punct("-") => UnOp::Neg,
            _ => return self.cast_expr(),
        };
        self.bump();
        // `-5` is a literal (so `-5 as u32` casts the literal).
        if op == UnOp::Neg {
            let next = self.peek().clone();
            let neg_lit = match next.tok {
                Tok::Int { value, radix } => Some(ExprKind::Int {
                    value: -value,
                    radix,
                }),
                Tok::Float(f) => Some(ExprKind::Float(-f)),
                _ => None,
            };
            if let Some(kind) = neg_lit {
                self.bump();
                let lit = Expr {
                    kind,
                    span: t.span.to(next.span),
                };
                return self.casts(lit);
            }
        }
        self.enter(t.span)?;
        let operand = self.prefix();
        self.leave();
        let operand = operand?;
        Ok(Expr {
            span: t.span.to(operand.span),
            kind: ExprKind::Unary {
                op,
                expr: Box::new(operand),
            },
        })
    }

    fn cast_expr(&mut self) -> PResult<Expr> {
        let e = self.postfix_expr()?;
        self.casts(e)
    }

    fn casts(&mut self, mut e: Expr) -> PResult<Expr> {
        while self.at_kw(Kw::As) {
            self.bump();
            let ty = self.type_expr()?;
            e = Expr {
                span: e.span.to(ty.span),
                kind: ExprKind::Cast {
                    expr: Box::new(e),
                    ty,
                },
            };
        }
        Ok(e)
    }

    fn postfix_expr(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        loop {
            if self.at_punct("[") {
                self.bump();
                let saved = std::mem::replace(&mut self.no_slash, false);
                let index = self.expr();
                self.no_slash = saved;
                let index = index?;
                let close = self.expect_punct("]")?;
                e = Expr {
                    span: e.span.to(close),
                    kind: ExprKind::Index {
                        base: Box::new(e),
                        index: Box::new(index),
                    },
                };
            } else if self.at_punct(".") {
                self.bump();
                let t = self.peek().clone();
                match t.tok {
                    Tok::Int { value, radix: 10 } if value <= u32::MAX as i128 => {
                        self.bump();
                        e = Expr {
                            span: e.span.to(t.span),
                            kind: ExprKind::Field {
                                base: Box::new(e),
                                index: value as u32,
                                index_span: t.span,
                            },
                        };
                    }
                    Tok::Ident(_) => {
                        let method = self.expect_ident("a method name")?;
                        if !self.at_punct("(") {
                            self.diags.push(
                                Diagnostic::error(
                                    "E0217",
                                    format!("`.{}` must be called", method.name),
                                    method.span,
                                )
                                .label("expected `(` after this")
                                .help("fields are numbered (`t.0`); methods and library functions are called (`s.len()`, `lib.f()`)"),
                            );
                            return Err(Reported);
                        }
                        let (args, close) = self.call_args()?;
                        e = Expr {
                            span: e.span.to(close),
                            kind: ExprKind::Method {
                                recv: Box::new(e),
                                method,
                                args,
                            },
                        };
                    }
                    Tok::Int { value, radix: 10 } => {
                        self.diags.push(
                            Diagnostic::error(
                                "E0201",
                                format!("tuple index `{value}` is too large"),
                                t.span,
                            )
                            .label("a tuple index must fit in 32 bits")
                            .help("tuples have a handful of fields, numbered from 0"),
                        );
                        return Err(Reported);
                    }
                    _ => {
                        return Err(
                            self.error_here("E0201", "a tuple index or a method name after `.`")
                        );
                    }
                }
            } else {
                return Ok(e);
            }
        }
    }

    /// `( args )`, the `(` not yet consumed. Returns the span of `)`.
    fn call_args(&mut self) -> PResult<(Vec<Expr>, Span)> {
        self.expect_punct("(")?;
        let saved = std::mem::replace(&mut self.no_slash, false);
        let r = (|| {
            let mut args = Vec::new();
            while !self.at_punct(")") {
                args.push(self.expr()?);
                if !self.eat_punct(",") {
                    break;
                }
            }
            let close = self.expect_punct(")")?;
            Ok((args, close))
        })();
        self.no_slash = saved;
        r
    }

    fn primary(&mut self) -> PResult<Expr> {
        let t = self.peek().clone();
        let kind = match t.tok {
            Tok::Int { value, radix } => {
                self.bump();
                ExprKind::Int { value, radix }
            }
            Tok::Float(f) => {
                self.bump();
                ExprKind::Float(f)
            }
            Tok::Str(ref s) => {
                self.bump();
                ExprKind::Str(s.clone())
            }
            Tok::Kw(Kw::True) => {
                self.bump();
                ExprKind::Bool(true)
            }
            Tok::Kw(Kw::False) => {
                self.bump();
                ExprKind::Bool(false)
            }
            Tok::Punct("@") => {
                let (name, span) = self.annotation()?;
                if name == "init" {
                    self.diags.push(
                        Diagnostic::error("E0212", "`@init` calls are statements, not values", span)
                            .label("used inside an expression")
                            .help("write `@init lib.f(args);` on its own line, or use `@static` for a value computed at instrumentation time"),
                    );
                    return Err(Reported);
                }
                return self.lib_call_after_static(span);
            }
            Tok::Punct("(") => return self.paren_or_tuple(),
            Tok::Ident(ref name) => {
                self.bump();
                let ident = Ident {
                    name: name.clone(),
                    span: t.span,
                };
                if self.at_punct("(") {
                    let (args, close) = self.call_args()?;
                    return Ok(Expr {
                        span: t.span.to(close),
                        kind: ExprKind::Call {
                            callee: ident,
                            args,
                        },
                    });
                }
                ExprKind::Var(ident)
            }
            _ => return Err(self.error_here("E0201", "an expression")),
        };
        Ok(Expr { kind, span: t.span })
    }

    fn paren_or_tuple(&mut self) -> PResult<Expr> {
        let open = self.bump().span;
        let saved = std::mem::replace(&mut self.no_slash, false);
        let r = (|| {
            let mut items = Vec::new();
            let mut trailing_comma = false;
            while !self.at_punct(")") {
                items.push(self.expr()?);
                trailing_comma = self.eat_punct(",");
                if !trailing_comma {
                    break;
                }
            }
            let close = self.expect_punct(")")?;
            let span = open.to(close);
            Ok(if items.len() == 1 && !trailing_comma {
                let inner = items.pop().expect("one item");
                Expr {
                    span,
                    kind: ExprKind::Paren(Box::new(inner)),
                }
            } else {
                Expr {
                    span,
                    kind: ExprKind::Tuple(items),
                }
            })
        })();
        self.no_slash = saved;
        r
    }
}

/// The built-in scalar types by name.
pub fn primitive_type(name: &str) -> Option<Ty> {
    Some(match name {
        "u8" => Ty::U8,
        "i8" => Ty::I8,
        "u16" => Ty::U16,
        "i16" => Ty::I16,
        "u32" => Ty::U32,
        "i32" => Ty::I32,
        "u64" => Ty::U64,
        "i64" => Ty::I64,
        "f32" => Ty::F32,
        "f64" => Ty::F64,
        "bool" => Ty::Bool,
        "str" => Ty::Str,
        "funcref" => Ty::Funcref,
        "v128" => Ty::V128,
        _ => return None,
    })
}

/// `operands` joined by `op` as a balanced tree, in order.
fn balanced(op: BinOp, mut operands: Vec<Expr>) -> Expr {
    if operands.len() == 1 {
        return operands.pop().expect("one operand");
    }
    let right = operands.split_off(operands.len() / 2);
    let (lhs, rhs) = (balanced(op, operands), balanced(op, right));
    Expr {
        span: lhs.span.to(rhs.span),
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
    }
}

/// What to write instead of a type name that is not one.
pub(crate) fn unknown_type_help(name: &str) -> &'static str {
    match name {
        "int" | "i" => "use `i32` or `i64`",
        "uint" | "u" | "usize" => "use `u32` or `u64`",
        "float" | "double" => "use `f32` or `f64`",
        "string" | "String" => "use `str`",
        "boolean" | "Boolean" | "Bool" => "use `bool`",
        _ => {
            "types are u8 i8 u16 i16 u32 i32 u64 i64 f32 f64 bool str funcref v128, tuples `(..)`, `map<K, V>` and a generic probe's type parameters"
        }
    }
}
