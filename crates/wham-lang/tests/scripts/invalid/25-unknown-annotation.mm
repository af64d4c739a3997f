// error: unknown annotation `@once` (only @static and @init exist)
use cache;
wasm:opcode:call:before {
    @once cache.reset();
}
