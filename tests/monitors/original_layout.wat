(module
  ;; a monitor in the original's layout: whamm_buffer + start/max globals,
  ;; $alloc taking fname (ptr, len) through the buffer, a library by name
  (import "printer" "puts" (func $puts (param i32 i32)))
  (import "printer" "memory" (memory $lib 1))
  (memory $buf (export "whamm_buffer") 1)
  (global (export "whamm_buffer:start") i32 (i32.const 0))
  (global (export "whamm_buffer:max") i32 (i32.const 1024))
  (global $count (mut i32) (i32.const 0))
  (global $names (mut i32) (i32.const 2048))
  ;; copy the function's name next to the others, return where it went
  (func (export "$alloc") (param $ptr i32) (param $len i32) (param $fid i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $names))
    (memory.copy $buf $buf (local.get $at) (local.get $ptr) (local.get $len))
    (i32.store8 $buf (i32.add (local.get $at) (local.get $len)) (i32.const 10))
    (global.set $names (i32.add (local.get $at) (i32.add (local.get $len) (i32.const 1))))
    (local.get $at))
  (func (export "wasm:opcode:call($alloc(fname, fid), arg0)") (param $site i32) (param $a i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1))))
  (func (export "wasm:exit")
    ;; print the names recorded, through the library's memory
    (memory.copy $lib $buf (i32.const 100) (i32.const 2048)
      (i32.sub (global.get $names) (i32.const 2048)))
    (call $puts (i32.const 100) (i32.sub (global.get $names) (i32.const 2048)))))
