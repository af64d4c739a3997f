// covers: + - * / % on signed integers, unsigned integers and floats (including % on floats)
var total: i64;
var ratio: f64;
var rest: u32;

wasm:opcode:i32.add:before {
    var a: i32 = arg1;
    var b: i32 = arg0;
    var s: i32 = a + b - 3;
    var p: i32 = a * b / 7;
    var m: i32 = a % 10;
    total = total + (s as i64) + (p as i64) + (m as i64);
}
wasm:opcode:i64.rem_u:before {
    var x: u64 = arg1 as u64;
    rest = (x % 1_000 + x / 3 * 2) as u32;
}
wasm:opcode:f64.div:before {
    ratio = (arg1 + 0.5) * 2.0 / (arg0 - 1.5) % 3.0;
}
