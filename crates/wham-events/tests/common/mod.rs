//! Helpers shared by the integration tests.
#![allow(dead_code)]

use wham_events::{Event, catalog};

pub fn opcode_events() -> Vec<&'static Event> {
    catalog().providers[0]
        .packages
        .iter()
        .find(|p| p.name == "opcode")
        .expect("opcode package")
        .events
        .iter()
        .collect()
}

pub fn event(name: &str) -> &'static Event {
    opcode_events()
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no event {name}"))
}

/// Opcode bytes of a catalog bytecode, encoded here independently.
pub fn opcode_bytes(code: u32) -> Vec<u8> {
    if code < 0x100 {
        return vec![code as u8];
    }
    let (prefix, mut sub) = if code <= 0xFFFF {
        (code >> 8, code & 0xFF)
    } else {
        (code >> 16, code & 0xFFFF)
    };
    let mut out = vec![prefix as u8];
    loop {
        let byte = (sub & 0x7F) as u8;
        sub >>= 7;
        if sub == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}
