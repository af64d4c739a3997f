// error: unterminated block comment (the nested `/*` needs its own `*/`)
wasm:func:entry {}
/* outer /* inner */ the outer comment is still open
