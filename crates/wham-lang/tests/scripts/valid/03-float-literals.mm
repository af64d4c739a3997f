// covers: float literals: fractions, trailing dot, exponents (e/E, signed), `_` separators, inf/infinity/NaN in any letter case, f32 and f64 contexts
var half: f32 = 0.5;
var whole: f64 = 1.;
var huge: f64 = 3e10;
var tiny: f64 = 1.2E-3;
var plus_exp: f64 = 2.5e+3;
var grouped: f64 = 1_000.000_5;
var up: f32 = inf;
var down: f64 = -Infinity;
var odd: f64 = NaN;
var odd32: f32 = nan;
var seen: u32;

wasm:opcode:f64.mul:before {
    if (arg0 > huge || arg1 < tiny) {
        seen++;
    }
    // NaN is never equal to itself
    if (odd != odd) {
        grouped = grouped * whole + plus_exp;
    }
    if (arg0 == down || arg1 == INFINITY) {
        seen--;
    }
}
wasm:opcode:f32.mul:before / arg0 != odd32 && arg1 < up / {
    half = half * 2.0;
}
