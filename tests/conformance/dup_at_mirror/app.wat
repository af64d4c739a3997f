;; Bulk-memory writes into 0..12: a fill, a copy of "wham" from data, and
;; an init from a passive segment. The program never reads 100 onwards.
(module
  (memory (export "memory") 1)
  (data (i32.const 64) "wham")
  (data $tail "-ok")
  (func (export "_start")
    (memory.fill (i32.const 0) (i32.const 46) (i32.const 4))
    (memory.copy (i32.const 4) (i32.const 64) (i32.const 4))
    (memory.init $tail (i32.const 8) (i32.const 0) (i32.const 3))))
