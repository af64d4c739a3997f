(module
  (func $main (export "_start")
    call $helper
    call $helper)
  (func $helper
    call $leaf)
  (func $leaf))
