// Integer types wrap to their width; casts convert, truncate or extend.
report var a: u8;
report var b: i8;
report var c: u16;
report var d: i64;
report var e: u32;
report var f: bool;
report var g: i32;
report var h: i16;
report var k: u64;
var x: i32;
wasm:begin {
    x = 200;
    a = (x as u8) + (100 as u8);
    b = x as i8;
    c = (x * 400) as u16;
    d = (0 - (x as i64)) * 3;
    e = (x as u32) >> 3;
    f = (x > 100) && (a == 44);
    g = (0 - x) / 7;
    h = ((x as i16) << 8) >> 4;
    k = ~(x as u64);
}
