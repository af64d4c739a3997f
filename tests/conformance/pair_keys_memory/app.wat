(module
  (memory 1)
  (func $main (export "_start")
    (i32.store (i32.const 8) (i32.const 1))
    (i32.store (i32.const 4) (i32.const 2))
    (drop (i32.load (i32.const 8)))
    (drop (i32.load (i32.const 8)))
    (drop (i32.load (i32.const 4)))))
