(module
  (func $f (param i32) nop)
  (func (export "_start") (local $i i32)
    (loop $l
      (call $f (i32.sub (i32.rem_u (i32.mul (local.get $i) (i32.const 37)) (i32.const 101)) (i32.const 50)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 500))))))
