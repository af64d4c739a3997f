//! Floats print as Rust's `{:+e}` prints them (the original's report
//! format): the generated printer is run on thousands of values, the edge
//! cases and random bit patterns of both widths, and every line must equal
//! what Rust's own formatter gives for the same bits.

use wham_host::{Outcome, RunOptions};

/// A probe that prints the f64 and f32 arguments of calls to `$show64` /
/// `$show32`, one per line, through the built-in core library.
const SCRIPT: &str = r#"
use whamm_core;
wasm:opcode:call(arg0: f64):before / target_fn_name == "show64" / {
    whamm_core.putf64(arg0);
    whamm_core.putc(10);
}
wasm:opcode:call(arg0: f32):before / target_fn_name == "show32" / {
    whamm_core.putf32(arg0);
    whamm_core.putc(10);
}
"#;

/// A small xorshift generator: deterministic, no dependency.
struct Bits(u64);

impl Bits {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn edge_cases_f64() -> Vec<f64> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.1,
        0.3,
        1.0 / 3.0,
        1000.18,
        2.5e-7,
        1e23,
        9007199254740993.0,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        f64::EPSILON,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
    ];
    for e in -1074..=1023 {
        v.push(2f64.powi(e));
    }
    for e in -323..=308 {
        v.push(format!("1e{e}").parse().unwrap());
        v.push(format!("9.99e{e}").parse().unwrap());
    }
    v
}

fn edge_cases_f32() -> Vec<f32> {
    let mut v = vec![
        0.0,
        -0.0,
        0.1,
        1.0 / 3.0,
        3.402_823_5e38,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        f32::from_bits(0x007f_ffff),
        16_777_217.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
    ];
    for e in -149..=127 {
        v.push(2f32.powi(e));
    }
    v
}

fn app(f64s: &[f64], f32s: &[f32]) -> String {
    let mut body = String::new();
    for x in f64s {
        body.push_str(&format!(
            "    (call $show64 (f64.reinterpret_i64 (i64.const {})))\n",
            x.to_bits() as i64
        ));
    }
    for x in f32s {
        body.push_str(&format!(
            "    (call $show32 (f32.reinterpret_i32 (i32.const {})))\n",
            x.to_bits() as i32
        ));
    }
    format!(
        "(module\n  (func $show64 (param f64))\n  (func $show32 (param f32))\n  \
         (func (export \"_start\")\n{body}  ))\n"
    )
}

#[test]
fn floats_print_as_rust_prints_them() {
    let mut bits = Bits(0x9e37_79b9_7f4a_7c15);
    let mut f64s = edge_cases_f64();
    let mut f32s = edge_cases_f32();
    for _ in 0..3000 {
        f64s.push(f64::from_bits(bits.next()));
        f32s.push(f32::from_bits(bits.next() as u32));
        // Short decimals stress the choice between equally short digits.
        let digits = bits.next() % 100_000;
        let exp = (bits.next() % 600) as i32 - 300;
        f64s.push(format!("{digits}e{exp}").parse().unwrap());
        f32s.push(format!("{digits}e{}", exp % 40).parse().unwrap());
    }
    let want: String = f64s
        .iter()
        .map(|x| format!("{x:+e}\n"))
        .chain(f32s.iter().map(|x| format!("{x:+e}\n")))
        .collect();

    let (checked, diags) = wham_lang::compile(SCRIPT);
    let checked = checked.unwrap_or_else(|| panic!("{}", diags.render_plain("s.mm", SCRIPT)));
    let app = wat::parse_str(app(&f64s, &f32s)).expect("the app is valid text");
    let options = wham_rewrite::Options::default();
    let out = wham_rewrite::instrument(&checked, &app, &options).expect("instruments");
    let run = wham_host::run(
        &out.bytes,
        &RunOptions {
            capture: true,
            ..Default::default()
        },
    )
    .expect("loads");
    assert!(
        matches!(run.outcome, Outcome::Exited(0)),
        "{:?}",
        run.outcome
    );
    let got = String::from_utf8_lossy(&run.stdout);
    // The report banner follows the printed values.
    let got = &got[..got.find("\n=====").map_or(got.len(), |at| at + 1)];
    for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "value {n}");
    }
    assert_eq!(got.lines().count(), want.lines().count());
}
