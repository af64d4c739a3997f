(module
  (global $n (mut i32) (i32.const 0))
  (func (export "bump") (param i32) (result i32)
    (global.set $n (i32.add (global.get $n) (local.get 0)))
    (global.get $n))
  (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "is_odd") (param i32) (result i32) (i32.rem_u (local.get 0) (i32.const 2)))
  (func (export "note") (param i64)))
