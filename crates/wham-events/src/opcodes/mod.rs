//! Opcode events, generated from wasmparser's operator list.
//!
//! Each operator of `for_each_operator!` becomes one event. Its name comes
//! from the visitor name, its opcode from decoding candidate encodings, its
//! signature, category, modes and bound data from rules over the mnemonic.

mod category;
mod docs;
pub(crate) mod encoding;
mod extras;
mod modes;
mod names;
pub(crate) mod raw;
mod signature;
mod vars;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::{Event, MemAccess, OpcodeInfo};
use encoding::Encoding;
use raw::{OPERATORS, RawOp};
use signature::Shape;

/// Variant name → encoding, decoded once.
fn encodings() -> &'static HashMap<String, Encoding> {
    static ENCODINGS: OnceLock<HashMap<String, Encoding>> = OnceLock::new();
    ENCODINGS.get_or_init(encoding::discover)
}

/// A sample encoding of the opcode event `name`: the opcode followed by
/// all-zero immediates (a one-entry type vector for `typed_select`). For
/// tests that build code around an opcode.
#[doc(hidden)]
pub fn sample_encoding(name: &str) -> Option<&'static [u8]> {
    let variant = OPERATORS
        .iter()
        .find(|op| names::mnemonic(op.visit) == name)?
        .variant;
    encodings().get(variant).map(|e| e.sample.as_slice())
}

/// One event per operator, in wasmparser's order.
pub(crate) fn opcode_events() -> Vec<Event> {
    OPERATORS.iter().map(opcode_event).collect()
}

fn opcode_event(raw: &RawOp) -> Event {
    let name = names::mnemonic(raw.visit);
    let shape = signature::shape(&name);
    let mem = mem_access(raw, &name, &shape);
    let imms = vars::imms(raw, &name);
    let modes = modes::modes(&name);
    let has_after = modes::falls_through(&name) && modes.iter().any(|m| m.name == "after");
    let event_vars = vars::event_vars(&name, &shape, &imms, mem, has_after);
    // A missing encoding would be a wasmparser change; tests catch it.
    let bytecode = encodings()
        .get(raw.variant)
        .map_or(u32::MAX, |e| e.bytecode);
    Event {
        doc: docs::event_doc(&name, raw.proposal),
        fns: extras::event_fns(&name),
        opcode: Some(OpcodeInfo {
            variant: raw.variant,
            proposal: raw.proposal,
            bytecode,
            category: category::category(&name, raw.proposal),
            operands: shape.operands,
            results: shape.results,
            imms,
            mem,
        }),
        modes,
        vars: event_vars,
        name,
    }
}

/// Memory access facts for operators with a `memarg` immediate.
fn mem_access(raw: &RawOp, name: &str, shape: &Shape) -> Option<MemAccess> {
    if !raw.fields.iter().any(|(_, ty)| ty.contains("MemArg")) {
        return None;
    }
    let operands = shape.operands.as_ref()?;
    let (prefix, op) = name.split_once('.')?;
    let value_bits = match prefix {
        "i32" | "f32" => 32,
        "i64" | "f64" => 64,
        "v128" => 128,
        _ => 32, // memory.atomic.notify/wait32 touch an i32
    };
    Some(MemAccess {
        size: access_bits(op).unwrap_or(value_bits) / 8,
        is_write: op.contains("store") || op.contains("rmw"),
        addr_arg: operands.len().saturating_sub(1) as u32,
    })
}

/// Bits accessed when the mnemonic says (`load16_s`, `rmw8`, `load8x8_s`,
/// `wait64`, `load32_zero`); `None` for full-width accesses.
fn access_bits(op: &str) -> Option<u32> {
    let start = op.find(|c: char| c.is_ascii_digit())?;
    let digits: String = op[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let bits: u32 = digits.parse().ok()?;
    let rest = &op[start + digits.len()..];
    // `load8x8_s`: eight 8-bit lanes.
    if let Some(lanes) = rest.strip_prefix('x') {
        let count: String = lanes.chars().take_while(char::is_ascii_digit).collect();
        return Some(bits * count.parse::<u32>().ok()?);
    }
    Some(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_sizes() {
        assert_eq!(access_bits("load8x8_s"), Some(64));
        assert_eq!(access_bits("load16_s"), Some(16));
        assert_eq!(access_bits("atomic.rmw32.cmpxchg_u"), Some(32));
        assert_eq!(access_bits("atomic.rmw.add"), None);
        assert_eq!(access_bits("load32_zero"), Some(32));
        assert_eq!(access_bits("load"), None);
    }
}
