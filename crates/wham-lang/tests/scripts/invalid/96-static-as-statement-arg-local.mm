// error: arguments of a `@static` call must be static; `scaled` is a probe local
use toggle;
var total: i32;
wasm:opcode:call:before {
    var scaled: i32 = (imm0 as i32) * 2;
    total = @static toggle.weight(scaled);
}
