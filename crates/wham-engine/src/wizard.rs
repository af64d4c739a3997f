//! What the Wizard engine's monitor interface accepts (as of the snapshot
//! whamm 2.0.1 was measured on, `docs/src/engine.md` "Monitors on Wizard"),
//! so a monitor `wham monitor` writes can be checked without Wizard.
//!
//! Wizard parses a probe export as `rule [/ call /] (params)`, where the
//! rule is `wasm:opcode:*`, `wasm:opcode:<mnemonic>`, `wasm:func:entry`,
//! `wasm:func:exit`, `wasm:block:start` or `wasm:block:end`, with no mode;
//! a predicate is exactly one call, and calls do not nest. It supplies only
//! the values of [`supplied`]; an export asking for anything else is
//! skipped ("unresolved identifier"), so its probe never fires.

use crate::abi::{self, Param, ProbeExport};

/// Where a value is asked for.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// The probe function's own parameters.
    Body,
    /// The arguments of a bind-time call (`$alloc(..)`, a predicate).
    Call,
}

/// Whether Wizard supplies value `name` at `place` for a probe on `rule`.
fn supplied(rule: &str, name: &str, place: Place) -> bool {
    let family = |f: &str| {
        name.strip_prefix(f)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let opcode = rule.strip_prefix("wasm:opcode:");
    match name {
        "pc" | "fid" | "probe_id" | "at_func_end" => true,
        "fname" | "opname" => place == Place::Call,
        "frame" => place == Place::Body,
        "num_targets" => opcode == Some("br_table"),
        "offset" => opcode.is_some_and(|m| m.contains("load") || m.contains("store")),
        "instr_count" => rule == "wasm:block:end",
        _ if family("imm") => true,
        _ if family("arg") || family("local") => place == Place::Body,
        _ => false,
    }
}

/// Why Wizard would not run the probe exported as `name`; `None` for an
/// export that is not a probe (helpers, `wasm:exit`).
pub fn check_export(name: &str) -> Option<Result<(), String>> {
    let export: ProbeExport = match abi::parse(name)? {
        Ok(e) => e,
        Err(e) => return Some(Err(e)),
    };
    Some(check(&export))
}

fn check(e: &ProbeExport) -> Result<(), String> {
    let rule = e.rule.as_str();
    let known = matches!(
        rule,
        "wasm:func:entry" | "wasm:func:exit" | "wasm:block:start" | "wasm:block:end"
    ) || rule
        .strip_prefix("wasm:opcode:")
        .is_some_and(|m| !m.contains(':'));
    if !known {
        return Err(format!(
            "Wizard has no event `{rule}` (no modes, no other packages)"
        ));
    }
    if let Some(c) = &e.check {
        return Err(format!(
            "a run-time check `?${}(..)?` is wham's own",
            c.func
        ));
    }
    if !e.returns.is_empty() {
        return Err("returning new values (`-> (..)`) is wham's own".into());
    }
    if let Some(p) = &e.predicate {
        call_args(rule, &p.args)?;
    }
    for p in &e.params {
        match p {
            Param::Call(c) => call_args(rule, &c.args)?,
            Param::Var(v) => value(rule, v, Place::Body)?,
        }
    }
    Ok(())
}

fn call_args(rule: &str, args: &[Param]) -> Result<(), String> {
    for a in args {
        match a {
            Param::Call(c) => return Err(format!("a call inside a call (`${}`)", c.func)),
            Param::Var(v) => value(rule, v, Place::Call)?,
        }
    }
    Ok(())
}

fn value(rule: &str, name: &str, place: Place) -> Result<(), String> {
    if supplied(rule, name, place) {
        Ok(())
    } else {
        let where_ = match place {
            Place::Body => "as a probe parameter",
            Place::Call => "in a bind-time call",
        };
        Err(format!(
            "Wizard does not supply `{name}` {where_} at `{rule}`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::check_export;

    #[test]
    fn the_shapes_whamm_emits_pass() {
        // The export names whamm 2.0.1 emits, as the reference quotes them.
        for name in [
            "wasm:opcode:local.get  ($25(fname, fid, pc), imm0)",
            "wasm:opcode:br_if / $18(fid, pc) / ($21(fname, fid, pc, fid), $22(), )",
            "wasm:opcode:i32.add  ()",
            "wasm:block:end ($3(fid, pc, instr_count), arg0)",
        ] {
            assert_eq!(check_export(name), Some(Ok(())), "{name}");
        }
    }

    #[test]
    fn what_wizard_lacks_is_named() {
        for (name, why) in [
            ("wasm:opcode:call ($1(fid, pc, opidx))", "opidx"),
            ("wasm:opcode:call:after (res0)", "no event"),
            ("wasm:opcode:call (fname)", "fname"),
            ("wasm:opcode:call ($1(arg0))", "arg0"),
            ("wasm:opcode:call ($1($2()))", "inside a call"),
            ("wasm:opcode:nop (num_targets)", "num_targets"),
            ("wasm:opcode:call?$1(fid)? ()", "run-time check"),
        ] {
            let got = check_export(name).expect("a probe").expect_err(name);
            assert!(got.contains(why), "{name}: {got}");
        }
        assert_eq!(check_export("$alloc0"), None);
        assert_eq!(check_export("wasm:exit"), None);
    }
}
