;; br_table with the function label as one target: index 1 leaves the
;; function from inside two blocks; 0 and the default (7) fall to the end.
(module
  (func $by_table (param i32)
    block
      block
        local.get 0
        br_table 0 2 1
      end
      nop
    end)
  (func (export "_start")
    (call $by_table (i32.const 0))
    (call $by_table (i32.const 1))
    (call $by_table (i32.const 7))))
