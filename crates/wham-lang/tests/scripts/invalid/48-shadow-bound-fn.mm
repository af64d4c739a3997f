// error: a local cannot be named `drop_args`: it is a bound function of this probe
var total: u32;
wasm:opcode:drop:before {
    var drop_args: u32 = 1;
    total = total + drop_args;
}
