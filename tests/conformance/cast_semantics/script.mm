// Casts between numeric and bool values (whamm 2.0.1 §4.3): any non-zero
// value is `true`, narrowing keeps the low bits, widening a signed value
// extends its sign, and a float cast to an integer drops the fraction.
report var truthy: bool;
report var narrowed: u8;
report var signed_narrow: i8;
report var widened: u64;
report var as_float: f64;
report var truncated: i32;
wasm:opcode:nop:before {
    var w: u32 = 300;
    var m: i32 = -1;
    var x: f64 = -2.75;
    truthy = w as bool;
    narrowed = w as u8;
    signed_narrow = (w + 100) as i8;
    widened = m as u64;
    as_float = m as f64;
    truncated = x as i32;
}
