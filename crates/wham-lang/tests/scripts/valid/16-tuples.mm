// covers: tuple types (nested, mixed element types), tuple literals, reads t.0 / t.1.0, element writes, tuple parameters and results, tuple map keys
var last: (u32, (i32, bool));
var pairs: map<(u32, u32), u32>;

fn swap(p: (u32, u32)) -> (u32, u32) {
    return (p.1, p.0);
}

wasm:opcode:call:before {
    var here: (u32, u32) = (fid, pc);
    var there: (u32, u32) = swap(here);
    last = (imm0, (-1, true));
    last.0 = there.1;
    last.1.0 = last.1.0 + 1;
    last.1.1 = !last.1.1;
    pairs[here]++;
    var info: (str, (u32, f64)) = ("call", (imm0, 1.5));
    if (info.1.0 == imm0 && info.0 == "call" && info.1.1 > 1.0) {
        pairs[(imm0, fid)]--;
    }
}
