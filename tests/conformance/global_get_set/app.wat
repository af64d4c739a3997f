(module
  (global $counter (mut i32) (i32.const 5))
  (global $big (mut i64) (i64.const 0))
  (global $k i32 (i32.const 40))
  (func (export "_start")
    (global.set $counter (i32.add (global.get $counter) (global.get $k)))
    (global.set $big (i64.const -9))
    (global.set $counter (i32.const 1))))
