// error: a local cannot be named `pc`: it is a bound variable of this probe
var total: u32;
wasm:opcode:call:before {
    var pc: u32 = 0;
    total = total + pc;
}
