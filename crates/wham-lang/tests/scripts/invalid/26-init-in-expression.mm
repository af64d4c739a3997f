// error: `@init` can only prefix a library call used as a statement, not a value
use cache;
wasm:opcode:call:before {
    var handle: i32 = @init cache.open();
    if (handle > 0) {
        return;
    }
}
