// A `map<u32, u32>` with keys and values past i32's range (whamm 2.0.1
// §4.10, §8.6): whamm stores them as i32, so its rewriting target emits an
// invalid module for the literal key and prints `-1->-294967296;5->1`. wham
// keeps the declared types: keys sort and print unsigned, and so do values.
// A map never written prints `empty map`.
report var m: map<u32, u32>;
report var untouched: map<u32, u32>;
wasm:opcode:nop:before {
    m[4294967295] = 4000000000;
    m[5] = 1;
    m[2147483648] = m[2147483648] + 2;
}
