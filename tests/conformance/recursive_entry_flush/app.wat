(module
  (global $depth (mut i32) (i32.const 0))
  (func $main (export "_start")
    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
    (if (i32.lt_u (global.get $depth) (i32.const 3))
      (then (call $main)))))
