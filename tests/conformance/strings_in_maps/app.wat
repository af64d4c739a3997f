(module
  (func $leaf (param i32) (result i32) local.get 0)
  (func $mid (param i32) (result i32) (call $leaf (i32.add (local.get 0) (i32.const 1))))
  (func $main (export "_start")
    (drop (call $mid (i32.const 5)))
    (drop (call $leaf (i32.const 50)))
    (drop (call $mid (i32.const 20)))))
