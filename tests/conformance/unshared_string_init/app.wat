;; Two arithmetic sites, run twice.
(module
  (func $calc (result i32)
    (i32.sub (i32.add (i32.const 1) (i32.const 2)) (i32.const 3)))
  (func (export "_start")
    (drop (call $calc))
    (drop (call $calc))))
