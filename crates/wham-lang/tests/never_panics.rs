//! The front end must never panic, whatever it is fed: arbitrary bytes, and
//! arbitrary streams of the language's own tokens (which get much further
//! into the parser and checker than random bytes do). Bounded case counts
//! keep the run short.

use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "wasm:opcode:call:before",
    "wasm:opcode:*:after",
    "wasm::br_if:at_target",
    "wasm:func:entry",
    "wasm:begin",
    "wasm:report",
    "wasm:opcode:call(arg0: i32):alt",
    "wasm(local0: i32):func:exit",
    ":opcode:*load*|*store*:before",
    "wasm:block:end",
    "use",
    "fn",
    "var",
    "report",
    "unshared",
    "frame",
    "return",
    "if",
    "elif",
    "else",
    "as",
    "true",
    "false",
    "map",
    "while",
    "u8",
    "i32",
    "u64",
    "f32",
    "f64",
    "bool",
    "str",
    "v128",
    "funcref",
    "x",
    "y",
    "count",
    "arg0",
    "res0",
    "imm0",
    "local1",
    "fid",
    "pc",
    "fname",
    "lib",
    "strcmp",
    "memcpy",
    "drop_args",
    "0",
    "1",
    "-1",
    "0xFF",
    "0b101",
    "1.5",
    "1e3",
    "inf",
    "NaN",
    "\"s\"",
    "\"\\x41\\u{1F600}\"",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "<",
    ">",
    ",",
    ";",
    ":",
    ".",
    "=",
    "==",
    "!=",
    "<=",
    ">=",
    "<<",
    ">>",
    "+",
    "-",
    "*",
    "/",
    "%",
    "&",
    "|",
    "^",
    "~",
    "!",
    "&&",
    "||",
    "?",
    "++",
    "--",
    "->",
    "@static",
    "@init",
    "/*",
    "*/",
    "//",
    "\n",
    ".0",
    ".len()",
    "map<u32, u32>",
    "(u32, bool)",
];

fn token_stream() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|t| t.join(" "))
}

/// Streams that start like a real probe and then go wrong.
fn probe_like() -> impl Strategy<Value = String> {
    (token_stream(), token_stream())
        .prop_map(|(a, b)| format!("var g: u32;\nwasm:opcode:br_if:before / {a} / {{ {b} }}\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = wham_lang::compile(&text);
    }

    #[test]
    fn arbitrary_token_streams(src in token_stream()) {
        let (_, diags) = wham_lang::compile(&src);
        let _ = diags.render_plain("fuzz.mm", &src);
    }

    #[test]
    fn broken_probes(src in probe_like()) {
        let (_, diags) = wham_lang::compile(&src);
        let _ = diags.render_plain("fuzz.mm", &src);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "wasm:begin {{ var x: i32 = {}1{}; }}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let (checked, diags) = wham_lang::compile(&deep);
    assert!(checked.is_none());
    assert!(
        diags
            .iter()
            .any(|d| d.message.contains("nested too deeply"))
    );
    let blocks = format!(
        "wasm:begin {}{}",
        "{ if true ".repeat(50_000),
        "}".repeat(50_000)
    );
    assert!(wham_lang::compile(&blocks).0.is_none());
    let nots = format!(
        "wasm:begin {{ var b: bool = {}true; }}",
        "!".repeat(100_000)
    );
    assert!(wham_lang::compile(&nots).0.is_none());
}
