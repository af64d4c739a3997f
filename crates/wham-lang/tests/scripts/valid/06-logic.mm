// covers: bool literals, `!`, `&&`, `||`, parenthesised mixing of `&&` and `||`, bool == and !=
var enabled: bool = true;
var verbose: bool = false;
var count: u32;

wasm:opcode:br_if:before / enabled && !verbose / {
    var taken: bool = arg0 != 0;
    if ((taken && enabled) || verbose) {
        count++;
    }
    if (taken == true || !(taken != false)) {
        count = count + 2;
    }
    if (enabled && (verbose || taken)) {
        count--;
    }
}
