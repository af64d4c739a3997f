// Float values as whamm 2.0.1 prints them (§8.6): a `-0.0` literal keeps
// its sign (`-0e0`), `0.0 - 0.0` is `+0e0`, infinities print `+inf` and
// `-inf`, and a NaN prints `NaN` without a sign, also one the app made.
report var neg_zero: f64 = -0.0;
report var neg_zero32: f32 = -0.0;
report var zero: f64;
report var plus_inf: f64;
report var minus_inf: f32;
report var not_a_number: f64;
report var app_nan: f64;
report var lowest: f32 = -3.4028235e38;
wasm:opcode:f64.sqrt:after {
    var one: f32 = 1.0;
    var zero32: f32 = 0.0;
    app_nan = res0;
    zero = 0.0 - 0.0;
    plus_inf = 1.0 / zero;
    minus_inf = (zero32 - one) / zero32;
    not_a_number = zero / zero;
}
