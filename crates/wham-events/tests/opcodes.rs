//! The opcode events against wasmparser itself: coverage, opcode numbers
//! (decoded back), names and arity.

use std::collections::{HashMap, HashSet};

use wasmparser::{BinaryReader, OperatorsReader};
use wham_events::{WasmType, sample_encoding};

mod common;
use common::{event, opcode_bytes, opcode_events};

/// (proposal, variant, arity annotation) straight from wasmparser.
struct Op {
    proposal: &'static str,
    variant: &'static str,
    arity: &'static str,
}

macro_rules! list_ops {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        const OPS: &[Op] = &[$(Op {
            proposal: stringify!($proposal),
            variant: stringify!($op),
            arity: stringify!($($ann)*),
        },)*];
    };
}
wasmparser::for_each_operator!(list_ops);

fn arity(op: &Op) -> Option<(usize, usize)> {
    let (pops, pushes) = op.arity.strip_prefix("arity")?.split_once("->")?;
    Some((pops.trim().parse().ok()?, pushes.trim().parse().ok()?))
}

fn variant_of(op: &wasmparser::Operator<'_>) -> String {
    format!("{op:?}")
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// Decodes `bytes` (with filler) as one instruction, inside an `if` or a
/// `try` frame when the instruction needs one.
fn decodes_to(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    for filler in [&[][..], &[0x01, 0x7F][..]] {
        for preamble in [&[][..], &[0x04, 0x40][..], &[0x06, 0x40][..]] {
            let mut buf = preamble.to_vec();
            buf.extend_from_slice(bytes);
            buf.extend_from_slice(filler);
            buf.resize(buf.len() + 40, 0);
            let mut reader = OperatorsReader::new(BinaryReader::new(&buf, 0));
            if !preamble.is_empty() && reader.read().is_err() {
                continue;
            }
            if let Ok(op) = reader.read() {
                found.push(variant_of(&op));
                break;
            }
        }
    }
    found
}

#[test]
fn every_operator_has_exactly_one_event() {
    let events = opcode_events();
    assert_eq!(events.len(), OPS.len());
    for op in OPS {
        let matching: Vec<_> = events
            .iter()
            .filter(|e| e.opcode.as_ref().unwrap().variant == op.variant)
            .collect();
        assert_eq!(matching.len(), 1, "{}", op.variant);
        let info = matching[0].opcode.as_ref().unwrap();
        assert_eq!(info.proposal, op.proposal, "{}", op.variant);
        assert_ne!(info.bytecode, u32::MAX, "{} has no bytecode", op.variant);
    }
}

#[test]
fn every_bytecode_decodes_back_to_its_operator() {
    for e in opcode_events() {
        let info = e.opcode.as_ref().unwrap();
        let decoded = decodes_to(&opcode_bytes(info.bytecode));
        assert!(
            decoded.iter().any(|v| v == info.variant),
            "{} ({:#X}) decodes to {decoded:?}",
            e.name,
            info.bytecode
        );
        let sample = sample_encoding(&e.name).expect("sample");
        assert!(
            sample.starts_with(&opcode_bytes(info.bytecode)),
            "{}",
            e.name
        );
        assert!(
            decodes_to(sample).iter().any(|v| v == info.variant),
            "{}",
            e.name
        );
    }
}

#[test]
fn bytecodes_are_unique_except_select_t() {
    let mut seen: HashMap<u32, &str> = HashMap::new();
    for e in opcode_events() {
        let code = e.opcode.as_ref().unwrap().bytecode;
        if let Some(prev) = seen.insert(code, &e.name) {
            // `select t*`: one opcode, two variants by type count.
            assert_eq!(code, 0x1C, "{prev} and {} share {code:#X}", e.name);
        }
    }
}

#[test]
fn names_are_unique_wat_mnemonics() {
    let mut seen = HashSet::new();
    for e in opcode_events() {
        assert!(seen.insert(e.name.as_str()), "duplicate {}", e.name);
        assert!(
            e.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'),
            "{}",
            e.name
        );
        assert!(!e.doc.is_empty() && !e.doc.contains('\n'), "{}", e.name);
        assert!(!e.modes.is_empty(), "{}", e.name);
        for v in &e.vars {
            assert!(!v.doc.is_empty(), "{}.{}", e.name, v.name);
        }
    }
}

#[test]
fn counts_agree_with_wasmparser_arity() {
    for op in OPS {
        let Some((pops, pushes)) = arity(op) else {
            continue;
        };
        let e = opcode_events()
            .into_iter()
            .find(|e| e.opcode.as_ref().unwrap().variant == op.variant)
            .unwrap();
        let info = e.opcode.as_ref().unwrap();
        if let Some(ops) = &info.operands {
            assert_eq!(ops.len(), pops, "operands of {}", e.name);
        }
        if let Some(res) = &info.results {
            assert_eq!(res.len(), pushes, "results of {}", e.name);
        }
    }
}

#[test]
fn numeric_families_have_fixed_signatures() {
    for e in opcode_events() {
        let info = e.opcode.as_ref().unwrap();
        let numeric = matches!(
            info.proposal,
            "simd" | "relaxed_simd" | "threads" | "sign_extension" | "saturating_float_to_int"
        ) || e.name.starts_with("i32.")
            || e.name.starts_with("i64.")
            || e.name.starts_with("f32.")
            || e.name.starts_with("f64.");
        if numeric {
            assert!(info.operands.is_some(), "{}", e.name);
            assert!(info.results.is_some(), "{}", e.name);
        }
    }
}

#[test]
fn spot_checks() {
    let cases = [
        ("unreachable", 0x00),
        ("i32.load8_s", 0x2C),
        ("br_if", 0x0D),
        ("memory.init", 0xFC08),
        ("struct.new", 0xFB00),
        ("memory.atomic.notify", 0xFE00),
        ("v128.const", 0xFD0C),
        ("i32x4.extract_lane", 0xFD1B),
        ("i64.atomic.rmw32.cmpxchg_u", 0xFE4E),
        ("i8x16.relaxed_swizzle", 0xFD0100),
        ("try_table", 0x1F),
        ("ref.test", 0xFB14),
        ("ref.cast_null", 0xFB17),
        ("typed_select", 0x1C),
    ];
    for (name, code) in cases {
        assert_eq!(
            event(name).opcode.as_ref().unwrap().bytecode,
            code,
            "{name}"
        );
    }
    let v128 = event("v128.const").opcode.as_ref().unwrap();
    assert_eq!(v128.results.as_deref(), Some(&[WasmType::V128][..]));
    assert_eq!(v128.imms[0].ty, wham_events::Ty::V128);
    let lane = event("i32x4.extract_lane").opcode.as_ref().unwrap();
    assert_eq!(lane.operands.as_deref(), Some(&[WasmType::V128][..]));
    assert_eq!(lane.results.as_deref(), Some(&[WasmType::I32][..]));
    assert_eq!(lane.imms[0].name, "imm0");
    assert_eq!(lane.imms[0].field, "lane");
}
