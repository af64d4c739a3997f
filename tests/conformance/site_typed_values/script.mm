// Values whose types depend on the site (what select chooses, what a
// variable read gives, what a throw carries) take their types from the
// validator; a bound picks the sites where they have that type.
report var chosen: i32;
report var chosen64: i64;
report var read32: i32;
report var read64: i64;
report var locals_read: i32;
report var thrown: i32;
wasm:opcode:select(res0: i32):after { chosen = chosen + res0; }
wasm:opcode:typed_select(res0: i64):after { chosen64 = chosen64 + res0; }
wasm:opcode:global.get(res0: i32):after { read32 = read32 + res0; }
wasm:opcode:global.get(res0: i64):after { read64 = read64 + res0; }
wasm:opcode:local.get(res0: i32):after { locals_read = locals_read + res0; }
wasm:opcode:throw(arg0: i32):before { thrown = arg0; }
