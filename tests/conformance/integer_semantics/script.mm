// Integer arithmetic on values only known at run time (the app's
// arguments): wrap-around at each width, signed division and remainder
// truncating toward zero, arithmetic and logical shifts, widening and
// narrowing casts.
report var u8_wrap: u8;
report var i8_wrap: i8;
report var not_u8: u8;
report var shr_i8: i8;
report var div_s: i32;
report var rem_s: i32;
report var div_u: u32;
report var rem_u: u32;
report var shr_s: i32;
report var shr_u: u32;
report var widen_s: i64;
report var widen_u: u64;
report var narrow: i16;
report var wide16: u16;
report var u64_wrap: u64;
report var i64_wrap: i64;
report var sext: i32;
report var zext: u32;
report var low_byte: u32;
report var neg_mod: i64;
report var ldiv: i64;
report var u64div: u64;
wasm(local0: i32, local1: i32, local2: i64):func:entry / fname == "nums" / {
    var a: i32 = local0;
    var b: u8 = local1 as u8;
    var c: i64 = local2;
    u8_wrap = b + 10;
    i8_wrap = (b as i8) - 125;
    not_u8 = ~b;
    shr_i8 = (b as i8) >> 1;
    div_s = a / 2;
    rem_s = a % 2;
    div_u = (a as u32) / 2;
    rem_u = (a as u32) % 10;
    shr_s = a >> 1;
    shr_u = (a as u32) >> 28;
    widen_s = a as i64;
    widen_u = (a as u32) as u64;
    narrow = ((b as i32) * 200) as i16;
    wide16 = (b as u16) * 300;
    u64_wrap = (c as u64) + 5;
    i64_wrap = c * 6917529027641081856;
    sext = (b as i8) as i32;
    zext = b as u32;
    low_byte = (a as u8) as u32;
    neg_mod = (c * 7) % 4;
    ldiv = (a as i64) * 1000000000000 / 7;
    u64div = widen_u / 1000;
}
