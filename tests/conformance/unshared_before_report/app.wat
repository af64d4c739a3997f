(module
  (func $main (export "_start")
    nop
    (drop (i32.add (i32.const 2) (i32.const 3)))
    nop
    nop))
