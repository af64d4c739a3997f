// Integer literals given to a type (whamm 2.0.1 §4.1): a value in the
// type's signed or unsigned range is taken as that bit pattern, so `-1`
// given to `u8` is 255 (with a warning on our side); u32 and u64 values
// above the signed range print unsigned. Rows of globals come in name order.
report var g: i16 = 0x7fff;
report var f: u64 = 18446744073709551615;
report var e: i64 = -9223372036854775808;
report var d: i8 = -128;
report var c: u32 = 4000000000;
report var b: u16 = -1;
report var a: u8 = -1;
wasm:opcode:nop:before { c++; a++; }
