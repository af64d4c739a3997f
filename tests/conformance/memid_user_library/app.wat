;; Prints "hello wasm" through WASI, after showing $show the first five
;; bytes and then all ten. $show reads the first word of the text.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hello wasm\n")
  (global $first (mut i32) (i32.const 0))
  (func $show (param $ptr i32) (param $len i32)
    (global.set $first (i32.load (local.get $ptr))))
  (func (export "_start")
    (call $show (i32.const 100) (i32.const 5))
    (call $show (i32.const 100) (i32.const 10))
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 11))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
