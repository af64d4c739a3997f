// covers: predicates over static facts (fid, pc, imm0, fname, opname), dynamic values (arg0), static and dynamic mixed, user-function calls and a ternary
var count: u32;

fn interesting(f: u32) -> bool {
    return f % 2 == 0;
}

wasm:opcode:call:before / fid == 3 && imm0 != fid / { count++; }
wasm:opcode:br_if:before / arg0 != 0 / { count++; }
wasm:opcode:br_if:before / pc > 10 && arg0 == 0 / { count++; }
wasm:func:entry / fname.starts_with("$") || interesting(fid) / { count++; }
wasm:opcode:i32.*:before / opname == "i32.add" || opname == "i32.sub" / { count++; }
wasm:opcode:call:before / (imm0 > 5 ? fid : pc) < 100 / { count++; }
