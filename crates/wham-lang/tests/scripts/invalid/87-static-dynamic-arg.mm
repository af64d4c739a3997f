// error: arguments of a `@static` call must be static; `arg0` is dynamic
use toggle;
var total: i32;
wasm:opcode:i32.add:before {
    total = @static toggle.weight(arg0);
}
