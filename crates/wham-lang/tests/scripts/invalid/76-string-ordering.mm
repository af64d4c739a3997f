// error: `<` is not defined on `str` (strings support only == and !=)
var early: u32;
wasm:func:entry / fname < "m" / {
    early++;
}
