// covers: the smallest valid script: one 4-part rule with an empty body
wasm:opcode:nop:before {}
