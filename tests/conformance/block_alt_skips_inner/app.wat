(module
  (func $main (export "_start")
    (block nop nop)
    nop))
