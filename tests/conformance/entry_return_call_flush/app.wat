(module
  (func $main (export "_start")
    (drop (i32.add (i32.const 1) (i32.const 2)))
    (return_call $work (i32.const 4)))
  (func $work (param i32)
    (drop (i32.add (local.get 0) (local.get 0)))
    (drop (i32.add (local.get 0) (i32.const 1)))))
