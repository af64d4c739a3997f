// covers: the ternary operator in initialisers, assignments, call arguments, predicates, returns, nested (right associative) and inside larger expressions
var picks: u32;

fn clamp(v: i32, lo: i32, hi: i32) -> i32 {
    return v < lo ? lo : v > hi ? hi : v;
}

wasm:opcode:select(arg0: i32):before / (arg0 != 0 ? fid : pc) > 3 / {
    var first: bool = arg0 != 0;
    var label: str = first ? "first" : "second";
    var n: u32 = first ? 1 : 2;
    picks = picks + (label == "first" ? n : 0) * 2;
    var c: i32 = clamp(first ? 100 : -100, -10, 10);
    picks = c > 0 ? picks + 1 : picks;
}
