// covers: & | ^ ~ << >> on unsigned (logical >>) and signed (arithmetic >>) integers of several widths
var mask: u32 = 0xFF00;
var flags: u8 = 0b1000_0001;
var shifted: i64;

wasm:opcode:i32.and:before {
    var v: u32 = arg0 as u32;
    var w: u32 = (v & mask) | (v ^ 0x0F0F);
    var inverted: u32 = ~w;
    var left: u32 = inverted << 3;
    var right: u32 = left >> 2;
    flags = flags | ((right & 0xFF) as u8);
    flags = ~flags ^ 1;
}
wasm:opcode:i64.shr_s:before {
    var s: i64 = arg1;
    var low: i64 = 0xF;
    shifted = (s >> 4) & ~low;
    shifted = shifted ^ (s << 1);
}
