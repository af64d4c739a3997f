//! The export-name grammar of monitor modules (the engine interface,
//! `docs/src/engine-abi.md`): what a probe export's name says about where it
//! goes, its bind-time predicate and the values it receives.
//!
//! ```text
//! export ::= rule [ '/' call '/' ] [ '?' call '?' ]
//!            [ '(' param {',' param} ')' ] [ '->' '(' NAME {',' NAME} ')' ]
//! call   ::= '$' ID '(' [ param {',' param} ] ')'
//! param  ::= NAME | call
//! ```

use std::fmt;

/// A bind-time call: the engine calls the monitor's export `func` once per
/// site with the site's values and passes on the result.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The export's name without the `$`.
    pub func: String,
    pub args: Vec<Param>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// A value of the site: `fid`, `pc`, `imm0`, `arg0`, `fname` ...
    Var(String),
    Call(Call),
}

/// A parsed probe export name.
#[derive(Clone, Debug, PartialEq)]
pub struct ProbeExport {
    /// `wasm:opcode:br_if`, `wasm:opcode:call:after`, `wasm:func:entry`.
    pub rule: String,
    pub predicate: Option<Call>,
    /// A run-time predicate (wham's extension): called each time the site
    /// is reached; 0 means the probe does not run there this time (for
    /// `alt`, the instruction runs as written).
    pub check: Option<Call>,
    pub params: Vec<Param>,
    /// Event values the probe returns new values for (`-> (arg0)`): it
    /// assigned them (wham's extension).
    pub returns: Vec<String>,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "${}(", self.func)?;
        list(f, &self.args)?;
        f.write_str(")")
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Var(v) => f.write_str(v),
            Param::Call(c) => write!(f, "{c}"),
        }
    }
}

fn list(f: &mut fmt::Formatter<'_>, ps: &[Param]) -> fmt::Result {
    for (i, p) in ps.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{p}")?;
    }
    Ok(())
}

impl fmt::Display for ProbeExport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rule)?;
        if let Some(p) = &self.predicate {
            write!(f, "/{p}/")?;
        }
        if let Some(c) = &self.check {
            write!(f, "?{c}?")?;
        }
        if !self.params.is_empty() {
            f.write_str("(")?;
            list(f, &self.params)?;
            f.write_str(")")?;
        }
        if !self.returns.is_empty() {
            write!(f, " -> ({})", self.returns.join(", "))?;
        }
        Ok(())
    }
}

/// Parse an export name; `None` when it is not a probe export (helpers,
/// `wasm:exit`, memories) and `Err` when it looks like one but is malformed.
pub fn parse(name: &str) -> Option<Result<ProbeExport, String>> {
    if !name.starts_with("wasm:") || matches!(name, "wasm:exit" | "wasm:begin" | "wasm:trap") {
        return None;
    }
    Some(Parser { s: name, at: 0 }.export())
}

