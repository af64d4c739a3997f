// covers: global declarations of every type with and without initialisers (u8..u64, i8..i64, f32, f64, bool, str, funcref, v128, tuple, map)
var a: u8;
var b: i8 = -1;
var c: u16;
var d: i16 = 300;
var e: u32;
var f: i32 = 7;
var g: u64;
var h: i64 = -7;
var i: f32;
var j: f64 = 0.25;
var k: bool;
var l: str;
var m: str = "set";
var n: funcref;
var o: v128;
var p: (u32, bool);
var q: map<u32, u32>;

wasm:opcode:nop:before {
    // defaults: 0, 0.0, false and ""
    if (!k && l == "" && a == 0 && i == 0.0 && !p.1) {
        e = e + 1;
        q[e] = e;
    }
}
