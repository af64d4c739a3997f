;; Bulk-memory writes into 0..11: a fill, then a copy of "shadow!".
(module
  (memory (export "memory") 1)
  (data (i32.const 64) "shadow!")
  (func (export "_start")
    (memory.fill (i32.const 0) (i32.const 95) (i32.const 4))
    (memory.copy (i32.const 4) (i32.const 64) (i32.const 7))))
