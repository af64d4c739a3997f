(module
  (func $calc
    (drop (i32.mul (i32.const 200) (i32.const 100)))
    (drop (i32.mul (i32.const 70) (i32.const -3))))
  (func (export "_start") call $calc))
