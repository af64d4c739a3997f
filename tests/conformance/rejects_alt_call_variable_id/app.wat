(module
  (func $main (export "_start") (call $work (i32.const 2)))
  (func $work (param i32))
  (func $other (param i32)))
