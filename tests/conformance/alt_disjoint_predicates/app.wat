;; Stores 1 + 2 in a global.
(module
  (global $total (mut i32) (i32.const 0))
  (func (export "_start")
    (global.set $total (i32.add (i32.const 1) (i32.const 2)))))
