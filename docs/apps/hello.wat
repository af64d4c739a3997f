;; $print(fd, addr, len) writes a string with WASI's fd_write;
;; _start prints "hello" and "world" to stdout and "oops" to stderr.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello\n")
  (data (i32.const 32) "world\n")
  (data (i32.const 48) "oops\n")
  (func $print (param $fd i32) (param $addr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $addr))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func $_start (export "_start")
    (call $print (i32.const 1) (i32.const 16) (i32.const 6))
    (call $print (i32.const 2) (i32.const 48) (i32.const 5))
    (call $print (i32.const 1) (i32.const 32) (i32.const 6))))
