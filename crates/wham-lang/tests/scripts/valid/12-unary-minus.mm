// covers: unary minus on signed integers and floats, negative literals (including the smallest i64), minus applied to a parenthesised expression
var low: i32 = -5;
var lowest: i64 = -9_223_372_036_854_775_808;
var cold: f32 = -273.15;
var sum: f64;

wasm:opcode:i32.sub:before {
    var a: i32 = arg1;
    var neg: i32 = -a;
    var both: i32 = -(a - arg0) + low;
    var wide: i64 = -(neg as i64) - lowest / 2;
    var f: f64 = -(wide as f64);
    sum = sum + f + (-cold as f64) + (both as f64);
}
