;; Two calls whose results are dropped; one call returns nothing.
(module
  (func $one (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (func $nothing)
  (func (export "_start")
    (drop (call $one))
    (drop (call $two))
    (call $nothing)))
