// covers: `as` between every numeric type, numeric -> bool (non-zero test), bool -> numeric (0/1), chained casts
var acc: f64;
var nonzero: u32;

wasm:opcode:i64.add:before {
    var a: i64 = arg0;
    var b: u8 = a as u8;
    var c: i8 = b as i8;
    var d: u16 = c as u16;
    var e: i16 = d as i16;
    var f: u32 = e as u32;
    var g: i32 = f as i32;
    var h: u64 = g as u64;
    var fl: f32 = h as f32;
    var db: f64 = fl as f64;
    var back: i64 = db as i64;
    var truth: bool = back as bool;
    nonzero = nonzero + truth as u32;
    acc = acc + (a as f64) + (b as u16 as f64);
}
