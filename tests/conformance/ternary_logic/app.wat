(module
  (func (export "_start")
    (drop (i32.eqz (i32.const 0)))
    (drop (i32.eqz (i32.const 7)))
    (drop (i32.eqz (i32.const 0)))))
