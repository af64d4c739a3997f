// warning: `&&` and `||` mixed without parentheses (they share one precedence level: this is `(a || b) && c`)
var total: u32;
wasm:opcode:call:before / imm0 == 1 || imm0 == 2 && fid == 0 / {
    total++;
}
