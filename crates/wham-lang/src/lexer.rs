//! The lexer: script text to tokens, on demand.
//!
//! The parser pulls tokens one at a time because probe rules
//! (`wasm:opcode:i32.load*:before`) are not made of ordinary tokens: at the
//! start of a top-level item the parser asks [`Lexer::scan_rule`] whether a
//! rule starts there before lexing normally.

use crate::diag::{Diagnostic, Diagnostics};
use crate::literal;
use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    /// An integer literal with its digits (no `_`) and radix.
    Int {
        value: i128,
        radix: u32,
    },
    Float(f64),
    Str(Vec<u8>),
    Kw(Kw),
    Punct(&'static str),
    Eof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kw {
    Use,
    Fn,
    Var,
    Report,
    Unshared,
    Frame,
    Shared,
    Return,
    If,
    Elif,
    Else,
    As,
    True,
    False,
    Map,
    While,
    For,
}

impl Kw {
    fn from_ident(s: &str) -> Option<Kw> {
        Some(match s {
            "use" => Kw::Use,
            "fn" => Kw::Fn,
            "var" => Kw::Var,
            "report" => Kw::Report,
            "unshared" => Kw::Unshared,
            "frame" => Kw::Frame,
            "shared" => Kw::Shared,
            "return" => Kw::Return,
            "if" => Kw::If,
            "elif" => Kw::Elif,
            "else" => Kw::Else,
            "as" => Kw::As,
            "true" => Kw::True,
            "false" => Kw::False,
            "map" => Kw::Map,
            "while" => Kw::While,
            "for" => Kw::For,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kw::Use => "use",
            Kw::Fn => "fn",
            Kw::Var => "var",
            Kw::Report => "report",
            Kw::Unshared => "unshared",
            Kw::Frame => "frame",
            Kw::Shared => "shared",
            Kw::Return => "return",
            Kw::If => "if",
            Kw::Elif => "elif",
            Kw::Else => "else",
            Kw::As => "as",
            Kw::True => "true",
            Kw::False => "false",
            Kw::Map => "map",
            Kw::While => "while",
            Kw::For => "for",
        }
    }
}

impl Tok {
    /// How the token is named in "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("identifier `{s}`"),
            Tok::Int { .. } => "integer literal".into(),
            Tok::Float(_) => "float literal".into(),
            Tok::Str(_) => "string literal".into(),
            Tok::Kw(k) => format!("keyword `{}`", k.as_str()),
            Tok::Punct(p) => format!("`{p}`"),
            Tok::Eof => "end of file".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Longest first, so `<<` wins over `<`.
const PUNCTS: &[&str] = &[
    "&&", "||", "==", "!=", "<=", ">=", "<<", ">>", "++", "--", "->", "(", ")", "{", "}", "[", "]",
    ",", ";", ":", ".", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "?", "@",
];

/// Characters allowed in a rule part's pattern.
fn is_rule_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"_.*+\\?|![]".contains(&c)
}

pub struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    end: usize,
    /// Set after a `.` so `t.0.1` lexes as fields, not the float `0.1`.
    after_dot: bool,
}

impl<'s> Lexer<'s> {
    pub fn new(src: &'s str) -> Self {
        Lexer {
            src,
            pos: 0,
            end: src.len(),
            after_dot: false,
        }
    }

    /// A lexer over `src[span]` only (rule bounds are lexed this way).
    pub fn sub(src: &'s str, span: Span) -> Self {
        Lexer {
            src,
            pos: span.start as usize,
            end: span.end as usize,
            after_dot: false,
        }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Move back to `pos` (the parser un-peeks this way).
    pub fn reset(&mut self, pos: usize) {
        self.pos = pos;
        self.after_dot = false;
    }

    fn bytes(&self) -> &'s [u8] {
        &self.src.as_bytes()[..self.end]
    }

    fn peek_byte(&self, ahead: usize) -> Option<u8> {
        self.bytes().get(self.pos + ahead).copied()
    }

    /// Skip whitespace and comments; block comments nest.
    fn skip_trivia(&mut self, diags: &mut Diagnostics) {
        loop {
            match (self.peek_byte(0), self.peek_byte(1)) {
                (Some(c), _) if c.is_ascii_whitespace() => self.pos += 1,
                (Some(b'/'), Some(b'/')) => {
                    while let Some(c) = self.peek_byte(0) {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    let start = self.pos;
                    self.pos += 2;
                    let mut depth = 1;
                    while depth > 0 {
                        match (self.peek_byte(0), self.peek_byte(1)) {
                            (None, _) => {
                                diags.push(
                                    Diagnostic::error(
                                        "E0101",
                                        "unterminated block comment",
                                        Span::new(start, start + 2),
                                    )
                                    .label("comment starts here")
                                    .help("block comments nest: every `/*` needs its own `*/`"),
                                );
                                return;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.pos += 2;
                            }
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// If a probe rule starts here (after trivia), consume it and return its
    /// span. A rule is a run of pattern characters, `:` and balanced
    /// `(...)` groups containing at least one `:`, followed by `/` or `{`.
    pub fn scan_rule(&mut self, diags: &mut Diagnostics) -> Option<Span> {
        self.skip_trivia(diags);
        let bytes = self.bytes();
        let start = self.pos;
        let mut i = start;
        let mut colons = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b':' {
                colons += 1;
                i += 1;
            } else if is_rule_char(c) {
                i += 1;
            } else if c == b'<' {
                // A generic header, `local.set<T: int>`: no nesting.
                while i < bytes.len() && bytes[i] != b'>' {
                    if matches!(bytes[i], b'{' | b'}' | b';' | b'/' | b'(') {
                        return None;
                    }
                    i += 1;
                }
                if i == bytes.len() {
                    return None;
                }
                i += 1;
            } else if c == b'(' {
                let mut depth = 0;
                while i < bytes.len() {
                    match bytes[i] {
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        b'{' | b'}' | b';' => return None,
                        _ => {}
                    }
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
                if depth != 0 {
                    return None;
                }
            } else {
                break;
            }
        }
        if colons == 0 || i == start {
            return None;
        }
        // What follows must open a predicate or a body.
        let saved = self.pos;
        self.pos = i;
        let mut quiet = Diagnostics::default();
        self.skip_trivia(&mut quiet);
        let next = self.peek_byte(0);
        if matches!(next, Some(b'/') | Some(b'{')) {
            Some(Span::new(start, i))
        } else {
            self.pos = saved;
            None
        }
    }

    pub fn next_token(&mut self, diags: &mut Diagnostics) -> Token {
        loop {
            self.skip_trivia(diags);
            let start = self.pos;
            let Some(c) = self.peek_byte(0) else {
                return Token {
                    tok: Tok::Eof,
                    span: Span::new(self.end, self.end),
                };
            };
            let after_dot = std::mem::take(&mut self.after_dot);
            let tok = if c.is_ascii_alphabetic() || c == b'_' {
                self.ident()
            } else if c.is_ascii_digit() {
                self.number(after_dot, diags)
            } else if c == b'"' {
                self.string(diags)
            } else if let Some(p) = PUNCTS
                .iter()
                .find(|p| self.bytes()[self.pos..].starts_with(p.as_bytes()))
            {
                self.pos += p.len();
                self.after_dot = *p == ".";
                Tok::Punct(p)
            } else {
                // Skip the whole (possibly multi-byte) character.
                let ch = self.src[self.pos..].chars().next().unwrap_or('?');
                self.pos += ch.len_utf8();
                diags.push(
                    Diagnostic::error(
                        "E0102",
                        format!("unexpected character `{}`", ch.escape_default()),
                        Span::new(start, self.pos),
                    )
                    .label("not part of the language"),
                );
                continue;
            };
            return Token {
                tok,
                span: Span::new(start, self.pos),
            };
        }
    }

    fn ident(&mut self) -> Tok {
        let start = self.pos;
        while matches!(self.peek_byte(0), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        if let Some(kw) = Kw::from_ident(text) {
            return Tok::Kw(kw);
        }
        match text.to_ascii_lowercase().as_str() {
            "inf" | "infinity" => Tok::Float(f64::INFINITY),
            "nan" => Tok::Float(f64::NAN),
            _ => Tok::Ident(text.to_string()),
        }
    }

    fn number(&mut self, field_index: bool, diags: &mut Diagnostics) -> Tok {
        let start = self.pos;
        let b = self.bytes();
        let radix = match (b[self.pos], self.peek_byte(1)) {
            (b'0', Some(b'x' | b'X')) => 16,
            (b'0', Some(b'b' | b'B')) => 2,
            _ => 10,
        };
        if radix != 10 {
            self.pos += 2;
        }
        let is_digit = |c: u8| match radix {
            16 => c.is_ascii_hexdigit(),
            2 => c == b'0' || c == b'1',
            _ => c.is_ascii_digit(),
        };
        // Consume every alphanumeric so `12ab` is one bad literal, not two tokens.
        while matches!(self.peek_byte(0), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
            let c = self.peek_byte(0).unwrap_or(0);
            if radix == 10 && (c == b'e' || c == b'E') && !field_index {
                break;
            }
            self.pos += 1;
            if !is_digit(c) && c != b'_' {
                while matches!(self.peek_byte(0), Some(c) if c.is_ascii_alphanumeric() || c == b'_')
                {
                    self.pos += 1;
                }
                diags.push(
                    Diagnostic::error(
                        "E0103",
                        format!("invalid digit `{}` in number", c as char),
                        Span::new(start, self.pos),
                    )
                    .label("malformed number")
                    .help(match radix {
                        16 => "hex literals use 0-9 and a-f, after `0x`",
                        2 => "binary literals use 0 and 1, after `0b`",
                        _ => "decimal literals use 0-9; write hex as `0x..` and binary as `0b..`",
                    }),
                );
                return Tok::Int { value: 0, radix };
            }
        }
        let mut is_float = false;
        if radix == 10 && !field_index {
            // Fraction: `1.5` or `1.` (but not `1..` and not a method `1.len`).
            if self.peek_byte(0) == Some(b'.')
                && !matches!(self.peek_byte(1), Some(c) if c.is_ascii_alphabetic() || c == b'_' || c == b'.')
            {
                is_float = true;
                self.pos += 1;
                while matches!(self.peek_byte(0), Some(c) if c.is_ascii_digit() || c == b'_') {
                    self.pos += 1;
                }
            }
            if matches!(self.peek_byte(0), Some(b'e' | b'E')) {
                let save = self.pos;
                self.pos += 1;
                if matches!(self.peek_byte(0), Some(b'+' | b'-')) {
                    self.pos += 1;
                }
                if matches!(self.peek_byte(0), Some(c) if c.is_ascii_digit()) {
                    is_float = true;
                    while matches!(self.peek_byte(0), Some(c) if c.is_ascii_digit() || c == b'_') {
                        self.pos += 1;
                    }
                } else {
                    self.pos = save;
                }
            }
        }
        let text = &self.src[start..self.pos];
        let span = Span::new(start, self.pos);
        if is_float {
            return Tok::Float(literal::parse_float(text).unwrap_or(0.0));
        }
        let digits = if radix == 10 { text } else { &text[2..] };
        match literal::parse_int(digits, radix) {
            Some(value) => Tok::Int { value, radix },
            None => {
                let (msg, help) = if digits.replace('_', "").is_empty() {
                    (
                        "number has no digits",
                        "write digits after the prefix, e.g. `0x1F` or `0b101`",
                    )
                } else {
                    (
                        "integer literal is too large",
                        "integers must fit in 64 bits",
                    )
                };
                diags.push(
                    Diagnostic::error("E0103", msg, span)
                        .label("here")
                        .help(help),
                );
                Tok::Int { value: 0, radix }
            }
        }
    }

    fn string(&mut self, diags: &mut Diagnostics) -> Tok {
        let start = self.pos;
        self.pos += 1;
        let mut bytes = Vec::new();
        loop {
            let Some(c) = self.peek_byte(0) else {
                diags.push(
                    Diagnostic::error(
                        "E0104",
                        "unterminated string literal",
                        Span::new(start, start + 1),
                    )
                    .label("string starts here")
                    .help("close the string with `\"`"),
                );
                return Tok::Str(bytes);
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Tok::Str(bytes);
                }
                b'\\' => {
                    let esc_start = self.pos;
                    match literal::unescape(&self.src[self.pos..self.end]) {
                        Ok((decoded, len)) => {
                            bytes.extend_from_slice(&decoded);
                            self.pos += len;
                        }
                        Err((msg, len)) => {
                            let len = len.max(1);
                            self.pos += len;
                            diags.push(
                                Diagnostic::error(
                                    "E0105",
                                    msg,
                                    Span::new(esc_start, self.pos),
                                )
                                .label("invalid escape")
                                .help(
                                    "valid escapes: \\n \\r \\t \\\" \\' \\\\ \\0 \\xHH \\u{HHHH}",
                                ),
                            );
                        }
                    }
                }
                _ => {
                    let ch = self.src[self.pos..].chars().next().unwrap_or('?');
                    let mut buf = [0u8; 4];
                    bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    self.pos += ch.len_utf8();
                }
            }
        }
    }
}
