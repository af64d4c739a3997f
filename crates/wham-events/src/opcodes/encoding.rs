//! Opcode numbers found by decoding, not by a hand-written table.
//!
//! Every candidate encoding (each single byte, and each prefix with a LEB128
//! sub-opcode) is followed by filler immediates and handed to wasmparser; the
//! variant it decodes to gets that opcode. The bytes wasmparser consumed are
//! kept as a sample instruction (used by tests to validate signatures).

use std::collections::HashMap;

use wasmparser::{BinaryReader, OperatorsReader};

/// The prefix bytes of multi-byte opcodes (GC, misc, SIMD, threads).
pub(crate) const PREFIXES: [u8; 4] = [0xFB, 0xFC, 0xFD, 0xFE];
/// Highest sub-opcode tried after a prefix (relaxed SIMD reaches 0x113).
const MAX_SUB: u32 = 0x3FF;
/// Filler immediates: all zero, and `vec(1) i32` for `select t*` whose
/// zero-count form decodes as a different variant.
const FILLERS: [&[u8]; 2] = [&[], &[0x01, 0x7F]];
/// Frames some opcodes must appear in (`else` in `if`, `catch` in `try`).
const PREAMBLES: [&[u8]; 3] = [&[], &[0x04, 0x40], &[0x06, 0x40]];
/// Zero bytes after the filler: more than any immediate needs.
const PAD: usize = 40;

/// How one operator is encoded.
#[derive(Clone, Debug)]
pub(crate) struct Encoding {
    pub bytecode: u32,
    /// Opcode plus filler immediates, exactly as consumed by the decoder.
    pub sample: Vec<u8>,
}

/// The catalog's opcode number: the byte, `prefix << 8 | sub` when the
/// sub-opcode fits a byte (`0xFC08`), else `prefix << 16 | sub` so relaxed
/// SIMD (`0xFD0100`) cannot collide with another prefix.
pub(crate) fn bytecode(prefix: Option<u8>, sub: u32) -> u32 {
    match prefix {
        None => sub,
        Some(p) if sub < 0x100 => (u32::from(p) << 8) | sub,
        Some(p) => (u32::from(p) << 16) | sub,
    }
}

/// The opcode bytes of a catalog bytecode (inverse of [`bytecode`]).
pub(crate) fn opcode_bytes(bytecode: u32) -> Vec<u8> {
    let (prefix, sub) = if bytecode < 0x100 {
        return vec![bytecode as u8];
    } else if bytecode <= 0xFFFF {
        ((bytecode >> 8) as u8, bytecode & 0xFF)
    } else {
        ((bytecode >> 16) as u8, bytecode & 0xFFFF)
    };
    let mut out = vec![prefix];
    leb128(sub, &mut out);
    out
}

fn leb128(mut v: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The `Operator` variant name of a decoded operator (`I32Load`).
pub(crate) fn variant_name(op: &wasmparser::Operator<'_>) -> String {
    let dbg = format!("{op:?}");
    dbg.chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Decodes one instruction from `opcode` + filler; returns the variant and
/// the bytes it consumed.
pub(crate) fn decode(opcode: &[u8], filler: &[u8]) -> Option<(String, Vec<u8>)> {
    for preamble in PREAMBLES {
        let mut buf = preamble.to_vec();
        buf.extend_from_slice(opcode);
        buf.extend_from_slice(filler);
        buf.resize(buf.len() + PAD, 0);
        let mut reader = OperatorsReader::new(BinaryReader::new(&buf, 0));
        if !preamble.is_empty() && reader.read().is_err() {
            continue;
        }
        let Ok(op) = reader.read() else { continue };
        let end = reader.original_position();
        return Some((variant_name(&op), buf[preamble.len()..end].to_vec()));
    }
    None
}

/// Every variant wasmparser can decode, with its opcode and a sample.
pub(crate) fn discover() -> HashMap<String, Encoding> {
    let mut found: HashMap<String, Encoding> = HashMap::new();
    let mut candidates: Vec<(u32, Vec<u8>)> = (0..=0xFFu32)
        .filter(|b| !PREFIXES.contains(&(*b as u8)))
        .map(|b| (b, vec![b as u8]))
        .collect();
    for prefix in PREFIXES {
        for sub in 0..=MAX_SUB {
            let code = bytecode(Some(prefix), sub);
            candidates.push((code, opcode_bytes(code)));
        }
    }
    for (code, bytes) in candidates {
        for filler in FILLERS {
            if let Some((variant, sample)) = decode(&bytes, filler) {
                found.entry(variant).or_insert(Encoding {
                    bytecode: code,
                    sample,
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytecode_round_trips() {
        for code in [
            0x00, 0x28, 0xFC08, 0xFB00, 0xFD0C, 0xFE4E, 0xFD0100, 0xFD0113,
        ] {
            let bytes = opcode_bytes(code);
            let prefix = (bytes.len() > 1).then_some(bytes[0]);
            let mut sub = 0u32;
            for (i, b) in bytes[usize::from(prefix.is_some())..].iter().enumerate() {
                sub |= u32::from(b & 0x7F) << (7 * i);
            }
            assert_eq!(bytecode(prefix, sub), code, "{code:#x}");
        }
    }

    #[test]
    fn decodes_known_opcodes() {
        let found = discover();
        assert_eq!(found["I32Load"].bytecode, 0x28);
        assert_eq!(found["MemoryInit"].bytecode, 0xFC08);
        assert_eq!(found["StructNew"].bytecode, 0xFB00);
        assert_eq!(found["MemoryAtomicNotify"].bytecode, 0xFE00);
        assert_eq!(found["TypedSelect"].bytecode, 0x1C);
        assert_eq!(found["TypedSelectMulti"].bytecode, 0x1C);
        assert_eq!(found["Else"].bytecode, 0x05);
        assert_eq!(found["Catch"].bytecode, 0x07);
        assert_eq!(found["I32Load"].sample, vec![0x28, 0, 0]);
    }
}