struct Parser<'a> {
    s: &'a str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.s[self.at..]
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("{what} at byte {} of `{}`", self.at, self.s))
    }

    fn skip_spaces(&mut self) {
        while self.rest().starts_with(' ') {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_spaces();
        if self.rest().starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn export(mut self) -> Result<ProbeExport, String> {
        let end = self
            .rest()
            .find(['/', '(', '?'])
            .unwrap_or(self.rest().len());
        let rule = self.rest()[..end].trim().to_string();
        if rule.split(':').count() < 3 || rule.split(':').any(str::is_empty) {
            return self.fail("expected a rule `wasm:<package>:<event>`");
        }
        self.at += end;
        let predicate = if self.eat('/') {
            if !self.eat('$') {
                return self.fail("expected `$` starting the predicate call");
            }
            let c = self.call()?;
            if !self.eat('/') {
                return self.fail("expected `/` after the predicate");
            }
            Some(c)
        } else {
            None
        };
        let check = if self.eat('?') {
            if !self.eat('$') {
                return self.fail("expected `$` starting the run-time check");
            }
            let c = self.call()?;
            if !self.eat('?') {
                return self.fail("expected `?` after the run-time check");
            }
            Some(c)
        } else {
            None
        };
        let params = if self.eat('(') {
            self.params(')')?
        } else {
            Vec::new()
        };
        let mut returns = Vec::new();
        if self.eat('-') {
            if !self.eat('>') || !self.eat('(') {
                return self.fail("expected `-> (` and the values the probe returns");
            }
            for p in self.params(')')? {
                match p {
                    Param::Var(n) => returns.push(n),
                    Param::Call(_) => return self.fail("a probe returns values, not calls"),
                }
            }
        }
        self.skip_spaces();
        if !self.rest().is_empty() {
            return self.fail("unexpected text");
        }
        Ok(ProbeExport {
            rule,
            predicate,
            check,
            params,
            returns,
        })
    }

    /// After `$`: `ID(params)`.
    fn call(&mut self) -> Result<Call, String> {
        let func = self.ident();
        if func.is_empty() {
            return self.fail("expected a function name");
        }
        if !self.eat('(') {
            return self.fail("expected `(`");
        }
        let args = self.params(')')?;
        Ok(Call { func, args })
    }

    /// Params up to and including `close`.
    fn params(&mut self, close: char) -> Result<Vec<Param>, String> {
        let mut out = Vec::new();
        if self.eat(close) {
            return Ok(out);
        }
        loop {
            if self.eat('$') {
                out.push(Param::Call(self.call()?));
            } else {
                self.skip_spaces();
                let name = self.ident();
                if name.is_empty() {
                    return self.fail("expected a parameter");
                }
                out.push(Param::Var(name));
            }
            if self.eat(close) {
                return Ok(out);
            }
            if !self.eat(',') {
                return self.fail("expected `,` or the end of the list");
            }
            // A trailing comma, as whamm writes after a call (Wizard
            // accepts it too).
            if self.eat(close) {
                return Ok(out);
            }
        }
    }

    fn ident(&mut self) -> String {
        let n = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.rest().len());
        let id = self.rest()[..n].to_string();
        self.at += n;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_original_form() {
        let e = parse("wasm:opcode:br_if($alloc_br_if(fid, pc), arg0)")
            .unwrap()
            .unwrap();
        assert_eq!(e.rule, "wasm:opcode:br_if");
        assert_eq!(e.predicate, None);
        assert_eq!(
            e.params,
            vec![
                Param::Call(Call {
                    func: "alloc_br_if".into(),
                    args: vec![Param::Var("fid".into()), Param::Var("pc".into())]
                }),
                Param::Var("arg0".into())
            ]
        );
        assert_eq!(
            e.to_string(),
            "wasm:opcode:br_if($alloc_br_if(fid, pc), arg0)"
        );
    }

    #[test]
    fn parses_predicates_and_modes() {
        let text = "wasm:opcode:call:after/$pred2(fid, imm0)/(res0)";
        let e = parse(text).unwrap().unwrap();
        assert_eq!(e.rule, "wasm:opcode:call:after");
        assert_eq!(e.predicate.as_ref().unwrap().func, "pred2");
        assert_eq!(e.to_string(), text);
        assert_eq!(parse("wasm:func:entry").unwrap().unwrap().params, vec![]);
        let text = "wasm:opcode:call:alt/$pred1(fid)/?$check1(arg0)?(arg0)";
        let e = parse(text).unwrap().unwrap();
        assert_eq!(e.check.as_ref().unwrap().func, "check1");
        assert_eq!(e.to_string(), text);
        let text = "wasm:opcode:i32.add(arg0, arg1) -> (arg0)";
        let e = parse(text).unwrap().unwrap();
        assert_eq!(e.returns, vec!["arg0".to_string()]);
        assert_eq!(e.to_string(), text);
    }

    #[test]
    fn rejects_malformed_names_and_skips_others() {
        assert!(parse("memory").is_none());
        assert!(parse("wasm:exit").is_none());
        assert!(parse("wasm:opcode:call(arg0").unwrap().is_err());
        assert!(parse("wasm:opcode:call/$p(fid)(arg0)").unwrap().is_err());
        assert!(parse("wasm:opcode:call(arg0) junk").unwrap().is_err());
        assert!(parse("wasm::call").unwrap().is_err());
    }
}
