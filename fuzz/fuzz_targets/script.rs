//! Any text through the front end: diagnostics, never a panic; scripts
//! that check also expand and plan without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let (checked, diags) = wham_lang::compile(src);
    let _ = diags.render_plain("fuzz.mm", src);
    if let Some(script) = checked {
        // An empty module: the rewriter plans the script without an app.
        let _ = wham_rewrite::instrument(&script, b"\0asm\x01\0\0\0", &Default::default());
    }
});
