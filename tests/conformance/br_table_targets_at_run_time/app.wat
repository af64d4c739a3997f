(module
  ;; `br_table 0 1 2`: labels 0 and 1, default 2.
  (func $pick (param i32)
    (block (block (block
      (br_table 0 1 2 (local.get 0))))))
  (func (export "_start")
    (call $pick (i32.const 0))
    (call $pick (i32.const 1))
    (call $pick (i32.const 2))
    (call $pick (i32.const 9))))
