(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $work)
  (func $main (export "_start")
    call $work
    call $work
    (call $proc_exit (i32.const 3))))
