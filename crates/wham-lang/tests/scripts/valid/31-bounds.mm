// covers: typed bounds on the event part (argN, resN), the package part, the provider part (localN) and the mode part
var hits: u32;

wasm:opcode:call(arg0: i32, arg1: i32):before / arg0 > arg1 / { hits++; }
wasm:opcode:call(res0: i64):after / res0 < 0 / { hits++; }
wasm:opcode:call(res0: f32, res1: u32):after / res1 == 0 && res0 > 0.5 / { hits++; }
wasm:opcode(arg0: f64):local.set:before / arg0 > 1.0 / { hits++; }
wasm(local0: i32):func:entry / local0 == 0 / { hits++; }
wasm(local1: u64):opcode:return:before / local1 > 10 / { hits++; }
wasm:opcode:call_indirect:after(res0: f32) / res0 != 0.0 / { hits++; }
