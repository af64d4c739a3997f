// covers: == != < <= > >= on integers and floats, == on bools, == and != on strings
var lows: u32;
var ties: u32;

wasm:opcode:i32.lt_s:before {
    if (arg1 < arg0) { lows++; }
    if (arg1 <= arg0 && arg1 >= -100) { lows++; }
    if (arg1 > arg0) { lows--; }
    if (arg1 == arg0) { ties++; }
    if (arg1 != arg0) { ties--; }
}
wasm:opcode:f32.ge:before / arg0 >= 0.0 / {
    var close: bool = arg1 - arg0 < 0.001;
    if (close == true && fname != "skip") {
        ties++;
    }
}
