//! What a name means at a matched event: variable and function lookup
//! through the event, package, provider and core scopes.

use crate::{BoundFn, BoundVar, EventMatch, VarLookup};

/// `arg3` → ("arg", 3): a family prefix and a decimal index.
fn family_index(name: &str) -> Option<(&str, u32)> {
    let split = name.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = name.split_at(split);
    let leading_zero = digits.len() > 1 && digits.starts_with('0');
    if prefix.is_empty() || leading_zero || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((prefix, digits.parse().ok()?))
}

/// Families an opcode event has a fixed number of when not declared as a
/// family (`arg2` of `i32.add` is out of range, not unknown).
const COUNTED: &[&str] = &["arg", "res", "imm"];

impl<'c> EventMatch<'c> {
    /// The canonical rule of this match: `wasm:opcode:br_if:before`,
    /// `wasm:func:entry`, `wasm:begin`.
    pub fn rule_name(&self) -> String {
        let mut s = format!("{}:{}", self.provider.name, self.package.name);
        if let Some(e) = self.event {
            s.push(':');
            s.push_str(&e.name);
        }
        if let Some(m) = self.mode {
            s.push(':');
            s.push_str(m.name);
        }
        s
    }

    /// Variable scopes, innermost first: event, package, provider, core.
    fn var_scopes(&self) -> [&'c [BoundVar]; 4] {
        let core = &crate::catalog().core_vars;
        [
            self.event.map_or(&[][..], |e| &e.vars[..]),
            &self.package.vars,
            &self.provider.vars,
            core,
        ]
    }

    fn fn_scopes(&self) -> [&'c [BoundFn]; 4] {
        let core = &crate::catalog().core_fns;
        [
            self.event.map_or(&[][..], |e| &e.fns[..]),
            &self.package.fns,
            &self.provider.fns,
            core,
        ]
    }

    fn in_mode(&self, var: &BoundVar) -> bool {
        var.only_in_modes.is_empty()
            || self
                .mode
                .is_some_and(|m| var.only_in_modes.contains(&m.name))
    }

    /// What `name` means at this match.
    pub fn find_var(&self, name: &str) -> VarLookup<'c> {
        let fam = family_index(name);
        let scopes = self.var_scopes();
        for (depth, scope) in scopes.iter().enumerate() {
            let hit = scope.iter().find(|v| {
                if v.family {
                    fam.is_some_and(|(prefix, _)| prefix == v.name)
                } else {
                    v.name == name
                }
            });
            if let Some(var) = hit {
                if !self.in_mode(var) {
                    return VarLookup::WrongMode {
                        var,
                        modes: var.only_in_modes.clone(),
                    };
                }
                return VarLookup::Found {
                    var,
                    index: fam.map(|(_, i)| i),
                };
            }
            if depth == 0
                && let Some(out) = self.out_of_range(scope, fam)
            {
                return out;
            }
        }
        VarLookup::NotFound
    }

    /// `arg5` of an opcode with two operands.
    fn out_of_range(&self, vars: &[BoundVar], fam: Option<(&str, u32)>) -> Option<VarLookup<'c>> {
        let (prefix, _) = fam?;
        self.event?.opcode.as_ref()?;
        if !COUNTED.contains(&prefix) {
            return None;
        }
        let count = vars
            .iter()
            .filter(|v| family_index(&v.name).is_some_and(|(p, _)| p == prefix))
            .count() as u32;
        Some(VarLookup::OutOfRange {
            family: prefix.to_string(),
            count,
        })
    }

    /// The function `name` in scope at this match.
    pub fn find_fn(&self, name: &str) -> Option<&'c BoundFn> {
        self.fn_scopes()
            .into_iter()
            .flat_map(|s| s.iter())
            .find(|f| f.name == name)
    }

    /// Every variable usable at this match (in this mode), innermost
    /// scope first; a name shadows the same name further out.
    pub fn vars(&self) -> Vec<&'c BoundVar> {
        let mut out: Vec<&'c BoundVar> = Vec::new();
        for scope in self.var_scopes() {
            for v in scope {
                if self.in_mode(v) && !out.iter().any(|o| o.name == v.name) {
                    out.push(v);
                }
            }
        }
        out
    }

    /// Every function callable at this match, innermost scope first.
    pub fn fns(&self) -> Vec<&'c BoundFn> {
        let mut out: Vec<&'c BoundFn> = Vec::new();
        for scope in self.fn_scopes() {
            for f in scope {
                if !out.iter().any(|o| o.name == f.name) {
                    out.push(f);
                }
            }
        }
        out
    }
}
